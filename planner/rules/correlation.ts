// Pulling correlated predicates out of a subquery's plan, so the subquery can become the right side of a join.
//
// A subquery plan P reads the enclosing row through CorrelatedRef(depth 1). `pullCorrelation`
// returns P' (P's columns, then any extra columns the lifted predicates need) and the
// predicates it lifted, written over a virtual row: CorrelatedRef(1, i) is the enclosing
// row's column i, InputRef(j) is P' column j. Joining the enclosing row with P' on those
// predicates gives, per enclosing row, exactly the rows P would have produced for it.

import type { Field } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { BoundExpr } from '../bound/expr.js';
import type { AggCall, LogicalPlan } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { filter } from '../logical/filter.js';
import { join } from '../logical/join.js';
import { project } from '../logical/project.js';
import {
  andAll, conjuncts, inputRef, inputRefsOf, literal, mapExpr, planRefersToDepth, refersToDepth, remapInputs,
  substituteInputs,
} from '../binder/bound-utils.js';

export interface Pulled {
  readonly plan: LogicalPlan;
  /** Lifted conditions over [enclosing row (CorrelatedRef depth 1) | plan's row (InputRef)]. */
  readonly preds: readonly BoundExpr[];
  /**
   * Set when a global aggregate (no GROUP BY) under the lifted predicates had to be
   * grouped by the correlation columns: what P's columns would be for an enclosing row
   * that matches no input row (COUNT gives 0, other aggregates NULL).
   */
  readonly emptyRow?: readonly BoundExpr[];
  /** At most one row of `plan` matches the lifted predicates for any enclosing row. */
  readonly singleRow: boolean;
}

export function unsupportedCorrelation(what: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `correlated subquery with ${what} is not supported yet`, {
    hint: 'Rewrite the subquery as a join, or move the reference to the outer query into its WHERE clause.',
  });
}

/**
 * `setContext`: the caller only asks whether rows exist or which values occur (EXISTS, IN),
 * so the lifted plan may repeat rows. That lets a SEMI join whose condition reads the outer
 * query become an INNER join, whose condition can be lifted.
 */
