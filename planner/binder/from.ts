// FROM clauses: named relations, CTE references, derived tables, joins (ON, USING, NATURAL), and the FROM items that come later.

import type { Field, Schema } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Ident, QualifiedName, Span } from '../../parser/ast/node.js';
import type { Join as JoinAst, TableAlias, TableRef } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import { comparisonSupertype } from '../functions/index.js';
import type { LogicalPlan } from '../logical/index.js';
import type { JoinType } from '../logical/join.js';
import { join } from '../logical/join.js';
import { project } from '../logical/project.js';
import { values } from '../logical/values.js';
import { andOrNull, fieldFor, inputRef } from './bound-utils.js';
import { castTo, requireBoolean, resolveCall, undefinedFunction } from './coercion.js';
import type { BoundRelation, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import {
  invalidColumnReference, notSupported, pgTypeName, positionOf, typeMismatch, undefinedTable,
} from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { planRelation } from './relation.js';
import type { ScopeColumn } from './scope.js';
import { Scope } from './scope.js';
import { bindWindowTableFunction } from './window-tvf.js';
import { bindMatchRecognize } from './match-recognize.js';
import { bindTemporalJoin, isTemporalJoin } from './temporal-join.js';

export interface FromResult {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

/** The FROM clause: comma-separated items are cross joined; no items is one row of no columns. */
export function bindFrom(items: readonly TableRef[], level: QueryLevel): FromResult {
  if (items.length === 0) return { plan: values([[]], []), scope: Scope.empty() };
  let acc: FromResult | undefined;
  for (const item of items) {
    const next = bindTableRef(item, level);
    acc = acc === undefined ? next : { plan: join('INNER', acc.plan, next.plan, null), scope: combine(acc.scope, next.scope.shifted(acc.plan.schema.length), item.span) };
  }
  return acc as FromResult;
}

const windowTableFunctions = new Set(['tumble', 'hop', 'cumulate', 'session']);

function bindTableRef(ref: TableRef, level: QueryLevel): FromResult {
  switch (ref.kind) {
    case 'NamedTable': {
      if (ref.asOf !== undefined) {
        throw notSupported('FOR SYSTEM_TIME AS OF outside the right side of a JOIN', ref.asOf.span ?? ref.span, 'Join the versioned table: FROM o JOIN t FOR SYSTEM_TIME AS OF o.time_column AS v ON o.k = v.k.');
      }
      const bound = lookupRelation(ref.name, ref.span, level);
      return aliased(bound, ref.alias, ref.name[ref.name.length - 1]?.value);
    }
    case 'DerivedTable': {
      if (ref.lateral) throw notSupported('LATERAL', ref.span);
      // A derived table cannot see the other FROM items, only the queries around this one.
      const bound = level.env.bindQuery(ref.query, { env: level.env, outer: level.outer, ctes: level.ctes });
      return aliased(bound, ref.alias, undefined);
    }
    case 'TableFunction': {
      const name = (ref.name[ref.name.length - 1]?.value ?? '').toLowerCase();
      if (windowTableFunctions.has(name)) {
        if (ref.lateral) throw notSupported('LATERAL', ref.span);
        return aliased(bindWindowTableFunction(ref, name, level), ref.alias, name);
      }
      if (ref.lateral) throw notSupported('LATERAL', ref.span);
      throw notSupported(`table function ${name}`, ref.span);
    }
    case 'Join':
      return bindJoin(ref, level);
    case 'MatchRecognize':
      return bindMatchRecognize(ref, level, bindTableRef);
    default: {
      const unreachable: never = ref;
      throw internalError(`unknown FROM item ${(unreachable as TableRef).kind}`);
    }
  }
}

/** A table, view or CTE named in FROM (or as a table function's TABLE argument). */
export function lookupRelation(name: QualifiedName, span: Span | undefined, level: QueryLevel): BoundRelation {
  const parts = name.map((p) => p.value);
  const text = parts.join('.');
  const last = parts[parts.length - 1] as string;
  const cte = parts.length === 1 ? level.ctes?.lookup(text) : undefined;
  if (cte !== undefined) return cte;
  const rel = level.env.catalog.relation(text) ?? (parts.length > 1 ? level.env.catalog.relation(last) : undefined);
  if (rel === undefined) throw undefinedTable(text, name[0]?.span ?? span, level.env.catalog.relationNames());
  return planRelation(rel, level.env, span);
}

/** A FROM item under its alias (or `defaultName`), with column aliases renaming its first columns. */
function aliased(bound: BoundRelation, alias: TableAlias | undefined, defaultName: string | undefined): FromResult {
  const qualifier = alias?.name.value ?? defaultName;
  const names = [...bound.names];
  const cols = alias?.columns ?? [];
  if (cols.length > names.length) {
    throw invalidColumnReference(`table "${qualifier ?? ''}" has ${names.length} columns available but ${cols.length} columns specified`, alias?.name.span);
  }
  cols.forEach((c, i) => {
    names[i] = c.value;
  });
  return { plan: bound.plan, scope: Scope.forRelation(qualifier, names, bound.plan.schema) };
}

/** Two FROM items side by side; the same alias twice is an error (42712). */
function combine(left: Scope, right: Scope, span: { start: number } | undefined): Scope {
  const tables = new Map(left.tables);
  for (const [k, cols] of right.tables) {
    if (tables.has(k)) throw new SqlError('42712', `table name "${k}" specified more than once`, span === undefined ? {} : { position: span.start + 1 });
    tables.set(k, cols);
  }
  return new Scope([...left.columns, ...right.columns], [...left.star, ...right.star], tables);
}

function bindJoin(j: JoinAst, level: QueryLevel): FromResult {
  if (isTemporalJoin(j)) return bindTemporalJoin(j, level, { bindTableRef, lookupRelation, aliased, combine });
  const l = bindTableRef(j.left, level);
  const r = bindTableRef(j.right, level);
  const width = l.plan.schema.length;
  const rightScope = r.scope.shifted(width);
  const scope = combine(l.scope, rightScope, j.span);
  const type: JoinType = j.type === 'CROSS' ? 'INNER' : j.type;
  if (j.natural || j.using !== undefined) return usingJoin(j, type, l, r, rightScope, scope);
  if (j.on === undefined) return { plan: join(type, l.plan, r.plan, null), scope };
  const rowSchema: Schema = [...l.plan.schema, ...r.plan.schema];
  const ctx = exprContext(level, scope, rowSchema, 'JOIN conditions');
  const cond = requireBoolean(bindExpr(j.on, ctx), 'JOIN/ON', j.on.span);
  return { plan: join(type, l.plan, r.plan, cond), scope };
}

/**
 * USING / NATURAL: equality on the named columns, and one merged column per name,
 * as PostgreSQL: the left column for INNER and LEFT joins, the right one for RIGHT,
 * COALESCE(left, right) for FULL, each in the two sides' common type. `*` lists the
 * merged columns first; a bare name means the merged column, `a.k` still the side's.
 */
function usingJoin(j: JoinAst, type: JoinType, l: FromResult, r: FromResult, rightScope: Scope, both: Scope): FromResult {
  const names: Ident[] = j.using !== undefined ? [...j.using] : naturalColumns(l.scope, rightScope);
  const seen = new Set<string>();
  const rowSchema: Schema = [...l.plan.schema, ...r.plan.schema];
  const conds: BoundExpr[] = [];
  const merged: { name: string; expr: BoundExpr }[] = [];
  const sideCopies = new Set<ScopeColumn>();
  for (const id of names) {
    const name = id.value;
    if (seen.has(name)) throw new SqlError(SqlState.duplicateColumn, `column name "${name}" appears more than once in USING clause`, positionOf(id.span));
    seen.add(name);
    const lc = l.scope.resolveBare(name, id.span);
    if (lc === undefined) throw new SqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in left table`, positionOf(id.span ?? j.span));
    const rc = rightScope.resolveBare(name, id.span);
    if (rc === undefined) throw new SqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in right table`, positionOf(id.span ?? j.span));
    const t = comparisonSupertype([lc.type, rc.type]);
    if (t === undefined || t.kind === 'NULL') {
      throw typeMismatch(`JOIN/USING types ${pgTypeName(lc.type)} and ${pgTypeName(rc.type)} cannot be matched`, id.span ?? j.span);
    }
    const lref = castTo(inputRef(lc.index, rowSchema), t);
    const rref = castTo(inputRef(rc.index, rowSchema), t);
    const eq = resolveCall('=', [lref, rref], id.span);
    if (eq.type.kind !== 'BOOLEAN') throw undefinedFunction('=', [lc.type, rc.type], id.span);
    conds.push(eq);
    const expr = type === 'RIGHT' ? rref : type === 'FULL' ? resolveCall('coalesce', [lref, rref], id.span) : lref;
    merged.push({ name, expr });
    for (const c of both.columns) if (c.unqualified && c.name === name) sideCopies.add(c);
  }
  let plan: LogicalPlan = join(type, l.plan, r.plan, andOrNull(conds));
  const joined = plan.schema;
  const extra = merged.filter((m) => m.expr.kind !== 'InputRef');
  if (extra.length > 0) {
    const exprs = [...joined.map((_, i) => inputRef(i, joined)), ...extra.map((m) => m.expr)];
    const fields: Field[] = [...joined, ...extra.map((m) => fieldFor(m.name, m.expr, joined))];
    plan = project(plan, exprs, fields);
  }
  let next = joined.length;
  const mergedCols: ScopeColumn[] = merged.map((m) => ({
    name: m.name,
    index: m.expr.kind === 'InputRef' ? m.expr.index : next++,
    type: m.expr.type,
    unqualified: true,
  }));
  const hidden = both.mapColumns((c) => (sideCopies.has(c) ? { ...c, unqualified: false } : c));
  // `both` and `hidden` list the same columns in the same order; the side copies leave `*`.
  const star = [...mergedCols, ...hidden.star.filter((_, i) => !sideCopies.has(both.star[i] as ScopeColumn))];
  return { plan, scope: new Scope([...hidden.columns, ...mergedCols], star, hidden.tables) };
}

/** NATURAL JOIN's columns: every name visible unqualified on both sides, in the left side's order. */
function naturalColumns(left: Scope, right: Scope): Ident[] {
  const out: Ident[] = [];
  const seen = new Set<string>();
  for (const c of left.star) {
    if (!c.unqualified || seen.has(c.name)) continue;
    if (right.columns.some((d) => d.unqualified && d.name === c.name)) {
      seen.add(c.name);
      out.push({ kind: 'Ident', value: c.name, quoted: false });
    }
  }
  return out;
}
