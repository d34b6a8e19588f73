// Queries: SELECT, set operations, VALUES, FROM items, window specifications.

import type { Expr } from './expression.js';
import type { MatchRecognize } from './match-recognize.js';
import type { Ident, QualifiedName, Span } from './node.js';

/** A full query expression: `WITH ... <body> ORDER BY ... LIMIT ... OFFSET ...`. */
export interface Query {
  readonly kind: 'Query';
  readonly with?: With;
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItem[];
  /** `LIMIT n`, `FETCH FIRST n ROWS ONLY`; absent for `LIMIT ALL`. */
  readonly limit?: Expr;
  readonly offset?: Expr;
  readonly span?: Span;
}

export interface With {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
}

export interface CommonTableExpr {
  readonly name: Ident;
  readonly columns?: readonly Ident[];
  readonly query: Query;
}

export type QueryBody = Select | SetOperation | Values | NestedQuery;

/** A parenthesized query used as a set-operation operand: `(SELECT ... ORDER BY ... LIMIT 3) UNION ...`. */
export interface NestedQuery {
  readonly kind: 'NestedQuery';
  readonly query: Query;
  readonly span?: Span;
}

export interface SetOperation {
  readonly kind: 'SetOperation';
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  /** `ALL`; `DISTINCT` is the default and is not remembered. */
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
  readonly span?: Span;
}

export interface Values {
  readonly kind: 'Values';
  readonly rows: readonly (readonly Expr[])[];
  readonly span?: Span;
}

export interface Select {
  readonly kind: 'Select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  /** Comma-separated FROM items (a cross join); empty for `SELECT 1`. */
  readonly from: readonly TableRef[];
  readonly where?: Expr;
  readonly groupBy?: GroupBy;
  readonly having?: Expr;
  /** `WINDOW w AS (...)` */
  readonly windows?: readonly NamedWindow[];
  /** `QUALIFY` filter on window functions. */
  readonly qualify?: Expr;
  readonly span?: Span;
}

export type SelectItem = SelectExpr | SelectStar;

export interface SelectExpr {
  readonly kind: 'SelectExpr';
  readonly expr: Expr;
  readonly alias?: Ident;
  readonly span?: Span;
}

/** `*` or `t.*` */
export interface SelectStar {
  readonly kind: 'SelectStar';
  readonly qualifier?: QualifiedName;
  readonly span?: Span;
}

export interface GroupBy {
  readonly items: readonly GroupingElement[];
}

/**
 * An element of GROUP BY. Plain expressions (including group-window calls
 * such as `TUMBLE(rowtime, INTERVAL '1' HOUR)`), `ROLLUP(...)`, `CUBE(...)`,
 * `GROUPING SETS (...)` and the empty set `()`.
 * In ROLLUP and CUBE each element is a list: `ROLLUP(a, (b, c))` -> [[a], [b, c]].
 */
export type GroupingElement =
  | { readonly kind: 'GroupExpr'; readonly expr: Expr }
  | { readonly kind: 'Rollup'; readonly items: readonly (readonly Expr[])[] }
  | { readonly kind: 'Cube'; readonly items: readonly (readonly Expr[])[] }
  | { readonly kind: 'GroupingSets'; readonly sets: readonly GroupingElement[] }
  | { readonly kind: 'EmptyGroup' };

export interface OrderItem {
  readonly expr: Expr;
  readonly direction?: 'ASC' | 'DESC';
  readonly nulls?: 'FIRST' | 'LAST';
}

export interface NamedWindow {
  readonly name: Ident;
  readonly spec: WindowSpec;
}

/** The body of `OVER (...)` or of a named window. */
export interface WindowSpec {
  readonly kind: 'WindowSpec';
  /** `OVER (w ORDER BY ...)`: a named window this one extends. */
  readonly base?: Ident;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame;
  readonly span?: Span;
}

export interface WindowFrame {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBound;
  /** Absent for the short form `ROWS UNBOUNDED PRECEDING`. */
  readonly end?: FrameBound;
  readonly exclude?: 'CURRENT ROW' | 'GROUP' | 'TIES' | 'NO OTHERS';
}

export type FrameBound =
  | { readonly kind: 'UnboundedPreceding' }
  | { readonly kind: 'Preceding'; readonly offset: Expr }
  | { readonly kind: 'CurrentRow' }
  | { readonly kind: 'Following'; readonly offset: Expr }
  | { readonly kind: 'UnboundedFollowing' };

/** `AS a` or `a (x, y)` after a FROM item. */
export interface TableAlias {
  readonly name: Ident;
  readonly columns?: readonly Ident[];
}

export type TableRef = NamedTable | DerivedTable | TableFunction | Join | MatchRecognize;

/** `t`, `s.t AS x`, `rates FOR SYSTEM_TIME AS OF o.order_time AS r`. */
export interface NamedTable {
  readonly kind: 'NamedTable';
  readonly name: QualifiedName;
  /** `FOR SYSTEM_TIME AS OF expr` */
  readonly asOf?: Expr;
  readonly alias?: TableAlias;
  readonly span?: Span;
}

/** `(SELECT ...) AS x`, `LATERAL (SELECT ...)` */
export interface DerivedTable {
  readonly kind: 'DerivedTable';
  readonly query: Query;
  readonly lateral: boolean;
  readonly alias?: TableAlias;
  readonly span?: Span;
}

/**
 * A table-valued function in FROM: Flink's `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTES))`
 * (`wrapped` = written inside `TABLE(...)`), `LATERAL TABLE(f(x))`, or a bare call `generate_series(1, 3)`.
 */
export interface TableFunction {
  readonly kind: 'TableFunction';
  readonly name: QualifiedName;
  readonly args: readonly TableFunctionArg[];
  readonly wrapped: boolean;
  readonly lateral: boolean;
  readonly alias?: TableAlias;
  readonly span?: Span;
}

/** A positional (`name` absent) or named (`SIZE => INTERVAL '1' HOUR`) argument. */
export interface TableFunctionArg {
  readonly name?: Ident;
  readonly value: TableFunctionArgValue;
}

export type TableFunctionArgValue =
  | { readonly kind: 'ScalarArg'; readonly expr: Expr }
  /** `TABLE t [PARTITION BY k, ...] [ORDER BY ...]`, or `TABLE (subquery)`-free form `(SELECT ...)`. */
  | {
      readonly kind: 'TableArg';
      readonly table: QualifiedName;
      readonly partitionBy: readonly Expr[];
      readonly orderBy: readonly OrderItem[];
      readonly span?: Span;
    }
  | { readonly kind: 'QueryArg'; readonly query: Query; readonly partitionBy: readonly Expr[] }
  /** `DESCRIPTOR(ts)` */
  | { readonly kind: 'DescriptorArg'; readonly columns: readonly Ident[]; readonly span?: Span };

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

export interface Join {
  readonly kind: 'Join';
  readonly type: JoinType;
  readonly natural: boolean;
  readonly left: TableRef;
  readonly right: TableRef;
  readonly on?: Expr;
  readonly using?: readonly Ident[];
  readonly span?: Span;
}
