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

/**
 * The output row of a MatchRecognize: a non-negative entry is an input column,
 * -(i + 1) is measure i. ONE ROW PER MATCH: partition columns, measures. ALL ROWS
 * PER MATCH: partition columns, ORDER BY columns, measures, the other input columns.
 */
export function matchOutputLayout(
  rowsPerMatch: RowsPerMatch,
  partitionKeys: readonly number[],
  orderKeys: readonly SortKey[],
  inputWidth: number,
  measures: number,
): number[] {
  const out: number[] = [];
  const listed = new Set<number>();
  const input = (c: number): void => {
    if (listed.has(c)) return;
    listed.add(c);
    out.push(c);
  };
  partitionKeys.forEach(input);
  if (rowsPerMatch !== 'ONE ROW') orderKeys.forEach((k) => input(k.index));
  for (let i = 0; i < measures; i++) out.push(-(i + 1));
  if (rowsPerMatch !== 'ONE ROW') for (let c = 0; c < inputWidth; c++) input(c);
  return out;
}

/** Renders a bound expression over a schema (EXPLAIN's renderer, passed in to keep this file free of it). */
export type ExprRenderer = (e: BoundExpr, schema: Schema) => string;

/**
 * The node as EXPLAIN shows it: partitioning, order, measures, rows per match,
 * skip mode, the pattern, subsets, WITHIN and the conditions. `automaton` is the
 * compiled pattern's description, appended as `nfa=[...]`.
 */
export function describeMatchRecognize(node: MatchRecognize, render: ExprRenderer, automaton?: string): string {
  const s = node.input.schema;
  const col = (i: number): string => s[i]?.name ?? `#${i}`;
  const parts: string[] = [];
  if (node.partitionKeys.length > 0) parts.push(`partition=[${node.partitionKeys.map(col).join(', ')}]`);
  parts.push(`order=[${node.orderKeys.map((k) => `${col(k.index)}${k.descending ? ' DESC' : ''}`).join(', ')}]`);
  const text = (e: MatchExpr): string => matchExprText(e, node, render);
  if (node.measures.length > 0) parts.push(`measures=[${node.measures.map((m) => `${text(m.expr)} AS ${m.name}`).join(', ')}]`);
  parts.push(rowsPerMatchText(node.rowsPerMatch));
  const skip = node.afterMatch;
  parts.push(`AFTER MATCH SKIP ${skip.kind === 'TO FIRST' || skip.kind === 'TO LAST' ? `${skip.kind} ${skip.name}` : skip.kind}`);
  parts.push(`pattern=(${rowPatternText(node.pattern, node.variables)})`);
  if (node.subsets.length > 0) parts.push(`subsets=[${node.subsets.map((u) => `${u.name} = (${u.variables.map((v) => node.variables[v]).join(', ')})`).join(', ')}]`);
  if (node.within !== undefined) parts.push(`within=${node.within / 1_000_000}s`);
  const defines = node.defines.flatMap((d, i) => (d === undefined ? [] : [`${node.variables[i]} AS ${text(d)}`]));
  if (defines.length > 0) parts.push(`define=[${defines.join(', ')}]`);
  if (automaton !== undefined) parts.push(`nfa=[${automaton}]`);
  return `MatchRecognize(${parts.join(', ')})`;
}

function rowsPerMatchText(r: RowsPerMatch): string {
  switch (r) {
    case 'ONE ROW': return 'ONE ROW PER MATCH';
    case 'ALL ROWS SHOW EMPTY': return 'ALL ROWS PER MATCH';
    case 'ALL ROWS OMIT EMPTY': return 'ALL ROWS PER MATCH OMIT EMPTY MATCHES';
    case 'ALL ROWS WITH UNMATCHED': return 'ALL ROWS PER MATCH WITH UNMATCHED ROWS';
    default: {
      const unreachable: never = r;
      throw new Error(`unknown rows per match ${String(unreachable)}`);
    }
  }
}

