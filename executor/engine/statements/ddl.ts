// CREATE TABLE, CREATE [MATERIALIZED] VIEW, DROP, DROP JOB.

import { referencedRelations } from '../../../catalog/dependencies.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import { SqlTable, storedLayout } from '../../../connectors/sql-table/sql-table.js';
import { openConnectorTable } from '../../../connectors/registry.js';
import type { Analyze, CreateTable, CreateView, Drop, DropJob } from '../../../parser/ast/index.js';
import type { CatalogRelation } from '../../../planner/binder/catalog-reader.js';
import { buildDataflow } from '../../../planner/physical/build-dataflow.js';
import { changelogMode } from '../../../planner/physical/changelog-mode.js';
import { uniqueKey } from '../../../planner/physical/unique-key.js';
import { objectName, planCreateTable, planWatermark } from '../../../planner/planner.js';
import { compileScalar } from '../../expr/compile.js';
import type { StatementResult } from '../api.js';
import type { Engine } from '../engine.js';
import { Job } from '../job.js';
import { MaterializeOperator } from '../materialized-view.js';
import type { StatementContext } from '../session.js';
import { buildOptions } from './common.js';
import { plan } from './query.js';
import { storedParams } from './common.js';
import { jobOptimizer } from './optimizer.js';
import { StatisticsCatalog } from '../../../planner/stats/statistics-catalog.js';
import { tableScan } from '../../../planner/binder/relation.js';

export function runCreateTable(ctx: StatementContext<CreateTable>): StatementResult {
  const { engine, statement } = ctx;
  const name = objectName(statement.name);
  if (engine.catalog.has(name)) {
    if (statement.ifNotExists) return { kind: 'command', tag: 'CREATE TABLE' };
    throw new SqlError(SqlState.duplicateObject, `relation "${name}" already exists`);
  }
  if (statement.options.some((o) => o.key.toLowerCase() === 'connector')) return createConnectorTable(ctx, name);
  const relation = planCreateTable(statement, engine.catalog);
  const scanColumns = tableScan(relation).schema;
  StatisticsCatalog.check(relation.options, scanColumns.map((f) => f.name));
  let tableId: number;
  let storage;
  if (ctx.recovering?.tableId !== undefined) {
    tableId = ctx.recovering.tableId;
    storage = engine.tableStorage(tableId);
  } else {
    ({ tableId, storage } = engine.allocateTableStorage());
  }
  engine.catalog.add({ relation, createSql: ctx.text, dependsOn: [] });
  const watermark = planWatermark(relation, engine.catalog);
  const changeLog = engine.inputLog.writer(tableId);
  const options = watermark === undefined ? { changeLog } : { changeLog, watermark: compileScalar(watermark, [], { now: engine.now }) };
  const table = new SqlTable(name, storedLayout(relation), storage, options);
  engine.tables.set(name, table);
  // Statistics follow the table's changes from here on (picking up what was stored for it).
  followStatistics(engine, name, scanColumns, relation.options, table);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'TABLE', name, sql: ctx.text, tableId, ...storedParams(ctx) });
  return { kind: 'command', tag: 'CREATE TABLE' };
}

/**
 * CREATE TABLE ... WITH ('connector' = ...): a table read from or written to outside data.
 * It keeps no rows, so it has no storage; recovery re-runs the statement.
 */
function createConnectorTable(ctx: StatementContext<CreateTable>, name: string): StatementResult {
  const { engine, statement } = ctx;
  // PARTITIONED BY names the directories of a filesystem table; the binder knows tables without it.
  const partitionedBy = (statement.partitionedBy ?? []).map((p) => p.value);
  const relation = planCreateTable(partitionedBy.length > 0 ? { ...statement, partitionedBy: undefined } : statement, engine.catalog);
  const watermark = planWatermark(relation, engine.catalog);
  const table = openConnectorTable({
    relation,
    partitionedBy,
    now: engine.now,
    ...(watermark === undefined ? {} : { watermark: compileScalar(watermark, [], { now: engine.now }) }),
  });
  engine.catalog.add({ relation, createSql: ctx.text, dependsOn: [] });
  engine.connectors.set(name, table);
  // A connector source is read by each job on its own: what planning knows of it is what it declares ('stats.*').
  engine.statistics.track(name, tableScan(relation).schema, relation.options);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'TABLE', name, sql: ctx.text, ...storedParams(ctx) });
  return { kind: 'command', tag: 'CREATE TABLE' };
}

