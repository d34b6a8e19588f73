// MATCH_RECOGNIZE (SQL:2016 row pattern recognition) as a FROM item.

import type { Expr } from './expression.js';
import type { Ident, Span } from './node.js';
import type { OrderItem, TableAlias, TableRef } from './query.js';

export interface MatchRecognize {
  readonly kind: 'MatchRecognize';
  readonly input: TableRef;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly measures: readonly { readonly expr: Expr; readonly alias: Ident }[];
  /** Absent: ONE ROW PER MATCH (the default). */
  readonly rowsPerMatch?: RowsPerMatch;
  /** Absent: AFTER MATCH SKIP PAST LAST ROW (the default). */
  readonly afterMatch?: AfterMatchSkip;
  readonly pattern: PatternTerm;
  readonly subsets: readonly { readonly name: Ident; readonly variables: readonly Ident[] }[];
  /** `WITHIN INTERVAL '1' HOUR` */
  readonly within?: Expr;
  readonly define: readonly { readonly variable: Ident; readonly condition: Expr }[];
  readonly alias?: TableAlias;
  readonly span?: Span;
}

export type RowsPerMatch =
  | { readonly kind: 'OneRow' }
  | { readonly kind: 'AllRows'; readonly emptyMatches?: 'SHOW' | 'OMIT' | 'WITH UNMATCHED' };

export type AfterMatchSkip =
  | { readonly kind: 'PastLastRow' }
  | { readonly kind: 'ToNextRow' }
  | { readonly kind: 'ToFirst'; readonly variable: Ident }
  | { readonly kind: 'ToLast'; readonly variable: Ident }
  /** `SKIP TO v` — the same as `TO LAST v` in the standard. */
  | { readonly kind: 'To'; readonly variable: Ident };

/** A row pattern. Concatenation and alternation are n-ary; parentheses leave no node. */
export type PatternTerm =
  | { readonly kind: 'PatternVariable'; readonly name: Ident }
  | { readonly kind: 'PatternConcat'; readonly items: readonly PatternTerm[] }
  | { readonly kind: 'PatternAlternation'; readonly alternatives: readonly PatternTerm[] }
  /** `max` absent = unbounded. `*` is {0,}, `+` {1,}, `?` {0,1}; `{,m}` has min 0. */
  | {
      readonly kind: 'PatternQuantified';
      readonly term: PatternTerm;
      readonly min: number;
      readonly max?: number;
      readonly reluctant: boolean;
      /** How it was written, so the printer can reproduce `*`, `+`, `?` rather than braces. */
      readonly form: '*' | '+' | '?' | 'braces';
    }
  | { readonly kind: 'PatternPermute'; readonly items: readonly PatternTerm[] }
  | { readonly kind: 'PatternExclusion'; readonly term: PatternTerm }
  | { readonly kind: 'PatternAnchor'; readonly anchor: '^' | '$' }
  /** `()` */
  | { readonly kind: 'PatternEmpty' };
