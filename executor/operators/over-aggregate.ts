// OverAggregate: agg(x) OVER (PARTITION BY p ORDER BY time ROWS|RANGE BETWEEN … PRECEDING AND CURRENT ROW), each row emitted once with its frame's values, in time order.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';

export interface OverFrameSpec {
  readonly units: 'ROWS' | 'RANGE';
  /** Rows, or microseconds for RANGE, before the current row; null: UNBOUNDED PRECEDING. */
  readonly preceding: number | null;
}

export interface OverAggregateOptions {
  readonly partitionKeys: readonly number[];
  readonly timeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** One output column per call, after the input columns. */
  readonly calls: readonly { readonly call: AggCall; readonly frame: OverFrameSpec }[];
}

/** The calls sharing one frame: their accumulators fold the same rows. */
interface FrameGroup {
  readonly id: number;
  readonly frame: OverFrameSpec;
  /** Output positions (call indexes) of the calls. */
  readonly calls: readonly number[];
  readonly accs: readonly Accumulator[];
}

/**
 * OVER aggregation ordered by a time attribute. Event time: rows wait until the
 * watermark reaches their time, then are taken in time order, per partition; each is
 * emitted (+I) with every call's value over its frame: ROWS n PRECEDING is the row and
 * the n rows before it, RANGE i PRECEDING the rows whose time is within i before the
 * row's (rows of equal time are peers and see each other), UNBOUNDED PRECEDING all
 * rows so far. Rows that leave a frame are retracted from its accumulators, so a
 * partition keeps only the rows its frames still hold. Processing time: rows are
 * taken as they arrive. A row at or behind the watermark already applied is late.
 *
 * State: sorted state "pending", key [0, time, partition, seq] -> row (waiting for
 * the watermark; one first part for all, so they form one ordered run); "frames", key [frame, partition, time, seq] -> row (rows inside a
 * bounded frame); value state "records", key [frame, partition] -> the frame's
 * accumulator record (its row count first); "progress"; "sequence".
 */
export class OverAggregate implements StreamOperator {
  readonly name = 'OverAggregate';
  private output!: Output;
  private context!: OperatorContext;
  private pending!: SortedState<Row>;
  private frames!: SortedState<Row>;
  private records!: ValueState<GroupRecord>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private groups: FrameGroup[] = [];

