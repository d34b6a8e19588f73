// MIN / MAX: the extreme of a per-group multiset of values (SortedState), so retracting the current extreme finds the next one.

import { compareValues } from '../../../common/compare.js';
import type { DataType } from '../../../common/data-type.js';
import { internalError } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { SortedState } from '../../state/state-api.js';
import type { Accumulator, AccumulatorContext, GroupRecord } from './accumulator.js';
import { toResultType } from './result-type.js';

// Slot: [extreme: Value | null, nonNullCount]. The extreme is cached so that
// reads and additions never touch the multiset scan; only retracting the last
// copy of the extreme looks up the next one (one B+tree seek).
// Multiset: sorted state "minmax", key [group, callIndex, value] -> copies.
// Append-only input needs no multiset: the extreme can only improve.

export class MinMaxAccumulator implements Accumulator {
  private readonly values: SortedState<number> | undefined;
  private readonly index: number;

  constructor(private readonly arg: number, private readonly isMax: boolean, private readonly type: DataType, context: AccumulatorContext) {
    this.index = context.index;
    this.values = context.appendOnly ? undefined : context.state.sorted<number>('minmax');
  }

  create(): unknown {
    return [null, 0];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1, group: string): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const s = record[slot] as [Value, number];
    const values = this.values;
    if (values === undefined) {
      if (weight < 0) throw internalError('MIN/MAX planned for an append-only input received a retraction');
      if (s[1] === 0 || this.better(v, s[0])) s[0] = v;
      s[1]++;
      return;
    }
    const key = [group, this.index, v];
    const copies = values.get(key) ?? 0;
    if (weight > 0) {
      values.put(key, copies + 1);
      if (s[1] === 0 || this.better(v, s[0])) s[0] = v;
      s[1]++;
      return;
    }
    if (copies === 0) return; // retracting a value the group never had: ignored
    s[1]--;
    if (copies > 1) {
      values.put(key, copies - 1);
      return;
    }
    values.delete(key);
    if (s[1] === 0) s[0] = null;
    else if (compareValues(v, s[0]) === 0) {
      // The last copy of the extreme left: the next one is the first entry of the group's multiset.
      const next = values.scan([group, this.index], { reverse: this.isMax }).next();
      s[0] = next.done ? null : (next.value[0][2] as Value);
    }
  }

  result(record: GroupRecord, slot: number): Value {
    const s = record[slot] as [Value, number];
    return s[1] === 0 ? null : toResultType(s[0], this.type);
  }

  private better(v: Value, current: Value): boolean {
    const c = compareValues(v, current);
    return this.isMax ? c > 0 : c < 0;
  }
}
