// Engine result rows as psql's aligned table: values to text by column type, numbers right-aligned.

import type { DataType } from '../../common/data-type.js';
import type { Row, Value } from '../../common/value.js';
import type { ResultColumn } from '../../executor/engine/api.js';
import { alignFor, formatTable, type TableColumn } from './table.js';

/** Text of a non-null value of a type (common/pg-text.ts `formatValue`, possibly bound to a time zone). */
export type ValueFormatter = (value: Value, type: DataType) => string | null;

/** The table columns (name and alignment) of result columns. */
export function tableColumns(columns: readonly ResultColumn[]): TableColumn[] {
  return columns.map((c) => ({ name: c.name, align: alignFor(c.type) }));
}

/** A row's cells as text; NULL stays `null` so the table decides how to show it. */
export function formatCells(columns: readonly ResultColumn[], row: Row, formatValue: ValueFormatter): (string | null)[] {
  return columns.map((c, i) => {
    const v = row[i] ?? null;
    return v === null ? null : formatValue(v, c.type);
  });
}

/**
 * The lines psql prints for a result set (without the blank line after it).
 *
 * @example
 *   resultTable([{ name: 'n', type: { kind: 'INT' } }], [[1]], formatValue)
 *   // [' n ', '---', ' 1', '(1 row)']
 */
export function resultTable(columns: readonly ResultColumn[], rows: readonly Row[], formatValue: ValueFormatter): string[] {
  return formatTable(tableColumns(columns), rows.map((row) => formatCells(columns, row, formatValue)));
}
