// The records of a regression file (sqllogictest dialect, see sql-tests/README.md), with where each came from.

/** Where a record starts: the file and the 1-based line of its header (`statement ok`, `query I`, ...). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** `skipif <engine>` / `onlyif <engine>` lines written above a record. */
export interface Condition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
}

/** A half-open character range [start, end) of the file's text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** How result rows are ordered before comparison. */
export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export type StatementExpectation =
  | { readonly kind: 'ok' }
  /** `countRange` is where N is written in the header, for `--complete`. */
  | { readonly kind: 'count'; readonly count: number; readonly countRange: TextRange }
  /** `pattern` is a SQLSTATE or a message substring; empty: any error with a SQLSTATE. */
  | { readonly kind: 'error'; readonly pattern: string };

export interface StatementRecord {
  readonly kind: 'statement';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
  readonly sql: string;
  readonly expect: StatementExpectation;
}

/**
 * Where the expected rows of a query are written, so `--complete` can rewrite
 * them and leave every other character of the file as it was.
 * - `rows`: the range of the result lines (without the line break after the last);
 *   null when there are none.
 * - `dividerEnd`: the offset just past the `----` text; null without a divider.
 * - `sqlEnd`: the end of the last SQL line, where a divider is added when missing.
 */
export interface ResultPlacement {
  readonly rows: TextRange | null;
  readonly dividerEnd: number | null;
  readonly sqlEnd: number;
}

export interface QueryRecord {
  readonly kind: 'query';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
  readonly sql: string;
  /** One letter per column: I integer, R real, T text, B boolean, D date/time, ? any. */
  readonly types: string;
  readonly sort: SortMode;
  /** The expected lines: one row per line (one value per line with `valuesort`). */
  readonly expected: readonly string[];
  readonly placement: ResultPlacement;
}

/** `query error <pattern>`: a query that must fail. */
export interface QueryErrorRecord {
  readonly kind: 'query-error';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
  readonly sql: string;
  readonly pattern: string;
}

export interface IncludeRecord {
  readonly kind: 'include';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
  /** As written: relative to the including file's folder. */
  readonly path: string;
}

/** `halt`, `restart`, `checkpoint` and `connection NAME`: what SQL cannot say. */
export interface DirectiveRecord {
  readonly kind: 'halt' | 'restart' | 'checkpoint';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
}

export interface ConnectionRecord {
  readonly kind: 'connection';
  readonly location: SourceLocation;
  readonly conditions: readonly Condition[];
  readonly name: string;
}

export type SltRecord =
  | StatementRecord
  | QueryRecord
  | QueryErrorRecord
  | IncludeRecord
  | DirectiveRecord
  | ConnectionRecord;

/** Records that are counted as passed, failed or skipped; directives are not. */
export type CheckedRecord = StatementRecord | QueryRecord | QueryErrorRecord;

export function isChecked(record: SltRecord): record is CheckedRecord {
  return record.kind === 'statement' || record.kind === 'query' || record.kind === 'query-error';
}

/** The engine name `skipif` / `onlyif` lines are matched against. */
export const ENGINE_NAME = 'eddy';

/** Whether a record runs here: no `skipif eddy`, and every `onlyif` names eddy. */
export function conditionsAllow(conditions: readonly Condition[]): boolean {
  return conditions.every((c) => (c.kind === 'skipif' ? c.engine !== ENGINE_NAME : c.engine === ENGINE_NAME));
}
