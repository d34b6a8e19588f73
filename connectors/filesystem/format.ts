// What the file formats share: the columns a file holds, and the error that names the column a value failed in.

import type { DataType } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { StoredColumn } from '../registry.js';

/** A value that does not fit its column: `column` is 1-based (the CSV field, the JSON value's character). */
export class FieldError extends Error {
  constructor(readonly column: number, readonly columnName: string | undefined, readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** A record-oriented text format (CSV, JSON lines): one row per record, records separated by newlines. */
export interface TextCodec {
  /** CSV: a newline inside quotes does not end a record. */
  readonly quotes: boolean;
  /** The content columns' values of one record (without its newline). Throws FieldError. */
  decode(record: string): unknown[];
  /** One record for a row of content columns, without a newline. */
  encode(row: readonly unknown[]): string;
}

export type FormatName = 'csv' | 'json' | 'arrow';

export const formatExtensions: Readonly<Record<FormatName, string>> = { csv: 'csv', json: 'json', arrow: 'arrow' };

/** Rejects at CREATE TABLE the column types a format cannot hold. */
export function checkFormatTypes(format: FormatName, columns: readonly StoredColumn[]): void {
  for (const c of columns) {
    const t = c.type;
    const nested = t.kind === 'ARRAY' || t.kind === 'MAP' || t.kind === 'ROW';
    if ((format === 'csv' || format === 'arrow') && nested) {
      throw new SqlError(SqlState.featureNotSupported, `format "${format}" cannot hold column "${c.name}" of type ${typeName(t)}`, {
        hint: "Use 'format' = 'json' for nested values.",
      });
    }
    if (format === 'arrow' && (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH')) {
      throw new SqlError(SqlState.featureNotSupported, `format "arrow" cannot hold column "${c.name}" of type ${typeName(t)}`);
    }
  }
}

function typeName(t: DataType): string {
  return t.kind.replace('_', ' ');
}
