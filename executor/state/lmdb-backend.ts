// LmdbStateBackend: operator state in LMDB behind a write-back cache bounded by a memory limit, checkpointed atomically.
//
// Layout (named databases of the engine's one environment):
//   state   [state id: 4 bytes][encoded key]            -> encoded record
//   log     [checkpoint id: 4 bytes][part: 1 byte]      -> a checkpoint's entries not yet merged into `state`
//   undo    [epoch: 4 bytes][state database key]       -> value it had before the epoch's first spill
//   states  [operator id, state name] (encoded key)    -> { id, kind, count }
//
// The state of the last complete checkpoint is `state` with the logs after the
// last merge replayed over it, oldest first. A checkpoint that changes values in
// place, scattered over a much larger tree, writes a log: every dirty entry,
// encoded into one buffer, stored as one value (a sequential write however
// scattered its keys; writing them into the tree would rewrite nearly every leaf
// each time). One whose entries are mostly keys added or removed writes into the
// tree, as a merge does (see checkpointKind). A logged entry stays pinned in the cache until a merge
// writes it into the tree. The backend marks a logged write superseded when a later log
// (or the checkpoint that replaces the logs) writes its key. Every so often (when the logs
// since the last compaction hold about as many writes as the state has entries) a checkpoint
// replaces the logs, in one transaction with its own entries. While the cache can keep the
// entries they pin, it compacts them: its own log starts with a copy of every write of theirs
// not marked, so it holds the newest write of each key, and the logs are deleted. Otherwise it
// merges them: replays them into `state`, each in about key order, writing only the newest
// write of a key, then writes its dirty entries, and deletes the logs.
//
// Besides, LMDB holds entries spilled since the last checkpoint (when the cache
// outgrew its limit). A spill runs in a transaction that first copies the value
// it overwrites into `undo`, under the epoch (the id of the checkpoint that will
// capture it), so recovery can roll the tree back to exactly what it was at the
// last complete checkpoint: for each key, the undo record of the oldest epoch
// after that checkpoint holds the value it had then. What a spill writes while
// logs wait also goes into the next log, so that replaying the logs cannot put
// an older logged value back over it. Until a checkpoint is durable, the entries
// it wrote stay pinned. Each state's writes are issued in about key order, so
// LMDB touches its leaves in order.
//
// Reads go to the cache, then LMDB (cold keys come back; absent keys are
// cached too). Scans merge LMDB's entries with the cached entries LMDB does
// not show yet (dirty, logged, or written by a transaction not yet committed).

import { createHash } from 'node:crypto';
import type { Database, RootDatabase } from 'lmdb';
import { internalError } from '../../common/errors.js';
import { rowKey } from '../../common/key.js';
import { BPlusTree, compareStateKeys } from './bplus-tree.js';
import { ByteWriter, decodeValue, encodeValue, keyNeedsOriginal, prefixEnd, readKey, writeKey, writeValue } from './state-codec.js';
import type { MapState, OperatorState, SortedState, StateBackend, StateKey, StateStats, ValueState } from './state-api.js';

/** The databases the backend keeps its state in (binary keys and values). */
export interface StateDatabases {
  readonly root: RootDatabase;
  readonly state: Database<Buffer, Buffer>;
  readonly undo: Database<Buffer, Buffer>;
  readonly states: Database<Buffer, Buffer>;
  /** Checkpoint logs not yet merged into `state`: [checkpoint id: 4 bytes][part: 1 byte] -> bytes. */
  readonly log: Database<Buffer, Buffer>;
}

export interface LmdbStateBackendOptions {
  /** Bound on the cache, in bytes (an estimate of what cached entries hold). */
  readonly memoryLimit?: number;
  /**
   * A checkpoint that changes values in place is written as a log (one sequential
   * write) until the entries logged since the last compaction reach `logRatio` times the stored entries (at least
   * `logFloor`), or `maxLogs` logs wait: then it compacts them into one log, or merges them into the tree
   * (see `compact`). 0 logs: every checkpoint writes into the tree.
   */
  readonly maxLogs?: number;
  readonly logRatio?: number;
  readonly logFloor?: number;
  /**
   * When the logs reach their limit and the cache can keep what they pin, compact them into one
   * log (each key's newest write) instead of merging them into the tree (default true).
   */
  readonly compact?: boolean;
  /**
   * A compaction replaces the logs of which at most this share of writes is live (not superseded
   * by a later write of its key), and leaves the others for a later one, when fewer of their writes
   * are live: copying a write that a later write will supersede anyway is work for nothing.
   * When no log qualifies, or `maxLogs` logs wait, it replaces them all. 1: always all (default 0.5).
   */
  readonly compactLive?: number;
  /** Encode entries as they change (see `eager`); the checkpointer sets it while checkpoints run on a timer. */
  readonly eager?: boolean;
}

type StateKind = 'value' | 'map' | 'sorted';

interface StateRecord {
  id: number;
  kind: StateKind;
  count: number;
}

// Stored keys longer than this are hashed: LMDB refuses keys over 1978 bytes.
// Sorted state keeps the first HASHED_PREFIX bytes (so hashed keys stay near
// their place in the order) and puts them in order by their full keys, kept in
// the records, when a scan meets them.
const HASHED_PREFIX = 1900;
// Map state: a key or user key encoding longer than this is replaced by its hash.
const MAX_COMPONENT = 900;
const HASH_MARK = 0x02;
const MAP_SEPARATOR = 0x01;
// Per-entry cost of the cache beyond the key and value, roughly as V8 lays it out.
const ENTRY_OVERHEAD = 160;
// Cache entries evicted in one go are spilled in one transaction.
const EVICT_TO = 0.85;
// An epoch's buffer takes entries encoded as they change up to this many bytes.
const EAGER_LIMIT = 64 << 20;

/**
 * One cached entry: its value (undefined when known absent) and where it stands against LMDB.
 * Its fields are in the order of how often they are used: an entry is an object of 160 bytes,
 * and the fields a change and a checkpoint read and write come first, so that they share a
 * cache line or two (a checkpoint meets most of its entries cold).
 */
class Entry {
  value: unknown;
  /** Recently used (the clock of the eviction sweep). */
  ref = true;
  /** Changed since its value was last handed to LMDB. */
  dirty = false;
  /** Gone from the cache (evicted, or its state dropped). */
  removed = false;
  /** The epoch whose buffer holds the entry's current key and record, encoded when it changed first in that epoch (0: none). */
  encodedEpoch = 0;
  /** The last checkpoint log that holds its value while the tree does not (0: none). */
  logged = 0;
  /** Which of that log's writes holds it. */
  logAt = 0;
  /** Where the epoch's buffer holds it: key start, key end, record end. */
  encodedAt = 0;
  encodedKeyEnd = 0;
  encodedEnd = 0;
  readonly state: StoredState;
  key: StateKey;
  readonly group: StateKey | undefined;
  /** Transactions writing its value that have not committed: until then LMDB does not show it. */
  writing = 0;
  /** The checkpoint that wrote it, until that checkpoint is durable. */
  checkpoint = 0;
  /** In the unsynced index of a sorted state. */
  indexed = false;
  /** Evicted once its spill commits. */
  evicting = false;

  constructor(state: StoredState, key: StateKey, group: StateKey | undefined, value: unknown) {
    this.state = state;
    this.key = key;
    this.group = group;
    this.value = value;
  }

  /** LMDB returns exactly this value for the entry's key. */
  get visible(): boolean {
    return !this.dirty && this.writing === 0 && this.logged <= this.state.backend.mergedThrough;
  }
}

/**
 * A hash map keyed by state keys: a key of one string or one number by that
 * value itself (no string to build per lookup; a Map treats 0 and -0 as one
 * key, and NaN as one, as rowKey does), other keys by rowKey; each kind in a
 * map of its own, so they cannot collide.
 */
class KeyTable<T> {
  private readonly byString = new Map<string, T>();
  private readonly byNumber = new Map<number, T>();
  private readonly byRowKey = new Map<string, T>();

  get size(): number {
    return this.byString.size + this.byNumber.size + this.byRowKey.size;
  }

  get(key: StateKey): T | undefined {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') return this.byString.get(k);
      if (typeof k === 'number') return this.byNumber.get(k);
    }
    return this.byRowKey.get(rowKey(key));
  }

  set(key: StateKey, value: T): void {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') {
        this.byString.set(k, value);
        return;
      }
      if (typeof k === 'number') {
        this.byNumber.set(k, value);
        return;
      }
    }
    this.byRowKey.set(rowKey(key), value);
  }

  delete(key: StateKey): void {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'string') {
        this.byString.delete(k);
        return;
      }
      if (typeof k === 'number') {
        this.byNumber.delete(k);
        return;
      }
    }
    this.byRowKey.delete(rowKey(key));
  }

  *values(): IterableIterator<T> {
    yield* this.byString.values();
    yield* this.byNumber.values();
    yield* this.byRowKey.values();
  }

  clear(): void {
    this.byString.clear();
    this.byNumber.clear();
    this.byRowKey.clear();
  }
}

const keyWriter = new ByteWriter(256);
const recordWriter = new ByteWriter(1024);

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function readRecord(buf: Buffer): unknown[] {
  const rec = decodeValue(buf);
  if (!Array.isArray(rec)) throw internalError('stored state record is not an array');
  return rec;
}

/**
 * State in LMDB. One instance per engine; `forOperator` with the id of an
 * operator of a restored job finds its checkpointed state.
 *
 * @example
 *   const backend = LmdbStateBackend.open(storage.stateDatabases(), latestCheckpointId, { memoryLimit: 256 << 20 });
 *   backend.forOperator('job1/op2').value<number>('count').put(['a'], 1);
 */
