// Union: ⊎ of n inputs (UNION ALL); changes pass through unchanged, the watermark is the minimum over inputs.

import type { ChangeBatch } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';

export interface UnionOptions {
  /** Number of inputs (at least 1). */
  readonly inputs: number;
}

/**
 * UNION ALL. Stateless: each input's batches are forwarded as they come; the
 * output watermark only advances when every input's has.
 */
export class Union implements StreamOperator {
  readonly name = 'Union';
  private output!: Output;
  private readonly watermarks: WatermarkTracker;

  constructor(options: UnionOptions) {
    this.watermarks = new WatermarkTracker(Math.max(1, options.inputs));
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    if (batch.length > 0) this.output.emit(batch);
    this.idleCheck(input);
  }

  /** Rows from `input` may show that another input has gone idle. */
  private idleCheck(input: number): void {
    const w = this.watermarks.active(input);
    if (w !== undefined) this.output.emitWatermark(w);
  }

  processWatermark(input: number, watermark: number): void {
    const w = this.watermarks.update(input, watermark);
    if (w !== undefined) this.output.emitWatermark(w);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}
}
