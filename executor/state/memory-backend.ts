// MemoryStateBackend: operator state in process memory (hash maps for value and map state, a B+tree for sorted state).

import { internalError } from '../../common/errors.js';
import { Decimal } from '../../common/decimal.js';
import { compareValues } from '../../common/compare.js';
import { rowKey, valueKey } from '../../common/key.js';
import type { Value } from '../../common/value.js';
import { BPlusTree } from './bplus-tree.js';
import type { MapState, OperatorState, SortedState, StateBackend, StateKey, StateStats, ValueState } from './state-api.js';

export interface MemoryStateBackendOptions {
  /**
   * Copy values on every put and get, as a backend that serializes does. An
   * operator that changes a value in place and forgets to `put` it then loses
   * the change here too, so tests catch it before the LMDB backend does. It
   * also rejects values that are not plain data. Costly: for tests.
   */
  readonly copyValues?: boolean;
}

/**
 * State in memory. The states of an operator survive `forOperator` being
 * called again with the same id (a restarted operator sees its state), until
 * `dropOperator`.
 *
 * @example
 *   const backend = new MemoryStateBackend();
 *   const counts = backend.forOperator('job1/op2').value<number>('count');
 *   counts.put(['a'], 1);
 */
export class MemoryStateBackend implements StateBackend {
  private readonly operators = new Map<string, MemoryOperatorState>();

  constructor(private readonly options: MemoryStateBackendOptions = {}) {}

  forOperator(operatorId: string): OperatorState {
    let s = this.operators.get(operatorId);
    if (!s) {
      s = new MemoryOperatorState(this.options.copyValues === true);
      this.operators.set(operatorId, s);
    }
    return s;
  }

  dropOperator(operatorId: string): void {
    this.operators.delete(operatorId);
  }

  /** Ids of the operators holding state, for tests and diagnostics. */
  operatorIds(): string[] {
    return [...this.operators.keys()];
  }
}

type AnyState = MemoryValueState<unknown> | MemoryMapState<unknown> | MemorySortedState<unknown>;

class MemoryOperatorState implements OperatorState {
  private readonly states = new Map<string, AnyState>();

  constructor(private readonly copy: boolean) {}

  value<V>(name: string): ValueState<V> {
    const s = this.states.get(name);
    if (s === undefined) {
      const created = new MemoryValueState<V>(this.copy);
      this.states.set(name, created as MemoryValueState<unknown>);
      return created;
    }
    if (!(s instanceof MemoryValueState)) throw internalError(`state "${name}" is not a value state`);
    return s as MemoryValueState<V>;
  }

  map<V>(name: string): MapState<V> {
    const s = this.states.get(name);
    if (s === undefined) {
      const created = new MemoryMapState<V>(this.copy);
      this.states.set(name, created as MemoryMapState<unknown>);
      return created;
    }
    if (!(s instanceof MemoryMapState)) throw internalError(`state "${name}" is not a map state`);
    return s as MemoryMapState<V>;
  }

  sorted<V>(name: string): SortedState<V> {
    const s = this.states.get(name);
    if (s === undefined) {
      const created = new MemorySortedState<V>(this.copy);
      this.states.set(name, created as MemorySortedState<unknown>);
      return created;
    }
    if (!(s instanceof MemorySortedState)) throw internalError(`state "${name}" is not a sorted state`);
    return s as MemorySortedState<V>;
  }

  stats(): StateStats {
    let keys = 0;
    let bytes = 0;
    for (const s of this.states.values()) {
      keys += s.keyCount();
      bytes += s.approximateBytes();
    }
    return { keys, bytes };
  }
}

class MemoryValueState<V> implements ValueState<V> {
  private readonly data = new Map<string, V>();

  constructor(private readonly copy: boolean) {}

  get(key: StateKey): V | undefined {
    const v = this.data.get(rowKey(key));
    return v === undefined || !this.copy ? v : copyPlain(v);
  }

  put(key: StateKey, value: V): void {
    this.data.set(rowKey(key), this.copy ? copyPlain(value) : value);
  }