export function pullCorrelation(plan: LogicalPlan, setContext = false): Pulled {
  if (!planRefersToDepth(plan, 1)) return { plan, preds: [], singleRow: false };
  switch (plan.kind) {
    case 'Filter': {
      const inner = pullCorrelation(plan.input, setContext);
      const parts = conjuncts(plan.predicate);
      const lifted = parts.filter((c) => refersToDepth(c, 1));
      const rest = parts.filter((c) => !refersToDepth(c, 1));
      // A HAVING over a global aggregate would also have to be decided for enclosing rows that match nothing.
      if (inner.emptyRow !== undefined && parts.length > 0) throw unsupportedCorrelation('a HAVING clause over an ungrouped aggregate');
      const next = rest.length > 0 ? filter(inner.plan, andAll(rest)) : inner.plan;
      return withEmpty({ plan: next, preds: [...inner.preds, ...lifted], singleRow: inner.singleRow }, inner.emptyRow);
    }
    case 'Project': {
      if (plan.exprs.some((e) => refersToDepth(e, 1))) throw unsupportedCorrelation('a reference to the outer query in its SELECT list');
      const inner = pullCorrelation(plan.input, setContext);
      const needed = [...new Set(inner.preds.flatMap((p) => [...inputRefsOf(p)]))].sort((a, b) => a - b);
      const exprs = [...plan.exprs];
      const fields: Field[] = [...plan.schema];
      const at = new Map<number, number>();
      for (const c of needed) {
        const existing = exprs.findIndex((e) => e.kind === 'InputRef' && e.index === c);
        if (existing >= 0) at.set(c, existing);
        else {
          at.set(c, exprs.length);
          exprs.push(inputRef(c, inner.plan.schema));
          fields.push(inner.plan.schema[c] as Field);
        }
      }
      const preds = inner.preds.map((p) => remapInputs(p, (i) => at.get(i) as number));
      const emptyRow = inner.emptyRow === undefined ? undefined : plan.exprs.map((e) => substituteInputs(e, inner.emptyRow as BoundExpr[]));
      return withEmpty({ plan: project(inner.plan, exprs, fields), preds, singleRow: inner.singleRow }, emptyRow);
    }
    case 'Aggregate':
      return pullThroughAggregate(plan);
    case 'Join':
      return pullThroughJoin(plan, setContext);
    case 'Sort': {
      if (plan.limit !== undefined || plan.offset !== 0) throw unsupportedCorrelation('LIMIT or OFFSET');
      // Without LIMIT, a subquery's order means nothing.
      return pullCorrelation(plan.input, setContext);
    }
    case 'Union':
      throw unsupportedCorrelation('UNION');
    case 'SetOp':
      throw unsupportedCorrelation(plan.op);
    case 'Over':
      throw unsupportedCorrelation('window functions');
    case 'TopN':
    case 'Deduplicate':
      throw unsupportedCorrelation('a top-N or deduplication');
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'WindowJoin':
    case 'IntervalJoin':
      throw unsupportedCorrelation('windows');
    case 'MatchRecognize':
      throw unsupportedCorrelation('MATCH_RECOGNIZE');
    case 'TemporalJoin':
      throw unsupportedCorrelation('FOR SYSTEM_TIME AS OF');
    case 'Scan':
    case 'Values':
      throw unsupportedCorrelation('a reference to the outer query in VALUES');
    default: {
      const unreachable: never = plan;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

function withEmpty(p: Pulled, emptyRow: readonly BoundExpr[] | undefined): Pulled {
  return emptyRow === undefined ? p : { ...p, emptyRow };
}

/** An equality `inner = outer` where one side reads only the subquery's row and the other only enclosing rows. */
export function equalitySides(p: BoundExpr): { inner: BoundExpr; outer: BoundExpr } | undefined {
  if (p.kind !== 'Call' || p.fn !== '=' || p.args.length !== 2) return undefined;
  const [a, b] = p.args as [BoundExpr, BoundExpr];
  const innerOnly = (e: BoundExpr) => !refersToDepth(e, 1) && inputRefsOf(e).size > 0;
  const outerOnly = (e: BoundExpr) => inputRefsOf(e).size === 0;
  if (innerOnly(a) && outerOnly(b)) return { inner: a, outer: b };
  if (innerOnly(b) && outerOnly(a)) return { inner: b, outer: a };
  return undefined;
}

/**
 * Below an aggregate, the lifted predicates must be equalities on the subquery's side:
 * grouping additionally by the columns they read gives one group per enclosing value.
 * The output keeps the aggregate's columns first; the added keys follow.
 */
function pullThroughAggregate(plan: LogicalPlan & { kind: 'Aggregate' }): Pulled {
  if (plan.groupingSets !== undefined) throw unsupportedCorrelation('GROUPING SETS');
  const inner = pullCorrelation(plan.input);
  if (inner.emptyRow !== undefined) throw unsupportedCorrelation('nested aggregates');
  const cols: number[] = [];
  for (const p of inner.preds) {
    const sides = equalitySides(p);
    if (sides === undefined || !injectiveColumn(sides.inner)) throw unsupportedCorrelation('a condition on the outer query that is not an equality below an aggregate');
    for (const c of inputRefsOf(sides.inner)) if (!cols.includes(c)) cols.push(c);
  }
  const extra = cols.filter((c) => !plan.groupKeys.includes(c));
  const keys = [...plan.groupKeys, ...extra];
  const inSchema = inner.plan.schema;
  const k = plan.groupKeys.length;
  const a = plan.aggs.length;
  const schema: Field[] = [
    ...plan.schema.slice(0, k),
    ...extra.map((c): Field => {
      const f = inSchema[c] as Field;
      return { name: f.name, type: f.type, nullable: f.nullable };
    }),
    ...plan.schema.slice(k),
  ];
  const grouped = aggregate(inner.plan, keys, plan.aggs, schema);
  // Back to the aggregate's own layout (keys, calls), with the added keys after them.
  const order = [...range(0, k), ...range(k + extra.length, k + extra.length + a), ...range(k, k + extra.length)];
  const reordered = project(grouped, order.map((i) => inputRef(i, schema)), order.map((i) => schema[i] as Field));
  const position = (c: number): number => {
    const key = plan.groupKeys.indexOf(c);
    return key >= 0 ? key : k + a + extra.indexOf(c);
  };
  const preds = inner.preds.map((p) => remapInputs(p, position));
  const wasGlobal = plan.groupKeys.length === 0;
  const emptyRow = wasGlobal ? plan.aggs.map(emptyValue) : undefined;
  return withEmpty({ plan: reordered, preds, singleRow: wasGlobal }, emptyRow);
}

/** What an aggregate gives over no rows: COUNT 0, everything else NULL. */
function emptyValue(a: AggCall): BoundExpr {
  return a.fn === 'count' || a.fn === 'count_star' ? literal(0, a.type) : literal(null, a.type);
}

/** A column, or a widening cast of one: distinct values stay distinct, so grouping by the column is exact. */
function injectiveColumn(e: BoundExpr): boolean {
  if (e.kind === 'InputRef') return true;
  return e.kind === 'Cast' && !e.try && e.operand.kind === 'InputRef';
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/**
 * INNER joins lift from both sides and from their condition; LEFT, SEMI and ANTI
 * joins only from their left side (the right side's rows are not all kept).
 */
function pullThroughJoin(plan: LogicalPlan & { kind: 'Join' }, setContext: boolean): Pulled {
  const lw = plan.left.schema.length;
  const rw = plan.right.schema.length;
  if (plan.joinType === 'SEMI' && setContext && (planRefersToDepth(plan.right, 1) || (plan.condition !== null && refersToDepth(plan.condition, 1)))) {
    // Repeated rows do not matter here: the SEMI join's matches, as an INNER join, with the right columns after the left ones.
    return pullThroughJoin(join('INNER', plan.left, plan.right, plan.condition), setContext);
  }
  if (plan.joinType === 'INNER') {
    const l = pullCorrelation(plan.left, setContext);
    const r = pullCorrelation(plan.right, setContext);
    if (l.emptyRow !== undefined || r.emptyRow !== undefined) throw unsupportedCorrelation('an aggregate joined to other relations');
    const lx = l.plan.schema.length - lw;
    const parts = plan.condition === null ? [] : conjuncts(plan.condition);
    const lifted = parts.filter((c) => refersToDepth(c, 1));
    const rest = parts.filter((c) => !refersToDepth(c, 1));
    // In the new join, right columns sit after the left side's extra columns.
    const shiftRight = (i: number) => (i < lw ? i : i + lx);
    const cond = rest.length === 0 ? null : andAll(rest.map((c) => remapInputs(c, shiftRight)));
    const joined = join('INNER', l.plan, r.plan, cond);
    const rx = r.plan.schema.length - rw;
    // Restore [left, right] as the prefix: [left, right, left extras, right extras].
    const order = [...range(0, lw), ...range(lw + lx, lw + lx + rw), ...range(lw, lw + lx), ...range(lw + lx + rw, lw + lx + rw + rx)];
    const js = joined.schema;
    const out = order.length === js.length && order.every((v, i) => v === i) ? joined : project(joined, order.map((i) => inputRef(i, js)), order.map((i) => js[i] as Field));
    const leftPos = (i: number) => (i < lw ? i : lw + rw + (i - lw));
    const rightPos = (j: number) => (j < rw ? lw + j : lw + rw + lx + (j - rw));
    const preds = [
      ...l.preds.map((p) => remapInputs(p, leftPos)),
      ...r.preds.map((p) => remapInputs(p, rightPos)),
      ...lifted,
    ];
    return { plan: out, preds, singleRow: false };
  }
  if (plan.joinType === 'LEFT' || plan.joinType === 'SEMI' || plan.joinType === 'ANTI') {
    if (planRefersToDepth(plan.right, 1) || (plan.condition !== null && refersToDepth(plan.condition, 1))) {
      throw unsupportedCorrelation(`a reference to the outer query inside a ${plan.joinType} join's right side or condition`);
    }
    const l = pullCorrelation(plan.left, setContext);
    if (l.emptyRow !== undefined) throw unsupportedCorrelation('an aggregate joined to other relations');
    const lx = l.plan.schema.length - lw;
    const cond = plan.condition === null ? null : remapInputs(plan.condition, (i) => (i < lw ? i : i + lx));
    const joined = join(plan.joinType, l.plan, plan.right, cond);
    if (plan.joinType !== 'LEFT' || lx === 0) return { plan: joined, preds: l.preds, singleRow: false };
    const js = joined.schema;
    const order = [...range(0, lw), ...range(lw + lx, lw + lx + rw), ...range(lw, lw + lx)];
    const out = project(joined, order.map((i) => inputRef(i, js)), order.map((i) => js[i] as Field));
    const leftPos = (i: number) => (i < lw ? i : lw + rw + (i - lw));
    return { plan: out, preds: l.preds.map((p) => remapInputs(p, leftPos)), singleRow: false };
  }
  throw unsupportedCorrelation(`a reference to the outer query inside a ${plan.joinType} join`);
}

/**
 * The lifted predicates as a join condition over [left row (whose prefix is the enclosing
 * row) | right row]: InputRef j moves past the left row, CorrelatedRef(1, i) becomes the
 * left column i, deeper references move one level closer.
 */
export function predsToCondition(preds: readonly BoundExpr[], leftWidth: number, rightPos: (j: number) => number = (j) => j): BoundExpr[] {
  return preds.map((p) => mapExpr(p, (x) => {
    if (x.kind === 'InputRef') return { ...x, index: leftWidth + rightPos(x.index) };
    if (x.kind === 'CorrelatedRef') return x.depth === 1 ? { kind: 'InputRef', index: x.index, type: x.type } : { ...x, depth: x.depth - 1 };
    return x;
  }));
}

/** Whether a (decorrelated) plan can only ever produce at most one row. */
export function atMostOneRow(plan: LogicalPlan): boolean {
  switch (plan.kind) {
    case 'Project':
    case 'Filter':
      return atMostOneRow(plan.input);
    case 'Sort':
      return (plan.limit !== undefined && plan.limit <= 1) || atMostOneRow(plan.input);
    case 'Aggregate':
      return plan.groupKeys.length === 0 && plan.groupingSets === undefined;
    case 'Values':
      return plan.rows.length <= 1;
    default:
      return false;
  }
}

/** Whether a plan always produces exactly one row (a global aggregate under projections). */
export function exactlyOneRow(plan: LogicalPlan): boolean {
  switch (plan.kind) {
    case 'Project':
      return exactlyOneRow(plan.input);
    case 'Sort':
      return plan.offset === 0 && (plan.limit === undefined || plan.limit >= 1) && exactlyOneRow(plan.input);
    case 'Aggregate':
      return plan.groupKeys.length === 0 && plan.groupingSets === undefined;
    case 'Values':
      return plan.rows.length === 1;
    default:
      return false;
  }
}
