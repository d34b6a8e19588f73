// constant-folding: calls and casts of constants evaluated once at planning, AND/OR/CASE simplified, always-true filters dropped.
//
// Folding uses the expression compiler, so a folded value is exactly what execution would
// compute. Non-deterministic calls (RAND, NOW, CURRENT_TIMESTAMP, PROCTIME, ...) are left
// alone, as are expressions involving TIMESTAMP_LTZ, whose meaning depends on the session's
// time zone. A constant that fails to evaluate (1/0, CAST('x' AS INT)) is left in place: the
// error surfaces when the query runs, not at planning (PostgreSQL reports it at planning;
// both are allowed, and this way a branch that is never taken never fails).

import type { DataType } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { internalError, SqlError } from '../../common/errors.js';
import type { Value } from '../../common/value.js';
import { evaluateConstant } from '../../executor/expr/compile.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/index.js';
import { values } from '../logical/values.js';
import { FALSE, isDeterministicCall, literal, mapExpr, mapNodeExprs, transformUp, TRUE } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const constantFoldingRule: Rule = {
  name: 'constant-folding',
  rewrite(plan) {
    const out = transformUp(plan, foldNode);
    return { plan: out, changed: out !== plan };
  },
};

function foldNode(node: LogicalPlan): LogicalPlan {
  const n = mapNodeExprs(node, foldExpr);
  if (n.kind === 'Filter') {
    if (isTrueLiteral(n.predicate)) return n.input;
    // FALSE and NULL both reject every row.
    if (n.predicate.kind === 'Literal' && n.predicate.value !== true) return values([], n.schema);
  }
  if (n.kind === 'Join' && n.condition !== null && isTrueLiteral(n.condition)) return { ...n, condition: null };
  return n;
}

function isTrueLiteral(e: BoundExpr): boolean {
  return e.kind === 'Literal' && e.value === true;
}

function isLiteral(e: BoundExpr): e is BoundExpr & { kind: 'Literal' } {
  return e.kind === 'Literal';
}

/** Folds bottom-up; returns `e` itself when nothing changes. */
export function foldExpr(e: BoundExpr): BoundExpr {
  return mapExpr(e, foldOne);
}

function involvesZone(types: readonly DataType[]): boolean {
  return types.some((t) => t.kind === 'TIMESTAMP_LTZ');
}

function foldOne(e: BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'Call': {
      if (e.fn === 'and' || e.fn === 'or') return foldLogic(e.fn, e.args, e);
      if (!isDeterministicCall(e.fn) || !e.args.every(isLiteral)) return e;
      if (involvesZone([e.type, ...e.args.map((a) => a.type)])) return e;
      return evaluate(e);
    }
    case 'Cast': {
      if (!isLiteral(e.operand) || involvesZone([e.type, e.operand.type])) return e;
      return evaluate(e);
    }
    case 'Case': {
      const whens = e.whens.filter((w) => !(isLiteral(w.when) && w.when.value !== true));
      const first = whens[0];
      if (first !== undefined && isTrueLiteral(first.when)) return first.then;
      if (whens.length === 0) return e.else;
      return whens.length === e.whens.length ? e : { ...e, whens };
    }
    case 'Literal':
    case 'InputRef':
    case 'ParamRef':
    case 'CorrelatedRef':
    case 'Subquery':
      return e;
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

/** FALSE decides AND and TRUE decides OR whatever the other operands are (even NULL); the neutral value drops out. */
function foldLogic(fn: 'and' | 'or', args: readonly BoundExpr[], e: BoundExpr): BoundExpr {
  const decisive = fn === 'and' ? false : true;
  if (args.some((a) => isLiteral(a) && a.value === decisive)) return fn === 'and' ? FALSE : TRUE;
  const rest = args.filter((a) => !(isLiteral(a) && a.value === !decisive));
  if (rest.length === args.length) return e;
  if (rest.length === 0) return fn === 'and' ? TRUE : FALSE;
  if (rest.length === 1) return rest[0] as BoundExpr;
  return { kind: 'Call', fn, args: rest, type: Types.boolean };
}

function evaluate(e: BoundExpr): BoundExpr {
  let v: Value;
  try {
    v = evaluateConstant(e);
  } catch (err) {
    // Data errors are the query's, reported when it runs; anything else is a bug to surface.
    if (err instanceof SqlError) return e;
    throw err;
  }
  return literal(v, e.type);
}
