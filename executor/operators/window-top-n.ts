// WindowTopN: per (window, partition) the rows ranked `offset+1 .. offset+limit` by an order, emitted once when the window closes.

import { compareValues } from '../../common/compare.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { SortKey } from '../../planner/logical/sort.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { appendOrderKey, orderKeyWidth } from './order-key.js';

export interface WindowTopNOptions {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** PARTITION BY columns (window_start and window_end among them). */
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly rankFn: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';
  readonly offset: number;
  readonly limit: number;
  /** Append the rank (BIGINT) after the input columns. */
  readonly outputRank: boolean;
}

/**
 * Window top-N. A window's rows wait, in order, until the watermark (processing
 * time: the clock) reaches the window's end; then each partition's rows ranked within
 * the range are emitted (+I) and the window is dropped. With ROW_NUMBER only the
 * first offset + limit rows of a partition are kept while the window is open. A row
 * of a window that has already closed is late.
 *
 * State: sorted state "rows", key [window end, partition, ...order key, seq] -> row;
 * value state "counts", key [window end, partition] -> rows kept (ROW_NUMBER);
 * "progress"; "sequence".
 */
export class WindowTopN implements StreamOperator {
  readonly name = 'WindowTopN';
  private output!: Output;
  private context!: OperatorContext;
  private rows!: SortedState<Row>;
  private counts!: ValueState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private readonly orderWidth: number;
  /** Rows a partition needs while open: all for RANK / DENSE_RANK (ties), offset + limit for ROW_NUMBER. */
  private readonly keep: number;

  constructor(private readonly options: WindowTopNOptions) {
    this.orderWidth = orderKeyWidth(options.orderKeys);
    this.keep = options.rankFn === 'ROW_NUMBER' ? options.offset + options.limit : Number.POSITIVE_INFINITY;
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    this.rows = context.state.sorted<Row>('rows');
    this.counts = context.state.value<number>('counts');
    this.progressState = context.state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = context.state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const { endIndex, partitionKeys, orderKeys } = this.options;
    for (const row of batch.rows) {
      const end = row[endIndex];
      if (typeof end !== 'number' || end <= this.progress) {
        this.context.lateRow?.(0, row, typeof end === 'number' ? end - 1000 : null, this.progress);
        continue;
      }
      const partition = projectedKey(row, partitionKeys);
      const key: Value[] = [end, partition];
      appendOrderKey(row, orderKeys, key);
      key.push(this.sequence++);
      this.rows.put(key, row);
      if (Number.isFinite(this.keep)) this.trim(end, partition);
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

  /** ROW_NUMBER: a partition never needs more than `keep` rows; the last one goes. */
  private trim(end: number, partition: string): void {
    const countKey = [end, partition];
    const n = (this.counts.get(countKey) ?? 0) + 1;
    if (n <= this.keep) {
      this.counts.put(countKey, n);
      return;
    }
    const last = this.rows.scan([end, partition], { reverse: true }).next();
    if (!last.done) this.rows.delete(last.value[0]);
  }

  private advance(time: number): void {
    if (time <= this.progress) return;
    const { offset, limit, rankFn, outputRank } = this.options;
    const out = new ChangeBatch();
    const closed: [StateKey, Row][] = [...this.rows.range(undefined, [Math.floor(time) + 1])];
    let partitionKey: string | undefined;
    let partitionEnd: number | undefined;
    let position = 0;
    let rank = 0;
    let previous: StateKey | undefined;
    for (const [key, row] of closed) {
      const end = key[0] as number;
      const partition = key[1] as string;
      if (partition !== partitionKey || end !== partitionEnd) {
        partitionKey = partition;
        partitionEnd = end;
        position = 0;
        rank = 0;
        previous = undefined;
        this.counts.delete([end, partition]);
      }
      position++;
      if (rankFn === 'ROW_NUMBER') rank = position;
      else if (previous === undefined || !this.sameOrder(previous, key)) rank = rankFn === 'RANK' ? position : rank + 1;
      previous = key;
      if (rank > offset && rank <= offset + limit) out.push(INSERT, outputRank ? [...row, rank] : row);
      this.rows.delete(key);
    }
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  /** Whether two stored keys have the same order values (peers for RANK and DENSE_RANK). */
  private sameOrder(a: StateKey, b: StateKey): boolean {
    for (let i = 2; i < 2 + this.orderWidth; i++) {
      const x = a[i] as Value;
      const y = b[i] as Value;
      if (x === y) continue;
      if (x === null || y === null || compareValues(x, y) !== 0) return false;
    }
    return true;
  }
}
