// The embedded engine: catalog, tables, continuous jobs and sessions.
//
//   const engine = await Engine.open({ dataDir: './eddy-data' });
//   await engine.execute("CREATE TABLE t (k INT, v INT)");
//   const [result] = await engine.execute('SELECT count(*) FROM t');
//   await engine.close();

import { mkdirSync } from 'node:fs';
import { Catalog } from '../../catalog/catalog.js';
import { CatalogStore } from '../../catalog/catalog-store.js';
import { LmdbTableStorage, type TableStorage } from '../../connectors/sql-table/table-storage.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Value } from '../../common/value.js';
import { SqlTable } from '../../connectors/sql-table/sql-table.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import type { CatalogRelation } from '../../planner/binder/catalog-reader.js';
import type { ChangelogMode } from '../../planner/physical/changelog-mode.js';
import type { ChangeSource } from '../change-source.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { StateBackend } from '../state/state-api.js';
import type { EngineOptions, StatementResult } from './api.js';
import type { Job } from './job.js';
import type { MaterializeOperator } from './materialized-view.js';
import { defaultSettings } from './settings.js';
import { EngineSession } from './session.js';
import { Storage } from './storage.js';
import { systemTables, type SystemTable } from './system-tables.js';

/** A materialized view's runtime: its job and the operator holding its rows. */
export interface ViewRuntime {
  readonly job: Job;
  readonly sink: MaterializeOperator;
  readonly mode: ChangelogMode;
}

export class Engine {
  readonly catalog = new Catalog();
  readonly tables = new Map<string, SqlTable>();
  /** Tables with `WITH ('connector' = ...)`: sources jobs pull from, sinks INSERT jobs write into. */
  readonly connectors = new Map<string, ConnectorTable>();
  readonly views = new Map<string, ViewRuntime>();
  readonly jobs = new Map<string, Job>();
  readonly system: ReadonlyMap<string, SystemTable>;
  readonly state: StateBackend = new MemoryStateBackend();
  readonly settings = new Map<string, string>(defaultSettings);
  readonly now: () => number;
  readonly catalogStore: CatalogStore;
  private nextJob: number;
  private nextTable: number;
  private readonly sessions = new Set<EngineSession>();
  private defaultSession: EngineSession | undefined;
  private closed = false;

  private constructor(readonly options: EngineOptions, readonly storage: Storage) {
    this.now = options.now ?? (() => Date.now() * 1000);
    this.catalogStore = new CatalogStore(storage.catalog);
    this.nextJob = this.catalogStore.nextJobId();
    this.nextTable = this.catalogStore.nextTableId();
    this.system = systemTables(this);
    for (const t of this.system.values()) {
      this.catalog.add({ relation: t.relation, createSql: '', dependsOn: [] });
    }
  }

  /** Opens (or creates) the engine in `options.dataDir`, restoring every table, view and job it holds. */
  static async open(options: EngineOptions): Promise<Engine> {
    mkdirSync(options.dataDir, { recursive: true });
    const engine = new Engine(options, Storage.open(options.dataDir));
    await engine.recover();
    return engine;
  }

  /**
   * Replays the stored catalog in creation order. Tables reload their rows;
   * views and jobs are rebuilt from them, so what they hold is derived from
   * durable input only: nothing is lost and nothing is counted twice.
   */
  private async recover(): Promise<void> {
    const session = new EngineSession(this);
    for (const entry of this.catalogStore.list()) await session.recover(entry);
    session.close();
  }

  /** Storage for a new table's rows. */
  allocateTableStorage(): { tableId: number; storage: TableStorage } {
    const tableId = this.nextTable++;
    return { tableId, storage: new LmdbTableStorage(this.storage.rows, tableId) };
  }

  tableStorage(tableId: number): TableStorage {
    this.nextTable = Math.max(this.nextTable, tableId + 1);
    return new LmdbTableStorage(this.storage.rows, tableId);
  }

  /** A new client session with its own settings and cursors. */
  session(): EngineSession {
    this.checkOpen();
    const s = new EngineSession(this);
    this.sessions.add(s);
    return s;
  }

  forgetSession(s: EngineSession): void {
    this.sessions.delete(s);
  }

  /** Runs `sql` (one or more statements) on the engine's default session. */
  execute(sql: string, params?: readonly Value[]): Promise<StatementResult[]> {
    this.defaultSession ??= this.session();
    return this.defaultSession.execute(sql, params);
  }

  newJobId(): string {
    return String(this.nextJob++);
  }

  /** Keeps job ids unique when a stored job is restored with its old id. */
  reserveJobId(id: string): string {
    this.nextJob = Math.max(this.nextJob, Number(id) + 1);
    return id;
  }

  /** The followable source behind a scanned relation. */
  source(name: string): ChangeSource {
    const table = this.tables.get(name);
    if (table) return table;
    const connector = this.connectors.get(name);
    if (connector) return connector;
    const view = this.views.get(name);
    if (view) {
      view.job.checkHealthy();
      return view.sink;
    }
    const sys = this.system.get(name);
    if (sys) return sys;
    throw new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`);
  }

  /** The changelog mode of a scanned relation. */
  scanMode(name: string): ChangelogMode {
    const table = this.tables.get(name);
    if (table) return table.appendOnly ? 'append' : 'retract';
    const view = this.views.get(name);
    if (view) return view.mode;
    return 'append';
  }

  relation(name: string): CatalogRelation | undefined {
    return this.catalog.relation(name);
  }

  /** Closes cleanly: stops every job and session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions]) s.close();
    for (const job of this.jobs.values()) job.stop(this.state);
    this.jobs.clear();
    await this.storage.flushed();
    await this.storage.close();
  }

  /**
   * Stops as a crash would: nothing is flushed beyond what is already durable.
   * (Used by the regression runner's `restart` directive.)
   */
  async crash(): Promise<void> {
    this.closed = true;
    for (const s of [...this.sessions]) s.close();
    for (const job of this.jobs.values()) job.stop(this.state);
    this.jobs.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw new SqlError(SqlState.internalError, 'the engine is closed');
  }
}
