// join-reorder: each region of three or more inner joins becomes the join tree the streaming cost model finds cheapest
// (planner/cost/join-order.ts); off with 'table.optimizer.join-reorder-enabled' = 'false'.
//
// The region's output keeps its columns in their order (a projection on top), so nothing above
// it sees a difference. A new order is taken only when it is estimated at least MARGIN cheaper
// than the current one: ties and near ties keep the order the query was written in, and the
// rule reaches a fixpoint (the best order is never "improved" upon again).

import type { OptimizerContext } from '../cost/context.js';
import { estimatePlan } from '../cost/estimate.js';
import { JoinOrderSearch, conjunction, extractJoinGraph, isRegionJoin, sameTree, treeText, type JoinGraph } from '../cost/join-order.js';
import type { LogicalPlan } from '../logical/index.js';
import { children, withChildren } from '../logical/index.js';
import { filter } from '../logical/filter.js';
import { conjuncts } from '../physical/join-keys.js';
import type { BoundExpr } from '../bound/expr.js';
import { remapInputs } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';
import { formatBytes, formatCount } from '../cost/format.js';
import { scans } from '../cost/explain-cost.js';

/** A new order must be estimated this much cheaper (as a share of the current cost) to be taken. */
export const MARGIN = 0.05;

export const joinReorderRule: Rule = {
  name: 'join-reorder',
  rewrite(plan, context) {
    if (context === undefined || !context.settings.joinReorder) return { plan, changed: false };
    const out = visit(plan, false, context);
    return { plan: out, changed: out !== plan };
  },
};

function visit(p: LogicalPlan, inRegion: boolean, ctx: OptimizerContext): LogicalPlan {
  if (!inRegion && isRegionJoin(p)) {
    const reordered = reorder(p, ctx);
    if (reordered !== undefined) return reordered;
  }
  const regionPart = isRegionJoin(p) || (inRegion && (p.kind === 'Filter' || (p.kind === 'Project' && p.exprs.every((e) => e.kind === 'InputRef'))));
  const kids = children(p);
  const next = kids.map((c) => visit(c, regionPart && (isRegionJoin(c) || c.kind === 'Filter' || c.kind === 'Project'), ctx));
  return next.every((c, i) => c === kids[i]) ? p : withChildren(p, next);
}

/** Leaves estimated with the filters that read them alone (their own filters travel with them). */
function leafFilter(graph: JoinGraph, i: number): BoundExpr[] {
  const rel = graph.relations[i];
  if (rel === undefined) return [];
  return graph.predicates.filter((p) => p.relations === 1 << i).flatMap((p) => conjuncts(remapInputs(p.expr, (c) => c - rel.offset)));
}

function reorder(p: LogicalPlan, ctx: OptimizerContext): LogicalPlan | undefined {
  const found = extractJoinGraph(p);
  if (found === undefined || found.relations.length < 3) return undefined;
  // Regions below the leaves (under aggregates, say) are ordered first.
  const graph: JoinGraph = { ...found, relations: found.relations.map((r) => ({ ...r, plan: visit(r.plan, false, ctx) })) };
  const search = new JoinOrderSearch(graph, (i) => {
    const rel = graph.relations[i] as JoinGraph['relations'][number];
    const own = leafFilter(graph, i);
    const leaf = own.length === 0 ? rel.plan : filter(rel.plan, conjunction(own) as BoundExpr);
    return estimatePlan(leaf, ctx).root;
  });
  const current = search.evaluate(graph.tree);
  const best = search.best();
  const leavesChanged = graph.relations.some((r, i) => r.plan !== found.relations[i]?.plan);
  const name = (i: number): string => relationName(graph.relations[i]?.plan);
  if (sameTree(best.tree, graph.tree) || best.cost >= current.cost * (1 - MARGIN)) {
    if (graph.relations.length >= 3) {
      ctx.notes.push(`join order kept: ${treeText(graph.tree, name)} (estimated cost ${formatCount(current.cost)}; the best other order is not ${MARGIN * 100}% cheaper)`);
    }
    return leavesChanged ? search.build(graph.tree) : undefined;
  }
  ctx.notes.push(
    `join order: ${treeText(graph.tree, name)} → ${treeText(best.tree, name)} `
    + `(${best.method === 'dp' ? 'dynamic programming over connected subsets' : 'greedy pairing'} of ${graph.relations.length} inputs; `
    + `estimated state ${formatBytes(current.stateBytes)} → ${formatBytes(best.stateBytes)}, cost ${formatCount(current.cost)} → ${formatCount(best.cost)})`,
  );
  return search.build(best.tree);
}

/** A leaf as the notes name it: the table it scans, when it scans one. */
function relationName(p: LogicalPlan | undefined): string {
  if (p === undefined) return '?';
  const names = scans(p);
  return names.length === 0 ? p.kind : names.join('+');
}
