// WindowAggregate: γ_{window, keys; aggs} over TUMBLE / HOP / CUMULATE windows (or windows assigned upstream), emitted once per window when time passes its end.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { MapState, SortedState, StateKey, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, GROUPING_SET, KEY_VALUES, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
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

/** The cells of one window (or slice) touched by the current batch. */
interface TouchedWindow {
  /** [end]: one array per window, so the state finds the window's entries once. */
  readonly key: StateKey;
  readonly cells: Map<string, GroupRecord>;
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
 * State: map state "cells", key [cell end] / [group key] -> GroupRecord (windows
 * assigned upstream: [window start|group key], as windows with one end may start
 * apart), the record's third slot holding the cell's start; sorted state "ends",
 * key [cell end] -> 1, the open cells in order; "progress" (the watermark already
 * applied); "distinct" for DISTINCT calls; what the accumulators keep (ORDER BY
 * bags), released with their cell.
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
  private cells!: MapState<GroupRecord>;
  private ends!: SortedState<number>;
  private distinct!: MapState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private accs: Accumulator[] = [];
  /** Event time (or processing time) up to which windows are closed. */
  private progress = Number.NEGATIVE_INFINITY;
  private readonly touched = new Map<number, TouchedWindow>();
  private readonly slicing: Slicing | undefined;
  /** Cells are slices shared by windows (HOP, CUMULATE with combinable calls). */
  private sliced = false;
  private readonly hasDistinct: boolean;
  /** Some call keeps state outside its record (DISTINCT, ORDER BY): it needs each cell's own group name. */
  private readonly sideState: boolean;
  private readonly assigned: boolean;

  constructor(private readonly options: WindowAggregateOptions) {
    const w = options.window;
    this.slicing = w.kind === 'time' ? new Slicing(w.shape) : undefined;
    this.hasDistinct = options.aggs.some((a) => a.distinct);
    this.sideState = this.hasDistinct || options.aggs.some((a) => a.orderBy !== undefined && a.orderBy.length > 0);
    this.assigned = w.kind === 'assigned';
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.cells = state.map<GroupRecord>('cells');
    this.ends = state.sorted<number>('ends');
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
    const w = this.options.window;
    const progress = this.progress;
    const slicing = this.slicing;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      const group = groupKeys.length === 0 ? '' : projectedKey(row, groupKeys);
      if (w.kind === 'assigned') {
        const end = row[w.endIndex];
        const start = row[w.startIndex];
        if (typeof end !== 'number' || typeof start !== 'number') this.late(row, null);
        else if (end > progress) this.fold(end, start, `${start}|${group}`, group, row);
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
        const end = slicing.sliceEnd(t);
        if (slicing.lastWindowEnd(end) > progress) this.fold(end, end - slicing.width, group, group, row);
        else this.late(row, t);
        continue;
      }
      let placed = false;
      for (const win of windowsOf(w.shape, t)) {
        if (win.end <= progress) continue;
        this.fold(win.end, win.start, group, group, row);
        placed = true;
      }
      if (!placed) this.late(row, t);
    }
    for (const t of this.touched.values()) {
      this.ends.put(t.key, 1);
      for (const [cellKey, record] of t.cells) this.cells.put(t.key, [cellKey], record);
    }
    this.touched.clear();
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

  snapshot(_checkpointId: number): void {}

  close(): void {}

  private late(row: Row, rowTime: number | null): void {
    this.context.lateRow?.(0, row, rowTime, this.progress);
  }

  /** Folds `row` into the record of `cellKey` in the cell [start, end). */
  private fold(end: number, start: number, cellKey: string, group: string, row: Row): void {
    let t = this.touched.get(end);
    if (t === undefined) {
      t = { key: [end], cells: new Map() };
      this.touched.set(end, t);
    }
    let record = t.cells.get(cellKey);
    if (record === undefined) {
      record = this.cells.get(t.key, [cellKey]) ?? this.newRecord(row, start);
      t.cells.set(cellKey, record);
    }
    record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
    const calls = this.options.aggs;
    const cellGroup = this.sideState ? `${end}|${start}|${group}` : '';
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
    const out = new ChangeBatch();
    if (this.sliced) this.closeSliced(time, out);
    else this.closeCells(time, out);
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  /** Cells are windows: each group of each cell ending by `time` is one result row. */
  private closeCells(time: number, out: ChangeBatch): void {
    const done: StateKey[] = [...this.ends.range(undefined, [Math.floor(time) + 1])].map(([k]) => k);
    for (const key of done) {
      const end = key[0] as number;
      for (const [, record] of this.cells.entries(key)) {
        const start = record[GROUPING_SET] as number;
        const cellGroup = this.sideState ? `${end}|${start}|${projectedKey(record[KEY_VALUES] as Row, this.allKeys)}` : '';
        out.push(INSERT, this.resultRow(record, cellGroup, start, end));
        if (this.sideState) this.release(cellGroup);
      }
      this.cells.clear(key);
      this.ends.delete(key);
    }
  }

  /** Positions of every group key in a record's key values. */
  private get allKeys(): number[] {
    return this.options.groupKeys.map((_, i) => i);
  }

  /**
   * Cells are slices: windows close one end after another; each combines the slices
   * it covers per group, and slices whose last window it was are dropped.
   */
  private closeSliced(time: number, out: ChangeBatch): void {
    const slicing = this.slicing as Slicing;
    let end = Number.isFinite(this.progress) ? slicing.windowEndAfter(this.progress) : Number.NEGATIVE_INFINITY;
    for (;;) {
      const first = this.ends.range(undefined, undefined).next();
      if (first.done) return;
      end = Math.max(end, slicing.firstWindowEnd(first.value[0][0] as number));
      if (end > time) return;
      const start = slicing.windowStart(end);
      const merged = new Map<string, GroupRecord>();
      const expired: StateKey[] = [];
      for (const [sliceKey] of this.ends.range([start + 1], [end + 1])) {
        for (const [userKey, record] of this.cells.entries(sliceKey)) {
          const group = userKey[0] as string;
          let into = merged.get(group);
          if (into === undefined) {
            into = this.newRecord(null, start);
            into[KEY_VALUES] = record[KEY_VALUES];
            merged.set(group, into);
          }
          into[ROW_COUNT] = (into[ROW_COUNT] as number) + (record[ROW_COUNT] as number);
          for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).merge?.(into, record, ACC_OFFSET + a);
        }
        if (slicing.lastWindowEnd(sliceKey[0] as number) <= end) expired.push(sliceKey);
      }
      for (const record of merged.values()) out.push(INSERT, this.resultRow(record, '', start, end));
      for (const key of expired) {
        this.cells.clear(key);
        this.ends.delete(key);
      }
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
