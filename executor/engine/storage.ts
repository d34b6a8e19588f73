// The engine's durable storage: one LMDB environment per data directory,
// with a named database per purpose.
//
// Writes made while one statement runs are issued synchronously, so lmdb-js
// commits them in one transaction; a statement is acknowledged only after
// `flushed()` resolves, i.e. once that transaction is on disk (never noSync).

import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';

export class Storage {
  private constructor(
    private readonly root: RootDatabase,
    /** Catalog entries: [seq] -> StoredCatalogEntry. */
    readonly catalog: Database,
    /** Table rows: [tableId, seq] (append-only) or [tableId, key] (primary key) -> row. */
    readonly rows: Database,
  ) {}

  static open(dataDir: string): Storage {
    const root = open({ path: join(dataDir, 'eddy.mdb') });
    return new Storage(root, root.openDB({ name: 'catalog' }), root.openDB({ name: 'rows' }));
  }

  /** Resolves once every write issued so far is durable. */
  async flushed(): Promise<void> {
    await this.root.flushed;
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
