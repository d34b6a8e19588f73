// SetOp: INTERSECT / EXCEPT [ALL] from per-row counts (a on the left, b on the right): min(a,b), [a>0 ∧ b>0], max(a-b,0), [a>0 ∧ b=0].

import { rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { ValueState } from '../state/state-api.js';

export interface SetOpOptions {
  readonly op: 'INTERSECT' | 'EXCEPT';
  /** ALL keeps multiplicities; without it the result is a set. */
  readonly all: boolean;
}

/** Per distinct row: `[row, left copies, right copies]`. */
type Counts = [Row, number, number];

/**
 * INTERSECT [ALL] and EXCEPT [ALL]. Rows compare as GROUP BY compares them
 * (NULL equal to NULL). Each batch emits, per touched row, the change of its
 * output multiplicity: +I per added copy, -D per removed copy.
 *
 * State: value state "counts", key [row key string] -> Counts.
 */
export class SetOp implements StreamOperator {
  readonly name = 'SetOp';
  private output!: Output;
  private counts!: ValueState<Counts>;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly touched = new Map<string, { counts: Counts; before: number }>();

  constructor(private readonly options: SetOpOptions) {}

  open(context: OperatorContext): void {
    this.output = context.output;
    this.counts = context.state.value<Counts>('counts');
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    const side = input === 0 ? 1 : 2;
    const touched = this.touched;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const kind = batch.kinds[i] as ChangeKind;
      const key = rowKey(row);
      let t = touched.get(key);
      if (t === undefined) {
        const stored = this.counts.get([key]);
        const counts: Counts = stored ?? [row, 0, 0];
        t = { counts, before: this.multiplicity(counts) };
        touched.set(key, t);
      }
      const c = t.counts;
      if (kind === UPDATE_BEFORE || kind === DELETE) {
        // Retracting a copy that is not there (inconsistent input) is ignored.
        if (c[side] > 0) c[side]--;
      } else c[side]++;
    }
    const out = new ChangeBatch();
    for (const [key, t] of touched) {
      const c = t.counts;
      const after = this.multiplicity(c);
      for (let n = t.before; n < after; n++) out.push(INSERT, c[0]);
      for (let n = after; n < t.before; n++) out.push(DELETE, c[0]);
      if (c[1] === 0 && c[2] === 0) this.counts.delete([key]);
      else this.counts.put([key], c);
    }
    touched.clear();
    if (out.length > 0) this.output.emit(out);
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

  private multiplicity(c: Counts): number {
    const a = c[1];
    const b = c[2];
    if (this.options.op === 'INTERSECT') return this.options.all ? Math.min(a, b) : a > 0 && b > 0 ? 1 : 0;
    return this.options.all ? Math.max(a - b, 0) : a > 0 && b === 0 ? 1 : 0;
  }
}
