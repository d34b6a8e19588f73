// PostgreSQL text format: values as a PostgreSQL server sends them (what `psql -A` shows), and back.

import type { DataType } from './data-type.js';
import { Decimal } from './decimal.js';
import {
  formatDate, formatInterval, formatTime, formatTimestamp, formatTimestampLtz, parseDate, parseIntervalLiteral,
  parseTime, parseTimestamp, parseTimestampLtz, roundToPrecision, UTC,
} from './datetime.js';
import type { TimeZone } from './datetime.js';
import { SqlError, SqlState } from './errors.js';
import type { Value } from './value.js';

export interface TextFormatOptions {
  /** Session time zone for TIMESTAMP_LTZ (default UTC). */
  readonly timeZone?: TimeZone;
}

// ---------------------------------------------------------------- floats

/**
 * Shortest round-trip digits as PostgreSQL 12+ prints float8 (`extra_float_digits` = 1):
 * fixed notation when the decimal exponent is in [-4, 15), otherwise `1e+100`, `1.5e-07`.
 */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // toExponential() with no argument gives the shortest digits that round-trip.
  return shortestToPg(x.toExponential(), 15);
}

/** float4 as PostgreSQL prints it: shortest digits for a 32-bit float, fixed in [-4, 6). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const f = Math.fround(x);
  let exp = '';
  for (let p = 1; p <= 9; p++) {
    exp = f.toExponential(p - 1);
    if (Math.fround(Number(exp)) === f) break;
  }
  return shortestToPg(exp, 6);
}

/** `d.ddde±x` (shortest digits) to PostgreSQL's layout with the fixed-notation upper bound `fixedBelow`. */
function shortestToPg(expForm: string, fixedBelow: number): string {
  const neg = expForm.startsWith('-');
  const body = neg ? expForm.slice(1) : expForm;
  const ePos = body.indexOf('e');
  const mantissa = body.slice(0, ePos);
  const exp = Number(body.slice(ePos + 1));
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  let out: string;
  if (exp >= -4 && exp < fixedBelow) {
    if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
    else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const a = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
  }
  return neg ? `-${out}` : out;
}

// ---------------------------------------------------------------- output

const hexDigits = '0123456789abcdef';

/** `\x0aff` */
export function formatBytes(b: Uint8Array): string {
  let out = '\\x';
  for (let i = 0; i < b.length; i++) {
    const v = b[i] as number;
    out += hexDigits[v >> 4]! + hexDigits[v & 15]!;
  }
  return out;
}

/**
 * A value in PostgreSQL text format; null for NULL.
 *
 * @example formatValue(new Decimal(1250n, 2), { kind: 'DECIMAL', precision: 10, scale: 2 }) // '12.50'
 */
export function formatValue(value: Value, type: DataType, options: TextFormatOptions = {}): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case 'NULL': return null;
    case 'BOOLEAN': return value ? 't' : 'f';
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return String(value);
    case 'DOUBLE': return formatDouble(value as number);
    case 'FLOAT': return formatFloat(value as number);
    case 'DECIMAL': {
      const d = value as Decimal;
      return (d.scale === type.scale ? d : d.rescale(type.scale)).toString();
    }
    case 'VARCHAR': case 'CHAR': return value as string;
    case 'BYTES': return formatBytes(value as Uint8Array);
    case 'DATE': return formatDate(value as number);
    case 'TIME': return formatTime(value as number);
    case 'TIMESTAMP': return formatTimestamp(value as number);
    case 'TIMESTAMP_LTZ': return formatTimestampLtz(value as number, options.timeZone ?? UTC);
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': return formatInterval(value as number, type.kind);
    case 'ARRAY': return formatArray(value as readonly Value[], type.element, options);
    case 'ROW': {
      const vs = value as readonly Value[];
      const parts = type.fields.map((f, i) => {
        const s = formatValue(vs[i] ?? null, f.type, options);
        return s === null ? '' : quoteRecordField(s);
      });
      return `(${parts.join(',')})`;
    }
    case 'MAP': {
      // PostgreSQL has no map type; Flink prints `{k=v, ...}`.
      const parts: string[] = [];
      for (const [k, v] of value as ReadonlyMap<Value, Value>) {
        parts.push(`${formatValue(k, type.key, options) ?? 'NULL'}=${formatValue(v, type.value, options) ?? 'NULL'}`);
      }
      return `{${parts.join(', ')}}`;
    }
  }
}

function formatArray(items: readonly Value[], element: DataType, options: TextFormatOptions): string {
  const parts = items.map((v) => {
    if (v === null) return 'NULL';
    if (element.kind === 'ARRAY') return formatArray(v as readonly Value[], element.element, options);
    return quoteArrayElement(formatValue(v, element, options) as string);
  });
  return `{${parts.join(',')}}`;
}

