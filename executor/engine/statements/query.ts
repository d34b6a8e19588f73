// SELECT (a one-shot read of the current state) and EXPLAIN.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { Explain, Query } from '../../../parser/ast/index.js';
import { explainLogical } from '../../../planner/explain.js';
import { explainPhysical } from '../../../planner/physical/explain-physical.js';
import { planInsert, planQuery, type PlannedQuery } from '../../../planner/planner.js';
import type { LogicalPlan } from '../../../planner/logical/index.js';
import type { StatementResult } from '../api.js';
import type { StatementContext } from '../session.js';
import { runSnapshot } from '../snapshot.js';
import { buildOptions, paramTypes, textColumn } from './common.js';
import type { OptimizerContext } from '../../../planner/cost/context.js';
import { liveOptimizer } from './optimizer.js';
import { explainCosts } from './explain-cost.js';

/** Plans `query`; `optimizer` (by default: the current statistics and the session's settings) makes the cost-based choices. */
export function plan(ctx: StatementContext, query: Query, optimizer: OptimizerContext | undefined = liveOptimizer(ctx)): PlannedQuery {
  return planQuery(query, ctx.engine.catalog, ctx.paramTypes ?? paramTypes(ctx.params), optimizer);
}

export function runQueryStatement(ctx: StatementContext<Query>): StatementResult {
  const planned = plan(ctx, ctx.statement);
  const rows = runSnapshot(ctx.engine, planned.plan, buildOptions(ctx));
  return { kind: 'rows', columns: planned.columns, rows, tag: `SELECT ${rows.length}` };
}

export function runExplain(ctx: StatementContext<Explain>): StatementResult {
  const { statement, mode } = ctx.statement;
  if (mode === 'ESTIMATED_COST' || mode === 'ANALYZE') return explainCosts(ctx);
  let logical: LogicalPlan;
  switch (statement.kind) {
    case 'Query': logical = plan(ctx, statement).plan; break;
    case 'CreateView': logical = plan(ctx, statement.query, liveOptimizer(ctx, { sharing: statement.materialized, continuous: statement.materialized })).plan; break;
    case 'Insert': logical = planInsert(statement, ctx.engine.catalog, liveOptimizer(ctx, { continuous: true })).plan; break;
    case 'Subscribe':
      if (statement.target.kind === 'SubscribeQuery') {
        logical = plan(ctx, statement.target.query).plan;
        break;
      }
      throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN of SUBSCRIBE to a relation has no plan to show');
    default:
      throw new SqlError(SqlState.featureNotSupported, `EXPLAIN is not supported for ${statement.kind} statements`);
  }
  const text = mode === 'PLAN'
    ? explainLogical(logical)
    : explainPhysical(logical, { engine: ctx.engine, changelogMode: true, sharedReaders: (side) => ctx.engine.arrangements.readers(side) });
  return explainRows(text.split('\n'));
}

function explainRows(lines: readonly string[]): StatementResult {
  const rows = lines.filter((l) => l.length > 0).map((l) => [l]);
  return { kind: 'rows', columns: [textColumn('QUERY PLAN')], rows, tag: 'EXPLAIN' };
}
