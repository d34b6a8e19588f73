// Entry points of a dataflow: a port that external changes are pushed into
// (a scanned table or view), and a constant relation emitted once (VALUES).

import type { Row } from '../../common/value.js';
import { ChangeBatch } from '../change.js';
import type { Output, OperatorContext, StreamOperator } from '../operator.js';

/** Passes what is pushed into it straight to its output. */
export class SourcePort implements StreamOperator {
  private output!: Output;

  constructor(readonly name: string) {}

  open(context: OperatorContext): void {
    this.output = context.output;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    this.output.emit(batch);
  }

  processWatermark(_input: number, watermark: number): void {
    this.output.emitWatermark(watermark);
  }

  snapshot(): void {}

  close(): void {}
}

/** Emits its rows as inserts when the job starts, then nothing more. */
export class ValuesSource implements StreamOperator {
  readonly name = 'Values';
  private output!: Output;

  constructor(private readonly rows: () => readonly Row[]) {}

  open(context: OperatorContext): void {
    this.output = context.output;
  }

  start(): void {
    this.output.emit(ChangeBatch.inserts(this.rows()));
  }

  processBatch(): void {}

  processWatermark(): void {}

  snapshot(): void {}

  close(): void {}
}
