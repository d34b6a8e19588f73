// IntervalJoin, OverAggregate, WindowTopN, WindowDeduplicate and WindowJoin: hand-worked cases and random streams against row-by-row answers.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import type { Row } from '../../common/value.js';
import { INSERT } from '../../executor/change.js';
import { IntervalJoin, type IntervalJoinOptions } from '../../executor/operators/interval-join.js';
import { OverAggregate } from '../../executor/operators/over-aggregate.js';
import { WindowDeduplicate } from '../../executor/operators/window-deduplicate.js';
import { WindowJoin } from '../../executor/operators/window-join.js';
import { WindowTopN } from '../../executor/operators/window-top-n.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { Harness, formatRows, rng, sortRows, table, type Change } from './harness.js';

const agg = (fn: string, args: number[], extra: Partial<AggCall> = {}): AggCall => ({ fn, args, distinct: false, type: Types.bigint, name: fn, ...extra });

describe('IntervalJoin', () => {
  it('joins within the bounds at once and pads an outer row once no partner can come', () => {
    // l (k, t) LEFT JOIN r (k, t) ON l.k = r.k AND r.t BETWEEN l.t AND l.t + 10
    const h = new Harness(new IntervalJoin({
      joinType: 'LEFT', leftKeys: [0], rightKeys: [0], leftTime: 1, rightTime: 1, lower: 0, upper: 10,
      leftWidth: 2, rightWidth: 2, timeAttribute: 'ROWTIME',
    }));
    h.feed('+I a 100', 0);
    h.feed('+I b 100', 0);
    expect(h.feed('+I a 105', 1)).to.equal(table('+I a 100 a 105'));
    // r at 111 is past a's bound (100 + 10).
    expect(h.feed('+I a 111', 1)).to.equal('');
    // Watermark 111 on both sides: left rows with t + 10 < 111 are done; b never matched.
    h.watermark(111, 0);
    expect(h.watermark(111, 1)).to.deep.equal([111]);
    expect(h.table()).to.equal(table(`
      a 100 a 105
      b 100 NULL NULL
    `));
  });

  it('packs an inner join\'s rows into chunks at checkpoints and frees them a whole bucket (the bounds\' width in seconds) at a time', () => {
    // l JOIN r ON l.k = r.k AND r.t BETWEEN l.t AND l.t + 2 s: buckets of 2 s, [0, 2 s), [2 s, 4 s), ...
    const s = 1_000_000;
    const options: IntervalJoinOptions = {
      joinType: 'INNER', leftKeys: [0], rightKeys: [0], leftTime: 1, rightTime: 1, lower: 0, upper: 2 * s,
      leftWidth: 2, rightWidth: 2, timeAttribute: 'ROWTIME',
    };
    const h = new Harness(new IntervalJoin(options));
    const keys = (): number => h.backend.forOperator(h.operatorId).stats().keys;
    h.feed(`+I a ${s}\n+I a ${3 * s}\n+I b ${3 * s}`, 0);
    expect(h.feed(`+I a ${3 * s}`, 1)).to.equal(table(`+I a ${s} a ${3 * s}\n+I a ${3 * s} a ${3 * s}`));
    // Held in memory until a checkpoint.
    expect(keys()).to.equal(0);
    // The restart's snapshot seals them: per side and bucket a chunk (its filter) and its one part:
    // left [0, 2 s) and [2 s, 4 s), right [2 s, 4 s); and the sequence.
    h.restart(new IntervalJoin(options));
    expect(keys()).to.equal(7);
    // Sealed rows still meet: a right row at 4 s looks at left rows in [2 s, 4 s] of key a.
    expect(h.feed(`+I a ${4 * s}`, 1)).to.equal(table(`+I a ${3 * s} a ${4 * s}`));
    // Watermark 4 s: left rows before 2 s are done (t + 2 s < 4 s): bucket [0, 2 s) goes; right rows
    // before 4 s are: the right [2 s, 4 s) goes. The right row at 4 s, not sealed yet, stays.
    h.watermark(4 * s, 0);
    h.watermark(4 * s, 1);
    expect(keys()).to.equal(3);
    // Late for the join (3 s < 4 s): dropped, though the left row at 3 s is still stored.
    expect(h.feed(`+I a ${3 * s}`, 1)).to.equal('');
    // Watermark 5.5 s: the left row at 3 s is done (5 s < 5.5 s) but its bucket [2 s, 4 s) is not
    // wholly before 3.5 s. Kept past its time, it meets nothing: a right row at 5.5 s looks at [3.5 s, 5.5 s].
    h.watermark(5.5 * s, 0);
    h.watermark(5.5 * s, 1);
    expect(keys()).to.equal(3);
    expect(h.feed(`+I a ${5.5 * s}`, 1)).to.equal('');
    // A left row at 6 s meets the right rows in [6 s, 8 s] only: none.
    expect(h.feed(`+I a ${6 * s}`, 0)).to.equal('');
    // Watermark 9 s frees every bucket; the sequence stays.
    h.watermark(9 * s, 0);
    h.watermark(9 * s, 1);
    expect(keys()).to.equal(1);
  });

  for (const joinType of ['INNER', 'LEFT', 'RIGHT', 'FULL'] as const) {
    it(`${joinType}: random streams give the join computed row by row`, () => {
      const options: IntervalJoinOptions = {
        joinType, leftKeys: [0], rightKeys: [0], leftTime: 1, rightTime: 1, lower: -3, upper: 5,
        leftWidth: 2, rightWidth: 2, timeAttribute: 'ROWTIME',
      };
      const h = new Harness(new IntervalJoin(options));
      const r = rng(joinType.length * 97);
      const left: Row[] = [];
      const right: Row[] = [];
      const newest = [0, 0];
      for (let step = 0; step < 200; step++) {
        const side = r() < 0.5 ? 0 : 1;
        // Within the 4-unit disorder the watermark allows: never late.
        const t = Math.max(Math.max(...newest) - 4, Math.floor(step / 2 + r() * 4));
        newest[side] = Math.max(newest[side] as number, t);
        const row: Row = [`k${Math.floor(r() * 3)}`, t];
        (side === 0 ? left : right).push(row);
        h.push([[INSERT, row] as Change], side);
        h.watermark((newest[side] as number) - 4, side);
        // Now and then a checkpoint and a restart: the rows so far are sealed and read back.
        if (step % 37 === 36) h.restart(new IntervalJoin(options));
      }
      h.watermark(Number.MAX_SAFE_INTEGER, 0);
      h.watermark(Number.MAX_SAFE_INTEGER, 1);
      const expected: Row[] = [];
      const matchedRight = new Set<Row>();
      for (const l of left) {
        let matched = false;
        for (const rr of right) {
          const d = (rr[1] as number) - (l[1] as number);
          if (l[0] === rr[0] && d >= -3 && d <= 5) {
            expected.push([...l, ...rr]);
            matched = true;
            matchedRight.add(rr);
          }
        }
        if (!matched && (joinType === 'LEFT' || joinType === 'FULL')) expected.push([...l, null, null]);
      }
      if (joinType === 'RIGHT' || joinType === 'FULL') for (const rr of right) if (!matchedRight.has(rr)) expected.push([null, null, ...rr]);
      expect(h.output.every(([k]) => k === INSERT)).to.equal(true);
      expect(formatRows(sortRows(h.output.map(([, row]) => row)))).to.equal(formatRows(sortRows(expected)));
    });
  }
});