export class LmdbStateBackend implements StateBackend {
  private readonly operators = new Map<string, LmdbOperatorState>();
  /** Every state by id, registered or created since the last checkpoint. */
  private readonly byId = new Map<number, StoredState>();
  private nextStateId = 1;
  /** State ids whose data goes in the next checkpoint (dropped states). */
  private readonly dropped = new Set<number>();
  private readonly droppedRecords = new Set<string>();
  /** The checkpoint that will capture what changes now. */
  epoch: number;
  readonly memoryLimit: number;
  /** Cached entries, oldest first: the clock of the eviction sweep. */
  private ring: Entry[] = [];
  private hand = 0;
  cached = 0;
  /** Estimated bytes per cached entry (key, value and overhead), from samples. */
  private entryBytes = ENTRY_OVERHEAD + 64;
  private samples = 0;
  /** Bytes to start a checkpoint's buffer with. */
  private slabSize = 64 * 1024;
  /** The buffer of the last committed checkpoint, free to be written again. */
  private spareSlab: ByteWriter | undefined;
  /** A checkpoint's write offsets and their order: kept from one checkpoint to the next (fewer large allocations). */
  private marks = new Uint32Array(0);
  private order = new Uint32Array(0);
  private sortScratch = new Uint32Array(0);
  /**
   * A log's offsets, given back once it commits (a log's are written from them). Like the
   * buffers above and the merge's arena, kept from one checkpoint to the next: a large
   * allocation per checkpoint counts towards V8's external memory, which brings full
   * collections of the whole heap sooner.
   */
  private spareLogMarks: Uint32Array | undefined;
  /** The list of what a log supersedes in earlier logs, given back once it commits. */
  private spareEarlier: Uint32Array | undefined;
  /** What the last merge read its logs into, free again once it committed (undefined while one is in flight). */
  private spareArena: LogArena | undefined = new LogArena();
  /**
   * What the last compaction wrote its log's bytes into, and the new places of the writes it
   * replaced: free again once it committed. Kept, like the buffers above: a compaction copies
   * about the whole state, and fresh buffers that large each time would bring full collections
   * of the heap (V8 starts one when external memory grows by 64 MB).
   */
  private spareCompaction: ByteWriter | undefined;
  private spareMoved = new Int32Array(0);
  /** The last checkpoint collected: only its writes may be issued (they read `marks` and `order`). */
  private collected = 0;
  /** Cached entries waiting for their spill to commit before they leave. */
  private evicting = 0;
  /** Spill transactions issued and not yet committed (or failed). */
  private readonly spills = new Set<Promise<unknown>>();
  /** Counters for tests and diagnostics. */
  readonly counters = { loads: 0, spilledEntries: 0, evictedEntries: 0, logs: 0, merges: 0, compactions: 0, compactedLogs: 0, partialCompactions: 0, replayedEntries: 0, supersededEntries: 0, mergedLogEntries: 0 };
  private readonly maxLogs: number;
  private readonly logRatio: number;
  private readonly logFloor: number;
  private readonly compact: boolean;
  private readonly compactLive: number;
  /** Committed checkpoint logs not yet merged into the tree, oldest first, and how many entries they hold. */
  private logs: number[] = [];
  private loggedEntries = 0;
  /** Of those, how many a later write supersedes, and how many the last compaction wrote (0: none since the last merge). */
  private supersededLogged = 0;
  private compactedEntries = 0;
  /**
   * Per committed log, its writes a later write of the same key supersedes (1): a later
   * log's, or the merging checkpoint's own. A merge passes over them, so it writes each
   * key once however many logs hold it.
   */
  private readonly superseded = new Map<number, Uint8Array>();
  /** Per committed log, its size in bytes (offsets and data): a merge or compaction sizes its arena from them before reading. */
  private readonly logBytes = new Map<number, number>();
  /**
   * Every logged write a later write of its key supersedes is marked so: a compaction may then
   * replace some of the logs and leave the others. Not so once a log holds what spills wrote
   * (their entries do not point at those writes) or a checkpoint failed (its entries point at
   * writes that never committed), until a merge has put every log into the tree: until then a
   * compaction replaces every log, keeping their order, so that a newer write still comes after an older one.
   */
  private exactMarks = true;
  /** A log checkpoint collected and not yet committed (or failed): 0 when none. */
  private logInFlight = 0;
  /** The last log merged into the tree: an entry logged after it is pinned in the cache (the tree lacks its value). */
  mergedThrough = 0;
  /** Keys added or removed since the last checkpoint (against values changed in place). */
  churn = 0;
  /**
   * What spills wrote while logs wait (stored key and record, null: removed), in order:
   * the next log holds them, so that replaying the logs over the tree cannot put back
   * an older logged value over a spilled one.
   */
  private respill: { key: Buffer; record: Buffer | null }[] = [];
  /**
   * While checkpoints run on a timer, an entry is encoded into the epoch's buffer when it
   * first changes in the epoch, while what it holds is still in the processor's caches
   * (a later change in the same epoch leaves it to the checkpoint): the checkpoint then
   * reads its place instead of walking the key and value again, cold.
   */
  eager: boolean;
  /** The buffer the entries changed in this epoch are encoded into (becomes the checkpoint's). */
  private epochSlab: ByteWriter | undefined;

  private constructor(readonly dbs: StateDatabases, epoch: number, options: LmdbStateBackendOptions) {
    this.epoch = epoch;
    this.memoryLimit = options.memoryLimit ?? 256 * 1024 * 1024;
    this.maxLogs = options.maxLogs ?? 60;
    this.logRatio = options.logRatio ?? 1;
    this.logFloor = options.logFloor ?? 100_000;
    this.compact = options.compact ?? true;
    this.compactLive = options.compactLive ?? 0.5;
    this.eager = options.eager ?? false;
  }

  /**
   * @internal Encodes an entry that changed for the first time in this epoch into the epoch's buffer;
   * `key` and `group` are its key parts (equal to its own, and in the processor's caches).
   */
  encodeEagerly(e: Entry, key: StateKey, group: StateKey | undefined): void {
    let w = this.epochSlab;
    if (w === undefined) {
      w = this.spareSlab ?? new ByteWriter(this.slabSize);
      this.spareSlab = undefined;
      w.reset();
      this.epochSlab = w;
    }
    // Not past what a checkpoint's buffer may hold: the rest is encoded at the checkpoint.
    if (w.pos > EAGER_LIMIT) return;
    const start = w.pos;
    try {
      e.state.writeStoredKey(w, key, group);
      const keyEnd = w.pos;
      if (e.value !== undefined) e.state.writeStoredRecord(w, e, start, keyEnd, false, key, group);
      e.encodedAt = start;
      e.encodedKeyEnd = keyEnd;
      e.encodedEnd = w.pos;
      e.encodedEpoch = this.epoch;
    } catch {
      // Not plain data: the checkpoint meets it again, and fails with the reason.
      w.pos = start;
    }
  }

  /**
   * Opens the state of the last complete checkpoint `latest` (0: none):
   * undoes what was spilled after it, then reads the registry of states.
   */
  static open(dbs: StateDatabases, latest: number, options: LmdbStateBackendOptions = {}): LmdbStateBackend {
    const replayed = rollBack(dbs, latest);
    const backend = new LmdbStateBackend(dbs, latest + 1, options);
    backend.counters.replayedEntries = replayed;
    for (const { key, value } of dbs.states.getRange({})) {
      const [operatorId, name] = readKey(key, 0, key.length) as [string, string];
      const rec = decodeValue(value) as StateRecord;
      backend.nextStateId = Math.max(backend.nextStateId, rec.id + 1);
      backend.operatorState(operatorId).adopt(name, rec);
    }
    return backend;
  }

  forOperator(operatorId: string): OperatorState {
    return this.operatorState(operatorId);
  }

  private operatorState(operatorId: string): LmdbOperatorState {
    let s = this.operators.get(operatorId);
    if (!s) {
      s = new LmdbOperatorState(this, operatorId);
      this.operators.set(operatorId, s);
    }
    return s;
  }

  dropOperator(operatorId: string): void {
    const op = this.operators.get(operatorId);
    if (!op) return;
    this.operators.delete(operatorId);
    for (const [name, s] of op.states) {
      s.discard();
      this.byId.delete(s.id);
      if (s.registered) {
        this.dropped.add(s.id);
        this.droppedRecords.add(registryKey(operatorId, name).toString('latin1'));
      }
    }
  }

  /** Ids of the operators holding state. */
  operatorIds(): string[] {
    return [...this.operators.keys()];
  }

  /** @internal */
  newState(op: LmdbOperatorState, name: string, kind: StateKind): StoredState {
    const s = new StoredState(this, op.operatorId, name, { id: this.nextStateId++, kind, count: 0 }, false);
    this.byId.set(s.record.id, s);
    return s;
  }

  /** @internal */
  adoptState(s: StoredState): void {
    this.byId.set(s.record.id, s);
  }

  // ---- the cache --------------------------------------------------------------

  /** @internal A new entry joins the cache. */
  cache(e: Entry): void {
    if ((this.samples++ & 15) === 0) {
      const bytes = ENTRY_OVERHEAD + approxBytes(e.key) + (e.group ? approxBytes(e.group) : 0) + approxBytes(e.value);
      this.entryBytes += (bytes - this.entryBytes) / Math.min(this.samples, 64);
    }
    // Before the entry joins the clock, so the sweep cannot take it from the caller.
    if ((this.cached + 1) * this.entryBytes > this.memoryLimit) this.evict();
    this.ring.push(e);
    this.cached++;
  }

  /** @internal An entry the sweep took while its caller still held it comes back. */
  recache(e: Entry): void {
    e.removed = false;
    this.ring.push(e);
    this.cached++;
  }

  /** @internal An entry leaves the cache. */
  uncache(e: Entry): void {
    if (e.removed) return;
    e.removed = true;
    this.cached--;
  }

  get cacheBytes(): number {
    return Math.round(this.cached * this.entryBytes);
  }

  /**
   * The clock sweep: drops clean entries not used since the last pass, and
   * spills dirty ones (one transaction for all of them); those leave once
   * their spill commits.
   */
  private evict(): void {
    const target = Math.floor((this.memoryLimit * EVICT_TO) / this.entryBytes);
    // What is already on its way out cannot leave sooner: its spill has to commit first.
    if (this.cached - this.evicting <= target) return;
    const toSpill: Entry[] = [];
    let pinned = 0;
    let steps = 0;
    const limit = this.ring.length * 2;
    while (this.cached - toSpill.length - pinned > target && steps++ < limit && this.ring.length > 0) {
      if (this.hand >= this.ring.length) this.compactRing();
      if (this.ring.length === 0) break;
      const e = this.ring[this.hand++] as Entry;
      if (e.removed) continue;
      if (e.evicting) {
        pinned++;
        continue;
      }
      if (e.ref) {
        e.ref = false;
        continue;
      }
      const logged = e.logged > this.mergedThrough;
      if (!e.dirty && e.writing === 0 && e.checkpoint === 0 && !logged) {
        e.state.forget(e);
        this.counters.evictedEntries++;
      } else if (e.dirty || e.checkpoint !== 0 || logged) {
        // Its value may not be in LMDB (or not durably): write it before letting go.
        e.evicting = true;
        toSpill.push(e);
      } else {
        pinned++;
      }
    }
    if (toSpill.length > 0) this.spill(toSpill);
  }

  private compactRing(): void {
    this.ring = this.ring.filter((e) => !e.removed);
    this.hand = 0;
  }

