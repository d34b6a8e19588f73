// The engine's durable storage: one LMDB environment per data directory,
// with a named database per purpose.
//
// Writes made while one statement runs are issued synchronously, so lmdb-js
// commits them in one transaction; a statement is acknowledged only after
// `flushed()` resolves, i.e. once that transaction committed and is on disk
// (never noSync). Statements in flight at the same time share that wait: one
// sync covers every transaction committed before it (group commit).

import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { StateDatabases } from '../state/lmdb-backend.js';

export class Storage {
  /** The last write promise handed out by lmdb-js (one per transaction batch) and whether a batch failed. */
  private lastWrite: Promise<unknown> | undefined;
  private failure: Error | undefined;

  private constructor(
    readonly root: RootDatabase,
    /** Catalog entries: [seq] -> StoredCatalogEntry. */
    readonly catalog: Database,
    /** Table rows: [tableId, seq] (append-only) or [tableId, key] (primary key) -> row. */
    readonly rows: Database,
    /** Operator state (see executor/state/lmdb-backend.ts). */
    readonly state: StateDatabases,
    /** The durable input log of SQL-fed tables: [position] -> logged changes (see executor/checkpoint/input-log.ts). */
    readonly log: Database,
    /** Checkpoints: 'latest' -> the last complete checkpoint; [id] -> each checkpoint's outcome. */
    readonly checkpoints: Database,
    /** Planner statistics: ['t', relation] -> its figures; ['j', job id] -> what its plan was made with (planner/stats/). */
    readonly stats: Database,
  ) {}

  static open(dataDir: string): Storage {
    // Strict order: transaction callbacks (state spills) run in turn with the writes around them, not after
    // every queued write, so a checkpoint's writes and the spills before and after it commit in issue order.
    const root = open({ path: join(dataDir, 'eddy.mdb'), maxDbs: 32, strictAsyncOrder: true });
    const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
    return new Storage(
      root,
      root.openDB({ name: 'catalog' }),
      root.openDB({ name: 'rows' }),
      {
        root,
        state: root.openDB<Buffer, Buffer>({ name: 'state', ...binary }),
        undo: root.openDB<Buffer, Buffer>({ name: 'state-undo', ...binary }),
        states: root.openDB<Buffer, Buffer>({ name: 'state-registry', ...binary }),
        log: root.openDB<Buffer, Buffer>({ name: 'state-log', ...binary }),
      },
      root.openDB({ name: 'input-log' }),
      root.openDB({ name: 'checkpoints' }),
      root.openDB({ name: 'stats' }),
    );
  }

  /**
   * Watches a write's promise (lmdb-js hands the same one to every write of a
   * batch): a batch whose commit fails makes the next `flushed()` reject.
   */
  track(write: Promise<unknown>): void {
    if (write === this.lastWrite) return;
    this.lastWrite = write;
    write.then(undefined, (e: unknown) => {
      this.failure = e instanceof Error ? e : new Error(String(e));
    });
  }

  /**
   * Resolves once every write issued so far is durable (committed, then
   * synced); rejects when one of them failed to commit.
   */
  async flushed(): Promise<void> {
    const last = this.lastWrite;
    if (last !== undefined) await last.then(() => undefined, () => undefined);
    await this.root.flushed;
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      throw failure;
    }
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
