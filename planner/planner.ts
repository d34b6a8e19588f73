// The planner's entry points for the engine: bind, optimize, and describe
// results. Everything the engine asks of planning goes through here.

import type { DataType } from '../common/data-type.js';
import type { CreateTable, Delete, Insert, Query, Update } from '../parser/ast/index.js';
import type { QualifiedName } from '../parser/ast/node.js';
import { bindCreateTable, bindDelete, bindInsert, bindQuery, bindUpdate, bindWatermark } from './binder/index.js';
import type { CatalogReader, CatalogRelation } from './binder/catalog-reader.js';
import type { BoundExpr } from './bound/expr.js';
import type { LogicalPlan } from './logical/index.js';
import { optimize, optimizeByCost } from './rules/index.js';
import type { OptimizerContext } from './cost/context.js';

export interface PlannedColumn {
  readonly name: string;
  readonly type: DataType;
}

export interface PlannedQuery {
  readonly plan: LogicalPlan;
  readonly columns: readonly PlannedColumn[];
}

export interface PlannedInsert {
  readonly table: string;
  readonly plan: LogicalPlan;
}

export interface PlannedUpdate {
  readonly table: string;
  /** Over the table's stored row; null = every row. */
  readonly predicate: BoundExpr | null;
  /** Stored-column index → new value expression over the stored row. */
  readonly assignments: readonly { readonly column: number; readonly value: BoundExpr }[];
}

export interface PlannedDelete {
  readonly table: string;
  readonly predicate: BoundExpr | null;
}

/** The catalog name of a possibly qualified name (Eddy has one schema). */
export function objectName(name: QualifiedName): string {
  const last = name[name.length - 1];
  if (!last) throw new Error('empty name');
  return last.value;
}

/**
 * With `optimizer`, the plan also gets the cost-based choices (join order, aggregation
 * phases, shared state) that its statistics and settings call for.
 */
export function planQuery(query: Query, catalog: CatalogReader, paramTypes: readonly DataType[] = [], optimizer?: OptimizerContext): PlannedQuery {
  const bound = bindQuery(query, catalog, { paramTypes: [...paramTypes] });
  const plan = optimizer === undefined ? optimize(bound.plan) : optimizeByCost(bound.plan, optimizer);
  const columns = bound.columnNames.map((name, i) => ({ name, type: (plan.schema[i] ?? bound.plan.schema[i])!.type }));
  return { plan, columns };
}

export function planCreateTable(stmt: CreateTable, catalog: CatalogReader): CatalogRelation {
  return bindCreateTable(stmt, catalog);
}

/** The table's WATERMARK expression over its stored row, if it declares one. */
export function planWatermark(relation: CatalogRelation, catalog: CatalogReader): BoundExpr | undefined {
  return bindWatermark(relation, catalog);
}

export function planInsert(stmt: Insert, catalog: CatalogReader, optimizer?: OptimizerContext): PlannedInsert {
  const bound = bindInsert(stmt, catalog);
  return { table: bound.table, plan: optimizer === undefined ? optimize(bound.plan) : optimizeByCost(bound.plan, optimizer) };
}

export function planUpdate(stmt: Update, catalog: CatalogReader): PlannedUpdate {
  return bindUpdate(stmt, catalog);
}

export function planDelete(stmt: Delete, catalog: CatalogReader): PlannedDelete {
  return bindDelete(stmt, catalog);
}