  /**
   * Writes entries to LMDB outside a checkpoint. The transaction first saves
   * what it overwrites under the current epoch (once per key and epoch), so
   * recovery can restore the last checkpoint.
   */
  private spill(entries: Entry[]): void {
    const writes: { key: Buffer; record: Buffer | null }[] = [];
    // The log each entry's value was in when it was spilled: a later log keeps it pinned.
    const logged: number[] = [];
    for (const e of entries) {
      writes.push({ key: e.state.storedKey(e), record: e.value === undefined ? null : e.state.storedRecord(e) });
      logged.push(e.logged);
      if (e.dirty) e.dirty = false;
      e.writing++;
    }
    if (this.logs.length > 0 || this.logInFlight !== 0) this.respill.push(...writes);
    this.evicting += entries.length;
    this.counters.spilledEntries += entries.length;
    const epoch = Buffer.alloc(4);
    epoch.writeUInt32BE(this.epoch);
    const { root, state, undo } = this.dbs;
    const done = root.transaction(() => {
      for (const w of writes) {
        const undoKey = Buffer.concat([epoch, w.key]);
        if (!undo.doesExist(undoKey)) {
          const old = state.getBinary(w.key);
          undo.put(undoKey, old === undefined ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), old]));
        }
        if (w.record === null) state.remove(w.key);
        else state.put(w.key, w.record);
      }
    });
    this.spills.add(done);
    done.then(
      () => {
        this.spills.delete(done);
        this.evicting -= entries.length;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i] as Entry;
          e.writing--;
          e.evicting = false;
          // The tree has its value now, as new as any log's (unless a log taken since holds a newer one).
          if (e.logged !== 0 && e.logged <= (logged[i] as number)) e.logged = 0;
          e.state.synced(e);
          if (e.visible && e.checkpoint === 0 && !e.removed) e.state.forget(e);
        }
      },
      () => {
        this.spills.delete(done);
        this.evicting -= entries.length;
        // Not written: the values are still only here.
        for (const e of entries) {
          e.writing--;
          e.evicting = false;
          if (!e.removed) e.state.markDirty(e);
        }
      },
    );
  }

  /** Resolves once every spill issued so far has committed (tests, and clean shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.spills]);
  }

  // ---- checkpoints ------------------------------------------------------------

  /**
   * Collects what checkpoint `id` writes: every dirty entry, new and changed
   * state records, dropped states. Call at a quiescent point (no batch in
   * flight); write the result inside the checkpoint's transaction.
   *
   * Most checkpoints are logs: their entries go into one value of the log
   * database (a sequential write, however scattered the keys), and stay
   * pinned in the cache, since the tree does not have them. Once the logs
   * since the last compaction hold `logRatio` times as many entries as the
   * state (or `maxLogs` of them wait), a checkpoint compacts them into its own
   * log. When their entries would take a quarter of the memory limit, or a
   * state was dropped, a checkpoint merges instead: it replays the logs into the
   * tree from their bytes, writes its own entries, and deletes the logs, in
   * one transaction. So the tree's leaves are rewritten once per merge, not
   * per checkpoint.
   */
  collectCheckpoint(id: number): StateCheckpoint {
    const taken: [StoredState, Entry[]][] = [];
    let total = 0;
    // Each state's dirty list as it is (entries cleaned or dropped since they were listed are
    // passed over while encoding: one pass over the entries, not two).
    for (const s of this.byId.values()) {
      const dirty = s.takeDirty();
      if (dirty.length === 0) continue;
      taken.push([s, dirty]);
      total += dirty.length;
    }
    const respill = this.respill;
    this.respill = [];
    const kind = this.checkpointKind(total + respill.length);
    const merging = kind === 'merge';
    const compacting = kind === 'compact';
    this.churn = 0;
    // The logs this checkpoint takes the place of: a merge writes them into the tree, a compaction into its own log.
    const mergedLogs = merging ? this.logs : compacting ? this.compactionChoice() : [];
    if (compacting) {
      // What the logs hold of an entry this checkpoint writes is superseded by its write here.
      for (const [, dirty] of taken) this.supersedeLogged(dirty);
    }
    // A merge replays the logs into the tree, oldest first, each in about key order (from
    // their bytes: the cached entries are not walked), then what spills wrote since the
    // last log, then the dirty entries. A compaction copies the writes of the logs that no
    // later write supersedes, in their order, then writes what a log does.
    const arena = merging || compacting ? this.spareArena ?? new LogArena() : undefined;
    if (arena !== undefined) {
      this.spareArena = undefined;
      // Room for every log at once: an arena regrown part way would keep each smaller buffer until the compaction ends.
      let size = 0;
      let writes = 0;
      for (const l of mergedLogs) {
        // (and up to three bytes each to align its offsets)
        size += (this.logBytes.get(l) ?? 0) + 4;
        writes += this.superseded.get(l)?.length ?? 0;
      }
      arena.reset(size, merging ? writes : 0);
    }
    const replays = arena !== undefined ? mergedLogs.map((logId) => arena.read(this.dbs.log, logId, merging)) : [];
    // A compaction's writes kept from the logs, and their bytes: one walk over each log's marks.
    const kept = { writes: 0, bytes: 0 };
    if (compacting) {
      for (let i = 0; i < replays.length; i++) tallyKept(replays[i] as Writes, this.superseded.get(mergedLogs[i] as number), kept);
    }
    const logged = respill.length;
    if (logged > 0 && !merging) this.exactMarks = false;
    total += logged + kept.writes;
    // Every key and record goes into one buffer: lmdb-js's write thread reads the values from
    // it (by address) while the main thread goes on. The buffer of the last checkpoint that
    // committed is used again (nothing reads it any more); otherwise a fresh one.
    // The epoch's buffer, if entries were encoded as they changed.
    let slab = this.epochSlab;
    this.epochSlab = undefined;
    if (slab === undefined) {
      slab = this.spareSlab ?? new ByteWriter(this.slabSize);
      this.spareSlab = undefined;
      slab.reset();
    }
    // Per write, three offsets into the slab: key start, key end (record start), record end
    // (equal to the key end: a removal). A merge's are reused by the next checkpoint (write()
    // comes first); a log's are part of the log, after its count of writes.
    let marks: Uint32Array;
    let at = 0;
    let n = 0;
    if (merging) {
      if (this.marks.length < 3 * total) this.marks = new Uint32Array(3 * total + (total >> 1));
      marks = this.marks;
    } else {
      const spare = this.spareLogMarks;
      this.spareLogMarks = undefined;
      marks = spare !== undefined && spare.length >= 1 + 3 * total ? spare : new Uint32Array(1 + 3 * total + (total >> 1));
      // A compaction's first writes are the logs' it keeps (copied once the rest is encoded).
      at = 1 + 3 * kept.writes;
      n = kept.writes;
    }
    // Where the writes of each state start (what spills wrote first, in their order).
    const runs: number[] = [];
    // A log's entries that an earlier log holds: that log and write, two numbers each (marked superseded once this log commits).
    let earlier: Uint32Array | undefined;
    if (!merging && !compacting) {
      earlier = this.spareEarlier;
      this.spareEarlier = undefined;
      if (earlier === undefined || earlier.length < 2 * total) earlier = new Uint32Array(2 * total + (total >> 1));
    }
    let earlierCount = 0;
    const records: { key: Buffer; value: Buffer }[] = [];
    let recordBytes = 0;
    // Everything is encoded before any entry changes hands: a value that cannot be
    // encoded fails the checkpoint and leaves every entry dirty, as it was.
    try {
      if (logged > 0) runs.push(n);
      for (let i = 0; i < logged; i++) {
        const r = respill[i] as { key: Buffer; record: Buffer | null };
        marks[at++] = slab.pos;
        slab.append(r.key);
        marks[at++] = slab.pos;
        if (r.record !== null) slab.append(r.record);
        marks[at++] = slab.pos;
        n++;
      }
      const cursor: EncodeCursor = { at, n, earlierCount: 0 };
      for (const [s, dirty] of taken) {
        runs.push(cursor.n);
        this.encodeDirty(s, dirty, slab, marks, cursor, id, kind, earlier);
      }
      at = cursor.at;
      n = cursor.n;
      earlierCount = cursor.earlierCount;
      for (const s of this.byId.values()) {
        if (!s.registered || s.countChanged) {
          const key = registryKey(s.operatorId, s.name);
          const value = encodeValue(s.record);
          records.push({ key, value });
          recordBytes += key.length + value.length;
        }
      }
    } catch (e) {
      // Entries encoded before the failure point at writes that will not commit.
      if (!merging) this.exactMarks = false;
      this.respill = respill.concat(this.respill);
      // Still this epoch's buffer: what was encoded into it as entries changed stays valid.
      this.epochSlab = slab;
      // Every entry listed is dirty again (a clean one only costs a write of the value it has).
      const back = new Set<Entry>();
      for (const [, dirty] of taken) for (const x of dirty) if (!x.removed && (x.dirty || x.logged === id)) back.add(x);
      for (const x of back) {
        x.dirty = true;
        x.state.giveBackDirty([x]);
      }
      throw e;
    }
    // Merged into the tree: in key order, so LMDB walks its tree from one leaf to the next.
    // A log is its writes in the order they were taken, after their count.
    let order: Uint32Array = this.order;
    let logMarks: Uint32Array | undefined;
    if (merging) {
      if (this.order.length < n) {
        this.order = new Uint32Array(n + (n >> 1));
        this.sortScratch = new Uint32Array(n + (n >> 1));
      }
      order = sortedByKey(slab.buf, marks, n, runs, this.order, this.sortScratch);
    } else {
      logMarks = marks;
      logMarks[0] = n;
    }
    // A log writes its whole buffer (with what later changes voided); a merge, its entries and the logs it replays.
    let bytes = recordBytes;
    if (logMarks !== undefined) bytes += slab.pos + 4 * (1 + 3 * n);
    else {
      for (let i = 0; i < 3 * n; i += 3) bytes += (marks[i + 2] as number) - (marks[i] as number);
      for (const r of replays) bytes += r.data.length;
    }
    // A buffer of about this size is enough next time (it grows when it must).
    this.slabSize = Math.max(4096, Math.min(slab.pos + (slab.pos >> 2), 64 << 20));
    // A compaction's bytes: this checkpoint's, then the logs' writes it keeps, in their order.
    // `moved`: the new place of each write of those logs (-1: superseded); `movedFrom`: where
    // each log's writes start in it, by log id.
    const compaction = compacting ? this.spareCompaction ?? new ByteWriter(slab.pos) : undefined;
    const movedFrom = new Map<number, number>();
    let moved: Int32Array | undefined;
    if (compaction !== undefined) {
      this.spareCompaction = undefined;
      compaction.reset();
      // Room for all of it at once (no buffer regrown part way), and no more: the bytes of the
      // writes kept are about the state's size from one compaction to the next, so the buffer
      // kept from the last one mostly fits (what the logs hold superseded varies far more).
      compaction.ensure(slab.pos + kept.bytes);
      compaction.append(slab.buf.subarray(0, slab.pos));
      const replaced = replays.reduce((sum, r) => sum + r.n, 0);
      if (this.spareMoved.length < replaced) this.spareMoved = new Int32Array(replaced + (replaced >> 1));
      moved = this.spareMoved;
      let base = 0;
      let k = 0;
      for (let i = 0; i < replays.length; i++) {
        const r = replays[i] as Writes;
        movedFrom.set(mergedLogs[i] as number, base);
        k = copyKeptWrites(r, this.superseded.get(mergedLogs[i] as number), compaction, marks, k, moved, base);
        base += r.n;
      }
      bytes += compaction.pos - slab.pos;
    }
    const buf = compaction !== undefined ? compaction.buf : slab.buf;
    const dataEnd = compaction !== undefined ? compaction.pos : slab.pos;
    if (merging) {
      for (const [, dirty] of taken) {
        for (let i = 0; i < dirty.length; i++) {
          const e = dirty[i] as Entry;
          // This checkpoint writes the entry after the logs: the write of it the logs hold is not replayed.
          if (e.logged > this.mergedThrough) this.supersede(e.logged, e.logAt);
          e.dirty = false;
          e.writing++;
          e.checkpoint = id;
          e.logged = 0;
        }
      }
    }
    if (!merging) this.logInFlight = id;
    this.collected = id;
    const dropped = [...this.dropped];
    const droppedRecords = [...this.droppedRecords].map((k) => Buffer.from(k, 'latin1'));
    const registering = [...this.byId.values()].filter((s) => !s.registered || s.countChanged);
    const newlyRegistered = registering.filter((s) => !s.registered);
    for (const s of registering) {
      s.registered = true;
      s.countChanged = false;
    }
    this.epoch = id + 1;
    const { state, states, log } = this.dbs;
    let committedOnce = false;
    return {
      bytes,
      entries: n,
      write: () => {
        if (this.collected !== id) throw internalError(`the writes of checkpoint ${id} were issued after another checkpoint was collected`);
        if (logMarks !== undefined) {
          putLogPart(log, id, 0, Buffer.from(logMarks.buffer, logMarks.byteOffset, 4 * (1 + 3 * n)));
          putLogPart(log, id, 1, buf.subarray(0, dataEnd));
        } else {
          // Nothing of a state dropped now is written (its keys in LMDB are removed below).
          const write = (key: Buffer, record: Buffer | undefined): void => {
            if (dropped.length > 0 && dropped.includes(key.readUInt32BE(0))) return;
            quiet(record === undefined ? state.remove(key) : state.put(key, record));
          };
          for (let i = 0; i < replays.length; i++) {
            this.counters.mergedLogEntries += eachWrite(replays[i] as Writes, write, this.superseded.get(mergedLogs[i] as number));
          }
          eachWrite({ data: buf, marks, order, n }, write);
        }
        for (const logId of mergedLogs) removeLog(log, logId);
        for (const r of records) quiet(states.put(r.key, r.value));
        for (const k of droppedRecords) quiet(states.remove(k));
        for (const stateId of dropped) {
          const prefix = stateIdPrefix(stateId);
          const keys = [...state.getKeys({ start: prefix, end: prefixEnd(prefix) as Buffer })];
          for (const key of keys) quiet(state.remove(key));
        }
      },
      committed: () => {
        committedOnce = true;
        // The transaction is done with the buffers.
        this.spareSlab = slab;
        if (compaction !== undefined) this.spareCompaction = compaction;
        if (logMarks !== undefined) this.spareLogMarks = logMarks;
        if (arena !== undefined) this.spareArena = arena;
        if (merging) {
          for (const [, dirty] of taken) {
            for (let i = 0; i < dirty.length; i++) {
              const e = dirty[i] as Entry;
              e.writing--;
              e.state.synced(e);
            }
          }
        }
        for (const stateId of dropped) this.dropped.delete(stateId);
        for (const k of droppedRecords) this.droppedRecords.delete(k.toString('latin1'));
        if (merging) {
          this.counters.merges++;
          this.dropLogs(mergedLogs);
          // Every write is in the tree: none is left unmarked.
          if (this.logs.length === 0) this.exactMarks = true;
          if (mergedLogs.length > 0) this.merged(mergedLogs[mergedLogs.length - 1] as number);
        } else {
          // A compaction's marks go where the largest of the logs it replaced had theirs (no new 1 MB per 1 M writes).
          let reuse: Uint8Array | undefined;
          for (const l of mergedLogs) {
            const had = this.superseded.get(l);
            if (had !== undefined && had.length >= n && (reuse === undefined || had.length > reuse.length)) reuse = had;
          }
          this.superseded.set(id, reuse !== undefined ? reuse.fill(0).subarray(0, n) : new Uint8Array(n));
          if (earlier !== undefined) {
            this.supersedeEach(earlier, earlierCount);
            this.spareEarlier = earlier;
          }
          if (moved !== undefined) {
            this.counters.compactions++;
            this.counters.compactedLogs += mergedLogs.length;
            if (mergedLogs.length < this.logs.length) this.counters.partialCompactions++;
            // The logs left keep their writes in the counts.
            for (const l of mergedLogs) {
              const marks = this.superseded.get(l);
              if (marks === undefined) continue;
              this.loggedEntries -= marks.length;
              this.supersededLogged -= countMarked(marks, marks.length);
            }
            this.dropLogs(mergedLogs);
            this.relocate(id, movedFrom, moved);
          } else this.counters.logs++;
          this.logs.push(id);
          this.logBytes.set(id, 4 * (1 + 3 * n) + dataEnd);
          this.loggedEntries += n;
          if (moved !== undefined) this.compactedEntries = this.loggedEntries;
          if (this.logInFlight === id) this.logInFlight = 0;
        }
      },
      durable: () => {
        if (merging) {
          for (const [, dirty] of taken) {
            for (let i = 0; i < dirty.length; i++) {
              const e = dirty[i] as Entry;
              if (e.checkpoint === id) e.checkpoint = 0;
            }
          }
        }
        // Done with the lists: each state fills its list again next epoch, at the size it has grown to.
        for (const [s, dirty] of taken) s.recycleDirty(dirty);
      },
      failed: () => {
        if (!merging) this.exactMarks = false;
        // The buffer is not used again: a transaction that failed part way may still be read from it.
        for (const [, dirty] of taken) {
          for (const e of dirty) {
            if (merging && !committedOnce) e.writing--;
            if (e.checkpoint === id) e.checkpoint = 0;
            if (!e.removed) e.state.markDirty(e);
          }
        }
        // What spills wrote goes in the next log again.
        if (!committedOnce) this.respill = respill.concat(this.respill);
        if (this.logInFlight === id) this.logInFlight = 0;
        // The next checkpoint writes the records again (and registers the new states).
        for (const s of registering) s.countChanged = true;
        for (const s of newlyRegistered) s.registered = false;
      },
    };
  }

  /**
   * What the next checkpoint, of `entries` entries, does: log them, compact the logs, or merge them into the tree.
   *
   * A log pays when the checkpoint changes values in place, scattered over a tree much
   * larger than what it writes (each entry a leaf of its own). Where keys mostly come and
   * go (state that grows, windows, joins), writing them into the tree costs what replaying
   * their log would, and the log would only add to it: such a checkpoint writes into the tree.
   *
   * When the logs since the last compaction hold about as many writes as the state has entries,
   * they are compacted: one log takes their place with the newest write of each key, a copy
   * of bytes where a merge costs an LMDB write per key. Their entries stay pinned in the cache,
   * so a merge comes instead when the cache could not keep them, or when the newest writes
   * outnumber the state's entries by far (keys removed since leave a write each).
   */
  private checkpointKind(entries: number): 'log' | 'compact' | 'merge' {
    // A log being written cannot be merged yet.
    if (this.logInFlight !== 0) return 'log';
    if (this.maxLogs <= 0 || this.dropped.size > 0) return 'merge';
    let stored = 0;
    for (const s of this.byId.values()) stored += s.record.count;
    if (2 * this.churn > entries || 4 * entries > stored) return 'merge';
    // The entries logged writes pin (one per key): a cache that could not keep them would spill them one by one.
    const live = this.loggedEntries - this.supersededLogged + entries;
    if (live * this.entryBytes > this.memoryLimit / 4) return 'merge';
    const size = Math.max(stored, this.logFloor);
    if (this.logs.length < this.maxLogs && this.loggedEntries - this.compactedEntries + entries <= this.logRatio * size) return 'log';
    return this.compact && live <= 1.25 * size ? 'compact' : 'merge';
  }

  /**
   * The logs a compaction replaces: those of which at most `compactLive` of the writes are live;
   * all of them when none is, or when `maxLogs` logs wait. The writes it keeps are each the newest
   * of its key, so its log may come after logs it leaves, in any order.
   */
  private compactionChoice(): number[] {
    if (!this.exactMarks || this.logs.length >= this.maxLogs || this.compactLive >= 1) return this.logs;
    const chosen = this.logs.filter((l) => {
      const marks = this.superseded.get(l);
      if (marks === undefined) return true;
      return marks.length - countMarked(marks, marks.length) <= this.compactLive * marks.length;
    });
    return chosen.length > 0 ? chosen : this.logs;
  }

  /** The logs a merge or compaction replaced are gone, and with them their marks and what they counted. */
  private dropLogs(replaced: readonly number[]): void {
    for (const l of replaced) {
      this.superseded.delete(l);
      this.logBytes.delete(l);
    }
    this.logs = this.logs.filter((l) => !replaced.includes(l));
    if (this.logs.length > 0) return;
    this.loggedEntries = 0;
    this.supersededLogged = 0;
    this.compactedEntries = 0;
  }

  /**
   * After compaction `id` committed: an entry whose newest write was in a log it replaced
   * points at that write's place in it, so that a later write of its key marks the right one superseded.
   */
  private relocate(id: number, movedFrom: ReadonlyMap<number, number>, moved: Int32Array): void {
    let low = id;
    let high = 0;
    for (const l of movedFrom.keys()) {
      low = Math.min(low, l);
      high = Math.max(high, l);
    }
    // Where each replaced log's writes start in `moved`, by id from `low` (-1: a log the compaction left):
    // an entry looks its log up here, not in a Map (one walk over every cached entry).
    const bases = new Int32Array(Math.max(0, high - low + 1)).fill(-1);
    for (const [l, base] of movedFrom) bases[l - low] = base;
    const ring = this.ring;
    for (let i = 0; i < ring.length; i++) {
      const e = ring[i] as Entry;
      const l = e.logged;
      if (l < low || l > high || e.removed) continue;
      const base = bases[l - low] as number;
      if (base < 0) continue;
      const to = moved[base + e.logAt] as number;
      if (to >= 0) {
        e.logged = id;
        e.logAt = to;
      }
    }
  }

  /**
   * Encodes the entries of `dirty` that are still dirty into checkpoint `id`'s buffer (an entry
   * encoded as it changed this epoch is not walked again), their offsets into `marks` from
   * `c.at` on, and drops the others from the list. In a log or a compaction, an entry points at
   * its write there, and is clean; in a log, `earlier` gets the write an earlier log held of it.
   */
  private encodeDirty(s: StoredState, dirty: Entry[], slab: ByteWriter, marks: Uint32Array, c: EncodeCursor, id: number, kind: 'log' | 'compact' | 'merge', earlier: Uint32Array | undefined): void {
    const epoch = this.epoch;
    let { at, n, earlierCount } = c;
    let kept = 0;
    for (let i = 0; i < dirty.length; i++) {
      const e = dirty[i] as Entry;
      // A clean or dropped one was listed before a spill or a drop took it.
      if (!e.dirty || e.removed) continue;
      dirty[kept++] = e;
      if (e.encodedEpoch === epoch) {
        marks[at++] = e.encodedAt;
        marks[at++] = e.encodedKeyEnd;
        marks[at++] = e.encodedEnd;
      } else {
        const keyStart = slab.pos;
        s.writeStoredKey(slab, e.key, e.group);
        const keyEnd = slab.pos;
        if (e.value !== undefined) s.writeStoredRecord(slab, e, keyStart, keyEnd);
        marks[at++] = keyStart;
        marks[at++] = keyEnd;
        marks[at++] = slab.pos;
      }
      // A logged entry is pinned (and hidden from LMDB reads) by `logged` alone, until a merge.
      if (kind !== 'merge') {
        if (earlier !== undefined && e.logged > this.mergedThrough) {
          earlier[earlierCount++] = e.logged;
          earlier[earlierCount++] = e.logAt;
        }
        e.dirty = false;
        e.logged = id;
        e.logAt = n;
      }
      n++;
    }
    dirty.length = kept;
    c.at = at;
    c.n = n;
    c.earlierCount = earlierCount;
  }

  /** What the logs hold of the entries a compaction writes (those still dirty) is superseded by its writes. */
  private supersedeLogged(dirty: readonly Entry[]): void {
    for (let i = 0; i < dirty.length; i++) {
      const e = dirty[i] as Entry;
      if (e.dirty && !e.removed && e.logged > this.mergedThrough) this.supersede(e.logged, e.logAt);
    }
  }

  /** Each write of `pairs` (log and place, two numbers each, `count` numbers) is superseded: supersede() with the last log's marks at hand. */
  private supersedeEach(pairs: Uint32Array, count: number): void {
    let lastLog = -1;
    let marks: Uint8Array | undefined;
    let newly = 0;
    for (let i = 0; i < count; i += 2) {
      const logId = pairs[i] as number;
      if (logId !== lastLog) {
        lastLog = logId;
        marks = this.superseded.get(logId);
      }
      if (marks === undefined) continue;
      const at = pairs[i + 1] as number;
      if (marks[at] === 1) continue;
      marks[at] = 1;
      newly++;
    }
    this.supersededLogged += newly;
    this.counters.supersededEntries += newly;
  }

  /** Write `at` of log `logId` is superseded by a later write of its key (a log that did not commit has no writes to mark). */
  private supersede(logId: number, at: number): void {
    const marks = this.superseded.get(logId);
    if (marks === undefined || marks[at] === 1) return;
    marks[at] = 1;
    this.supersededLogged++;
    this.counters.supersededEntries++;
  }

  /**
   * The logs up to `last` are in the tree: the entries they pinned may leave the cache,
   * and the sorted states' indexes of what LMDB does not show let go of them.
   */
  private merged(last: number): void {
    this.mergedThrough = Math.max(this.mergedThrough, last);
    for (const s of this.byId.values()) {
      if (s.kind !== 'sorted' || s.unsynced.size === 0) continue;
      const shown: Entry[] = [];
      for (const [, e] of s.unsynced.entries()) if (e.visible) shown.push(e);
      for (const e of shown) s.synced(e);
    }
  }

  /**
   * After checkpoint `latest` is durable: removes undo records it made
   * obsolete (their epochs are at most `latest`).
   */
  purgeUndo(latest: number): void {
    const end = Buffer.alloc(4);
    end.writeUInt32BE(latest + 1);
    for (const key of this.dbs.undo.getKeys({ end })) quiet(this.dbs.undo.remove(key));
  }

  /** Drops every operator's state for which `keep` is false (recovery: state of jobs that are gone). */
  dropOperatorsExcept(keep: (operatorId: string) => boolean): void {
    for (const id of [...this.operators.keys()]) if (!keep(id)) this.dropOperator(id);
  }

  /** Discards the cache without writing anything (a crash). */
  discard(): void {
    for (const op of this.operators.values()) for (const s of op.states.values()) s.discard();
    this.respill = [];
    this.ring = [];
    this.epochSlab = undefined;
    this.hand = 0;
    this.cached = 0;
  }
}

