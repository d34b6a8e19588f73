// WindowAggregate: γ_{window, keys; aggs} over TUMBLE / HOP / CUMULATE windows (or windows assigned upstream), emitted once per window when time passes its end.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import type { ChangeBatch } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { MapState, SortedState, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, GROUPING_SET, KEY_VALUES, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';
import { Slicing, windowsOf, type WindowShape } from './window-slices.js';
import { InsertBatches } from './insert-batches.js';

export type WindowPlacement =
  /** Rows are placed by the time column. */
  | { readonly kind: 'time'; readonly shape: WindowShape; readonly timeIndex: number }
  /** Rows carry their window (window_start, window_end columns an earlier operator filled in). */
  | { readonly kind: 'assigned'; readonly startIndex: number; readonly endIndex: number };

export interface WindowAggregateOptions {
  readonly window: WindowPlacement;
  /** Event time follows the watermark; processing time the clock. */
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** Input columns of the group key; the output starts with them. */
  readonly groupKeys: readonly number[];
  /** One output column per call, after the keys; then window_start, window_end, window_time. */
  readonly aggs: readonly AggCall[];
}

/** Functions whose accumulators combine slices (their slots are plain folds of additions). */
const mergeable = new Set(['count', 'count_star', 'sum', 'avg', 'min', 'max', 'stddev_pop', 'stddev_samp', 'stddev', 'var_pop', 'var_samp', 'variance', 'bool_and', 'bool_or', 'every']);


/** window_time is the window's last millisecond, as in Flink. */
const WINDOW_TIME_BEFORE_END = 1000;

/**
 * A rewrite of a cell's chunks is due when they hold more than twice its groups plus this
 * many records (groups changed again are written again), or more than MAX_CHUNKS chunks.
 */
const CHUNK_SLACK = 1024;
const MAX_CHUNKS = 64;

/** One group of an open cell: its record, and whether it changed since the last snapshot. */
class OpenGroup {
  dirty = true;
  constructor(readonly record: GroupRecord) {}
}

/** An open cell (window or slice) in memory, and the chunks of state that snapshots wrote of it. */
class OpenCell {
  /** Groups by `groupKey`: the key value itself for one key of plain type, else a key string. */
  readonly groups = new Map<unknown, OpenGroup>();
  /** Groups changed since the last snapshot. */
  dirty: OpenGroup[] = [];
  /** Sequence numbers of its chunks in state, oldest first. */
  chunks: number[] = [];
  /** Records its chunks hold, counting a group once per chunk it is in. */
  written = 0;
  constructor(readonly end: number) {}
}

/**
 * Window aggregation. Nothing is emitted while a window is open; when the watermark
 * (processing time: the clock) reaches a window's end, one +I row per group of the
 * window is emitted and the window is dropped, so the output is append-only and the
 * operator holds only open windows.
 *
 * Rows fold into cells, one accumulator record per (cell, group): a cell is a window
 * (TUMBLE, windows assigned upstream, or calls that cannot be combined such as
 * DISTINCT), or a slice shared by the windows that cover it (HOP, CUMULATE): a row
 * then updates one slice however many windows it is in, and a closing window
 * combines its slices' records (Accumulator.merge).
 *
 * The open cells' records live in memory, between checkpoints too: a row updates its
 * record without a state lookup, and a closing window reads its cells without a
 * scan. The memory they take is bounded by the open windows' groups. `snapshot` writes
 * what changed since the previous one into state as one chunk per cell, and `open`
 * reads every chunk back, so a checkpoint holds every open cell. A cell's chunks are
 * rewritten as one when they hold more than about twice its groups, so state stays
 * bounded by the open groups too.
 *
 * A row is late, and changes nothing, when every window it belongs to has already
 * closed; it is reported (eddy_late_rows). A row whose earlier windows closed but
 * later ones are open still counts in the open ones.
 *
 * State: sorted state "chunks", key [cell end, chunk] -> records end to end, each as
 * [row count, start, ...key values, ...accumulator slots] (windows assigned upstream can
 * end together and start apart; a later chunk's record replaces an earlier one of the
 * same group); "progress"
 * (the watermark already applied, as of the snapshot); "distinct" for DISTINCT calls; what the accumulators
 * keep (ORDER BY bags), released with their cell. DISTINCT and ORDER BY state is
 * written as rows come, like any other operator's.
 *
 * @example
 *   // SUM(price) per 10-minute TUMBLE window over rows (price, bidtime)
 *   new WindowAggregate({ window: { kind: 'time', shape: { kind: 'TUMBLE', size: 600e6, slide: 600e6, offset: 0 }, timeIndex: 1 },
 *     timeAttribute: 'ROWTIME', groupKeys: [], aggs: [sumPrice] })
 */
