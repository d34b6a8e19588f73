// Micro-benchmark: an inner equi-join of two keyed inputs, loaded with inserts then driven by retracting updates on both sides.

import type { Row } from '../../common/value.js';
import { ChangeBatch, INSERT, UPDATE_AFTER, UPDATE_BEFORE } from '../../executor/change.js';
import { Join } from '../../executor/operators/join.js';
import { fmtInt } from './filter-project.js';
import { heapUsed, settle, SpanClock, xorshift, type Figure } from './measure.js';
import { openOperator } from './operators.js';

/**
 * `a JOIN b ON a.k = b.k` over a (id, k, x) and b (id, k, y), `rows` rows a
 * side, join keys drawn from `rows` values (so a row has about one partner).
 * Load: each side's rows as +I, alternating batches between the sides.
 * Updates: `updateRatio` of each side's rows get a new x / y (-U old, +U new).
 */
export function benchJoin(rows: number, updateRatio: number, batchSize: number): Figure[] {
  const { operator, output } = openOperator(new Join({ joinType: 'INNER', leftKeys: [1], rightKeys: [1], leftWidth: 3, rightWidth: 3 }));
  const rnd = xorshift(3);
  const keyOf = [new Int32Array(rows), new Int32Array(rows)];
  const valueOf = [new Int32Array(rows), new Int32Array(rows)];

  settle();
  const load = new SpanClock();
  for (let start = 0; start < rows; start += batchSize) {
    const end = Math.min(rows, start + batchSize);
    for (let side = 0; side < 2; side++) {
      const keys = keyOf[side] as Int32Array;
      const values = valueOf[side] as Int32Array;
      const batch = new ChangeBatch();
      for (let id = start; id < end; id++) {
        keys[id] = Math.floor(rnd() * rows);
        values[id] = Math.floor(rnd() * 1_000_000);
        batch.push(INSERT, [id, keys[id] as number, values[id] as number] as Row);
      }
      load.time(() => operator.processBatch(side, batch));
    }
  }
  const loadOut = output.changes;
  const loadFigure: Figure = {
    name: 'join: load',
    detail: `${fmtInt(rows)} x ${fmtInt(rows)} rows as +I; ${fmtInt(loadOut)} joined rows`,
    changes: 2 * rows,
    wallSeconds: load.wallSeconds,
    cpuSeconds: load.cpuSeconds,
    heapBytes: heapUsed(),
  };

  settle();
  const clock = new SpanClock();
  const updates = Math.round(rows * updateRatio);
  const perBatch = Math.max(1, Math.floor(batchSize / 2));
  for (let done = 0; done < updates; done += perBatch) {
    const n = Math.min(perBatch, updates - done);
    for (let side = 0; side < 2; side++) {
      const keys = keyOf[side] as Int32Array;
      const values = valueOf[side] as Int32Array;
      const batch = new ChangeBatch();
      for (let i = 0; i < n; i++) {
        const id = Math.floor(rnd() * rows);
        const v = Math.floor(rnd() * 1_000_000);
        batch.push(UPDATE_BEFORE, [id, keys[id] as number, values[id] as number] as Row);
        batch.push(UPDATE_AFTER, [id, keys[id] as number, v] as Row);
        values[id] = v;
      }
      clock.time(() => operator.processBatch(side, batch));
    }
  }
  const updateFigure: Figure = {
    name: 'join: updates',
    detail: `${fmtInt(2 * updates)} updates (-U/+U), ${Math.round(updateRatio * 100)}% of each side; ${fmtInt(output.changes - loadOut)} changes out`,
    changes: 4 * updates,
    wallSeconds: clock.wallSeconds,
    cpuSeconds: clock.cpuSeconds,
    target: 500_000,
    heapBytes: heapUsed(),
  };
  // The load is as much the join's work as the updates: both count against the target.
  return [{ ...loadFigure, target: 500_000 }, updateFigure];
}
