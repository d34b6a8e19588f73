// Window arithmetic, WindowAggregate and SessionWindow: hand-worked changelogs, and random streams against windows computed row by row.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../../executor/change.js';
import { SessionWindow } from '../../executor/operators/session-window.js';
import { WindowAggregate, type WindowAggregateOptions } from '../../executor/operators/window-aggregate.js';
import { Slicing, windowsOf, type WindowShape } from '../../executor/operators/window-slices.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { Harness, formatRows, rng, sortRows, table, type Change } from './harness.js';

const agg = (fn: string, args: number[], extra: Partial<AggCall> = {}): AggCall => ({ fn, args, distinct: false, type: Types.bigint, name: fn, ...extra });

const tumble = (size: number, offset = 0): WindowShape => ({ kind: 'TUMBLE', size, slide: size, offset });
const hop = (slide: number, size: number): WindowShape => ({ kind: 'HOP', size, slide, offset: 0 });
const cumulate = (step: number, size: number): WindowShape => ({ kind: 'CUMULATE', size, slide: step, offset: 0 });

describe('window arithmetic', () => {
  it('places a time in its TUMBLE, HOP and CUMULATE windows, aligned to the offset', () => {
    expect(windowsOf(tumble(10), 25)).to.deep.equal([{ start: 20, end: 30 }]);
    expect(windowsOf(tumble(10, 3), 25)).to.deep.equal([{ start: 23, end: 33 }]);
    expect(windowsOf(tumble(10), -5)).to.deep.equal([{ start: -10, end: 0 }]);
    // A time at a window's end starts the next window.
    expect(windowsOf(tumble(10), 30)).to.deep.equal([{ start: 30, end: 40 }]);
    expect(windowsOf(hop(5, 10), 12)).to.deep.equal([{ start: 5, end: 15 }, { start: 10, end: 20 }]);
    expect(windowsOf(hop(4, 10), 12)).to.deep.equal([{ start: 4, end: 14 }, { start: 8, end: 18 }, { start: 12, end: 22 }]);
    expect(windowsOf(cumulate(2, 10), 13)).to.deep.equal([{ start: 10, end: 14 }, { start: 10, end: 16 }, { start: 10, end: 18 }, { start: 10, end: 20 }]);
  });

  it('assembles every window from the slices its times fall in', () => {
    for (const shape of [tumble(6), tumble(6, 2), hop(2, 10), hop(4, 10), hop(3, 3), cumulate(3, 12)]) {
      const s = new Slicing(shape);
      for (let t = -30; t < 60; t++) {
        const end = s.sliceEnd(t);
        expect(end > t && end - s.width <= t, `${shape.kind} slice of ${t}`).to.equal(true);
        // The windows of the slice are exactly the windows of its times, from first to last window end.
        const ends = windowsOf(shape, t).map((w) => w.end);
        expect(s.firstWindowEnd(end), `${shape.kind} first window of ${t}`).to.equal(ends[0]);
        expect(s.lastWindowEnd(end), `${shape.kind} last window of ${t}`).to.equal(ends[ends.length - 1]);
        for (const w of windowsOf(shape, t)) {
          expect(s.windowStart(w.end)).to.equal(w.start);
          expect(s.windowEndAfter(w.end - 1)).to.equal(w.end);
        }
      }
    }
  });
});

function windowHarness(options: WindowAggregateOptions, backend?: MemoryStateBackend): Harness {
  return new Harness(new WindowAggregate(options), backend === undefined ? {} : { backend });
}

