// Session and inspection statements: SET/RESET/SHOW/DESCRIBE/EXPLAIN,
// SUBSCRIBE and cursors, CHECKPOINT, transaction control.

import type { Ident, OptionEntry, QualifiedName, Span } from './node.js';
import type { Query } from './query.js';
import type { Statement } from './statement.js';

/**
 * Flink's `SET 'key' = 'value'` (`quoted`), PostgreSQL's `SET [SESSION | LOCAL] name { = | TO } value`
 * and `SET TIME ZONE value`. `value` is the text of the value (a list is joined with ', '); absent for `DEFAULT`.
 * Bare `SET` (Flink: list all) has no name.
 */
export interface SetStatement {
  readonly kind: 'Set';
  readonly name?: string;
  readonly value?: string;
  readonly quoted: boolean;
  readonly local: boolean;
  readonly span?: Span;
}

/** `RESET 'key'`, `RESET name`, `RESET ALL`, `RESET` (all). */
export interface Reset {
  readonly kind: 'Reset';
  readonly name?: string;
  readonly span?: Span;
}

export type ShowObjectType = 'TABLES' | 'VIEWS' | 'MATERIALIZED VIEWS' | 'JOBS' | 'FUNCTIONS' | 'CURSORS';

/** `SHOW TABLES`, `SHOW MATERIALIZED VIEWS`, `SHOW JOBS`, ... */
export interface ShowObjects {
  readonly kind: 'ShowObjects';
  readonly objectType: ShowObjectType;
  readonly span?: Span;
}

/** `SHOW CREATE TABLE t`, `SHOW CREATE VIEW v`, `SHOW CREATE MATERIALIZED VIEW mv` */
export interface ShowCreate {
  readonly kind: 'ShowCreate';
  readonly objectType: 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW';
  readonly name: QualifiedName;
  readonly span?: Span;
}

/** PostgreSQL's `SHOW name` / `SHOW ALL` (name 'all'), and `SHOW 'key'` for Flink options. */
export interface ShowVariable {
  readonly kind: 'ShowVariable';
  readonly name: string;
  readonly span?: Span;
}

/** `DESCRIBE t` / `DESC t` */
export interface Describe {
  readonly kind: 'Describe';
  readonly name: QualifiedName;
  readonly span?: Span;
}

export type ExplainMode = 'PLAN' | 'CHANGELOG_MODE' | 'ESTIMATED_COST' | 'ANALYZE';

/** `EXPLAIN [PLAN FOR | CHANGELOG_MODE | ESTIMATED_COST | ANALYZE] statement` */
export interface Explain {
  readonly kind: 'Explain';
  readonly mode: ExplainMode;
  readonly statement: Statement;
  readonly span?: Span;
}

/** `SUBSCRIBE [TO] name | (query) [WITH (SNAPSHOT = false)]` */
export interface Subscribe {
  readonly kind: 'Subscribe';
  readonly target:
    | { readonly kind: 'SubscribeName'; readonly name: QualifiedName }
    | { readonly kind: 'SubscribeQuery'; readonly query: Query };
  /** Option keys are lower-cased identifiers or strings; values are the literal's text (`true`, `1s`). */
  readonly options: readonly OptionEntry[];
  readonly span?: Span;
}

/** `DECLARE c [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR SUBSCRIBE ... | query` */
export interface DeclareCursor {
  readonly kind: 'DeclareCursor';
  readonly name: Ident;
  readonly binary: boolean;
  readonly hold: boolean;
  readonly query: Subscribe | Query;
  readonly span?: Span;
}

/** `FETCH [NEXT | FORWARD] [n | ALL] [FROM | IN] c [WITH (timeout = '1s')]` */
export interface Fetch {
  readonly kind: 'Fetch';
  /** Absent: one row (PostgreSQL's default). */
  readonly count?: number | 'ALL';
  readonly cursor: Ident;
  readonly options: readonly OptionEntry[];
  readonly span?: Span;
}

/** `CLOSE c` / `CLOSE ALL` (cursor absent). */
export interface CloseCursor {
  readonly kind: 'CloseCursor';
  readonly cursor?: Ident;
  readonly span?: Span;
}

export interface Checkpoint {
  readonly kind: 'Checkpoint';
  readonly span?: Span;
}

/** BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT, accepted for drivers and tools. */
export interface Transaction {
  readonly kind: 'Transaction';
  readonly action: 'BEGIN' | 'COMMIT' | 'ROLLBACK';
  readonly span?: Span;
}
