// A table fed by SQL (no connector): INSERT / UPDATE / DELETE change it, and
// every change is pushed to the jobs that follow it.
//
// Without a primary key the table is append-only: INSERT adds rows (+I).
// With one it is a changelog table: INSERT upserts (a row for an existing key
// replaces it: -U old, +U new), UPDATE emits -U/+U, DELETE emits -D.
//
// A table with `WATERMARK FOR ts AS expr` has a watermark: the largest value of
// `expr` over the rows written so far. After each write that raises it, it is
// pushed to the followers right behind the write's changes; it never goes down
// (a DELETE does not lower it). On open it is recomputed from the stored rows.
// An append-only table also remembers where in its log each watermark took
// effect, so a job built later (or a read) can replay the log with the watermarks
// in their places: a row that was late when written is late again, not counted.

import { SqlError, SqlState } from '../../common/errors.js';
import { projectedKey } from '../../common/key.js';
import { rowsEqual } from '../../common/compare.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE } from '../../executor/change.js';
import { Followers, type ChangeSource } from '../../executor/change-source.js';
import type { Output } from '../../executor/operator.js';
import type { CatalogRelation } from '../../planner/binder/catalog-reader.js';
import type { TableStorage } from './table-storage.js';

/** Storage keys of an append-only table's watermark marks: `~w<log position>` -> [watermark]. */
const MARK_PREFIX = '~w';

/** Rows per batch when a log is replayed. */
const REPLAY_BATCH = 10_000;

/** The stored (non-computed) columns of a relation, with the primary key mapped onto them. */
export interface StoredLayout {
  readonly names: readonly string[];
  readonly nullable: readonly boolean[];
  /** Indexes into the stored columns; absent for an append-only table. */
  readonly primaryKey?: readonly number[];
}

export function storedLayout(relation: CatalogRelation): StoredLayout {
  const storedIndex = new Map<number, number>();
  const names: string[] = [];
  const nullable: boolean[] = [];
  relation.columns.forEach((c, i) => {
    if (c.computed !== undefined) return;
    storedIndex.set(i, names.length);
    names.push(c.name);
    nullable.push(c.nullable);
  });
  if (!relation.primaryKey) return { names, nullable };
  const primaryKey = relation.primaryKey.map((i) => {
    const s = storedIndex.get(i);
    if (s === undefined) throw new SqlError(SqlState.invalidParameterValue, 'a primary key column cannot be computed');
    return s;
  });
  return { names, nullable, primaryKey };
}

export interface SqlTableOptions {
  /** The WATERMARK expression over a stored row (computed columns already substituted). */
  readonly watermark?: (row: Row) => Value;
  /**
   * The durable input log: gets each write's changes, and the watermark the write
   * raised, before any follower does (executor/checkpoint/input-log.ts).
   */
  readonly changeLog?: (changes: ChangeBatch, watermark: number | undefined) => void;
}

export class SqlTable implements ChangeSource {
  private readonly followers = new Followers();
  private readonly watermarkOf: ((row: Row) => Value) | undefined;
  private readonly changeLog: ((changes: ChangeBatch, watermark: number | undefined) => void) | undefined;
  private currentWatermark: number | undefined;
  /**
   * Append-only tables with a watermark: [log position, watermark], the watermark the
   * followers had seen when the row at that position was written (recorded when it
   * differs from the previous mark's).
   */
  private readonly marks: [number, number][] = [];
  /** Append-only tables: every row inserted. */
  private readonly log: Row[] = [];
  /** Changelog tables: the current row per primary key. */
  private readonly byKey = new Map<string, Row>();
  private nextSeq = 0;

  /** Opens the table over its storage, loading the rows it already holds. */
  constructor(readonly name: string, readonly layout: StoredLayout, private readonly storage?: TableStorage, options: SqlTableOptions = {}) {
    this.watermarkOf = options.watermark;
    this.changeLog = options.changeLog;
    if (!storage) return;
    for (const [key, row] of storage.load()) {
      if (typeof key === 'number') {
        this.log.push(row);
        this.nextSeq = key + 1;
      } else if (this.appendOnly && key.startsWith(MARK_PREFIX)) this.marks.push([Number(key.slice(MARK_PREFIX.length)), row[0] as number]);
      else this.byKey.set(key, row);
    }
    this.marks.sort((a, b) => a[0] - b[0]);
    this.raiseWatermark(this.contents());
  }

