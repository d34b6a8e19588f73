// CREATE TABLE: column types, computed columns, primary key and watermark, validated into a catalog relation.

import type { DataType, Field, Schema } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { ColumnDef, CreateTable } from '../../parser/ast/ddl.js';
import type { Span } from '../../parser/ast/node.js';
import type { BoundExpr } from '../bound/expr.js';
import { dataTypeFromTypeName } from '../functions/index.js';
import { containsSubquery, isNullable, substituteInputs } from './bound-utils.js';
import { computedColumnExprs, tableScan } from './relation.js';
import type { CatalogColumn, CatalogReader, CatalogRelation } from './catalog-reader.js';
import type { QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { notSupported, pgTypeName, positionOf, typeMismatch } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { newBindEnv } from './query.js';
import { Scope } from './scope.js';

/**
 * Validates a CREATE TABLE into the relation the catalog stores. Column types come from
 * the registry's type names; a computed column's type is its expression's, bound over the
 * physical columns; primary key columns become NOT NULL; the watermark column must be a
 * TIMESTAMP or TIMESTAMP_LTZ column and its expression of the same kind.
 * Throws 42P07 when the name is taken (with IF NOT EXISTS the existing relation is returned).
 *
 * @example
 *   bindCreateTable(parseStatement('CREATE TABLE bids (auction BIGINT, price INT, ts TIMESTAMP(3),
 *     WATERMARK FOR ts AS ts - INTERVAL \'5\' SECOND)') as CreateTable, catalog)
 *   // { name: 'bids', kind: 'TABLE', columns: [...], watermark: { column: 2, expr }, options: [] }
 */
export function bindCreateTable(stmt: CreateTable, catalog: CatalogReader): CatalogRelation {
  const name = stmt.name[stmt.name.length - 1]?.value ?? '';
  const existing = catalog.relation(name);
  if (existing !== undefined) {
    if (stmt.ifNotExists) return existing;
    throw new SqlError(SqlState.duplicateObject, `relation "${name}" already exists`, positionOf(stmt.name[0]?.span ?? stmt.span));
  }
  if (stmt.partitionedBy !== undefined && stmt.partitionedBy.length > 0) throw notSupported('PARTITIONED BY', stmt.span);

  // Column names, duplicates and the primary key first: PK columns are NOT NULL everywhere below.
  const seen = new Map<string, number>();
  stmt.columns.forEach((c, i) => {
    const n = c.name.value;
    if (seen.has(n)) throw new SqlError(SqlState.duplicateColumn, `column "${n}" specified more than once`, positionOf(c.name.span ?? c.span));
    seen.set(n, i);
    if (c.kind === 'MetadataColumn') throw notSupported('METADATA columns', c.span);
  });
  const primaryKey = primaryKeyOf(stmt, name, seen);

  const physical: { index: number; field: Field }[] = [];
  stmt.columns.forEach((c, i) => {
    if (c.kind !== 'PhysicalColumn') return;
    const type = typeOf(c);
    physical.push({ index: i, field: { name: c.name.value, type, nullable: !c.notNull && !primaryKey.includes(i) } });
  });
  const physicalSchema: Schema = physical.map((p) => p.field);
  const env = newBindEnv(catalog);
  const level: QueryLevel = { env, outer: undefined, ctes: undefined };
  const physicalScope = Scope.forRelation(name, physicalSchema.map((f) => f.name), physicalSchema);
  const computedCtx = exprContext(level, physicalScope, physicalSchema, 'column generation expressions');

  const columns: CatalogColumn[] = stmt.columns.map((c, i): CatalogColumn => {
    switch (c.kind) {
      case 'PhysicalColumn': {
        const f = (physical.find((p) => p.index === i) as { field: Field }).field;
        return { name: f.name, type: f.type, nullable: f.nullable };
      }
      case 'ComputedColumn': {
        const e = bindExpr(c.expr, computedCtx);
        if (containsSubquery(e)) throw notSupported('a subquery in a computed column', c.expr.span ?? c.span);
        if (e.type.kind === 'NULL') throw typeMismatch(`computed column "${c.name.value}" has no type`, c.expr.span ?? c.span, 'Cast the expression to the type the column should have.');
        return { name: c.name.value, type: e.type, nullable: isNullable(e, physicalSchema), computed: c.expr };
      }
      case 'MetadataColumn':
        throw notSupported('METADATA columns', c.span);
      default: {
        const unreachable: never = c;
        throw internalError(`unknown column definition ${(unreachable as ColumnDef).kind}`);
      }
    }
  });

  let watermark: CatalogRelation['watermark'];
  if (stmt.watermark !== undefined) {
    const w = stmt.watermark;
    const col = seen.get(w.column.value);
    if (col === undefined) throw new SqlError(SqlState.undefinedColumn, `column "${w.column.value}" named in WATERMARK does not exist`, positionOf(w.column.span ?? w.span));
    const ct = (columns[col] as CatalogColumn).type;
    if (ct.kind !== 'TIMESTAMP' && ct.kind !== 'TIMESTAMP_LTZ') {
      throw typeMismatch(`watermark column "${w.column.value}" must be of type TIMESTAMP or TIMESTAMP_LTZ, not ${pgTypeName(ct)}`, w.column.span ?? w.span);
    }
    // The watermark expression may read computed columns too: bind it over the declared row.
    const allSchema: Schema = columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
    const allScope = Scope.forRelation(name, columns.map((c) => c.name), allSchema);
    const e: BoundExpr = bindExpr(w.expr, exprContext(level, allScope, allSchema, 'WATERMARK expressions'));
    if (containsSubquery(e)) throw notSupported('a subquery in a WATERMARK expression', w.expr.span ?? w.span);
    if (e.type.kind !== ct.kind) {
      throw typeMismatch(`WATERMARK expression must be of type ${pgTypeName(ct)}, not ${pgTypeName(e.type)}`, w.expr.span ?? w.span);
    }
    watermark = { column: col, expr: w.expr };
  }

  return {
    name,
    kind: 'TABLE',
    columns,
    ...(primaryKey.length > 0 ? { primaryKey } : {}),
    ...(watermark === undefined ? {} : { watermark }),
    options: stmt.options,
  };
}

/**
 * A table's WATERMARK expression over its stored row (computed columns it reads are
 * substituted), for the table to compute its watermark from each row it stores.
 */
export function bindWatermark(rel: CatalogRelation, catalog: CatalogReader): BoundExpr | undefined {
  if (rel.watermark === undefined) return undefined;
  const env = newBindEnv(catalog);
  const stored = tableScan(rel).schema;
  const computed = computedColumnExprs(rel, env, stored);
  const allSchema: Schema = rel.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
  const scope = Scope.forRelation(rel.name, rel.columns.map((c) => c.name), allSchema);
  const level: QueryLevel = { env, outer: undefined, ctes: undefined };
  const e = bindExpr(rel.watermark.expr, exprContext(level, scope, allSchema, 'WATERMARK expressions'));
  return substituteInputs(e, computed);
}

function typeOf(c: ColumnDef & { kind: 'PhysicalColumn' }): DataType {
  try {
    return dataTypeFromTypeName(c.type);
  } catch (e) {
    const span: Span | undefined = c.type.span ?? c.span;
    if (e instanceof SqlError && e.position === undefined && span !== undefined) e.position = span.start + 1;
    throw e;
  }
}

/** Column indexes of the primary key, from the table constraint or a column's PRIMARY KEY. */
function primaryKeyOf(stmt: CreateTable, table: string, columns: ReadonlyMap<string, number>): number[] {
  const inline = stmt.columns.filter((c) => c.kind === 'PhysicalColumn' && c.primaryKey === true);
  if ((inline.length > 0 && stmt.primaryKey !== undefined) || inline.length > 1) {
    throw new SqlError('42P16', `multiple primary keys for table "${table}" are not allowed`, positionOf(stmt.primaryKey?.span ?? inline[1]?.span ?? stmt.span));
  }
  const names = stmt.primaryKey?.columns ?? inline.map((c) => c.name);
  const out: number[] = [];
  for (const id of names) {
    const i = columns.get(id.value);
    if (i === undefined) throw new SqlError(SqlState.undefinedColumn, `column "${id.value}" named in key does not exist`, positionOf(id.span ?? stmt.primaryKey?.span));
    if (out.includes(i)) throw new SqlError(SqlState.duplicateColumn, `column "${id.value}" appears twice in primary key constraint`, positionOf(id.span ?? stmt.primaryKey?.span));
    if (stmt.columns[i]?.kind !== 'PhysicalColumn') {
      throw new SqlError('42P16', `computed column "${id.value}" cannot be part of the primary key`, positionOf(id.span ?? stmt.primaryKey?.span));
    }
    out.push(i);
  }
  return out;
}
