// Catalog relations as plans: tables (stored columns scanned, computed columns projected), materialized views, system tables, and views inlined.

import type { Field, Schema } from '../../common/data-type.js';
import { sameType } from '../../common/data-type.js';
import { internalError, SqlError } from '../../common/errors.js';
import type { Span } from '../../parser/ast/node.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/index.js';
import { project } from '../logical/project.js';
import { scan } from '../logical/scan.js';
import { fieldFor, inputRef } from './bound-utils.js';
import type { CatalogColumn, CatalogRelation } from './catalog-reader.js';
import { castTo } from './coercion.js';
import type { BindEnv, BoundRelation, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { positionOf } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { Scope } from './scope.js';

/** The plan that reads `rel`, exposing every column in declared order. */
export function planRelation(rel: CatalogRelation, env: BindEnv, span: Span | undefined): BoundRelation {
  env.relations.add(rel.name);
  switch (rel.kind) {
    case 'TABLE':
      return { plan: planTable(rel, env), names: rel.columns.map((c) => c.name) };
    case 'MATERIALIZED VIEW':
    case 'SYSTEM TABLE':
      return { plan: scan(rel.name, rel.kind, rel.columns.map(plainField)), names: rel.columns.map((c) => c.name) };
    case 'VIEW':
      return inlineView(rel, env, span);
    default: {
      const unreachable: never = rel.kind;
      throw internalError(`unknown relation kind ${String(unreachable)}`);
    }
  }
}

function plainField(c: CatalogColumn): Field {
  const f: Field = { name: c.name, type: c.type, nullable: c.nullable };
  return c.timeAttribute === undefined ? f : { ...f, timeAttribute: c.timeAttribute };
}

/** Indexes (into `columns`) of the columns a table stores, in declared order. */
export function storedColumnIndexes(rel: CatalogRelation): number[] {
  const out: number[] = [];
  rel.columns.forEach((c, i) => {
    if (c.computed === undefined) out.push(i);
  });
  return out;
}

/** The Scan of a table's stored columns; the watermark column, when stored, is its event-time attribute. */
export function tableScan(rel: CatalogRelation): LogicalPlan {
  const schema: Schema = storedColumnIndexes(rel).map((i) => {
    const c = rel.columns[i] as CatalogColumn;
    return rel.watermark?.column === i ? { ...plainField(c), timeAttribute: 'ROWTIME' } : plainField(c);
  });
  return scan(rel.name, 'TABLE', schema);
}

/**
 * A table: the Scan of its stored columns, then (when it has computed columns) a Project
 * computing them, so that the row is every column in declared order. A computed column
 * `PROCTIME()` is a processing-time attribute; the watermark column an event-time one.
 */
function planTable(rel: CatalogRelation, env: BindEnv): LogicalPlan {
  const base = tableScan(rel);
  if (rel.columns.every((c) => c.computed === undefined)) return base;
  const computed = computedColumnExprs(rel, env, base.schema);
  const fields: Field[] = rel.columns.map((c, i) => {
    const e = computed[i] as BoundExpr;
    const f = fieldFor(c.name, e, base.schema);
    if (rel.watermark?.column === i) return { ...f, timeAttribute: 'ROWTIME' };
    if (e.kind === 'Call' && e.fn === 'proctime') return { ...f, timeAttribute: 'PROCTIME' };
    return f;
  });
  return project(base, computed, fields);
}

/** Every declared column as an expression over the stored row: stored ones as references, computed ones bound. */
export function computedColumnExprs(rel: CatalogRelation, env: BindEnv, stored: Schema): BoundExpr[] {
  const storedIdx = storedColumnIndexes(rel);
  const scope = Scope.forRelation(rel.name, storedIdx.map((i) => (rel.columns[i] as CatalogColumn).name), stored);
  const level: QueryLevel = { env, outer: undefined, ctes: undefined };
  const ctx = exprContext(level, scope, stored, 'a computed column');
  return rel.columns.map((c, i) => {
    if (c.computed === undefined) return inputRef(storedIdx.indexOf(i), stored);
    const e = bindExpr(c.computed, ctx);
    return sameType(e.type, c.type) ? e : castTo(e, c.type);
  });
}

function inlineView(rel: CatalogRelation, env: BindEnv, span: Span | undefined): BoundRelation {
  if (rel.query === undefined) throw internalError(`view ${rel.name} has no query`);
  if (env.viewStack.includes(rel.name)) {
    throw new SqlError('42P17', `infinite recursion detected in view "${rel.name}"`, positionOf(span));
  }
  env.viewStack.push(rel.name);
  try {
    const bound = env.bindQuery(rel.query, { env, outer: undefined, ctes: undefined });
    const names = rel.columns.length === bound.names.length ? rel.columns.map((c) => c.name) : bound.names;
    return { plan: bound.plan, names };
  } finally {
    env.viewStack.pop();
  }
}
