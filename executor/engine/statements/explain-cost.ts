// EXPLAIN ESTIMATED_COST and EXPLAIN ANALYZE: the cost model's figures per operator, and next to them what was measured.
//
// ANALYZE of CREATE MATERIALIZED VIEW name, when that view runs, reports its job: the plan it was
// built with and its operators' figures as eddy_operator_stats has them. Otherwise the statement's
// query runs once as a one-shot read over the current contents and its dataflow's figures are shown.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { Explain } from '../../../parser/ast/index.js';
import type { OptimizerContext } from '../../../planner/cost/context.js';
import { explainCost, type MeasuredOperator } from '../../../planner/cost/explain-cost.js';
import type { LogicalPlan, SharedSide } from '../../../planner/logical/index.js';
import { children } from '../../../planner/logical/index.js';
import type { BuiltDataflow } from '../../../planner/physical/build-dataflow.js';
import { objectName, planInsert } from '../../../planner/planner.js';
import type { DataflowNode } from '../../dataflow.js';
import type { StatementResult } from '../api.js';
import type { StatementContext } from '../session.js';
import { runSnapshot } from '../snapshot.js';
import { buildOptions, textColumn } from './common.js';
import { liveOptimizer } from './optimizer.js';
import { plan } from './query.js';

function rowsOf(lines: readonly string[]): StatementResult {
  return { kind: 'rows', columns: [textColumn('QUERY PLAN')], rows: lines.map((l) => [l]), tag: 'EXPLAIN' };
}

function nodeFigures(nodes: readonly DataflowNode[], rowsIn: number, output: DataflowNode): MeasuredOperator {
  let stateKeys = 0;
  let stateBytes = 0;
  for (const n of nodes) {
    const s = n.stateStats();
    stateKeys += s.keys;
    stateBytes += s.bytes;
  }
  return { rowsIn, rowsOut: output.rowsOut, stateKeys, stateBytes };
}

/** Per plan node, the figures of the dataflow nodes it became: rows in (from its inputs), rows out, state. */
function measuredOf(built: BuiltDataflow): (p: LogicalPlan) => MeasuredOperator | undefined {
  return (p) => {
    const ops = built.operators.get(p);
    if (ops === undefined) return undefined;
    const rowsIn = p.kind === 'Scan'
      ? ops.output.rowsIn
      : children(p).reduce((s, c) => s + (built.operators.get(c)?.output.rowsOut ?? 0), 0);
    return nodeFigures(ops.nodes, rowsIn, ops.output);
  };
}

/** The first of two dataflow nodes of a plan node (a two-phase aggregation's local phase, or its mini-batch). */
function localOf(built: BuiltDataflow): (p: LogicalPlan) => MeasuredOperator | undefined {
  return (p) => {
    const ops = built.operators.get(p);
    const first = ops?.nodes[0];
    if (ops === undefined || first === undefined || ops.nodes.length < 2) return undefined;
    return nodeFigures([first], first.rowsIn, first);
  };
}

export function explainCosts(ctx: StatementContext<Explain>): StatementResult {
  const { statement, mode } = ctx.statement;
  const { engine } = ctx;
  const materialized = statement.kind === 'CreateView' && statement.materialized;
  // As the statement's job would plan: a materialized view shares join inputs, continuous jobs bundle.
  const optimizer: OptimizerContext = liveOptimizer(ctx, { sharing: materialized, continuous: materialized || statement.kind === 'Insert' });
  const sharedReaders = (side: SharedSide): readonly string[] => engine.arrangements.readers(side);
  if (mode === 'ANALYZE' && statement.kind === 'CreateView' && statement.materialized) {
    const name = objectName(statement.name);
    const view = engine.views.get(name);
    if (view !== undefined) {
      const built = view.job.built;
      const sinkNode = built.dataflow.nodes.find((n) => n.operator === view.sink);
      optimizer.notes.push(`the plan of job ${view.job.id}, which maintains ${name}; figures measured since it started`);
      return rowsOf(explainCost(built.plan, optimizer, {
        view: name,
        sharedReaders,
        measured: measuredOf(built),
        measuredLocal: localOf(built),
        ...(sinkNode === undefined ? {} : { measuredSink: nodeFigures([sinkNode], sinkNode.rowsIn, sinkNode) }),
      }));
    }
  }
  let logical: LogicalPlan;
  let view: string | undefined;
  switch (statement.kind) {
    case 'Query': logical = plan(ctx, statement, optimizer).plan; break;
    case 'CreateView':
      logical = plan(ctx, statement.query, optimizer).plan;
      if (statement.materialized) view = objectName(statement.name);
      break;
    case 'Insert': logical = planInsert(statement, engine.catalog, optimizer).plan; break;
    case 'Subscribe':
      if (statement.target.kind === 'SubscribeQuery') {
        logical = plan(ctx, statement.target.query, optimizer).plan;
        break;
      }
      throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN of SUBSCRIBE to a relation has no plan to show');
    default:
      throw new SqlError(SqlState.featureNotSupported, `EXPLAIN ${mode} is not supported for ${statement.kind} statements`);
  }
  const viewOption = view === undefined ? { sharedReaders } : { view, sharedReaders };
  if (mode === 'ESTIMATED_COST') return rowsOf(explainCost(logical, optimizer, viewOption));
  // ANALYZE: run the query once over the current contents (nothing is written) and report its dataflow.
  let measured: ((p: LogicalPlan) => MeasuredOperator | undefined) | undefined;
  let measuredSink: MeasuredOperator | undefined;
  runSnapshot(engine, logical, buildOptions(ctx), (built, sink) => {
    const figures = measuredOf(built);
    const cache = new Map<LogicalPlan, MeasuredOperator | undefined>();
    for (const p of built.operators.keys()) cache.set(p, figures(p));
    measured = (p) => cache.get(p);
    measuredSink = nodeFigures([sink], sink.rowsIn, sink);
  });
  optimizer.notes.push('figures measured running the query once over the current contents');
  return rowsOf(explainCost(logical, optimizer, {
    ...viewOption,
    measured: measured ?? (() => undefined),
    ...(measuredSink === undefined ? {} : { measuredSink }),
  }));
}
