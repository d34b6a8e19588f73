// The sink of a materialized view's job: keeps the view's rows (a multiset,
// in operator state) and passes every change on to the view's followers.

import { internalError } from '../../common/errors.js';
import { projectedKey, rowKey, valueKey } from '../../common/key.js';
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
const NONE: readonly Stored[] = [];

/** A view indexes a column for point reads only up to this many rows: the index lives in memory, outside the state cache's bound. */
const INDEXED_ROWS_LIMIT = 100_000;

/**
 * The view's rows are filed in entries, each named by a string (its state user key).
 * Two layouts:
 * - by row ('rows'): one entry per distinct row, named by the row's key, holding its count;
 * - by unique key ('keyed'): one entry per value of a unique key of the view's input,
 *   holding the rows with that key and their counts. Between batches that is one row; within
 *   a batch an update's +U may come before its -U, so an entry keeps a short list and
 *   behaves exactly as the multiset would. An update of a key changes one entry, not two.
 * The key is derived from the view's plan, which a restored view is planned again with, so
 * it comes back with the same key; a view whose rows are filed by row (checkpointed before
 * views had keys) keeps that layout.
 */
export class MaterializeOperator implements StreamOperator, ChangeSource {
  readonly name = 'Materialize';
  private rows!: MapState<Stored>;
  private keyed: MapState<Stored[]> | undefined;
  private readonly followers = new Followers();
  private output!: Output;
  private lastWatermark: number | undefined;
  /**
   * Point reads (`SELECT ... FROM view WHERE col = $1`): per column, the entries holding a
   * row with the column's value key, by that value key. Built from the state by the first
   * lookup on that column, then kept up to date by every change. Derived from the state, not
   * part of it: a restarted view builds it again on its first lookup.
   */
  private readonly indexes = new Map<number, Map<string, Set<string>>>();

  /** `key`: column indexes of a unique key of the view's input (planner/physical/unique-key.ts), if one is known. */
  constructor(readonly view: string, private readonly key?: readonly number[]) {}

  open(context: OperatorContext): void {
    this.rows = context.state.map<Stored>('rows');
    this.output = context.output;
    if (this.rows.size(ALL) > 0) return;
    const keyed = context.state.map<Stored[]>('keyed');
    if (keyed.size(ALL) > 0) this.checkFiledBy(keyed);
    if (this.key !== undefined) this.keyed = keyed;
  }

  /**
   * A view reopened on rows filed by key must be given the key they were filed by (the same
   * plan gives the same key): else its entries could not be found again. Checked on one entry.
   */
  private checkFiledBy(keyed: MapState<Stored[]>): void {
    const first = keyed.entries(ALL).next();
    const [name, list] = first.done === true ? [undefined, undefined] : first.value;
    const row = list?.[0]?.row;
    if (this.key === undefined || row === undefined || projectedKey(row, this.key) !== name?.[0]) {
      throw internalError(`materialized view "${this.view}": its rows are filed by another key than its plan's`);
    }
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (this.keyed !== undefined) this.applyKeyed(this.keyed, this.key as readonly number[], batch);
    else this.applyByRow(batch);
    this.followers.emit(batch);
    this.output.emit(batch);
  }

