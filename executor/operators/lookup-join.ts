// LookupJoin: L ⋈ lookup(R) — each left row, as it arrives, meets the rows the table holds for its key then (processing time).

import { projectedKey, rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, DELETE, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { StateKey, ValueState } from '../state/state-api.js';

export interface LookupJoinOptions {
  readonly joinType: 'INNER' | 'LEFT';
  /** The looked-up values of a left row, or undefined when one is NULL (it then meets nothing). */
  readonly leftKey: (row: Row) => readonly Value[] | undefined;
  /** The table's rows for those values, as the join's right rows. */
  readonly lookup: (values: readonly Value[]) => readonly Row[];
  /** The rest of the ON condition, over the concatenated row. */
  readonly residual?: (row: Row) => boolean;
  readonly rightWidth: number;
  /** The left input retracts: what each left row produced is kept, so its retraction takes back exactly that. */
  readonly retractingLeft?: boolean;
  /** The columns that identify a left row for its retraction (default: all; processing-time columns are left out). */
  readonly leftIdentity?: readonly number[];
}

/**
 * A processing-time temporal join whose right side is read, not streamed: each left
 * addition looks its key up in the table (through the lookup source's cache, if it
 * has one) and is emitted at once, joined with every row found that passes the
 * residual, or NULL-padded (LEFT) when none does. Later changes of the table never
 * touch what was emitted. The operator keeps no state of the table.
 *
 * Changelog: each left change's result with the change's kind. With
 * `retractingLeft`, a retraction takes back what its row produced at its arrival
 * (the table may have changed since, so looking up again could disagree).
 *
 * State: with `retractingLeft` only, value "produced" [left row key] -> per copy of
 * the row, the rows it produced (newest last).
 *
 * @example
 *   // orders (id, currency, pt) JOIN rates FOR SYSTEM_TIME AS OF orders.pt ON orders.currency = rates.currency
 *   new LookupJoin({ joinType: 'INNER', leftKey: (r) => (r[1] === null ? undefined : [r[1]]), lookup: find, rightWidth: 3 })
 */
export class LookupJoin implements StreamOperator {
  readonly name = 'LookupJoin';
  private output!: Output;
  private produced!: ValueState<Row[][]>;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  private readonly nullRight: Row;

  constructor(private readonly options: LookupJoinOptions) {
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    this.produced = context.state.value<Row[][]>('produced');
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const out = new ChangeBatch();
    for (let i = 0; i < batch.length; i++) {
      const kind = batch.kinds[i] as ChangeKind;
      const row = batch.rows[i] as Row;
      if (kind === UPDATE_BEFORE || kind === DELETE) {
        if (this.options.retractingLeft === true) this.takeBack(kind, row, out);
      } else this.join(kind, row, out);
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

  private join(kind: ChangeKind, row: Row, out: ChangeBatch): void {
    const o = this.options;
    const values = o.leftKey(row);
    const results: Row[] = [];
    if (values !== undefined) {
      for (const right of o.lookup(values)) {
        const joined = [...row, ...right];
        if (o.residual === undefined || o.residual(joined) === true) results.push(joined);
      }
    }
    if (results.length === 0 && o.joinType === 'LEFT') results.push([...row, ...this.nullRight]);
    for (const r of results) out.push(kind, r);
    if (o.retractingLeft !== true) return;
    const id: StateKey = [this.identity(row)];
    const produced = this.produced.get(id) ?? [];
    produced.push(results);
    this.produced.put(id, produced);
  }

  private identity(row: Row): string {
    const columns = this.options.leftIdentity;
    return columns === undefined ? rowKey(row) : projectedKey(row, columns);
  }

  private takeBack(kind: ChangeKind, row: Row, out: ChangeBatch): void {
    const id: StateKey = [this.identity(row)];
    const produced = this.produced.get(id);
    if (produced === undefined) return;
    for (const r of produced.pop() as Row[]) out.push(kind, r);
    if (produced.length === 0) this.produced.delete(id);
    else this.produced.put(id, produced);
  }
}
