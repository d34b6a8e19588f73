// The embedded engine: catalog, tables, continuous jobs and sessions.
//
//   const engine = await Engine.open({ dataDir: './eddy-data' });
//   await engine.execute("CREATE TABLE t (k INT, v INT)");
//   const [result] = await engine.execute('SELECT count(*) FROM t');
//   await engine.close();

import { mkdirSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { Catalog } from '../../catalog/catalog.js';
import { CatalogStore, type StoredCatalogEntry } from '../../catalog/catalog-store.js';
import { LmdbTableStorage, type TableStorage } from '../../connectors/sql-table/table-storage.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Value } from '../../common/value.js';
import { SqlTable } from '../../connectors/sql-table/sql-table.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import type { CatalogRelation } from '../../planner/binder/catalog-reader.js';
import type { ChangelogMode } from '../../planner/physical/changelog-mode.js';
import type { ChangeSource } from '../change-source.js';
import { Checkpointer, planSignature } from '../checkpoint/checkpointer.js';
import { CheckpointStore, type CheckpointMeta, type JobCheckpoint } from '../checkpoint/checkpoint-store.js';
import { InputLog } from '../checkpoint/input-log.js';
import { LmdbStateBackend } from '../state/lmdb-backend.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { StateBackend } from '../state/state-api.js';
import type { EngineOptions, StatementResult } from './api.js';
import type { Job } from './job.js';
import type { MaterializeOperator } from './materialized-view.js';
import { defaultSettings } from './settings.js';
import { EngineSession } from './session.js';
import { Storage } from './storage.js';
import { systemTables, type SystemTable } from './system-tables.js';
import { StatisticsCatalog } from '../../planner/stats/statistics-catalog.js';
import { SharedArrangements } from './shared-arrangements.js';

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
  /** Operator state of durable jobs (views, INSERT jobs): LMDB, checkpointed. */
  readonly stateBackend: LmdbStateBackend;
  readonly state: StateBackend;
  /** Operator state of subscriptions, which do not outlive the process. */
  readonly transientState: StateBackend = new MemoryStateBackend();
  readonly checkpointStore: CheckpointStore;
  readonly checkpointer: Checkpointer;
  /** The durable input log of SQL-fed tables. */
  readonly inputLog: InputLog;
  /** While recovery replays the input log: writes of INSERT jobs into tables are already there (see dml.ts). */
  replaying = false;
  /** While the catalog is replayed on open: the checkpointed jobs to restore rather than rebuild. */
  restoring: ReadonlyMap<string, JobCheckpoint> | undefined;
  /** Set when a checkpointed job's dataflow came out different on open: its state cannot be restored. */
  private planChanged: string | undefined;
  readonly settings = new Map<string, string>(defaultSettings);
  readonly now: () => number;
  readonly catalogStore: CatalogStore;
  /** Planner statistics of tables and views, gathered as their changes flow (planner/stats/). */
  readonly statistics: StatisticsCatalog;
  /** Join inputs kept once for every materialized view that needs them. */
  readonly arrangements: SharedArrangements = new SharedArrangements(this);
  private nextJob: number;
  private nextTable: number;
  private readonly sessions = new Set<EngineSession>();
  private defaultSession: EngineSession | undefined;
  private closed = false;

  private constructor(readonly options: EngineOptions, readonly storage: Storage) {
    this.now = options.now ?? (() => Date.now() * 1000);
    this.catalogStore = new CatalogStore(storage.catalog);
    this.statistics = new StatisticsCatalog(storage.stats, this.now);
    this.checkpointStore = new CheckpointStore(storage.root, storage.checkpoints);
    const latest = this.checkpointStore.latest();
    // Back to exactly the last complete checkpoint's state (undoing what was spilled after it).
    this.stateBackend = LmdbStateBackend.open(storage.state, latest?.id ?? 0, {
      memoryLimit: options.memoryLimit ?? defaultMemoryLimit(),
      ...options.checkpointLogs,
    });
    this.state = this.stateBackend;
    this.inputLog = new InputLog(storage.log, (w) => storage.track(w));
    if (latest) this.inputLog.advanceTo(latest.position);
    this.checkpointer = new Checkpointer(this);
    // Ids never come back once used: state and log entries are keyed by them.
    const ids = storage.checkpoints.get(IDS) as { job: number; table: number } | undefined;
    this.nextJob = Math.max(this.catalogStore.nextJobId(), ids?.job ?? 0);
    this.nextTable = Math.max(this.catalogStore.nextTableId(), ids?.table ?? 0);
    this.system = systemTables(this);
    for (const t of this.system.values()) {
      this.catalog.add({ relation: t.relation, createSql: '', dependsOn: [] });
    }
  }

  /** Opens (or creates) the engine in `options.dataDir`, restoring every table, view and job it holds. */
  static async open(options: EngineOptions): Promise<Engine> {
    return Engine.openWith(options, 'checkpoint');
  }

  /**
   * `rebuild`: every job is built again from its sources' contents, as on a
   * first start, and the checkpointed state is dropped (when a job's plan no
   * longer matches its checkpoint).
   */
  private static async openWith(options: EngineOptions, from: 'checkpoint' | 'rebuild'): Promise<Engine> {
    mkdirSync(options.dataDir, { recursive: true });
    const engine = new Engine(options, Storage.open(options.dataDir));
    await engine.recover(from);
    if (engine.planChanged !== undefined) {
      process.stderr.write(`eddy: ${engine.planChanged}; rebuilding every job from its inputs instead of restoring the checkpoint\n`);
      await engine.crash();
      return Engine.openWith(options, 'rebuild');
    }
    engine.checkpointer.start();
    return engine;
  }

  /**
   * Restores the engine from the last complete checkpoint. The stored catalog
   * is replayed in creation order: tables reload their rows; each job the
   * checkpoint holds gets its operator state and watermarks back and follows
   * its sources again, without a backfill. Then the input log after the
   * checkpoint's position is handed to the tables' followers again, as it
   * was first delivered. Jobs created after the checkpoint (and what follows
   * them in the catalog) are built last, from the current contents, as when
   * they were created. Nothing acknowledged is lost, nothing counted twice.
   */
  private async recover(from: 'checkpoint' | 'rebuild'): Promise<void> {
    const latest = from === 'checkpoint' ? this.checkpointStore.latest() : undefined;
    const session = new EngineSession(this);
    const checkpointed = new Map<string, JobCheckpoint>();
    for (const j of latest?.jobs ?? []) checkpointed.set(j.id, j);
    const deferred: StoredCatalogEntry[] = [];
    this.restoring = checkpointed;
    try {
      for (const entry of this.catalogStore.list()) {
        const job = entry.kind === 'MATERIALIZED VIEW' || entry.kind === 'JOB' ? entry.jobId : undefined;
        if (deferred.length > 0 || (job !== undefined && !checkpointed.has(job))) deferred.push(entry);
        else await session.recover(entry);
      }
    } finally {
      this.restoring = undefined;
    }
    // State of jobs that are gone, or that are rebuilt below, goes.
    const restored = new Set([...this.jobs.keys()].map((id) => `job${id}`));
    this.stateBackend.dropOperatorsExcept((op) => {
      const owner = op.slice(0, op.indexOf('/'));
      return restored.has(owner) || this.arrangements.owns(owner);
    });
    if (latest) this.replayLog(latest);
    for (const entry of deferred) await session.recover(entry);
    session.close();
  }

  /** Hands every logged write after the checkpoint to its table's followers, in log order. */
  private replayLog(latest: CheckpointMeta): void {
    const byId = new Map<number, SqlTable>();
    for (const e of this.catalogStore.list()) {
      const t = e.kind === 'TABLE' && e.tableId !== undefined ? this.tables.get(e.name) : undefined;
      if (t) byId.set(e.tableId as number, t);
    }
    const total = this.inputLog.countAfter(latest.position);
    const progress = new ReplayProgress(total);
    this.replaying = true;
    try {
      let n = 0;
      for (const write of this.inputLog.after(latest.position)) {
        byId.get(write.tableId)?.deliver(write.changes, write.watermark);
        progress.update(++n);
      }
    } finally {
      this.replaying = false;
      progress.done();
    }
  }

  /**
   * Starts a job: restores it from the checkpoint while the engine recovers
   * and the checkpoint holds it, else starts it from its sources' contents.
   */
  startJob(job: Job, options: { muteBackfill?: boolean } = {}): void {
    const checkpoint = this.restoring?.get(job.id);
    if (checkpoint !== undefined && planSignature(job) === checkpoint.plan) job.restore(this.state, this.now, (n) => this.source(n), checkpoint);
    else {
      // Started anyway, so the catalog replay goes on; the engine is then opened again without the checkpoint.
      if (checkpoint !== undefined) this.planChanged ??= `the plan of job ${job.id} differs from its checkpoint's`;
      job.start(job.kind === 'SUBSCRIBE' ? this.transientState : this.state, this.now, (n) => this.source(n), options);
    }
  }

  /** Takes a checkpoint now (CHECKPOINT); rejects when it fails. */
  async checkpoint(): Promise<void> {
    this.checkOpen();
    await this.checkpointer.checkpointOrThrow();
  }

  private saveIds(): void {
    this.storage.track(this.storage.checkpoints.put(IDS, { job: this.nextJob, table: this.nextTable }));
  }

  /** Storage for a new table's rows. */
  allocateTableStorage(): { tableId: number; storage: TableStorage } {
    const tableId = this.nextTable++;
    this.saveIds();
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
    const id = String(this.nextJob++);
    this.saveIds();
    return id;
  }

  /** Keeps job ids unique when a stored job is restored with its old id. */
  reserveJobId(id: string): string {
    this.nextJob = Math.max(this.nextJob, Number(id) + 1);
    return id;
  }

  /** The followable source behind a scanned relation. */
  source(name: string): ChangeSource {
    const shared = this.arrangements.source(name);
    if (shared) return shared;
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

  /** Closes cleanly: a last checkpoint (so the next open replays nothing), then stops every job and session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer.stop();
    const last = await this.checkpointer.checkpoint();
    if (last.status === 'FAILED') process.stderr.write(`eddy: the last checkpoint failed: ${last.error ?? ''}\n`);
    await this.checkpointer.seal();
    this.statistics.saveAll();
    for (const s of [...this.sessions]) s.close();
    // The jobs stop; their state stays for the next open.
    for (const job of this.jobs.values()) job.stop();
    this.arrangements.stop();
    this.jobs.clear();
    await this.stateBackend.settled();
    await this.storage.flushed();
    await this.storage.close();
  }

  /**
   * Stops as a crash would: no checkpoint, the cache and everything not yet
   * written are dropped; what LMDB already has in hand commits (as if the
   * crash came right after). Used by the regression runner's `restart`
   * directive and the crash tests; the directory then opens as after a kill.
   */
  async crash(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer.stop();
    await this.checkpointer.seal();
    for (const s of [...this.sessions]) s.close();
    // Left unclosed, as a crash leaves them: a closing sink would publish what no checkpoint covers.
    for (const job of this.jobs.values()) job.abandon();
    this.arrangements.stop();
    this.jobs.clear();
    this.stateBackend.discard();
    await this.stateBackend.settled();
    await this.storage.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new SqlError(SqlState.internalError, 'the engine is closed');
  }
}

/** Where the engine keeps its counters of job and table ids (checkpoints database). */
const IDS = 'ids';

/** The state cache's bound when none is given: a quarter of the heap V8 allows. */
function defaultMemoryLimit(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 4);
}

/** A line on stderr while a long replay runs (a terminal only; quiet otherwise). */
class ReplayProgress {
  private readonly started = Date.now();
  private shownAt = 0;
  private shown = false;

  constructor(private readonly total: number) {}

  update(n: number): void {
    if ((n & 1023) !== 0 || !process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.started < 1000 || now - this.shownAt < 250) return;
    this.shownAt = now;
    this.shown = true;
    process.stderr.write(`\rrecovering: replaying the input log, ${n} of ${this.total} writes`);
  }

  done(): void {
    if (this.shown) process.stderr.write(`\rrecovering: replayed ${this.total} writes in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
  }
}
