// The state API: the only way an operator keeps data between batches.
//
// State is named per operator and addressed by key. Keys are arrays of values
// (a group key, a join key, [partition..., order...]); values are plain data
// (numbers, strings, booleans, null, arrays, plain objects, Decimal, Uint8Array)
// so that any backend can persist them. A backend may cache and write back:
// an operator must `put` a value again after changing it in place.

import type { Value } from '../../common/value.js';

export type StateKey = readonly Value[];

/** One value per key. */
export interface ValueState<V> {
  get(key: StateKey): V | undefined;
  put(key: StateKey, value: V): void;
  delete(key: StateKey): void;
}

/** Per key, a map from a user key to a value (join sides: join key -> row -> count). */
export interface MapState<V> {
  get(key: StateKey, userKey: StateKey): V | undefined;
  put(key: StateKey, userKey: StateKey, value: V): void;
  delete(key: StateKey, userKey: StateKey): void;
  /** Entries of one key, in no particular order. Do not modify the key's entries while iterating. */
  entries(key: StateKey): IterableIterator<[StateKey, V]>;
  /** Number of user keys under `key`. */
  size(key: StateKey): number;
  clear(key: StateKey): void;
}

/**
 * Entries ordered by key (compareValues over the key parts, element-wise;
 * a shorter key that is a prefix of a longer one sorts first).
 * Used for MIN/MAX with retraction, TopN, and time-ordered buffers.
 */
export interface SortedState<V> {
  get(key: StateKey): V | undefined;
  put(key: StateKey, value: V): void;
  delete(key: StateKey): void;
  /** Entries whose key starts with `prefix`, ascending (or descending with `reverse`). */
  scan(prefix: StateKey, options?: { readonly reverse?: boolean }): IterableIterator<[StateKey, V]>;
  /** Entries with `from <= key < to` (either bound may be omitted), ascending. */
  range(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]>;
  /** Removes every entry whose key starts with `prefix`. */
  deletePrefix(prefix: StateKey): void;
}

export interface StateStats {
  /** Number of live entries across the operator's states. */
  readonly keys: number;
  /** Approximate bytes held. */
  readonly bytes: number;
}

/** The states of one operator instance. Names are unique within the operator. */
export interface OperatorState {
  value<V>(name: string): ValueState<V>;
  map<V>(name: string): MapState<V>;
  sorted<V>(name: string): SortedState<V>;
  stats(): StateStats;
}

/** Where operator state lives (in memory now; LMDB behind the same interface). */
export interface StateBackend {
  /** The states of an operator, by an id unique across jobs (e.g. `job7/op3`). */
  forOperator(operatorId: string): OperatorState;
  /** Drops every state of an operator (when its job is dropped). */
  dropOperator(operatorId: string): void;
}
