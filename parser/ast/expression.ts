// Scalar expressions.

import type { Ident, QualifiedName, Span } from './node.js';
import type { Query, OrderItem, WindowSpec } from './query.js';
import type { IntervalQualifier, TimeUnit, TypeName } from './types.js';

export type Expr =
  | Literal
  | IntervalLiteral
  | TypedLiteral
  | ColumnRef
  | Parameter
  | UnaryOp
  | BinaryOp
  | IsNull
  | IsTruth
  | IsDistinctFrom
  | Between
  | InList
  | InSubquery
  | Like
  | Exists
  | ScalarSubquery
  | Case
  | Cast
  | FunctionCall
  | Extract
  | Trim
  | Substring
  | Position
  | Overlay
  | RowConstructor
  | ArrayConstructor
  | Subscript
  | FieldAccess
  | NavigationSemantics;

export type ExprKind = Expr['kind'];

/** NULL, TRUE/FALSE, numbers (kept as written so no precision is lost) and strings. */
export interface Literal {
  readonly kind: 'Literal';
  readonly value:
    | { readonly type: 'null' }
    | { readonly type: 'boolean'; readonly value: boolean }
    /** `text` is the literal as written, without sign: `42`, `3.14`, `1e-3`, `.5`. */
    | { readonly type: 'number'; readonly text: string }
    /** The decoded string: `''` escapes, `E'\n'` escapes and `U&'\0041'` are already applied. */
    | { readonly type: 'string'; readonly value: string }
    /** `X'0AFF'` */
    | { readonly type: 'bytes'; readonly hex: string };
  readonly span?: Span;
}

/**
 * `INTERVAL '1' HOUR`, `INTERVAL '10' MINUTES` (plural folded), `INTERVAL '2-3' YEAR TO MONTH`,
 * `INTERVAL '1 hour'` (no qualifier: PostgreSQL's free form), `INTERVAL -'1' DAY`.
 */
export interface IntervalLiteral {
  readonly kind: 'IntervalLiteral';
  readonly value: string;
  readonly negative: boolean;
  readonly qualifier?: IntervalQualifier;
  readonly span?: Span;
}

/** `DATE '2026-01-01'`, `TIME '10:00:00'`, `TIMESTAMP '2026-01-01 10:00:00'`, `TIMESTAMP_LTZ '...'`. */
export interface TypedLiteral {
  readonly kind: 'TypedLiteral';
  readonly type: 'DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ';
  readonly value: string;
  readonly span?: Span;
}

/** `col`, `t.col`, `s.t.col`; also pattern-variable references `A.price` in MATCH_RECOGNIZE. */
export interface ColumnRef {
  readonly kind: 'ColumnRef';
  readonly parts: QualifiedName;
  readonly span?: Span;
}

/** `$1` (1-based). */
export interface Parameter {
  readonly kind: 'Parameter';
  readonly index: number;
  readonly span?: Span;
}

export interface UnaryOp {
  readonly kind: 'UnaryOp';
  readonly op: '-' | '+' | 'NOT';
  readonly operand: Expr;
  readonly span?: Span;
}

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '^' | '||'
  | '=' | '<>' | '<' | '<=' | '>' | '>='
  | 'AND' | 'OR';

/** `!=` is folded to `<>`. */
export interface BinaryOp {
  readonly kind: 'BinaryOp';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span?: Span;
}

/** `x IS [NOT] NULL` (also `ISNULL` / `NOTNULL`). */
export interface IsNull {
  readonly kind: 'IsNull';
  readonly operand: Expr;
  readonly negated: boolean;
  readonly span?: Span;
}

/** `x IS [NOT] TRUE | FALSE | UNKNOWN`. */
export interface IsTruth {
  readonly kind: 'IsTruth';
  readonly operand: Expr;
  readonly value: true | false | null;
  readonly negated: boolean;
  readonly span?: Span;
}

export interface IsDistinctFrom {
  readonly kind: 'IsDistinctFrom';
  readonly left: Expr;
  readonly right: Expr;
  /** `IS NOT DISTINCT FROM` */
  readonly negated: boolean;
  readonly span?: Span;
}

export interface Between {
  readonly kind: 'Between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  /** `BETWEEN SYMMETRIC` (ASYMMETRIC is the default and is not remembered). */
  readonly symmetric: boolean;
  readonly span?: Span;
}

export interface InList {
  readonly kind: 'InList';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly span?: Span;
}

export interface InSubquery {
  readonly kind: 'InSubquery';
  readonly operand: Expr;
  readonly query: Query;
  readonly negated: boolean;
  readonly span?: Span;
}

/** `LIKE`, `ILIKE`, `SIMILAR TO`, each with optional `ESCAPE`. */
export interface Like {
  readonly kind: 'Like';
  readonly op: 'LIKE' | 'ILIKE' | 'SIMILAR TO';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
  readonly negated: boolean;
  readonly span?: Span;
}