describe('WindowAggregate', () => {
  it('emits a TUMBLE window once the watermark reaches its end, then forgets it', () => {
    // SELECT k, COUNT(*), SUM(v), window_start, window_end, window_time ... over (k, v, t), windows of 10
    const h = windowHarness({ window: { kind: 'time', shape: tumble(10_000), timeIndex: 2 }, timeAttribute: 'ROWTIME', groupKeys: [0], aggs: [agg('count_star', []), agg('sum', [1])] });
    expect(h.feed(`
      +I a 1 1000
      +I b 5 9999
      +I a 2 10000
    `)).to.equal('');
    expect(h.watermark(9_999)).to.deep.equal([9_999]);
    expect(h.output).to.deep.equal([]);
    // A checkpoint writes both open windows (one chunk each) and the progress.
    h.operator.snapshot(1);
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(3);
    h.watermark(10_000);
    expect(h.table()).to.equal(table(`
      a 1 1 0 10000 9000
      b 1 5 0 10000 9000
    `));
    // The closed window's chunk is gone: what is left is [10000, 20000)'s and the progress.
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(2);
  });

  it('reports a row whose windows have all closed, and counts a HOP row in its open windows', () => {
    const late: [Row, number | null, number][] = [];
    // Times in microseconds: window_time is the window's end minus 1 ms.
    const op = new WindowAggregate({ window: { kind: 'time', shape: hop(5000, 10000), timeIndex: 1 }, timeAttribute: 'ROWTIME', groupKeys: [], aggs: [agg('count_star', [])] });
    const out: Change[] = [];
    op.open({
      state: new MemoryStateBackend({ copyValues: true }).forOperator('w'),
      now: () => 0,
      lateRow: (_input, row, t, w) => late.push([row, t, w]),
      output: { emit: (b) => b.rows.forEach((r, i) => out.push([b.kinds[i] as 0, r])), emitWatermark: () => {} },
    });
    op.processBatch(0, batchOf([['x', 12000]]));
    op.processWatermark(0, 15000);
    // [5000, 15000) closed with x; [10000, 20000) is open.
    expect(out.map(([, r]) => r)).to.deep.equal([[1, 5000, 15000, 14000]]);
    // 7000 is in [0, 10000) and [5000, 15000), both closed: late. 13000 is in [5000, 15000) (closed) and [10000, 20000) (open): it counts there.
    op.processBatch(0, batchOf([['y', 7000], ['z', 13000]]));
    expect(late).to.deep.equal([[['y', 7000], 7000, 15000]]);
    op.processWatermark(0, 20000);
    expect(out.map(([, r]) => r)).to.deep.equal([[1, 5000, 15000, 14000], [2, 10000, 20000, 19000]]);
  });

  it('keeps windows assigned upstream apart by start and end', () => {
    // Rows (k, window_start, window_end): a session-like pair of windows ending together.
    const h = windowHarness({ window: { kind: 'assigned', startIndex: 1, endIndex: 2 }, timeAttribute: 'ROWTIME', groupKeys: [0], aggs: [agg('count_star', [])] });
    h.feed(`
      +I a 0 10000
      +I a 5000 10000
      +I a 0 10000
    `);
    h.watermark(10000);
    expect(h.table()).to.equal(table(`
      a 1 5000 10000 9000
      a 2 0 10000 9000
    `));
  });

  it('tells downstream each window is done before the next one\'s rows, when one watermark closes several', () => {
    // COUNT(*) per k over (k, t), TUMBLE windows of 10
    const h = windowHarness({ window: { kind: 'time', shape: tumble(10_000), timeIndex: 1 }, timeAttribute: 'ROWTIME', groupKeys: [0], aggs: [agg('count_star', [])] });
    h.feed(`
      +I a 1000
      +I b 15000
      +I c 25000
      +I d 45000
    `);
    // [0, 10000) and [10000, 20000) close: 10000 comes out between their rows; 20000 is the watermark itself.
    expect(h.watermark(20_000)).to.deep.equal([10_000, 20_000]);
    // [20000, 30000) has rows, [30000, 40000) has none: only the window with rows is announced.
    expect(h.watermark(40_000)).to.deep.equal([30_000, 40_000]);
    expect(h.table()).to.equal(table(`
      a 1 0 10000 9000
      b 1 10000 20000 19000
      c 1 20000 30000 29000
    `));
  });

  it('writes an open window at every checkpoint without growing, and reads it back', () => {
    // COUNT(*) per k over (k, t) in one TUMBLE window that stays open across 150 checkpoints, with a restart after the 101st
    const options: WindowAggregateOptions = { window: { kind: 'time', shape: tumble(1e9), timeIndex: 1 }, timeAttribute: 'ROWTIME', groupKeys: [0], aggs: [agg('count_star', [])] };
    const h = windowHarness(options);
    for (let i = 0; i < 150; i++) {
      h.push([[INSERT, [`k${i % 3}`, i]]]);
      if (i === 100) h.restart(new WindowAggregate(options), i + 1);
      else h.operator.snapshot(i + 1);
    }
    // A chunk per checkpoint until they are rewritten as one: far fewer than 150 keys.
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.be.within(1, 64);
    h.watermark(1e9);
    expect(h.table()).to.equal(table(`
      k0 50 0 1000000000 999999000
      k1 50 0 1000000000 999999000
      k2 50 0 1000000000 999999000
    `));
    // The window's chunks are gone; a checkpoint leaves only the progress.
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(0);
    h.operator.snapshot(151);
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(1);
  });

  // With DISTINCT the cells are windows; without, HOP and CUMULATE cells are slices combined when a window closes.
  for (const distinct of [false, true]) for (const shape of [tumble(7), tumble(7, 3), hop(3, 9), hop(4, 10), cumulate(3, 12)]) {
    it(`${shape.kind} size ${shape.size} slide ${shape.slide} offset ${shape.offset}${distinct ? ' with DISTINCT' : ''}: equals windows computed row by row, across a restart`, () => {
      const aggs = [agg('count_star', []), agg('sum', [1]), agg('min', [1]), agg('max', [1]), agg('avg', [1], { type: Types.double }), ...(distinct ? [agg('count', [1], { distinct: true })] : [])];
      const options: WindowAggregateOptions = { window: { kind: 'time', shape, timeIndex: 2 }, timeAttribute: 'ROWTIME', groupKeys: [0], aggs };
      const backend = new MemoryStateBackend({ copyValues: true });
      let h = windowHarness(options, backend);
      const r = rng(shape.size * 31 + shape.slide);
      const all: Row[] = [];
      let newest = 0;
      const delay = 5;
      const outputs: Change[] = [];
      for (let step = 0; step < 60; step++) {
        const rows: Row[] = [];
        for (let i = 0; i < 5; i++) {
          const t = Math.max(newest - delay, Math.floor(step * 2 + r() * 6 - 3));
          newest = Math.max(newest, t);
          rows.push([`k${Math.floor(r() * 3)}`, Math.floor(r() * 10), t]);
        }
        all.push(...rows);
        h.push(rows.map((row) => [INSERT, row] as Change));
        h.watermark(newest - delay);
        if (step === 30) {
          // Restart: a new operator on the same state, as the checkpoint left it, carries on.
          h.operator.snapshot(1);
          outputs.push(...h.output);
          h = windowHarness(options, backend);
        }
      }
      h.watermark(Number.MAX_SAFE_INTEGER);
      outputs.push(...h.output);
      const expected = expectedWindows(shape, all).map((row) => (distinct ? row : [...row.slice(0, 6), ...row.slice(7)]));
      expect(formatRows(sortRows(outputs.map(([, row]) => row)))).to.equal(formatRows(sortRows(expected)));
    });
  }
});

