// SessionWindow: rows of a key grouped into sessions (gaps of at most `gap`), merged as rows arrive in any order; each session emitted once it closes.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, KEY_VALUES, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';

export interface SessionWindowOptions {
  readonly timeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** Microseconds: rows at most this far apart (in the same key) share a session. */
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

/**
 * A session: [start, end), end = its last row's time + gap; with combinable calls
 * also its accumulator record (then its rows are not kept).
 */
type Session = [number, number, GroupRecord | null];

const WINDOW_TIME_BEFORE_END = 1000;

/** Functions whose accumulators combine two sessions' records. */
const mergeable = new Set(['count', 'count_star', 'sum', 'avg', 'min', 'max', 'stddev_pop', 'stddev_samp', 'stddev', 'var_pop', 'var_samp', 'variance', 'bool_and', 'bool_or', 'every']);

/**
 * Session windows. A row at t opens [t, t + gap); sessions of one key that overlap
 * or touch merge (rows exactly `gap` apart share one, as in Flink), so a row arriving
 * late (but not behind the watermark) can join two sessions into one. A session
 * closes when the watermark (processing time: the clock) reaches its end; it is then
 * emitted, append-only, and dropped. Its window_end is its last row's time plus the
 * gap, as in Flink.
 *
 * With calls that combine (COUNT, SUM, MIN, ...) each session keeps one accumulator
 * record and merging sessions merges their records; otherwise (DISTINCT, ORDER BY
 * arguments, or the table function alone) a session's rows are kept until it closes.
 *
 * A row whose time is behind the watermark is late: a session it would have joined
 * may already be closed. It changes nothing and is reported.
 *
 * State: value state "sessions", key [key] -> the open sessions, by start; sorted
 * state "timers", key [0, time, key] -> 1: when to look at a key's sessions again (a
 * session's end when it opened; one that grew since is looked at again at its new
 * end), all under one first part so they form one ordered run; sorted state "rows",
 * key [key, time, seq] -> row (when rows are kept); "progress"; "sequence".
 */
export class SessionWindow implements StreamOperator {
  readonly name = 'SessionWindow';
  private output!: Output;
  private context!: OperatorContext;
  private rows!: SortedState<Row>;
  private sessions!: ValueState<Session[]>;
  private timers!: SortedState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private accs: Accumulator[] = [];
  /** Sessions keep accumulator records instead of rows. */
  private merging = false;

  constructor(private readonly options: SessionWindowOptions) {}

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.rows = state.sorted<Row>('rows');
    this.sessions = state.value<Session[]>('sessions');
    this.timers = state.sorted<number>('timers');
    this.progressState = state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    const emit = this.options.emit;
    if (emit.kind === 'aggregate') {
      const shared = new Map<string, object>();
      const nextSequence = (): number => this.sequence++;
      this.accs = emit.aggs.map((call, index) => createAccumulator(call, { state, index, appendOnly: true, nextSequence, shared }, { groupKeys: this.options.keys, groupingSets: undefined }));
      this.merging = emit.aggs.every((a, i) => !a.distinct && (a.orderBy === undefined || a.orderBy.length === 0) && mergeable.has(a.fn) && this.accs[i]?.merge !== undefined);
    }
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const { keys, timeIndex } = this.options;
    for (const row of batch.rows) {
      const t = row[timeIndex];
      if (typeof t !== 'number' || t < this.progress) {
        this.context.lateRow?.(0, row, typeof t === 'number' ? t : null, this.progress);
        continue;
      }
      const key = keys.length === 0 ? '' : projectedKey(row, keys);
      if (!this.merging) this.rows.put([key, t, this.sequence++], row);
      this.place(key, t, row);
    }
    if (!this.merging) this.sequenceState.put([], this.sequence);
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