  /**
   * Pushes the table to `output` as it was written: an append-only table's log with
   * each watermark before the rows written after it, then the current watermark; a
   * table with a primary key, its rows then its watermark.
   */
  replay(output: Output): void {
    let from = 0;
    const upTo = (end: number): void => {
      for (let i = from; i < end; i += REPLAY_BATCH) output.emit(ChangeBatch.inserts(this.log.slice(i, Math.min(end, i + REPLAY_BATCH))));
      from = end;
    };
    if (this.appendOnly) {
      for (const [position, watermark] of this.marks) {
        upTo(position);
        output.emitWatermark(watermark);
      }
      upTo(this.log.length);
    } else {
      const rows = [...this.byKey.values()];
      for (let i = 0; i < rows.length; i += REPLAY_BATCH) output.emit(ChangeBatch.inserts(rows.slice(i, i + REPLAY_BATCH)));
    }
    if (this.currentWatermark !== undefined) output.emitWatermark(this.currentWatermark);
  }

  /** Before appending a write's rows: where the watermark stands for them, if it moved since the last mark. */
  private markWatermark(): void {
    const w = this.currentWatermark;
    if (w === undefined) return;
    const last = this.marks[this.marks.length - 1];
    if (last !== undefined && last[1] === w) return;
    this.marks.push([this.nextSeq, w]);
    this.storage?.put(`${MARK_PREFIX}${this.nextSeq}`, [w]);
  }

  /** The table's watermark (microseconds), once a row with a time was written; undefined without WATERMARK. */
  watermark(): number | undefined {
    return this.currentWatermark;
  }

