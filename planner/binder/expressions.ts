// Binding scalar expressions: names to columns (and outer columns), operators and functions through the registry, casts, subqueries, aggregate and window calls.

import type { DataType } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type {
  Between, Case, Cast, ColumnRef, Expr, FunctionCall, InList, InSubquery, Like,
} from '../../parser/ast/expression.js';
import type { Span } from '../../parser/ast/node.js';
import type { Query } from '../../parser/ast/query.js';
import { printExpr } from '../../parser/printer/index.js';
import type { BoundExpr, BoundSubquery } from '../bound/expr.js';
import {
  canCast, comparisonSupertype, dataTypeFromTypeName, isAggregateFunction, resolveAggregate,
} from '../functions/index.js';
import { project } from '../logical/project.js';
import type { PendingSortKey } from './aggregates.js';
import { call, exprEquals, inputRef, isNullable, literal } from './bound-utils.js';
import { castTo, requireBoolean, resolveCall, undefinedFunction, unify } from './coercion.js';
import type { BoundRelation, ExprContext } from './context.js';
import {
  cannotCast, groupingError, invalidColumnReference, missingFromEntry, notSupported, positionOf,
  syntaxMisuse, undefinedColumn,
} from './errors-hints.js';
import { bindIntervalLiteral, bindLiteral, bindTypedLiteral, numberLiteral } from './literals.js';
import type { ScopeColumn } from './scope.js';
import { bindWindowCall } from './window-calls.js';

/**
 * Binds `ast` in `ctx`. `hint` is the type the surrounding construct expects, used
 * only to type a parameter whose type is not known yet.
 */
