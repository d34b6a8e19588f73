// WindowDeduplicate: per (window, key) the first or last row by a time column, emitted once when the window closes.

import { projectedKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';

export interface WindowDeduplicateOptions {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** PARTITION BY columns (window_start and window_end among them). */
  readonly keys: readonly number[];
  readonly keep: 'FIRST' | 'LAST';
  /** The time column that orders rows within a key. */
  readonly orderIndex: number;
  /** Append ROW_NUMBER (always 1) after the input columns. */
  readonly outputRank: boolean;
}

/** [row, its order value]. */
type Kept = [Row, number | null];

/**
 * Window deduplication: keeps one row per key of each window, FIRST the smallest
 * order value (the earliest arrival among equals), LAST the greatest (the latest
 * arrival among equals), and emits it (+I) when the window closes, then forgets it.
 * A row of a closed window is late.
 *
 * State: sorted state "kept", key [window end, key] -> [row, order value]; "progress".
 */
export class WindowDeduplicate implements StreamOperator {
  readonly name = 'WindowDeduplicate';
  private output!: Output;
  private context!: OperatorContext;
  private kept!: SortedState<Kept>;
  private progressState!: ValueState<number>;
  private progress = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WindowDeduplicateOptions) {}

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    this.kept = context.state.sorted<Kept>('kept');
    this.progressState = context.state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const { endIndex, keys, orderIndex, keep } = this.options;
    for (const row of batch.rows) {
      const end = row[endIndex];
      if (typeof end !== 'number' || end <= this.progress) {
        this.context.lateRow?.(0, row, typeof end === 'number' ? end - 1000 : null, this.progress);
        continue;
      }
      const key = [end, projectedKey(row, keys)];
      const t = row[orderIndex];
      const order = typeof t === 'number' ? t : null;
      const current = this.kept.get(key);
      if (current !== undefined && !this.replaces(order, current[1], keep)) continue;
      this.kept.put(key, [row, order]);
    }
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

  /** Whether a row ordered at `order` takes the place of the kept one (NULL orders last, as ORDER BY puts it). */
  private replaces(order: number | null, kept: number | null, keep: 'FIRST' | 'LAST'): boolean {
    if (keep === 'FIRST') return kept === null ? order !== null : order !== null && order < kept;
    return kept === null || (order !== null && order >= kept);
  }

  private advance(time: number): void {
    if (time <= this.progress) return;
    const out = new ChangeBatch();
    const closed: [StateKey, Kept][] = [...this.kept.range(undefined, [Math.floor(time) + 1])];
    for (const [key, [row]] of closed) {
      out.push(INSERT, this.options.outputRank ? [...row, 1] : row);
      this.kept.delete(key);
    }
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }
}
