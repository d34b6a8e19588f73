// Calc: σ_predicate then π_projections, row by row; linear, so each change maps to at most one change of the same kind.

import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';

export interface CalcOptions {
  /** Keeps a row only when this returns true (SQL WHERE: NULL counts as false, the compiler returns false for it). */
  readonly predicate?: (row: Row) => boolean;
  /** The output columns, each computed from the input row; absent: the input row unchanged. */
  readonly projections?: readonly ((row: Row) => Value)[];
}

/**
 * Filter and project. A retraction is filtered and projected like an addition,
 * so a row that was emitted is retracted with the same projected values.
 *
 * @example
 *   new Calc({ predicate: (r) => (r[1] as number) > 10, projections: [(r) => r[0] as Value] })
 */
export class Calc implements StreamOperator {
  readonly name = 'Calc';
  private output!: Output;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  private readonly predicate: ((row: Row) => boolean) | undefined;
  private readonly projections: readonly ((row: Row) => Value)[] | undefined;

  constructor(options: CalcOptions) {
    this.predicate = options.predicate;
    this.projections = options.projections;
  }

  open(context: OperatorContext): void {
    this.output = context.output;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const predicate = this.predicate;
    const projections = this.projections;
    if (!predicate && !projections) {
      this.output.emit(batch);
      return;
    }
    const out = new ChangeBatch();
    const kinds = batch.kinds;
    const rows = batch.rows;
    const n = rows.length;
    const width = projections ? projections.length : 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as Row;
      if (predicate && predicate(row) !== true) continue;
      if (projections) {
        const projected = new Array<Value>(width);
        for (let j = 0; j < width; j++) projected[j] = (projections[j] as (row: Row) => Value)(row);
        out.push(kinds[i] as ChangeKind, projected);
      } else out.push(kinds[i] as ChangeKind, row);
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
