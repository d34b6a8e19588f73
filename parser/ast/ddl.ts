// Data definition: CREATE TABLE / VIEW / MATERIALIZED VIEW, DROP, ANALYZE.

import type { Expr } from './expression.js';
import type { Ident, OptionEntry, QualifiedName, Span } from './node.js';
import type { Query } from './query.js';
import type { TypeName } from './types.js';

export type ColumnDef =
  /** `col TYPE [NOT NULL | NULL] [PRIMARY KEY [NOT ENFORCED]] [COMMENT '...']` */
  | {
      readonly kind: 'PhysicalColumn';
      readonly name: Ident;
      readonly type: TypeName;
      readonly notNull: boolean;
      /** Column-level `PRIMARY KEY [NOT ENFORCED]`. */
      readonly primaryKey?: boolean;
      readonly comment?: string;
      readonly span?: Span;
    }
  /** `col AS expr` — also `pt AS PROCTIME()`. */
  | { readonly kind: 'ComputedColumn'; readonly name: Ident; readonly expr: Expr; readonly comment?: string; readonly span?: Span }
  /** Flink's `col TYPE METADATA [FROM 'key'] [VIRTUAL]`. */
  | {
      readonly kind: 'MetadataColumn';
      readonly name: Ident;
      readonly type: TypeName;
      readonly from?: string;
      readonly virtual: boolean;
      readonly span?: Span;
    };

export interface WatermarkDef {
  readonly column: Ident;
  readonly expr: Expr;
  readonly span?: Span;
}

export interface CreateTable {
  readonly kind: 'CreateTable';
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: QualifiedName;
  readonly columns: readonly ColumnDef[];
  readonly watermark?: WatermarkDef;
  /** Table-level `PRIMARY KEY (a, b) NOT ENFORCED`. */
  readonly primaryKey?: { readonly columns: readonly Ident[]; readonly enforced: boolean; readonly span?: Span };
  readonly comment?: string;
  readonly partitionedBy?: readonly Ident[];
  readonly options: readonly OptionEntry[];
  readonly span?: Span;
}

/** `CREATE [OR REPLACE] [TEMPORARY] [MATERIALIZED] VIEW [IF NOT EXISTS] v [(cols)] [WITH (...)] AS query` */
export interface CreateView {
  readonly kind: 'CreateView';
  readonly materialized: boolean;
  readonly orReplace: boolean;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: QualifiedName;
  readonly columns?: readonly Ident[];
  readonly options: readonly OptionEntry[];
  readonly query: Query;
  readonly span?: Span;
}

export type DroppableObject = 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW';

export interface Drop {
  readonly kind: 'Drop';
  readonly objectType: DroppableObject;
  readonly ifExists: boolean;
  readonly names: readonly QualifiedName[];
  readonly cascade: boolean;
  readonly span?: Span;
}

/** `DROP JOB 'id'` or `DROP JOB id` */
export interface DropJob {
  readonly kind: 'DropJob';
  readonly ifExists: boolean;
  readonly job: string;
  readonly span?: Span;
}

/** `ANALYZE [TABLE] t` */
export interface Analyze {
  readonly kind: 'Analyze';
  readonly name?: QualifiedName;
  readonly span?: Span;
}