  /** Adds a row at `t` to the key's sessions, merging every session [t, t + gap) touches. */
  private place(key: string, t: number, row: Row): void {
    const stateKey = [key];
    const list = this.sessions.get(stateKey) ?? [];
    let s = t;
    let e = t + this.options.gap;
    // The usual case: the row falls in (or extends) exactly one session, which grows in place.
    let hit = -1;
    let hits = 0;
    for (let i = 0; i < list.length; i++) {
      const session = list[i] as Session;
      if (session[0] <= e && s <= session[1]) {
        hit = i;
        hits++;
      }
    }
    if (hits === 1) {
      const session = list[hit] as Session;
      session[0] = Math.min(s, session[0]);
      session[1] = Math.max(e, session[1]);
      if (session[2] !== null) this.fold(session[2], row);
      this.sessions.put(stateKey, list);
      return;
    }
    let record: GroupRecord | null = null;
    let merged = 0;
    const kept: Session[] = [];
    for (const session of list) {
      if (session[0] <= e && s <= session[1]) {
        s = Math.min(s, session[0]);
        e = Math.max(e, session[1]);
        merged++;
        if (this.merging) record = record === null ? session[2] : this.mergeRecords(record, session[2] as GroupRecord);
      } else kept.push(session);
    }
    if (this.merging) {
      record ??= this.newRecord(row);
      this.fold(record, row);
    }
    kept.push([s, e, record]);
    if (kept.length > 1) kept.sort((a, b) => a[0] - b[0]);
    this.sessions.put(stateKey, kept);
    // A new session is looked at when it would end; a grown one finds its old timer and sets a new one then.
    if (merged === 0) this.timers.put([0, e, key], 1);
  }

  private newRecord(row: Row): GroupRecord {
    const record: GroupRecord = [0, this.options.keys.map((k) => row[k] as Value), 0];
    for (const acc of this.accs) record.push(acc.create());
    return record;
  }

  private fold(record: GroupRecord, row: Row): void {
    record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
    const aggs = this.options.emit.kind === 'aggregate' ? this.options.emit.aggs : [];
    for (let a = 0; a < this.accs.length; a++) {
      const call = aggs[a] as AggCall;
      if (call.filter !== undefined && row[call.filter] !== true) continue;
      (this.accs[a] as Accumulator).update(record, ACC_OFFSET + a, row, 1, '');
    }
  }

  private mergeRecords(into: GroupRecord, from: GroupRecord): GroupRecord {
    into[ROW_COUNT] = (into[ROW_COUNT] as number) + (from[ROW_COUNT] as number);
    for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).merge?.(into, from, ACC_OFFSET + a);
    return into;
  }

  /** Emits and drops every session ending at or before `time`. */
  private advance(time: number): void {
    if (time <= this.progress) return;
    const due: StateKey[] = [...this.timers.range(undefined, [0, Math.floor(time) + 1])].map(([k]) => k);
    const out = new ChangeBatch();
    for (const k of due) {
      this.timers.delete(k);
      const key = k[2] as string;
      const list = this.sessions.get([key]);
      if (list === undefined) continue;
      const open: Session[] = [];
      for (const session of list) {
        if (session[1] <= time) this.emitSession(session, key, out);
        else open.push(session);
      }
      if (open.length === 0) this.sessions.delete([key]);
      else {
        this.sessions.put([key], open);
        // Sessions that grew past their timer are looked at again when they now end.
        for (const session of open) this.timers.put([0, session[1], key], 1);
      }
    }
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  private emitSession(session: Session, key: string, out: ChangeBatch): void {
    const [start, end, merged] = session;
    const windowCols: Value[] = [start, end, end - WINDOW_TIME_BEFORE_END];
    if (merged !== null) {
      out.push(INSERT, [...this.resultOf(merged, ''), ...windowCols]);
      return;
    }
    const members: [StateKey, Row][] = [...this.rows.range([key, start], [key, end])];
    for (const [rk] of members) this.rows.delete(rk);
    const rows = members.map(([, r]) => r);
    const emit = this.options.emit;
    if (emit.kind === 'rows') {
      for (const r of rows) out.push(INSERT, [...r, ...windowCols]);
      return;
    }
    const first = rows[0];
    if (first === undefined) return;
    // The session's rows are at hand in time order: fold them into a fresh record.
    const record = this.newRecord(first);
    const group = `${start}|${key}`;
    // DISTINCT calls see each value once per session.
    const seen = emit.aggs.map((c) => (c.distinct ? new Set<string>() : undefined));
    for (const r of rows) {
      record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
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
    out.push(INSERT, [...this.resultOf(record, group), ...windowCols]);
    for (const acc of this.accs) acc.release?.(group);
  }

  private resultOf(record: GroupRecord, group: string): Value[] {
    const row: Value[] = [...(record[KEY_VALUES] as Value[])];
    for (let a = 0; a < this.accs.length; a++) row.push((this.accs[a] as Accumulator).result(record, ACC_OFFSET + a, group));
    return row;
  }
}
