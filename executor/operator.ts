// The interface every incremental operator implements.
//
// Operators are push-based and synchronous: a source pushes a batch, each
// operator processes it and pushes what it produces to its output before
// returning. Watermarks (event time in microseconds) and checkpoint barriers
// travel in-band, in order with the batches.

import type { ChangeBatch } from './change.js';
import type { OperatorState } from './state/state-api.js';

/** Where an operator sends what it produces. */
export interface Output {
  emit(batch: ChangeBatch): void;
  emitWatermark(watermark: number): void;
}

export interface OperatorContext {
  readonly state: OperatorState;
  readonly output: Output;
  /** The current time in microseconds, injectable for tests (processing-time features). */
  readonly now: () => number;
}

export interface StreamOperator {
  /** What EXPLAIN and eddy_operator_stats call it: `GroupAggregate`, `Join`, ... */
  readonly name: string;
  /** Acquire state handles and keep the output. Called once before any input. */
  open(context: OperatorContext): void;
  /** Input `input` (0-based; joins: 0 left, 1 right) delivers a batch. */
  processBatch(input: number, batch: ChangeBatch): void;
  /**
   * Input `input`'s watermark advanced. Operators that do not use time forward
   * the minimum over their inputs (see WatermarkTracker).
   */
  processWatermark(input: number, watermark: number): void;
  /** A checkpoint barrier reached this operator: write any buffered data into state. */
  snapshot(checkpointId: number): void;
  close(): void;
}

/** Tracks per-input watermarks and reports when their minimum advances. */
export class WatermarkTracker {
  private readonly marks: number[];
  private current = Number.NEGATIVE_INFINITY;

  constructor(inputs: number) {
    this.marks = new Array<number>(inputs).fill(Number.NEGATIVE_INFINITY);
  }

  /** Records `watermark` for `input`; returns the new combined watermark if it advanced, else undefined. */
  update(input: number, watermark: number): number | undefined {
    const prev = this.marks[input];
    if (prev === undefined || watermark <= prev) return undefined;
    this.marks[input] = watermark;
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.marks) if (m < min) min = m;
    if (min > this.current) {
      this.current = min;
      return min;
    }
    return undefined;
  }

  get watermark(): number {
    return this.current;
  }
}
