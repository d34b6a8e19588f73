// The sink of a materialized view's job: keeps the view's rows (a multiset,
// in operator state) and passes every change on to the view's followers.

import { internalError } from '../../common/errors.js';
import { rowKey, valueKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, weightOf } from '../change.js';
import { Followers, type ChangeSource } from '../change-source.js';
import type { Output, OperatorContext, StreamOperator } from '../operator.js';
import type { MapState } from '../state/state-api.js';

interface Stored {
  row: Row;
  count: number;
}

const ALL: readonly [] = [];

/** A view indexes a column for point reads only up to this many rows: the index lives in memory, outside the state cache's bound. */
const INDEXED_ROWS_LIMIT = 100_000;

export class MaterializeOperator implements StreamOperator, ChangeSource {
  readonly name = 'Materialize';
  private rows!: MapState<Stored>;
  private readonly followers = new Followers();
  private output!: Output;
  private lastWatermark: number | undefined;
  /**
   * Point reads (`SELECT ... FROM view WHERE col = $1`): per column, the keys of the stored
   * rows by the column's value key. Built from `rows` by the first lookup on that column,
   * then kept up to date by every change. Derived from the state, not part of it: a
   * restarted view builds it again on its first lookup.
   */
  private readonly indexes = new Map<number, Map<string, Set<string>>>();

  constructor(readonly view: string) {}

  open(context: OperatorContext): void {
    this.rows = context.state.map<Stored>('rows');
    this.output = context.output;
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const stateKey = rowKey(row);
      const key = [stateKey];
      const w = weightOf(batch.kinds[i] as 0 | 1 | 2 | 3);
      const cur = this.rows.get(ALL, key);
      const count = (cur?.count ?? 0) + w;
      if (count < 0) throw internalError(`materialized view "${this.view}" received a retraction of a row it does not hold`);
      if (count === 0) this.rows.delete(ALL, key);
      else this.rows.put(ALL, key, { row, count });
      if (this.indexes.size > 0 && (cur === undefined) !== (count === 0)) this.reindex(row, stateKey, count > 0);
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

  /**
   * Every row, as often as the view holds it. Once an index exists it names every stored
   * row, so the rows are fetched one by one through the state cache (where a view read
   * often stays) instead of scanning and decoding the whole view from LMDB.
   */
  *contents(): IterableIterator<Row> {
    const index = this.indexes.values().next().value as Map<string, Set<string>> | undefined;
    if (index !== undefined) {
      for (const keys of index.values()) {
        for (const stateKey of keys) {
          const stored = this.indexed(stateKey);
          for (let i = 0; i < stored.count; i++) yield stored.row;
        }
      }
      return;
    }
    for (const [, stored] of this.rows.entries(ALL)) {
      for (let i = 0; i < stored.count; i++) yield stored.row;
    }
  }

  /**
   * The rows whose column `column` has the value key of `value` (each as often as the view
   * holds it), without reading the others; undefined when the view is too large to index.
   */
  lookup(column: number, value: Value): Row[] | undefined {
    let index = this.indexes.get(column);
    if (index === undefined) {
      if (this.rowCount > INDEXED_ROWS_LIMIT) return undefined;
      index = new Map();
      for (const [, stored] of this.rows.entries(ALL)) addTo(index, valueKey(stored.row[column] as Value), rowKey(stored.row));
      this.indexes.set(column, index);
    }
    const out: Row[] = [];
    for (const stateKey of index.get(valueKey(value)) ?? []) {
      const stored = this.indexed(stateKey);
      for (let i = 0; i < stored.count; i++) out.push(stored.row);
    }
    return out;
  }

  /** The stored row an index names (which the view must hold). */
  private indexed(stateKey: string): Stored {
    const stored = this.rows.get(ALL, [stateKey]);
    if (stored === undefined) throw internalError(`materialized view "${this.view}": its index names a row it does not hold`);
    return stored;
  }

  /** A row appeared in the view (or left it): files it in (or out of) every index. */
  private reindex(row: Row, stateKey: string, present: boolean): void {
    for (const [column, index] of this.indexes) {
      const k = valueKey(row[column] as Value);
      if (present) addTo(index, k, stateKey);
      else {
        const keys = index.get(k);
        keys?.delete(stateKey);
        if (keys?.size === 0) index.delete(k);
      }
    }
    if (this.indexes.size > 0 && this.rowCount > INDEXED_ROWS_LIMIT) this.indexes.clear();
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

function addTo(index: Map<string, Set<string>>, k: string, stateKey: string): void {
  const keys = index.get(k);
  if (keys === undefined) index.set(k, new Set([stateKey]));
  else keys.add(stateKey);
}