/** The windows of `rows` (k, v, t) computed row by row: k, COUNT(*), SUM, MIN, MAX, AVG, COUNT(DISTINCT v), start, end, time. */
function expectedWindows(shape: WindowShape, rows: readonly Row[]): Row[] {
  const groups = new Map<string, { k: Value; start: number; end: number; vs: number[] }>();
  for (const row of rows) {
    for (const w of windowsOf(shape, row[2] as number)) {
      const key = `${w.end}|${w.start}|${projectedKey(row, [0])}`;
      const g = groups.get(key) ?? { k: row[0] as Value, start: w.start, end: w.end, vs: [] };
      g.vs.push(row[1] as number);
      groups.set(key, g);
    }
  }
  return sortRows([...groups.values()].map((g) => {
    const sum = g.vs.reduce((a, b) => a + b, 0);
    return [g.k, g.vs.length, sum, Math.min(...g.vs), Math.max(...g.vs), sum / g.vs.length, new Set(g.vs).size, g.start, g.end, g.end - 1000];
  }));
}

function batchOf(rows: readonly Row[]): ChangeBatch {
  return ChangeBatch.inserts(rows);
}

describe('SessionWindow', () => {
  it('merges sessions bridged by a row arriving out of order, then emits them when they close', () => {
    // SUM(v) per key and session, gap 10 ms, over (k, v, t); times in ms below (x 1000 µs).
    const h = new Harness(new SessionWindow({ timeIndex: 2, timeAttribute: 'ROWTIME', gap: 10000, keys: [0], emit: { kind: 'aggregate', aggs: [agg('sum', [1])] } }));
    h.feed(`
      +I a 1 0
      +I a 2 18000
      +I b 5 3000
    `);
    // a: [0, 10) and [18, 28); b: [3, 13). A row of a at 9 opens [9, 19), which touches both of a's: one session [0, 28).
    h.feed('+I a 4 9000');
    expect(h.output).to.deep.equal([]);
    h.watermark(13000);
    expect(h.table()).to.equal(table('b 5 3000 13000 12000'));
    h.watermark(28000);
    expect(h.table()).to.equal(table(`
      a 7 0 28000 27000
      b 5 3000 13000 12000
    `));
  });

  it('emits each row of a session with its window when used as a table function alone', () => {
    const h = new Harness(new SessionWindow({ timeIndex: 1, timeAttribute: 'ROWTIME', gap: 5000, keys: [], emit: { kind: 'rows' } }));
    h.feed(`
      +I x 1000
      +I y 4000
      +I z 20000
    `);
    h.watermark(10000);
    expect(h.table()).to.equal(table(`
      x 1000 1000 9000 8000
      y 4000 1000 9000 8000
    `));
  });

  it('keeps rows of a session with DISTINCT calls and aggregates them when it closes', () => {
    const h = new Harness(new SessionWindow({ timeIndex: 2, timeAttribute: 'ROWTIME', gap: 10000, keys: [0], emit: { kind: 'aggregate', aggs: [agg('count', [1], { distinct: true }), agg('count_star', [])] } }));
    h.feed(`
      +I a 1 0
      +I a 1 5000
      +I a 2 8000
    `);
    h.watermark(100000);
    expect(h.table()).to.equal(table('a 2 3 0 18000 17000'));
  });
});