describe('OverAggregate', () => {
  it('random streams: ROWS and RANGE frames equal the frames computed row by row', () => {
    // SUM(v) OVER (PARTITION BY k ORDER BY t ROWS 2 PRECEDING), MAX(v) ... RANGE 5 PRECEDING, COUNT(*) ... UNBOUNDED
    const op = new OverAggregate({
      partitionKeys: [0], timeIndex: 2, timeAttribute: 'ROWTIME',
      calls: [
        { call: agg('sum', [1]), frame: { units: 'ROWS', preceding: 2 } },
        { call: agg('max', [1]), frame: { units: 'RANGE', preceding: 5 } },
        { call: agg('count_star', []), frame: { units: 'ROWS', preceding: null } },
      ],
    });
    const h = new Harness(op);
    const r = rng(11);
    const rows: Row[] = [];
    let newest = 0;
    for (let step = 0; step < 300; step++) {
      // After the watermark (rows at or before it are late for an OVER).
      const t = Math.max(newest - 2, Math.floor(step / 3 + r() * 3));
      newest = Math.max(newest, t);
      const row: Row = [`k${Math.floor(r() * 3)}`, Math.floor(r() * 50), t];
      rows.push(row);
      h.push([[INSERT, row] as Change]);
      h.watermark(newest - 3);
    }
    h.watermark(Number.MAX_SAFE_INTEGER);
    // Row by row: per partition, rows in time order (arrival among equal times).
    const expected: Row[] = [];
    for (const k of ['k0', 'k1', 'k2']) {
      const part = rows.filter((x) => x[0] === k).map((x, i) => ({ x, i })).sort((a, b) => (a.x[2] as number) - (b.x[2] as number) || a.i - b.i).map((e) => e.x);
      part.forEach((x, i) => {
        const rowsFrame = part.slice(Math.max(0, i - 2), i + 1);
        const t = x[2] as number;
        const rangeFrame = part.filter((y) => (y[2] as number) >= t - 5 && (y[2] as number) <= t);
        expected.push([...x, rowsFrame.reduce((a, y) => a + (y[1] as number), 0), Math.max(...rangeFrame.map((y) => y[1] as number)), i + 1]);
      });
    }
    expect(formatRows(sortRows(h.output.map(([, row]) => row)))).to.equal(formatRows(sortRows(expected)));
  });
});

