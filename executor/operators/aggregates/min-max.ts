// MIN / MAX: the extreme of a per-group multiset of values (inline while small, else SortedState), so retracting the current extreme finds the next one.

import { compareValues } from '../../../common/compare.js';
import type { DataType } from '../../../common/data-type.js';
import { internalError } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { AggCall } from '../../../planner/logical/aggregate.js';
import type { SortedState } from '../../state/state-api.js';
import { ACC_OFFSET, type Accumulator, type AccumulatorContext, type GroupRecord } from './accumulator.js';
import { resultConverter } from './result-type.js';

// Slot: [extreme: Value | null, nonNullCount, inline values | null, inline copies | null].
// The multiset of a group's values lives in the group record itself while it
// has at most INLINE_VALUES distinct values (sorted arrays: no state lookup
// beyond the record the operator already holds), and in sorted state "minmax",
// key [group, multiset id, value] -> copies, once it has more; it comes back
// inline when the group shrinks to INLINE_VALUES / 2 copies.
// One multiset per (argument, FILTER, DISTINCT): MIN(x) and MAX(x) share x's,
// kept in the slot of the first of them (the owner), which updates it.
// Append-only input needs no multiset: the extreme can only improve.

/** Distinct values kept inline in the record before spilling to sorted state. */
export const INLINE_VALUES = 8;

type OwnerSlot = [Value, number, Value[] | null, number[] | null];

/** The multiset of one argument, shared by the MIN/MAX calls over it. */
class ValueMultiset {
  /** After an update: the updated value's copies, and whether the update applied. */
  copiesAfter = 0;
  applied = false;

  constructor(readonly values: SortedState<number>, readonly id: number, readonly ownerSlot: number) {}

  update(record: GroupRecord, group: string, v: Value, weight: 1 | -1): void {
    const s = record[this.ownerSlot] as OwnerSlot;
    const inline = s[2];
    const copies = s[3];
    if (inline === null || copies === null) {
      this.updateSpilled(s, group, v, weight);
      return;
    }
    // Binary search for v in the sorted inline values.
    let lo = 0;
    let hi = inline.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareValues(inline[mid] as Value, v) < 0) lo = mid + 1;
      else hi = mid;
    }
    const found = lo < inline.length && compareValues(inline[lo] as Value, v) === 0;
    if (!found) {
      if (weight < 0) {
        // Retracting a value the group never had (inconsistent input): ignored.
        this.applied = false;
        return;
      }
      inline.splice(lo, 0, v);
      copies.splice(lo, 0, 1);
      this.copiesAfter = 1;
      this.applied = true;
      if (inline.length > INLINE_VALUES) this.spill(s, group);
      return;
    }
    const after = (copies[lo] as number) + weight;
    if (after === 0) {
      inline.splice(lo, 1);
      copies.splice(lo, 1);
    } else copies[lo] = after;
    this.copiesAfter = after;
    this.applied = true;
  }

  /** The smallest (or largest) value of the group, or null when it has none. */
  extreme(record: GroupRecord, group: string, max: boolean): Value {
    const inline = (record[this.ownerSlot] as OwnerSlot)[2];
    if (inline !== null) return inline.length === 0 ? null : (inline[max ? inline.length - 1 : 0] as Value);
    const next = this.values.scan([group, this.id], { reverse: max }).next();
    return next.done ? null : (next.value[0][2] as Value);
  }

  private updateSpilled(s: OwnerSlot, group: string, v: Value, weight: 1 | -1): void {
    const key = [group, this.id, v];
    const copies = this.values.get(key) ?? 0;
    if (weight < 0 && copies === 0) {
      this.applied = false;
      return;
    }
    const after = copies + weight;
    if (after === 0) this.values.delete(key);
    else this.values.put(key, after);
    this.copiesAfter = after;
    this.applied = true;
    // The owner's count is updated after this call: s[1] + weight is the group's new count.
    if (s[1] + weight <= INLINE_VALUES / 2) this.unspill(s, group);
  }

  private spill(s: OwnerSlot, group: string): void {
    const inline = s[2] as Value[];
    const copies = s[3] as number[];
    for (let i = 0; i < inline.length; i++) this.values.put([group, this.id, inline[i] as Value], copies[i] as number);
    s[2] = null;
    s[3] = null;
  }

  private unspill(s: OwnerSlot, group: string): void {
    const inline: Value[] = [];
    const copies: number[] = [];
    for (const [k, n] of this.values.scan([group, this.id])) {
      inline.push(k[2] as Value);
      copies.push(n);
    }
    this.values.deletePrefix([group, this.id]);
    s[2] = inline;
    s[3] = copies;
  }
}

export class MinMaxAccumulator implements Accumulator {
  private readonly multiset: ValueMultiset | undefined;
  /** Whether this call keeps and updates the multiset (the first call sharing it). */
  private readonly owner: boolean;
  private readonly arg: number;
  private readonly convert: (v: Value) => Value;

  constructor(call: AggCall, private readonly isMax: boolean, type: DataType, context: AccumulatorContext) {
    this.arg = call.args[0] as number;
    this.convert = resultConverter(type);
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
      this.multiset = new ValueMultiset(context.state.sorted<number>('minmax'), context.index, ACC_OFFSET + context.index);
      context.shared.set(signature, this.multiset);
      this.owner = true;
    }
  }

  create(): unknown {
    return this.owner ? [null, 0, [], []] : [null, 0];
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
    if (this.owner) multiset.update(record, group, v, weight);
    if (!multiset.applied) return;
    s[1] += weight;
    if (weight > 0) {
      if (s[1] === 1 || this.better(v, s[0])) s[0] = v;
    } else if (s[1] === 0) s[0] = null;
    else if (multiset.copiesAfter === 0 && compareValues(v, s[0]) === 0) {
      // The last copy of the extreme left: the next one is the multiset's first (or last).
      s[0] = multiset.extreme(record, group, this.isMax);
    }
  }

  result(record: GroupRecord, slot: number): Value {
    const s = record[slot] as [Value, number];
    return s[1] === 0 ? null : this.convert(s[0]);
  }

  /** Append-only slots only (the extreme and the count): slices of a window never retract. */
  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    if (this.multiset !== undefined) throw internalError('MIN/MAX with retraction cannot merge groups');
    const a = into[slot] as [Value, number];
    const b = from[slot] as [Value, number];
    if (b[1] === 0) return;
    if (a[1] === 0 || this.better(b[0], a[0])) a[0] = b[0];
    a[1] += b[1];
  }

  release(group: string): void {
    if (this.owner && this.multiset !== undefined) this.multiset.values.deletePrefix([group, this.multiset.id]);
  }

  private better(v: Value, current: Value): boolean {
    const c = compareValues(v, current);
    return this.isMax ? c > 0 : c < 0;
  }
}