  private applyByRow(batch: ChangeBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const stateKey = rowKey(row);
      const key = [stateKey];
      const w = weightOf(batch.kinds[i] as 0 | 1 | 2 | 3);
      const cur = this.rows.get(ALL, key);
      const count = (cur?.count ?? 0) + w;
      if (count < 0) throw this.missingRow();
      if (count === 0) this.rows.delete(ALL, key);
      else this.rows.put(ALL, key, { row, count });
      if (this.indexes.size > 0 && (cur === undefined) !== (count === 0)) this.reindex(row, stateKey, count > 0, NONE);
    }
  }

  /**
   * Entries are read once and written once per batch: an update's -U and +U meet in one list
   * and end as one put, not a delete and a put (which would also rewrite the state's count).
   */
  private applyKeyed(keyed: MapState<Stored[]>, columns: readonly number[], batch: ChangeBatch): void {
    const touched = new Map<string, Stored[]>();
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const stateKey = projectedKey(row, columns);
      const w = weightOf(batch.kinds[i] as 0 | 1 | 2 | 3);
      const cur = touched.get(stateKey) ?? keyed.get(ALL, [stateKey]) ?? NONE;
      let at = -1;
      for (let j = 0; j < cur.length; j++) {
        if (sameRow((cur[j] as Stored).row, row)) {
          at = j;
          break;
        }
      }
      const count = (at < 0 ? 0 : (cur[at] as Stored).count) + w;
      if (count < 0) throw this.missingRow();
      // A new list: the state holds the old one until the put.
      let next: Stored[];
      if (at < 0) next = [...cur, { row, count }];
      else if (count === 0) next = cur.filter((_, j) => j !== at);
      else next = cur.map((s, j) => (j === at ? { row, count } : s));
      touched.set(stateKey, next);
      if (this.indexes.size > 0 && (at < 0) !== (count === 0)) this.reindex(row, stateKey, count > 0, next);
    }
    for (const [stateKey, list] of touched) {
      if (list.length === 0) keyed.delete(ALL, [stateKey]);
      else keyed.put(ALL, [stateKey], list);
    }
  }

  private missingRow(): Error {
    return internalError(`materialized view "${this.view}" received a retraction of a row it does not hold`);
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
   * Every row, as often as the view holds it. Once an index exists it names every entry,
   * so the rows are fetched one by one through the state cache (where a view read often
   * stays) instead of scanning and decoding the whole view from LMDB.
   */
  *contents(): IterableIterator<Row> {
    const first = this.indexes.entries().next().value as [number, Map<string, Set<string>>] | undefined;
    if (first !== undefined) {
      const [column, index] = first;
      for (const [k, keys] of index) for (const stateKey of keys) yield* this.indexedRows(stateKey, column, k);
      return;
    }
    for (const [, stored] of this.entries()) {
      for (let i = 0; i < stored.count; i++) yield stored.row;
    }
  }

  /** Every stored row with its count, and the name of the entry holding it. */
  private *entries(): IterableIterator<[string, Stored]> {
    if (this.keyed === undefined) {
      for (const [key, stored] of this.rows.entries(ALL)) yield [key[0] as string, stored];
      return;
    }
    for (const [key, list] of this.keyed.entries(ALL)) {
      for (const stored of list) yield [key[0] as string, stored];
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
      for (const [stateKey, stored] of this.entries()) addTo(index, valueKey(stored.row[column] as Value), stateKey);
      this.indexes.set(column, index);
    }
    const k = valueKey(value);
    const out: Row[] = [];
    for (const stateKey of index.get(k) ?? []) for (const row of this.indexedRows(stateKey, column, k)) out.push(row);
    return out;
  }

  /**
   * The rows of an entry an index lists under the value key `k` of column `column`, each as
   * often as the view holds it. A keyed entry with rows of several values of the column is
   * listed under each: only its rows of that value.
   */
  private *indexedRows(stateKey: string, column: number, k: string): IterableIterator<Row> {
    for (const stored of this.indexed(stateKey)) {
      if (this.keyed !== undefined && valueKey(stored.row[column] as Value) !== k) continue;
      for (let i = 0; i < stored.count; i++) yield stored.row;
    }
  }

  /** The rows of an entry an index names (which the view must hold). */
  private indexed(stateKey: string): readonly Stored[] {
    const stored = this.keyed === undefined ? this.rows.get(ALL, [stateKey]) : this.keyed.get(ALL, [stateKey]);
    if (stored === undefined) throw internalError(`materialized view "${this.view}": its index names a row it does not hold`);
    return Array.isArray(stored) ? stored : [stored];
  }

  /**
   * `row` appeared in entry `stateKey` (or left it, which still holds `rest`): files the
   * entry in (or, when no row left in it has the row's value, out of) every index.
   */
  private reindex(row: Row, stateKey: string, present: boolean, rest: readonly Stored[]): void {
    for (const [column, index] of this.indexes) {
      const k = valueKey(row[column] as Value);
      if (present) addTo(index, k, stateKey);
      else if (!rest.some((s) => valueKey(s.row[column] as Value) === k)) {
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

  /** Distinct rows the view holds (with a unique key, one per entry between batches). */
  get rowCount(): number {
    return this.keyed === undefined ? this.rows.size(ALL) : this.keyed.size(ALL);
  }
}


/** Whether two rows are one row of the multiset (the same key as `rowKey` gives them). */
function sameRow(a: Row, b: Row): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Value;
    const y = b[i] as Value;
    if (x !== y && valueKey(x) !== valueKey(y)) return false;
  }
  return true;
}

function addTo(index: Map<string, Set<string>>, k: string, stateKey: string): void {
  const keys = index.get(k);
  if (keys === undefined) index.set(k, new Set([stateKey]));
  else keys.add(stateKey);
}
