// What the binder may ask of the catalog: relations by name, with their columns.

import type { DataType } from '../../common/data-type.js';
import type { OptionEntry } from '../../parser/ast/node.js';
import type { Expr } from '../../parser/ast/expression.js';
import type { Query } from '../../parser/ast/query.js';

export type RelationKind = 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW' | 'SYSTEM TABLE';

export interface CatalogColumn {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  /** A computed column's expression (over the table's physical columns); absent for stored columns. */
  readonly computed?: Expr;
  /**
   * An append-only materialized view's event-time column (window_time, say): the view
   * passes its job's watermarks on, so windows over it can follow them.
   */
  readonly timeAttribute?: 'ROWTIME';
}

export interface CatalogRelation {
  /** Canonical name (lower case unless it was quoted). */
  readonly name: string;
  readonly kind: RelationKind;
  /** Declared order; computed columns included. */
  readonly columns: readonly CatalogColumn[];
  /** Indexes into `columns`. */
  readonly primaryKey?: readonly number[];
  /** `WATERMARK FOR columns[column] AS expr`. */
  readonly watermark?: { readonly column: number; readonly expr: Expr };
  /** The defining query of a VIEW or MATERIALIZED VIEW. */
  readonly query?: Query;
  readonly options: readonly OptionEntry[];
}

export interface CatalogReader {
  relation(name: string): CatalogRelation | undefined;
  /** Every relation name, for "did you mean" hints. */
  relationNames(): readonly string[];
}
