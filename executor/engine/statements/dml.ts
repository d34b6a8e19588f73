// INSERT (one-shot for constant input, a continuous job over relations), UPDATE, DELETE.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { Row } from '../../../common/value.js';
import type { Copy, Delete, Insert, Update } from '../../../parser/ast/index.js';
import { buildDataflow } from '../../../planner/physical/build-dataflow.js';
import { planDelete, planInsert, planUpdate } from '../../../planner/planner.js';
import type { SqlTable } from '../../../connectors/sql-table/sql-table.js';
import type { ConnectorTable } from '../../../connectors/connector-table.js';
import { ConnectorSinkOperator } from '../../../connectors/sink-operator.js';
import { changelogMode } from '../../../planner/physical/changelog-mode.js';
import type { PlannedInsert } from '../../../planner/planner.js';
import { ChangeBatch } from '../../change.js';
import { compilePredicate, compileScalar } from '../../expr/compile.js';
import type { StatementResult } from '../api.js';
import type { Engine } from '../engine.js';
import { Job } from '../job.js';
import type { StatementContext } from '../session.js';
import { ForwardingSink } from '../sinks.js';
import { runSnapshot } from '../snapshot.js';
import { buildOptions, storedParams } from './common.js';
import { jobOptimizer, type JobOptimizer } from './optimizer.js';

function compileContext(ctx: StatementContext): { now: () => number; timeZone?: string } {
  const tz = ctx.session.setting('timezone');
  return tz === undefined ? { now: ctx.engine.now } : { now: ctx.engine.now, timeZone: tz };
}