/** What one checkpoint writes of the state, and what it does once that commits, is durable, or fails. */
export interface StateCheckpoint {
  readonly bytes: number;
  readonly entries: number;
  /** Issues the writes (asynchronous, all in the block the caller makes them one transaction with). */
  write(): void;
  committed(): void;
  durable(): void;
  failed(): void;
}

const radixCount = new Uint32Array(256);
// Bytes after the common prefix that order a checkpoint's writes: two 32-bit words.
const SORT_BYTES = 8;

/** Scratch of the sort: each write's sort bytes (high and low word) and index, twice (source and target of a pass); grown when needed. */
let sortScratch = { hi: new Uint32Array(0), lo: new Uint32Array(0), hi2: new Uint32Array(0), lo2: new Uint32Array(0) };

function scratchFor(m: number): typeof sortScratch {
  if (sortScratch.hi.length < m) {
    const size = m + (m >> 1);
    sortScratch = { hi: new Uint32Array(size), lo: new Uint32Array(size), hi2: new Uint32Array(size), lo2: new Uint32Array(size) };
  }
  return sortScratch;
}

/**
 * The first `n` writes of `marks` (key start, key end, record end; three per
 * write) into `order` (`tmp`: scratch of the same size) in about the byte order of their keys, so LMDB walks its tree from one leaf to
 * the next instead of jumping about. The writes of one state (`runs` holds
 * where each state's writes start) are put in order by the bytes after
 * their common prefix (SORT_BYTES): a stable radix sort, cheap on the main thread; keys
 * equal in those bytes keep their order. Any order commits the same thing
 * (one transaction; writes of one key keep their order), so close is enough.
 * Each key's bytes are read once, into two words that move with the write's index
 * from pass to pass: the passes read memory in sequence, not the keys where they lie.
 * @internal Exported for its tests.
 */
