// OrderedBag: a per-group multiset of values in ORDER BY order (else arrival order), with retraction; backs LISTAGG and FIRST/LAST_VALUE.

import { projectedKey, rowKey } from '../../../common/key.js';
import type { Row, Value } from '../../../common/value.js';
import type { SortKey } from '../../../planner/logical/sort.js';
import type { MapState, OperatorState, SortedState } from '../../state/state-api.js';
import { appendOrderKey } from '../order-key.js';

// Entries: sorted state "bag", key [group, callIndex, ...orderKey, seq] -> payload.
// The arrival sequence number makes every copy its own entry and orders ties
// by arrival. A retraction names a row, not a sequence number, so an index
// "bag_index" maps [group, callIndex] / [payload + order values] -> the
// sequence numbers of its copies, ascending.

export class OrderedBag {
  private readonly entries: SortedState<Value>;
  private readonly copies: MapState<number[]>;
  private readonly orderIndexes: number[];

  constructor(
    state: OperatorState,
    private readonly callIndex: number,
    private readonly orderBy: readonly SortKey[],
    private readonly nextSequence: () => number,
  ) {
    this.entries = state.sorted<Value>('bag');
    this.copies = state.map<number[]>('bag_index');
    this.orderIndexes = orderBy.map((k) => k.index);
  }

  /** Adds one copy of `payload` (taken from `row`, which also gives the order key). */
  add(group: string, row: Row, payload: Value): void {
    const seq = this.nextSequence();
    const key: Value[] = [group, this.callIndex];
    appendOrderKey(row, this.orderBy, key);
    key.push(seq);
    this.entries.put(key, payload);
    const id = this.identity(row, payload);
    const prefix = [group, this.callIndex];
    const seqs = this.copies.get(prefix, id) ?? [];
    seqs.push(seq);
    this.copies.put(prefix, id, seqs);
  }

  /**
   * Removes one copy of `payload` with `row`'s order key: the latest copy or
   * the earliest, whichever keeps the caller's result stable. Returns false
   * when there is none.
   */
  remove(group: string, row: Row, payload: Value, prefer: 'earliest' | 'latest'): boolean {
    const id = this.identity(row, payload);
    const prefix = [group, this.callIndex];
    const seqs = this.copies.get(prefix, id);
    if (seqs === undefined || seqs.length === 0) return false;
    const seq = prefer === 'latest' ? (seqs.pop() as number) : (seqs.shift() as number);
    if (seqs.length === 0) this.copies.delete(prefix, id);
    else this.copies.put(prefix, id, seqs);
    const key: Value[] = [group, this.callIndex];
    appendOrderKey(row, this.orderBy, key);
    key.push(seq);
    this.entries.delete(key);
    return true;
  }

  first(group: string): Value | undefined {
    const e = this.entries.scan([group, this.callIndex]).next();
    return e.done ? undefined : e.value[1];
  }

  last(group: string): Value | undefined {
    const e = this.entries.scan([group, this.callIndex], { reverse: true }).next();
    return e.done ? undefined : e.value[1];
  }

  /** The payloads in order. */
  *values(group: string): IterableIterator<Value> {
    for (const [, v] of this.entries.scan([group, this.callIndex])) yield v;
  }

  /** Drops every entry of `group`. */
  clear(group: string): void {
    this.entries.deletePrefix([group, this.callIndex]);
    this.copies.clear([group, this.callIndex]);
  }

  private identity(row: Row, payload: Value): [string] {
    return [rowKey([payload]) + projectedKey(row, this.orderIndexes)];
  }
}
