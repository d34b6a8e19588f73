// TemporalJoin: L ⋈ R AS OF L.t — each left row meets the version of R (same key) valid at t: event time once the watermark has passed t, processing time at arrival.

import { rowsEqual } from '../../common/compare.js';
import { projectedKey, rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';

/**
 * A join key as state keys hold it: a single string, number or boolean as it is (the
 * row's own value, whose hash the engine already knows), else the row key string of
 * the key's values. Both sides of one join have keys of the same types, so the two
 * forms never meet.
 */
export type JoinKey = string | number | boolean;

/** A row's join key, or undefined when a part is NULL (SQL equality: it meets nothing). */
export type KeyOf = (row: Row) => JoinKey | undefined;

/** The join key of `values` (none NULL). */
export function joinKey(values: readonly Value[]): JoinKey {
  if (values.length === 1) {
    const v = values[0] as Value;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  }
  return rowKey(values);
}

/** A KeyOf reading plain columns. */
export function columnsKey(columns: readonly number[]): KeyOf {
  if (columns.length === 1) {
    const c = columns[0] as number;
    return (row) => {
      const v = row[c] as Value;
      if (v === null) return undefined;
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : rowKey([v]);
    };
  }
  return (row) => {
    for (let i = 0; i < columns.length; i++) if (row[columns[i] as number] === null) return undefined;
    return projectedKey(row, columns);
  };
}

export interface TemporalJoinOptions {
  readonly joinType: 'INNER' | 'LEFT';
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** The left row's key, equal to `rightKey` of the versions it may meet. */
  readonly leftKey: KeyOf;
  /** A version's key: the versioned table's primary key. */
  readonly rightKey: KeyOf;
  /** The AS OF column of the left row (ROWTIME). */
  readonly leftTime: number;
  /** The versions' event-time column (ROWTIME). */
  readonly rightTime: number;
  /** The rest of the ON condition, over the concatenated row. */
  readonly residual?: (row: Row) => boolean;
  readonly leftWidth: number;
  readonly rightWidth: number;
  /**
   * The left input retracts. What each left row produced is then kept, so that its
   * retraction takes back exactly that, whatever versions came and went since.
   */
  readonly retractingLeft?: boolean;
  /**
   * The columns that identify a left row for its retraction (default: all). Processing-time
   * columns are left out: a retraction computes them anew, so they differ from its row's.
   */
  readonly leftIdentity?: readonly number[];
}

/** A version: the right row, or null for a deletion (the key has no version from then on). */
type Version = Row | null;

/**
 * Per left row (by its row key), for each copy of it, newest last: the version it met
 * (null for none) and what it produced. A retraction takes back the newest.
 */
type Produced = [Row | null, Row[]][];

/**
 * Event time (ROWTIME). A version is valid from its time, inclusive, until the
 * key's next version or deletion. A left row at t waits until the watermark (the
 * minimum of both inputs') passes t, i.e. W > t: no version at or before t can still
 * arrive in time, so the version valid at t is final. It is then joined with that
 * version (the residual decides whether they match; LEFT pads a row that meets
 * none), emitted with its own kind, and forgotten.
 *
 * Versions from the right input: +I and +U add a version at the row's time; -D ends
 * the key's validity at the right input's watermark on arrival (at the deleted row's
 * own time if that is later), which no row already emitted had reached; a -U that no
 * +U of the same key follows in its batch is such a deletion too, one that is
 * followed is the replaced version and means nothing. A version behind the
 * watermark still becomes valid for rows to come, but rows already emitted keep
 * what they met: it is reported late.
 *
 * A left row behind the watermark on arrival is reported late and dropped, never
 * joined with a version that may since have been freed. With `retractingLeft`, a
 * retraction is never late: it takes back what its row produced, at once if that
 * was emitted, else in turn after it; and a +U right after such a -U, at the same
 * time and key, meets the version the -U's row met (an UPDATE of a past row's other
 * columns), which is the version valid then whether or not it is still kept.
 *
 * Freeing: rows at or after the watermark W are all that can still be joined, and
 * they need at most the newest version at or before W; older versions are freed
 * as W passes the time of a newer one (the "expiry" queue says which key to
 * look at when), and a deletion that is the newest before W takes the key's
 * state with it.
 *
 * Processing time (PROCTIME): the latest row per key is kept; a left row joins it
 * at arrival and is emitted at once. Changes to the right side never touch what
 * was emitted.
 *
 * Output: append-only for an append-only left input; otherwise each left change's
 * result with the change's kind.
 *
 * State: sorted "versions" [key, time] -> Version; sorted "pending" [0, time, seq,
 * kind] -> left row (the kind in the key spares a pair per row); sorted "expiry" [0, time, key] -> 1; value "progress" [] ->
 * [watermark, right watermark]; value "sequence"; processing time: value "latest"
 * [key] -> row; with `retractingLeft`: value "produced" [left row key] -> Produced.
 *
 * @example
 *   // orders (id, currency, t) LEFT JOIN rates (currency, rate, t) FOR SYSTEM_TIME AS OF orders.t
 *   new TemporalJoin({ joinType: 'LEFT', timeAttribute: 'ROWTIME', leftKey: columnsKey([1]), rightKey: columnsKey([0]),
 *     leftTime: 2, rightTime: 2, leftWidth: 3, rightWidth: 3 })
 */
export class TemporalJoin implements StreamOperator {
  readonly name = 'TemporalJoin';
  private output!: Output;
  private context!: OperatorContext;
  private versions!: SortedState<Version>;
  private pending!: SortedState<Row>;
  private expiry!: SortedState<number>;
  private latest!: ValueState<Row>;
  private produced!: ValueState<Produced>;
  private progressState!: ValueState<[number, number]>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private sequenceDirty = false;
  /** The watermark up to which left rows have been emitted and versions freed. */
  private progress = Number.NEGATIVE_INFINITY;
  private rightWatermark = Number.NEGATIVE_INFINITY;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly nullRight: Row;
  private readonly eventTime: boolean;
  private readonly retractingLeft: boolean;
  // Per right batch: keys whose -U no +U has followed yet, with the retracted row.
  private readonly unpaired = new Map<JoinKey, Row>();
  // The version a left row behind the watermark met, just taken back by its -U: the +U
  // that follows it at the same time and key meets the same version (an UPDATE of a
  // past row's other columns), though that version may have been freed since.
  private retracted: { readonly key: JoinKey | undefined; readonly time: number; readonly version: Row | null } | undefined;

  constructor(private readonly options: TemporalJoinOptions) {
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
    this.eventTime = options.timeAttribute === 'ROWTIME';
    this.retractingLeft = options.retractingLeft === true;
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const s = context.state;
    this.versions = s.sorted<Version>('versions');
    this.pending = s.sorted<Row>('pending');
    this.expiry = s.sorted<number>('expiry');
    this.latest = s.value<Row>('latest');
    this.produced = s.value<Produced>('produced');
    this.progressState = s.value<[number, number]>('progress');
    const p = this.progressState.get([]);
    if (p !== undefined) [this.progress, this.rightWatermark] = p;
    this.sequenceState = s.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    const out = new ChangeBatch();
    const kinds = batch.kinds;
    const rows = batch.rows;
    if (input === 0) {
      for (let i = 0; i < rows.length; i++) this.leftChange(kinds[i] as ChangeKind, rows[i] as Row, out);
      this.retracted = undefined;
    } else {
      for (let i = 0; i < rows.length; i++) this.rightChange(kinds[i] as ChangeKind, rows[i] as Row);
      for (const [key, row] of this.unpaired) this.endValidity(key, row);
      this.unpaired.clear();
    }
    if (this.sequenceDirty) {
      this.sequenceState.put([], this.sequence);
      this.sequenceDirty = false;
    }
    if (out.length > 0) this.output.emit(out);
    // Rows from one input may show that the other has gone idle.
    const w = this.watermarks.active(input);
    if (w !== undefined) this.advance(w);
  }

  processWatermark(input: number, watermark: number): void {
    if (this.eventTime && input === 1 && watermark > this.rightWatermark) {
      this.rightWatermark = watermark;
      this.progressState.put([], [this.progress, this.rightWatermark]);
    }
    const w = this.watermarks.update(input, watermark);
    if (w !== undefined) this.advance(w);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  // ---- left input

  private leftChange(kind: ChangeKind, row: Row, out: ChangeBatch): void {
    const retraction = kind === UPDATE_BEFORE || kind === DELETE;
    if (retraction && !this.retractingLeft) return;
    if (!this.eventTime) {
      if (retraction) this.takeBack(kind, row, out);
      else this.join(kind, row, this.latestVersion(row), out);
      return;
    }
    const t = row[this.options.leftTime];
    if (typeof t !== 'number') {
      if (!retraction) this.context.lateRow?.(0, row, null, this.progress);
      return;
    }
    if (t < this.progress) {
      // Behind the watermark: a retraction's row was emitted (or dropped as late)
      // already; an addition may have missed versions since freed, unless it replaces
      // the row just retracted at the same time and key.
      if (retraction) {
        const met = this.takeBack(kind, row, out);
        this.retracted = met === undefined ? undefined : { key: this.options.leftKey(row), time: t, version: met };
        return;
      }
      const r = this.retracted;
      this.retracted = undefined;
      if (kind === UPDATE_AFTER && r !== undefined && r.time === t && r.key === this.options.leftKey(row)) {
        this.join(kind, row, r.version ?? undefined, out);
      } else this.context.lateRow?.(0, row, t, this.progress);
      return;
    }
    this.pending.put([0, t, this.sequence++, kind], row);
    this.sequenceDirty = true;
  }

  /** Joins an addition with `version` (or none), emits the result with `kind`, and remembers it for a later retraction. */
  private join(kind: ChangeKind, row: Row, version: Row | undefined, out: ChangeBatch): void {
    let result: Row | undefined;
    if (version !== undefined) {
      const joined = concat(row, version);
      const residual = this.options.residual;
      if (residual === undefined || residual(joined) === true) result = joined;
    }
    if (result === undefined && this.options.joinType === 'LEFT') result = concat(row, this.nullRight);
    if (result !== undefined) out.push(kind, result);
    if (!this.retractingLeft) return;
    const id: StateKey = [this.identity(row)];
    const produced = this.produced.get(id) ?? [];
    produced.push([version ?? null, result === undefined ? [] : [result]]);
    this.produced.put(id, produced);
  }

  /** A left retraction: takes back what the newest copy of its row produced; returns the version it had met (undefined: no such row). */
  private takeBack(kind: ChangeKind, row: Row, out: ChangeBatch): Row | null | undefined {
    const id: StateKey = [this.identity(row)];
    const produced = this.produced.get(id);
    if (produced === undefined) return undefined;
    const [met, rows] = produced.pop() as [Row | null, Row[]];
    for (const r of rows) out.push(kind, r);
    if (produced.length === 0) this.produced.delete(id);
    else this.produced.put(id, produced);
    return met;
  }

  private identity(row: Row): string {
    const columns = this.options.leftIdentity;
    return columns === undefined ? rowKey(row) : projectedKey(row, columns);
  }

  // ---- right input

  private rightChange(kind: ChangeKind, row: Row): void {
    const key = this.options.rightKey(row);
    if (key === undefined) return; // a NULL key meets no left row
    if (!this.eventTime) {
      if (kind === INSERT || kind === UPDATE_AFTER) this.latest.put([key], row);
      else {
        const current = this.latest.get([key]);
        if (current !== undefined && rowsEqual(current, row)) this.latest.delete([key]);
      }
      return;
    }
    if (kind === UPDATE_BEFORE) {
      this.unpaired.set(key, row);
      return;
    }
    if (kind === DELETE) {
      this.unpaired.delete(key);
      this.endValidity(key, row);
      return;
    }
    this.unpaired.delete(key);
    const t = row[this.options.rightTime];
    if (typeof t !== 'number') {
      this.context.lateRow?.(1, row, null, this.progress);
      return;
    }
    if (t < this.progress) this.context.lateRow?.(1, row, t, this.progress);
    this.addVersion(key, t, row);
  }

  /** The key has no version from the right input's watermark on (or from the deleted row's time, if later). */
  private endValidity(key: JoinKey, row: Row): void {
    const t = row[this.options.rightTime];
    const own = typeof t === 'number' ? t : Number.NEGATIVE_INFINITY;
    const at = Math.max(this.rightWatermark, own);
    if (at === Number.NEGATIVE_INFINITY) return;
    this.addVersion(key, at, null);
  }

  private addVersion(key: JoinKey, t: number, version: Version): void {
    this.versions.put([key, t], version);
    // Once the watermark reaches t, versions of the key before t can no longer be met.
    this.expiry.put([0, t, key], 1);
  }

  // ---- time

  private advance(watermark: number): void {
    if (!this.eventTime) {
      this.output.emitWatermark(watermark);
      return;
    }
    if (watermark <= this.progress) return;
    const out = new ChangeBatch();
    const ready: StateKey[] = [];
    for (const [k, row] of this.pending.scan([0])) {
      const kind = k[3] as ChangeKind;
      if ((k[1] as number) >= watermark) break;
      ready.push(k);
      if (kind === UPDATE_BEFORE || kind === DELETE) this.takeBack(kind, row, out);
      else this.join(kind, row, this.versionAt(row, k[1] as number), out);
    }
    for (const k of ready) this.pending.delete(k);
    this.progress = watermark;
    this.free(watermark);
    this.progressState.put([], [this.progress, this.rightWatermark]);
    if (out.length > 0) this.output.emit(out);
    this.output.emitWatermark(watermark);
  }

  /** The version of the left row's key valid at `t`: the newest at or before t, unless that is a deletion. */
  private versionAt(row: Row, t: number): Row | undefined {
    const key = this.options.leftKey(row);
    if (key === undefined) return undefined;
    for (const [k, v] of this.versions.scan([key], { reverse: true })) {
      if ((k[1] as number) <= t) return v ?? undefined;
    }
    return undefined;
  }

  private latestVersion(row: Row): Row | undefined {
    const key = this.options.leftKey(row);
    return key === undefined ? undefined : this.latest.get([key]);
  }

  /** Frees, for each key a version of which the watermark has reached, the versions before its newest at or before the watermark. */
  private free(watermark: number): void {
    const due: StateKey[] = [];
    for (const [k] of this.expiry.scan([0])) {
      if ((k[1] as number) > watermark) break;
      due.push(k);
    }
    const seen = new Set<JoinKey>();
    for (const k of due) {
      this.expiry.delete(k);
      const key = k[2] as JoinKey;
      if (seen.has(key)) continue;
      seen.add(key);
      this.freeKey(key, watermark);
    }
  }

  private freeKey(key: JoinKey, watermark: number): void {
    const gone: StateKey[] = [];
    let newest: StateKey | undefined;
    let newestIsDeletion = false;
    for (const [k, v] of this.versions.scan([key])) {
      if ((k[1] as number) > watermark) break;
      if (newest !== undefined) gone.push(newest);
      newest = k;
      newestIsDeletion = v === null;
    }
    // A deletion that is the newest before the watermark says what no entry says too.
    if (newest !== undefined && newestIsDeletion) gone.push(newest);
    for (const k of gone) this.versions.delete(k);
  }
}

function concat(a: Row, b: Row): Row {
  const na = a.length;
  const nb = b.length;
  const out = new Array<Value>(na + nb);
  for (let i = 0; i < na; i++) out[i] = a[i] as Value;
  for (let i = 0; i < nb; i++) out[na + i] = b[i] as Value;
  return out;
}