export function sortedByKey(buf: Buffer, marks: Uint32Array, n: number, runs: readonly number[], order: Uint32Array, tmp: Uint32Array): Uint32Array {
  for (let i = 0; i < n; i++) order[i] = i;
  for (let r = 0; r < runs.length; r++) {
    const a = runs[r] as number;
    const b = r + 1 < runs.length ? runs[r + 1] as number : n;
    const m = b - a;
    if (m < 2) continue;
    const first = marks[3 * a] as number;
    let common = (marks[3 * a + 1] as number) - first;
    for (let i = a + 1; i < b && common > 0; i++) {
      const start = marks[3 * i] as number;
      const max = Math.min(common, (marks[3 * i + 1] as number) - start);
      let c = 0;
      while (c < max && buf[start + c] === buf[first + c]) c++;
      common = c;
    }
    let { hi, lo, hi2, lo2 } = scratchFor(m);
    let idx = order.subarray(a, b);
    let idx2 = tmp.subarray(a, b);
    // A key shorter than the sort bytes reads as if padded with zero bytes.
    for (let k = 0; k < m; k++) {
      const i = a + k;
      const p = (marks[3 * i] as number) + common;
      const end = marks[3 * i + 1] as number;
      let h = 0;
      let l = 0;
      for (let d = 0; d < 4; d++) h = (h << 8) | (p + d < end ? buf[p + d] as number : 0);
      for (let d = 4; d < 8; d++) l = (l << 8) | (p + d < end ? buf[p + d] as number : 0);
      hi[k] = h >>> 0;
      lo[k] = l >>> 0;
    }
    for (let d = SORT_BYTES - 1; d >= 0; d--) {
      const word = d < 4 ? hi : lo;
      const shift = 8 * (3 - (d & 3));
      radixCount.fill(0);
      for (let k = 0; k < m; k++) {
        const digit = ((word[k] as number) >>> shift) & 255;
        radixCount[digit] = (radixCount[digit] as number) + 1;
      }
      // All writes alike in this byte: the pass would change nothing.
      if (radixCount[((word[0] as number) >>> shift) & 255] === m) continue;
      let sum = 0;
      for (let x = 0; x < 256; x++) {
        const c = radixCount[x] as number;
        radixCount[x] = sum;
        sum += c;
      }
      for (let k = 0; k < m; k++) {
        const digit = ((word[k] as number) >>> shift) & 255;
        const at = radixCount[digit] as number;
        radixCount[digit] = at + 1;
        idx2[at] = idx[k] as number;
        hi2[at] = hi[k] as number;
        lo2[at] = lo[k] as number;
      }
      [idx, idx2] = [idx2, idx];
      [hi, hi2] = [hi2, hi];
      [lo, lo2] = [lo2, lo];
    }
    // The sorted indexes end in `order` whichever array the last pass wrote.
    if (idx.buffer !== order.buffer) order.set(idx, a);
  }
  return order;
}

let lastQuieted: Promise<unknown> | undefined;

/**
 * Takes care of a write's rejection (lmdb-js hands one promise to a whole batch):
 * the outcome that matters is the one of the checkpoint or spill it belongs to.
 */
function quiet(write: Promise<unknown>): void {
  if (write === lastQuieted) return;
  lastQuieted = write;
  write.then(undefined, () => {});
}

function stateIdPrefix(id: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(id);
  return b;
}

/**
 * A log's parts are stored in chunks of at most this many bytes: lmdb-js hands a value of
 * 32 MiB or more back as a new view of its memory map, which V8 counts as external memory
 * (growth of which starts a full collection of the heap). Smaller ones come in its reusable buffer.
 */
const LOG_CHUNK = 16 << 20;

/** The key of chunk `chunk` of part `part` (0: write offsets, 1: bytes) of log `id`. */
function logKey(id: number, part: 0 | 1, chunk: number): Buffer {
  const b = Buffer.alloc(7);
  b.writeUInt32BE(id);
  b[4] = part;
  b.writeUInt16BE(chunk, 5);
  return b;
}

/** Writes a part of log `id`, in chunks. */
function putLogPart(db: Database<Buffer, Buffer>, id: number, part: 0 | 1, bytes: Buffer): void {
  const chunks = Math.max(1, Math.ceil(bytes.length / LOG_CHUNK));
  for (let c = 0; c < chunks; c++) quiet(db.put(logKey(id, part, c), bytes.subarray(c * LOG_CHUNK, Math.min(bytes.length, (c + 1) * LOG_CHUNK))));
}

/** Removes every chunk of log `id`. */
function removeLog(db: Database<Buffer, Buffer>, id: number): void {
  const prefix = stateIdPrefix(id);
  for (const key of [...db.getKeys({ start: prefix, end: prefixEnd(prefix) as Buffer })]) quiet(db.remove(key));
}

function registryKey(operatorId: string, name: string): Buffer {
  writeKey(keyWriter.reset(), [operatorId, name]);
  return keyWriter.bytes();
}

/** Writes of a checkpoint: `n` of them, three offsets each into `data` in `marks` (key start, key end, record end), taken in `order`. */
/** Where a checkpoint's encoding of its entries has got to: the next offset into its marks, its next write, its count of earlier writes (two numbers each). */
interface EncodeCursor {
  at: number;
  n: number;
  earlierCount: number;
}

interface Writes {
  readonly data: Buffer;
  readonly marks: Uint32Array;
  /** Undefined: in the order they were taken. */
  readonly order: Uint32Array | undefined;
  readonly n: number;
}

/**
 * The buffers a merge reads its logs into: one for their bytes, one for their writes' order,
 * grown when they must and kept from one merge to the next.
 */
class LogArena {
  private bytes = Buffer.allocUnsafeSlow(0);
  private used = 0;
  private orders = new Uint32Array(0);
  private ordersUsed = 0;
  private scratch = new Uint32Array(0);

  /**
   * Empties the arena, with room for `bytes` of logs and the order of `writes` writes: one
   * allocation, with a quarter more for the next time, rather than a buffer regrown part way
   * (each smaller one is kept by the logs read into it until the merge or compaction ends).
   * Logs beyond those sizes still grow it as they come.
   */
  reset(bytes = 0, writes = 0): void {
    this.used = 0;
    this.ordersUsed = 0;
    if (this.bytes.length < bytes) this.bytes = Buffer.allocUnsafeSlow(bytes + (bytes >> 2));
    if (this.orders.length < writes) this.orders = new Uint32Array(writes + (writes >> 2));
  }