function quoteArrayElement(s: string): string {
  if (s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL') return `"${s.replace(/["\\]/g, '\\$&')}"`;
  return s;
}

function quoteRecordField(s: string): string {
  if (s === '' || /[(),"\\\s]/.test(s)) return `"${s.replace(/["\\]/g, '$&$&')}"`;
  return s;
}

// ---------------------------------------------------------------- input

export function invalidInput(typeName: string, text: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${typeName}: "${text}"`);
}

const intRanges = {
  TINYINT: [-128, 127, 'tinyint'],
  SMALLINT: [-32768, 32767, 'smallint'],
  INT: [-2147483648, 2147483647, 'integer'],
  BIGINT: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'bigint'],
} as const;

/** Parses an integer of the given type (`' 42 '`, `-7`, `+3`); 22P02 on bad syntax, 22003 out of range. */
export function parseInteger(text: string, kind: 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT'): number {
  const [min, max, name] = intRanges[kind];
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw invalidInput(name, text);
  const n = Number(t);
  if (n < min || n > max || (kind === 'BIGINT' && !Number.isSafeInteger(n))) {
    throw new SqlError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type ${name}`);
  }
  return n + 0;
}

/** Parses a float (`1.5`, `1e10`, `NaN`, `Infinity`, `-inf`); 22P02 on bad syntax. */
export function parseFloatText(text: string, kind: 'FLOAT' | 'DOUBLE'): number {
  const t = text.trim().toLowerCase();
  const name = kind === 'FLOAT' ? 'real' : 'double precision';
  let v: number;
  if (t === 'nan') v = NaN;
  else if (t === 'infinity' || t === '+infinity' || t === 'inf' || t === '+inf') v = Infinity;
  else if (t === '-infinity' || t === '-inf') v = -Infinity;
  else {
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(t)) throw invalidInput(name, text);
    v = Number(t);
    if (!Number.isFinite(v) || (kind === 'FLOAT' && !Number.isFinite(Math.fround(v)))) {
      throw new SqlError(SqlState.numericValueOutOfRange, `"${text.trim()}" is out of range for type ${name}`);
    }
  }
  return kind === 'FLOAT' ? Math.fround(v) : v;
}

/** Checks a decimal fits DECIMAL(precision, scale) after rounding to `scale`; 22003 otherwise. */
export function fitDecimal(d: Decimal, precision: number, scale: number): Decimal {
  const r = d.scale === scale ? d : d.rescale(scale);
  const abs = r.unscaled < 0n ? -r.unscaled : r.unscaled;
  if (abs >= pow10(precision)) {
    throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${precision - scale === 0 ? '1' : `10^${precision - scale}`}.`,
    });
  }
  return r;
}

const pow10Cache: bigint[] = [];
export function pow10(n: number): bigint {
  let v = pow10Cache[n];
  if (v === undefined) {
    v = 10n ** BigInt(n);
    if (n < 128) pow10Cache[n] = v;
  }
  return v;
}

/** Parses a decimal into DECIMAL(precision, scale); 22P02 on bad syntax, 22003 when it does not fit. */
export function parseDecimal(text: string, precision: number, scale: number): Decimal {
  const d = Decimal.parse(text);
  if (d === undefined) throw invalidInput('numeric', text);
  return fitDecimal(d, precision, scale);
}

const trueWords = ['true', 'yes', 'on'];
const falseWords = ['false', 'no', 'off'];

/** `t`, `true`, `yes`, `on`, `1` (and unique prefixes), as PostgreSQL reads booleans. */
export function parseBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === '1') return true;
  if (t === '0') return false;
  if (t.length > 0) {
    if (trueWords.some((w) => w.startsWith(t)) && t !== 'o') return true;
    if (falseWords.some((w) => w.startsWith(t)) && t !== 'o') return false;
  }
  throw invalidInput('boolean', text);
}

/** `\x0aff` (hex) or PostgreSQL's escape format (`abc\\000`). */
export function parseBytes(text: string): Uint8Array {
  if (text.startsWith('\\x') || text.startsWith('\\X')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw invalidInput('bytea', text);
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  const bytes: number[] = [];
  const utf8 = new TextEncoder().encode(text);
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8[i] as number;
    if (c !== 92 /* \ */) {
      bytes.push(c);
      continue;
    }
    if (utf8[i + 1] === 92) {
      bytes.push(92);
      i++;
      continue;
    }
    const oct = String.fromCharCode(utf8[i + 1] ?? 0, utf8[i + 2] ?? 0, utf8[i + 3] ?? 0);
    if (!/^[0-3][0-7][0-7]$/.test(oct)) throw invalidInput('bytea', text);
    bytes.push(parseInt(oct, 8));
    i += 3;
  }
  return Uint8Array.from(bytes);
}

