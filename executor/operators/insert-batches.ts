// InsertBatches: rows an operator emits as inserts (closed windows, joined windows),
// passed on in batches of a bounded size rather than one batch per window or row.

import type { Row } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../change.js';
import type { Output } from '../operator.js';

/**
 * Rows per batch passed on: closed windows' rows are processed downstream (and mostly
 * freed) while young, not gathered into one batch per watermark.
 */
const BATCH_ROWS = 4096;

/**
 * @example
 *   const out = new InsertBatches(context.output);
 *   out.push(row);   // passed on once BATCH_ROWS are pending
 *   out.flush();     // the rest
 */
export class InsertBatches {
  private pending = new ChangeBatch();
  /** Rows passed on so far. */
  sent = 0;

  constructor(private readonly output: Output) {}

  push(row: Row): void {
    this.pending.push(INSERT, row);
    if (this.pending.length >= BATCH_ROWS) this.flush();
  }

  /** Passes on the pending rows, if any. */
  flush(): void {
    if (this.pending.length === 0) return;
    const out = this.pending;
    this.pending = new ChangeBatch();
    this.sent += out.length;
    this.output.emit(out);
  }
}
