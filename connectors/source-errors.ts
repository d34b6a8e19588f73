// Bad input rows: the error that fails a job (naming file, line and column), or the record of a skipped row.

import { SqlError, SqlState } from '../common/errors.js';

/** Where in the input a row failed to parse. Lines and columns are 1-based. */
export interface InputLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The table column the value was for, when one was. */
  readonly columnName?: string;
}

/** One skipped row as eddy_source_errors shows it. */
export interface SkippedRow extends InputLocation {
  /** How many rows of this table were skipped, this one included. */
  readonly seq: number;
  readonly error: string;
  /** The row's input text, shortened. */
  readonly input: string;
}

/** Skipped rows kept per table to show; older ones are only counted. */
export const SKIPPED_ROWS_KEPT = 1000;

/** A table's skipped rows: the count, and the latest SKIPPED_ROWS_KEPT of them. */
export class SourceErrorLog {
  count = 0;
  readonly kept: SkippedRow[] = [];

  record(location: InputLocation, error: string, input: string): void {
    this.count++;
    if (this.kept.length >= SKIPPED_ROWS_KEPT) this.kept.shift();
    this.kept.push({ ...location, seq: this.count, error, input: input.length > 200 ? `${input.slice(0, 200)}...` : input });
  }
}

/** The location as messages write it: `file "in/a.csv", line 3, column 2 ("price")`. */
export function describeLocation(at: InputLocation): string {
  return `file "${at.file}", line ${at.line}, column ${at.column}${at.columnName === undefined ? '' : ` ("${at.columnName}")`}`;
}

/** A row that does not parse, failing the job: the cause's SQLSTATE and message, prefixed with where. */
export function badRowError(table: string, at: InputLocation, cause: unknown): SqlError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const sqlstate = cause instanceof SqlError && cause.sqlstate !== SqlState.internalError ? cause.sqlstate : SqlState.invalidTextRepresentation;
  return new SqlError(sqlstate, `bad row in source "${table}": ${describeLocation(at)}: ${message}`, {
    hint: "Fix the input, or set 'format.ignore-parse-errors' = 'true' to skip bad rows (they are counted in eddy_source_errors).",
  });
}
