// TopN: per partition, the rows ranked offset+1 .. offset+limit by ROW_NUMBER / RANK / DENSE_RANK over an order, maintained under retraction.

import { compareValues } from '../../common/compare.js';
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

  constructor(private readonly options: TopNOptions) {
    this.last = options.offset + options.limit;
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    this.rows = context.state.sorted<[Row, number]>('rows');
    this.tops = context.state.value<TopCache>('tops');
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (this.options.limit <= 0) return;
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
      this.emitDifference(t.before?.[0] ?? [], after[0], out);
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
    for (const [key, [row, n]] of this.rows.scan([partition])) {
      const newOrder = boundary === null || compareOrder(key, boundary) !== 0;
      if (rankFn === 'ROW_NUMBER') {
        if (copies >= last) break;
        // Copies of one row take consecutive row numbers; only some may fit.
        const take = Math.min(n, last - copies);
        for (let c = 1; c <= take; c++) if (copies + c > offset) ranked.push([row, copies + c]);
        copies += take;
        if (newOrder) distinct++;
        boundary = key;
        if (take < n) break;
        continue;
      }
      // RANK / DENSE_RANK: copies and ties share a rank, so they are in or out together.
      if (newOrder) rank = rankFn === 'RANK' ? copies + 1 : distinct + 1;
      if (rank > last) break;
      if (newOrder) distinct++;
      copies += n;
      if (rank > offset) for (let c = 0; c < n; c++) ranked.push([row, rank]);
      boundary = key;
    }
    return [ranked, copies, distinct, boundary];
  }

  private emitDifference(before: readonly Ranked[], after: readonly Ranked[], out: ChangeBatch): void {
    const withRank = this.options.outputRank;
    // Multiset difference by row (and rank, when it is output).
    const counts = new Map<string, { ranked: Ranked; n: number }>();
    const idOf = (r: Ranked): string => (withRank ? `${rowKey(r[0])}#${r[1]}` : rowKey(r[0]));
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
    const moved = new Map<string, Ranked[]>();
    for (const r of removed) {
      const id = rowKey(r[0]);
      const list = moved.get(id);
      if (list) list.push(r);
      else moved.set(id, [r]);
    }
    const pairs: [Ranked, Ranked][] = [];
    const inserts: Ranked[] = [];
    for (const r of added) {
      const old = moved.get(rowKey(r[0]))?.shift();
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
