// MatchRecognize: SQL:2016 row pattern recognition over each partition's rows in event-time order.
//
// Output, ONE ROW PER MATCH: the partition columns, then one column per measure.
// ALL ROWS PER MATCH: the partition columns, the ORDER BY columns, the measures,
// then the remaining input columns in input order (the standard's row pattern output table).

import type { DataType, Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { SortKey } from './sort.js';
import type { LogicalPlan } from './index.js';

/**
 * A row pattern over pattern variables, by their position in `MatchRecognize.variables`.
 * Parentheses leave no node; PERMUTE is kept as written (the compiler expands it).
 */
export type RowPattern =
  | { readonly kind: 'Var'; readonly variable: number }
  | { readonly kind: 'Concat'; readonly items: readonly RowPattern[] }
  | { readonly kind: 'Alternation'; readonly alternatives: readonly RowPattern[] }
  /** `max` null: unbounded. */
  | { readonly kind: 'Quantified'; readonly term: RowPattern; readonly min: number; readonly max: number | null; readonly reluctant: boolean }
  | { readonly kind: 'Permute'; readonly items: readonly RowPattern[] }
  /** `{- ... -}`: rows matched inside are part of the match but not of ALL ROWS PER MATCH output. */
  | { readonly kind: 'Exclusion'; readonly term: RowPattern }
  /** `^` start of the partition, `$` its end (the end of the input, in a stream). */
  | { readonly kind: 'Anchor'; readonly anchor: 'start' | 'end' }
  | { readonly kind: 'Empty' };

/**
 * The rows a navigation or an aggregate ranges over: those mapped to any of
 * `variables` (one variable, or the members of a SUBSET), or, when `variables`
 * is null, every row of the match (the universal row pattern variable).
 */
export type RowSet = readonly number[] | null;

/**
 * A value a DEFINE condition or a measure reads from the match. Each becomes one
 * input column of the access row the surrounding expression is bound over.
 * `final`: FINAL semantics (the whole match) instead of RUNNING (up to the current row).
 */
export type MatchAccess =
  /**
   * A column expression evaluated on one row: the `offset`-th row of `rows` counted
   * from the first or the last (logical navigation, FIRST/LAST; a plain `a.price`
   * is LAST(a.price, 0)), then `physical` rows further in the partition (PREV is
   * negative, NEXT positive). NULL when there is no such row.
   */
  | {
      readonly kind: 'Navigation';
      readonly rows: RowSet;
      readonly from: 'first' | 'last';
      readonly offset: number;
      readonly physical: number;
      /** Over the input row. */
      readonly value: BoundExpr;
      readonly final: boolean;
      readonly type: DataType;
    }
  /** An aggregate over the rows of `rows`, its arguments over the input row. `fn` is a registry name (AggCall.fn). */
  | {
      readonly kind: 'Aggregate';
      readonly rows: RowSet;
      readonly fn: string;
      readonly args: readonly BoundExpr[];
      readonly final: boolean;
      readonly type: DataType;
      /** As written, for EXPLAIN. */
      readonly name: string;
    }
  /** CLASSIFIER(): the variable the current row is mapped to; with a set, that of the last row of the set. */
  | { readonly kind: 'Classifier'; readonly rows: RowSet; readonly final: boolean; readonly type: DataType }
  | { readonly kind: 'MatchNumber'; readonly type: DataType }
  /** The event time of the last row of the match (of the starting row for an empty match). */
  | { readonly kind: 'MatchRowtime'; readonly type: DataType };

/** An expression of DEFINE or MEASURES: `expr` reads its accesses as InputRef i = accesses[i]. */
export interface MatchExpr {
  readonly accesses: readonly MatchAccess[];
  readonly expr: BoundExpr;
}

export type RowsPerMatch = 'ONE ROW' | 'ALL ROWS SHOW EMPTY' | 'ALL ROWS OMIT EMPTY' | 'ALL ROWS WITH UNMATCHED';

export type AfterMatchSkip =
  | { readonly kind: 'PAST LAST ROW' }
  | { readonly kind: 'TO NEXT ROW' }
  | { readonly kind: 'TO FIRST'; readonly rows: readonly number[]; readonly name: string }
  | { readonly kind: 'TO LAST'; readonly rows: readonly number[]; readonly name: string };

export interface MatchMeasure {
  readonly name: string;
  readonly expr: MatchExpr;
}

export interface MatchRecognize {
  readonly kind: 'MatchRecognize';
  readonly input: LogicalPlan;
  readonly partitionKeys: readonly number[];
  /** The first key is the event-time attribute, ascending; the others order rows of equal time. */
  readonly orderKeys: readonly SortKey[];
  /** Pattern variable names, as CLASSIFIER() returns them. */
  readonly variables: readonly string[];
  readonly subsets: readonly { readonly name: string; readonly variables: readonly number[] }[];
  readonly pattern: RowPattern;
  /** Per variable, its condition; undefined: the variable matches every row. */
  readonly defines: readonly (MatchExpr | undefined)[];
  readonly measures: readonly MatchMeasure[];
  readonly rowsPerMatch: RowsPerMatch;
  readonly afterMatch: AfterMatchSkip;
  /** WITHIN, in microseconds: every row of a match is less than this after its first row. */
  readonly within?: number;
  readonly schema: Schema;
}

export function matchRecognize(node: Omit<MatchRecognize, 'kind'>): MatchRecognize {
  return { kind: 'MatchRecognize', ...node };
}

/** Every MatchExpr of the node: DEFINE conditions, then measures. */
export function matchExprs(node: MatchRecognize): MatchExpr[] {
  const out: MatchExpr[] = [];
  for (const d of node.defines) if (d !== undefined) out.push(d);
  for (const m of node.measures) out.push(m.expr);
  return out;
}
