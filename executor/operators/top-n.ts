// TopN: per partition, the rows ranked offset+1 .. offset+limit by ROW_NUMBER / RANK / DENSE_RANK over an order, maintained under retraction.

import { compareValues } from '../../common/compare.js';
import { internalError } from '../../common/errors.js';
import { projectedKey, rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { SortKey } from '../../planner/logical/sort.js';
import { compareStateKeys } from '../state/bplus-tree.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { appendOrderKey } from './order-key.js';

export interface TopNOptions {
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly rankFn: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';
  /** Ranks offset+1 .. offset+limit are kept. */
  readonly offset: number;
  readonly limit: number;
  /** Append the rank (BIGINT) after the input columns. */
  readonly outputRank: boolean;
  /** The input only inserts (its changelog mode is append): a row below the top can never enter it. */
  readonly insertOnlyInput?: boolean;
}

/** One output row of a partition's top: the input row and its rank. */
type Ranked = [Row, number];

/**
 * What a partition's top looked like after the last batch:
 * `[ranked rows in the output window, copies ranked <= offset+limit,
 *   distinct order keys among them, sorted key of the last of them | null]`.
 * It makes most changes below the top cost one sorted-state update and no scan.
 */
type TopCache = [Ranked[], number, number, StateKey | null];

/**
 * Insert-only input keeps a partition's rows as one value while offset+limit is
 * at most this; past it, in sorted state (an insertion then costs O(log n), not
 * a copy of the whole top).
 */
const MAX_KEPT_AS_ONE_VALUE = 128;

/** Insert-only input: one row of a partition's kept rows and how many copies of it arrived. */
type Kept = [Row, number];

/** A partition touched by the current batch (insert-only input): its kept rows before it, and after (a copy once changed). */
interface TouchedKept {
  readonly before: readonly Kept[];
  after: Kept[];
  changed: boolean;
  /** Whether a row ranked after every row of `after` would rank past offset+limit. */
  full: boolean;
}

/**
 * Keeps the top of each partition. Every row of a partition is kept in sorted
 * state, so when a row leaves the top the next one enters.
 *
 * Order: the ORDER BY keys, then the whole row's key string as a tiebreak, so
 * ROW_NUMBER among equal keys is deterministic (it does not depend on arrival).
 *
 * Changelog, per batch and touched partition, as the difference between the
 * top before and after the batch:
 * - without the rank column: -D for rows that left the top, then +I for rows
 *   that entered it (a row that only moved within the top emits nothing);
 * - with the rank column: -D for rows that left, then -U (row, old rank) /
 *   +U (row, new rank) for rows whose rank changed, then +I for rows that entered.
 *
 * State: sorted state "rows", key [partition key string, ...encoded order
 * key, row key string] -> [row, copies]; value state "tops", key [partition
 * key string] -> TopCache.
 *
 * Insert-only input (`insertOnlyInput`, what Flink's append-only rank does): a
 * row below the top can never enter it again, as nothing above it ever
 * leaves, so each partition keeps only the rows ranked <= offset+limit (with
 * RANK / DENSE_RANK, every row tied at the last rank) in order, as one value:
 * value state "kept", key [partition key string] -> Kept[]. A row that cannot
 * make the top costs a comparison with the last kept row; the state and the
 * output are read and written once per batch and touched partition. Same
 * order, tiebreak and changelog as above; a retraction fails (the planner
 * promised none). Past MAX_KEPT_AS_ONE_VALUE ranks the rows stay in "rows",
 * but a row that cannot make the top is not stored and the rows the top pushes
 * out are deleted.
 */
export class TopN implements StreamOperator {
  readonly name = 'TopN';
  private output!: Output;
  private rows!: SortedState<[Row, number]>;
  private tops!: ValueState<TopCache>;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  /** offset + limit: the last rank that matters. */
  private readonly last: number;
  private readonly touched = new Map<string, { before: TopCache | undefined; dirty: boolean }>();
  private kept: ValueState<Kept[]> | undefined;
  /** Insert-only input kept in sorted state: rows that rank past offset+limit are dropped. */
  private evict = false;
  private readonly touchedKept = new Map<string, TouchedKept>();

  constructor(private readonly options: TopNOptions) {
    this.last = options.offset + options.limit;
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    if (this.options.insertOnlyInput === true) {
      if (this.last <= MAX_KEPT_AS_ONE_VALUE) {
        this.kept = context.state.value<Kept[]>('kept');
        return;
      }
      this.evict = true;
    }
    this.rows = context.state.sorted<[Row, number]>('rows');
    this.tops = context.state.value<TopCache>('tops');
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (this.options.limit <= 0) return;
    if (this.kept !== undefined) {
      this.processInserts(batch, this.kept);
      return;
    }
    const { partitionKeys, orderKeys } = this.options;
    const touched = this.touched;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const kind = batch.kinds[i] as ChangeKind;
      const partition = projectedKey(row, partitionKeys);
      const key: Value[] = [partition];
      appendOrderKey(row, orderKeys, key);
      key.push(rowKey(row));
      let t = touched.get(partition);
      if (t === undefined) {
        t = { before: this.tops.get([partition]), dirty: false };
        touched.set(partition, t);
      }
      if (this.evict) {
        if (kind === UPDATE_BEFORE || kind === DELETE) throw internalError('TopN over insert-only input received a retraction');
        // Ranked past the top before this batch: inserts only push it further down.
        if (!this.mayChangeTop(t.before, key)) continue;
      }
      const stored = this.rows.get(key);
      if (kind === UPDATE_BEFORE || kind === DELETE) {
        // Retracting a row the partition does not have (inconsistent input) is ignored.
        if (stored === undefined) continue;
        if (stored[1] > 1) this.rows.put(key, [stored[0], stored[1] - 1]);
        else this.rows.delete(key);
      } else this.rows.put(key, stored === undefined ? [row, 1] : [stored[0], stored[1] + 1]);
      if (!t.dirty && this.mayChangeTop(t.before, key)) t.dirty = true;
    }
    const out = new ChangeBatch();
    for (const [partition, t] of touched) {
      if (!t.dirty) continue;
      const after = this.computeTop(partition);
      this.emitDifference(t.before?.[0] ?? [], after[0], out, rowKey, (r) => `${rowKey(r[0])}#${r[1]}`);
      if (after[1] === 0) this.tops.delete([partition]);
      else this.tops.put([partition], after);
    }
    touched.clear();
    if (out.length > 0) this.output.emit(out);
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Insert-only input: each row is placed among its partition's kept rows, or dropped at once when it ranks past the end. */
  private processInserts(batch: ChangeBatch, kept: ValueState<Kept[]>): void {
    const partitionKeys = this.options.partitionKeys;
    const touched = this.touchedKept;
    for (let i = 0; i < batch.length; i++) {
      const kind = batch.kinds[i] as ChangeKind;
      if (kind === UPDATE_BEFORE || kind === DELETE) throw internalError('TopN over insert-only input received a retraction');
      const row = batch.rows[i] as Row;
      const partition = projectedKey(row, partitionKeys);
      let t = touched.get(partition);
      if (t === undefined) {
        const stored = kept.get([partition]) ?? [];
        t = { before: stored, after: stored as Kept[], changed: false, full: this.keptFull(stored) };
        touched.set(partition, t);
      }
      this.insertKept(t, row);
    }
    if (touched.size === 0) return;
    const out = new ChangeBatch();
    for (const [partition, t] of touched) {
      if (!t.changed) continue;
      // The kept rows before and after share their row objects, and one partition keeps a row once (with its copies).
      const ids = new Map<Row, number>();
      const identify = (row: Row): number => {
        let id = ids.get(row);
        if (id === undefined) ids.set(row, (id = ids.size));
        return id;
      };
      // Ranks are at most MAX_KEPT_AS_ONE_VALUE here, so a row and its rank make one number.
      const stride = this.last + 1;
      const rankedId = (r: Ranked): number => identify(r[0]) * stride + r[1];
      this.emitDifference(this.rankKept(t.before), this.rankKept(t.after), out, identify, rankedId);
      kept.put([partition], t.after);
    }
    touched.clear();
    if (out.length > 0) this.output.emit(out);
  }

  /** Places `row` among the kept rows of `t` (copying them on the first change) and drops what now ranks past offset+limit. */
  private insertKept(t: TouchedKept, row: Row): void {
    const list = t.after;
    const rankFn = this.options.rankFn;
    let rowId: string | undefined;
    // RANK / DENSE_RANK: a row tied with the last kept ones of a full partition joins them at their
    // rank and pushes nothing out, so the kept rows need no pruning (ties can be many).
    let joinsLastTie = false;
    // Past the last kept row (ROW_NUMBER), or past its order key (RANK / DENSE_RANK: a tie still ranks
    // with it), a full partition has no room: the common case, one comparison.
    if (t.full) {
      const lastRow = (list[list.length - 1] as Kept)[0];
      let c = this.compareOrder(row, lastRow);
      if (c === 0 && rankFn === 'ROW_NUMBER') {
        rowId = rowKey(row);
        c = compareValues(rowId, rowKey(lastRow));
      }
      if (rankFn === 'ROW_NUMBER' ? c >= 0 : c > 0) return;
      joinsLastTie = c === 0;
    }
    // Binary search for the first kept row at or after `row` (order key, then row key string).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = (list[mid] as Kept)[0];
      let c = this.compareOrder(row, other);
      if (c === 0) {
        rowId ??= rowKey(row);
        c = compareValues(rowId, rowKey(other));
      }
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    const next = t.changed ? list : list.slice();
    const at = next[lo];
    if (at !== undefined && this.compareOrder(row, at[0]) === 0 && (rowId ??= rowKey(row)) === rowKey(at[0])) next[lo] = [at[0], at[1] + 1];
    else next.splice(lo, 0, [row, 1]);
    t.after = next;
    t.changed = true;
    if (joinsLastTie) return;
    this.pruneKept(next);
    t.full = this.keptFull(next);
  }

  /** Whether a row ranked after every kept row would rank past offset+limit. */
  private keptFull(list: readonly Kept[]): boolean {
    const rankFn = this.options.rankFn;
    const last = this.last;
    if (rankFn === 'DENSE_RANK') {
      let distinct = 0;
      for (let i = 0; i < list.length; i++) if (i === 0 || this.compareOrder((list[i] as Kept)[0], (list[i - 1] as Kept)[0]) !== 0) distinct++;
      return distinct >= last;
    }
    let copies = 0;
    for (let i = 0; i < list.length; i++) copies += (list[i] as Kept)[1];
    return copies >= last;
  }

  /** Drops the kept rows (and, for ROW_NUMBER, the copies) that rank past offset+limit. */
  private pruneKept(list: Kept[]): void {
    const rankFn = this.options.rankFn;
    const last = this.last;
    let copies = 0;
    let distinct = 0;
    let rank = 0;
    for (let i = 0; i < list.length; i++) {
      const [row, n] = list[i] as Kept;
      if (rankFn === 'ROW_NUMBER') {
        if (copies >= last) {
          list.length = i;
          return;
        }
        // Copies past the last row number can never rank again.
        if (copies + n > last) list[i] = [row, last - copies];
        copies += n;
        continue;
      }
      if (i === 0 || this.compareOrder(row, (list[i - 1] as Kept)[0]) !== 0) {
        distinct++;
        rank = rankFn === 'RANK' ? copies + 1 : distinct;
      }
      if (rank > last) {
        list.length = i;
        return;
      }
      copies += n;
    }
  }

  /** The ranked rows of the output window (ranks offset+1 .. offset+limit) of a partition's kept rows. */
  private rankKept(list: readonly Kept[]): Ranked[] {
    const { offset, rankFn } = this.options;
    const last = this.last;
    const ranked: Ranked[] = [];
    let copies = 0;
    let distinct = 0;
    let rank = 0;
    for (let i = 0; i < list.length; i++) {
      const [row, n] = list[i] as Kept;
      if (rankFn === 'ROW_NUMBER') {
        for (let c = 1; c <= n && copies + c <= last; c++) if (copies + c > offset) ranked.push([row, copies + c]);
        copies += n;
        continue;
      }
      if (i === 0 || this.compareOrder(row, (list[i - 1] as Kept)[0]) !== 0) {
        distinct++;
        rank = rankFn === 'RANK' ? copies + 1 : distinct;
      }
      copies += n;
      if (rank > last) break;
      if (rank > offset) for (let c = 0; c < n; c++) ranked.push([row, rank]);
    }
    return ranked;
  }

  /** Compares two rows by the ORDER BY keys (NULLs first or last whatever the direction, as appendOrderKey encodes them). */
  private compareOrder(a: Row, b: Row): number {
    const keys = this.options.orderKeys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as SortKey;
      const x = a[k.index] as Value;
      const y = b[k.index] as Value;
      if (x === y) continue;
      if (x === null) return k.nullsFirst ? -1 : 1;
      if (y === null) return k.nullsFirst ? 1 : -1;
      const c = compareValues(x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  }

  /** Whether adding or removing the row at sorted key `key` can change the top described by `top`. */
  private mayChangeTop(top: TopCache | undefined, key: StateKey): boolean {
    if (top === undefined) return true;
    const boundary = top[3];
    if (boundary === null) return true;
    const full = this.options.rankFn === 'DENSE_RANK' ? top[2] >= this.last : top[1] >= this.last;
    if (!full) return true;
    // ROW_NUMBER: rows after the last ranked one get ranks past the end.
    // RANK / DENSE_RANK: so do rows whose order key is past the last ranked one's (a tie joins it).
    return this.options.rankFn === 'ROW_NUMBER' ? compareStateKeys(key, boundary) <= 0 : compareOrder(key, boundary) <= 0;
  }

  /** Scans the partition's rows in order until the ranks run past offset + limit. */
  private computeTop(partition: string): TopCache {
    const { offset, rankFn } = this.options;
    const last = this.last;
    const ranked: Ranked[] = [];
    let copies = 0;
    let distinct = 0;
    let boundary: StateKey | null = null;
    let rank = 0;
    // Insert-only input: what ranks past the end now never ranks again, and is deleted.
    const evict = this.evict;
    const beyond: StateKey[] = [];
    let clipped: [StateKey, Row, number] | undefined;
    let past = false;
    for (const [key, [row, n]] of this.rows.scan([partition])) {
      if (past) {
        if (!evict) break;
        beyond.push(key);
        continue;
      }
      const newOrder = boundary === null || compareOrder(key, boundary) !== 0;
      if (rankFn === 'ROW_NUMBER') {
        if (copies >= last) {
          past = true;
          if (!evict) break;
          beyond.push(key);
          continue;
        }
        // Copies of one row take consecutive row numbers; only some may fit.
        const take = Math.min(n, last - copies);
        for (let c = 1; c <= take; c++) if (copies + c > offset) ranked.push([row, copies + c]);
        copies += take;
        if (newOrder) distinct++;
        boundary = key;
        if (take < n) {
          past = true;
          if (!evict) break;
          clipped = [key, row, take];
        }
        continue;
      }
      // RANK / DENSE_RANK: copies and ties share a rank, so they are in or out together.
      if (newOrder) rank = rankFn === 'RANK' ? copies + 1 : distinct + 1;
      if (rank > last) {
        past = true;
        if (!evict) break;
        beyond.push(key);
        continue;
      }
      if (newOrder) distinct++;
      copies += n;
      if (rank > offset) for (let c = 0; c < n; c++) ranked.push([row, rank]);
      boundary = key;
    }
    for (const key of beyond) this.rows.delete(key);
    if (clipped !== undefined) this.rows.put(clipped[0], [clipped[1], clipped[2]]);
    return [ranked, copies, distinct, boundary];
  }

  /**
   * Emits the change from `before` to `after`; `identify` tells which rows are the same row, `identifyRanked`
   * which rows are the same row at the same rank.
   */
  private emitDifference(
    before: readonly Ranked[],
    after: readonly Ranked[],
    out: ChangeBatch,
    identify: (row: Row) => string | number,
    identifyRanked: (r: Ranked) => string | number,
  ): void {
    const withRank = this.options.outputRank;
    // Multiset difference by row (and rank, when it is output).
    const counts = new Map<string | number, { ranked: Ranked; n: number }>();
    const idOf = (r: Ranked): string | number => (withRank ? identifyRanked(r) : identify(r[0]));
    for (const r of before) {
      const id = idOf(r);
      const e = counts.get(id);
      if (e) e.n--;
      else counts.set(id, { ranked: r, n: -1 });
    }
    for (const r of after) {
      const id = idOf(r);
      const e = counts.get(id);
      if (e) e.n++;
      else counts.set(id, { ranked: r, n: 1 });
    }
    const removed: Ranked[] = [];
    const added: Ranked[] = [];
    for (const { ranked, n } of counts.values()) {
      for (let i = 0; i < n; i++) added.push(ranked);
      for (let i = 0; i > n; i--) removed.push(ranked);
    }
    if (!withRank) {
      for (const r of removed) out.push(DELETE, r[0]);
      for (const r of added) out.push(INSERT, r[0]);
      return;
    }
    // A row that is both removed (old rank) and added (new rank) changed rank: -U/+U.
    const moved = new Map<string | number, Ranked[]>();
    for (const r of removed) {
      const id = identify(r[0]);
      const list = moved.get(id);
      if (list) list.push(r);
      else moved.set(id, [r]);
    }
    const pairs: [Ranked, Ranked][] = [];
    const inserts: Ranked[] = [];
    for (const r of added) {
      const old = moved.get(identify(r[0]))?.shift();
      if (old) pairs.push([old, r]);
      else inserts.push(r);
    }
    for (const list of moved.values()) for (const r of list) out.push(DELETE, withRankColumn(r));
    for (const [o, n] of pairs) {
      out.push(UPDATE_BEFORE, withRankColumn(o));
      out.push(UPDATE_AFTER, withRankColumn(n));
    }
    for (const r of inserts) out.push(INSERT, withRankColumn(r));
  }
}

function withRankColumn(r: Ranked): Row {
  const row = r[0];
  const out = new Array<Value>(row.length + 1);
  for (let i = 0; i < row.length; i++) out[i] = row[i] as Value;
  out[row.length] = r[1];
  return out;
}

/** Compares the order-key parts of two sorted keys of one partition (skipping the partition and the row tiebreak). */
function compareOrder(a: StateKey, b: StateKey): number {
  const end = a.length - 1;
  for (let i = 1; i < end; i++) {
    const c = compareValues(a[i] as Value, b[i] as Value);
    if (c !== 0) return c;
  }
  return 0;
}