export class WindowAggregate implements StreamOperator {
  readonly name = 'WindowAggregate';
  private output!: Output;
  private context!: OperatorContext;
  private chunks!: SortedState<unknown[]>;
  private distinct!: MapState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private accs: Accumulator[] = [];
  /** Event time (or processing time) up to which windows are closed. */
  private progress = Number.NEGATIVE_INFINITY;
  /** The progress as state holds it: written at snapshots, with the windows it goes with. */
  private progressWritten = Number.NEGATIVE_INFINITY;
  /** Open cells by end, and their ends in ascending order. */
  private readonly cells = new Map<number, OpenCell>();
  private ends: number[] = [];
  /** Result rows, passed on in batches, and how many had been when the last watermark went out. */
  private out!: InsertBatches;
  private sentAtWatermark = 0;
  /** The cell the previous row went to (rows of a batch mostly share one). */
  private lastCell: OpenCell | undefined;
  private readonly slicing: Slicing | undefined;
  /** Cells are slices shared by windows (HOP, CUMULATE with combinable calls). */
  private sliced = false;
  private readonly hasDistinct: boolean;
  /** Some call keeps state outside its record (DISTINCT, ORDER BY): it needs each cell's own group name. */
  private readonly sideState: boolean;
  private readonly assigned: boolean;
  /** No call has a FILTER, DISTINCT or state of its own: a row goes to every accumulator as it is. */
  private readonly plainCalls: boolean;
  /** Positions of the group keys in a record's key values. */
  private readonly recordKeys: readonly number[];

  constructor(private readonly options: WindowAggregateOptions) {
    const w = options.window;
    this.slicing = w.kind === 'time' ? new Slicing(w.shape) : undefined;
    this.hasDistinct = options.aggs.some((a) => a.distinct);
    this.sideState = this.hasDistinct || options.aggs.some((a) => a.orderBy !== undefined && a.orderBy.length > 0);
    this.assigned = w.kind === 'assigned';
    this.plainCalls = !this.sideState && options.aggs.every((a) => a.filter === undefined);
    this.recordKeys = options.groupKeys.map((_, i) => i);
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    this.out = new InsertBatches(context.output);
    const state = context.state;
    this.chunks = state.sorted<unknown[]>('chunks');
    this.distinct = state.map<number>('distinct');
    this.progressState = state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.progressWritten = this.progress;
    this.sequenceState = state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    const nextSequence = (): number => {
      const n = this.sequence++;
      this.sequenceState.put([], this.sequence);
      return n;
    };
    const shared = new Map<string, object>();
    const grouping = { groupKeys: this.options.groupKeys, groupingSets: undefined };
    // Windows only ever add rows: accumulators keep no retraction state.
    this.accs = this.options.aggs.map((call, index) => createAccumulator(call, { state, index, appendOnly: true, nextSequence, shared }, grouping));
    const w = this.options.window;
    this.sliced = w.kind === 'time' && w.shape.kind !== 'TUMBLE'
      && this.options.aggs.every((a, i) => !a.distinct && a.orderBy === undefined && mergeable.has(a.fn) && this.accs[i]?.merge !== undefined);
    this.restore();
  }

