// MiniBatch: input batches gathered into one bundle before a stateful operator that processes a batch per group
// at a time (GroupAggregate reads and writes each group once per batch), so a bundle of small batches costs it one
// state access per group instead of one per batch.
//
// A bundle is passed on when it holds 'table.exec.mini-batch.size' rows, when its first row waited
// 'table.exec.mini-batch.allow-latency' (checked as rows arrive), on a watermark, on a checkpoint
// barrier, and when a read asks for everything (passOnHeld). Changes keep their order.

import type { Row } from '../../common/value.js';
import { ChangeBatch, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';

export interface MiniBatchOptions {
  readonly bundleRows: number;
  /** Microseconds (0: no limit but the size). */
  readonly allowLatency: number;
}

export class MiniBatch implements StreamOperator {
  readonly name = 'MiniBatch';
  private output!: Output;
  private now!: () => number;
  private bundle = new ChangeBatch();
  private firstAt = 0;

  constructor(private readonly options: MiniBatchOptions) {}

  open(context: OperatorContext): void {
    this.output = context.output;
    this.now = context.now;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (batch.length === 0) return;
    if (this.bundle.length === 0) this.firstAt = this.now();
    for (let i = 0; i < batch.length; i++) this.bundle.push(batch.kinds[i] as ChangeKind, batch.rows[i] as Row);
    const { bundleRows, allowLatency } = this.options;
    if (this.bundle.length >= bundleRows || (allowLatency > 0 && this.now() - this.firstAt >= allowLatency)) this.passOnHeld();
  }

  processWatermark(_input: number, watermark: number): void {
    this.passOnHeld();
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {
    this.passOnHeld();
  }

  passOnHeld(): void {
    if (this.bundle.length === 0) return;
    const out = this.bundle;
    this.bundle = new ChangeBatch();
    this.output.emit(out);
  }

  close(): void {}
}