describe('window top-N, deduplication and join', () => {
  it('ranks a window\'s rows when it closes, keeping ties for RANK', () => {
    // rows (item, price, window_start, window_end); RANK() OVER (PARTITION BY window ORDER BY price DESC) <= 2
    const h = new Harness(new WindowTopN({
      startIndex: 2, endIndex: 3, timeAttribute: 'ROWTIME', partitionKeys: [2, 3],
      orderKeys: [{ index: 1, descending: true, nullsFirst: true }], rankFn: 'RANK', offset: 0, limit: 2, outputRank: true,
    }));
    h.feed(`
      +I a 5 0 10000
      +I b 9 0 10000
      +I c 9 0 10000
      +I d 7 0 10000
      +I e 1 10000 20000
    `);
    expect(h.output).to.deep.equal([]);
    h.watermark(10000);
    expect(h.table()).to.equal(table(`
      b 9 0 10000 1
      c 9 0 10000 1
    `));
  });

  it('keeps the last row per key and window by time', () => {
    // rows (k, t, window_start, window_end)
    const h = new Harness(new WindowDeduplicate({ startIndex: 2, endIndex: 3, timeAttribute: 'ROWTIME', keys: [0, 2, 3], keep: 'LAST', orderIndex: 1, outputRank: false }));
    h.feed(`
      +I a 3000 0 10000
      +I a 7000 0 10000
      +I a 5000 0 10000
      +I b 1000 0 10000
    `);
    h.watermark(10000);
    expect(h.table()).to.equal(table(`
      a 7000 0 10000
      b 1000 0 10000
    `));
  });

  it('joins a window\'s rows of both sides once both watermarks pass its end', () => {
    // l (k, window_start, window_end) FULL JOIN r (k, window_start, window_end) on k and the window
    const h = new Harness(new WindowJoin({
      joinType: 'FULL', leftKeys: [0, 1, 2], rightKeys: [0, 1, 2], leftEnd: 2, rightEnd: 2, leftWidth: 3, rightWidth: 3, timeAttribute: 'ROWTIME',
    }));
    h.feed('+I a 0 10000\n+I b 0 10000', 0);
    h.feed('+I a 0 10000\n+I c 0 10000', 1);
    h.watermark(10000, 0);
    expect(h.output).to.deep.equal([]);
    h.watermark(10000, 1);
    expect(h.table()).to.equal(table(`
      a 0 10000 a 0 10000
      b 0 10000 NULL NULL NULL
      NULL NULL NULL c 0 10000
    `));
  });
});

