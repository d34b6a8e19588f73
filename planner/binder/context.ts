// Binding state: the statement-wide environment, query levels (for correlation and CTEs) and expression contexts.

import type { DataType, Schema } from '../../common/data-type.js';
import type { Query } from '../../parser/ast/query.js';
import type { LogicalPlan } from '../logical/index.js';
import type { Grouping } from './aggregates.js';
import type { CatalogReader } from './catalog-reader.js';
import type { Scope } from './scope.js';
import type { WindowCollector } from './windows.js';

/** A bound query: its plan and the names of its output columns. */
export interface BoundRelation {
  readonly plan: LogicalPlan;
  readonly names: readonly string[];
}

/**
 * Parameter types of a statement. Given types win; an unknown parameter takes the type
 * its first use implies (the other operand of a comparison, a CAST target, an INSERT
 * column), else VARCHAR, as PostgreSQL types an unknown literal as text.
 */
export class ParamTypes {
  private readonly types: (DataType | undefined)[];

  constructor(given: readonly DataType[] = []) {
    this.types = [...given];
  }

  known(index: number): DataType | undefined {
    return this.types[index];
  }

  /** The parameter's type, fixing it to `hint` (or VARCHAR) when still unknown. */
  resolve(index: number, hint: DataType | undefined): DataType {
    const t = this.types[index];
    if (t !== undefined) return t;
    const chosen: DataType = hint === undefined || hint.kind === 'NULL' ? { kind: 'VARCHAR', length: null } : hint;
    while (this.types.length <= index) this.types.push(undefined);
    this.types[index] = chosen;
    return chosen;
  }

  /** Every parameter up to the highest one used; gaps are VARCHAR. */
  all(): DataType[] {
    return this.types.map((t) => t ?? { kind: 'VARCHAR', length: null });
  }
}

/** Statement-wide state shared by every query level. */
export interface BindEnv {
  readonly catalog: CatalogReader;
  readonly params: ParamTypes;
  /** Views being expanded, innermost last: a view that reaches itself is an error. */
  readonly viewStack: string[];
  /** Every catalog relation the statement reads (through views too), for dependency tracking. */
  readonly relations: Set<string>;
  /** Binds a nested query (subquery, view, CTE); injected to keep expressions.ts free of query.ts. */
  readonly bindQuery: (query: Query, level: QueryLevel) => BoundRelation;
}

/** CTEs visible at a point, innermost WITH first. Bound once at their definition, shared by every reference. */
export class CteScope {
  constructor(private readonly parent: CteScope | undefined, private readonly entries: ReadonlyMap<string, BoundRelation>) {}

  lookup(name: string): BoundRelation | undefined {
    return this.entries.get(name) ?? this.parent?.lookup(name);
  }
}

/** One query (SELECT, set operation, VALUES) being bound: what it may see beyond its own FROM clause. */
export interface QueryLevel {
  readonly env: BindEnv;
  /** The expression context the query is nested in (a subquery's outer query), for correlated references. */
  readonly outer: ExprContext | undefined;
  readonly ctes: CteScope | undefined;
}

/**
 * Where an expression is being bound. InputRefs index `schema`, the row the FROM
 * clause produces, unless `grouping` is set: then expressions are bound over the
 * aggregate's output (group keys, then aggregate calls).
 */
export interface ExprContext {
  readonly level: QueryLevel;
  readonly scope: Scope;
  readonly schema: Schema;
  /** For messages: `WHERE`, `HAVING`, `JOIN/ON`, `GROUP BY`, `SELECT`, `ORDER BY`, `VALUES`, ... */
  readonly clause: string;
  readonly grouping?: Grouping;
  /** Aggregate calls may appear (they register with `grouping`). */
  readonly aggregates: boolean;
  /** Window functions may appear; they register here. */
  readonly windows?: WindowCollector;
  /** Inside an aggregate's or a window function's arguments: a second one nested is an error. */
  readonly nestedIn?: 'aggregate' | 'window';
}

export function exprContext(level: QueryLevel, scope: Scope, schema: Schema, clause: string): ExprContext {
  return { level, scope, schema, clause, aggregates: false };
}
