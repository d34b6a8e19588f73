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

/**
 * A hash map keyed by state keys. A key that is a single string (what an
 * operator passes when it has already made the row's key string) is looked up
 * by that string itself: no new string is built, and the string's hash,
 * cached by the engine, is computed once. Other keys go through rowKey. The
 * two kinds live in separate maps, so they cannot collide.
 */
class KeyedMap<T> {
  // Most keys of a join side or a dedup hold one entry: that one is kept
  // inline, and a Map is only made for the second (a Map per key is most of
  // the memory and time otherwise).
  private oneKey: string | undefined = undefined;
  private oneValue: T | undefined = undefined;
  private byString: Map<string, T> | null = null;
  private byRowKey: Map<string, T> | null = null;

  get size(): number {
    const strings = this.byString !== null ? this.byString.size : this.oneKey !== undefined ? 1 : 0;
    return strings + (this.byRowKey?.size ?? 0);
  }

  get(key: StateKey): T | undefined {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') {
        if (this.byString !== null) return this.byString.get(k);
        return k === this.oneKey ? this.oneValue : undefined;
      }
    }
    return this.byRowKey?.get(rowKey(key));
  }

  set(key: StateKey, value: T): void {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') {
        if (this.byString !== null) this.byString.set(k, value);
        else if (this.oneKey === undefined || this.oneKey === k) {
          this.oneKey = k;
          this.oneValue = value;
        } else {
          this.byString = new Map([[this.oneKey, this.oneValue as T], [k, value]]);
          this.oneKey = undefined;
          this.oneValue = undefined;
        }
        return;
      }
    }
    (this.byRowKey ??= new Map()).set(rowKey(key), value);
  }

  delete(key: StateKey): boolean {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') {
        if (this.byString !== null) return this.byString.delete(k);
        if (k !== this.oneKey) return false;
        this.oneKey = undefined;
        this.oneValue = undefined;
        return true;
      }
    }
    return this.byRowKey?.delete(rowKey(key)) ?? false;
  }

  *values(): IterableIterator<T> {
    if (this.byString !== null) yield* this.byString.values();
    else if (this.oneKey !== undefined) yield this.oneValue as T;
    if (this.byRowKey !== null) yield* this.byRowKey.values();
  }

  /** The values as one iterator, without a generator in the common cases. */
  valuesFast(): IterableIterator<T> {
    if (this.byRowKey === null) {
      if (this.byString !== null) return this.byString.values();
      return this.oneKey !== undefined ? [this.oneValue as T].values() : emptyIterator<T>();
    }
    if (this.byString === null && this.oneKey === undefined) return this.byRowKey.values();
    return this.values();
  }
}

function emptyIterator<T>(): IterableIterator<T> {
  return ([] as T[]).values();
}

class MemoryValueState<V> implements ValueState<V> {
  private readonly data = new KeyedMap<V>();

  constructor(private readonly copy: boolean) {}

  get(key: StateKey): V | undefined {
    const v = this.data.get(key);
    return v === undefined || !this.copy ? v : copyPlain(v);
  }

  put(key: StateKey, value: V): void {
    this.data.set(key, this.copy ? copyPlain(value) : value);
  }

  delete(key: StateKey): void {
    this.data.delete(key);
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
    for (const v of this.data.values()) {
      if (i++ % stride !== 0) continue;
      // The key is not at hand here; count a typical short key.
      bytes += ENTRY_OVERHEAD + 32 + plainBytes(v);
      if (++n >= SAMPLE) break;
    }
    return Math.round((bytes / n) * total);
  }
}

class MemoryMapState<V> implements MapState<V> {
  private readonly data = new KeyedMap<KeyedMap<[StateKey, V]>>();
  private entryCount = 0;
  // The last key looked up and its entries: operators tend to get, iterate and
  // put under one key object in a row (a join key), so it is found once.
  // Keys are readonly, so the same array object means the same key.
  private lastKey: StateKey | null = null;
  private lastEntries: KeyedMap<[StateKey, V]> | undefined = undefined;

  constructor(private readonly copy: boolean) {}

  get(key: StateKey, userKey: StateKey): V | undefined {
    const e = this.entriesOf(key)?.get(userKey);
    if (e === undefined) return undefined;
    return this.copy ? copyPlain(e[1]) : e[1];
  }

