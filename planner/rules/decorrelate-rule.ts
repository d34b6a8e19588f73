// decorrelate: IN / NOT IN / EXISTS / NOT EXISTS / scalar subqueries, correlated or not, into joins and aggregates.
//
// A top-level conjunct of a filter becomes a SEMI join (EXISTS, IN) or an ANTI join
// (NOT EXISTS, NOT IN; NOT IN matches when either side is NULL, which is exactly when
// SQL's NOT IN is not TRUE). Anywhere else a subquery becomes columns of a LEFT join
// with an aggregate of the subquery, from which its value is computed with SQL's
// three-valued logic. Shapes that cannot be rewritten raise 0A000 naming what is missing.

import type { Field } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { BoundExpr, BoundSubquery } from '../bound/expr.js';
import type { AggCall, Filter, LogicalPlan, Project } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { filter } from '../logical/filter.js';
import { join } from '../logical/join.js';
import { project } from '../logical/project.js';
import {
  andAll, andOrNull, call, conjuncts, containsSubquery, FALSE, inputRef, inputRefsOf, isNullable, literal, mapCorrelated,
  mapExpr, planHasSubqueries, planRefersToDepth, transformUp, TRUE,
} from '../binder/bound-utils.js';
import { resolveAggregate } from '../functions/index.js';
import type { Pulled } from './correlation.js';
import {
  atMostOneRow, equalitySides, exactlyOneRow, predsToCondition, pullCorrelation, unsupportedCorrelation,
} from './correlation.js';
import type { Rule } from './rule.js';

export const decorrelateRule: Rule = {
  name: 'decorrelate',
  rewrite(plan) {
    if (!planHasSubqueries(plan)) return { plan, changed: false };
    const out = decorrelate(plan);
    if (planHasSubqueries(out)) {
      throw new SqlError(SqlState.featureNotSupported, 'a subquery in this position is not supported yet', {
        hint: 'Subqueries can appear in WHERE, HAVING, the SELECT list and INNER JOIN conditions.',
      });
    }
    return { plan: out, changed: true };
  },
};

/** Rewrites every subquery of the plan, innermost first. CorrelatedRefs to queries outside `plan` may remain. */
export function decorrelate(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, rewriteNode);
}

