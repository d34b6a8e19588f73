// Bound (resolved, typed) scalar expressions: what the binder produces from
// AST expressions and what the expression compiler turns into JavaScript.

import type { DataType } from '../../common/data-type.js';
import type { Value } from '../../common/value.js';
import type { LogicalPlan } from '../logical/index.js';

export type BoundExpr =
  | BoundLiteral
  | InputRef
  | ParamRef
  | CorrelatedRef
  | BoundCall
  | BoundCast
  | BoundCase
  | BoundSubquery;

export type BoundExprKind = BoundExpr['kind'];

/** A constant, already converted to its runtime representation. */
export interface BoundLiteral {
  readonly kind: 'Literal';
  readonly value: Value;
  readonly type: DataType;
}

/** Column `index` of the operator's input row (for joins: left columns, then right columns). */
export interface InputRef {
  readonly kind: 'InputRef';
  readonly index: number;
  readonly type: DataType;
}

/** `$n` (0-based `index`), bound at execution time. */
export interface ParamRef {
  readonly kind: 'ParamRef';
  readonly index: number;
  readonly type: DataType;
}

/**
 * A column of an enclosing query's row, inside a correlated subquery
 * (`depth` 1 = the immediately enclosing query). Decorrelation removes all
 * of these before a plan is executed.
 */
export interface CorrelatedRef {
  readonly kind: 'CorrelatedRef';
  readonly depth: number;
  readonly index: number;
  readonly type: DataType;
}

/**
 * A call of a scalar function or operator, by its registry name in lower
 * case: `+`, `-`, `*`, `/`, `%`, `=`, `<>`, `<`, `<=`, `>`, `>=`, `and`, `or`,
 * `not`, `neg`, `is_null`, `is_not_null`, `is_true`, `is_false`, ..., `is_distinct_from`,
 * `in` (first arg the operand), `like`, `ilike`, `similar_to`, `coalesce`,
 * `nullif`, `concat` (`||`), `upper`, `date_trunc`, `extract_hour`, ...
 * Arguments are already coerced to the types the function expects.
 */
export interface BoundCall {
  readonly kind: 'Call';
  readonly fn: string;
  readonly args: readonly BoundExpr[];
  readonly type: DataType;
}

export interface BoundCast {
  readonly kind: 'Cast';
  readonly operand: BoundExpr;
  readonly type: DataType;
  /** TRY_CAST: NULL instead of an error when the value does not convert. */
  readonly try: boolean;
}

/** Searched CASE (a simple CASE is bound to this with `=` tests). */
export interface BoundCase {
  readonly kind: 'Case';
  readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[];
  readonly else: BoundExpr;
  readonly type: DataType;
}

/**
 * A subquery inside an expression, before decorrelation:
 * `scalar` (one column, at most one row), `exists`, `in` (`operand IN (subquery)`).
 */
export interface BoundSubquery {
  readonly kind: 'Subquery';
  readonly mode: 'scalar' | 'exists' | 'in';
  readonly plan: LogicalPlan;
  readonly operand?: BoundExpr;
  readonly negated: boolean;
  readonly type: DataType;
}
