// Sinks at the end of a dataflow: a callback sink (INSERT jobs, subscriptions)
// and the collector of a one-shot read.

import { internalError } from '../../common/errors.js';
import { rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { weightOf, type ChangeBatch, type ChangeKind } from '../change.js';
import type { Output, OperatorContext, StreamOperator } from '../operator.js';

/** Hands every batch (and watermark) to a target. */
export class ForwardingSink implements StreamOperator {
  constructor(readonly name: string, private readonly target: Output) {}

  open(_context: OperatorContext): void {}

  processBatch(_input: number, batch: ChangeBatch): void {
    this.target.emit(batch);
  }

  processWatermark(_input: number, watermark: number): void {
    this.target.emitWatermark(watermark);
  }

  snapshot(): void {}

  close(): void {}
}

/** Folds a changelog into the multiset it describes, remembering first-arrival order. */
export class Collector implements StreamOperator {
  readonly name = 'Collect';
  private readonly rows = new Map<string, { row: Row; count: number }>();

  open(_context: OperatorContext): void {}

  processBatch(_input: number, batch: ChangeBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const key = rowKey(row);
      const cur = this.rows.get(key);
      const count = (cur?.count ?? 0) + weightOf(batch.kinds[i] as ChangeKind);
      if (count < 0) throw internalError('a query retracted a row it had not produced');
      if (count === 0) this.rows.delete(key);
      else if (cur) cur.count = count;
      else this.rows.set(key, { row, count });
    }
  }

  processWatermark(): void {}

  snapshot(): void {}

  close(): void {}

  result(): Row[] {
    const out: Row[] = [];
    for (const { row, count } of this.rows.values()) for (let i = 0; i < count; i++) out.push(row);
    return out;
  }
}