function rewriteNode(node: LogicalPlan): LogicalPlan {
  switch (node.kind) {
    case 'Filter':
      return containsSubquery(node.predicate) ? rewriteFilter(node) : node;
    case 'Project':
      return node.exprs.some(containsSubquery) ? rewriteProject(node) : node;
    case 'Join': {
      if (node.condition === null || !containsSubquery(node.condition)) return node;
      if (node.joinType !== 'INNER') throw unsupported(`a subquery in the condition of a ${node.joinType} join`);
      const parts = conjuncts(node.condition);
      const j = join('INNER', node.left, node.right, andOrNull(parts.filter((c) => !containsSubquery(c))));
      return rewriteFilter(filter(j, andAll(parts.filter(containsSubquery))));
    }
    case 'Values':
      if (node.rows.some((r) => r.some(containsSubquery))) throw unsupported('a subquery in VALUES');
      return node;
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
      return node;
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'TemporalJoin':
      if (containsSubquery(node.condition)) throw unsupported(`a subquery in the condition of a time-bounded join`);
      return node;
    default: {
      const unreachable: never = node;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

function unsupported(what: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${what} is not supported yet`);
}

/** A conjunct that is a whole (possibly negated) EXISTS or IN: a SEMI or ANTI join. */
interface SemiForm {
  readonly sub: BoundSubquery;
  /** NOT EXISTS / NOT IN. */
  readonly anti: boolean;
}

function semiForm(c: BoundExpr): SemiForm | undefined {
  let negate = false;
  let e = c;
  if (e.kind === 'Call' && e.fn === 'not' && e.args.length === 1) {
    negate = true;
    e = e.args[0] as BoundExpr;
  }
  if (e.kind !== 'Subquery' || e.mode === 'scalar') return undefined;
  if (e.operand !== undefined && containsSubquery(e.operand)) return undefined;
  return { sub: e, anti: negate !== e.negated };
}

function rewriteFilter(f: Filter): LogicalPlan {
  const x = f.input;
  const width = x.schema.length;
  const parts = conjuncts(f.predicate);
  const plain = parts.filter((c) => !containsSubquery(c));
  let plan = plain.length > 0 ? filter(x, andAll(plain)) : x;
  const general: BoundExpr[] = [];
  for (const c of parts) {
    if (!containsSubquery(c)) continue;
    const form = semiForm(c);
    if (form === undefined) general.push(c);
    else plan = semiJoin(plan, form);
  }
  if (general.length === 0) return plan;
  const state = { plan };
  const pred = andAll(general.map((c) => replaceSubqueries(c, state)));
  const filtered = filter(state.plan, pred);
  return filtered.schema.length === width ? filtered : keepPrefix(filtered, width);
}

function rewriteProject(p: Project): LogicalPlan {
  const state = { plan: p.input };
  const exprs = p.exprs.map((e) => (containsSubquery(e) ? replaceSubqueries(e, state) : e));
  return project(state.plan, exprs, p.schema);
}

/** The first `width` columns of `plan`. */
function keepPrefix(plan: LogicalPlan, width: number): LogicalPlan {
  const s = plan.schema;
  const idx = Array.from({ length: width }, (_, i) => i);
  return project(plan, idx.map((i) => inputRef(i, s)), s.slice(0, width));
}

/** The subquery's plan with its own subqueries rewritten, ready to be lifted. */
function prepared(sub: BoundSubquery): LogicalPlan {
  return decorrelate(sub.plan);
}

/**
 * A lifted subquery plan moves one query level out: references that reached past the
 * enclosing query now reach one level less far. None may still reach the enclosing query.
 */
function moveOut(plan: LogicalPlan): LogicalPlan {
  return mapCorrelated(plan, (ref, nesting) => {
    if (ref.depth === nesting + 1) throw unsupportedCorrelation('a reference to the outer query that could not be lifted');
    return ref.depth > nesting + 1 ? { kind: 'CorrelatedRef', depth: ref.depth - 1, index: ref.index, type: ref.type } : { kind: 'CorrelatedRef', ...ref };
  });
}

/** For EXISTS only the rows' existence counts: the subquery's SELECT list (and an order without LIMIT) can go. */
function existenceOnly(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'Project') return existenceOnly(p.input);
  if (p.kind === 'Sort' && p.limit === undefined && p.offset === 0) return existenceOnly(p.input);
  return p;
}

function semiJoin(plan: LogicalPlan, form: SemiForm): LogicalPlan {
  const { sub, anti } = form;
  const p = prepared(sub);
  const width = plan.schema.length;
  if (sub.mode === 'exists') {
    // A global aggregate always returns one row: EXISTS is TRUE whatever it reads.
    if (exactlyOneRow(p)) return anti ? filter(plan, FALSE) : plan;
    const pulled = pullCorrelation(existenceOnly(p), true);
    const right = moveOut(pulled.plan);
    return join(anti ? 'ANTI' : 'SEMI', plan, right, andOrNull(predsToCondition(pulled.preds, width)));
  }
  const pulled = pullCorrelation(p, true);
  if (pulled.emptyRow !== undefined) throw unsupportedCorrelation('an aggregate without GROUP BY under IN');
  const right = moveOut(pulled.plan);
  const x = sub.operand as BoundExpr;
  const v = inputRef(width, [...plan.schema, ...right.schema]);
  const eq = call('=', [x, v], Types.boolean);
  const corr = predsToCondition(pulled.preds, width);
  if (!anti) return join('SEMI', plan, right, andAll([eq, ...corr]));
  // NOT IN is TRUE only when no subquery value equals x and neither x nor any value is NULL.
  const nullTests: BoundExpr[] = [];
  if (isNullable(x, plan.schema)) nullTests.push(call('is_null', [x], Types.boolean));
  if ((right.schema[0] as Field).nullable) nullTests.push(call('is_null', [v], Types.boolean));
  const match = nullTests.reduce((acc, t) => call('or', [acc, t], Types.boolean), eq);
  return join('ANTI', plan, right, andAll([match, ...corr]));
}

/** Replaces each subquery of `e` by an expression over columns joined onto `state.plan`. */
function replaceSubqueries(e: BoundExpr, state: { plan: LogicalPlan }): BoundExpr {
  return mapExpr(e, (x) => (x.kind === 'Subquery' ? attachValue(state, x) : x));
}

const countStar = (name = 'count(*)'): AggCall => ({ fn: 'count_star', args: [], distinct: false, type: Types.bigint, name });
const bigint = Types.bigint;

/** The inner-side columns of lifted equalities; other lifted conditions cannot be grouped on. */
function correlationColumns(preds: readonly BoundExpr[], what: string): number[] {
  const cols: number[] = [];
  for (const p of preds) {
    const sides = equalitySides(p);
    if (sides === undefined) throw unsupportedCorrelation(`a condition on the outer query that is not an equality in ${what} used as a value`);
    for (const c of inputRefsOf(sides.inner)) if (!cols.includes(c)) cols.push(c);
  }
  return cols;
}

function aggregateOf(input: LogicalPlan, keys: readonly number[], aggs: readonly AggCall[]): LogicalPlan {
  const s = input.schema;
  const fields: Field[] = [
    ...keys.map((k): Field => {
      const f = s[k] as Field;
      return { name: f.name, type: f.type, nullable: f.nullable };
    }),
    ...aggs.map((a): Field => ({ name: a.name, type: a.type, nullable: a.fn !== 'count' && a.fn !== 'count_star' })),
  ];
  return aggregate(input, keys, aggs, fields);
}

/**
 * A scalar subquery that may return several rows: SQL requires an error (21000) when it
 * does. The rows are grouped by the correlation columns under `single_value`, the
 * aggregate that gives a group's only value and raises 21000 on a second one; without that
 * aggregate in the registry the query is rejected.
 */
function checkedScalar(state: { plan: LogicalPlan }, pulled: Pulled, width: number): BoundExpr {
  const inner = moveOut(pulled.plan);
  const v = inner.schema[0] as Field;
  const r = resolveAggregate('single_value', [v.type], false);
  if (r === undefined) {
    throw new SqlError(SqlState.featureNotSupported, 'a scalar subquery that may return more than one row is not supported yet', {
      hint: 'Make it return one row: use an aggregate such as max(...), or LIMIT 1.',
    });
  }
  const cols = correlationColumns(pulled.preds, 'a scalar subquery');
  const single: AggCall = { fn: r.fn, args: [0], distinct: false, type: r.returnType, name: `single_value(${v.name})` };
  // Grouped by the correlation columns (the value column among them or not): one row per enclosing match.
  const keys = cols;
  const right = aggregateOf(inner, keys, [single]);
  state.plan = join('LEFT', state.plan, right, andOrNull(predsToCondition(pulled.preds, width, (j) => keys.indexOf(j))));
  return inputRef(width + keys.length, state.plan.schema);
}

function attachValue(state: { plan: LogicalPlan }, sub: BoundSubquery): BoundExpr {
  const p = prepared(sub);
  const width = state.plan.schema.length;
  const leftJoin = (right: LogicalPlan, cond: readonly BoundExpr[]): void => {
    state.plan = join('LEFT', state.plan, right, andOrNull(cond));
  };
  const col = (i: number): BoundExpr => inputRef(i, state.plan.schema);
  switch (sub.mode) {
    case 'scalar': {
      const pulled = pullCorrelation(p);
      const correlated = pulled.preds.length > 0 || planRefersToDepth(p, 1);
      const single = correlated ? pulled.singleRow : atMostOneRow(pulled.plan);
      if (!single) return checkedScalar(state, pulled, width);
      let right = moveOut(pulled.plan);
      const empty = pulled.emptyRow?.[0];
      const needMarker = empty !== undefined && !(empty.kind === 'Literal' && empty.value === null);
      if (needMarker) {
        const s = right.schema;
        right = project(right, [...s.map((_, i) => inputRef(i, s)), TRUE], [...s, { name: '$matched', type: Types.boolean, nullable: false }]);
      }
      leftJoin(right, predsToCondition(pulled.preds, width));
      const value = col(width);
      if (!needMarker) return value;
      const marker = col(width + right.schema.length - 1);
      return { kind: 'Case', whens: [{ when: call('is_null', [marker], Types.boolean), then: empty as BoundExpr }], else: value, type: value.type };
    }
    case 'exists': {
      if (exactlyOneRow(p)) return sub.negated ? FALSE : TRUE;
      const pulled = pullCorrelation(existenceOnly(p), true);
      const cols = correlationColumns(pulled.preds, 'EXISTS');
      const right = aggregateOf(moveOut(pulled.plan), cols, [countStar()]);
      leftJoin(right, predsToCondition(pulled.preds, width, (j) => cols.indexOf(j)));
      const count = col(width + cols.length);
      const exists = cols.length === 0
        ? call('>', [count, literal(0, bigint)], Types.boolean)
        : call('is_not_null', [count], Types.boolean);
      return sub.negated ? call('not', [exists], Types.boolean) : exists;
    }
    case 'in': {
      // Counting rows and non-NULL values tells the same whatever rows repeat.
      const pulled = pullCorrelation(p, true);
      if (pulled.emptyRow !== undefined) throw unsupportedCorrelation('an aggregate without GROUP BY under IN');
      const cols = correlationColumns(pulled.preds, 'IN');
      const inner = moveOut(pulled.plan);
      const x = sub.operand as BoundExpr;
      const innerSchema = inner.schema;
      const v = inputRef(0, innerSchema);
      // Matches: the distinct non-NULL values per correlation key, joined on equality with x.
      const keys1 = [0, ...cols.filter((c) => c !== 0)];
      const nonNull = filter(inner, call('is_not_null', [v], Types.boolean));
      const r1 = aggregateOf(nonNull, keys1, [countStar()]);
      leftJoin(r1, [
        call('=', [x, inputRef(width, state.plan.schema.concat(r1.schema))], Types.boolean),
        ...predsToCondition(pulled.preds, width, (j) => keys1.indexOf(j)),
      ]);
      const found = call('is_not_null', [col(width + keys1.length)], Types.boolean);
      let value: BoundExpr = found;
      if (isNullable(x, state.plan.schema) || (innerSchema[0] as Field).nullable) {
        // Not found: FALSE when the subquery is empty, NULL when x or some value is NULL, else FALSE.
        const w2 = state.plan.schema.length;
        const r2 = aggregateOf(inner, cols, [countStar(), { fn: 'count', args: [0], distinct: false, type: bigint, name: 'count(value)' }]);
        leftJoin(r2, predsToCondition(pulled.preds, w2, (j) => cols.indexOf(j)));
        const rows = col(w2 + cols.length);
        const nonNullRows = col(w2 + cols.length + 1);
        const empty = call('or', [call('is_null', [rows], Types.boolean), call('=', [rows, literal(0, bigint)], Types.boolean)], Types.boolean);
        const unknown = call('or', [call('is_null', [x], Types.boolean), call('<', [nonNullRows, rows], Types.boolean)], Types.boolean);
        value = {
          kind: 'Case',
          whens: [
            { when: found, then: TRUE },
            { when: empty, then: FALSE },
            { when: unknown, then: literal(null, Types.boolean) },
          ],
          else: FALSE,
          type: Types.boolean,
        };
      }
      return sub.negated ? call('not', [value], Types.boolean) : value;
    }
    default: {
      const unreachable: never = sub.mode;
      throw internalError(`unknown subquery mode ${String(unreachable)}`);
    }
  }
}
