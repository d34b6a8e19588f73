// WindowAggregate: γ_{window, keys; aggs} over TUMBLE / HOP / CUMULATE windows (or windows assigned upstream), emitted once per window when time passes its end.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { MapState, SortedState, StateKey, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, KEY_VALUES, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';
import { Slicing, windowsOf, type WindowShape } from './window-slices.js';

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

interface Touched {
  readonly key: StateKey;
  readonly record: GroupRecord;
}

/**
 * Window aggregation. Nothing is emitted while a window is open; when the watermark
 * (processing time: the clock) reaches a window's end, one +I row per group of the
 * window is emitted and the window's state is dropped, so the output is append-only
 * and the state holds only open windows.
 *
 * Rows fold into cells, one accumulator record per (cell, group): a cell is a window
 * (TUMBLE, windows assigned upstream, or calls that cannot be combined such as
 * DISTINCT), or a slice shared by the windows that cover it (HOP, CUMULATE): a row
 * then updates one slice however many windows it is in, and a closing window
 * combines its slices' records (Accumulator.merge).
 *
 * A row is late, and changes nothing, when every window it belongs to has already
 * closed; it is reported (eddy_late_rows). A row whose earlier windows closed but
 * later ones are open still counts in the open ones.
 *
 * State: sorted state "cells", key [cell end, cell start, group key] -> GroupRecord;
 * "progress" (the watermark already applied); "distinct" for DISTINCT calls; what
 * the accumulators keep (ORDER BY bags), released with their cell.
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
  private cells!: SortedState<GroupRecord>;
  private distinct!: MapState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private accs: Accumulator[] = [];
  /** Event time (or processing time) up to which windows are closed. */
  private progress = Number.NEGATIVE_INFINITY;
  private readonly touched = new Map<string, Touched>();
  private readonly slicing: Slicing | undefined;
  /** Cells are slices shared by windows (HOP, CUMULATE with combinable calls). */
  private sliced = false;
  private readonly hasDistinct: boolean;

  constructor(private readonly options: WindowAggregateOptions) {
    const w = options.window;
    this.slicing = w.kind === 'time' ? new Slicing(w.shape) : undefined;
    this.hasDistinct = options.aggs.some((a) => a.distinct);
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.cells = state.sorted<GroupRecord>('cells');
    this.distinct = state.map<number>('distinct');
    this.progressState = state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
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
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const rows = batch.rows;
    const groupKeys = this.options.groupKeys;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      const cells = this.cellsOf(row);
      if (cells === undefined) continue;
      const group = groupKeys.length === 0 ? '' : projectedKey(row, groupKeys);
      for (let c = 0; c < cells.length; c += 2) this.fold(cells[c] as number, cells[c + 1] as number, group, row);
    }
    for (const t of this.touched.values()) this.cells.put(t.key, t.record);
    this.touched.clear();
    if (proctime) this.advance(this.context.now());
  }

  processWatermark(_input: number, watermark: number): void {
    if (this.options.timeAttribute === 'ROWTIME') {
      if (watermark <= this.progress) return;
      this.advance(watermark);
    } else this.advance(this.context.now());
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /**
   * The cells `row` updates, as [end, start, end, start, ...], or undefined when the
   * row is late (all its windows closed) or has no time.
   */
  private cellsOf(row: Row): number[] | undefined {
    const w = this.options.window;
    const progress = this.progress;
    if (w.kind === 'assigned') {
      const end = row[w.endIndex];
      const start = row[w.startIndex];
      if (typeof end !== 'number' || typeof start !== 'number') return this.late(row, null);
      return end > progress ? [end, start] : this.late(row, end - WINDOW_TIME_BEFORE_END);
    }
    const t = row[w.timeIndex];
    if (typeof t !== 'number') return this.late(row, null);
    const slicing = this.slicing as Slicing;
    if (this.sliced) {
      const end = slicing.sliceEnd(t);
      return slicing.lastWindowEnd(end) > progress ? [end, end - slicing.width] : this.late(row, t);
    }
    const out: number[] = [];
    for (const win of windowsOf(w.shape, t)) if (win.end > progress) out.push(win.end, win.start);
    return out.length > 0 ? out : this.late(row, t);
  }

  private late(row: Row, rowTime: number | null): undefined {
    this.context.lateRow?.(0, row, rowTime, this.progress);
    return undefined;
  }

  private fold(end: number, start: number, group: string, row: Row): void {
    const cellGroup = `${end}|${start}|${group}`;
    let t = this.touched.get(cellGroup);
    if (t === undefined) {
      const key: StateKey = [end, start, group];
      t = { key, record: this.cells.get(key) ?? this.newRecord(row) };
      this.touched.set(cellGroup, t);
    }
    const record = t.record;
    record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
    const calls = this.options.aggs;
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

  private newRecord(row: Row | null): GroupRecord {
    const keys = this.options.groupKeys;
    const keyValues = keys.map((k) => (row === null ? null : (row[k] as Value)));
    const record: GroupRecord = [0, keyValues, 0];
    for (const acc of this.accs) record.push(acc.create());
    return record;
  }

  /** Closes every window ending at or before `time`, in order of their ends. */
  private advance(time: number): void {
    if (time <= this.progress) return;
    const out = new ChangeBatch();
    if (this.sliced) this.closeSliced(time, out);
    else this.closeCells(time, out);
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  /** Cells are windows: each cell ending by `time` is one result row. */
  private closeCells(time: number, out: ChangeBatch): void {
    const done: [StateKey, GroupRecord][] = [...this.cells.range(undefined, [Math.floor(time) + 1])];
    for (const [key, record] of done) {
      const end = key[0] as number;
      const start = key[1] as number;
      const cellGroup = `${end}|${start}|${key[2] as string}`;
      out.push(INSERT, this.resultRow(record, cellGroup, start, end));
      this.cells.delete(key);
      this.release(cellGroup);
    }
  }

  /**
   * Cells are slices: windows close one end after another; each combines the slices
   * it covers per group, and slices whose last window it was are dropped.
   */
  private closeSliced(time: number, out: ChangeBatch): void {
    const slicing = this.slicing as Slicing;
    let end = Number.isFinite(this.progress) ? slicing.windowEndAfter(this.progress) : Number.NEGATIVE_INFINITY;
    for (;;) {
      const first = this.cells.range(undefined, undefined).next();
      if (first.done) return;
      end = Math.max(end, slicing.firstWindowEnd(first.value[0][0] as number));
      if (end > time) return;
      const start = slicing.windowStart(end);
      const merged = new Map<string, GroupRecord>();
      const expired: StateKey[] = [];
      for (const [key, record] of this.cells.range([start + 1], [end + 1])) {
        const group = key[2] as string;
        let into = merged.get(group);
        if (into === undefined) {
          into = this.newRecord(null);
          into[KEY_VALUES] = record[KEY_VALUES];
          merged.set(group, into);
        }
        into[ROW_COUNT] = (into[ROW_COUNT] as number) + (record[ROW_COUNT] as number);
        for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).merge?.(into, record, ACC_OFFSET + a);
        if (slicing.lastWindowEnd(key[0] as number) <= end) expired.push(key);
      }
      for (const [group, record] of merged) out.push(INSERT, this.resultRow(record, `${end}|${start}|${group}`, start, end));
      for (const key of expired) this.cells.delete(key);
      end = slicing.nextWindowEnd(end);
    }
  }

  private resultRow(record: GroupRecord, cellGroup: string, start: number, end: number): Row {
    const keyValues = record[KEY_VALUES] as Value[];
    const out: Value[] = [...keyValues];
    for (let a = 0; a < this.accs.length; a++) out.push((this.accs[a] as Accumulator).result(record, ACC_OFFSET + a, cellGroup));
    out.push(start, end, end - WINDOW_TIME_BEFORE_END);
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
