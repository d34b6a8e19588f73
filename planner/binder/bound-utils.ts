// Walking, comparing and rewriting bound expressions and the expressions held by plan nodes.

import { internalError } from '../../common/errors.js';
import type { DataType, Field, Schema } from '../../common/data-type.js';
import { sameType, Types } from '../../common/data-type.js';
import { valueKey } from '../../common/key.js';
import type { Value } from '../../common/value.js';
import type { BoundCall, BoundExpr, BoundLiteral, InputRef } from '../bound/expr.js';
import type { Nullability } from '../functions/index.js';
import { canonicalFunctionName, isScalarFunctionDeterministic, resolveScalarFunction } from '../functions/index.js';
import type { LogicalPlan } from '../logical/index.js';
import { children, withChildren } from '../logical/index.js';

export function literal(value: Value, type: DataType): BoundLiteral {
  return { kind: 'Literal', value, type };
}

export const TRUE: BoundLiteral = literal(true, Types.boolean);
export const FALSE: BoundLiteral = literal(false, Types.boolean);

export function inputRef(index: number, schema: Schema): InputRef {
  const f = schema[index];
  if (f === undefined) throw internalError(`column #${index} is outside a row of ${schema.length} columns`);
  return { kind: 'InputRef', index, type: f.type };
}

export function call(fn: string, args: readonly BoundExpr[], type: DataType): BoundCall {
  return { kind: 'Call', fn, args, type };
}

/** Splits nested ANDs into their conjuncts. */
export function conjuncts(e: BoundExpr): BoundExpr[] {
  if (e.kind === 'Call' && e.fn === 'and') return e.args.flatMap(conjuncts);
  return [e];
}

/** AND of the list (TRUE when empty); keeps the conjunct order. */
export function andAll(list: readonly BoundExpr[]): BoundExpr {
  if (list.length === 0) return TRUE;
  let acc = list[0] as BoundExpr;
  for (let i = 1; i < list.length; i++) acc = call('and', [acc, list[i] as BoundExpr], Types.boolean);
  return acc;
}

/** AND of the list, or null when empty (a join without a condition). */
export function andOrNull(list: readonly BoundExpr[]): BoundExpr | null {
  return list.length === 0 ? null : andAll(list);
}