export function bindExpr(ast: Expr, ctx: ExprContext, hint?: DataType): BoundExpr {
  const g = ctx.grouping;
  // Over an Aggregate, an expression that is a GROUP BY item reads that key's column.
  if (g !== undefined && groupable(ast)) {
    const asInput = bindExpr(ast, g.inputCtx, hint);
    const k = g.keyIndexOf(asInput);
    if (k >= 0) return g.keyRef(k);
  }
  switch (ast.kind) {
    case 'Literal':
      return bindLiteral(ast);
    case 'IntervalLiteral':
      return bindIntervalLiteral(ast);
    case 'TypedLiteral':
      return bindTypedLiteral(ast);
    case 'ColumnRef':
      return bindColumnRef(ast, ctx);
    case 'Parameter': {
      if (ast.index < 1) throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${ast.index}`, positionOf(ast.span));
      const type = ctx.level.env.params.resolve(ast.index - 1, hint);
      return { kind: 'ParamRef', index: ast.index - 1, type };
    }
    case 'UnaryOp': {
      if (ast.op === 'NOT') {
        const operand = requireBoolean(bindExpr(ast.operand, ctx, Types.boolean), 'NOT', ast.operand.span);
        return call('not', [operand], Types.boolean);
      }
      if (ast.operand.kind === 'Literal' && ast.operand.value.type === 'number') {
        return numberLiteral(ast.operand.value.text, ast.op === '-', ast.span);
      }
      const operand = bindExpr(ast.operand, ctx, hint);
      const negated = resolveCall('neg', [operand], ast.span);
      // Unary plus accepts exactly what unary minus accepts, and changes nothing.
      return ast.op === '+' ? operand : negated;
    }
    case 'BinaryOp': {
      if (ast.op === 'AND' || ast.op === 'OR') {
        const l = requireBoolean(bindExpr(ast.left, ctx, Types.boolean), ast.op, ast.left.span);
        const r = requireBoolean(bindExpr(ast.right, ctx, Types.boolean), ast.op, ast.right.span);
        return call(ast.op === 'AND' ? 'and' : 'or', [l, r], Types.boolean);
      }
      const [l, r] = bindPair(ast.left, ast.right, ctx);
      return resolveCall(ast.op === '||' ? 'concat' : ast.op, [l, r], ast.span);
    }
    case 'IsNull': {
      const operand = bindExpr(ast.operand, ctx);
      return resolveCall(ast.negated ? 'is_not_null' : 'is_null', [operand], ast.span);
    }
    case 'IsTruth': {
      const operand = requireBoolean(bindExpr(ast.operand, ctx, Types.boolean), `IS ${truthWord(ast.value)}`, ast.operand.span);
      const fn = `is_${ast.negated ? 'not_' : ''}${ast.value === null ? 'unknown' : ast.value ? 'true' : 'false'}`;
      return resolveCall(fn, [operand], ast.span);
    }
    case 'IsDistinctFrom': {
      const [l, r] = bindPair(ast.left, ast.right, ctx);
      return resolveCall(ast.negated ? 'is_not_distinct_from' : 'is_distinct_from', [l, r], ast.span);
    }
    case 'Between':
      return bindBetween(ast, ctx);
    case 'InList':
      return bindInList(ast, ctx);
    case 'InSubquery':
      return bindInSubquery(ast, ctx);
    case 'Like':
      return bindLike(ast, ctx);
    case 'Exists': {
      const sub = bindSubquery(ast.query, ctx);
      const e: BoundSubquery = { kind: 'Subquery', mode: 'exists', plan: sub.plan, negated: false, type: Types.boolean };
      return e;
    }
    case 'ScalarSubquery': {
      const sub = bindSubquery(ast.query, ctx);
      const f = sub.plan.schema[0];
      if (f === undefined || sub.plan.schema.length !== 1) throw syntaxMisuse('subquery must return only one column', ast.span);
      const e: BoundSubquery = { kind: 'Subquery', mode: 'scalar', plan: sub.plan, negated: false, type: f.type };
      return e;
    }
    case 'Case':
      return bindCase(ast, ctx);
    case 'Cast':
      return bindCast(ast, ctx);
    case 'FunctionCall':
      return bindFunctionCall(ast, ctx);
    case 'Extract': {
      const source = bindExpr(ast.source, ctx);
      return resolveCall(`extract_${ast.field.toLowerCase()}`, [source], ast.span, `extract(${ast.field.toLowerCase()} from ...)`);
    }
    case 'Trim': {
      const source = bindExpr(ast.source, ctx, Types.string);
      const args = ast.chars === undefined ? [source] : [source, bindExpr(ast.chars, ctx, Types.string)];
      const fn = ast.where === 'BOTH' ? 'btrim' : ast.where === 'LEADING' ? 'ltrim' : 'rtrim';
      return resolveCall(fn, args, ast.span);
    }
    case 'Substring': {
      const source = bindExpr(ast.source, ctx, Types.string);
      const from = ast.from === undefined ? literal(1, Types.int) : bindExpr(ast.from, ctx, Types.bigint);
      const args = ast.for === undefined ? [source, from] : [source, from, bindExpr(ast.for, ctx, Types.bigint)];
      return resolveCall('substring', args, ast.span);
    }
    case 'Position': {
      const needle = bindExpr(ast.needle, ctx, Types.string);
      const haystack = bindExpr(ast.haystack, ctx, Types.string);
      return resolveCall('position', [needle, haystack], ast.span);
    }
    case 'Overlay': {
      const args = [
        bindExpr(ast.source, ctx, Types.string),
        bindExpr(ast.placing, ctx, Types.string),
        bindExpr(ast.from, ctx, Types.bigint),
        ...(ast.for === undefined ? [] : [bindExpr(ast.for, ctx, Types.bigint)]),
      ];
      return resolveCall('overlay', args, ast.span);
    }
    case 'RowConstructor':
      return resolveCall('row', ast.items.map((i) => bindExpr(i, ctx)), ast.span);
    case 'ArrayConstructor':
      return resolveCall('array', ast.items.map((i) => bindExpr(i, ctx)), ast.span);
    case 'Subscript': {
      const operand = bindExpr(ast.operand, ctx);
      const index = bindExpr(ast.index, ctx, operand.type.kind === 'MAP' ? operand.type.key : Types.int);
      return resolveCall('item', [operand, index], ast.span);
    }
    case 'FieldAccess': {
      const operand = bindExpr(ast.operand, ctx);
      const name = ast.field.value;
      const at = operand.type.kind === 'ROW' ? operand.type.fields.findIndex((f) => f.name === name) : -1;
      if (at < 0) {
        throw new SqlError(SqlState.undefinedColumn, `column "${name}" not found in data type ${operand.type.kind.toLowerCase()}`, positionOf(ast.field.span ?? ast.span));
      }
      return resolveCall('field_access', [operand, literal(at, Types.int)], ast.span);
    }
    case 'NavigationSemantics':
      throw syntaxMisuse(`${ast.semantics} can only be used in MATCH_RECOGNIZE`, ast.span);
    default: {
      const unreachable: never = ast;
      throw internalError(`unknown expression ${(unreachable as Expr).kind}`);
    }
  }
}

function truthWord(v: boolean | null): string {
  return v === null ? 'UNKNOWN' : v ? 'TRUE' : 'FALSE';
}

/** Binds two operands; an untyped parameter on one side takes the other side's type. */
function bindPair(left: Expr, right: Expr, ctx: ExprContext): [BoundExpr, BoundExpr] {
  if (isUntypedParam(left, ctx) && !isUntypedParam(right, ctx)) {
    const r = bindExpr(right, ctx);
    return [bindExpr(left, ctx, r.type), r];
  }
  const l = bindExpr(left, ctx);
  return [l, bindExpr(right, ctx, l.type)];
}

function isUntypedParam(e: Expr, ctx: ExprContext): boolean {
  return e.kind === 'Parameter' && ctx.level.env.params.known(e.index - 1) === undefined;
}

// ------------------------------------------------------------------ columns

function bindColumnRef(ast: ColumnRef, ctx: ExprContext): BoundExpr {
  const parts = ast.parts.map((p) => p.value);
  const name = parts[parts.length - 1] as string;
  let c: ExprContext | undefined = ctx;
  let depth = 0;
  let qualifierFound = false;
  while (c !== undefined) {
    let hit: ScopeColumn | undefined;
    if (parts.length === 1) {
      hit = c.scope.resolveBare(name, ast.span);
    } else {
      const full = parts.slice(0, -1).join('.');
      let r = c.scope.resolveQualified(full, name, ast.span);
      // `schema.table.column`: the FROM item is known by its table name alone.
      if (r.kind === 'no-qualifier' && parts.length > 2) r = c.scope.resolveQualified(parts[parts.length - 2] as string, name, ast.span);
      if (r.kind === 'found') hit = r.column;
      else if (r.kind === 'none') qualifierFound = true;
    }
    if (hit !== undefined) return depth === 0 ? columnHere(c, hit, ast) : columnOuter(c, hit, depth, ast);
    // PostgreSQL stops at the nearest query level that has the qualifier.
    if (qualifierFound) break;
    c = c.level.outer;
    depth++;
  }
  const written = parts.join('.');
  if (parts.length > 1 && !qualifierFound) {
    throw missingFromEntry(parts.slice(0, -1).join('.'), ast.parts[0]?.span ?? ast.span);
  }
  const candidates: { qualifier?: string; name: string }[] = [];
  for (let x: ExprContext | undefined = ctx; x !== undefined; x = x.level.outer) candidates.push(...x.scope.candidates());
  throw undefinedColumn(written, ast.span, candidates);
}

/** A column of this query level: over an Aggregate it must be a group key. */
function columnHere(ctx: ExprContext, col: ScopeColumn, ast: ColumnRef): BoundExpr {
  const g = ctx.grouping;
  if (g === undefined) return inputRef(col.index, ctx.schema);
  const k = g.keyIndexOf(inputRef(col.index, ctx.schema));
  if (k >= 0) return g.keyRef(k);
  throw ungrouped(col, ast.span);
}

/** A column of an enclosing query: a CorrelatedRef into the row its expression is evaluated over. */
function columnOuter(outer: ExprContext, col: ScopeColumn, depth: number, ast: ColumnRef): BoundExpr {
  const g = outer.grouping;
  if (g === undefined) return { kind: 'CorrelatedRef', depth, index: col.index, type: col.type };
  const k = g.keyIndexOf(inputRef(col.index, outer.schema));
  if (k < 0) throw ungrouped(col, ast.span);
  return { kind: 'CorrelatedRef', depth, index: k, type: col.type };
}

export function ungrouped(col: ScopeColumn, span: Span | undefined): SqlError {
  const name = col.qualifier === undefined ? col.name : `${col.qualifier}.${col.name}`;
  return groupingError(`column "${name}" must appear in the GROUP BY clause or be used in an aggregate function`, span);
}

/** A column picked by `*` (not written by name): over an Aggregate it must be a group key. */
export function bindScopeColumn(col: ScopeColumn, ctx: ExprContext, span: Span | undefined): BoundExpr {
  const g = ctx.grouping;
  if (g === undefined) return inputRef(col.index, ctx.schema);
  const k = g.keyIndexOf(inputRef(col.index, ctx.schema));
  if (k >= 0) return g.keyRef(k);
  throw ungrouped(col, span);
}

// ------------------------------------------------------------------ predicates

function bindBetween(ast: Between, ctx: ExprContext): BoundExpr {
  const operand = bindExpr(ast.operand, ctx);
  const low = bindExpr(ast.low, ctx, operand.type);
  const high = bindExpr(ast.high, ctx, operand.type);
  const e = resolveCall(ast.symmetric ? 'between_symmetric' : 'between', [operand, low, high], ast.span, 'between');
  return ast.negated ? call('not', [e], Types.boolean) : e;
}

function bindInList(ast: InList, ctx: ExprContext): BoundExpr {
  let operand: BoundExpr;
  let items: BoundExpr[];
  if (isUntypedParam(ast.operand, ctx) && ast.list.length > 0) {
    items = ast.list.map((x) => bindExpr(x, ctx));
    operand = bindExpr(ast.operand, ctx, items[0]?.type);
  } else {
    operand = bindExpr(ast.operand, ctx);
    items = ast.list.map((x) => bindExpr(x, ctx, operand.type));
  }
  const e = resolveCall('in', [operand, ...items], ast.span, 'in');
  return ast.negated ? call('not', [e], Types.boolean) : e;
}

function bindLike(ast: Like, ctx: ExprContext): BoundExpr {
  const operand = bindExpr(ast.operand, ctx, Types.string);
  const pattern = bindExpr(ast.pattern, ctx, Types.string);
  const args = ast.escape === undefined ? [operand, pattern] : [operand, pattern, bindExpr(ast.escape, ctx, Types.string)];
  const fn = ast.op === 'LIKE' ? 'like' : ast.op === 'ILIKE' ? 'ilike' : 'similar_to';
  const e = resolveCall(fn, args, ast.span);
  return ast.negated ? call('not', [e], Types.boolean) : e;
}

// ------------------------------------------------------------------ subqueries

function bindSubquery(query: Query, ctx: ExprContext): BoundRelation {
  const level = ctx.level;
  return level.env.bindQuery(query, { env: level.env, outer: ctx, ctes: level.ctes });
}

function bindInSubquery(ast: InSubquery, ctx: ExprContext): BoundExpr {
  if (ast.operand.kind === 'RowConstructor') throw notSupported('a row value with IN (subquery)', ast.span, 'Compare the columns one by one with EXISTS.');
  const sub = bindSubquery(ast.query, ctx);
  const col = sub.plan.schema[0];
  if (col === undefined || sub.plan.schema.length !== 1) {
    throw syntaxMisuse(sub.plan.schema.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns', ast.query.span ?? ast.span);
  }
  const operand = bindExpr(ast.operand, ctx, col.type);
  const t = comparisonSupertype([operand.type, col.type]);
  if (t === undefined) throw undefinedFunction('=', [operand.type, col.type], ast.span);
  const ct = t.kind === 'NULL' ? Types.string : t;
  let plan = sub.plan;
  const column = castTo(inputRef(0, plan.schema), ct);
  if (column.kind !== 'InputRef') plan = project(plan, [column], [{ name: col.name, type: ct, nullable: isNullable(column, plan.schema) }]);
  const e: BoundSubquery = { kind: 'Subquery', mode: 'in', plan, operand: castTo(operand, ct), negated: ast.negated, type: Types.boolean };
  return e;
}

// ------------------------------------------------------------------ CASE and CAST

function bindCase(ast: Case, ctx: ExprContext): BoundExpr {
  const operand = ast.operand === undefined ? undefined : bindExpr(ast.operand, ctx);
  const whens = ast.whens.map((w) => {
    if (operand !== undefined) {
      const v = bindExpr(w.when, ctx, operand.type);
      return resolveCall('=', [operand, v], w.when.span);
    }
    return requireBoolean(bindExpr(w.when, ctx, Types.boolean), 'CASE/WHEN', w.when.span);
  });
  const thens = ast.whens.map((w) => bindExpr(w.then, ctx));
  const elseExpr = ast.else === undefined ? literal(null, Types.null) : bindExpr(ast.else, ctx);
  const unified = unify([...thens, elseExpr], 'CASE', ast.span);
  const type = (unified[0] as BoundExpr).type;
  return {
    kind: 'Case',
    whens: whens.map((when, i) => ({ when, then: unified[i] as BoundExpr })),
    else: unified[unified.length - 1] as BoundExpr,
    type,
  };
}

function bindCast(ast: Cast, ctx: ExprContext): BoundExpr {
  const target = typeOfName(ast);
  const operand = bindExpr(ast.operand, ctx, target);
  if (!canCast(operand.type, target)) throw cannotCast(operand.type, target, ast.span);
  const same = castTo(operand, target);
  if (same === operand || (same.kind === 'Literal' && operand.kind === 'Literal')) return same;
  return { kind: 'Cast', operand, type: target, try: ast.try };
}

function typeOfName(ast: Cast): DataType {
  try {
    return dataTypeFromTypeName(ast.type);
  } catch (e) {
    const span = ast.type.span ?? ast.span;
    if (e instanceof SqlError && e.position === undefined && span !== undefined) e.position = span.start + 1;
    throw e;
  }
}

// ------------------------------------------------------------------ function calls

const groupWindowFunctions = new Set([
  'tumble', 'hop', 'session', 'cumulate',
  'tumble_start', 'tumble_end', 'tumble_rowtime', 'tumble_proctime',
  'hop_start', 'hop_end', 'hop_rowtime', 'hop_proctime',
  'session_start', 'session_end', 'session_rowtime', 'session_proctime',
]);

/** Functions whose first argument is a unit keyword the parser reads as a column name. */
const unitFirstFunctions = new Set(['timestampadd', 'timestampdiff']);

export function functionName(ast: FunctionCall): string {
  return (ast.name[ast.name.length - 1]?.value ?? '').toLowerCase();
}

function bindFunctionCall(ast: FunctionCall, ctx: ExprContext): BoundExpr {
  const name = functionName(ast);
  if (ast.over !== undefined) return bindWindowCall(ast, name, ctx);
  if (isAggregateFunction(name) || name === 'grouping') return bindAggregateCall(ast, name, ctx);
  if (groupWindowFunctions.has(name)) return bindGroupWindowFunction(ast, name, ctx);
  if (ast.distinct) throw wrongObject(`DISTINCT specified, but ${name} is not an aggregate function`, ast.span);
  if (ast.star) throw wrongObject(`${name}(*) specified, but ${name} is not an aggregate function`, ast.span);
  if (ast.filter !== undefined) throw wrongObject(`FILTER specified, but ${name} is not an aggregate function`, ast.span);
  if (ast.orderBy !== undefined && ast.orderBy.length > 0) throw wrongObject(`ORDER BY specified, but ${name} is not an aggregate function`, ast.span);
  if (name === 'proctime' && ast.args.length === 0) return proctimeCall();
  const args = ast.args.map((a, i) => {
    if (i === 0 && unitFirstFunctions.has(name) && a.kind === 'ColumnRef' && a.parts.length === 1) {
      return literal((a.parts[0] as { value: string }).value.toUpperCase(), Types.string);
    }
    return bindExpr(a, ctx);
  });
  return resolveCall(name, args, ast.span);
}

/**
 * TUMBLE_START(ts, size), HOP_END(...), SESSION_ROWTIME(...), ...: a column of the window
 * the query groups by, which the call must name with the same arguments. The bare
 * window calls belong in GROUP BY only.
 */
function bindGroupWindowFunction(ast: FunctionCall, name: string, ctx: ExprContext): BoundExpr {
  const [base, property] = name.split('_') as [string, string | undefined];
  const written = name.toUpperCase();
  if (property === undefined) {
    throw groupingError(`${written} can only be used in GROUP BY`, ast.span);
  }
  const w = ctx.grouping?.window;
  const g = ctx.grouping;
  if (w === undefined || g === undefined) {
    throw groupingError(`${written} needs GROUP BY ${base.toUpperCase()}(...) in the same query`, ast.span);
  }
  if (w.group.kind !== base.toUpperCase()) {
    throw groupingError(`${written} does not match GROUP BY ${w.group.kind}(...)`, ast.span);
  }
  const args = ast.args.map((a) => bindExpr(a, g.inputCtx));
  if (args.length !== w.group.args.length || !args.every((a, i) => exprEquals(a, w.group.args[i] as BoundExpr))) {
    throw groupingError(`${written} must repeat the arguments of ${w.group.kind} in GROUP BY`, ast.span);
  }
  switch (property) {
    case 'start': return g.keyRef(w.keys[0]);
    case 'end': return g.keyRef(w.keys[1]);
    case 'rowtime':
    case 'proctime': {
      const wanted = property === 'rowtime' ? 'ROWTIME' : 'PROCTIME';
      if (w.group.spec.timeAttribute !== wanted) {
        throw typeMismatchError(`${written} needs a window over ${property === 'rowtime' ? 'event' : 'processing'} time`, ast.span);
      }
      return g.keyRef(w.keys[2]);
    }
    default:
      throw undefinedFunction(name, args.map((a) => a.type), ast.span);
  }
}

function typeMismatchError(message: string, span: Span | undefined): SqlError {
  return new SqlError(SqlState.datatypeMismatch, message, positionOf(span));
}

/** PROCTIME(): the processing-time attribute (Flink types it TIMESTAMP_LTZ(3)). */
export function proctimeCall(): BoundExpr {
  return call('proctime', [], Types.timestampLtz3);
}

function wrongObject(message: string, span: Span | undefined): SqlError {
  return new SqlError('42809', message, positionOf(span));
}

function bindAggregateCall(ast: FunctionCall, name: string, ctx: ExprContext): BoundExpr {
  const g = ctx.grouping;
  if (!ctx.aggregates || g === undefined) {
    if (ctx.nestedIn === 'aggregate') throw groupingError('aggregate function calls cannot be nested', ast.span);
    throw groupingError(`aggregate functions are not allowed in ${ctx.clause}`, ast.span);
  }
  const inner: ExprContext = { ...g.inputCtx, clause: ctx.clause, nestedIn: 'aggregate' };
  const text = callText(ast, name);
  if (name === 'grouping') {
    const keys = ast.args.map((a) => {
      const e = bindExpr(a, inner);
      if (g.keyIndexOf(e) < 0) throw groupingError('arguments to GROUPING must be grouping expressions of the associated query level', a.span ?? ast.span);
      return e;
    });
    if (keys.length === 0) throw syntaxMisuse('GROUPING needs at least one argument', ast.span);
    const r = resolveAggregate('grouping', keys.map((k) => k.type), false);
    return g.addAggregate({ fn: r?.fn ?? 'grouping', args: keys, distinct: false, type: r?.returnType ?? Types.bigint, nullable: false, name: text });
  }
  if (ast.star && ast.distinct) throw syntaxMisuse(`${name}(DISTINCT *) is not allowed`, ast.span);
  let args = ast.star ? [] : ast.args.map((a) => bindExpr(a, inner));
  // LISTAGG(x) separates with ',' (Flink); the registry takes the separator as a second argument.
  if ((name === 'listagg') && args.length === 1) args = [...args, literal(',', Types.string)];
  const r = resolveAggregate(name, args.map((a) => a.type), ast.distinct);
  if (r === undefined) throw undefinedFunction(name, args.map((a) => a.type), ast.span);
  args = args.map((a, i) => castTo(a, r.argTypes[i] ?? a.type));
  const filter = ast.filter === undefined
    ? undefined
    : requireBoolean(bindExpr(ast.filter, { ...inner, clause: 'FILTER' }, Types.boolean), 'FILTER', ast.filter.span);
  const orderBy: PendingSortKey[] | undefined = ast.orderBy?.map((o) => sortKeyOf(o.expr, o.direction, o.nulls, inner));
  return g.addAggregate({
    fn: r.fn,
    args,
    distinct: ast.distinct,
    ...(filter === undefined ? {} : { filter }),
    ...(orderBy === undefined ? {} : { orderBy }),
    type: r.returnType,
    nullable: r.nullable,
    name: text,
  });
}

/** A call as EXPLAIN names its column: `count(*)`, `sum(DISTINCT price)`, `row_number()`. */
export function callText(ast: FunctionCall, name: string): string {
  const args = ast.star ? '*' : ast.args.map(printExpr).join(', ');
  return `${name}(${ast.distinct ? 'DISTINCT ' : ''}${args})`;
}

/** An ORDER BY item inside a call (aggregate argument order, window ORDER BY). PostgreSQL's NULL defaults. */
export function sortKeyOf(expr: Expr, direction: 'ASC' | 'DESC' | undefined, nulls: 'FIRST' | 'LAST' | undefined, ctx: ExprContext): PendingSortKey {
  const descending = direction === 'DESC';
  return { expr: bindExpr(expr, ctx), descending, nullsFirst: nulls === undefined ? descending : nulls === 'FIRST' };
}

// ------------------------------------------------------------------ helpers for clauses

/** Whether an expression could be a GROUP BY item as a whole (it holds no aggregate, window call or subquery). */
function groupable(ast: Expr): boolean {
  switch (ast.kind) {
    case 'Literal':
    case 'IntervalLiteral':
    case 'TypedLiteral':
    case 'Parameter':
      return false;
    default:
      return !containsSpecial(ast);
  }
}

/** Whether an aggregate call (not inside a subquery; inside a window call's arguments counts) appears in `ast`. */
export function containsAggregate(ast: Expr): boolean {
  let found = false;
  walkExpr(ast, (e) => {
    if (e.kind === 'FunctionCall' && e.over === undefined) {
      const n = functionName(e);
      if (isAggregateFunction(n) || n === 'grouping') found = true;
    }
  });
  return found;
}

function containsSpecial(ast: Expr): boolean {
  let found = false;
  walkExpr(ast, (e) => {
    if (e.kind === 'Exists' || e.kind === 'ScalarSubquery' || e.kind === 'InSubquery') found = true;
    else if (e.kind === 'FunctionCall') {
      if (e.over !== undefined) found = true;
      else {
        const n = functionName(e);
        // Group-window properties read the grouping, not the FROM row.
        if (isAggregateFunction(n) || n === 'grouping' || groupWindowFunctions.has(n)) found = true;
      }
    }
  });
  return found;
}

/** Visits `ast` and its sub-expressions, not entering subqueries. */
export function walkExpr(ast: Expr, visit: (e: Expr) => void): void {
  visit(ast);
  const go = (e: Expr | undefined): void => {
    if (e !== undefined) walkExpr(e, visit);
  };
  switch (ast.kind) {
    case 'Literal': case 'IntervalLiteral': case 'TypedLiteral': case 'ColumnRef': case 'Parameter':
    case 'Exists': case 'ScalarSubquery':
      return;
    case 'UnaryOp': go(ast.operand); return;
    case 'BinaryOp': go(ast.left); go(ast.right); return;
    case 'IsNull': case 'IsTruth': go(ast.operand); return;
    case 'IsDistinctFrom': go(ast.left); go(ast.right); return;
    case 'Between': go(ast.operand); go(ast.low); go(ast.high); return;
    case 'InList': go(ast.operand); ast.list.forEach(go); return;
    case 'InSubquery': go(ast.operand); return;
    case 'Like': go(ast.operand); go(ast.pattern); go(ast.escape); return;
    case 'Case': go(ast.operand); ast.whens.forEach((w) => { go(w.when); go(w.then); }); go(ast.else); return;
    case 'Cast': go(ast.operand); return;
    case 'FunctionCall':
      ast.args.forEach(go);
      go(ast.filter);
      ast.orderBy?.forEach((o) => go(o.expr));
      if (ast.over !== undefined && ast.over.kind === 'WindowSpec') {
        ast.over.partitionBy.forEach(go);
        ast.over.orderBy.forEach((o) => go(o.expr));
      }
      return;
    case 'Extract': go(ast.source); return;
    case 'Trim': go(ast.chars); go(ast.source); return;
    case 'Substring': go(ast.source); go(ast.from); go(ast.for); return;
    case 'Position': go(ast.needle); go(ast.haystack); return;
    case 'Overlay': go(ast.source); go(ast.placing); go(ast.from); go(ast.for); return;
    case 'RowConstructor': case 'ArrayConstructor': ast.items.forEach(go); return;
    case 'Subscript': go(ast.operand); go(ast.index); return;
    case 'FieldAccess': go(ast.operand); return;
    case 'NavigationSemantics': go(ast.expr); return;
    default: {
      const unreachable: never = ast;
      throw internalError(`unknown expression ${(unreachable as Expr).kind}`);
    }
  }
}

/**
 * The output column name PostgreSQL gives an unaliased SELECT item: a column's name,
 * a function's name, `case`, `exists`, a type name for a typed literal, else `?column?`.
 */
export function outputName(ast: Expr): string {
  switch (ast.kind) {
    case 'ColumnRef': return ast.parts[ast.parts.length - 1]?.value ?? '?column?';
    case 'FunctionCall': return functionName(ast);
    case 'Cast': {
      const inner = outputName(ast.operand);
      return inner !== '?column?' ? inner : ast.type.name.toLowerCase();
    }
    case 'Case': return 'case';
    case 'Exists': return 'exists';
    case 'ScalarSubquery': {
      const body = ast.query.body;
      if (body.kind === 'Select' && body.items.length === 1) {
        const item = body.items[0];
        if (item?.kind === 'SelectExpr') return item.alias?.value ?? outputName(item.expr);
      }
      return '?column?';
    }
    case 'TypedLiteral': return ast.type.toLowerCase();
    case 'IntervalLiteral': return 'interval';
    case 'Extract': return 'extract';
    case 'Trim': return ast.where === 'BOTH' ? 'btrim' : ast.where === 'LEADING' ? 'ltrim' : 'rtrim';
    case 'Substring': return 'substring';
    case 'Position': return 'position';
    case 'Overlay': return 'overlay';
    case 'ArrayConstructor': return 'array';
    case 'RowConstructor': return 'row';
    case 'Subscript': return outputName(ast.operand);
    case 'FieldAccess': return ast.field.value;
    case 'NavigationSemantics': return outputName(ast.expr);
    case 'Literal': case 'Parameter': case 'UnaryOp': case 'BinaryOp': case 'IsNull': case 'IsTruth':
    case 'IsDistinctFrom': case 'Between': case 'InList': case 'InSubquery': case 'Like':
      return '?column?';
    default: {
      const unreachable: never = ast;
      throw internalError(`unknown expression ${(unreachable as Expr).kind}`);
    }
  }
}

/** An integer constant written in ORDER BY / GROUP BY: a column position. */
export function ordinalOf(ast: Expr): number | undefined {
  if (ast.kind === 'Literal' && ast.value.type === 'number' && /^\d+$/.test(ast.value.text)) return Number(ast.value.text);
  return undefined;
}

export function positionNotInSelectList(clause: string, n: number, span: Span | undefined): SqlError {
  return invalidColumnReference(`${clause} position ${n} is not in select list`, span);
}

