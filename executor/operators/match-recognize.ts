// MatchRecognize: SQL:2016 row pattern recognition per partition over an append-only stream, in event-time order; emits each match once it is decided (append-only).

import { SqlError, SqlState } from '../../common/errors.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { MatchRecognize as MatchRecognizeNode } from '../../planner/logical/match-recognize.js';
import { ChangeBatch, INSERT, UPDATE_AFTER } from '../change.js';
import type { CompileOptions } from '../expr/compile.js';
import type { CompiledMatchRecognize } from '../match-recognize/compile.js';
import { compileMatchRecognize } from '../match-recognize/compile.js';
import type { PartitionRecord } from '../match-recognize/matcher.js';
import { dropRowsBefore, newPartitionRecord, releaseRows, rowAt } from '../match-recognize/matcher.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, ValueState } from '../state/state-api.js';
import type { SortKey } from '../../planner/logical/sort.js';
import { appendOrderKey } from './order-key.js';

export interface MatchRecognizeOptions {
  readonly node: MatchRecognizeNode;
  readonly params?: readonly Value[];
  readonly compile?: CompileOptions;
}

interface Progress {
  /** The input watermark already applied. */
  watermark: number;
  /** The watermark passed on. */
  forwarded: number;
  /** Arrival counter: orders rows of equal time and ORDER BY values. */
  sequence: number;
}

/**
 * Rows are matched per partition in event-time order (then the other ORDER BY
 * columns, then arrival): a row waits in a buffer until the watermark passes it,
 * so rows arriving out of order within the watermark's delay match as if they
 * had arrived in order. A row already behind the watermark is late: it is
 * reported (eddy_late_rows) and left out.
 *
 * When the watermark advances, the released rows go to their partitions'
 * matchers; a match is emitted as soon as no longer or more preferred one can
 * still be found, and its rows are dropped as soon as no later attempt can read
 * them. A partition holds nothing once it has no attempt in progress, except
 * what the query still needs: its match count if MATCH_NUMBER() is read, its
 * last rows if PREV reaches back, the fact it has started if the pattern uses `^`.
 * A watermark of +Infinity (the end of the input) decides every attempt, so `$`
 * can match.
 *
 * Output watermark: with MATCH_ROWTIME() in the output, matches still undecided
 * may end up with the time of their first row, so the watermark passed on is held
 * back to the earliest first row of an attempt in progress. An attempt that waits
 * for its partition's next row (a greedy quantifier at the end of the pattern)
 * holds it until that row comes; WITHIN bounds the wait.
 *
 * State: sorted "buffer" [0, time, partition, order..., arrival] -> row (rows not
 * yet released); value "partitions" [partition] -> PartitionRecord (the
 * matcher's state: the released rows still needed, the attempt and its threads,
 * counters); sorted "pending" [0, time, partition] -> true for partitions with an
 * attempt in progress, by the time of its first row when WITHIN or the held-back
 * watermark need it (else all under time 0), for them and the end of the input; sorted
 * "idle" [0, partition] -> true for partitions kept with no attempt in progress;
 * value "progress" [] -> watermarks and the arrival counter.
 */
export class MatchRecognize implements StreamOperator {
  readonly name = 'MatchRecognize';
  private output!: Output;
  private context!: OperatorContext;
  private compiled!: CompiledMatchRecognize;
  private buffer!: SortedState<Row>;
  private partitions!: ValueState<PartitionRecord>;
  private pending!: SortedState<boolean>;
  private idle!: SortedState<boolean>;
  private progressState!: ValueState<Progress>;
  private progress: Progress = { watermark: Number.NEGATIVE_INFINITY, forwarded: Number.NEGATIVE_INFINITY, sequence: 0 };
  private readonly partitionKeys: readonly number[];
  private readonly secondaryOrder: readonly SortKey[];
  private readonly timeIndex: number;
  /** Whether partitions with pending work are listed by time (WITHIN expiry, held-back watermark). */
  private timeIndexed = false;
  /** Rows left out because they came behind the watermark. */
  lateRows = 0;

