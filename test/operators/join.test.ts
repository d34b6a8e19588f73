// Join: hand-worked changelogs for each join type, and random runs on both sides against a nested-loop join.

import { expect } from 'chai';
import type { Row, Value } from '../../common/value.js';
import { DELETE, INSERT } from '../../executor/change.js';
import { Join, type JoinOptions } from '../../executor/operators/join.js';
import type { JoinType } from '../../planner/logical/join.js';
import { Harness, consolidate, rng, sortRows, table, takeRandom, type Change } from './harness.js';

const LEFT = 0;
const RIGHT = 1;

function keyed(joinType: JoinType, extra: Partial<JoinOptions> = {}): Harness {
  // a (k, x) JOIN b (k, y) ON a.k = b.k
  return new Harness(new Join({ joinType, leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 2, ...extra }));
}

describe('Join', () => {
  it('INNER: joins each change with the other side\'s matches, with multiplicities', () => {
    const h = keyed('INNER');
    expect(h.feed('+I 1 a', LEFT)).to.equal('');
    expect(h.feed('+I 1 p\n+I 1 p', RIGHT)).to.equal(table('+I 1 a 1 p\n+I 1 a 1 p'));
    expect(h.feed('+I 1 b', LEFT)).to.equal(table('+I 1 b 1 p\n+I 1 b 1 p'));
    expect(h.feed('-D 1 p', RIGHT)).to.equal(table('-D 1 a 1 p\n-D 1 b 1 p'));
    expect(h.feed('-U 1 a\n+U 1 c', LEFT)).to.equal(table('-U 1 a 1 p\n+U 1 c 1 p'));
    expect(h.table()).to.equal(table('1 b 1 p\n1 c 1 p'));
  });

  it('LEFT: a row flips from NULL-extended to matched and back', () => {
    const h = keyed('LEFT');
    expect(h.feed('+I 1 a', LEFT)).to.equal(table('+I 1 a NULL NULL'));
    expect(h.feed('+I 1 p', RIGHT)).to.equal(table(`
      -D 1 a NULL NULL
      +I 1 a 1 p
    `));
    expect(h.feed('+I 1 q', RIGHT)).to.equal(table('+I 1 a 1 q'));
    expect(h.feed('-D 1 p', RIGHT)).to.equal(table('-D 1 a 1 p'));
    expect(h.feed('-D 1 q', RIGHT)).to.equal(table(`
      -D 1 a 1 q
      +I 1 a NULL NULL
    `));
    expect(h.table()).to.equal(table('1 a NULL NULL'));
  });

  it('LEFT: rows with a NULL key never match but still appear NULL-extended', () => {
    const h = keyed('LEFT');
    expect(h.feed('+I NULL z', LEFT)).to.equal(table('+I NULL z NULL NULL'));
    expect(h.feed('+I NULL r', RIGHT)).to.equal('');
    expect(h.feed('-D NULL z', LEFT)).to.equal(table('-D NULL z NULL NULL'));
  });

  it('FULL: NULL-extended rows on both sides come and go', () => {
    const h = keyed('FULL');
    expect(h.feed('+I 1 a', LEFT)).to.equal(table('+I 1 a NULL NULL'));
    expect(h.feed('+I 2 q', RIGHT)).to.equal(table('+I NULL NULL 2 q'));
    expect(h.feed('+I 1 p', RIGHT)).to.equal(table(`
      -D 1 a NULL NULL
      +I 1 a 1 p
    `));
    expect(h.feed('+I 2 b', LEFT)).to.equal(table(`
      -D NULL NULL 2 q
      +I 2 b 2 q
    `));
    expect(h.feed('-D 1 a', LEFT)).to.equal(table(`
      -D 1 a 1 p
      +I NULL NULL 1 p
    `));
    expect(h.feed('-D 2 q', RIGHT)).to.equal(table(`
      -D 2 b 2 q
      +I 2 b NULL NULL
    `));
    expect(h.feed('+I NULL n', RIGHT)).to.equal(table('+I NULL NULL NULL n'));
    expect(h.table()).to.equal(table(`
      2 b NULL NULL
      NULL NULL 1 p
      NULL NULL NULL n
    `));
  });

  it('RIGHT: mirrors LEFT', () => {
    const h = keyed('RIGHT');
    expect(h.feed('+I 1 p', RIGHT)).to.equal(table('+I NULL NULL 1 p'));
    expect(h.feed('+I 1 a\n+I 1 b', LEFT)).to.equal(table(`
      -D NULL NULL 1 p
      +I 1 a 1 p
      +I 1 b 1 p
    `));
    expect(h.feed('-D 1 a', LEFT)).to.equal(table('-D 1 a 1 p'));
    expect(h.feed('-D 1 b', LEFT)).to.equal(table('-D 1 b 1 p\n+I NULL NULL 1 p'));
  });

  it('SEMI: a left row appears when its match count goes 0 -> 1 and leaves at 1 -> 0', () => {
    const h = new Harness(new Join({ joinType: 'SEMI', leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 1 }));
    expect(h.feed('+I 1 a', LEFT)).to.equal('');
    expect(h.feed('+I 1', RIGHT)).to.equal(table('+I 1 a'));
    expect(h.feed('+I 1', RIGHT)).to.equal('');
    expect(h.feed('+I 1 b', LEFT)).to.equal(table('+I 1 b'));
    expect(h.feed('-D 1', RIGHT)).to.equal('');
    expect(h.feed('-D 1', RIGHT)).to.equal(table('-D 1 a\n-D 1 b'));
    expect(h.table()).to.equal('');
  });

  it('ANTI: the reverse of SEMI; NULL-key left rows always pass', () => {
    const h = new Harness(new Join({ joinType: 'ANTI', leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 1 }));
    expect(h.feed('+I 1 a\n+I NULL z', LEFT)).to.equal(table('+I 1 a\n+I NULL z'));
    expect(h.feed('+I 1', RIGHT)).to.equal(table('-D 1 a'));
    expect(h.feed('+I 1\n+I NULL', RIGHT)).to.equal('');
    expect(h.feed('-D 1', RIGHT)).to.equal('');
    expect(h.feed('-D 1', RIGHT)).to.equal(table('+I 1 a'));
    expect(h.table()).to.equal(table('1 a\nNULL z'));
  });

  it('a residual condition decides matches; an empty key list is a theta join', () => {
    // a (x) LEFT JOIN b (y) ON a.x < b.y
    const h = new Harness(new Join({ joinType: 'LEFT', leftKeys: [], rightKeys: [], leftWidth: 1, rightWidth: 1, residual: (r) => (r[0] as number) < (r[1] as number) }));
    expect(h.feed('+I 5', LEFT)).to.equal(table('+I 5 NULL'));
    expect(h.feed('+I 3', RIGHT)).to.equal('');
    expect(h.feed('+I 7', RIGHT)).to.equal(table('-D 5 NULL\n+I 5 7'));
    expect(h.feed('+I 1', LEFT)).to.equal(table('+I 1 3\n+I 1 7'));
    expect(h.feed('-D 7', RIGHT)).to.equal(table('-D 5 7\n-D 1 7\n+I 5 NULL'));
  });

  it('forwards the minimum of both inputs\' watermarks', () => {
    const h = keyed('INNER');
    expect(h.watermark(10, LEFT)).to.deep.equal([]);
    expect(h.watermark(5, RIGHT)).to.deep.equal([5]);
    expect(h.watermark(20, RIGHT)).to.deep.equal([10]);
  });

  describe('random changes on both sides equal a nested-loop join', () => {
    /** The obviously correct join: every pair, then the unmatched rows per the join type. */
    function expected(type: JoinType, left: readonly Row[], right: readonly Row[], residual: ((r: Row) => boolean) | undefined): Row[] {
      const out: Row[] = [];
      const matches = (l: Row, r: Row): boolean => l[0] !== null && l[0] === r[0] && (residual === undefined || residual([...l, ...r]));
      for (const l of left) {
        const ms = right.filter((r) => matches(l, r));
        if (type === 'SEMI') { if (ms.length > 0) out.push(l); continue; }
        if (type === 'ANTI') { if (ms.length === 0) out.push(l); continue; }
        for (const r of ms) out.push([...l, ...r]);
        if ((type === 'LEFT' || type === 'FULL') && ms.length === 0) out.push([...l, null, null]);
      }
      if (type === 'RIGHT' || type === 'FULL') {
        for (const r of right) if (!left.some((l) => matches(l, r))) out.push([null, null, ...r]);
      }
      return sortRows(out);
    }

    const types: JoinType[] = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'SEMI', 'ANTI'];
    for (const type of types) {
      for (const [withResidual, hot] of [[false, false], [true, false], [false, true]] as const) {
        // Hot: two keys, many rows each, so that a key's rows outgrow one list (of 16 rows here) and move to map state.
        it(`${type}${withResidual ? ' with a residual' : ''}${hot ? ', two hot keys' : ''}`, () => {
          const r = rng(types.indexOf(type) * 10 + (withResidual ? 1 : 0) + (hot ? 5 : 0) + 1);
          // a (k, x) JOIN b (k, y) ON a.k = b.k [AND a.x <= b.y]
          const residual = withResidual ? (row: Row): boolean => (row[1] as number) <= (row[3] as number) : undefined;
          const make = (): Join => new Join({ joinType: type, leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 2, residual, ...(hot ? { listRows: 16 } : {}) });
          const h = new Harness(make());
          const live: [Row[], Row[]] = [[], []];
          const randomRow = (): Row => [r() < 0.15 ? null : Math.floor(r() * (hot ? 2 : 4)), Math.floor(r() * 5)] as Value[];
          const steps = hot ? 200 : 150;
          for (let step = 0; step < steps; step++) {
            if (step === steps / 2) h.restart(make());
            const side = r() < 0.5 ? 0 : 1;
            const batch: Change[] = [];
            const adds = Math.floor(r() * (hot ? 8 : 4));
            for (let i = 0; i < adds; i++) {
              const row = randomRow();
              batch.push([INSERT, row]);
              live[side].push(row);
            }
            for (const row of takeRandom(live[side], Math.floor(r() * 3), r)) batch.push([DELETE, row]);
            h.push(batch, side);
            // Hot keys: some hundred rows per key and side, checked now and then (the answer is quadratic).
            if (hot && step % 25 !== 24) continue;
            expect(consolidate(h.output), `step ${step}`).to.deep.equal(expected(type, live[0], live[1], residual));
          }
        });
      }
    }
  });
});
