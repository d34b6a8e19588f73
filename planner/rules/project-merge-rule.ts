// project-merge: a Project over a Project becomes one Project; a Project that passes its input through unchanged disappears.
//
// Merging substitutes the inner expressions into the outer ones. It is skipped when that would
// compute a non-trivial inner expression more than once, or move a non-deterministic one.

import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/index.js';
import { project } from '../logical/project.js';
import { isDeterministic, isIdentityProject, substituteInputs, transformUp, visitExpr } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const projectMergeRule: Rule = {
  name: 'project-merge',
  rewrite(plan) {
    const out = transformUp(plan, merge);
    return { plan: out, changed: out !== plan };
  },
};

function merge(node: LogicalPlan): LogicalPlan {
  if (node.kind !== 'Project') return node;
  const input = node.input;
  // An identity projection changes no value, type or nullability; only names, which the binder reports separately.
  if (isIdentityProject(node.exprs, input.schema.length)) return input;
  if (input.kind !== 'Project') return node;
  const uses = new Map<number, number>();
  for (const e of node.exprs) {
    visitExpr(e, (x) => {
      if (x.kind === 'InputRef') uses.set(x.index, (uses.get(x.index) ?? 0) + 1);
    });
  }
  for (const [i, n] of uses) {
    const inner = input.exprs[i] as BoundExpr;
    const trivial = inner.kind === 'InputRef' || inner.kind === 'Literal' || inner.kind === 'ParamRef';
    if (!trivial && (n > 1 || !isDeterministic(inner))) return node;
  }
  return project(input.input, node.exprs.map((e) => substituteInputs(e, input.exprs)), node.schema);
}
