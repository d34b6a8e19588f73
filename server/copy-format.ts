// COPY's text and CSV formats: options, writing rows, and incremental parsers
// for data that arrives in chunks cut anywhere.

import { SqlError, SqlState } from '../common/errors.js';
import type { OptionEntry } from '../parser/ast/node.js';

export interface CopyOptions {
  readonly format: 'text' | 'csv';
  readonly header: boolean;
  readonly delimiter: string;
  readonly nullString: string;
  readonly quote: string;
  readonly escape: string;
}

function flag(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '' || v === 'true' || v === 'on' || v === '1') return true;
  if (v === 'false' || v === 'off' || v === '0') return false;
  if (v === 'match') return true;
  throw new SqlError(SqlState.invalidParameterValue, `header requires a Boolean value or "match"`);
}

export function copyOptions(options: readonly OptionEntry[]): CopyOptions {
  let format: 'text' | 'csv' = 'text';
  let header = false;
  let delimiter: string | undefined;
  let nullString: string | undefined;
  let quote = '"';
  let escape: string | undefined;
  for (const o of options) {
    const key = o.key.toLowerCase();
    switch (key) {
      case 'format': {
        const f = o.value.toLowerCase();
        if (f === 'binary') throw new SqlError(SqlState.featureNotSupported, 'COPY in binary format is not supported', { hint: 'Use FORMAT text or FORMAT csv.' });
        if (f !== 'text' && f !== 'csv') throw new SqlError(SqlState.invalidParameterValue, `COPY format "${o.value}" not recognized`);
        format = f;
        break;
      }
      case 'csv': format = 'csv'; break;
      case 'binary': throw new SqlError(SqlState.featureNotSupported, 'COPY in binary format is not supported', { hint: 'Use FORMAT text or FORMAT csv.' });
      case 'header': header = flag(o.value); break;
      case 'delimiter': delimiter = o.value; break;
      case 'null': nullString = o.value; break;
      case 'quote': quote = o.value; break;
      case 'escape': escape = o.value; break;
      case 'encoding': case 'freeze': case 'force_not_null': case 'force_null': case 'force_quote': break;
      default:
        throw new SqlError(SqlState.syntaxError, `option "${o.key}" not recognized`);
    }
  }
  const d = delimiter ?? (format === 'csv' ? ',' : '\t');
  if ([...d].length !== 1) throw new SqlError('0A000', 'COPY delimiter must be a single one-byte character');
  if (format === 'csv' && [...quote].length !== 1) throw new SqlError('0A000', 'COPY quote must be a single one-byte character');
  return { format, header, delimiter: d, nullString: nullString ?? (format === 'csv' ? '' : '\\N'), quote, escape: escape ?? quote };
}

/** One row as a line of COPY output (with its newline); null values are NULL. */
export function formatCopyLine(values: readonly (string | null)[], o: CopyOptions): string {
  if (o.format === 'csv') {
    return `${values.map((v) => {
      if (v === null) return o.nullString;
      const needsQuote = v === '' || v === o.nullString || v.includes(o.delimiter) || v.includes(o.quote) || /[\r\n]/.test(v);
      if (!needsQuote) return v;
      return o.quote + v.split(o.quote).join(o.escape + o.quote) + o.quote;
    }).join(o.delimiter)}\n`;
  }
  return `${values.map((v) => (v === null ? o.nullString : escapeText(v, o.delimiter))).join(o.delimiter)}\n`;
}

function escapeText(v: string, delimiter: string): string {
  let out = '';
  for (const c of v) {
    switch (c) {
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += delimiter === '\t' ? '\\t' : c; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default: out += c === delimiter ? `\\${c}` : c;
    }
  }
  return out;
}

/** Fields of the records completed by each chunk of input. */
export interface RecordParser {
  push(text: string): (string | null)[][];
  /** The last record, if the input did not end with a newline. */
  end(): (string | null)[][];
}