  delete(key: StateKey): void {
    this.data.delete(rowKey(key));
  }

  keyCount(): number {
    return this.data.size;
  }

  approximateBytes(): number {
    const total = this.data.size;
    if (total === 0) return 0;
    const stride = Math.max(1, Math.floor(total / SAMPLE));
    let n = 0;
    let bytes = 0;
    let i = 0;
    for (const [k, v] of this.data) {
      if (i++ % stride !== 0) continue;
      bytes += ENTRY_OVERHEAD + plainBytes(k) + plainBytes(v);
      if (++n >= SAMPLE) break;
    }
    return Math.round((bytes / n) * total);
  }
}

class MemoryMapState<V> implements MapState<V> {
  private readonly data = new Map<string, Map<string, [StateKey, V]>>();
  private entryCount = 0;

  constructor(private readonly copy: boolean) {}

  get(key: StateKey, userKey: StateKey): V | undefined {
    const m = this.data.get(rowKey(key));
    if (m === undefined) return undefined;
    const e = m.get(rowKey(userKey));
    if (e === undefined) return undefined;
    return this.copy ? copyPlain(e[1]) : e[1];
  }

  put(key: StateKey, userKey: StateKey, value: V): void {
    const h = rowKey(key);
    let m = this.data.get(h);
    if (m === undefined) {
      m = new Map();
      this.data.set(h, m);
    }
    const uh = rowKey(userKey);
    const v = this.copy ? copyPlain(value) : value;
    const e = m.get(uh);
    if (e === undefined) {
      m.set(uh, [this.copy ? copyPlain(userKey) : userKey, v]);
      this.entryCount++;
    } else e[1] = v;
  }

  delete(key: StateKey, userKey: StateKey): void {
    const h = rowKey(key);
    const m = this.data.get(h);
    if (m === undefined) return;
    if (m.delete(rowKey(userKey))) {
      this.entryCount--;
      if (m.size === 0) this.data.delete(h);
    }
  }

  *entries(key: StateKey): IterableIterator<[StateKey, V]> {
    const m = this.data.get(rowKey(key));
    if (m === undefined) return;
    if (!this.copy) {
      yield* m.values();
      return;
    }
    // A serializing backend hands out fresh copies, and iterates a snapshot.
    for (const [k, v] of [...m.values()]) yield [k.slice(), copyPlain(v)];
  }

  size(key: StateKey): number {
    return this.data.get(rowKey(key))?.size ?? 0;
  }

  clear(key: StateKey): void {
    const h = rowKey(key);
    const m = this.data.get(h);
    if (m === undefined) return;
    this.entryCount -= m.size;
    this.data.delete(h);
  }

  keyCount(): number {
    return this.entryCount;
  }

  approximateBytes(): number {
    let bytes = 0;
    let sampledEntries = 0;
    let sampledBytes = 0;
    const stride = Math.max(1, Math.floor(this.data.size / SAMPLE));
    let i = 0;
    for (const m of this.data.values()) {
      bytes += ENTRY_OVERHEAD;
      if (i++ % stride !== 0) continue;
      for (const e of m.values()) {
        sampledEntries++;
        sampledBytes += ENTRY_OVERHEAD + plainBytes(e[0]) + plainBytes(e[1] as unknown);
        if (sampledEntries >= SAMPLE) break;
      }
      if (sampledEntries >= SAMPLE) break;
    }
    return bytes + (sampledEntries === 0 ? 0 : Math.round((sampledBytes / sampledEntries) * this.entryCount));
  }
}

/**
 * Sorted state, partitioned by the first key part: a hash map from the first
 * part to a B+tree of that partition's keys, plus an ordered index of the
 * first parts. Nearly every use is partitioned that way (a group, a
 * partition, a dedup key, then an order), so an update costs one hash lookup
 * and a search of a small tree instead of a search of one tree of everything.
 */
