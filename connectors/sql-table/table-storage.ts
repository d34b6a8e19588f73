// Where a SQL-fed table keeps its rows: the durable input log of an
// append-only table, or the current row per key of a changelog table.

import { createHash } from 'node:crypto';
import type { Database } from 'lmdb';
import { internalError } from '../../common/errors.js';
import { decodeRow, encodeRow } from '../../common/row-codec.js';
import type { Row } from '../../common/value.js';

export interface TableStorage {
  /** Rows in the order they were appended (append-only) or in key order (changelog tables). */
  load(): IterableIterator<[string | number, Row]>;
  append(seq: number, row: Row): void;
  put(key: string, row: Row): void;
  remove(key: string): void;
  /** Removes every row (DROP TABLE). */
  drop(): void;
}

/** LMDB keys are limited to 1978 bytes; longer primary keys are hashed, the full key kept beside the row. */
const MAX_INLINE_KEY = 1000;

export class LmdbTableStorage implements TableStorage {
  constructor(private readonly db: Database, private readonly tableId: number) {}

  private storedKey(key: string): string {
    return key.length <= MAX_INLINE_KEY ? key : `#${createHash('sha256').update(key).digest('base64')}`;
  }

  *load(): IterableIterator<[string | number, Row]> {
    for (const { key, value } of this.db.getRange({ start: [this.tableId], end: [this.tableId + 1] })) {
      const k = (key as unknown[])[1] as string | number;
      const stored = value as { k?: string; r?: unknown } | unknown[];
      if (Array.isArray(stored)) yield [k, decodeRow(stored)];
      else yield [stored.k as string, decodeRow(stored.r)];
    }
  }

  append(seq: number, row: Row): void {
    this.db.put([this.tableId, seq], encodeRow(row));
  }

  put(key: string, row: Row): void {
    const stored = this.storedKey(key);
    if (stored === key) this.db.put([this.tableId, key], encodeRow(row));
    else {
      const existing = this.db.get([this.tableId, stored]) as { k?: string } | undefined;
      if (existing && existing.k !== key) throw internalError('primary key hash collision');
      this.db.put([this.tableId, stored], { k: key, r: encodeRow(row) });
    }
  }

  remove(key: string): void {
    this.db.remove([this.tableId, this.storedKey(key)]);
  }

  drop(): void {
    for (const key of this.db.getKeys({ start: [this.tableId], end: [this.tableId + 1] })) this.db.remove(key);
  }
}
