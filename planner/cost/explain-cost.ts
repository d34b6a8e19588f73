// EXPLAIN ESTIMATED_COST and EXPLAIN ANALYZE: the operator tree with, per operator, the cost model's estimates
// (rows, state, work per change, cost), and for ANALYZE the figures measured while it ran (eddy_operator_stats).

import type { LogicalPlan, SharedSide } from '../logical/index.js';
import { children } from '../logical/index.js';
import { explainPhysical } from '../physical/explain-physical.js';
import type { OptimizerContext } from './context.js';
import { WORK_WEIGHT, entryBytes, rowIdBytes } from './cost-model.js';
import { estimatePlan, type NodeEstimate, type PlanEstimate } from './estimate.js';
import { formatBytes, formatCount } from './format.js';

/** What was measured for one plan node (summed over the dataflow nodes it became). */
export interface MeasuredOperator {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly stateKeys: number;
  readonly stateBytes: number;
}

export interface CostExplainOptions {
  readonly sharedReaders?: (side: SharedSide) => readonly string[];
  /** A materialized view's sink on top: its name (the view keeps the result's rows as state). */
  readonly view?: string;
  /** EXPLAIN ANALYZE: the figures measured per plan node (undefined: not run). */
  readonly measured?: (plan: LogicalPlan) => MeasuredOperator | undefined;
  /** EXPLAIN ANALYZE: figures of a two-phase aggregation's local phase (or its mini-batch). */
  readonly measuredLocal?: (plan: LogicalPlan) => MeasuredOperator | undefined;
  /** EXPLAIN ANALYZE: the sink's measured figures. */
  readonly measuredSink?: MeasuredOperator;
}

function estimateText(e: NodeEstimate): string {
  const perChange = e.changesIn > 0 ? e.work / e.changesIn : 0;
  const state = e.stateRows === 0 && e.stateBytes === 0 ? '0' : `${formatCount(e.stateRows)} rows, ${formatBytes(e.stateBytes)}`;
  const variant = e.variant === undefined ? '' : `, variant=[${e.variant}]`;
  return `, rows=[${formatCount(e.rows)}], state=[${state}], work=[${perChange.toFixed(2)} per change], cost=[${formatCount(e.cost)}]${variant}`;
}

function measuredText(m: MeasuredOperator | undefined): string {
  if (m === undefined) return ', actual=[not run]';
  return `, actual=[in ${m.rowsIn}, out ${m.rowsOut}, state ${m.stateKeys} keys, ${formatBytes(m.stateBytes)}]`;
}

/** Per plan node, the estimate (and measured figures), as explain-physical's annotations. */
function annotate(estimate: PlanEstimate, options: CostExplainOptions, shared: ReadonlySet<LogicalPlan>): (p: LogicalPlan, part: 'main' | 'local') => string {
  return (p, part) => {
    const e = estimate.of(p);
    if (part === 'local') {
      // The local phase (or a mini-batch) keeps no state: its bundle lives in memory until it is passed on.
      const base = `, rows=[${formatCount(e.changesIn)} in], state=[0]`;
      return options.measured === undefined ? base : base + measuredText(options.measuredLocal?.(p));
    }
    const base = estimateText(e);
    if (options.measured === undefined) return base;
    const m = options.measured(p);
    // A shared join input runs in its arrangement's own dataflow, not the job's.
    return base + (m === undefined && shared.has(p) ? ', actual=[in a shared arrangement]' : measuredText(m));
  };
}

/** The join inputs a plan reads from shared arrangements, with the plan of each input. */
function sharedSides(plan: LogicalPlan, out: { side: SharedSide; input: LogicalPlan }[] = []): { side: SharedSide; input: LogicalPlan }[] {
  if (plan.kind === 'Join') {
    if (plan.sharedState?.left !== undefined) out.push({ side: plan.sharedState.left, input: plan.left });
    if (plan.sharedState?.right !== undefined) out.push({ side: plan.sharedState.right, input: plan.right });
  }
  for (const c of children(plan)) sharedSides(c, out);
  return out;
}

