// CSV records (RFC 4180): fields split by a delimiter, quoted with '"' when they hold one, quotes doubled inside.
//
// An unquoted empty field is NULL and a quoted empty field ("") is the empty string,
// so rows round-trip exactly. Values are written as Flink's CSV format writes them:
// numbers and timestamps in SQL text (`2015-07-15 00:00:00.001`), booleans as true/false.

import type { DataType } from '../../common/data-type.js';
import { formatValue, parseValue } from '../../common/pg-text.js';
import type { Value } from '../../common/value.js';
import type { StoredColumn } from '../registry.js';
import { FieldError, type TextCodec } from './format.js';

export class CsvCodec implements TextCodec {
  readonly quotes = true;
  private readonly types: readonly DataType[];

  constructor(private readonly columns: readonly StoredColumn[], private readonly delimiter = ',') {
    this.types = columns.map((c) => c.type);
  }

  decode(record: string): Value[] {
    const fields = splitCsv(record, this.delimiter);
    const n = this.columns.length;
    if (fields.length !== n) {
      const column = Math.min(fields.length, n) + 1;
      throw new FieldError(column, this.columns[column - 1]?.name, new Error(`expected ${n} field${n === 1 ? '' : 's'}, found ${fields.length}`));
    }
    const out: Value[] = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      const f = fields[i] as CsvField;
      const c = this.columns[i] as StoredColumn;
      if (f.text === '' && !f.quoted) {
        if (!c.nullable) throw new FieldError(i + 1, c.name, new Error(`null value in column "${c.name}" violates not-null constraint`));
        out[i] = null;
        continue;
      }
      try {
        out[i] = parseValue(f.text, this.types[i] as DataType);
      } catch (e) {
        throw new FieldError(i + 1, c.name, e);
      }
    }
    return out;
  }

  encode(row: readonly unknown[]): string {
    let s = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) s += this.delimiter;
      const v = row[i] as Value;
      if (v === null) continue;
      const t = this.types[i] as DataType;
      const text = t.kind === 'BOOLEAN' ? (v ? 'true' : 'false') : (formatValue(v, t) as string);
      s += needsQuotes(text, this.delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
    }
    return s;
  }
}

interface CsvField {
  readonly text: string;
  readonly quoted: boolean;
}

function needsQuotes(text: string, delimiter: string): boolean {
  return text === '' || text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
}

/** Splits one record into fields; a quote ends a quoted field only when it is not doubled. */
export function splitCsv(record: string, delimiter: string): CsvField[] {
  const out: CsvField[] = [];
  let i = 0;
  const n = record.length;
  for (;;) {
    if (i < n && record[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const q = record.indexOf('"', i);
        if (q < 0) throw new FieldError(out.length + 1, undefined, new Error('unterminated quoted field'));
        text += record.slice(i, q);
        if (record[q + 1] === '"') {
          text += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < n && record.startsWith(delimiter, i) === false) {
        throw new FieldError(out.length + 1, undefined, new Error('unexpected text after a closing quote'));
      }
      out.push({ text, quoted: true });
    } else {
      const d = record.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      out.push({ text: record.slice(i, end), quoted: false });
      i = end;
    }
    if (i >= n) break;
    i += delimiter.length;
    if (i === n) {
      out.push({ text: '', quoted: false });
      break;
    }
  }
  return out;
}