/** PostgreSQL's text format: one line per row, backslash escapes, `\N` for NULL, `\.` ends the data. */
export class TextRecordParser implements RecordParser {
  private rest = '';
  private done = false;

  constructor(private readonly o: CopyOptions) {}

  push(text: string): (string | null)[][] {
    if (this.done) return [];
    this.rest += text;
    const out: (string | null)[][] = [];
    let start = 0;
    for (;;) {
      const nl = this.rest.indexOf('\n', start);
      if (nl < 0) break;
      let line = this.rest.slice(start, nl);
      start = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '\\.') {
        this.done = true;
        break;
      }
      out.push(this.fields(line));
    }
    this.rest = this.done ? '' : this.rest.slice(start);
    return out;
  }

  end(): (string | null)[][] {
    const line = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
    this.rest = '';
    if (this.done || line === '' || line === '\\.') return [];
    return [this.fields(line)];
  }

  private fields(line: string): (string | null)[] {
    const raw: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (c === '\\' && i + 1 < line.length) {
        cur += c + (line[i + 1] as string);
        i++;
      } else if (c === this.o.delimiter) {
        raw.push(cur);
        cur = '';
      } else cur += c;
    }
    raw.push(cur);
    return raw.map((f) => (f === this.o.nullString ? null : unescapeText(f)));
  }
}

function unescapeText(f: string): string {
  if (!f.includes('\\')) return f;
  let out = '';
  for (let i = 0; i < f.length; i++) {
    const c = f[i] as string;
    if (c !== '\\' || i + 1 >= f.length) {
      out += c;
      continue;
    }
    const e = f[++i] as string;
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(f.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += 'x';
        break;
      }
      default:
        if (/[0-7]/.test(e)) {
          const m = /^[0-7]{1,3}/.exec(f.slice(i)) as RegExpExecArray;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else out += e;
    }
  }
  return out;
}

/** CSV: quoted fields may hold delimiters and newlines; an unquoted empty field is NULL. */
export class CsvRecordParser implements RecordParser {
  private field = '';
  private quoted = false;
  private inQuotes = false;
  private record: (string | null)[] = [];
  private started = false;
  /** Just closed a quoted section: a quote now is an escaped quote (when escape = quote). */
  private afterQuote = false;

  constructor(private readonly o: CopyOptions) {}

  push(text: string): (string | null)[][] {
    const out: (string | null)[][] = [];
    const { delimiter, quote, escape } = this.o;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.inQuotes) {
        if (escape !== quote && c === escape && text[i + 1] === quote) {
          this.field += quote;
          i++;
        } else if (c === quote) {
          this.inQuotes = false;
          this.afterQuote = true;
        } else this.field += c;
        continue;
      }
      if (c === quote) {
        if (this.afterQuote && escape === quote) this.field += quote;
        this.inQuotes = true;
        this.quoted = true;
        this.started = true;
        this.afterQuote = false;
        continue;
      }
      this.afterQuote = false;
      if (c === delimiter) {
        this.endField();
        this.started = true;
      } else if (c === '\n') {
        if (!this.quoted && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
        if (this.started || this.field !== '' || this.record.length > 0) {
          this.endField();
          out.push(this.record);
        }
        this.record = [];
        this.started = false;
      } else {
        this.field += c;
        this.started = true;
      }
    }
    return out;
  }

  end(): (string | null)[][] {
    if (this.inQuotes) throw new SqlError('22P04', 'unterminated CSV quoted field');
    if (!this.started && this.field === '' && this.record.length === 0) return [];
    if (!this.quoted && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
    this.endField();
    const r = this.record;
    this.record = [];
    this.started = false;
    return r.length === 1 && r[0] === null && !this.quoted ? [] : [r];
  }

  private endField(): void {
    this.record.push(!this.quoted && this.field === this.o.nullString ? null : this.field);
    this.field = '';
    this.quoted = false;
    this.afterQuote = false;
  }
}