  /**
   * Log `id`'s writes, read back from LMDB; `sorted`: in about key order (the writes of one key
   * keep theirs), so LMDB walks its tree from one leaf to the next.
   */
  read(db: Database<Buffer, Buffer>, id: number, sorted = true): Writes {
    // Its offsets first, at a multiple of four (read as 32-bit numbers), then its bytes.
    const offsets = this.copy(db, id, 0, 4);
    const data = this.copy(db, id, 1, 1);
    if (offsets === undefined || data === undefined) throw internalError(`checkpoint log ${id} is incomplete`);
    const all = new Uint32Array(offsets.buffer, offsets.byteOffset, offsets.length >> 2);
    const n = all[0] as number;
    if (offsets.length % 4 !== 0 || all.length !== 1 + 3 * n) throw internalError(`checkpoint log ${id} is damaged`);
    if (!sorted) return { data, marks: all.subarray(1), order: undefined, n };
    if (this.ordersUsed + n > this.orders.length) {
      // A new one: the logs read so far keep the old one.
      this.orders = new Uint32Array(2 * (this.ordersUsed + n));
      this.ordersUsed = 0;
    }
    if (this.scratch.length < n) this.scratch = new Uint32Array(n + (n >> 1));
    const order = this.orders.subarray(this.ordersUsed, this.ordersUsed + n);
    this.ordersUsed += n;
    const marks = all.subarray(1);
    return { data, marks, order: sortedByKey(data, marks, n, [0], order, this.scratch), n };
  }

  /** Part `part` of log `id`, its chunks one after the other, at a multiple of `align`. */
  private copy(db: Database<Buffer, Buffer>, id: number, part: 0 | 1, align: number): Buffer | undefined {
    let start = Math.ceil(this.used / align) * align;
    let end = start;
    for (let chunk = 0; ; chunk++) {
      // lmdb-js's reusable buffer, valid until the next read (copied at once): the value is its first `lastSize` bytes.
      const got: Uint8Array | undefined = db.getBinaryFast(logKey(id, part, chunk));
      if (got === undefined) {
        if (chunk === 0) return undefined;
        break;
      }
      const size = (db as unknown as { lastSize: number }).lastSize;
      if (end + size > this.bytes.length) {
        // A new one, with what this part has in the old one so far (the logs read before keep the old one).
        const next = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, 2 * (end - start + size), 1 << 20));
        this.bytes.copy(next, 0, start, end);
        end -= start;
        start = 0;
        this.bytes = next;
      }
      this.bytes.set(got.subarray(0, size), end);
      end += size;
    }
    this.used = end;
    return this.bytes.subarray(start, end);
  }
}

/** Adds to `into` the writes of `r` that `skip` does not mark, and their bytes (keys and records). */
function tallyKept(r: Writes, skip: Uint8Array | undefined, into: { writes: number; bytes: number }): void {
  const m = r.marks;
  let writes = 0;
  let bytes = 0;
  for (let w = 0; w < r.n; w++) {
    if (skip !== undefined && skip[w] === 1) continue;
    writes++;
    bytes += (m[3 * w + 2] as number) - (m[3 * w] as number);
  }
  into.writes += writes;
  into.bytes += bytes;
}

/** How many of the first `n` writes `skip` marks (ones: superseded). */
function countMarked(skip: Uint8Array | undefined, n: number): number {
  if (skip === undefined) return 0;
  let marked = 0;
  for (let w = 0; w < n; w++) marked += skip[w] as number;
  return marked;
}

/**
 * A compaction's copy of one log: each write of `r` that `skip` does not mark goes to `to`
 * (from its `pos` on), its offsets into `marks` as write `k`, `k + 1`, ... (three each, after
 * the count), and its new index into `moved[base + w]` (-1: superseded). Returns the next `k`.
 * Writes next to each other in the log, as most are, are copied as one run of bytes.
 *
 * A function of its own (so are the other long loops of a checkpoint): V8 compiles a short
 * function's loop at once, while one in the body of the checkpoint, which runs once a second,
 * ran unoptimized through the first compactions of a process (1.4 s for 1.4 M writes, later 0.1 s).
 */
function copyKeptWrites(r: Writes, skip: Uint8Array | undefined, to: ByteWriter, marks: Uint32Array, k: number, moved: Int32Array, base: number): number {
  const from = r.data;
  const src = r.marks;
  const out = to.buf;
  const fromView = new DataView(from.buffer, from.byteOffset, from.length);
  const outView = new DataView(out.buffer, out.byteOffset, out.length);
  // The run of bytes gathered so far: from[runStart, runEnd) goes to out[runTo, ...).
  let runStart = 0;
  let runEnd = 0;
  let runTo = to.pos;
  for (let w = 0; w < r.n; w++) {
    if (skip !== undefined && skip[w] === 1) {
      moved[base + w] = -1;
      continue;
    }
    const keyStart = src[3 * w] as number;
    if (keyStart !== runEnd) {
      copyBytes(from, fromView, runStart, runEnd, out, outView, runTo);
      runTo += runEnd - runStart;
      runStart = keyStart;
    }
    const at = runTo + keyStart - runStart;
    marks[1 + 3 * k] = at;
    marks[2 + 3 * k] = at + (src[3 * w + 1] as number) - keyStart;
    runEnd = src[3 * w + 2] as number;
    marks[3 + 3 * k] = at + runEnd - keyStart;
    moved[base + w] = k++;
  }
  // Past the end, Buffer.copy would have dropped bytes without a word: the caller sized `to` from the writes kept.
  if (runTo + runEnd - runStart > out.length) throw internalError('a compaction kept more bytes than it made room for');
  copyBytes(from, fromView, runStart, runEnd, out, outView, runTo);
  to.pos = runTo + runEnd - runStart;
  return k;
}

/**
 * from[start, end) to out[at, ...), through DataViews of them four bytes at a time, or for a long
 * run Buffer.copy (which makes a view of the source each call): in a micro-benchmark 14 against
 * 48 ns for 40 bytes, 36 against 50 for 80, 67 against 54 for 160.
 */
function copyBytes(from: Buffer, fromView: DataView, start: number, end: number, out: Buffer, outView: DataView, at: number): void {
  if (end - start > 128) {
    from.copy(out, at, start, end);
    return;
  }
  let i = start;
  for (const end4 = end - 3; i < end4; i += 4) outView.setUint32(at + i - start, fromView.getUint32(i));
  for (; i < end; i++) out[at + i - start] = from[i] as number;
}

/**
 * Hands each write, in order (or the reverse: `backwards`), to `write`: its key and record
 * (undefined: a removal); not those `skip` marks. Returns how many it handed.
 */
function eachWrite(w: Writes, write: (key: Buffer, record: Buffer | undefined) => void, skip?: Uint8Array, backwards = false): number {
  const { data, marks, order } = w;
  let handed = 0;
  for (let k = 0; k < w.n; k++) {
    const index = backwards ? w.n - 1 - k : k;
    const at = order === undefined ? index : (order[index] as number);
    if (skip !== undefined && skip[at] === 1) continue;
    const i = 3 * at;
    const keyEnd = marks[i + 1] as number;
    const end = marks[i + 2] as number;
    write(data.subarray(marks[i] as number, keyEnd), end === keyEnd ? undefined : data.subarray(keyEnd, end));
    handed++;
  }
  return handed;
}

/**
 * Brings the tree to the state of checkpoint `latest`: restores every key spilled after
 * it to its value then (emptying the undo log), then writes what the logs of the checkpoints
 * up to it hold: the newest write of each key (emptying the log database). Returns the writes applied.
 */
function rollBack(dbs: StateDatabases, latest: number): number {
  const start = Buffer.alloc(4);
  start.writeUInt32BE(latest + 1);
  let replayed = 0;
  dbs.root.transactionSync(() => {
    // Newest epoch first, so the oldest epoch's record (the value at `latest`) is applied last.
    for (const { key, value } of dbs.undo.getRange({ start: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), end: start, reverse: true })) {
      const stateKey = key.subarray(4);
      if (value[0] === 1) dbs.state.put(Buffer.from(stateKey), value.subarray(1));
      else dbs.state.remove(Buffer.from(stateKey));
    }
    dbs.undo.clearSync();
    const ids = new Set<number>();
    for (const key of dbs.log.getKeys({})) ids.add(key.readUInt32BE(0));
    // Newest log first, each from its last write of a key: only the newest write of each key is applied.
    // (A log of a later checkpoint cannot have committed without it; none is replayed.)
    const applied = new Set<string>();
    const apply = (key: Buffer, record: Buffer | undefined): void => {
      const k = key.toString('latin1');
      if (applied.has(k)) return;
      applied.add(k);
      if (record === undefined) dbs.state.remove(key);
      else dbs.state.put(key, record);
      replayed++;
    };
    // One log at a time: the writes of this synchronous transaction are done with a log's bytes before the next is read.
    const arena = new LogArena();
    for (const id of [...ids].filter((i) => i <= latest).sort((a, b) => b - a)) {
      arena.reset();
      eachWrite(arena.read(dbs.log, id), apply, undefined, true);
    }
    dbs.log.clearSync();
  });
  return replayed;
}

/** The states of one operator. */
class LmdbOperatorState implements OperatorState {
  readonly states = new Map<string, StoredState>();
  private readonly handles = new Map<string, ValueState<unknown> | MapState<unknown> | SortedState<unknown>>();

  constructor(private readonly backend: LmdbStateBackend, readonly operatorId: string) {}

  /** A state found in the registry on open. */
  adopt(name: string, rec: StateRecord): void {
    const s = new StoredState(this.backend, this.operatorId, name, rec, true);
    this.states.set(name, s);
    this.backend.adoptState(s);
  }

  private state(name: string, kind: StateKind): StoredState {
    let s = this.states.get(name);
    if (s === undefined) {
      s = this.backend.newState(this, name, kind);
      this.states.set(name, s);
    } else if (s.record.kind !== kind) throw internalError(`state "${name}" is not a ${kind} state`);
    return s;
  }

  value<V>(name: string): ValueState<V> {
    const s = this.state(name, 'value');
    let h = this.handles.get(name);
    if (h === undefined) {
      h = new LmdbValueState<unknown>(s);
      this.handles.set(name, h);
    }
    return h as ValueState<V>;
  }

  map<V>(name: string): MapState<V> {
    const s = this.state(name, 'map');
    let h = this.handles.get(name);
    if (h === undefined) {
      // Per key, how many user keys it holds: a value state of its own.
      h = new LmdbMapState<unknown>(s, new LmdbValueState<number>(this.state(`${name}\u0001size`, 'value')));
      this.handles.set(name, h);
    }
    return h as MapState<V>;
  }

  sorted<V>(name: string): SortedState<V> {
    const s = this.state(name, 'sorted');
    let h = this.handles.get(name);
    if (h === undefined) {
      h = new LmdbSortedState<unknown>(s);
      this.handles.set(name, h);
    }
    return h as SortedState<V>;
  }

  stats(): StateStats {
    let keys = 0;
    let bytes = 0;
    for (const [name, s] of this.states) {
      if (name.includes('\u0001')) continue;
      keys += s.record.count;
      bytes += s.record.count * s.bytesPerEntry();
    }
    return { keys, bytes: Math.round(bytes) };
  }
}