export interface Exists {
  readonly kind: 'Exists';
  readonly query: Query;
  readonly span?: Span;
}

export interface ScalarSubquery {
  readonly kind: 'ScalarSubquery';
  readonly query: Query;
  readonly span?: Span;
}

/** Simple (`CASE x WHEN 1 THEN ...`) when `operand` is set, searched otherwise. */
export interface Case {
  readonly kind: 'Case';
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
  readonly span?: Span;
}

/** `CAST(x AS t)`, `TRY_CAST(x AS t)`, and `x::t` (printed as CAST). */
export interface Cast {
  readonly kind: 'Cast';
  readonly operand: Expr;
  readonly type: TypeName;
  readonly try: boolean;
  readonly span?: Span;
}

/**
 * A function or aggregate call: `f(a, b)`, `COUNT(*)`, `COUNT(DISTINCT x)`,
 * `SUM(x) FILTER (WHERE ...)`, `LISTAGG(x, ',')`, `STRING_AGG(x, ',' ORDER BY y)`,
 * `ROW_NUMBER() OVER (...)`, and niladic forms written without parentheses
 * (`CURRENT_TIMESTAMP`, `CURRENT_DATE`, `LOCALTIMESTAMP`, `CURRENT_USER`, ...),
 * which have `bare` set. The window TVFs and group-window functions
 * (`TUMBLE(ts, INTERVAL '1' HOUR)`, `TUMBLE_END(...)`) are ordinary calls here;
 * the binder gives them meaning.
 */
export interface FunctionCall {
  readonly kind: 'FunctionCall';
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `COUNT(*)` */
  readonly star: boolean;
  readonly bare: boolean;
  /** Aggregate argument order: `STRING_AGG(x, ',' ORDER BY y)` or `... WITHIN GROUP (ORDER BY y)`. */
  readonly orderBy?: readonly OrderItem[];
  readonly withinGroup?: boolean;
  readonly filter?: Expr;
  /** `OVER (...)` or `OVER w` (a named window). */
  readonly over?: WindowSpec | Ident;
  /** `IGNORE NULLS` / `RESPECT NULLS` for FIRST_VALUE/LAST_VALUE/LAG/LEAD. */
  readonly nulls?: 'IGNORE' | 'RESPECT';
  readonly span?: Span;
}

/** `EXTRACT(HOUR FROM ts)` */
export interface Extract {
  readonly kind: 'Extract';
  readonly field: TimeUnit;
  readonly source: Expr;
  readonly span?: Span;
}

/** `TRIM([BOTH | LEADING | TRAILING] [chars] FROM s)` and `TRIM(s)`. */
export interface Trim {
  readonly kind: 'Trim';
  readonly where: 'BOTH' | 'LEADING' | 'TRAILING';
  readonly chars?: Expr;
  readonly source: Expr;
  readonly span?: Span;
}

/** `SUBSTRING(s FROM start [FOR len])`; the comma form `SUBSTRING(s, 1, 2)` is a FunctionCall. */
export interface Substring {
  readonly kind: 'Substring';
  readonly source: Expr;
  readonly from?: Expr;
  readonly for?: Expr;
  readonly span?: Span;
}

/** `POSITION(needle IN haystack)` */
export interface Position {
  readonly kind: 'Position';
  readonly needle: Expr;
  readonly haystack: Expr;
  readonly span?: Span;
}

/** `OVERLAY(s PLACING r FROM start [FOR len])` */
export interface Overlay {
  readonly kind: 'Overlay';
  readonly source: Expr;
  readonly placing: Expr;
  readonly from: Expr;
  readonly for?: Expr;
  readonly span?: Span;
}

/** `ROW(a, b)` or `(a, b)` with two or more items. */
export interface RowConstructor {
  readonly kind: 'RowConstructor';
  readonly items: readonly Expr[];
  /** Written with the ROW keyword. */
  readonly explicit: boolean;
  readonly span?: Span;
}

/** `ARRAY[a, b]` */
export interface ArrayConstructor {
  readonly kind: 'ArrayConstructor';
  readonly items: readonly Expr[];
  readonly span?: Span;
}

/** `a[i]` */
export interface Subscript {
  readonly kind: 'Subscript';
  readonly operand: Expr;
  readonly index: Expr;
  readonly span?: Span;
}

/** `(expr).field` — access to a field of a ROW value. */
export interface FieldAccess {
  readonly kind: 'FieldAccess';
  readonly operand: Expr;
  readonly field: Ident;
  readonly span?: Span;
}

/** `RUNNING expr` / `FINAL expr` in MATCH_RECOGNIZE measures. */
export interface NavigationSemantics {
  readonly kind: 'NavigationSemantics';
  readonly semantics: 'RUNNING' | 'FINAL';
  readonly expr: Expr;
  readonly span?: Span;
}