  put(key: StateKey, userKey: StateKey, value: V): void {
    let m = this.entriesOf(key);
    if (m === undefined) {
      m = new KeyedMap();
      this.data.set(this.copy ? copyPlain(key) : key, m);
      this.lastEntries = m;
    }
    const v = this.copy ? copyPlain(value) : value;
    const e = m.get(userKey);
    if (e === undefined) {
      m.set(userKey, [this.copy ? copyPlain(userKey) : userKey, v]);
      this.entryCount++;
    } else e[1] = v;
  }

  delete(key: StateKey, userKey: StateKey): void {
    const m = this.entriesOf(key);
    if (m === undefined) return;
    if (m.delete(userKey)) {
      this.entryCount--;
      if (m.size === 0) {
        this.data.delete(key);
        this.lastKey = null;
      }
    }
  }

  entries(key: StateKey): IterableIterator<[StateKey, V]> {
    const m = this.entriesOf(key);
    if (m === undefined) return emptyIterator();
    if (!this.copy) return m.valuesFast();
    // A serializing backend hands out fresh copies, and iterates a snapshot.
    return [...m.values()].map(([k, v]): [StateKey, V] => [copyPlain(k), copyPlain(v)]).values();
  }

  size(key: StateKey): number {
    return this.entriesOf(key)?.size ?? 0;
  }

  clear(key: StateKey): void {
    const m = this.entriesOf(key);
    this.lastKey = null;
    if (m === undefined) return;
    this.entryCount -= m.size;
    this.data.delete(key);
  }

  private entriesOf(key: StateKey): KeyedMap<[StateKey, V]> | undefined {
    if (key === this.lastKey) return this.lastEntries;
    const m = this.data.get(key);
    this.lastKey = key;
    this.lastEntries = m;
    return m;
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

/** The entries of sorted state that share a first key part. */
class Partition<V> extends BPlusTree<V> {
  constructor(readonly first: Value) {
    super(1);
  }
}

/**
 * Sorted state, partitioned by the first key part: a hash map from the first
 * part to a B+tree of that partition's keys. Nearly every use is partitioned
 * that way (a group, a partition, a dedup key, then an order), so an update
 * costs one hash lookup and a search of a small tree instead of a search of
 * one tree of everything. The order of the partitions themselves is only
 * needed by scans across partitions (an empty prefix, or a range): it is
 * sorted when such a scan asks for it and forgotten when partitions come or go.
 */
class MemorySortedState<V> implements SortedState<V> {
  /** Partitions by first part: strings, numbers, booleans and NULL as themselves. */
  private readonly byPrimitive = new Map<Value, Partition<V>>();
  /** Partitions by first part: other values (DECIMAL, bytes, arrays) by their canonical key string. */
  private readonly byObject = new Map<string, Partition<V>>();
  /** The partitions in key order, while no partition has come or gone. */
  private ordered: Partition<V>[] | null = null;
  /** The value of the empty key [], which sorts before every other key. */
  private empty: V | undefined = undefined;
  private count = 0;
  // A partition that empties stays in the maps for a while, because the
  // commonest pattern is a group's value being retracted and replaced
  // (MIN/MAX under updates): dropping and re-creating it each time would be
  // most of the cost. Empty partitions are swept out together once they
  // outnumber the others, so they never hold more than half the partitions.
  private emptyPartitions = 0;
  // The last partition looked up, by a primitive first part: an operator reads
  // and writes one group's entries in a row.
  private lastFirst: Value | undefined = undefined;
  private lastPartition: Partition<V> | undefined = undefined;

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
    let created = false;
    if (tree === undefined) {
      tree = new Partition<V>(first);
      if (isPrimitive(first)) this.byPrimitive.set(first, tree);
      else this.byObject.set(valueKey(first), tree);
      this.ordered = null;
      this.lastFirst = undefined;
      created = true;
    }
    const before = tree.size;
    tree.set(this.copy ? copyPlain(key) : key, v);
    if (tree.size === before) return;
    this.count++;
    if (before === 0 && !created) this.emptyPartitions--;
  }

  delete(key: StateKey): void {
    if (key.length === 0) {
      if (this.empty !== undefined) this.count--;
      this.empty = undefined;
      return;
    }
    const tree = this.partition(key[0] as Value);
    if (tree === undefined || !tree.delete(key)) return;
    this.count--;
    if (tree.size === 0) this.partitionEmptied();
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
      this.ordered = null;
      this.lastFirst = undefined;
      this.emptyPartitions = 0;
      this.empty = undefined;
      this.count = 0;
      return;
    }
    const tree = this.partition(prefix[0] as Value);
    if (tree === undefined || tree.size === 0) return;
    const keys: StateKey[] = [];
    for (const [k] of tree.scan(prefix)) keys.push(k);
    for (const k of keys) tree.delete(k);
    this.count -= keys.length;
    if (tree.size === 0) this.partitionEmptied();
  }

