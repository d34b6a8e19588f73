// A rewrite rule over logical plans: one rule per file, applied in a fixed order.

import type { LogicalPlan } from '../logical/index.js';

export interface RuleResult {
  readonly plan: LogicalPlan;
  readonly changed: boolean;
}

export interface Rule {
  /** kebab-case, as EXPLAIN and tests name it: `predicate-pushdown`. */
  readonly name: string;
  rewrite(plan: LogicalPlan): RuleResult;
}