/** Structural equality: same shape, same functions, same literal values and types. */
export function exprEquals(a: BoundExpr, b: BoundExpr): boolean {
  switch (a.kind) {
    case 'Literal':
      return b.kind === 'Literal' && sameType(a.type, b.type) && valueKey(a.value) === valueKey(b.value);
    case 'InputRef':
      return b.kind === 'InputRef' && a.index === b.index;
    case 'ParamRef':
      return b.kind === 'ParamRef' && a.index === b.index && sameType(a.type, b.type);
    case 'CorrelatedRef':
      return b.kind === 'CorrelatedRef' && a.depth === b.depth && a.index === b.index;
    case 'Call':
      return b.kind === 'Call' && a.fn === b.fn && sameType(a.type, b.type) && a.args.length === b.args.length
        && a.args.every((x, i) => exprEquals(x, b.args[i] as BoundExpr));
    case 'Cast':
      return b.kind === 'Cast' && a.try === b.try && sameType(a.type, b.type) && exprEquals(a.operand, b.operand);
    case 'Case':
      return b.kind === 'Case' && sameType(a.type, b.type) && a.whens.length === b.whens.length && exprEquals(a.else, b.else)
        && a.whens.every((w, i) => exprEquals(w.when, (b.whens[i] as typeof w).when) && exprEquals(w.then, (b.whens[i] as typeof w).then));
    case 'Subquery':
      // Subqueries are never merged: each one is planned on its own.
      return a === b;
    default: {
      const unreachable: never = a;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

/**
 * Rewrites bottom-up: `f` sees each node after its children were rewritten and
 * returns a replacement (or the node itself). Subquery plans are not entered;
 * a subquery's operand is.
 */
export function mapExpr(e: BoundExpr, f: (e: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'Literal':
    case 'InputRef':
    case 'ParamRef':
    case 'CorrelatedRef':
      return f(e);
    case 'Call': {
      const args = e.args.map((a) => mapExpr(a, f));
      return f(args.every((a, i) => a === e.args[i]) ? e : { ...e, args });
    }
    case 'Cast': {
      const operand = mapExpr(e.operand, f);
      return f(operand === e.operand ? e : { ...e, operand });
    }
    case 'Case': {
      const whens = e.whens.map((w) => ({ when: mapExpr(w.when, f), then: mapExpr(w.then, f) }));
      const els = mapExpr(e.else, f);
      const same = els === e.else && whens.every((w, i) => w.when === e.whens[i]?.when && w.then === e.whens[i]?.then);
      return f(same ? e : { ...e, whens, else: els });
    }
    case 'Subquery': {
      if (e.operand === undefined) return f(e);
      const operand = mapExpr(e.operand, f);
      return f(operand === e.operand ? e : { ...e, operand });
    }
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

/** Renumbers input references through `map` (old index to new index). */
export function remapInputs(e: BoundExpr, map: (index: number) => number): BoundExpr {
  return mapExpr(e, (x) => (x.kind === 'InputRef' ? { ...x, index: map(x.index) } : x));
}

/** Shifts every input reference by `delta`. */
export function shiftInputs(e: BoundExpr, delta: number): BoundExpr {
  return delta === 0 ? e : remapInputs(e, (i) => i + delta);
}

/** Replaces each input reference by the expression it stands for (inlining a Project). */
export function substituteInputs(e: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr {
  return mapExpr(e, (x) => {
    if (x.kind !== 'InputRef') return x;
    const r = exprs[x.index];
    if (r === undefined) throw internalError(`column #${x.index} is outside a row of ${exprs.length} columns`);
    return r;
  });
}

/** Calls `visit` on every node, outside subquery plans. */
export function visitExpr(e: BoundExpr, visit: (e: BoundExpr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'Literal':
    case 'InputRef':
    case 'ParamRef':
    case 'CorrelatedRef':
      return;
    case 'Call':
      for (const a of e.args) visitExpr(a, visit);
      return;
    case 'Cast':
      visitExpr(e.operand, visit);
      return;
    case 'Case':
      for (const w of e.whens) {
        visitExpr(w.when, visit);
        visitExpr(w.then, visit);
      }
      visitExpr(e.else, visit);
      return;
    case 'Subquery':
      if (e.operand !== undefined) visitExpr(e.operand, visit);
      return;
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

/** The input columns an expression reads (not counting those read inside subquery plans). */
export function inputRefsOf(e: BoundExpr, into: Set<number> = new Set()): Set<number> {
  visitExpr(e, (x) => {
    if (x.kind === 'InputRef') into.add(x.index);
  });
  return into;
}

export function containsSubquery(e: BoundExpr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.kind === 'Subquery') found = true;
  });
  return found;
}

/** Whether `e` (including the plans of its subqueries) refers to the query `depth` levels out. */
export function refersToDepth(e: BoundExpr, depth: number): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (found) return;
    if (x.kind === 'CorrelatedRef' && x.depth === depth) found = true;
    else if (x.kind === 'Subquery' && planRefersToDepth(x.plan, depth + 1)) found = true;
  });
  return found;
}

/** Whether any expression of the plan refers to the query `depth` levels out of the plan. */
export function planRefersToDepth(plan: LogicalPlan, depth: number): boolean {
  if (nodeExprs(plan).some((e) => refersToDepth(e, depth))) return true;
  return children(plan).some((c) => planRefersToDepth(c, depth));
}

/** Whether a plan holds any subquery expression or correlated reference anywhere. */
export function planHasSubqueries(plan: LogicalPlan): boolean {
  const inNode = nodeExprs(plan).some((e) => {
    let found = false;
    visitExpr(e, (x) => {
      if (x.kind === 'Subquery' || x.kind === 'CorrelatedRef') found = true;
    });
    return found;
  });
  return inNode || children(plan).some(planHasSubqueries);
}

/**
 * Whether a call gives the same result for the same arguments: the registry knows its
 * functions; PROCTIME() is the binder's processing-time marker and reads the clock.
 */
export function isDeterministicCall(fn: string): boolean {
  return fn !== 'proctime' && isScalarFunctionDeterministic(fn);
}

export function isDeterministic(e: BoundExpr): boolean {
  let ok = true;
  visitExpr(e, (x) => {
    if (x.kind === 'Call' && !isDeterministicCall(x.fn)) ok = false;
    else if (x.kind === 'Subquery') ok = false;
  });
  return ok;
}

/**
 * When a call is NULL, as the registry declares it. Calls bound under an overload's own
 * name (`datetime_plus_interval`, ...) propagate NULL like their operator; a registry
 * function that does not resolve again (it needed constant arguments) is assumed to
 * return NULL at any time.
 */
export function nullability(e: BoundCall): Nullability {
  if (e.fn === 'proctime') return 'never';
  if (canonicalFunctionName(e.fn) === undefined) return 'propagate';
  return resolveScalarFunction(e.fn, e.args.map((a) => a.type))?.nullable ?? 'always';
}

/** Whether `e` may be NULL over rows of `schema`. */
export function isNullable(e: BoundExpr, schema: Schema): boolean {
  switch (e.kind) {
    case 'Literal': return e.value === null;
    case 'InputRef': return schema[e.index]?.nullable ?? true;
    case 'ParamRef': return true;
    case 'CorrelatedRef': return true;
    case 'Cast': return e.try || isNullable(e.operand, schema);
    case 'Case': return isNullable(e.else, schema) || e.whens.some((w) => isNullable(w.then, schema));
    case 'Subquery': return e.mode !== 'exists' && (e.mode === 'scalar' || isNullable(e.operand ?? TRUE, schema) || e.plan.schema.some((f) => f.nullable));
    case 'Call': {
      const mode = nullability(e);
      switch (mode) {
        case 'never': return false;
        case 'always': return true;
        case 'all': return e.args.every((a) => isNullable(a, schema));
        case 'propagate': return e.args.some((a) => isNullable(a, schema));
        default: {
          const unreachable: never = mode;
          throw internalError(`unknown nullability ${String(unreachable)}`);
        }
      }
    }
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

/**
 * A field for an expression computed over `schema`; a plain column keeps its time
 * attribute, and PROCTIME() makes one, as in Flink (`SELECT *, PROCTIME() AS pt FROM t`).
 */
export function fieldFor(name: string, e: BoundExpr, schema: Schema): Field {
  const base: Field = { name, type: e.type, nullable: isNullable(e, schema) };
  if (e.kind === 'InputRef') {
    const src = schema[e.index];
    if (src?.timeAttribute !== undefined) return { ...base, timeAttribute: src.timeAttribute };
  }
  if (e.kind === 'Call' && e.fn === 'proctime') return { ...base, timeAttribute: 'PROCTIME' };
  return base;
}

/** The scalar expressions a node holds (not those of its inputs). */
export function nodeExprs(plan: LogicalPlan): readonly BoundExpr[] {
  switch (plan.kind) {
    case 'Project': return plan.exprs;
    case 'Filter': return [plan.predicate];
    case 'Join': return plan.condition === null ? [] : [plan.condition];
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'TemporalJoin':
      return [plan.condition];
    case 'Values': return plan.rows.flat();
    case 'Scan':
    case 'Aggregate':
    case 'Union':
    case 'SetOp':
    case 'Sort':
    case 'Over':
    case 'TopN':
    case 'Deduplicate':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'MatchRecognize':
      return [];
    default: {
      const unreachable: never = plan;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/** The same node with each of its own expressions passed through `f`. */
export function mapNodeExprs(plan: LogicalPlan, f: (e: BoundExpr) => BoundExpr): LogicalPlan {
  switch (plan.kind) {
    case 'Project': {
      const exprs = plan.exprs.map(f);
      return exprs.every((e, i) => e === plan.exprs[i]) ? plan : { ...plan, exprs };
    }
    case 'Filter': {
      const predicate = f(plan.predicate);
      return predicate === plan.predicate ? plan : { ...plan, predicate };
    }
    case 'Join': {
      if (plan.condition === null) return plan;
      const condition = f(plan.condition);
      return condition === plan.condition ? plan : { ...plan, condition };
    }
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'TemporalJoin': {
      const condition = f(plan.condition);
      return condition === plan.condition ? plan : { ...plan, condition };
    }
    case 'Values': {
      const rows = plan.rows.map((r) => r.map(f));
      return rows.every((r, i) => r.every((e, j) => e === plan.rows[i]?.[j])) ? plan : { ...plan, rows };
    }
    case 'Scan':
    case 'Aggregate':
    case 'Union':
    case 'SetOp':
    case 'Sort':
    case 'Over':
    case 'TopN':
    case 'Deduplicate':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'MatchRecognize':
      return plan;
    default: {
      const unreachable: never = plan;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/** Applies `f` to every node bottom-up (inputs first); `f` returns the replacement. */
export function transformUp(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const kids = children(plan);
  const next = kids.map((c) => transformUp(c, f));
  const rebuilt = next.every((c, i) => c === kids[i]) ? plan : withChildren(plan, next);
  return f(rebuilt);
}

/** Rewrites every CorrelatedRef of a plan (and of its nested subquery plans, at their own depth offsets). */
export function mapCorrelated(plan: LogicalPlan, f: (ref: { depth: number; index: number; type: DataType }, nesting: number) => BoundExpr, nesting = 0): LogicalPlan {
  const rewriteExpr = (e: BoundExpr): BoundExpr => mapExpr(e, (x) => {
    if (x.kind === 'CorrelatedRef') return f(x, nesting);
    if (x.kind === 'Subquery') {
      const inner = mapCorrelated(x.plan, f, nesting + 1);
      return inner === x.plan ? x : { ...x, plan: inner };
    }
    return x;
  });
  const kids = children(plan);
  const next = kids.map((c) => mapCorrelated(c, f, nesting));
  const rebuilt = next.every((c, i) => c === kids[i]) ? plan : withChildren(plan, next);
  return mapNodeExprs(rebuilt, rewriteExpr);
}

/** A Project that passes `indexes` of its input through unchanged. */
export function isIdentityProject(exprs: readonly BoundExpr[], inputWidth: number): boolean {
  return exprs.length === inputWidth && exprs.every((e, i) => e.kind === 'InputRef' && e.index === i);
}