/**
 * One named state of an operator: its cached entries, the dirty ones, and for
 * sorted state the index of entries LMDB does not show yet.
 */
class StoredState {
  /** Value and sorted state: entries by key. */
  readonly entries = new KeyTable<Entry>();
  /** Map state: per key, entries by user key. */
  readonly groups = new KeyTable<KeyTable<Entry>>();
  /** Sorted state: cached entries LMDB does not show yet, in key order. */
  readonly unsynced = new BPlusTree<Entry>();
  private dirtyList: Entry[] = [];
  /** An emptied list of a past epoch, for the next (see recycleDirty). */
  private spareDirty: Entry[] | undefined;
  countChanged = false;
  readonly prefix: Buffer;
  private encodedBytes = 48;

  constructor(
    readonly backend: LmdbStateBackend,
    readonly operatorId: string,
    readonly name: string,
    readonly record: StateRecord,
    public registered: boolean,
  ) {
    this.prefix = stateIdPrefix(record.id);
  }

  get id(): number {
    return this.record.id;
  }

  get kind(): StateKind {
    return this.record.kind;
  }

  bytesPerEntry(): number {
    return this.encodedBytes;
  }

  adjustCount(delta: number): void {
    this.backend.churn++;
    this.record.count += delta;
    this.countChanged = true;
  }

  /** The entry for `key` (under `group`, map state), from the cache or LMDB; created (absent) when neither has it. */
  lookup(key: StateKey, group?: StateKey): Entry {
    const table = group === undefined ? this.entries : this.groupTable(group, true) as KeyTable<Entry>;
    let e = table.get(key);
    if (e !== undefined) {
      e.ref = true;
      return e;
    }
    const stored = this.load(key, group);
    e = new Entry(this, stored?.key ?? key, group, stored?.value);
    table.set(key, e);
    this.backend.cache(e);
    return e;
  }

  private groupTable(group: StateKey, create: boolean): KeyTable<Entry> | undefined {
    let t = this.groups.get(group);
    if (t === undefined && create) {
      t = new KeyTable<Entry>();
      this.groups.set(group, t);
    }
    return t;
  }

  /** Reads one key from LMDB. */
  private load(key: StateKey, group: StateKey | undefined): { key: StateKey; value: unknown } | undefined {
    const stored = this.storedKeyOf(key, group);
    const buf = this.backend.dbs.state.getBinaryFast(stored);
    if (buf === undefined) return undefined;
    this.backend.counters.loads++;
    const rec = readRecord(buf);
    const hashed = this.kind === 'value' ? stored.length > 4 && stored[4] === HASH_MARK
      : this.kind === 'sorted' ? stored.length > HASHED_PREFIX : this.isHashedComponent(key, group);
    if (hashed) this.checkCollision(rec, key, group);
    if (this.kind === 'value') return { key, value: rec[0] };
    const original = rec[1] as StateKey | undefined;
    if (original !== undefined) return { key: original, value: rec[0] };
    // The key stored first stays (as in memory); it differs from `key` only in a DECIMAL's scale or a zero's sign.
    if (!keyNeedsOriginal(key)) return { key, value: rec[0] };
    const start = this.kind === 'map' ? 4 + encodedLength(group as StateKey) + 1 : 4;
    return { key: readKey(stored, start, stored.length), value: rec[0] };
  }

  private isHashedComponent(key: StateKey, group: StateKey | undefined): boolean {
    if (this.kind !== 'map' || group === undefined) return false;
    return encodedLength(key) > MAX_COMPONENT || encodedLength(group) > MAX_COMPONENT;
  }

  private checkCollision(rec: unknown[], key: StateKey, group: StateKey | undefined): void {
    const same = (a: unknown, b: StateKey): boolean => Array.isArray(a) && compareStateKeys(a as StateKey, b) === 0;
    const ok = this.kind === 'map' ? same(rec[1], key) && same(rec[2], group as StateKey) : same(rec[1], key);
    if (!ok) throw internalError(`state key hash collision in "${this.name}"`);
  }

  /** The LMDB key of an entry, as a fresh buffer. */
  storedKey(e: Entry): Buffer {
    return Buffer.from(this.storedKeyOf(e.key, e.group));
  }

  /** The LMDB key of `key` (a view of a shared buffer: copy it to keep it). */
  storedKeyOf(key: StateKey, group: StateKey | undefined): Buffer {
    const w = keyWriter.reset();
    this.writeStoredKey(w, key, group);
    return w.view();
  }

  /** Appends the LMDB key of `key` to `w`. */
  writeStoredKey(w: ByteWriter, key: StateKey, group: StateKey | undefined): void {
    const start = w.pos;
    // The four bytes of the state id one by one: TypedArray.set costs more for so few.
    w.ensure(4);
    const prefix = this.prefix;
    w.buf[start] = prefix[0] as number;
    w.buf[start + 1] = prefix[1] as number;
    w.buf[start + 2] = prefix[2] as number;
    w.buf[start + 3] = prefix[3] as number;
    w.pos = start + 4;
    if (this.kind === 'map') {
      writeComponent(w, group as StateKey);
      w.byte(MAP_SEPARATOR);
      writeComponent(w, key);
      return;
    }
    writeKey(w, key);
    if (w.pos - start <= HASHED_PREFIX) return;
    const hash = sha256(w.buf.subarray(start + 4, w.pos));
    if (this.kind === 'value') {
      w.pos = start + 4;
      w.byte(HASH_MARK);
      w.append(hash);
      return;
    }
    w.pos = start + HASHED_PREFIX;
    w.append(hash);
  }

  /** The stored record of an entry, as a fresh buffer. */
  storedRecord(e: Entry): Buffer {
    const w = recordWriter.reset();
    this.writeStoredKey(w, e.key, e.group);
    const keyEnd = w.pos;
    this.writeStoredRecord(w, e, 0, keyEnd);
    return Buffer.from(w.buf.subarray(keyEnd, w.pos));
  }

  /**
   * Appends the stored record of an entry (its value, with whatever its
   * stored key cannot give back) to `w`, where `w.buf[keyStart, keyEnd)` holds
   * its stored key. The same bytes as encodeValue([value, ...extra]), without
   * building the array. With `sample`, its size goes into the state's estimate of
   * bytes per entry (the encodings of checkpoints and spills do; the one made as an
   * entry changes does not, so the estimate stays what stored records measure).
   */
  writeStoredRecord(w: ByteWriter, e: Entry, keyStart: number, keyEnd: number, sample = true, key = e.key, group = e.group): void {
    let extra: 0 | 1 | 2 = 0;
    const b = w.buf;
    const keyLength = keyEnd - keyStart;
    if (this.kind === 'value') {
      if (keyLength > 4 && b[keyStart + 4] === HASH_MARK) extra = 1;
    } else if (this.kind === 'sorted') {
      if (keyLength > HASHED_PREFIX || keyNeedsOriginal(key)) extra = 1;
    } else {
      // A hashed component starts with HASH_MARK where an encoded key starts with a tag (or the separator, for []).
      const outer = group as StateKey;
      const groupHashed = b[keyStart + 4] === HASH_MARK;
      const userStart = keyStart + 4 + (groupHashed ? 33 : this.groupLength(outer)) + 1;
      if (groupHashed || b[userStart] === HASH_MARK) extra = 2;
      else if (keyNeedsOriginal(key)) extra = 1;
    }
    const start = w.pos;
    w.byte(0x81 + extra);
    writeValue(w, e.value);
    if (extra >= 1) writeValue(w, key);
    if (extra === 2) writeValue(w, group);
    if (sample) this.encodedBytes += (keyLength + w.pos - start - this.encodedBytes) / 16;
  }

  private lastGroup: StateKey | undefined;
  private lastGroupLength = 0;

  /** The encoded length of a map state's key (operators pass one key object for many entries: the last is kept). */
  private groupLength(group: StateKey): number {
    if (group !== this.lastGroup) {
      this.lastGroup = group;
      this.lastGroupLength = encodedLength(group);
    }
    return this.lastGroupLength;
  }

  /**
   * `key` and `group`, when the caller has them: the parts it looked the entry up by. A key of one
   * string or number (as the cache matches it: equal ones encode alike) is encoded from them rather
   * than from the entry's own, which may not have been touched for a long time.
   */
  markDirty(e: Entry, key?: StateKey, group?: StateKey): void {
    e.ref = true;
    if (e.removed) this.revive(e);
    if (this.kind === 'sorted' && !e.indexed) {
      this.unsynced.set(e.key, e);
      e.indexed = true;
    }
    if (e.dirty) {
      // Changed again: what was encoded is not its value any more.
      e.encodedEpoch = 0;
      return;
    }
    e.dirty = true;
    this.dirtyList.push(e);
    if (this.backend.eager) this.backend.encodeEagerly(e, key !== undefined && isPlainKey(key) ? key : e.key, group !== undefined && isPlainKey(group) ? group : e.group);
    else e.encodedEpoch = 0;
  }

  /**
   * The entries listed dirty, handed to a checkpoint (which clears their flags). Some may be
   * clean or dropped since they were listed (a spill, a drop), and one may be listed twice:
   * the checkpoint passes over those as it encodes.
   */
  takeDirty(): Entry[] {
    const list = this.dirtyList;
    this.dirtyList = this.spareDirty ?? [];
    this.spareDirty = undefined;
    return list;
  }

  /** A list takeDirty handed out, once its checkpoint is done with it: kept (emptied) for the next epoch. */
  recycleDirty(list: Entry[]): void {
    if (this.spareDirty !== undefined || list === this.dirtyList) return;
    // Emptied, not replaced: V8 keeps its backing store, so the next epoch does not grow one anew.
    list.length = 0;
    this.spareDirty = list;
  }

  /** Dirty entries a checkpoint took and could not write: dirty again. */
  giveBackDirty(entries: Entry[]): void {
    this.dirtyList.push(...entries);
  }

  /** A write of `e` committed (or was dropped): LMDB may show it now. */
  synced(e: Entry): void {
    if (e.indexed && e.visible) {
      this.unsynced.delete(e.key);
      e.indexed = false;
    }
  }

  /** Puts back an entry evicted between its lookup and its change (another lookup's sweep took it). */
  private revive(e: Entry): void {
    if (e.group === undefined) this.entries.set(e.key, e);
    else (this.groupTable(e.group, true) as KeyTable<Entry>).set(e.key, e);
    this.backend.recache(e);
  }

  /** Drops a clean entry from the cache. */
  forget(e: Entry): void {
    if (e.removed) return;
    if (e.group === undefined) {
      if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    } else {
      const t = this.groups.get(e.group);
      if (t !== undefined && t.get(e.key) === e) {
        t.delete(e.key);
        if (t.size === 0) this.groups.delete(e.group);
      }
    }
    if (e.indexed) {
      this.unsynced.delete(e.key);
      e.indexed = false;
    }
    this.backend.uncache(e);
  }

  /** Forgets every cached entry (state dropped, or a crash). */
  discard(): void {
    for (const e of this.entries.values()) this.backend.uncache(e);
    for (const t of this.groups.values()) for (const e of t.values()) this.backend.uncache(e);
    this.entries.clear();
    this.groups.clear();
    this.unsynced.clear();
    this.dirtyList = [];
    this.spareDirty = undefined;
  }

