// Query expressions: WITH, the body (SELECT, set operation, VALUES, nested query), ORDER BY, LIMIT and OFFSET; and the binder's entry point.

import type { DataType, Field } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Expr } from '../../parser/ast/expression.js';
import type { OrderItem, Query, QueryBody, Values as ValuesAst } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import { exprText } from '../explain.js';
import type { LogicalPlan, SortKey } from '../logical/index.js';
import { project } from '../logical/project.js';
import { sort } from '../logical/sort.js';
import { values } from '../logical/values.js';
import { containsSubquery, exprEquals, fieldFor, inputRef, isNullable } from './bound-utils.js';
import type { CatalogReader } from './catalog-reader.js';
import { castTo, unifiedType } from './coercion.js';
import type { BindEnv, BoundRelation, QueryLevel } from './context.js';
import { CteScope, exprContext, ParamTypes } from './context.js';
import { invalidColumnReference, notSupported, pgTypeName, positionOf, syntaxMisuse, typeMismatch } from './errors-hints.js';
import { bindExpr, ordinalOf, positionNotInSelectList } from './expressions.js';
import { Scope } from './scope.js';
import { bindSelect } from './select.js';
import { bindSetOperation } from './set-ops.js';

export interface BindQueryOptions {
  /** Types of `$1`, `$2`, ... when the client declared them; the others are inferred. */
  readonly paramTypes?: readonly DataType[];
}

export interface BoundQuery {
  readonly plan: LogicalPlan;
  readonly columnNames: string[];
  /** Every parameter's type, declared or inferred (unknown ones are VARCHAR). */
  readonly paramTypes: DataType[];
  /** The catalog relations the query reads, through views too. */
  readonly relations: string[];
}

/**
 * Binds a query against the catalog: names resolved, types checked, views inlined.
 *
 * @example
 *   const { plan, columnNames } = bindQuery(parseStatement('SELECT auction, count(*) FROM bids GROUP BY 1') as Query, catalog);
 *   explainLogical(plan);
 *   // Project(auction, count(*) AS count)
 *   //   Aggregate(keys=[auction], aggs=[count(*)])
 *   //     Scan(bids)
 */
export function bindQuery(query: Query, catalog: CatalogReader, options: BindQueryOptions = {}): BoundQuery {
  const env = newBindEnv(catalog, options.paramTypes);
  const r = bindQueryAt(query, { env, outer: undefined, ctes: undefined });
  return { plan: r.plan, columnNames: [...r.names], paramTypes: env.params.all(), relations: [...env.relations] };
}

export function newBindEnv(catalog: CatalogReader, paramTypes?: readonly DataType[]): BindEnv {
  return { catalog, params: new ParamTypes(paramTypes), viewStack: [], relations: new Set(), bindQuery: (q, level) => bindQueryAt(q, level) };
}

/**
 * A query at `level`. `columnHints` types untyped parameters of a VALUES body
 * (INSERT ... VALUES ($1, $2) takes the target columns' types).
 */
export function bindQueryAt(query: Query, level: QueryLevel, columnHints?: readonly DataType[]): BoundRelation {
  const here = query.with === undefined ? level : withCtes(query, level);
  let plan: LogicalPlan;
  let names: readonly string[];
  let keys: readonly SortKey[] = [];
  let hidden = 0;
  if (query.body.kind === 'Select') {
    const s = bindSelect(query.body, here, query.orderBy);
    ({ plan, names } = s);
    keys = s.sortKeys;
    hidden = s.hidden;
  } else {
    const b = bindBody(query.body, here, columnHints);
    ({ plan, names } = b);
    if (query.orderBy.length > 0) {
      const o = orderOutput(query.orderBy, b, here);
      plan = o.plan;
      keys = o.keys;
      hidden = plan.schema.length - names.length;
    }
  }
  const limit = query.limit === undefined ? undefined : constantCount(query.limit, 'LIMIT', here);
  const offset = query.offset === undefined ? undefined : constantCount(query.offset, 'OFFSET', here);
  if (keys.length > 0 || limit !== undefined || (offset ?? 0) > 0) plan = sort(plan, keys, offset ?? 0, limit);
  if (hidden > 0) {
    const s = plan.schema;
    plan = project(plan, names.map((_, i) => inputRef(i, s)), s.slice(0, names.length));
  }
  return { plan, names };
}

function withCtes(query: Query, level: QueryLevel): QueryLevel {
  const w = query.with;
  if (w === undefined) return level;
  if (w.recursive) throw notSupported('WITH RECURSIVE', query.span);
  const entries = new Map<string, BoundRelation>();
  let ctes = level.ctes;
  for (const cte of w.ctes) {
    const name = cte.name.value;
    if (entries.has(name)) throw new SqlError('42712', `WITH query name "${name}" specified more than once`, positionOf(cte.name.span));
    // Each CTE sees the ones before it, and is bound once: every reference shares its plan.
    const bound = bindQueryAt(cte.query, { ...level, ctes });
    const names = [...bound.names];
    const cols = cte.columns ?? [];
    if (cols.length > names.length) {
      throw invalidColumnReference(`WITH query "${name}" has ${names.length} columns available but ${cols.length} columns specified`, cte.name.span);
    }
    cols.forEach((c, i) => {
      names[i] = c.value;
    });
    entries.set(name, { plan: bound.plan, names });
    ctes = new CteScope(level.ctes, new Map(entries));
  }
  return { ...level, ctes };
}