export function runCreateView(ctx: StatementContext<CreateView>): StatementResult {
  const { engine, statement } = ctx;
  const name = objectName(statement.name);
  const tag = statement.materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW';
  if (engine.catalog.has(name)) {
    if (statement.ifNotExists) return { kind: 'command', tag };
    if (!(statement.orReplace && !statement.materialized && engine.catalog.relation(name)?.kind === 'VIEW')) {
      throw new SqlError(SqlState.duplicateObject, `relation "${name}" already exists`);
    }
  }
  const optimizer = statement.materialized ? jobOptimizer(ctx, { sharing: true }) : undefined;
  const planned = plan(ctx, statement.query, optimizer?.context);
  let names = planned.columns.map((c) => c.name);
  if (statement.columns) {
    if (statement.columns.length > names.length) {
      throw new SqlError(SqlState.syntaxError, 'CREATE VIEW specifies more column names than columns');
    }
    names = names.map((n, i) => statement.columns?.[i]?.value ?? n);
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new SqlError(SqlState.duplicateColumn, `column "${duplicate}" specified more than once`, {
      hint: 'Give the columns distinct names with AS.',
    });
  }
  const relation: CatalogRelation = {
    name,
    kind: statement.materialized ? 'MATERIALIZED VIEW' : 'VIEW',
    columns: planned.plan.schema.map((f, i) => ({
      name: names[i] as string, type: f.type, nullable: f.nullable,
      // An append-only view keeps event-time columns: its rows come in time and its job forwards watermarks.
      ...(statement.materialized && f.timeAttribute === 'ROWTIME' && changelogMode(planned.plan, engine) === 'append' ? { timeAttribute: 'ROWTIME' as const } : {}),
    })),
    query: statement.query,
    options: statement.options,
  };
  const entry = { relation, createSql: ctx.text, dependsOn: referencedRelations(statement.query) };
  if (!statement.materialized) {
    if (engine.catalog.has(name)) {
      engine.catalog.remove(name);
      engine.catalogStore.remove('VIEW', name);
    }
    engine.catalog.add(entry);
    if (!ctx.recovering) engine.catalogStore.add({ kind: 'VIEW', name, sql: ctx.text, ...storedParams(ctx) });
    return { kind: 'command', tag };
  }
  const id = ctx.recovering?.jobId !== undefined ? engine.reserveJobId(ctx.recovering.jobId) : engine.newJobId();
  const options = buildOptions(ctx);
  // Join inputs the plan marks shared are read from the engine's arrangements (restored with the job when it is).
  const restoring = engine.restoring?.has(id) ?? false;
  const built = buildDataflow(planned.plan, `job${id}`, {
    ...options,
    shared: { side: (side, input, backfill) => engine.arrangements.acquire(id, side, input, options, restoring, backfill) },
  });
  // Rows are filed by a unique key of the view's plan when it has one: an update then changes one entry.
  // Not under a state TTL: an expired group starts afresh without retracting its last row.
  const sink = new MaterializeOperator(name, (options.stateTtl ?? 0) > 0 ? undefined : uniqueKey(planned.plan));
  const job = new Job(id, 'MATERIALIZED VIEW', name, ctx.text, built, sink);
  engine.startJob(job);
  if (job.status === 'FAILED' && !ctx.recovering) {
    job.stop(engine.state);
    job.checkHealthy();
  }
  engine.catalog.add(entry);
  engine.jobs.set(id, job);
  engine.views.set(name, { job, sink, mode: changelogMode(planned.plan, engine) });
  optimizer?.keep(id);
  // The view's statistics (for queries over it) follow what its job writes; the backfill is analyzed at once.
  followStatistics(engine, name, relation.columns.map((c) => ({ name: c.name, type: c.type })), [], sink);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'MATERIALIZED VIEW', name, sql: ctx.text, jobId: id, ...storedParams(ctx) });
  return { kind: 'command', tag };
}

/**
 * Tracks the statistics of a table or materialized view: what was stored for it is picked up,
 * else its current rows are analyzed at once; from then on they follow its changes.
 */
function followStatistics(
  engine: Engine,
  name: string,
  columns: Parameters<StatisticsCatalog['track']>[1],
  options: Parameters<StatisticsCatalog['track']>[2],
  source: SqlTable | MaterializeOperator,
): void {
  const stored = engine.statistics.track(name, columns, options, () => source.rowCount);
  if (!stored && source.rowCount > 0) engine.statistics.analyze(name, source.contents());
  source.follow(engine.statistics.follower(name));
}

const dropTags = { TABLE: 'DROP TABLE', VIEW: 'DROP VIEW', 'MATERIALIZED VIEW': 'DROP MATERIALIZED VIEW' } as const;