  /** Raises the watermark to the largest WATERMARK value among `rows`; true when it went up. */
  private raiseWatermark(rows: Iterable<Row>): boolean {
    const f = this.watermarkOf;
    if (f === undefined) return false;
    let max = this.currentWatermark ?? Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      const w = f(row);
      if (typeof w === 'number' && w > max) max = w;
    }
    if (max === Number.NEGATIVE_INFINITY || max === this.currentWatermark) return false;
    this.currentWatermark = max;
    return true;
  }

  /** Logs a write's changes, then pushes them, then the watermark when the written rows raised it. */
  private publish(out: ChangeBatch, written: Iterable<Row>): void {
    const raised = this.raiseWatermark(written);
    // Logged first: a write an INSERT job makes while this one propagates comes after it in the log.
    if (out.length > 0 || raised) this.changeLog?.(out, raised ? this.currentWatermark : undefined);
    this.followers.emit(out);
    if (raised) this.followers.emitWatermark(this.currentWatermark as number);
  }

  /**
   * Pushes logged changes (and the watermark they raised) to the followers again:
   * recovery replays the input log after a checkpoint. The table already holds them.
   */
  deliver(changes: ChangeBatch, watermark: number | undefined): void {
    this.followers.emit(changes);
    if (watermark !== undefined) this.followers.emitWatermark(watermark);
  }

  /** Removes the table's rows from storage (DROP TABLE). */
  drop(): void {
    this.storage?.drop();
  }

  private logAppend(row: Row): void {
    this.log.push(row);
    this.storage?.append(this.nextSeq++, row);
  }

  private setRow(key: string, row: Row): void {
    this.byKey.set(key, row);
    this.storage?.put(key, row);
  }

  private deleteRow(key: string): void {
    this.byKey.delete(key);
    this.storage?.remove(key);
  }

  get appendOnly(): boolean {
    return this.layout.primaryKey === undefined;
  }

  get rowCount(): number {
    return this.appendOnly ? this.log.length : this.byKey.size;
  }

  contents(): Iterable<Row> {
    return this.appendOnly ? this.log : this.byKey.values();
  }

  follow(listener: Output): () => void {
    return this.followers.add(listener);
  }

  /** The current row of a changelog table by its primary key string (`projectedKey` of the key columns), for lookups. */
  rowByKey(key: string): Row | undefined {
    return this.byKey.get(key);
  }

  /** Inserts (upserts, with a primary key) rows of the stored columns. Returns the number of rows. */
  insert(rows: readonly Row[]): number {
    for (const row of rows) this.checkNotNull(row);
    const out = new ChangeBatch();
    const pk = this.layout.primaryKey;
    if (pk === undefined) {
      if (rows.length > 0) this.markWatermark();
      for (const row of rows) {
        this.logAppend(row);
        out.push(INSERT, row);
      }
    } else {
      for (const row of rows) {
        const key = projectedKey(row, pk);
        const old = this.byKey.get(key);
        this.setRow(key, row);
        if (old === undefined) out.push(INSERT, row);
        else if (!rowsEqual(old, row)) {
          out.push(UPDATE_BEFORE, old);
          out.push(UPDATE_AFTER, row);
        }
      }
    }
    this.publish(out, rows);
    return rows.length;
  }

  /**
   * Replaces each row for which `change` returns a new row (UPDATE). A changed
   * primary key moves the row: the old key is deleted, and the new key upserted.
   */
  update(change: (row: Row) => Row | undefined): number {
    const pk = this.requireKey('UPDATE');
    // Evaluate every row first: an error (say, division by zero) must leave the table untouched.
    const changes: [string, Row, Row][] = [];
    for (const [key, row] of this.byKey) {
      const next = change(row);
      if (next === undefined) continue;
      this.checkNotNull(next);
      changes.push([key, row, next]);
    }
    const out = new ChangeBatch();
    const moved: Row[] = [];
    const count = changes.length;
    for (const [key, row, next] of changes) {
      const nextKey = projectedKey(next, pk);
      if (nextKey === key) {
        this.setRow(key, next);
        if (!rowsEqual(row, next)) {
          out.push(UPDATE_BEFORE, row);
          out.push(UPDATE_AFTER, next);
        }
      } else {
        this.deleteRow(key);
        out.push(DELETE, row);
        moved.push(next);
      }
    }
    for (const next of moved) {
      const key = projectedKey(next, pk);
      const old = this.byKey.get(key);
      this.setRow(key, next);
      if (old === undefined) out.push(INSERT, next);
      else {
        out.push(UPDATE_BEFORE, old);
        out.push(UPDATE_AFTER, next);
      }
    }
    this.publish(out, changes.map((c) => c[2]));
    return count;
  }

  /** Deletes the rows `matches` accepts (DELETE). */
  delete(matches: (row: Row) => boolean): number {
    this.requireKey('DELETE');
    const doomed: [string, Row][] = [];
    for (const [key, row] of this.byKey) if (matches(row)) doomed.push([key, row]);
    const out = new ChangeBatch();
    for (const [key, row] of doomed) {
      this.deleteRow(key);
      out.push(DELETE, row);
    }
    this.publish(out, []);
    return out.length;
  }

  /** Applies a changelog from a continuous INSERT INTO ... SELECT job. */
  applyChanges(batch: ChangeBatch): void {
    const pk = this.layout.primaryKey;
    if (pk === undefined) {
      const rows: Row[] = [];
      for (let i = 0; i < batch.length; i++) {
        if (batch.kinds[i] === INSERT || batch.kinds[i] === UPDATE_AFTER) rows.push(batch.rows[i] as Row);
        else {
          throw new SqlError(SqlState.featureNotSupported, `table "${this.name}" is append-only and cannot take the query's retractions`, {
            hint: 'Declare a PRIMARY KEY (...) NOT ENFORCED on the table to make it a changelog table.',
          });
        }
      }
      this.insert(rows);
      return;
    }
    const out = new ChangeBatch();
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const key = projectedKey(row, pk);
      const old = this.byKey.get(key);
      const kind = batch.kinds[i];
      if (kind === INSERT || kind === UPDATE_AFTER) {
        this.checkNotNull(row);
        this.setRow(key, row);
        if (old === undefined) out.push(INSERT, row);
        else if (!rowsEqual(old, row)) {
          out.push(UPDATE_BEFORE, old);
          out.push(UPDATE_AFTER, row);
        }
      } else if (old !== undefined && rowsEqual(old, row)) {
        // Retract only the row the key holds now: a -U for an older version is already superseded.
        this.deleteRow(key);
        out.push(DELETE, old);
      }
    }
    this.publish(out, out.rows.filter((_, i) => out.kinds[i] === INSERT || out.kinds[i] === UPDATE_AFTER));
  }

  private requireKey(statement: string): readonly number[] {
    const pk = this.layout.primaryKey;
    if (pk === undefined) {
      throw new SqlError(SqlState.featureNotSupported, `table "${this.name}" is append-only: ${statement} needs a primary key`, {
        hint: 'Declare PRIMARY KEY (...) NOT ENFORCED to make it a changelog table.',
      });
    }
    return pk;
  }

  private checkNotNull(row: Row): void {
    const nullable = this.layout.nullable;
    for (let i = 0; i < nullable.length; i++) {
      if (!nullable[i] && row[i] === null) {
        throw new SqlError(
          SqlState.notNullViolation,
          `null value in column "${this.layout.names[i]}" of relation "${this.name}" violates not-null constraint`,
        );
      }
    }
  }
}
