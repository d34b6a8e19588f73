// Data manipulation: INSERT, UPDATE, DELETE, COPY.

import type { Expr } from './expression.js';
import type { Ident, OptionEntry, QualifiedName, Span } from './node.js';
import type { Query } from './query.js';
import type { Subscribe } from './session.js';

/** `INSERT [INTO | OVERWRITE] t [(cols)] <query>`; VALUES is a query whose body is Values. */
export interface Insert {
  readonly kind: 'Insert';
  readonly overwrite: boolean;
  readonly table: QualifiedName;
  readonly columns?: readonly Ident[];
  readonly source: Query;
  readonly span?: Span;
}

export interface Update {
  readonly kind: 'Update';
  readonly table: QualifiedName;
  readonly alias?: Ident;
  readonly assignments: readonly { readonly column: Ident; readonly value: Expr }[];
  readonly where?: Expr;
  readonly span?: Span;
}

export interface Delete {
  readonly kind: 'Delete';
  readonly table: QualifiedName;
  readonly alias?: Ident;
  readonly where?: Expr;
  readonly span?: Span;
}

/**
 * `COPY t [(cols)] FROM STDIN [WITH (...)]`, `COPY t TO STDOUT`,
 * `COPY (query) TO STDOUT`, `COPY (SUBSCRIBE ...) TO STDOUT`.
 * Options are kept as written: `(FORMAT csv, HEADER true)` and the old
 * `WITH CSV HEADER` form both become key/value entries (value '' when absent).
 */
export interface Copy {
  readonly kind: 'Copy';
  readonly source:
    | { readonly kind: 'CopyTable'; readonly table: QualifiedName; readonly columns?: readonly Ident[] }
    | { readonly kind: 'CopyQuery'; readonly query: Query }
    | { readonly kind: 'CopySubscribe'; readonly subscribe: Subscribe };
  readonly direction: 'FROM' | 'TO';
  readonly target: 'STDIN' | 'STDOUT';
  readonly options: readonly OptionEntry[];
  readonly span?: Span;
}
