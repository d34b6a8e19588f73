// window-join: a join of two windowed inputs on equal window_start and window_end becomes a WindowJoin.
//
// Both sides' rows of a window are only joined once the window has closed, so nothing is
// ever retracted: outer joins pad once, at the window's end, and the window's rows are
// freed then. The condition stays whole (the operator evaluates it on each candidate pair).

import type { BoundExpr } from '../bound/expr.js';
import type { Join, LogicalPlan, WindowJoin } from '../logical/index.js';
import { conjuncts, transformUp } from '../binder/bound-utils.js';
import { windowOrigin, type WindowOrigin } from '../binder/window-aggregates.js';
import type { Rule } from './rule.js';

export const windowJoinRule: Rule = {
  name: 'window-join',
  rewrite(plan) {
    const out = transformUp(plan, (node) => (node.kind === 'Join' ? windowJoin(node) ?? node : node));
    return { plan: out, changed: out !== plan };
  },
};

function windowJoin(j: Join): LogicalPlan | undefined {
  if (j.condition === null) return undefined;
  const lw = j.left.schema.length;
  const pairs: { left: number; right: number; l: WindowOrigin; r: WindowOrigin }[] = [];
  for (const c of conjuncts(j.condition)) {
    const p = columnEquality(c, lw);
    if (p === undefined) continue;
    const l = windowOrigin(j.left, p.left);
    const r = windowOrigin(j.right, p.right);
    if (l === undefined || r === undefined || l.property !== r.property || l.property === 'time') continue;
    pairs.push({ ...p, l, r });
  }
  const start = pairs.find((p) => p.l.property === 'start');
  const end = pairs.find((p) => p.l.property === 'end' && start !== undefined && p.l.node === start.l.node && p.r.node === start.r.node);
  if (start === undefined || end === undefined) return undefined;
  const attribute = (o: WindowOrigin): 'ROWTIME' | 'PROCTIME' =>
    (o.node.kind === 'WindowTableFunction' ? o.node.window.timeAttribute : (o.node.schema[o.node.schema.length - 1]?.timeAttribute ?? 'ROWTIME'));
  const w: WindowJoin = {
    kind: 'WindowJoin',
    joinType: j.joinType,
    left: j.left,
    right: j.right,
    condition: j.condition,
    leftWindow: { startIndex: start.left, endIndex: end.left, timeAttribute: attribute(start.l) },
    rightWindow: { startIndex: start.right, endIndex: end.right, timeAttribute: attribute(start.r) },
    schema: j.schema,
  };
  return w;
}

/** `left column = right column` (either way round): the columns, the right one indexing the right row. */
function columnEquality(c: BoundExpr, leftWidth: number): { left: number; right: number } | undefined {
  if (c.kind !== 'Call' || c.fn !== '=' || c.args.length !== 2) return undefined;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  if (a.kind !== 'InputRef' || b.kind !== 'InputRef') return undefined;
  if (a.index < leftWidth && b.index >= leftWidth) return { left: a.index, right: b.index - leftWidth };
  if (b.index < leftWidth && a.index >= leftWidth) return { left: b.index, right: a.index - leftWidth };
  return undefined;
}