  /** Reads the open cells back from their chunks (in key order: a later chunk's record of a group replaces an earlier one). */
  private restore(): void {
    this.cells.clear();
    this.ends = [];
    this.lastCell = undefined;
    for (const [key, flat] of this.chunks.range(undefined, undefined)) {
      const cell = this.cellOf(key[0] as number);
      const records = this.unflatten(flat);
      cell.chunks.push(key[1] as number);
      cell.written += records.length;
      for (const record of records) {
        const g = new OpenGroup(record);
        g.dirty = false;
        cell.groups.set(this.recordKey(record), g);
      }
    }
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const rows = batch.rows;
    const groupKeys = this.options.groupKeys;
    const w = this.options.window;
    const progress = this.progress;
    const slicing = this.slicing;
    // The one-cell case: [cellStart, cellEnd) is the cell of the previous row's time, open or not.
    let cellStart = Number.POSITIVE_INFINITY;
    let cellEnd = Number.NEGATIVE_INFINITY;
    let cellOpen = false;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      if (w.kind === 'assigned') {
        const end = row[w.endIndex];
        const start = row[w.startIndex];
        if (typeof end !== 'number' || typeof start !== 'number') this.late(row, null);
        else if (end > progress) this.fold(end, start, groupKeys.length === 0 ? start : `${start}|${projectedKey(row, groupKeys)}`, row);
        else this.late(row, end - WINDOW_TIME_BEFORE_END);
        continue;
      }
      const t = row[w.timeIndex];
      if (typeof t !== 'number' || slicing === undefined) {
        this.late(row, null);
        continue;
      }
      if (this.sliced || w.shape.kind === 'TUMBLE') {
        // One cell: the row's slice (or its TUMBLE window).
        if (t < cellStart || t >= cellEnd) {
          cellEnd = slicing.sliceEnd(t);
          cellStart = cellEnd - slicing.width;
          cellOpen = slicing.lastWindowEnd(cellEnd) > progress;
        }
        if (cellOpen) this.fold(cellEnd, cellStart, groupKey(row, groupKeys), row);
        else this.late(row, t);
        continue;
      }
      let placed = false;
      const key = groupKey(row, groupKeys);
      for (const win of windowsOf(w.shape, t)) {
        if (win.end <= progress) continue;
        this.fold(win.end, win.start, key, row);
        placed = true;
      }
      if (!placed) this.late(row, t);
    }
    if (proctime) this.advance(this.context.now());
  }

  processWatermark(_input: number, watermark: number): void {
    if (this.options.timeAttribute === 'ROWTIME') {
      if (watermark <= this.progress) return;
      this.advance(watermark);
    } else {
      // The end of time (every bounded input ended) closes processing-time windows too:
      // no row can come to them any more.
      this.advance(watermark === Number.POSITIVE_INFINITY ? watermark : this.context.now());
    }
    this.output.emitWatermark(watermark);
  }

  /** Writes each open cell's groups changed since the last snapshot as one chunk (or the whole cell, when its chunks grew past it). */
  snapshot(_checkpointId: number): void {
    if (this.progress !== this.progressWritten) {
      this.progressState.put([], this.progress);
      this.progressWritten = this.progress;
    }
    for (const cell of this.cells.values()) {
      if (cell.dirty.length === 0) continue;
      const seq = (cell.chunks[cell.chunks.length - 1] ?? -1) + 1;
      let records: GroupRecord[];
      if (cell.written + cell.dirty.length > 2 * cell.groups.size + CHUNK_SLACK || cell.chunks.length >= MAX_CHUNKS) {
        for (const c of cell.chunks) this.chunks.delete([cell.end, c]);
        cell.chunks = [];
        cell.written = 0;
        records = [];
        for (const g of cell.groups.values()) {
          g.dirty = false;
          records.push(g.record);
        }
      } else {
        records = cell.dirty.map((g) => {
          g.dirty = false;
          return g.record;
        });
      }
      this.chunks.put([cell.end, seq], this.flatten(records));
      cell.chunks.push(seq);
      cell.written += records.length;
      cell.dirty = [];
    }
  }

  close(): void {}

  /**
   * A chunk: its records end to end, each as its row count, start, key values and
   * accumulator slots (one array to encode and decode, not two per record).
   */
  private flatten(records: readonly GroupRecord[]): unknown[] {
    const keys = this.recordKeys.length;
    const slots = this.accs.length;
    const flat = new Array<unknown>(records.length * (2 + keys + slots));
    let i = 0;
    for (const record of records) {
      flat[i++] = record[ROW_COUNT];
      flat[i++] = record[GROUPING_SET];
      const keyValues = record[KEY_VALUES] as Row;
      for (let k = 0; k < keys; k++) flat[i++] = keyValues[k];
      for (let a = 0; a < slots; a++) flat[i++] = record[ACC_OFFSET + a];
    }
    return flat;
  }

  private unflatten(flat: readonly unknown[]): GroupRecord[] {
    const keys = this.recordKeys.length;
    const slots = this.accs.length;
    const records: GroupRecord[] = [];
    for (let i = 0; i < flat.length;) {
      const rowCount = flat[i++];
      const start = flat[i++];
      const keyValues = flat.slice(i, i + keys) as Value[];
      i += keys;
      const record: GroupRecord = [rowCount, keyValues, start];
      for (let a = 0; a < slots; a++) record.push(flat[i++]);
      records.push(record);
    }
    return records;
  }

  private late(row: Row, rowTime: number | null): void {
    this.context.lateRow?.(0, row, rowTime, this.progress);
  }

  /** The open cell ending at `end`, created when new. */
  private cellOf(end: number): OpenCell {
    let cell = this.cells.get(end);
    if (cell === undefined) {
      cell = new OpenCell(end);
      this.cells.set(end, cell);
      const ends = this.ends;
      let i = ends.length;
      while (i > 0 && (ends[i - 1] as number) > end) i--;
      ends.splice(i, 0, end);
    }
    return cell;
  }

  /** Drops a closed cell, and its chunks from state. */
  private dropCell(cell: OpenCell): void {
    for (const c of cell.chunks) this.chunks.delete([cell.end, c]);
    this.cells.delete(cell.end);
    const i = this.ends.indexOf(cell.end);
    if (i >= 0) this.ends.splice(i, 1);
    if (this.lastCell === cell) this.lastCell = undefined;
  }

  /** The key of a record within its cell, as `processBatch` computes it for a row. */
  private recordKey(record: GroupRecord): unknown {
    const keyValues = record[KEY_VALUES] as Row;
    if (!this.assigned) return groupKey(keyValues, this.recordKeys);
    const start = record[GROUPING_SET] as number;
    return this.recordKeys.length === 0 ? start : `${start}|${projectedKey(keyValues, this.recordKeys)}`;
  }

  /** Folds `row` into the record of group `key` in the cell [start, end). */
  private fold(end: number, start: number, key: unknown, row: Row): void {
    let cell = this.lastCell;
    if (cell === undefined || cell.end !== end) {
      cell = this.cellOf(end);
      this.lastCell = cell;
    }
    let g = cell.groups.get(key);
    if (g === undefined) {
      g = new OpenGroup(this.newRecord(row, start));
      cell.groups.set(key, g);
      cell.dirty.push(g);
    } else if (!g.dirty) {
      g.dirty = true;
      cell.dirty.push(g);
    }
    const record = g.record;
    record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
    if (this.plainCalls) {
      for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).update(record, ACC_OFFSET + a, row, 1, '');
      return;
    }
    const calls = this.options.aggs;
    const cellGroup = this.sideState ? `${end}|${start}|${projectedKey(row, this.options.groupKeys)}` : '';
    for (let a = 0; a < calls.length; a++) {
      const call = calls[a] as AggCall;
      if (call.filter !== undefined && row[call.filter] !== true) continue;
      if (call.distinct && !this.firstDistinct(cellGroup, a, call, row)) continue;
      (this.accs[a] as Accumulator).update(record, ACC_OFFSET + a, row, 1, cellGroup);
    }
  }

  /** DISTINCT: whether this is the first copy of the call's arguments in the cell. */
  private firstDistinct(cellGroup: string, call: number, c: AggCall, row: Row): boolean {
    const args = c.fn === 'listagg' || c.fn === 'string_agg' ? c.args.slice(0, 1) : c.args;
    const values: Value[] = [];
    for (const a of args) {
      const v = row[a] as Value;
      if (v === null) return false;
      values.push(v);
    }
    const key = [cellGroup, call];
    const copies = this.distinct.get(key, values) ?? 0;
    this.distinct.put(key, values, copies + 1);
    return copies === 0;
  }

  /** A record for a group of the cell starting at `start` (kept in the slot grouping sets would use: windows have none). */
  private newRecord(row: Row | null, start: number): GroupRecord {
    const keys = this.options.groupKeys;
    const keyValues = keys.map((k) => (row === null ? null : (row[k] as Value)));
    const record: GroupRecord = [0, keyValues, start];
    for (const acc of this.accs) record.push(acc.create());
    return record;
  }

  /** Closes every window ending at or before `time`, in order of their ends. */
  private advance(time: number): void {
    if (time <= this.progress) return;
    if (this.sliced) this.closeSliced(time);
    else this.closeCells(time);
    this.out.flush();
    this.sentAtWatermark = this.out.sent;
    this.progress = time;
  }


  /**
   * The rows of the window ending at `end` are out. When later windows close in the same
   * advance (to `time`), event time says so downstream first: no row for a window ending
   * by `end` follows, and every later row's window_time is past it. A window join or
   * aggregation downstream then closes one window after another instead of holding
   * them all at once.
   */
  private windowDone(end: number, time: number): void {
    this.out.flush();
    if (this.out.sent === this.sentAtWatermark || end >= time || this.options.timeAttribute !== 'ROWTIME') return;
    this.sentAtWatermark = this.out.sent;
    this.output.emitWatermark(end);
  }

  /** Cells are windows: each group of each cell ending by `time` is one result row. */
  private closeCells(time: number): void {
    for (;;) {
      const end = this.ends[0];
      if (end === undefined || end > time) return;
      const cell = this.cells.get(end) as OpenCell;
      for (const { record } of cell.groups.values()) {
        const start = record[GROUPING_SET] as number;
        const cellGroup = this.sideState ? `${end}|${start}|${projectedKey(record[KEY_VALUES] as Row, this.recordKeys)}` : '';
        this.out.push(this.resultRow(record, cellGroup, start, end));
        if (this.sideState) this.release(cellGroup);
      }
      this.dropCell(cell);
      this.windowDone(end, time);
    }
  }

  /**
   * Cells are slices: windows close one end after another; each combines the slices
   * it covers per group, and slices whose last window it was are dropped.
   */
  private closeSliced(time: number): void {
    const slicing = this.slicing as Slicing;
    let end = Number.isFinite(this.progress) ? slicing.windowEndAfter(this.progress) : Number.NEGATIVE_INFINITY;
    for (;;) {
      const first = this.ends[0];
      if (first === undefined) return;
      end = Math.max(end, slicing.firstWindowEnd(first));
      if (end > time) return;
      const start = slicing.windowStart(end);
      const covered: OpenCell[] = [];
      const expired: OpenCell[] = [];
      for (const sliceEnd of this.ends) {
        if (sliceEnd <= start) continue;
        if (sliceEnd > end) break;
        const cell = this.cells.get(sliceEnd) as OpenCell;
        if (cell.groups.size > 0) covered.push(cell);
        if (slicing.lastWindowEnd(sliceEnd) <= end) expired.push(cell);
      }
      if (covered.length === 1) {
        // One slice holds the window's rows: its records are the window's.
        for (const { record } of (covered[0] as OpenCell).groups.values()) this.out.push(this.resultRow(record, '', start, end));
      } else if (covered.length > 1) {
        const merged = new Map<unknown, GroupRecord>();
        for (const cell of covered) {
          for (const [key, { record }] of cell.groups) {
            let into = merged.get(key);
            if (into === undefined) {
              into = this.newRecord(null, start);
              into[KEY_VALUES] = record[KEY_VALUES];
              merged.set(key, into);
            }
            into[ROW_COUNT] = (into[ROW_COUNT] as number) + (record[ROW_COUNT] as number);
            for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).merge?.(into, record, ACC_OFFSET + a);
          }
        }
        for (const record of merged.values()) this.out.push(this.resultRow(record, '', start, end));
      }
      for (const cell of expired) this.dropCell(cell);
      this.windowDone(end, time);
      end = slicing.nextWindowEnd(end);
    }
  }

  private resultRow(record: GroupRecord, cellGroup: string, start: number, end: number): Row {
    const keyValues = record[KEY_VALUES] as Value[];
    const accs = this.accs;
    const n = keyValues.length;
    const out = new Array<Value>(n + accs.length + 3);
    for (let i = 0; i < n; i++) out[i] = keyValues[i] as Value;
    for (let a = 0; a < accs.length; a++) out[n + a] = (accs[a] as Accumulator).result(record, ACC_OFFSET + a, cellGroup);
    const k = n + accs.length;
    out[k] = start;
    out[k + 1] = end;
    out[k + 2] = end - WINDOW_TIME_BEFORE_END;
    return out;
  }

  /** Drops what the calls keep for a closed cell outside its record. */
  private release(cellGroup: string): void {
    for (let a = 0; a < this.accs.length; a++) {
      (this.accs[a] as Accumulator).release?.(cellGroup);
      if (this.hasDistinct) this.distinct.clear([cellGroup, a]);
    }
  }
}

/**
 * A group's key in a cell's map: the value itself for one key of a plain type (a column
 * has one type, and Map equality agrees with valueKey's there: -0 is 0, NaN is NaN),
 * else the key string.
 */
function groupKey(row: Row, keys: readonly number[]): unknown {
  if (keys.length === 0) return '';
  if (keys.length === 1) {
    const v = row[keys[0] as number] as Value;
    if (v === null || typeof v !== 'object') return v;
  }
  return projectedKey(row, keys);
}
