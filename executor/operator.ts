// The interface every incremental operator implements.
//
// Operators are push-based and synchronous: a source pushes a batch, each
// operator processes it and pushes what it produces to its output before
// returning. Watermarks (event time in microseconds) and checkpoint barriers
// travel in-band, in order with the batches.

import type { Row } from '../common/value.js';
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
  /**
   * A row that reached a time-ordered operator (window, interval join, OVER) too late:
   * its time is behind what the operator's watermark already closed, so it changes
   * nothing. Reported so users can see what was dropped (eddy_late_rows). `rowTime`
   * is null for a row without a time.
   */
  readonly lateRow?: (input: number, row: Row, rowTime: number | null, watermark: number) => void;
  /**
   * 'table.exec.source.idle-timeout' in microseconds: an input silent for this long
   * stops holding back a multi-input operator's watermark. 0 (or absent): never.
   */
  readonly idleTimeout?: number;
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
  /**
   * Operators that hold rows back (mini-batch bundles) pass them on now: a read is about
   * to look at the results. Absent: nothing is ever held back.
   */
  passOnHeld?(): void;
  close(): void;
}

/**
 * Tracks per-input watermarks and reports when their minimum advances. With an idle
 * timeout (see `configure`), an input that has delivered nothing for that long is left
 * out of the minimum, so one quiet input does not stall the others; the watermark
 * still only follows inputs that deliver, and it never goes back, so an idle input
 * that wakes up behind it finds its rows late.
 */
export class WatermarkTracker {
  private readonly marks: number[];
  private readonly lastActive: number[];
  private current = Number.NEGATIVE_INFINITY;
  private now: (() => number) | undefined;
  private idleTimeout = 0;

  constructor(inputs: number) {
    this.marks = new Array<number>(inputs).fill(Number.NEGATIVE_INFINITY);
    this.lastActive = new Array<number>(inputs).fill(0);
  }

  /** Enables idleness: `now` is the clock, `idleTimeout` microseconds (0 disables it). Inputs count as active from now on. */
  configure(context: Pick<OperatorContext, 'now' | 'idleTimeout'>): void {
    this.idleTimeout = context.idleTimeout ?? 0;
    if (this.idleTimeout <= 0) return;
    this.now = context.now;
    this.lastActive.fill(context.now());
  }

  /** Records `watermark` for `input`; returns the new combined watermark if it advanced, else undefined. */
  update(input: number, watermark: number): number | undefined {
    const prev = this.marks[input];
    if (prev === undefined) return undefined;
    this.touch(input);
    if (watermark <= prev) return this.idleTimeout > 0 ? this.advance() : undefined;
    this.marks[input] = watermark;
    return this.advance();
  }

  /**
   * Input `input` delivered rows. With an idle timeout, that may be the moment the
   * other inputs turn out to be idle: returns the combined watermark if it advanced.
   */
  active(input: number): number | undefined {
    if (this.idleTimeout <= 0) return undefined;
    this.touch(input);
    return this.advance();
  }

  get watermark(): number {
    return this.current;
  }

  private touch(input: number): void {
    if (this.now !== undefined) this.lastActive[input] = this.now();
  }

  private advance(): number | undefined {
    let min = Number.POSITIVE_INFINITY;
    let following = false;
    const cutoff = this.now !== undefined && this.idleTimeout > 0 ? this.now() - this.idleTimeout : Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.marks.length; i++) {
      // An idle input is left out; one that never delivered a watermark but is not idle holds everything back.
      if ((this.lastActive[i] as number) <= cutoff) continue;
      following = true;
      const m = this.marks[i] as number;
      if (m < min) min = m;
    }
    // Every input idle: nothing real to follow, so the watermark stays. (Every input at
    // +Infinity is different: all of them ended, and the end of time passes on.)
    if (!following) return undefined;
    if (min > this.current) {
      this.current = min;
      return min;
    }
    return undefined;
  }
}
