// sort-limit: ORDER BY + LIMIT stays one Sort with a limit (the engine maintains it as a TopN in continuous
// queries); nested sorts merge; a sort whose order nothing can observe (inside a join, an aggregate, a
// union, ...) is dropped.
//
// Order is observable at the top of the plan and through Project and Filter above it; a
// Sort with a limit and no keys (LIMIT without ORDER BY) observes its input's order too.

import type { LogicalPlan, Sort } from '../logical/index.js';
import { children, withChildren } from '../logical/index.js';
import type { Rule } from './rule.js';

export const sortLimitRule: Rule = {
  name: 'sort-limit',
  rewrite(plan) {
    const out = visit(plan, true);
    return { plan: out, changed: out !== plan };
  },
};

function visit(plan: LogicalPlan, orderMatters: boolean): LogicalPlan {
  if (plan.kind === 'Sort') {
    const merged = mergeSorts(plan);
    if (merged !== plan) return visit(merged, orderMatters);
    if (!orderMatters && plan.limit === undefined && plan.offset === 0) return visit(plan.input, false);
    // The sort re-orders its input unless it only cuts a prefix (LIMIT without ORDER BY).
    const input = visit(plan.input, plan.keys.length === 0);
    return input === plan.input ? plan : { ...plan, input };
  }
  const kids = children(plan);
  const passes = plan.kind === 'Project' || plan.kind === 'Filter';
  const next = kids.map((c) => visit(c, orderMatters && passes));
  return next.every((c, i) => c === kids[i]) ? plan : withChildren(plan, next);
}

/** A Sort over another Sort (possibly through a Project of plain columns, which moves above), as one. */
function mergeSorts(outer: Sort): LogicalPlan {
  const between = outer.input;
  if (between.kind === 'Project' && between.input.kind === 'Sort') {
    const cols = outer.keys.map((k) => between.exprs[k.index]);
    if (!cols.every((e) => e?.kind === 'InputRef')) return outer;
    const keys = outer.keys.map((k, i) => ({ ...k, index: (cols[i] as { index: number }).index }));
    const moved: Sort = { ...outer, input: between.input, keys, schema: between.input.schema };
    const merged = mergeSorts(moved);
    return merged === moved ? outer : { ...between, input: merged };
  }
  const inner = outer.input;
  if (inner.kind !== 'Sort') return outer;
  const innerCuts = inner.limit !== undefined || inner.offset !== 0;
  const outerCuts = outer.limit !== undefined || outer.offset !== 0;
  // The inner order is overridden and the inner sort cuts nothing: only the outer sort counts.
  if (!innerCuts && outer.keys.length > 0) return { ...outer, input: inner.input };
  // LIMIT without ORDER BY over an ORDER BY: one sort with the inner keys and the outer cut.
  if (!innerCuts && outer.keys.length === 0) return { ...inner, offset: outer.offset, ...(outer.limit === undefined ? {} : { limit: outer.limit }) };
  // Two cuts over the same order (or the outer keeps the inner order): the rows offset .. offset + limit of the inner result.
  if (innerCuts && outerCuts && (outer.keys.length === 0 || sameKeys(outer, inner))) {
    const offset = inner.offset + outer.offset;
    const innerRemaining = inner.limit === undefined ? undefined : Math.max(0, inner.limit - outer.offset);
    const limit = innerRemaining === undefined ? outer.limit : outer.limit === undefined ? innerRemaining : Math.min(innerRemaining, outer.limit);
    return limit === undefined ? { kind: 'Sort', input: inner.input, keys: inner.keys, offset, schema: inner.schema }
      : { kind: 'Sort', input: inner.input, keys: inner.keys, offset, limit, schema: inner.schema };
  }
  return outer;
}

function sameKeys(a: Sort, b: Sort): boolean {
  return a.keys.length === b.keys.length && a.keys.every((k, i) => {
    const o = b.keys[i];
    return o !== undefined && k.index === o.index && k.descending === o.descending && k.nullsFirst === o.nullsFirst;
  });
}