function subtree(plan: LogicalPlan): LogicalPlan[] {
  return [plan, ...children(plan).flatMap(subtree)];
}

/** The relations a plan scans, each once, in the order first met. */
export function scans(plan: LogicalPlan, out: string[] = []): string[] {
  if (plan.kind === 'Scan' && !out.includes(plan.object)) out.push(plan.object);
  for (const c of children(plan)) scans(c, out);
  return out;
}

/**
 * The lines of EXPLAIN ESTIMATED_COST (or ANALYZE, with `options.measured`): the tree,
 * then where the statistics came from, the totals, and the choices the optimizer made.
 */
export function explainCost(plan: LogicalPlan, ctx: OptimizerContext, options: CostExplainOptions = {}): string[] {
  const estimate = estimatePlan(plan, ctx);
  const shared = sharedSides(plan);
  const tree = explainPhysical(plan, {
    engine: ctx.modes,
    changelogMode: false,
    annotate: annotate(estimate, options, new Set(shared.flatMap(({ input }) => subtree(input)))),
    ...(options.sharedReaders === undefined ? {} : { sharedReaders: options.sharedReaders }),
  }).split('\n');
  const lines: string[] = [];
  let totalStateBytes = estimate.totalStateBytes;
  let totalStateRows = estimate.totalStateRows;
  if (options.view !== undefined) {
    // The view's rows are its sink's state: one entry per distinct row.
    const root = estimate.root;
    const sinkBytes = root.rows * entryBytes(root.rowBytes + 3, rowIdBytes(root.rowBytes));
    totalStateBytes += sinkBytes;
    totalStateRows += root.rows;
    const est = `, rows=[${formatCount(root.rows)}], state=[${formatCount(root.rows)} rows, ${formatBytes(sinkBytes)}], work=[2.00 per change], cost=[${formatCount(sinkBytes + WORK_WEIGHT * 2 * root.changes)}]`;
    const measured = options.measured === undefined ? '' : measuredText(options.measuredSink);
    lines.push(`Materialize(view=[${options.view}]${est}${measured})`);
    lines.push(...tree.map((l) => `  ${l}`));
  } else lines.push(...tree);
  // Shared join inputs: kept once by their arrangement, whoever reads them; counted here when this plan would be the first.
  for (const { side, input } of shared) {
    const e = estimate.of(input);
    const bytes = e.rows * entryBytes(e.rowBytes + 4, side.keys.reduce((s, k) => s + (e.columns[k]?.bytes ?? 5), 0) + rowIdBytes(e.rowBytes));
    const readers = options.sharedReaders?.(side) ?? [];
    if (readers.length === 0) {
      totalStateBytes += bytes;
      totalStateRows += e.rows;
    }
    const who = readers.length === 0 ? 'kept first by this job' : `kept already for job${readers.length > 1 ? 's' : ''} ${readers.join(', ')}: nothing more to keep`;
    lines.push(`Shared: ${side.label}, ${formatCount(e.rows)} rows, ${formatBytes(bytes)}, ${who}`);
  }
  const sources = scans(plan).map((name) => {
    const r = ctx.stats.relation(name);
    return r === undefined ? `${name} unknown (${formatCount(1000)} rows assumed)` : `${name} ${r.source} ${formatCount(r.rows)} rows, ${formatCount(r.changes)} changes`;
  });
  if (sources.length > 0) lines.push(`Statistics: ${sources.join('; ')}`);
  lines.push(`Total: state=[${formatCount(totalStateRows)} rows, ${formatBytes(totalStateBytes)}], work=[${formatCount(estimate.totalWork)} over ${formatCount(estimate.sourceChanges)} source changes], cost=[${formatCount(estimate.totalCost)}]`);
  for (const note of ctx.notes) lines.push(`Choice: ${note}`);
  return lines;
}
