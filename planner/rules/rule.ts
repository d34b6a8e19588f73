// A rewrite rule over logical plans: one rule per file, applied in a fixed order.

import type { OptimizerContext } from '../cost/context.js';
import type { LogicalPlan } from '../logical/index.js';

export interface RuleResult {
  readonly plan: LogicalPlan;
  readonly changed: boolean;
}

export interface Rule {
  /** kebab-case, as EXPLAIN and tests name it: `predicate-pushdown`. */
  readonly name: string;
  /** Cost-based rules read statistics and settings from `context`; without one they change nothing. */
  rewrite(plan: LogicalPlan, context?: OptimizerContext): RuleResult;
}