export function runDrop(ctx: StatementContext<Drop>): StatementResult {
  const { engine, statement } = ctx;
  const what = statement.objectType.toLowerCase();
  const names = statement.names.map(objectName);
  for (const name of names) {
    const rel = engine.catalog.relation(name);
    if (!rel) {
      if (statement.ifExists) continue;
      throw new SqlError(SqlState.undefinedTable, `${what} "${name}" does not exist`);
    }
    if (rel.kind !== statement.objectType) {
      const kind = rel.kind.toLowerCase();
      throw new SqlError('42809', `"${name}" is not a ${what}`, { hint: `Use DROP ${rel.kind} to remove a ${kind}.` });
    }
    const order = engine.catalog.dropOrder(name);
    const dependents = order.filter((n) => n !== name && !names.includes(n));
    const jobs = jobsTouching(engine, new Set(order)).filter((j) => j.kind !== 'MATERIALIZED VIEW');
    if (!statement.cascade && (dependents.length > 0 || jobs.length > 0)) {
      const details = [
        ...dependents.map((d) => `${engine.catalog.relation(d)?.kind.toLowerCase() ?? 'relation'} ${d} depends on ${what} ${name}`),
        ...jobs.map((j) => `job ${j.id} depends on ${what} ${name}`),
      ];
      throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop ${what} ${name} because other objects depend on it`, {
        detail: details.join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    for (const j of jobs) stopJob(engine, j);
    for (const n of order) dropRelation(engine, n);
  }
  return { kind: 'command', tag: dropTags[statement.objectType] };
}

function jobsTouching(engine: Engine, names: ReadonlySet<string>): Job[] {
  return [...engine.jobs.values()].filter((j) => names.has(j.target) || j.reads.some((r) => names.has(r)));
}

function stopJob(engine: Engine, job: Job): void {
  job.stop(engine.state);
  engine.jobs.delete(job.id);
  engine.statistics.dropJobPlanning(job.id);
  engine.arrangements.release(job.id);
  if (job.kind === 'INSERT') engine.catalogStore.remove('JOB', job.id);
}

function dropRelation(engine: Engine, name: string): void {
  const view = engine.views.get(name);
  if (view) {
    stopJob(engine, view.job);
    engine.views.delete(name);
  }
  engine.tables.get(name)?.drop();
  engine.tables.delete(name);
  engine.connectors.get(name)?.drop();
  engine.connectors.delete(name);
  engine.catalog.remove(name);
  engine.catalogStore.remove('TABLE', name);
  engine.statistics.drop(name);
}

export function runDropJob(ctx: StatementContext<DropJob>): StatementResult {
  const { engine, statement } = ctx;
  const job = engine.jobs.get(statement.job);
  if (!job) {
    if (statement.ifExists) return { kind: 'command', tag: 'DROP JOB' };
    throw new SqlError(SqlState.undefinedObject, `job "${statement.job}" does not exist`, { hint: 'SHOW JOBS lists the running jobs.' });
  }
  if (job.kind === 'MATERIALIZED VIEW') {
    throw new SqlError(SqlState.dependentObjectsStillExist, `job ${job.id} maintains materialized view ${job.target}`, {
      hint: `Use DROP MATERIALIZED VIEW ${job.target} instead.`,
    });
  }
  stopJob(engine, job);
  return { kind: 'command', tag: 'DROP JOB' };
}

/**
 * ANALYZE [TABLE] [name]: recomputes the statistics of a table or materialized view (every
 * one without a name) over its current contents: row count, and per column distinct
 * values, NULLs, the most frequent value's share, width and time disorder.
 */
export function runAnalyze(ctx: StatementContext<Analyze>): StatementResult {
  const { engine, statement } = ctx;
  const analyzeOne = (name: string): void => {
    const source = engine.tables.get(name) ?? engine.views.get(name)?.sink;
    if (source === undefined) return;
    engine.statistics.analyze(name, source.contents());
  };
  if (statement.name === undefined) {
    for (const name of [...engine.tables.keys(), ...engine.views.keys()]) analyzeOne(name);
    return { kind: 'command', tag: 'ANALYZE' };
  }
  const name = objectName(statement.name);
  const rel = engine.catalog.relation(name);
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`, statement.span === undefined ? {} : { position: statement.span.start + 1 });
  }
  if (engine.connectors.has(name)) {
    throw new SqlError(SqlState.featureNotSupported, `cannot analyze table "${name}": it is a ${engine.connectors.get(name)?.connector ?? 'connector'} table`, {
      detail: 'A connector table holds no rows here; each job reads its source on its own.',
      hint: "Declare what to expect with WITH ('stats.rows' = '...', 'stats.ndv.<column>' = '...').",
    });
  }
  if (rel.kind !== 'TABLE' && rel.kind !== 'MATERIALIZED VIEW') {
    throw new SqlError('42809', `cannot analyze ${rel.kind.toLowerCase()} "${name}"`, { hint: 'ANALYZE takes a table or a materialized view.' });
  }
  analyzeOne(name);
  return { kind: 'command', tag: 'ANALYZE' };
}