function bindBody(body: QueryBody, level: QueryLevel, columnHints?: readonly DataType[]): BoundRelation {
  switch (body.kind) {
    case 'Select': {
      const s = bindSelect(body, level, []);
      return { plan: s.plan, names: s.names };
    }
    case 'SetOperation':
      return bindSetOperation(body, level, (b, l) => bindBody(b, l));
    case 'Values':
      return bindValues(body, level, columnHints);
    case 'NestedQuery':
      return bindQueryAt(body.query, level, columnHints);
    default: {
      const unreachable: never = body;
      throw internalError(`unknown query body ${(unreachable as QueryBody).kind}`);
    }
  }
}

/** VALUES: rows of equal length, each column unified to one type; columns are named column1, column2, ... */
function bindValues(v: ValuesAst, level: QueryLevel, columnHints?: readonly DataType[]): BoundRelation {
  const ctx = exprContext(level, Scope.empty(), [], 'VALUES');
  const width = v.rows[0]?.length ?? 0;
  const rows = v.rows.map((r) => {
    if (r.length !== width) throw syntaxMisuse('VALUES lists must all be the same length', r[0]?.span ?? v.span);
    return r.map((e, i) => {
      const b = bindExpr(e, ctx, columnHints?.[i]);
      if (containsSubquery(b)) throw notSupported('a subquery in VALUES', e.span ?? v.span);
      return b;
    });
  });
  const types = Array.from({ length: width }, (_, i) => unifiedType(rows.map((r) => (r[i] as BoundExpr).type), 'VALUES', v.span));
  const cast = rows.map((r) => r.map((e, i) => castTo(e, types[i] as DataType)));
  const names = types.map((_, i) => `column${i + 1}`);
  const fields: Field[] = types.map((type, i) => ({ name: names[i] as string, type, nullable: cast.some((r) => isNullable(r[i] as BoundExpr, [])) }));
  return { plan: values(cast, fields), names };
}

/**
 * ORDER BY over a set operation or VALUES: output columns by position or name, or
 * expressions over them (appended as hidden columns).
 */
function orderOutput(items: readonly OrderItem[], b: BoundRelation, level: QueryLevel): { plan: LogicalPlan; keys: SortKey[] } {
  const schema = b.plan.schema;
  const scope = Scope.forRelation(undefined, b.names, schema);
  const ctx = exprContext(level, scope, schema, 'ORDER BY');
  const hidden: BoundExpr[] = [];
  const keys = items.map((o): SortKey => {
    const descending = o.direction === 'DESC';
    const nullsFirst = o.nulls === undefined ? descending : o.nulls === 'FIRST';
    return { index: outputIndex(o.expr, b, ctx, hidden), descending, nullsFirst };
  });
  if (hidden.length === 0) return { plan: b.plan, keys };
  const exprs = [...schema.map((_, i) => inputRef(i, schema)), ...hidden];
  const fields = [...schema, ...hidden.map((e) => fieldFor(exprText(e, schema), e, schema))];
  return { plan: project(b.plan, exprs, fields), keys };
}

function outputIndex(e: Expr, b: BoundRelation, ctx: ReturnType<typeof exprContext>, hidden: BoundExpr[]): number {
  const ord = ordinalOf(e);
  if (ord !== undefined) {
    if (ord < 1 || ord > b.names.length) throw positionNotInSelectList('ORDER BY', ord, e.span);
    return ord - 1;
  }
  if (e.kind === 'ColumnRef' && e.parts.length === 1) {
    const name = e.parts[0]?.value;
    const hits = b.names.flatMap((n, i) => (n === name ? [i] : []));
    if (hits.length > 1) throw new SqlError(SqlState.ambiguousColumn, `ORDER BY "${name ?? ''}" is ambiguous`, positionOf(e.span));
    if (hits.length === 1) return hits[0] as number;
  }
  const bound = bindExpr(e, ctx);
  if (bound.kind === 'InputRef') return bound.index;
  let h = hidden.findIndex((x) => exprEquals(x, bound));
  if (h < 0) {
    hidden.push(bound);
    h = hidden.length - 1;
  }
  return b.names.length + h;
}

/** LIMIT / OFFSET: a non-negative integer constant (LIMIT NULL and LIMIT ALL mean no limit). */
function constantCount(e: Expr, clause: 'LIMIT' | 'OFFSET', level: QueryLevel): number | undefined {
  const b = bindExpr(e, exprContext(level, Scope.empty(), [], clause));
  if (b.kind !== 'Literal') throw notSupported(`${clause} with an expression that is not a constant`, e.span);
  const v = b.value;
  if (v === null) return clause === 'LIMIT' ? undefined : 0;
  let n: number | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = v;
  else if (v instanceof Decimal && v.scale === 0) n = Number(v.unscaled);
  if (n === undefined) throw typeMismatch(`argument of ${clause} must be type bigint, not type ${pgTypeName(b.type)}`, e.span);
  if (n < 0) {
    throw new SqlError(clause === 'LIMIT' ? '2201W' : '2201X', `${clause} must not be negative`, positionOf(e.span));
  }
  return n;
}
