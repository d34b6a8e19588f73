// Event-time TemporalJoin with pushed watermarks: when rows are released, which version they meet, late rows, deletions, updating left rows, and what the state frees.

import { expect } from 'chai';
import type { Row } from '../../common/value.js';
import { columnsKey, joinKey, TemporalJoin, type TemporalJoinOptions } from '../../executor/operators/temporal-join.js';
import { table } from '../operators/harness.js';
import { TimedHarness } from './harness.js';

// Left rows (id, cur, t); right rows (cur, rate, t). Times are plain numbers.
const base: TemporalJoinOptions = {
  joinType: 'INNER',
  timeAttribute: 'ROWTIME',
  leftKey: columnsKey([1]),
  rightKey: columnsKey([0]),
  leftTime: 2,
  rightTime: 2,
  leftWidth: 3,
  rightWidth: 3,
};

function join(options: Partial<TemporalJoinOptions> = {}): TemporalJoin {
  return new TemporalJoin({ ...base, ...options });
}

describe('TemporalJoin (event time)', () => {
  it('releases a left row once the watermarks of both inputs are past its time', () => {
    const h = new TimedHarness(join());
    h.right('+I EUR 2 100');
    expect(h.left('+I o1 EUR 150')).to.equal('');
    // Only the left watermark: the right input could still bring a version at or before 150.
    expect(h.watermark(200, 0)).to.equal('');
    expect(h.watermarks).to.deep.equal([]);
    // The right watermark at 150 is not past 150: a version at 150 may still come.
    expect(h.watermark(150, 1)).to.equal('');
    expect(h.watermarks).to.deep.equal([150]);
    expect(h.watermark(151, 1)).to.equal(table('+I o1 EUR 150 EUR 2 100'));
    expect(h.watermarks).to.deep.equal([150, 151]);
  });

  it('joins the version valid at the row time: from its time, inclusive, until the next', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT' }));
    h.right('+I EUR 1 100\n+I EUR 2 200\n+I EUR 3 300');
    h.left('+I a EUR 99\n+I b EUR 100\n+I c EUR 199\n+I d EUR 200\n+I e EUR 350\n+I f USD 150');
    expect(h.both(1000)).to.equal(table(`
      +I a EUR 99 NULL NULL NULL
      +I b EUR 100 EUR 1 100
      +I f USD 150 NULL NULL NULL
      +I c EUR 199 EUR 1 100
      +I d EUR 200 EUR 2 200
      +I e EUR 350 EUR 3 300`));
  });

  it('INNER drops a row that meets no version; LEFT pads it', () => {
    const inner = new TimedHarness(join());
    const left = new TimedHarness(join({ joinType: 'LEFT' }));
    for (const h of [inner, left]) {
      h.right('+I EUR 1 100');
      h.left('+I a GBP 150\n+I b NULL 150');
    }
    expect(inner.both(200)).to.equal('');
    expect(left.both(200)).to.equal(table('+I a GBP 150 NULL NULL NULL\n+I b NULL 150 NULL NULL NULL'));
  });

  it('uses a version that arrives out of order before the watermark passes it', () => {
    const h = new TimedHarness(join());
    h.right('+I EUR 1 100\n+I EUR 3 300');
    h.both(150);
    h.left('+I a EUR 250');
    // Behind the latest right time (300) but not behind the watermark (150): not late.
    h.right('+I EUR 2 200');
    expect(h.late).to.deep.equal([]);
    expect(h.both(400)).to.equal(table('+I a EUR 250 EUR 2 200'));
  });

  it('reports a left row behind the watermark and never joins it', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT' }));
    h.right('+I EUR 1 100');
    h.both(200);
    expect(h.left('+I a EUR 150')).to.equal('');
    expect(h.both(300)).to.equal('');
    expect(h.lateText()).to.equal('0 a EUR 150 @150 < 200');
    // A row at exactly the watermark is not late.
    h.left('+I b EUR 300');
    expect(h.both(301)).to.equal(table('+I b EUR 300 EUR 1 100'));
  });

  it('reports a version behind the watermark, and later rows meet it', () => {
    const h = new TimedHarness(join());
    h.right('+I EUR 1 100');
    h.both(200);
    h.left('+I a EUR 250');
    h.right('+I EUR 2 150');
    expect(h.lateText()).to.equal('1 EUR 2 150 @150 < 200');
    expect(h.both(300)).to.equal(table('+I a EUR 250 EUR 2 150'));
  });

  it('a deletion ends validity at the right watermark, an update pair replaces, an unpaired -U deletes', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT' }));
    h.right('+I EUR 1 100\n+I USD 1 100\n+I JPY 1 100');
    h.watermark(200, 1);
    // EUR deleted at the right watermark 200; USD updated to a version at 210; JPY's -U has no +U.
    h.right('-D EUR 1 100\n-U USD 1 100\n+U USD 2 210\n-U JPY 1 100');
    h.left('+I a EUR 199\n+I b EUR 200\n+I c USD 205\n+I d USD 210\n+I e JPY 199\n+I f JPY 200');
    expect(h.both(1000)).to.equal(table(`
      +I a EUR 199 EUR 1 100
      +I e JPY 199 JPY 1 100
      +I b EUR 200 NULL NULL NULL
      +I f JPY 200 NULL NULL NULL
      +I c USD 205 USD 1 100
      +I d USD 210 USD 2 210`));
  });

  it('a new row for a deleted key starts a new validity', () => {
    const h = new TimedHarness(join());
    h.right('+I EUR 1 100');
    h.watermark(200, 1);
    h.right('-D EUR 1 100');
    h.right('+I EUR 5 300');
    h.left('+I a EUR 250\n+I b EUR 300');
    expect(h.both(1000)).to.equal(table('+I b EUR 300 EUR 5 300'));
  });

  it('the residual decides after the version is found: LEFT pads, never falls back to an older version', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT', residual: (row: Row) => (row[4] as number) > 1 }));
    h.right('+I EUR 2 100\n+I EUR 1 200');
    h.left('+I a EUR 150\n+I b EUR 250');
    expect(h.both(300)).to.equal(table('+I a EUR 150 EUR 2 100\n+I b EUR 250 NULL NULL NULL'));
  });

  it('frees versions the watermark has passed but the newest per key, and a deletion with all before it', () => {
    const h = new TimedHarness(join());
    h.right('+I EUR 1 100\n+I EUR 2 200\n+I EUR 3 300\n+I USD 1 100');
    h.watermark(250, 0);
    h.watermark(250, 1);
    // EUR: 100 is freed (200 is the newest at or before 250), 200 and 300 stay; USD 100 stays.
    // versions 3 + expiry [300, EUR] 1 + progress 1 = 5
    expect(h.stateKeys()).to.equal(5);
    h.both(300);
    // EUR 200 freed, expiry consumed: versions 2 + progress = 3
    expect(h.stateKeys()).to.equal(3);
    // USD deleted: a deletion at the right watermark, 300, which W has reached: it is freed,
    // with every USD version before it, when W next moves.
    h.right('-D USD 1 100');
    h.both(301);
    // USD's deletion took its versions with it: EUR 300 + progress = 2
    expect(h.stateKeys()).to.equal(2);
  });

  it('keeps its state flat as versions accumulate while the watermark follows them', () => {
    const h = new TimedHarness(join());
    const sizes: number[] = [];
    for (let round = 1; round <= 50; round++) {
      const t = round * 100;
      h.right(['EUR', 'USD', 'JPY', 'GBP'].map((c) => `+I ${c} ${round} ${t}`).join('\n'));
      h.left(`+I o${round} EUR ${t + 50}`);
      h.watermark(t + 50, 0);
      h.watermark(t, 1);
      sizes.push(h.stateKeys());
    }
    // 4 versions + 1 waiting order + progress + sequence, from the first round on.
    expect(new Set(sizes)).to.deep.equal(new Set([7]));
    expect(h.output.length).to.equal(49);
  });

  it('an updating left side: a retraction takes back what its row produced', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT', retractingLeft: true }));
    h.right('+I EUR 1 100\n+I EUR 2 200');
    h.left('+I a EUR 150');
    expect(h.both(250)).to.equal(table('+I a EUR 150 EUR 1 100'));
    // Behind the watermark: the -U takes back at once; the +U at the same time and key meets the
    // version the old row met (EUR 1 from 100, freed since).
    expect(h.left('-U a EUR 150\n+U a EUR 150')).to.equal(table('-U a EUR 150 EUR 1 100\n+U a EUR 150 EUR 1 100'));
    expect(h.late).to.deep.equal([]);
    // A +U at another time behind the watermark is late.
    expect(h.left('-U a EUR 150\n+U a EUR 120')).to.equal(table('-U a EUR 150 EUR 1 100'));
    expect(h.lateText()).to.equal('0 a EUR 120 @120 < 250');
    // A retraction of a row still waiting is released after it: nothing remains.
    h.left('+I b EUR 300');
    h.left('-D b EUR 300');
    expect(h.both(400)).to.equal(table('+I b EUR 300 EUR 2 200\n-D b EUR 300 EUR 2 200'));
    // A retraction of a row never seen is ignored.
    expect(h.left('-D z EUR 300')).to.equal('');
  });

  it('goes on where it stopped after a restart on the same state', () => {
    const h = new TimedHarness(join({ joinType: 'LEFT' }));
    h.right('+I EUR 1 100\n+I EUR 2 200');
    h.left('+I a EUR 150\n+I b EUR 250');
    h.both(200);
    h.restart(join({ joinType: 'LEFT' }));
    // The restored progress (200) still makes a row at 150 late.
    h.left('+I c EUR 150');
    expect(h.lateText()).to.equal('0 c EUR 150 @150 < 200');
    h.left('+I d EUR 260');
    expect(h.both(300)).to.equal(table('+I b EUR 250 EUR 2 200\n+I d EUR 260 EUR 2 200'));
    expect(h.output.map(([, r]) => r[0])).to.deep.equal(['a', 'b', 'd']);
  });

  it('keys by expressions over the row when the condition equates computed values', () => {
    const h = new TimedHarness(join({ leftKey: (row) => (row[1] === null ? undefined : joinKey([String(row[1]).toUpperCase()])) }));
    h.right('+I EUR 2 100');
    h.left('+I a eur 150');
    expect(h.both(200)).to.equal(table('+I a eur 150 EUR 2 100'));
  });
});