function writableTable(engine: Engine, name: string): SqlTable {
  const table = engine.tables.get(name);
  if (table) return table;
  const connector = engine.connectors.get(name);
  if (connector) {
    throw new SqlError('42809', `cannot change table "${name}": it is a ${connector.connector} table`, {
      detail: 'UPDATE, DELETE and COPY change tables without a connector; a connector table is written with INSERT.',
    });
  }
  const rel = engine.catalog.relation(name);
  if (rel) {
    throw new SqlError('42809', `cannot change ${rel.kind.toLowerCase()} "${name}"`, {
      detail: 'Only tables can be written to.',
    });
  }
  throw new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`);
}

export function runInsert(ctx: StatementContext<Insert>): StatementResult | Promise<StatementResult> {
  const { engine } = ctx;
  const optimizer = jobOptimizer(ctx);
  const planned = planInsert(ctx.statement, engine.catalog, optimizer.context);
  const connector = engine.connectors.get(planned.table);
  if (connector) return insertIntoConnector(ctx, planned, connector, optimizer);
  const table = writableTable(engine, planned.table);
  const built = buildDataflow(planned.plan, 'insert', buildOptions(ctx));
  if (built.ports.length === 0) {
    // Constant input (VALUES): insert once.
    const rows: Row[] = runSnapshot(engine, planned.plan, buildOptions(ctx));
    const n = table.insert(rows);
    return { kind: 'command', tag: `INSERT 0 ${n}` };
  }
  // INSERT INTO t SELECT ... FROM relations: a continuous job, as in Flink.
  const id = ctx.recovering?.jobId !== undefined ? engine.reserveJobId(ctx.recovering.jobId) : engine.newJobId();
  const job = new Job(id, 'INSERT', planned.table, ctx.text, buildDataflow(planned.plan, `job${id}`, buildOptions(ctx)),
    // While recovery replays the input log, the table already holds what the job writes (logged with the write that caused it).
    new ForwardingSink('TableSink', { emit: (b) => { if (!engine.replaying) table.applyChanges(b); }, emitWatermark: () => {} }));
  const before = table.rowCount;
  engine.startJob(job, { muteBackfill: ctx.recovering !== undefined });
  if (job.status === 'FAILED' && !ctx.recovering) {
    job.stop(engine.state);
    job.checkHealthy();
  }
  engine.jobs.set(id, job);
  optimizer.keep(id);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'JOB', name: id, sql: ctx.text, jobId: id, ...storedParams(ctx) });
  if (dmlSync(ctx, job)) return awaitJob(engine, job).then(() => ({ kind: 'command', tag: `INSERT 0 ${Math.max(0, table.rowCount - before)}` }));
  return { kind: 'command', tag: `INSERT 0 ${Math.max(0, table.rowCount - before)}` };
}

/**
 * INSERT INTO a connector table: constant rows are written and published at once; a query
 * becomes a continuous job whose last operator hands its changes to the table's sink.
 */
function insertIntoConnector(ctx: StatementContext<Insert>, planned: PlannedInsert, table: ConnectorTable, optimizer: JobOptimizer): StatementResult | Promise<StatementResult> {
  const { engine } = ctx;
  const sink = table.sink;
  if (!sink) {
    throw new SqlError('42809', `table "${table.name}" is a ${table.connector} source and cannot be written`, {
      hint: 'Write into a table with a sink connector (filesystem, print, blackhole) or one without a connector.',
    });
  }
  if (!sink.acceptsRetractions && changelogMode(planned.plan, engine) !== 'append') {
    throw new SqlError(SqlState.featureNotSupported, `table "${table.name}" is a ${sink.connector} sink that takes inserts only, and the query updates its results`, {
      hint: 'Write an append-only query into it (windows instead of an unbounded aggregation or join), or use a print or blackhole sink.',
    });
  }
  const built = buildDataflow(planned.plan, 'insert', buildOptions(ctx));
  if (built.ports.length === 0) {
    const rows: Row[] = runSnapshot(engine, planned.plan, buildOptions(ctx));
    const writer = sink.open('insert');
    try {
      writer.write(ChangeBatch.inserts(rows));
      writer.finish();
    } finally {
      writer.close();
    }
    return { kind: 'command', tag: `INSERT 0 ${rows.length}` };
  }
  const id = ctx.recovering?.jobId !== undefined ? engine.reserveJobId(ctx.recovering.jobId) : engine.newJobId();
  const job = new Job(id, 'INSERT', planned.table, ctx.text, buildDataflow(planned.plan, `job${id}`, buildOptions(ctx)),
    // It publishes when a checkpoint that covers its writes is durable; the end of its input asks for one.
    new ConnectorSinkOperator(planned.table, sink, `job${id}`, undefined, () => setImmediate(() => {
      if (engine.jobs.get(id) === job && job.status === 'RUNNING') void engine.checkpointer.checkpoint().catch(() => undefined);
    })));
  // Not muted when the recovery rebuilds it (it came after the last checkpoint): unlike a table, the sink holds none
  // of what the backfill writes, since only a checkpoint covering the job would have published it.
  engine.startJob(job);
  if (job.status === 'FAILED' && !ctx.recovering) {
    job.stop(engine.state);
    job.checkHealthy();
  }
  engine.jobs.set(id, job);
  optimizer.keep(id);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'JOB', name: id, sql: ctx.text, jobId: id, ...storedParams(ctx) });
  if (dmlSync(ctx, job)) return awaitJob(engine, job).then(() => ({ kind: 'command', tag: 'INSERT 0 0' }));
  return { kind: 'command', tag: 'INSERT 0 0' };
}

/** 'table.dml-sync' (Flink's): an INSERT job over bounded sources returns once they are read. */
function dmlSync(ctx: StatementContext, job: Job): boolean {
  return ctx.recovering === undefined && job.subscriptions.length > 0 && ctx.session.setting('table.dml-sync')?.toLowerCase() === 'true';
}

/**
 * Waits until the job's sources are exhausted, and until what it wrote is published (a
 * sink whose commits follow checkpoints publishes at the next one: take it now); rejects
 * with the job's error if it failed.
 */
async function awaitJob(engine: Engine, job: Job): Promise<void> {
  await Promise.all(job.subscriptions.map((s) => s.done));
  job.checkHealthy();
  if (job.sink instanceof ConnectorSinkOperator && job.sink.followsCheckpoints) await engine.checkpointer.checkpointOrThrow();
}

export function runUpdate(ctx: StatementContext<Update>): StatementResult {
  const { engine } = ctx;
  const planned = planUpdate(ctx.statement, engine.catalog);
  const table = writableTable(engine, planned.table);
  const matches = planned.predicate ? compilePredicate(planned.predicate, ctx.params, compileContext(ctx)) : () => true;
  const assignments = planned.assignments.map((a) => ({ column: a.column, value: compileScalar(a.value, ctx.params, compileContext(ctx)) }));
  const n = table.update((row) => {
    if (!matches(row)) return undefined;
    const next = [...row];
    // Every assignment reads the old row, as SQL requires.
    for (const a of assignments) next[a.column] = a.value(row);
    return next;
  });
  return { kind: 'command', tag: `UPDATE ${n}` };
}

export function runDelete(ctx: StatementContext<Delete>): StatementResult {
  const { engine } = ctx;
  const planned = planDelete(ctx.statement, engine.catalog);
  const table = writableTable(engine, planned.table);
  const matches = planned.predicate ? compilePredicate(planned.predicate, ctx.params, compileContext(ctx)) : () => true;
  const n = table.delete(matches);
  return { kind: 'command', tag: `DELETE ${n}` };
}

export function runCopy(_ctx: StatementContext<Copy>): StatementResult {
  throw new SqlError(SqlState.featureNotSupported, 'COPY is only available over the PostgreSQL wire protocol');
}