/** A row pattern as SQL writes it (quantifiers in their shortest form). */
export function rowPatternText(p: RowPattern, variables: readonly string[]): string {
  const grouped = (q: RowPattern, also: boolean): string => (q.kind === 'Concat' || q.kind === 'Alternation' || also ? `(${rowPatternText(q, variables)})` : rowPatternText(q, variables));
  const inner = (q: RowPattern): string => grouped(q, false);
  switch (p.kind) {
    case 'Var': return variables[p.variable] ?? `#${p.variable}`;
    case 'Concat': return p.items.map(inner).join(' ');
    case 'Alternation': return p.alternatives.map((a) => rowPatternText(a, variables)).join(' | ');
    case 'Permute': return `PERMUTE(${p.items.map((i) => rowPatternText(i, variables)).join(', ')})`;
    case 'Exclusion': return `{- ${rowPatternText(p.term, variables)} -}`;
    case 'Anchor': return p.anchor === 'start' ? '^' : '$';
    case 'Empty': return '()';
    case 'Quantified': {
      const q = p.min === 0 && p.max === null ? '*'
        : p.min === 1 && p.max === null ? '+'
          : p.min === 0 && p.max === 1 ? '?'
            : p.max === null ? `{${p.min},}`
              : p.min === p.max ? `{${p.min}}` : `{${p.min},${p.max}}`;
      return `${grouped(p.term, p.term.kind === 'Quantified')}${q}${p.reluctant ? '?' : ''}`;
    }
    default: {
      const unreachable: never = p;
      throw new Error(`unknown row pattern ${(unreachable as RowPattern).kind}`);
    }
  }
}

/** A DEFINE condition or measure as text, each access shown as written. */
export function matchExprText(e: MatchExpr, node: Pick<MatchRecognize, 'variables' | 'subsets' | 'input'>, render: ExprRenderer): string {
  const schema: Schema = e.accesses.map((a) => ({ name: matchAccessText(a, node, render), type: a.type, nullable: true }));
  return render(e.expr, schema);
}

function rowSetName(rows: RowSet, node: Pick<MatchRecognize, 'variables' | 'subsets'>): string | undefined {
  if (rows === null) return undefined;
  if (rows.length === 1) return node.variables[rows[0] as number];
  const key = [...rows].sort((a, b) => a - b).join(',');
  const subset = node.subsets.find((u) => [...u.variables].sort((a, b) => a - b).join(',') === key);
  return subset?.name ?? `(${rows.map((v) => node.variables[v]).join(' | ')})`;
}

export function matchAccessText(a: MatchAccess, node: Pick<MatchRecognize, 'variables' | 'subsets' | 'input'>, render: ExprRenderer): string {
  const final = 'final' in a && a.final ? 'FINAL ' : '';
  switch (a.kind) {
    case 'Navigation': {
      const set = rowSetName(a.rows, node);
      const value = render(a.value, node.input.schema);
      const x = set === undefined ? value : a.value.kind === 'InputRef' ? `${set}.${value}` : `${set}.(${value})`;
      const logical = a.from === 'first' ? `FIRST(${x}${a.offset === 0 ? '' : `, ${a.offset}`})`
        : a.offset === 0 ? x : `LAST(${x}, ${a.offset})`;
      if (a.physical === 0) return a.from === 'last' && a.offset === 0 && final !== '' ? `${final}LAST(${x})` : `${final}${logical}`;
      const fn = a.physical < 0 ? 'PREV' : 'NEXT';
      const n = Math.abs(a.physical);
      return `${final}${fn}(${logical}${n === 1 ? '' : `, ${n}`})`;
    }
    case 'Aggregate': return `${final}${a.name}`;
    case 'Classifier': {
      const set = rowSetName(a.rows, node);
      return `${final}CLASSIFIER(${set ?? ''})`;
    }
    case 'MatchNumber': return 'MATCH_NUMBER()';
    case 'MatchRowtime': return 'MATCH_ROWTIME()';
    default: {
      const unreachable: never = a;
      throw new Error(`unknown match access ${(unreachable as MatchAccess).kind}`);
    }
  }
}
