// Splits a join condition into equi-join key pairs and a residual predicate.

import type { BoundExpr } from '../bound/expr.js';

export interface EquiKey {
  /** Expression over the left row only. */
  readonly left: BoundExpr;
  /** Expression over the right row only, rebased to the right row's columns. */
  readonly right: BoundExpr;
}

export interface SplitCondition {
  readonly keys: readonly EquiKey[];
  /** Conjuncts that are not equi-join keys, over the concatenated row. */
  readonly residual: readonly BoundExpr[];
}

export function conjuncts(e: BoundExpr): BoundExpr[] {
  if (e.kind === 'Call' && e.fn === 'and') return e.args.flatMap(conjuncts);
  return [e];
}

/** Which sides an expression reads: bit 1 left, bit 2 right; 0 for a constant. */
function sides(e: BoundExpr, leftWidth: number): number {
  switch (e.kind) {
    case 'InputRef': return e.index < leftWidth ? 1 : 2;
    case 'Literal':
    case 'ParamRef':
      return 0;
    case 'CorrelatedRef':
    case 'Subquery':
      return 3;
    case 'Call': return e.args.reduce((m, a) => m | sides(a, leftWidth), 0);
    case 'Cast': return sides(e.operand, leftWidth);
    case 'Case': return e.whens.reduce((m, w) => m | sides(w.when, leftWidth) | sides(w.then, leftWidth), sides(e.else, leftWidth));
  }
}

/** The same expression with input references shifted by `-offset`. */
export function shiftRefs(e: BoundExpr, offset: number): BoundExpr {
  switch (e.kind) {
    case 'InputRef': return { ...e, index: e.index - offset };
    case 'Literal':
    case 'ParamRef':
    case 'CorrelatedRef':
    case 'Subquery':
      return e;
    case 'Call': return { ...e, args: e.args.map((a) => shiftRefs(a, offset)) };
    case 'Cast': return { ...e, operand: shiftRefs(e.operand, offset) };
    case 'Case': return { ...e, whens: e.whens.map((w) => ({ when: shiftRefs(w.when, offset), then: shiftRefs(w.then, offset) })), else: shiftRefs(e.else, offset) };
  }
}

export function splitJoinCondition(condition: BoundExpr | null, leftWidth: number): SplitCondition {
  if (condition === null) return { keys: [], residual: [] };
  const keys: EquiKey[] = [];
  const residual: BoundExpr[] = [];
  for (const c of conjuncts(condition)) {
    if (c.kind === 'Call' && c.fn === '=' && c.args.length === 2) {
      const [a, b] = c.args as [BoundExpr, BoundExpr];
      const sa = sides(a, leftWidth);
      const sb = sides(b, leftWidth);
      if (sa === 1 && sb === 2) {
        keys.push({ left: a, right: shiftRefs(b, leftWidth) });
        continue;
      }
      if (sa === 2 && sb === 1) {
        keys.push({ left: b, right: shiftRefs(a, leftWidth) });
        continue;
      }
    }
    if (!(c.kind === 'Literal' && c.value === true)) residual.push(c);
  }
  return { keys, residual };
}
