// Turns result rows into the text lines of a regression file and compares them with the expected lines per sort mode.

import type { DataType } from '../../common/data-type.js';
import type { Row, Value } from '../../common/value.js';
import type { SortMode } from './record.js';

/** PostgreSQL text format of a value (what `psql -A` shows); null for SQL NULL. */
export type ValueFormatter = (value: Value, type: DataType) => string | null;

/** One value as a regression file writes it: `NULL` for null, `(empty)` for the empty string. */
export function formatCell(value: Value, type: DataType, formatValue: ValueFormatter): string {
  const text = value === null ? null : formatValue(value, type);
  if (text === null) return 'NULL';
  return text === '' ? '(empty)' : text;
}

/** The cells of each row, formatted. */
export function formatRows(rows: readonly Row[], types: readonly DataType[], formatValue: ValueFormatter): string[][] {
  return rows.map((row) => types.map((type, i) => formatCell(row[i] ?? null, type, formatValue)));
}

// Code-unit order, not locale order: the same on every machine.
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The lines a result is written as: one row per line with its values joined
 * by one space (rows sorted for `rowsort`), or for `valuesort` every value on
 * its own line, all sorted (a value may contain spaces, so rows could not be
 * split back into values).
 */
export function resultLines(cells: readonly (readonly string[])[], sort: SortMode): string[] {
  switch (sort) {
    case 'nosort':
      return cells.map((row) => row.join(' '));
    case 'rowsort':
      return cells.map((row) => row.join(' ')).sort(byCodeUnits);
    case 'valuesort':
      return cells.flat().sort(byCodeUnits);
  }
}

/** The expected lines in the order they are compared in. */
export function expectedLines(expected: readonly string[], sort: SortMode): string[] {
  return sort === 'nosort' ? [...expected] : [...expected].sort(byCodeUnits);
}

/** Whether the expected lines equal the actual ones, exactly, once both are ordered per the sort mode. */
export function linesMatch(expected: readonly string[], actual: readonly string[], sort: SortMode): boolean {
  const e = expectedLines(expected, sort);
  return e.length === actual.length && e.every((line, i) => line === actual[i]);
}
