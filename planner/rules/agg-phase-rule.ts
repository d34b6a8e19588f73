// agg-phase: how each GROUP BY aggregation runs when mini-batches are on ('table.exec.mini-batch.enabled'):
// one phase behind a MiniBatch, or two phases (a local pre-aggregation per bundle, then the global merge),
// by 'table.optimizer.agg-phase-strategy' (AUTO, ONE_PHASE, TWO_PHASE; Flink's setting and values).
//
// AUTO takes two phases when every call can merge partials and a bundle is expected to hold at least
// MIN_ROWS_PER_PARTIAL rows per group it touches: then the global phase sees a partial per group and
// bundle instead of each row (for a hot key, Nexmark's hot auctions, one instead of thousands). The
// expected number of groups a bundle touches follows the group count and the hottest key's share of
// rows from the statistics (planner/cost/cost-model.ts distinctTouched). Without mini-batches nothing
// changes unless TWO_PHASE asks for it (then the local phase pre-aggregates each input batch).

import type { AggCall, Aggregate, LogicalPlan } from '../logical/index.js';
import { transformUp } from '../binder/bound-utils.js';
import type { OptimizerContext } from '../cost/context.js';
import { distinctTouched } from '../cost/cost-model.js';
import { estimatePlan, groupCount } from '../cost/estimate.js';
import { formatCount } from '../cost/format.js';
import { changelogMode } from '../physical/changelog-mode.js';
import type { Rule } from './rule.js';

/** AUTO takes two phases from this many rows per partial on. */
export const MIN_ROWS_PER_PARTIAL = 2;

/** Calls whose accumulators merge partials built from additions and retractions alike (abelian folds). */
const MERGEABLE = new Set(['count', 'count_star', 'sum', 'avg', 'var_pop', 'var_samp', 'variance', 'stddev_pop', 'stddev_samp', 'stddev', 'bool_and', 'bool_or', 'every']);

/** Why a call cannot be split into partials, or undefined when it can. */
function unmergeable(call: AggCall, appendOnly: boolean): string | undefined {
  if (call.distinct) return `${call.fn}(DISTINCT ...) keeps its distinct values per group`;
  if (call.orderBy !== undefined && call.orderBy.length > 0) return `${call.fn} depends on the order of rows`;
  if (MERGEABLE.has(call.fn)) return undefined;
  if ((call.fn === 'min' || call.fn === 'max') && appendOnly) return undefined;
  if (call.fn === 'min' || call.fn === 'max') return `${call.fn} over a retracting input keeps every value`;
  return `${call.fn} cannot merge partials`;
}

export const aggPhaseRule: Rule = {
  name: 'agg-phase',
  rewrite(plan, context) {
    if (context === undefined || context.continuous !== true) return { plan, changed: false };
    const { miniBatch, aggPhaseStrategy } = context.settings;
    if (!miniBatch.enabled && aggPhaseStrategy !== 'TWO_PHASE') return { plan, changed: false };
    const out = transformUp(plan, (p) => (p.kind === 'Aggregate' && p.strategy === undefined ? choose(p, context) : p));
    return { plan: out, changed: out !== plan };
  },
};

function choose(agg: Aggregate, ctx: OptimizerContext): LogicalPlan {
  const { miniBatch, aggPhaseStrategy } = ctx.settings;
  const bundleRows = miniBatch.enabled ? miniBatch.size : 0;
  const allowLatency = miniBatch.enabled ? miniBatch.allowLatency : 0;
  const appendOnly = changelogMode(agg.input, ctx.modes) === 'append';
  const blocker = agg.groupingSets !== undefined
    ? 'grouping sets keep one group per set'
    : agg.aggs.map((c) => unmergeable(c, appendOnly)).find((r) => r !== undefined);
  const keys = agg.groupKeys.map((k) => agg.input.schema[k]?.name ?? `#${k}`).join(', ');
  const onePhase = (reason: string): LogicalPlan => {
    if (bundleRows <= 0) return agg;
    ctx.notes.push(`aggregation by [${keys}]: one phase behind a mini-batch of ${bundleRows} rows (${reason})`);
    return { ...agg, strategy: { kind: 'one-phase', bundleRows, allowLatency, reason } };
  };
  const twoPhase = (reason: string): LogicalPlan => {
    ctx.notes.push(`aggregation by [${keys}]: two phases, local per ${bundleRows > 0 ? `bundle of ${bundleRows} rows` : 'input batch'} then global (${reason})`);
    return { ...agg, strategy: { kind: 'two-phase', bundleRows, allowLatency, reason } };
  };
  if (aggPhaseStrategy === 'ONE_PHASE') return onePhase('table.optimizer.agg-phase-strategy is ONE_PHASE');
  if (blocker !== undefined) return onePhase(blocker);
  if (aggPhaseStrategy === 'TWO_PHASE') return twoPhase('table.optimizer.agg-phase-strategy is TWO_PHASE');
  // AUTO, with mini-batches: two phases where a bundle holds several rows per group.
  const input = estimatePlan(agg.input, ctx).root;
  const groups = groupCount(input.columns, agg.groupKeys, input.rows);
  const hot = agg.groupKeys.length === 0 ? 1 : input.columns[agg.groupKeys[0] as number]?.topShare ?? 0;
  const touched = distinctTouched(bundleRows, groups, hot);
  const perPartial = bundleRows / Math.max(1, touched);
  const figures = `a bundle touches about ${formatCount(touched)} of ${formatCount(groups)} groups, the hottest key holding ${(hot * 100).toFixed(0)}% of rows: ${perPartial.toFixed(1)} rows per partial`;
  return perPartial >= MIN_ROWS_PER_PARTIAL ? twoPhase(figures) : onePhase(figures);
}
