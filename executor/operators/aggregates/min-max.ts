// MIN / MAX: the extreme of a per-group multiset of values (SortedState), so retracting the current extreme finds the next one.

import { compareValues } from '../../../common/compare.js';
import type { DataType } from '../../../common/data-type.js';
import { internalError } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { AggCall } from '../../../planner/logical/aggregate.js';
import type { SortedState } from '../../state/state-api.js';
import type { Accumulator, AccumulatorContext, GroupRecord } from './accumulator.js';
import { toResultType } from './result-type.js';

// Slot: [extreme: Value | null, nonNullCount]. The extreme is cached so that
// reads and additions never scan; only retracting the last copy of the
// extreme looks up the next one (one B+tree seek).
// Multiset: sorted state "minmax", key [group, multiset id, value] -> copies,
// one per (argument, FILTER, DISTINCT): MIN(x) and MAX(x) share x's.
// Append-only input needs no multiset: the extreme can only improve.

/** Copies of each value per group, shared by the MIN/MAX calls over the same argument. */
class ValueMultiset {
  /** After an update: the updated value's copies, and whether the update applied. */
  copiesAfter = 0;
  applied = false;

  constructor(readonly values: SortedState<number>, readonly id: number) {}

  update(group: string, v: Value, weight: 1 | -1): void {
    const key = [group, this.id, v];
    const copies = this.values.get(key) ?? 0;
    if (weight < 0 && copies === 0) {
      // Retracting a value the group never had (inconsistent input): ignored.
      this.applied = false;
      return;
    }
    const after = copies + weight;
    if (after === 0) this.values.delete(key);
    else this.values.put(key, after);
    this.copiesAfter = after;
    this.applied = true;
  }

  /** The smallest (or largest) value of the group, or null when it has none. */
  extreme(group: string, max: boolean): Value {
    const next = this.values.scan([group, this.id], { reverse: max }).next();
    return next.done ? null : (next.value[0][2] as Value);
  }
}

export class MinMaxAccumulator implements Accumulator {
  private readonly multiset: ValueMultiset | undefined;
  /** Whether this call updates the multiset (the first call sharing it). */
  private readonly owner: boolean;
  private readonly arg: number;

  constructor(call: AggCall, private readonly isMax: boolean, private readonly type: DataType, context: AccumulatorContext) {
    this.arg = call.args[0] as number;
    if (context.appendOnly) {
      this.multiset = undefined;
      this.owner = false;
      return;
    }
    const signature = `minmax|${this.arg}|${call.filter ?? ''}|${call.distinct}`;
    const existing = context.shared.get(signature);
    if (existing instanceof ValueMultiset) {
      this.multiset = existing;
      this.owner = false;
    } else {
      this.multiset = new ValueMultiset(context.state.sorted<number>('minmax'), context.index);
      context.shared.set(signature, this.multiset);
      this.owner = true;
    }
  }

  create(): unknown {
    return [null, 0];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1, group: string): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const s = record[slot] as [Value, number];
    const multiset = this.multiset;
    if (multiset === undefined) {
      if (weight < 0) throw internalError('MIN/MAX planned for an append-only input received a retraction');
      if (s[1] === 0 || this.better(v, s[0])) s[0] = v;
      s[1]++;
      return;
    }
    if (this.owner) multiset.update(group, v, weight);
    if (!multiset.applied) return;
    s[1] += weight;
    if (weight > 0) {
      if (s[1] === 1 || this.better(v, s[0])) s[0] = v;
    } else if (s[1] === 0) s[0] = null;
    else if (multiset.copiesAfter === 0 && compareValues(v, s[0]) === 0) {
      // The last copy of the extreme left: the next one is the first entry of the group's multiset.
      s[0] = multiset.extreme(group, this.isMax);
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