class MemorySortedState<V> implements SortedState<V> {
  /** Partitions by first part: strings, numbers, booleans and NULL as themselves. */
  private readonly byPrimitive = new Map<Value, BPlusTree<V>>();
  /** Partitions by first part: other values (DECIMAL, bytes, arrays) by their canonical key string. */
  private readonly byObject = new Map<string, BPlusTree<V>>();
  /** The partitions in key order: [first part] -> its tree. */
  private readonly order = new BPlusTree<BPlusTree<V>>();
  /** The value of the empty key [], which sorts before every other key. */
  private empty: V | undefined = undefined;
  private count = 0;

  constructor(private readonly copy: boolean) {}

  get(key: StateKey): V | undefined {
    const v = key.length === 0 ? this.empty : this.partition(key[0] as Value)?.get(key);
    return v === undefined || !this.copy ? v : copyPlain(v);
  }

  put(key: StateKey, value: V): void {
    const v = this.copy ? copyPlain(value) : value;
    if (key.length === 0) {
      if (this.empty === undefined) this.count++;
      this.empty = v;
      return;
    }
    const first = key[0] as Value;
    let tree = this.partition(first);
    if (tree === undefined) {
      tree = new BPlusTree<V>(1);
      if (isPrimitive(first)) this.byPrimitive.set(first, tree);
      else this.byObject.set(valueKey(first), tree);
      this.order.set([first], tree);
    }
    const before = tree.size;
    tree.set(this.copy ? copyPlain(key) : key, v);
    this.count += tree.size - before;
  }

  delete(key: StateKey): void {
    if (key.length === 0) {
      if (this.empty !== undefined) this.count--;
      this.empty = undefined;
      return;
    }
    const first = key[0] as Value;
    const tree = this.partition(first);
    if (tree === undefined || !tree.delete(key)) return;
    this.count--;
    if (tree.size === 0) this.dropPartition(first);
  }

  scan(prefix: StateKey, options?: { readonly reverse?: boolean }): IterableIterator<[StateKey, V]> {
    const reverse = options?.reverse === true;
    let it: IterableIterator<[StateKey, V]>;
    if (prefix.length === 0) it = this.all(reverse);
    else {
      const tree = this.partition(prefix[0] as Value);
      it = tree === undefined ? noEntries<V>() : tree.scan(prefix, reverse);
    }
    return this.copy ? copiedSnapshot(it) : it;
  }

  range(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]> {
    const it = this.rangeOf(from !== undefined && from.length === 0 ? undefined : from, to);
    return this.copy ? copiedSnapshot(it) : it;
  }

  deletePrefix(prefix: StateKey): void {
    if (prefix.length === 0) {
      this.byPrimitive.clear();
      this.byObject.clear();
      this.order.clear();
      this.empty = undefined;
      this.count = 0;
      return;
    }
    const first = prefix[0] as Value;
    const tree = this.partition(first);
    if (tree === undefined) return;
    const keys: StateKey[] = [];
    for (const [k] of tree.scan(prefix)) keys.push(k);
    for (const k of keys) tree.delete(k);
    this.count -= keys.length;
    if (tree.size === 0) this.dropPartition(first);
  }

  keyCount(): number {
    return this.count;
  }

  approximateBytes(): number {
    return sampledBytes(this.count, this.all(false));
  }

  /** For tests: every partition tree's structural invariants hold, and the counts agree. */
  checkInvariants(): void {
    this.order.checkInvariants();
    let n = this.empty === undefined ? 0 : 1;
    for (const [, tree] of this.order.entries()) {
      tree.checkInvariants();
      if (tree.size === 0) throw new Error('empty partition kept');
      n += tree.size;
    }
    if (n !== this.count) throw new Error(`count ${this.count} but ${n} entries`);
  }

  private partition(first: Value): BPlusTree<V> | undefined {
    return isPrimitive(first) ? this.byPrimitive.get(first) : this.byObject.get(valueKey(first));
  }

  private dropPartition(first: Value): void {
    if (isPrimitive(first)) this.byPrimitive.delete(first);
    else this.byObject.delete(valueKey(first));
    this.order.delete([first]);
  }