  keyCount(): number {
    return this.count;
  }

  approximateBytes(): number {
    // Unordered on purpose: sorting every partition for an estimate is not worth it.
    const entries = function* (parts: Iterable<Partition<V>>): IterableIterator<[StateKey, V]> {
      for (const p of parts) yield* p.entries();
    };
    return sampledBytes(this.count, entries([...this.byPrimitive.values(), ...this.byObject.values()]));
  }

  /** For tests: every partition tree's structural invariants hold, and the counts agree. */
  checkInvariants(): void {
    let n = this.empty === undefined ? 0 : 1;
    let empties = 0;
    for (const tree of this.partitions()) {
      tree.checkInvariants();
      if (tree.size === 0) empties++;
      n += tree.size;
    }
    if (n !== this.count) throw new Error(`count ${this.count} but ${n} entries`);
    if (empties !== this.emptyPartitions) throw new Error(`${this.emptyPartitions} empty partitions counted but ${empties} kept`);
    if (empties > 1024 && empties * 2 > this.byPrimitive.size + this.byObject.size) throw new Error('empty partitions not swept');
  }

  private partition(first: Value): Partition<V> | undefined {
    if (!isPrimitive(first)) return this.byObject.get(valueKey(first));
    if (first === this.lastFirst && this.lastPartition !== undefined) return this.lastPartition;
    const p = this.byPrimitive.get(first);
    this.lastFirst = first;
    this.lastPartition = p;
    return p;
  }

  private partitionEmptied(): void {
    this.emptyPartitions++;
    const total = this.byPrimitive.size + this.byObject.size;
    if (this.emptyPartitions <= 1024 || this.emptyPartitions * 2 <= total) return;
    for (const [k, p] of this.byPrimitive) if (p.size === 0) this.byPrimitive.delete(k);
    for (const [k, p] of this.byObject) if (p.size === 0) this.byObject.delete(k);
    this.emptyPartitions = 0;
    this.ordered = null;
    this.lastFirst = undefined;
  }

  /** The partitions in order of their first parts. */
  private partitions(): Partition<V>[] {
    if (this.ordered === null) {
      this.ordered = [...this.byPrimitive.values(), ...this.byObject.values()];
      this.ordered.sort((a, b) => compareValues(a.first, b.first));
    }
    return this.ordered;
  }

  private *all(reverse: boolean): IterableIterator<[StateKey, V]> {
    if (!reverse && this.empty !== undefined) yield [[], this.empty];
    const parts = this.partitions();
    if (reverse) for (let i = parts.length - 1; i >= 0; i--) yield* (parts[i] as Partition<V>).scan([], true);
    else for (const p of parts) yield* p.scan([], false);
    if (reverse && this.empty !== undefined) yield [[], this.empty];
  }

  private *rangeOf(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]> {
    if (to !== undefined && to.length === 0) return;
    if (from === undefined && this.empty !== undefined) yield [[], this.empty];
    const parts = this.partitions();
    // The first partition at or after from's first part (binary search).
    let lo = 0;
    if (from !== undefined) {
      let hi = parts.length;
      const f = from[0] as Value;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareValues((parts[mid] as Partition<V>).first, f) < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = lo; i < parts.length; i++) {
      const tree = parts[i] as Partition<V>;
      const first = tree.first;
      // Bounds apply inside a partition only where their first part is that partition's.
      const lastPart = to !== undefined ? compareValues(first, to[0] as Value) : -1;
      if (lastPart > 0) return;
      const lower = from !== undefined && compareValues(first, from[0] as Value) === 0 ? from : undefined;
      yield* tree.range(lower, lastPart === 0 ? to : undefined);
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
