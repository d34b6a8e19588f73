// SessionWindow: rows of a key grouped into sessions (gaps shorter than `gap`), merged as rows arrive in any order; each session emitted once it closes.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';

export interface SessionWindowOptions {
  readonly timeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** Microseconds: rows closer than this (in the same key) share a session. */
  readonly gap: number;
  /** Sessions are separate per value of these columns. */
  readonly keys: readonly number[];
  /**
   * `aggregate`: one row per session, the keys, one column per call, then window_start,
   * window_end, window_time (window aggregation). `rows`: each row of the session followed
   * by window_start, window_end, window_time (the SESSION table function on its own).
   */
  readonly emit: { readonly kind: 'aggregate'; readonly aggs: readonly AggCall[] } | { readonly kind: 'rows' };
}

/** A session: [start, end), end = its last row's time + gap. */
type Session = [number, number];

const WINDOW_TIME_BEFORE_END = 1000;

/**
 * Session windows. A row at t opens [t, t + gap); sessions of one key that overlap
 * or touch merge, so a row arriving late (but not behind the watermark) can join two
 * sessions into one. A session closes when the watermark (processing time: the
 * clock) reaches its end; it is then emitted, append-only, and its rows dropped.
 * A session's window_end is its last row's time plus the gap, as in Flink.
 *
 * A row whose time is behind the watermark is late: a session it would have joined
 * may already be closed. It changes nothing and is reported.
 *
 * State: sorted state "rows", key [key, time, seq] -> row (rows of open sessions, in
 * time order); value state "sessions", key [key] -> the open sessions, by start;
 * sorted state "ends", key [end, key] -> 1 (which sessions close first); "sequence".
 */
export class SessionWindow implements StreamOperator {
  readonly name = 'SessionWindow';
  private output!: Output;
  private context!: OperatorContext;
  private rows!: SortedState<Row>;
  private sessions!: ValueState<Session[]>;
  private ends!: SortedState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private accs: Accumulator[] = [];

  constructor(private readonly options: SessionWindowOptions) {}

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.rows = state.sorted<Row>('rows');
    this.sessions = state.value<Session[]>('sessions');
    this.ends = state.sorted<number>('ends');
    this.progressState = state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    const emit = this.options.emit;
    if (emit.kind === 'aggregate') {
      const shared = new Map<string, object>();
      const nextSequence = (): number => this.sequence++;
      this.accs = emit.aggs.map((call, index) => createAccumulator(call, { state, index, appendOnly: true, nextSequence, shared }, { groupKeys: this.options.keys, groupingSets: undefined }));
    }
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const { keys, timeIndex, gap } = this.options;
    for (const row of batch.rows) {
      const t = row[timeIndex];
      if (typeof t !== 'number' || t < this.progress) {
        this.context.lateRow?.(0, row, typeof t === 'number' ? t : null, this.progress);
        continue;
      }
      const key = keys.length === 0 ? '' : projectedKey(row, keys);
      this.rows.put([key, t, this.sequence++], row);
      this.place(key, t, t + gap);
    }
    this.sequenceState.put([], this.sequence);
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

  /** Adds [start, end) to the key's sessions, merging every session it overlaps. */
  private place(key: string, start: number, end: number): void {
    const list = this.sessions.get([key]) ?? [];
    const kept: Session[] = [];
    let s = start;
    let e = end;
    for (const session of list) {
      // Touching sessions merge too (rows exactly `gap` apart share one), as Flink merges them.
      if (session[0] <= e && s <= session[1]) {
        s = Math.min(s, session[0]);
        e = Math.max(e, session[1]);
        this.ends.delete([session[1], key]);
      } else kept.push(session);
    }
    kept.push([s, e]);
    kept.sort((a, b) => a[0] - b[0]);
    this.sessions.put([key], kept);
    this.ends.put([e, key], 1);
  }

  /** Emits and drops every session ending at or before `time`. */
  private advance(time: number): void {
    if (time <= this.progress) return;
    const closing: StateKey[] = [...this.ends.range(undefined, [Math.floor(time) + 1])].map(([k]) => k);
    const out = new ChangeBatch();
    for (const k of closing) {
      const end = k[0] as number;
      const key = k[1] as string;
      this.ends.delete(k);
      const list = this.sessions.get([key]) ?? [];
      const at = list.findIndex((x) => x[1] === end);
      if (at < 0) continue;
      const [start] = list[at] as Session;
      list.splice(at, 1);
      if (list.length === 0) this.sessions.delete([key]);
      else this.sessions.put([key], list);
      const members: [StateKey, Row][] = [...this.rows.range([key, start], [key, end])];
      for (const [rk] of members) this.rows.delete(rk);
      this.emitSession(members.map(([, r]) => r), key, start, end, out);
    }
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  private emitSession(rows: readonly Row[], key: string, start: number, end: number, out: ChangeBatch): void {
    const emit = this.options.emit;
    const windowCols: Value[] = [start, end, end - WINDOW_TIME_BEFORE_END];
    if (emit.kind === 'rows') {
      for (const r of rows) out.push(INSERT, [...r, ...windowCols]);
      return;
    }
    const first = rows[0];
    if (first === undefined) return;
    // The session's rows are at hand in time order: fold them into a fresh record.
    const record: GroupRecord = [rows.length, this.options.keys.map((k) => first[k] as Value), 0];
    for (const acc of this.accs) record.push(acc.create());
    const group = `${start}|${key}`;
    // DISTINCT calls see each value once per session.
    const seen = emit.aggs.map((c) => (c.distinct ? new Set<string>() : undefined));
    for (const r of rows) {
      for (let a = 0; a < emit.aggs.length; a++) {
        const call = emit.aggs[a] as AggCall;
        if (call.filter !== undefined && r[call.filter] !== true) continue;
        const distinct = seen[a];
        if (distinct !== undefined) {
          const args = call.fn === 'listagg' || call.fn === 'string_agg' ? call.args.slice(0, 1) : call.args;
          if (args.some((i) => r[i] === null)) continue;
          const k = projectedKey(r, args);
          if (distinct.has(k)) continue;
          distinct.add(k);
        }
        (this.accs[a] as Accumulator).update(record, ACC_OFFSET + a, r, 1, group);
      }
    }
    const row: Value[] = [...(record[1] as Value[])];
    for (let a = 0; a < this.accs.length; a++) {
      const acc = this.accs[a] as Accumulator;
      row.push(acc.result(record, ACC_OFFSET + a, group));
      acc.release?.(group);
    }
    record[ROW_COUNT] = rows.length;
    out.push(INSERT, [...row, ...windowCols]);
  }
}
