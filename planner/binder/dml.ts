// INSERT, UPDATE and DELETE against tables: target columns, assignment casts, predicates over the stored row.

import type { DataType, Field, Schema } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Delete, Insert, Update } from '../../parser/ast/dml.js';
import type { Expr } from '../../parser/ast/expression.js';
import type { QualifiedName, Span } from '../../parser/ast/node.js';
import type { Query } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import { canAssignCast, pgTypeName } from '../functions/index.js';
import type { LogicalPlan } from '../logical/index.js';
import { project } from '../logical/project.js';
import { containsSubquery, inputRef, isIdentityProject, literal, substituteInputs } from './bound-utils.js';
import type { CatalogColumn, CatalogReader, CatalogRelation } from './catalog-reader.js';
import { castTo, requireBoolean } from './coercion.js';
import type { BindEnv, ExprContext, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { notSupported, positionOf, typeMismatch, undefinedTable } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { bindQueryAt, newBindEnv } from './query.js';
import { computedColumnExprs, storedColumnIndexes, tableScan } from './relation.js';
import { Scope } from './scope.js';

export interface BoundInsert {
  readonly table: string;
  /** Produces exactly the table's stored columns, in order, with their types. */
  readonly plan: LogicalPlan;
}

export interface BoundUpdate {
  readonly table: string;
  /** Over the table's stored row; null: every row. */
  readonly predicate: BoundExpr | null;
  /** Index into the stored row, and the new value as an expression over the old stored row. */
  readonly assignments: { readonly column: number; readonly value: BoundExpr }[];
}

export interface BoundDelete {
  readonly table: string;
  readonly predicate: BoundExpr | null;
}

/**
 * INSERT INTO t [(cols)] query. The plan's row is the table's stored columns: listed
 * columns take the query's columns with assignment casts (42804 when a type does not
 * convert), the others NULL (23502 when NOT NULL). Computed columns cannot be written.
 */
export function bindInsert(stmt: Insert, catalog: CatalogReader, options: { paramTypes?: readonly DataType[] } = {}): BoundInsert {
  if (stmt.overwrite) throw notSupported('INSERT OVERWRITE', stmt.span);
  const rel = targetTable(stmt.table, catalog, 'insert into');
  const stored = storedColumnIndexes(rel);
  const targets = targetColumns(stmt, rel);
  const env = newBindEnv(catalog, options.paramTypes);
  const level: QueryLevel = { env, outer: undefined, ctes: undefined };
  const source = bindQueryAt(stmt.source, level, targets.map((t) => (rel.columns[t] as CatalogColumn).type));
  const width = source.plan.schema.length;
  if (width > targets.length) throw syntax('INSERT has more expressions than target columns', sourceSpan(stmt.source, targets.length) ?? stmt.span);
  if (width < targets.length) throw syntax('INSERT has more target columns than expressions', stmt.columns?.[width]?.span ?? stmt.span);
  const inSchema = source.plan.schema;
  const exprs: BoundExpr[] = [];
  const fields: Field[] = [];
  for (const i of stored) {
    const col = rel.columns[i] as CatalogColumn;
    const j = targets.indexOf(i);
    if (j < 0) {
      if (!col.nullable) {
        throw new SqlError(SqlState.notNullViolation, `null value in column "${col.name}" of relation "${rel.name}" violates not-null constraint`, {
          ...positionOf(stmt.columns?.[0]?.span ?? stmt.table[0]?.span ?? stmt.span),
          detail: `The column "${col.name}" is not in the INSERT's column list and has no default.`,
        });
      }
      exprs.push(literal(null, col.type));
    } else {
      const from = (inSchema[j] as Field).type;
      if (!canAssignCast(from, col.type)) {
        throw typeMismatch(`column "${col.name}" is of type ${pgTypeName(col.type)} but expression is of type ${pgTypeName(from)}`,
          sourceSpan(stmt.source, j) ?? stmt.span, 'You will need to rewrite or cast the expression.');
      }
      exprs.push(castTo(inputRef(j, inSchema), col.type));
    }
    fields.push({ name: col.name, type: col.type, nullable: col.nullable });
  }
  // Names do not matter to the table: a query already in the table's column types is written as is.
  const plan = isIdentityProject(exprs, width) ? source.plan : project(source.plan, exprs, fields);
  return { table: rel.name, plan };
}

/**
 * UPDATE t SET c = v, ... [WHERE p]. Values and the predicate may read computed columns;
 * they are rewritten over the stored row. Assigning to a primary key column is allowed:
 * the table applies an update that changes the key as a delete of the old key and an
 * insert of the new one.
 */
export function bindUpdate(stmt: Update, catalog: CatalogReader, options: { paramTypes?: readonly DataType[] } = {}): BoundUpdate {
  const rel = targetTable(stmt.table, catalog, 'update');
  const env = newBindEnv(catalog, options.paramTypes);
  const row = rowContext(rel, stmt.alias?.value, env, 'UPDATE');
  const stored = storedColumnIndexes(rel);
  const assigned = new Set<number>();
  const assignments = stmt.assignments.map((a) => {
    const i = rel.columns.findIndex((c) => c.name === a.column.value);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${a.column.value}" of relation "${rel.name}" does not exist`, positionOf(a.column.span));
    const col = rel.columns[i] as CatalogColumn;
    if (col.computed !== undefined) throw new SqlError('428C9', `column "${col.name}" can only be updated to DEFAULT`, { ...positionOf(a.column.span), detail: `Column "${col.name}" is a computed column.` });
    if (assigned.has(i)) throw syntax(`multiple assignments to same column "${col.name}"`, a.column.span);
    assigned.add(i);
    const v = row.bind(a.value, col.type, 'UPDATE');
    if (!canAssignCast(v.type, col.type)) {
      throw typeMismatch(`column "${col.name}" is of type ${pgTypeName(col.type)} but expression is of type ${pgTypeName(v.type)}`,
        a.value.span, 'You will need to rewrite or cast the expression.');
    }
    return { column: stored.indexOf(i), value: castTo(v, col.type) };
  });
  const predicate = stmt.where === undefined ? null : row.predicate(stmt.where);
  return { table: rel.name, predicate, assignments };
}

/** DELETE FROM t [WHERE p]: the predicate over the stored row. */
export function bindDelete(stmt: Delete, catalog: CatalogReader, options: { paramTypes?: readonly DataType[] } = {}): BoundDelete {
  const rel = targetTable(stmt.table, catalog, 'delete from');
  const env = newBindEnv(catalog, options.paramTypes);
  const row = rowContext(rel, stmt.alias?.value, env, 'DELETE');
  return { table: rel.name, predicate: stmt.where === undefined ? null : row.predicate(stmt.where) };
}

function targetTable(name: QualifiedName, catalog: CatalogReader, verb: string): CatalogRelation {
  const n = name[name.length - 1]?.value ?? '';
  const rel = catalog.relation(n);
  if (rel === undefined) throw undefinedTable(n, name[0]?.span, catalog.relationNames());
  if (rel.kind !== 'TABLE') {
    throw new SqlError('42809', `cannot ${verb} ${rel.kind.toLowerCase()} "${rel.name}"`, {
      ...positionOf(name[0]?.span),
      detail: 'Only tables can be written to; a view or materialized view changes with the tables it reads.',
    });
  }
  return rel;
}

/** The stored columns an INSERT writes, in the order its query supplies them. */
function targetColumns(stmt: Insert, rel: CatalogRelation): number[] {
  if (stmt.columns === undefined) return storedColumnIndexes(rel);
  const out: number[] = [];
  for (const id of stmt.columns) {
    const i = rel.columns.findIndex((c) => c.name === id.value);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${id.value}" of relation "${rel.name}" does not exist`, positionOf(id.span));
    if (out.includes(i)) throw new SqlError(SqlState.duplicateColumn, `column "${id.value}" specified more than once`, positionOf(id.span));
    if ((rel.columns[i] as CatalogColumn).computed !== undefined) {
      throw new SqlError('428C9', `cannot insert a non-DEFAULT value into column "${id.value}"`, {
        ...positionOf(id.span),
        detail: `Column "${id.value}" is a computed column.`,
      });
    }
    out.push(i);
  }
  return out;
}

/** Where the `j`-th value of an INSERT's query is written, for error positions. */
function sourceSpan(q: Query, j: number): Span | undefined {
  const body = q.body;
  if (body.kind === 'Values') return body.rows[0]?.[j]?.span;
  if (body.kind === 'Select') {
    const item = body.items[j];
    return item?.kind === 'SelectExpr' ? item.expr.span : item?.span;
  }
  return undefined;
}

function syntax(message: string, span: Span | undefined): SqlError {
  return new SqlError(SqlState.syntaxError, message, positionOf(span));
}

/**
 * Binding over a table's declared row (computed columns included), then rewriting
 * over the stored row the table actually keeps. Subqueries are not supported here:
 * UPDATE and DELETE predicates are evaluated row by row, without a plan.
 */
function rowContext(rel: CatalogRelation, alias: string | undefined, env: BindEnv, statement: string) {
  const storedScan = tableScan(rel);
  const declared = computedColumnExprs(rel, env, storedScan.schema);
  const schema: Schema = rel.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
  const scope = Scope.forRelation(alias ?? rel.name, rel.columns.map((c) => c.name), schema);
  const level: QueryLevel = { env, outer: undefined, ctes: undefined };
  const ctx: ExprContext = exprContext(level, scope, schema, statement);
  const overStored = (e: BoundExpr, span: Span | undefined): BoundExpr => {
    if (containsSubquery(e)) throw notSupported(`a subquery in ${statement}`, span);
    return substituteInputs(e, declared);
  };
  return {
    bind(value: Expr, hint: DataType, clause: string): BoundExpr {
      return overStored(bindExpr(value, { ...ctx, clause }, hint), value.span);
    },
    predicate(where: Expr): BoundExpr {
      const e = requireBoolean(bindExpr(where, { ...ctx, clause: 'WHERE' }), 'WHERE', where.span);
      return overStored(e, where.span);
    },
  };
}