  private *all(reverse: boolean): IterableIterator<[StateKey, V]> {
    if (!reverse && this.empty !== undefined) yield [[], this.empty];
    const parts = reverse ? this.order.scan([], true) : this.order.entries();
    for (const [, tree] of parts) yield* tree.scan([], reverse);
    if (reverse && this.empty !== undefined) yield [[], this.empty];
  }

  private *rangeOf(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]> {
    if (to !== undefined && to.length === 0) return;
    if (from === undefined && this.empty !== undefined) yield [[], this.empty];
    const parts = from === undefined ? this.order.entries() : this.order.range([from[0] as Value], undefined);
    for (const [[first], tree] of parts) {
      // Bounds apply inside a partition only where their first part is that partition's.
      const lastPart = to !== undefined ? compareValues(first as Value, to[0] as Value) : -1;
      if (lastPart > 0) return;
      const lo = from !== undefined && compareValues(first as Value, from[0] as Value) === 0 ? from : undefined;
      const hi = lastPart === 0 ? to : undefined;
      yield* tree.range(lo, hi);
      if (lastPart === 0) return;
    }
  }
}

function isPrimitive(v: Value): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

function* noEntries<V>(): IterableIterator<[StateKey, V]> {}

function* copiedSnapshot<V>(it: IterableIterator<[StateKey, V]>): IterableIterator<[StateKey, V]> {
  const all = [...it];
  for (const [k, v] of all) yield [copyPlain(k), copyPlain(v)];
}

// Per-entry overhead of a hash map slot or tree slot plus the entry tuple, roughly as V8 lays them out.
const ENTRY_OVERHEAD = 48;
// Byte sizes are estimated from at most this many entries, spread over the state.
const SAMPLE = 512;

function sampledBytes(total: number, entries: IterableIterator<[StateKey, unknown]>): number {
  if (total === 0) return 0;
  const stride = Math.max(1, Math.floor(total / SAMPLE));
  let n = 0;
  let bytes = 0;
  let i = 0;
  for (const e of entries) {
    if (i++ % stride !== 0) continue;
    bytes += ENTRY_OVERHEAD + plainBytes(e[0]) + plainBytes(e[1]);
    if (++n >= SAMPLE) break;
  }
  return Math.round((bytes / n) * total);
}

/** Rough heap bytes of plain data: 8 per number, 2 per string character, headers for objects. */
function plainBytes(v: unknown, depth = 0): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 8;
  if (typeof v === 'number') return 8;
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (typeof v === 'bigint') return 24;
  if (depth > 8) return 16;
  if (v instanceof Decimal) return 48;
  if (v instanceof Uint8Array) return 64 + v.byteLength;
  if (Array.isArray(v)) {
    let n = 16 + 8 * v.length;
    for (const x of v) n += plainBytes(x, depth + 1);
    return n;
  }
  if (v instanceof Map) {
    let n = 64;
    for (const [k, x] of v) n += 32 + plainBytes(k, depth + 1) + plainBytes(x, depth + 1);
    return n;
  }
  if (typeof v === 'object') {
    let n = 32;
    for (const x of Object.values(v)) n += 8 + plainBytes(x, depth + 1);
    return n;
  }
  return 16;
}

/**
 * A deep copy of plain data (what survives a serializing backend); throws on
 * anything else, so operators cannot come to depend on keeping class instances
 * or functions in state.
 */
export function copyPlain<T>(v: T): T {
  return copyAny(v) as T;
}

function copyAny(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol') throw internalError(`state value is not plain data: ${typeof v}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(copyAny);
  if (v instanceof Decimal) return new Decimal(v.unscaled, v.scale);
  if (v instanceof Uint8Array) return v.slice();
  if (v instanceof Map) {
    const m = new Map<Value, Value>();
    for (const [k, x] of v) m.set(copyAny(k) as Value, copyAny(x) as Value);
    return m;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw internalError('state value is not plain data: a class instance');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = copyAny(x);
  return out;
}
