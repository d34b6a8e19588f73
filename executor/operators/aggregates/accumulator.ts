// The accumulator interface of GroupAggregate: one aggregate call's fold over a group's rows, with retraction.

import type { Row, Value } from '../../../common/value.js';
import type { OperatorState } from '../../state/state-api.js';

/**
 * A group's state, kept as one plain array in ValueState:
 * `[rowCount, keyValues, groupingSetIndex, acc0, acc1, ...]`. Accumulators own
 * their slot (`ACC_OFFSET + call index`) and mutate it in place; the operator
 * puts the record back once per batch.
 */
export type GroupRecord = unknown[];

export const ROW_COUNT = 0;
export const KEY_VALUES = 1;
export const GROUPING_SET = 2;
export const ACC_OFFSET = 3;

export interface AccumulatorContext {
  readonly state: OperatorState;
  /** The call's position among the operator's calls: part of the state keys it writes. */
  readonly index: number;
  /** The input never retracts: accumulators may keep only what additions need. */
  readonly appendOnly: boolean;
  /** The next arrival sequence number (for aggregates ordered by arrival). */
  readonly nextSequence: () => number;
  /**
   * Structures calls of one operator share, by a key their family chooses
   * (MIN(x) and MAX(x) share x's multiset). Calls are updated in call order,
   * so the first call of a shared structure updates it for the others.
   */
  readonly shared: Map<string, object>;
}

export interface Accumulator {
  /** The slot's value for a group without rows. Plain data. */
  create(): unknown;
  /**
   * Folds `row` in (weight 1) or out (weight -1). `group` is the group's key
   * string, the prefix of any per-group state the accumulator keeps.
   * The operator applies FILTER and DISTINCT before calling this.
   */
  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1, group: string): void;
  /** The current result, of the call's type. May refresh a cache in the slot. */
  result(record: GroupRecord, slot: number, group: string): Value;
  /**
   * Folds the slot of `from` into the slot of `into`, both built from additions only
   * (the slices of one window, combined when the window closes); `from` is left as it
   * was. Absent where slots cannot be combined.
   */
  merge?(into: GroupRecord, from: GroupRecord, slot: number): void;
  /** Drops what the accumulator keeps for `group` outside the record: the group is gone for good. */
  release?(group: string): void;
}