  /**
   * Entries of LMDB from `start` (inclusive) towards `end` (exclusive), decoded, in key order; hashed sorted keys put in place.
   *
   * LMDB is read in chunks (16 entries, then up to 1,024), each read to its end before any
   * entry is handed out: a caller that takes the first entries and drops the iterator
   * leaves no cursor open, since an open cursor pins its read transaction's reader slot
   * and enough of them fill LMDB's reader table (MDB_READERS_FULL).
   */
  *stored(start: Buffer, end: Buffer | undefined, reverse: boolean, within?: (full: Buffer) => boolean, keyStart = 4): IterableIterator<[StateKey, unknown]> {
    // Reverse: from `start` (exclusive) down to `end` (inclusive; keys below it end the scan).
    const lowest = end ?? this.prefix;
    const db = this.backend.dbs.state;
    let run: { full: Buffer; key: StateKey; value: unknown }[] = [];
    let runPrefix: Buffer | undefined;
    const out: [StateKey, unknown][] = [];
    const flush = (): void => {
      run.sort((a, b) => (reverse ? Buffer.compare(b.full, a.full) : Buffer.compare(a.full, b.full)));
      for (const r of run) if (within === undefined || within(r.full)) out.push([r.key, r.value]);
      run = [];
      runPrefix = undefined;
    };
    let from = start;
    let exclusive = reverse;
    let limit = 16;
    for (;;) {
      const options = reverse
        ? { start: from, reverse: true, exclusiveStart: exclusive, limit }
        : { start: from, exclusiveStart: exclusive, limit, ...(end === undefined ? {} : { end }) };
      let n = 0;
      let last: Buffer | undefined;
      let stop = false;
      for (const { key, value } of db.getRange(options)) {
        if (++n === limit) last = Buffer.from(key);
        if (reverse && Buffer.compare(key, lowest) < 0) {
          stop = true;
          break;
        }
        const rec = readRecord(value);
        if (this.kind === 'sorted' && key.length > HASHED_PREFIX) {
          const p = key.subarray(0, HASHED_PREFIX);
          if (runPrefix !== undefined && !p.equals(runPrefix)) flush();
          runPrefix = Buffer.from(p);
          const k = rec[1] as StateKey;
          writeKey(keyWriter.reset(), k);
          run.push({ full: Buffer.concat([this.prefix, keyWriter.view()]), key: k, value: rec[0] });
          continue;
        }
        if (run.length > 0) flush();
        if (within !== undefined && !within(key)) continue;
        const k = (rec[1] as StateKey | undefined) ?? readKey(key, keyStart, key.length);
        out.push([k, rec[0]]);
      }
      const more = !stop && n === limit && last !== undefined;
      if (!more && run.length > 0) flush();
      // A run of hashed keys may go on in the next chunk: it is handed out once it ends.
      if (out.length > 0) yield* out.splice(0);
      if (!more) return;
      from = last as Buffer;
      exclusive = true;
      limit = Math.min(limit * 4, 1024);
    }
  }
}

/** Appends a map state's key or user key, hashed when long. */
/** A key of one string, or one number other than -0 (which the cache takes for 0). */
function isPlainKey(key: StateKey): boolean {
  if (key.length !== 1) return false;
  const v = key[0];
  return typeof v === 'string' || (typeof v === 'number' && !Object.is(v, -0));
}

function writeComponent(w: ByteWriter, key: StateKey): void {
  const start = w.pos;
  writeKey(w, key);
  if (w.pos - start <= MAX_COMPONENT) return;
  const hash = sha256(w.buf.subarray(start, w.pos));
  w.pos = start;
  w.byte(HASH_MARK);
  w.append(hash);
}

const lengthWriter = new ByteWriter(256);

function encodedLength(key: StateKey): number {
  writeKey(lengthWriter.reset(), key);
  return lengthWriter.pos;
}

/** Rough heap bytes of plain data. */
function approxBytes(v: unknown, depth = 0): number {
  if (v === null || v === undefined || typeof v !== 'object') return typeof v === 'string' ? 16 + 2 * v.length : 8;
  if (depth > 4) return 32;
  if (Array.isArray(v)) {
    let n = 16 + 8 * v.length;
    for (let i = 0; i < v.length && i < 64; i++) n += approxBytes(v[i], depth + 1);
    return v.length > 64 ? Math.round((n * v.length) / 64) : n;
  }
  if (v instanceof Uint8Array) return 64 + v.byteLength;
  if (v instanceof Map) return 64 + 48 * v.size;
  return 48;
}

class LmdbValueState<V> implements ValueState<V> {
  constructor(private readonly s: StoredState) {}

  get(key: StateKey): V | undefined {
    return this.s.lookup(key).value as V | undefined;
  }

  put(key: StateKey, value: V): void {
    const e = this.s.lookup(key);
    if (e.value === undefined) this.s.adjustCount(1);
    e.value = value;
    this.s.markDirty(e, key);
  }

  delete(key: StateKey): void {
    const e = this.s.lookup(key);
    if (e.value === undefined) return;
    this.s.adjustCount(-1);
    e.value = undefined;
    this.s.markDirty(e, key);
  }
}

class LmdbSortedState<V> implements SortedState<V> {
  constructor(private readonly s: StoredState) {}

  get(key: StateKey): V | undefined {
    return this.s.lookup(key).value as V | undefined;
  }

  put(key: StateKey, value: V): void {
    const e = this.s.lookup(key);
    if (e.value === undefined) {
      this.s.adjustCount(1);
      // A new key keeps the key object it was put with, as the memory backend does.
      e.key = key;
    }
    e.value = value;
    this.s.markDirty(e, key);
  }

  delete(key: StateKey): void {
    const e = this.s.lookup(key);
    if (e.value === undefined) return;
    this.s.adjustCount(-1);
    e.value = undefined;
    this.s.markDirty(e, key);
  }

  scan(prefix: StateKey, options?: { readonly reverse?: boolean }): IterableIterator<[StateKey, V]> {
    const reverse = options?.reverse === true;
    const s = this.s;
    const p = sortedKey(s.prefix, prefix);
    let lmdb: IterableIterator<[StateKey, unknown]>;
    if (p.length <= HASHED_PREFIX) {
      lmdb = reverse ? s.stored(prefixEnd(p) as Buffer, p, true) : s.stored(p, prefixEnd(p), false);
    } else {
      const t = Buffer.from(p.subarray(0, HASHED_PREFIX));
      const within = (full: Buffer): boolean => full.length >= p.length && full.subarray(0, p.length).equals(p);
      lmdb = reverse ? s.stored(prefixEnd(t) as Buffer, t, true, within) : s.stored(t, prefixEnd(t), false, within);
    }
    return merge<V>(lmdb, s.unsynced.scan(prefix, reverse), reverse);
  }

  range(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]> {
    const s = this.s;
    if (to !== undefined && from !== undefined && compareStateKeys(from, to) >= 0) return [].values();
    const f = from === undefined ? undefined : sortedKey(s.prefix, from);
    const t = to === undefined ? undefined : sortedKey(s.prefix, to);
    const start = f === undefined ? s.prefix : f.length > HASHED_PREFIX ? f.subarray(0, HASHED_PREFIX) : f;
    const end = t === undefined ? prefixEnd(s.prefix) : t.length > HASHED_PREFIX ? prefixEnd(t.subarray(0, HASHED_PREFIX)) : t;
    const within = (full: Buffer): boolean => (f === undefined || Buffer.compare(full, f) >= 0) && (t === undefined || Buffer.compare(full, t) < 0);
    return merge<V>(s.stored(Buffer.from(start), end, false, within), s.unsynced.range(from, to), false);
  }

  deletePrefix(prefix: StateKey): void {
    const keys: StateKey[] = [];
    for (const [k] of this.scan(prefix)) keys.push(k);
    for (const k of keys) this.delete(k);
  }
}

/** The LMDB key of a sorted state's `key` (or of a prefix of keys), unhashed, as a fresh buffer. */
function sortedKey(statePrefix: Buffer, key: StateKey): Buffer {
  const w = keyWriter.reset();
  w.append(statePrefix);
  writeKey(w, key);
  return w.bytes();
}

/** Merges LMDB's entries with the cached ones it does not show yet (those win; an absent one hides the key). */
function* merge<V>(lmdb: IterableIterator<[StateKey, unknown]>, cached: IterableIterator<[StateKey, Entry]>, reverse: boolean): IterableIterator<[StateKey, V]> {
  let a = lmdb.next();
  let b = cached.next();
  const sign = reverse ? -1 : 1;
  while (!a.done || !b.done) {
    if (b.done) {
      yield a.value as [StateKey, V];
      a = lmdb.next();
      continue;
    }
    const e = b.value[1];
    if (!a.done) {
      const c = compareStateKeys(a.value[0], e.key) * sign;
      if (c < 0) {
        yield a.value as [StateKey, V];
        a = lmdb.next();
        continue;
      }
      if (c === 0) a = lmdb.next();
    }
    if (e.value !== undefined) yield [e.key, e.value as V];
    b = cached.next();
  }
}

class LmdbMapState<V> implements MapState<V> {
  constructor(private readonly s: StoredState, private readonly sizes: LmdbValueState<number>) {}

  get(key: StateKey, userKey: StateKey): V | undefined {
    return this.s.lookup(userKey, key).value as V | undefined;
  }

  put(key: StateKey, userKey: StateKey, value: V): void {
    const e = this.s.lookup(userKey, key);
    if (e.value === undefined) {
      this.s.adjustCount(1);
      this.sizes.put(key, (this.sizes.get(key) ?? 0) + 1);
      e.key = userKey;
    }
    e.value = value;
    this.s.markDirty(e, userKey, key);
  }

  delete(key: StateKey, userKey: StateKey): void {
    const e = this.s.lookup(userKey, key);
    if (e.value === undefined) return;
    this.s.adjustCount(-1);
    const n = (this.sizes.get(key) ?? 1) - 1;
    if (n <= 0) this.sizes.delete(key);
    else this.sizes.put(key, n);
    e.value = undefined;
    this.s.markDirty(e, userKey, key);
  }

  *entries(key: StateKey): IterableIterator<[StateKey, V]> {
    const s = this.s;
    const group = s.groups.get(key);
    // First what LMDB does not show yet, then LMDB's entries that the cache does not override.
    if (group !== undefined) {
      for (const e of [...group.values()]) if (!e.visible && e.value !== undefined) yield [e.key, e.value as V];
    }
    if ((this.sizes.get(key) ?? 0) === 0) return;
    const w = keyWriter.reset();
    w.append(s.prefix);
    writeComponent(w, key);
    w.byte(MAP_SEPARATOR);
    const p = w.bytes();
    for (const [userKey, value] of s.stored(p, prefixEnd(p), false, undefined, p.length)) {
      const e = s.groups.get(key)?.get(userKey);
      if (e !== undefined && !e.visible) continue;
      yield [userKey, value as V];
    }
  }

  size(key: StateKey): number {
    return this.sizes.get(key) ?? 0;
  }

  clear(key: StateKey): void {
    const users: StateKey[] = [];
    for (const [u] of this.entries(key)) users.push(u);
    for (const u of users) this.delete(key, u);
  }
}
