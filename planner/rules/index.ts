// The rewrite rules in the order they run, and `optimize`, which applies them until the plan stops changing.

import type { LogicalPlan } from '../logical/index.js';
import { constantFoldingRule } from './constant-folding-rule.js';
import { decorrelateRule } from './decorrelate-rule.js';
import { predicatePushdownRule } from './predicate-pushdown-rule.js';
import { projectMergeRule } from './project-merge-rule.js';
import { projectionPruningRule } from './projection-pruning-rule.js';
import type { Rule } from './rule.js';
import { sortLimitRule } from './sort-limit-rule.js';
import { topNRule } from './top-n-rule.js';
import { intervalJoinRule } from './interval-join-rule.js';
import { windowJoinRule } from './window-join-rule.js';
import { windowRankRule } from './window-rank-rule.js';
import { joinReorderRule } from './join-reorder-rule.js';
import { sharedStateRule } from './shared-state-rule.js';
import { aggPhaseRule } from './agg-phase-rule.js';
import { splitDistinctRule } from './split-distinct-rule.js';
import type { OptimizerContext } from '../cost/context.js';

export type { Rule, RuleResult } from './rule.js';
export {
  constantFoldingRule, decorrelateRule, predicatePushdownRule, projectMergeRule, projectionPruningRule, sortLimitRule, topNRule,
  intervalJoinRule, windowJoinRule, windowRankRule, joinReorderRule, splitDistinctRule, aggPhaseRule, sharedStateRule,
};

/**
 * Decorrelation first (later rules assume no subqueries), then folding, so that pushdown and
 * top-n see plain constants; joins and ranks in time are recognised once filters are in
 * place; pruning and merging tidy what the others leave.
 */
export const rules: readonly Rule[] = [
  decorrelateRule,
  constantFoldingRule,
  predicatePushdownRule,
  windowJoinRule,
  intervalJoinRule,
  topNRule,
  windowRankRule,
  sortLimitRule,
  projectionPruningRule,
  projectMergeRule,
];

/** Rounds of the whole rule list before `optimize` gives up on reaching a fixpoint. */
export const MAX_ROUNDS = 20;

/**
 * Applies `rules` in order, round after round, until a round changes nothing (or
 * MAX_ROUNDS pass: the plan is then still correct, only possibly less optimized).
 * The output has the same columns, in the same order and with the same types, as the input.
 *
 * @example
 *   explainLogical(optimize(bindQuery(q, catalog).plan))
 */
export function optimize(plan: LogicalPlan, ruleList: readonly Rule[] = rules): LogicalPlan {
  let current = plan;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const rule of ruleList) {
      const r = rule.rewrite(current);
      if (r.changed) {
        changed = true;
        current = r.plan;
      }
    }
    if (!changed) return current;
  }
  return current;
}

/**
 * The cost-based rules, in the order they run, once each after the rewrite rules have reached
 * their fixpoint (they read estimates of a settled plan): join order first (then the rewrite
 * rules again, to push filters and prune columns around the new joins), then distinct
 * aggregations split by bucket (when asked for) and how aggregations run (one or two
 * phases, mini-batches), and last the marking of join inputs a materialized
 * view shares with others (it reads the final join inputs).
 */
export const costRules: readonly Rule[] = [joinReorderRule, splitDistinctRule, aggPhaseRule, sharedStateRule];

/**
 * `optimize`, then the cost-based choices with `context` (statistics, settings). What the
 * choices decided is appended to `context.notes`.
 */
export function optimizeByCost(plan: LogicalPlan, context: OptimizerContext): LogicalPlan {
  let current = optimize(plan);
  for (const rule of costRules) {
    const r = rule.rewrite(current, context);
    if (!r.changed) continue;
    current = r.plan;
    if (rule === joinReorderRule) current = optimize(current);
    // A shared input read whole leaves a column-picking projection over its join, next to the one above it.
    if (rule === sharedStateRule) current = projectMergeRule.rewrite(current).plan;
  }
  return current;
}