  constructor(private readonly options: OverAggregateOptions) {}

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.pending = state.sorted<Row>('pending');
    this.frames = state.sorted<Row>('frames');
    this.records = state.value<GroupRecord>('records');
    this.progressState = state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    const nextSequence = (): number => this.sequence++;
    const byFrame = new Map<string, number[]>();
    this.options.calls.forEach((c, i) => {
      const k = `${c.frame.units}|${c.frame.preceding ?? ''}`;
      const list = byFrame.get(k) ?? [];
      list.push(i);
      byFrame.set(k, list);
    });
    const grouping = { groupKeys: this.options.partitionKeys, groupingSets: undefined };
    this.groups = [...byFrame.values()].map((calls, id) => {
      const frame = (this.options.calls[calls[0] as number] as { frame: OverFrameSpec }).frame;
      // Unbounded frames only ever add rows; bounded ones retract the rows that leave.
      const appendOnly = frame.preceding === null;
      const shared = new Map<string, object>();
      // `index` is the call's slot in its frame's record; the frame id in the group key keeps their state apart.
      const accs = calls.map((i, a) => createAccumulator((this.options.calls[i] as { call: AggCall }).call, { state, index: a, appendOnly, nextSequence, shared }, grouping));
      return { id, frame, calls, accs };
    });
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const { timeIndex, partitionKeys } = this.options;
    if (this.options.timeAttribute === 'PROCTIME') {
      // Processing time: rows are in order as they arrive.
      const out = new ChangeBatch();
      let run: Row[] = [];
      let runKey = '';
      let runTime = Number.NaN;
      const flush = (): void => {
        if (run.length > 0) this.evaluate(runKey, runTime, run, out);
        run = [];
      };
      for (const row of batch.rows) {
        const t = row[timeIndex];
        const key = partitionKeys.length === 0 ? '' : projectedKey(row, partitionKeys);
        const time = typeof t === 'number' ? t : this.context.now();
        if (key !== runKey || time !== runTime) flush();
        runKey = key;
        runTime = time;
        run.push(row);
      }
      flush();
      this.sequenceState.put([], this.sequence);
      if (out.length > 0) this.output.emit(out);
      return;
    }
    for (const row of batch.rows) {
      const t = row[timeIndex];
      if (typeof t !== 'number' || t <= this.progress) {
        this.context.lateRow?.(0, row, typeof t === 'number' ? t : null, this.progress);
        continue;
      }
      const key = partitionKeys.length === 0 ? '' : projectedKey(row, partitionKeys);
      this.pending.put([0, t, key, this.sequence++], row);
    }
    this.sequenceState.put([], this.sequence);
  }

  processWatermark(_input: number, watermark: number): void {
    if (this.options.timeAttribute === 'ROWTIME' && watermark > this.progress) {
      const ready: [StateKey, Row][] = [...this.pending.range(undefined, [0, Math.floor(watermark) + 1])];
      const out = new ChangeBatch();
      let i = 0;
      while (i < ready.length) {
        const [k] = ready[i] as [StateKey, Row];
        const time = k[1] as number;
        const key = k[2] as string;
        // Peers: the same partition and time, consecutive in the pending order.
        const peers: Row[] = [];
        while (i < ready.length) {
          const [k2, row] = ready[i] as [StateKey, Row];
          if (k2[1] !== time || k2[2] !== key) break;
          peers.push(row);
          this.pending.delete(k2);
          i++;
        }
        this.evaluate(key, time, peers, out);
      }
      this.progress = watermark;
      this.progressState.put([], watermark);
      this.sequenceState.put([], this.sequence);
      if (out.length > 0) this.output.emit(out);
    }
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Emits `peers` (one partition, one time, in arrival order) with their calls' values. */
  private evaluate(partition: string, time: number, peers: readonly Row[], out: ChangeBatch): void {
    const results: Value[][] = peers.map(() => new Array<Value>(this.options.calls.length).fill(null));
    for (const g of this.groups) {
      const recordKey = [g.id, partition];
      const record = this.records.get(recordKey) ?? this.newRecord(g, peers[0] as Row);
      const group = `${g.id}|${partition}`;
      const bounded = g.frame.preceding !== null;
      if (g.frame.units === 'ROWS') {
        peers.forEach((row, p) => {
          this.add(g, record, row, group, partition, time);
          if (bounded && (record[ROW_COUNT] as number) > (g.frame.preceding as number) + 1) this.retractOldest(g, record, group, partition);
          this.read(g, record, group, results[p] as Value[]);
        });
      } else {
        for (const row of peers) this.add(g, record, row, group, partition, time);
        if (bounded) this.retractBefore(g, record, group, partition, time - (g.frame.preceding as number));
        const values: Value[] = new Array<Value>(this.options.calls.length).fill(null);
        this.read(g, record, group, values);
        for (const r of results) for (const c of g.calls) r[c] = values[c] as Value;
      }
      this.records.put(recordKey, record);
    }
    peers.forEach((row, p) => out.push(INSERT, [...row, ...(results[p] as Value[])]));
  }

  private newRecord(g: FrameGroup, row: Row): GroupRecord {
    const record: GroupRecord = [0, this.options.partitionKeys.map((k) => row[k] as Value), 0];
    for (const acc of g.accs) record.push(acc.create());
    return record;
  }

  private add(g: FrameGroup, record: GroupRecord, row: Row, group: string, partition: string, time: number): void {
    record[ROW_COUNT] = (record[ROW_COUNT] as number) + 1;
    g.accs.forEach((acc, a) => acc.update(record, ACC_OFFSET + a, row, 1, group));
    if (g.frame.preceding !== null) this.frames.put([g.id, partition, time, this.sequence++], row);
  }

  private retractOldest(g: FrameGroup, record: GroupRecord, group: string, partition: string): void {
    const first = this.frames.scan([g.id, partition]).next();
    if (first.done) return;
    this.retract(g, record, group, first.value[0], first.value[1]);
  }

  /** Retracts the frame's rows older than `from`. */
  private retractBefore(g: FrameGroup, record: GroupRecord, group: string, partition: string, from: number): void {
    const old: [StateKey, Row][] = [...this.frames.range([g.id, partition], [g.id, partition, from])];
    for (const [k, row] of old) this.retract(g, record, group, k, row);
  }

  private retract(g: FrameGroup, record: GroupRecord, group: string, key: StateKey, row: Row): void {
    record[ROW_COUNT] = (record[ROW_COUNT] as number) - 1;
    g.accs.forEach((acc, a) => acc.update(record, ACC_OFFSET + a, row, -1, group));
    this.frames.delete(key);
  }

  private read(g: FrameGroup, record: GroupRecord, group: string, into: Value[]): void {
    g.accs.forEach((acc, a) => {
      into[g.calls[a] as number] = acc.result(record, ACC_OFFSET + a, group);
    });
  }
}
