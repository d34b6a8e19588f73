// Micro-benchmark: GroupAggregate (COUNT/SUM/MIN/MAX) over many keys, loaded with inserts then driven by retracting updates.

import { Types } from '../../common/data-type.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, INSERT, UPDATE_AFTER, UPDATE_BEFORE } from '../../executor/change.js';
import { GroupAggregate } from '../../executor/operators/group-aggregate.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { fmtInt } from './filter-project.js';
import { heapUsed, settle, SpanClock, xorshift, type Figure } from './measure.js';
import { openOperator } from './operators.js';

const call = (fn: string, args: number[]): AggCall => ({ fn, args, distinct: false, type: Types.bigint, name: fn });

/** Values drawn from a range this wide: MIN/MAX multisets hold distinct values, as prices would. */
const VALUE_RANGE = 1_000_000;

/**
 * `SELECT k, COUNT(*), SUM(v), MIN(v), MAX(v) FROM t GROUP BY k` over a
 * retracting input: first one row per key (+I), then `updates` updates of a
 * random key's row, each a -U of its old row and a +U of the new one.
 * Returns the load and the update figures; the update figure counts both
 * records of each update as changes.
 */
export function benchGroupAggregate(keys: number, updates: number, batchSize: number): Figure[] {
  const { operator, output } = openOperator(new GroupAggregate({
    groupKeys: [0],
    aggs: [call('count_star', []), call('sum', [1]), call('min', [1]), call('max', [1])],
  }));
  const rnd = xorshift(2);
  const current = new Float64Array(keys);

  settle();
  const load = new SpanClock();
  for (let start = 0; start < keys; start += batchSize) {
    const batch = new ChangeBatch();
    const end = Math.min(keys, start + batchSize);
    for (let k = start; k < end; k++) {
      const v = Math.floor(rnd() * VALUE_RANGE);
      current[k] = v;
      batch.push(INSERT, [k, v] as Row);
    }
    load.time(() => operator.processBatch(0, batch));
  }
  const loadFigure: Figure = {
    name: 'group aggregate: load',
    detail: `${fmtInt(keys)} keys, one +I each`,
    changes: keys,
    wallSeconds: load.wallSeconds,
    cpuSeconds: load.cpuSeconds,
    heapBytes: heapUsed(),
  };

  settle();
  const emittedBefore = output.changes;
  const clock = new SpanClock();
  // A batch holds batchSize changes: half as many updates.
  const perBatch = Math.max(1, Math.floor(batchSize / 2));
  for (let done = 0; done < updates; done += perBatch) {
    const batch = new ChangeBatch();
    const n = Math.min(perBatch, updates - done);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rnd() * keys);
      const v = Math.floor(rnd() * VALUE_RANGE);
      batch.push(UPDATE_BEFORE, [k, current[k] as number] as Row);
      batch.push(UPDATE_AFTER, [k, v] as Row);
      current[k] = v;
    }
    clock.time(() => operator.processBatch(0, batch));
  }
  const updateFigure: Figure = {
    name: 'group aggregate: updates',
    detail: `${fmtInt(updates)} updates (-U/+U) over ${fmtInt(keys)} keys; ${fmtInt(output.changes - emittedBefore)} changes out`,
    changes: 2 * updates,
    wallSeconds: clock.wallSeconds,
    cpuSeconds: clock.cpuSeconds,
    target: 1_000_000,
    heapBytes: heapUsed(),
  };
  return [loadFigure, updateFigure];
}