  constructor(private readonly options: MatchRecognizeOptions) {
    this.partitionKeys = options.node.partitionKeys;
    this.secondaryOrder = options.node.orderKeys.slice(1);
    this.timeIndex = options.node.orderKeys[0]?.index ?? 0;
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const state = context.state;
    this.buffer = state.sorted<Row>('buffer');
    this.partitions = state.value<PartitionRecord>('partitions');
    this.pending = state.sorted<boolean>('pending');
    this.idle = state.sorted<boolean>('idle');
    this.progressState = state.value<Progress>('progress');
    this.progress = this.progressState.get([]) ?? this.progress;
    this.compiled = compileMatchRecognize(this.options.node, this.options.params ?? [], this.options.compile ?? {}, state);
    this.timeIndexed = this.options.node.within !== undefined || this.compiled.rowtimeOutput;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const watermark = this.progress.watermark;
    for (let i = 0; i < batch.length; i++) {
      const kind = batch.kinds[i];
      const row = batch.rows[i] as Row;
      if (kind !== INSERT && kind !== UPDATE_AFTER) {
        throw new SqlError(SqlState.featureNotSupported, 'MATCH_RECOGNIZE cannot take back a row it has matched', {
          detail: 'Its input retracted a row; MATCH_RECOGNIZE needs an append-only input.',
        });
      }
      const time = row[this.timeIndex] as Value;
      if (typeof time !== 'number' || time < watermark) {
        this.lateRows++;
        this.context.lateRow?.(0, row, typeof time === 'number' ? time : null, watermark);
        continue;
      }
      const key: Value[] = [0, time, projectedKey(row, this.partitionKeys)];
      appendOrderKey(row, this.secondaryOrder, key);
      key.push(this.progress.sequence++);
      this.buffer.put(key, row);
    }
    this.progressState.put([], this.progress);
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark <= this.progress.watermark) return;
    this.progress.watermark = watermark;
    const ended = watermark === Number.POSITIVE_INFINITY;
    const out: Row[] = [];

    // Release the rows the watermark passed, per partition in order.
    const released = new Map<string, Row[]>();
    const keys: (readonly Value[])[] = [];
    for (const [key, row] of this.buffer.range(undefined, [0, watermark])) {
      keys.push(key);
      const p = key[2] as string;
      let list = released.get(p);
      if (list === undefined) {
        list = [];
        released.set(p, list);
      }
      list.push(row);
    }
    for (const k of keys) this.buffer.delete(k);
    for (const [p, list] of released) this.process(p, list, ended, out);

    // Attempts the watermark decides without new rows: WITHIN expired, or the end of the input.
    const within = this.options.node.within;
    if (within !== undefined || ended) {
      const due: string[] = [];
      for (const [key] of this.pending.range(undefined, undefined)) {
        if (!ended && (key[1] as number) + (within as number) > watermark) break;
        const p = key[2] as string;
        if (!released.has(p)) due.push(p);
      }
      if (ended) for (const [key] of this.idle.range(undefined, undefined)) due.push(key[1] as string);
      for (const p of due) this.process(p, [], ended, out);
    }

    if (out.length > 0) this.output.emit(ChangeBatch.inserts(out));
    let forward = watermark;
    if (this.compiled.rowtimeOutput) {
      const first = this.pending.range(undefined, undefined).next();
      if (!first.done) forward = Math.min(forward, first.value[0][1] as number);
    }
    if (forward > this.progress.forwarded) {
      this.progress.forwarded = forward;
      this.output.emitWatermark(forward);
    }
    this.progressState.put([], this.progress);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Feeds a partition its released rows and matches as far as they allow. */
  private process(partition: string, released: readonly Row[], ended: boolean, out: Row[]): void {
    const c = this.compiled;
    const rec = this.partitions.get([partition]) ?? newPartitionRecord();
    releaseRows(rec, released);
    c.matcher.drive(rec, ended, this.progress.watermark, (event) => c.output.rowsOf(event, rec, out));

    // The attempt in progress (or the row the next one starts at) needs its rows; PREV may reach back further.
    const busy = rec.attempt !== undefined || rec.next < rec.avail;
    const firstNeeded = rec.attempt?.start ?? rec.next;
    dropRowsBefore(rec, ended ? rec.avail : firstNeeded - c.lookback);

    // Listed among partitions with pending work, by the time of their first row when
    // WITHIN or the held-back watermark need it (else once, under time 0).
    const time = !busy || ended ? undefined : this.timeIndexed ? (rowAt(rec, firstNeeded) as Row)[this.timeIndex] as number : 0;
    if (rec.indexed !== time) {
      if (rec.indexed !== undefined) this.pending.delete([0, rec.indexed, partition]);
      if (time !== undefined) this.pending.put([0, time, partition], true);
      if (time === undefined) delete rec.indexed;
      else rec.indexed = time;
    }

    const keep = !ended && (busy
      || (c.readsMatchNumber && rec.matchNumber > 0)
      || c.program.anchorsStart
      || rec.base < rec.avail);
    // Kept without an attempt in progress: listed, so that the end of the input finds it.
    const idle = keep && !busy;
    if (idle !== (rec.idle === true)) {
      if (idle) this.idle.put([0, partition], true);
      else this.idle.delete([0, partition]);
      if (idle) rec.idle = true;
      else delete rec.idle;
    }
    if (keep) this.partitions.put([partition], rec);
    else this.partitions.delete([partition]);
  }
}