/**
 * Parses PostgreSQL text into a value of `type` (COPY FROM, parameters, casts from strings).
 * Errors are PostgreSQL's: 22P02 (`invalid input syntax for type integer: "abc"`),
 * 22007 for dates and times, 22003 out of range.
 */
export function parseValue(text: string, type: DataType, options: TextFormatOptions = {}): Value {
  switch (type.kind) {
    case 'NULL': return null;
    case 'BOOLEAN': return parseBoolean(text);
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return parseInteger(text, type.kind);
    case 'FLOAT': case 'DOUBLE': return parseFloatText(text, type.kind);
    case 'DECIMAL': return parseDecimal(text, type.precision, type.scale);
    case 'VARCHAR':
      if (type.length !== null && [...text].length > type.length) {
        throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type character varying(${type.length})`);
      }
      return text;
    case 'CHAR': {
      const n = [...text].length;
      if (n > type.length) {
        if (text.slice(type.length).trim() !== '') throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type character(${type.length})`);
        return [...text].slice(0, type.length).join('');
      }
      return text + ' '.repeat(type.length - n);
    }
    case 'BYTES': return parseBytes(text);
    case 'DATE': return parseDate(text);
    case 'TIME': return roundToPrecision(parseTime(text), type.precision);
    case 'TIMESTAMP': return roundToPrecision(parseTimestamp(text), type.precision);
    case 'TIMESTAMP_LTZ': return roundToPrecision(parseTimestampLtz(text, options.timeZone ?? UTC), type.precision);
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': {
      const iv = parseIntervalLiteral(text);
      if (iv.type.kind === type.kind) return iv.value;
      if (iv.value === 0) return 0;
      throw new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`, {
        detail: type.kind === 'INTERVAL_YEAR_MONTH' ? 'A year-month interval holds only years and months.' : 'A day-time interval holds no years or months.',
      });
    }
    case 'ARRAY': return parseArray(text, type.element, options);
    case 'ROW': return parseRecord(text, type, options);
    case 'MAP':
      throw new SqlError(SqlState.featureNotSupported, 'text input of MAP values is not supported');
  }
}

function parseArray(text: string, element: DataType, options: TextFormatOptions): Value[] {
  let pos = 0;
  const bad = () => new SqlError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`);
  const skipWs = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const parseLevel = (el: DataType): Value[] => {
    skipWs();
    if (text[pos] !== '{') throw bad();
    pos++;
    const out: Value[] = [];
    skipWs();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[pos] === '{') {
        out.push(parseLevel(el.kind === 'ARRAY' ? el.element : el));
      } else if (text[pos] === '"') {
        pos++;
        let s = '';
        while (pos < text.length && text[pos] !== '"') {
          if (text[pos] === '\\') pos++;
          s += text[pos] ?? '';
          pos++;
        }
        if (text[pos] !== '"') throw bad();
        pos++;
        out.push(parseValue(s, el, options));
      } else {
        let s = '';
        while (pos < text.length && text[pos] !== ',' && text[pos] !== '}') {
          if (text[pos] === '\\') pos++;
          s += text[pos] ?? '';
          pos++;
        }
        s = s.trim();
        if (s === '') throw bad();
        out.push(s.toUpperCase() === 'NULL' ? null : parseValue(s, el, options));
      }
      skipWs();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      throw bad();
    }
  };
  const r = parseLevel(element);
  skipWs();
  if (pos !== text.length) throw bad();
  return r;
}

function parseRecord(text: string, type: Extract<DataType, { kind: 'ROW' }>, options: TextFormatOptions): Value[] {
  const bad = () => new SqlError(SqlState.invalidTextRepresentation, `malformed record literal: "${text}"`);
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) throw bad();
  const fields: (string | null)[] = [];
  let pos = 1;
  const end = t.length - 1;
  for (;;) {
    let s = '';
    let quoted = false;
    while (pos < end && t[pos] !== ',') {
      if (t[pos] === '"') {
        quoted = true;
        pos++;
        while (pos < end) {
          if (t[pos] === '"' && t[pos + 1] === '"') { s += '"'; pos += 2; continue; }
          if (t[pos] === '"') break;
          if (t[pos] === '\\') pos++;
          s += t[pos] ?? '';
          pos++;
        }
        pos++;
      } else {
        if (t[pos] === '\\') pos++;
        s += t[pos] ?? '';
        pos++;
      }
    }
    fields.push(s === '' && !quoted ? null : s);
    if (pos >= end) break;
    pos++;
  }
  if (fields.length !== type.fields.length) throw bad();
  return fields.map((f, i) => (f === null ? null : parseValue(f, type.fields[i]!.type, options)));
}
