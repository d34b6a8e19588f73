// INSERT (one-shot for constant input, a continuous job over relations), UPDATE, DELETE.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { Row } from '../../../common/value.js';
import type { Copy, Delete, Insert, Update } from '../../../parser/ast/index.js';
import { buildDataflow } from '../../../planner/physical/build-dataflow.js';
import { planDelete, planInsert, planUpdate } from '../../../planner/planner.js';
import type { SqlTable } from '../../../connectors/sql-table/sql-table.js';
import { compilePredicate, compileScalar } from '../../expr/compile.js';
import type { StatementResult } from '../api.js';
import type { Engine } from '../engine.js';
import { Job } from '../job.js';
import type { StatementContext } from '../session.js';
import { ForwardingSink } from '../sinks.js';
import { runSnapshot } from '../snapshot.js';
import { buildOptions, storedParams } from './common.js';

function compileContext(ctx: StatementContext): { now: () => number; timeZone?: string } {
  const tz = ctx.session.setting('timezone');
  return tz === undefined ? { now: ctx.engine.now } : { now: ctx.engine.now, timeZone: tz };
}

function writableTable(engine: Engine, name: string): SqlTable {
  const table = engine.tables.get(name);
  if (table) return table;
  const rel = engine.catalog.relation(name);
  if (rel) {
    throw new SqlError('42809', `cannot change ${rel.kind.toLowerCase()} "${name}"`, {
      detail: 'Only tables can be written to.',
    });
  }
  throw new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`);
}

export function runInsert(ctx: StatementContext<Insert>): StatementResult {
  const { engine } = ctx;
  const planned = planInsert(ctx.statement, engine.catalog);
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
    new ForwardingSink('TableSink', { emit: (b) => table.applyChanges(b), emitWatermark: () => {} }));
  const before = table.rowCount;
  job.start(engine.state, engine.now, (n) => engine.source(n), { muteBackfill: ctx.recovering !== undefined });
  if (job.status === 'FAILED' && !ctx.recovering) {
    job.stop(engine.state);
    job.checkHealthy();
  }
  engine.jobs.set(id, job);
  if (!ctx.recovering) engine.catalogStore.add({ kind: 'JOB', name: id, sql: ctx.text, jobId: id, ...storedParams(ctx) });
  return { kind: 'command', tag: `INSERT 0 ${Math.max(0, table.rowCount - before)}` };
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
