// WindowTableFunction: each row once per TUMBLE / HOP / CUMULATE window it falls in, with window_start, window_end, window_time appended; stateless.

import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import { windowsOf, type WindowShape } from './window-slices.js';

export interface WindowTableFunctionOptions {
  readonly shape: WindowShape;
  readonly timeIndex: number;
}

const WINDOW_TIME_BEFORE_END = 1000;

/**
 * Labels rows with their windows as they pass: a TUMBLE row once, a HOP row once per
 * overlapping window, a CUMULATE row once per window of its period that contains it.
 * Kinds pass through, so a retraction is labelled like the row it retracts. A row
 * without a time is in no window. Whatever consumes the windows (an aggregation,
 * a top-N) decides when they close.
 */
export class WindowTableFunction implements StreamOperator {
  readonly name = 'WindowTableFunction';
  private output!: Output;
  private lastWatermark = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WindowTableFunctionOptions) {}

  open(context: OperatorContext): void {
    this.output = context.output;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const out = new ChangeBatch();
    const { shape, timeIndex } = this.options;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const t = row[timeIndex];
      if (typeof t !== 'number') continue;
      for (const w of windowsOf(shape, t)) {
        const labelled: Value[] = [...row, w.start, w.end, w.end - WINDOW_TIME_BEFORE_END];
        out.push(batch.kinds[i] as ChangeKind, labelled);
      }
    }
    if (out.length > 0) this.output.emit(out);
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}
}
