// The sink of a materialized view's job: keeps the view's rows (a multiset,
// in operator state) and passes every change on to the view's followers.

import { internalError } from '../../common/errors.js';
import { rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, weightOf } from '../change.js';
import { Followers, type ChangeSource } from '../change-source.js';
import type { Output, OperatorContext, StreamOperator } from '../operator.js';
import type { MapState } from '../state/state-api.js';

interface Stored {
  row: Row;
  count: number;
}

const ALL: readonly [] = [];

export class MaterializeOperator implements StreamOperator, ChangeSource {
  readonly name = 'Materialize';
  private rows!: MapState<Stored>;
  private readonly followers = new Followers();
  private output!: Output;
  private lastWatermark: number | undefined;

  constructor(readonly view: string) {}

  open(context: OperatorContext): void {
    this.rows = context.state.map<Stored>('rows');
    this.output = context.output;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const key = [rowKey(row)];
      const w = weightOf(batch.kinds[i] as 0 | 1 | 2 | 3);
      const cur = this.rows.get(ALL, key);
      const count = (cur?.count ?? 0) + w;
      if (count < 0) throw internalError(`materialized view "${this.view}" received a retraction of a row it does not hold`);
      if (count === 0) this.rows.delete(ALL, key);
      else this.rows.put(ALL, key, { row, count });
    }
    this.followers.emit(batch);
    this.output.emit(batch);
  }

  processWatermark(_input: number, watermark: number): void {
    if (this.lastWatermark !== undefined && watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    this.followers.emitWatermark(watermark);
    this.output.emitWatermark(watermark);
  }

  snapshot(): void {}

  close(): void {}

  *contents(): IterableIterator<Row> {
    for (const [, stored] of this.rows.entries(ALL)) {
      for (let i = 0; i < stored.count; i++) yield stored.row;
    }
  }

  follow(listener: Output): () => void {
    return this.followers.add(listener);
  }

  /** The last watermark the view's job passed on: views over this one start from it. */
  watermark(): number | undefined {
    return this.lastWatermark;
  }

  get rowCount(): number {
    return this.rows.size(ALL);
  }
}
