// SUBSCRIBE, DECLARE ... CURSOR FOR, FETCH and CLOSE.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { CloseCursor, DeclareCursor, Fetch, Subscribe } from '../../../parser/ast/index.js';
import { buildDataflow } from '../../../planner/physical/build-dataflow.js';
import { objectName } from '../../../planner/planner.js';
import type { ChangeBatch } from '../../change.js';
import type { ResultColumn, StatementResult } from '../api.js';
import { Job } from '../job.js';
import type { StatementContext } from '../session.js';
import { ForwardingSink } from '../sinks.js';
import { runSnapshot } from '../snapshot.js';
import { durabilityWatch, Subscription } from '../subscription.js';
import { booleanOption, buildOptions, option, parseDuration, textColumn } from './common.js';
import { plan } from './query.js';

/** Starts a subscription: the snapshot as +I rows (unless SNAPSHOT = false), then every change. */
export function subscribe(ctx: StatementContext, statement: Subscribe): Subscription {
  const { engine } = ctx;
  const withSnapshot = booleanOption(statement.options, 'snapshot', true);
  for (const o of statement.options) {
    if (o.key.toLowerCase() !== 'snapshot') {
      throw new SqlError(SqlState.invalidParameterValue, `unknown SUBSCRIBE option "${o.key}"`, { hint: 'The only option is SNAPSHOT.' });
    }
  }
  if (statement.target.kind === 'SubscribeName') {
    const name = objectName(statement.target.name);
    const rel = engine.catalog.relation(name);
    if (!rel) throw new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`);
    if (rel.kind === 'VIEW' && rel.query) {
      return subscribeQuery(ctx, { kind: 'Query', body: { kind: 'Select', distinct: false, items: [{ kind: 'SelectStar' }], from: [{ kind: 'NamedTable', name: statement.target.name }] }, orderBy: [] }, withSnapshot);
    }
    const source = engine.source(name);
    const columns: ResultColumn[] = [textColumn('op'), ...rel.columns.filter((c) => c.computed === undefined).map((c) => ({ name: c.name, type: c.type }))];
    if (rel.columns.some((c) => c.computed !== undefined)) {
      return subscribeQuery(ctx, { kind: 'Query', body: { kind: 'Select', distinct: false, items: [{ kind: 'SelectStar' }], from: [{ kind: 'NamedTable', name: statement.target.name }] }, orderBy: [] }, withSnapshot);
    }
    const sub = new Subscription(columns, engine.options.subscriptionBuffer, durabilityWatch(engine.storage.root));
    if (withSnapshot) sub.pushSnapshot(source.contents());
    sub.whenClosed(source.follow(sub));
    return sub;
  }
  return subscribeQuery(ctx, statement.target.query, withSnapshot);
}

function subscribeQuery(ctx: StatementContext, query: Parameters<typeof plan>[1], withSnapshot: boolean): Subscription {
  const { engine } = ctx;
  const planned = plan(ctx, query);
  const sub = new Subscription([textColumn('op'), ...planned.columns], engine.options.subscriptionBuffer, durabilityWatch(engine.storage.root));
  // The job's backfill is the snapshot; without SNAPSHOT it is computed but not delivered.
  let deliver = withSnapshot;
  const gate = {
    emit: (b: ChangeBatch) => { if (deliver) sub.emit(b); },
    emitWatermark: () => {},
  };
  const id = engine.newJobId();
  const job = new Job(id, 'SUBSCRIBE', '', ctx.text, buildDataflow(planned.plan, `job${id}`, buildOptions(ctx)), new ForwardingSink('Subscribe', gate));
  engine.startJob(job);
  deliver = true;
  job.checkHealthy();
  engine.jobs.set(id, job);
  sub.whenClosed(() => {
    job.stop(engine.state);
    engine.jobs.delete(id);
  });
  return sub;
}

export function runSubscribe(ctx: StatementContext<Subscribe>): StatementResult {
  const stream = subscribe(ctx, ctx.statement);
  return { kind: 'stream', columns: stream.columns, stream };
}

export async function runDeclare(ctx: StatementContext<DeclareCursor>): Promise<StatementResult> {
  const { session, statement } = ctx;
  const name = statement.name.value;
  if (session.cursors.has(name)) throw new SqlError(SqlState.duplicateCursor, `cursor "${name}" already exists`);
  if (statement.query.kind === 'Subscribe') {
    const stream = subscribe(ctx, statement.query);
    session.cursors.set(name, { kind: 'stream', stream });
    // The snapshot waits for the writes it holds to be durable; once DECLARE returns, FETCH finds it.
    await stream.settled();
  } else {
    const planned = plan(ctx, statement.query);
    const rows = runSnapshot(ctx.engine, planned.plan, buildOptions(ctx));
    session.cursors.set(name, { kind: 'rows', columns: planned.columns, rows, position: 0 });
  }
  return { kind: 'command', tag: 'DECLARE CURSOR' };
}

export async function runFetch(ctx: StatementContext<Fetch>): Promise<StatementResult> {
  const { session, statement } = ctx;
  const name = statement.cursor.value;
  const cursor = session.cursors.get(name);
  if (!cursor) throw new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
  const max = statement.count === undefined ? 1 : statement.count === 'ALL' ? Number.POSITIVE_INFINITY : statement.count;
  for (const o of statement.options) {
    if (o.key.toLowerCase() !== 'timeout') {
      throw new SqlError(SqlState.invalidParameterValue, `unknown FETCH option "${o.key}"`, { hint: 'The only option is TIMEOUT.' });
    }
  }
  if (cursor.kind === 'rows') {
    const rows = cursor.rows.slice(cursor.position, cursor.position + max);
    cursor.position += rows.length;
    return { kind: 'rows', columns: cursor.columns, rows, tag: `FETCH ${rows.length}` };
  }
  const t = option(statement.options, 'timeout');
  const timeout = t === undefined ? undefined : parseDuration(t, 'FETCH timeout');
  const rows = await cursor.stream.next(max, timeout, ctx.signal);
  return { kind: 'rows', columns: cursor.stream.columns, rows, tag: `FETCH ${rows.length}` };
}

export function runClose(ctx: StatementContext<CloseCursor>): StatementResult {
  const { session, statement } = ctx;
  if (statement.cursor === undefined) {
    for (const c of session.cursors.values()) if (c.kind === 'stream') c.stream.close();
    session.cursors.clear();
    return { kind: 'command', tag: 'CLOSE CURSOR ALL' };
  }
  const name = statement.cursor.value;
  const cursor = session.cursors.get(name);
  if (!cursor) throw new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
  if (cursor.kind === 'stream') cursor.stream.close();
  session.cursors.delete(name);
  return { kind: 'command', tag: 'CLOSE CURSOR' };
}
