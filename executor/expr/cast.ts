// CAST and TRY_CAST between every pair of types a user expects, compiled once per (from, to).
//
// Conversions follow PostgreSQL's text forms and error messages (`invalid input syntax for type
// integer: "abc"`, 22P02; dates 22007; out of range 22003) and Flink's numeric rules where the
// two differ: fractional numbers cast to integers truncate toward zero, BYTES to a string decode
// UTF-8. TIMESTAMP <-> TIMESTAMP_LTZ, DATE and TIME conversions of instants use the session time zone.

import type { DataType } from '../../common/data-type.js';
import { typeToSql } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { checkDecimalPrecision, decimalFromDouble, decimalFromInteger, unscaledAt } from '../../common/decimal-math.js';
import {
  localToUtc, microsOfDay, microsToDays, roundToPrecision, utcToLocal,
} from '../../common/datetime.js';
import type { TimeZone } from '../../common/datetime.js';
import { SqlError, SqlState } from '../../common/errors.js';
import { formatDouble, formatFloat, formatValue, parseValue } from '../../common/pg-text.js';
import type { Value } from '../../common/value.js';
import { MICROS_PER_DAY } from '../../common/value.js';
import { integerRange, outOfRange } from './functions/table.js';

export type Converter = (v: Value) => Value;

const identity: Converter = (v) => v;

function isInt(t: DataType): boolean {
  return t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT';
}

function isNum(t: DataType): boolean {
  return isInt(t) || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
}

function isStr(t: DataType): boolean {
  return t.kind === 'VARCHAR' || t.kind === 'CHAR';
}

function cannotCast(from: DataType, to: DataType): SqlError {
  return new SqlError(SqlState.datatypeMismatch, `cannot cast type ${typeToSql(from).toLowerCase()} to ${typeToSql(to).toLowerCase()}`);
}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Characters beyond `n` cut off (explicit casts to VARCHAR(n) truncate, as PostgreSQL). */
function truncateChars(s: string, n: number): string {
  if (s.length <= n) return s;
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join('');
}

function padChars(s: string, n: number): string {
  const len = s.length <= n ? Array.from(s).length : n + 1;
  if (len > n) return truncateChars(s, n);
  return len === n ? s : s + ' '.repeat(n - len);
}

/** The text of a value as CAST(x AS VARCHAR) gives it. */
function toText(from: DataType, tz: TimeZone): (v: Value) => string {
  switch (from.kind) {
    case 'BOOLEAN': return (v) => (v ? 'true' : 'false');
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return (v) => String(v);
    case 'DOUBLE': return (v) => formatDouble(v as number);
    case 'FLOAT': return (v) => formatFloat(v as number);
    case 'VARCHAR': return (v) => v as string;
    // CHAR loses its padding when it becomes text (PostgreSQL).
    case 'CHAR': return (v) => (v as string).replace(/ +$/, '');
    case 'BYTES': return (v) => utf8.decode(v as Uint8Array);
    default: return (v) => formatValue(v, from, { timeZone: tz }) as string;
  }
}

function toInteger(from: DataType, to: DataType): Converter {
  const [min, max] = integerRange(to);
  const err = outOfRange(to);
  if (isInt(from)) {
    const [fmin, fmax] = integerRange(from);
    if (fmin >= min && fmax <= max) return identity;
    return (v) => {
      if ((v as number) > max || (v as number) < min) throw err;
      return v;
    };
  }
  if (from.kind === 'FLOAT' || from.kind === 'DOUBLE') {
    return (v) => {
      const x = v as number;
      if (!Number.isFinite(x)) throw err;
      const r = Math.trunc(x) + 0;
      if (r > max || r < min) throw err;
      return r;
    };
  }
  if (from.kind === 'DECIMAL') {
    return (v) => {
      const d = v as Decimal;
      const i = d.unscaled / 10n ** BigInt(d.scale); // truncation toward zero
      if (i > BigInt(max) || i < BigInt(min)) throw err;
      return Number(i);
    };
  }
  if (from.kind === 'BOOLEAN') return (v) => (v ? 1 : 0);
  throw cannotCast(from, to);
}

function toDecimal(from: DataType, to: { precision: number; scale: number }): Converter {
  const { precision, scale } = to;
  if (isInt(from)) return (v) => checkDecimalPrecision(decimalFromInteger(v as number, scale), precision);
  if (from.kind === 'DECIMAL') {
    if (from.scale === scale && from.precision - from.scale <= precision - scale) return identity;
    return (v) => checkDecimalPrecision(new Decimal(unscaledAt(v as Decimal, scale), scale), precision);
  }
  if (from.kind === 'FLOAT' || from.kind === 'DOUBLE') {
    return (v) => {
      const x = v as number;
      if (!Number.isFinite(x)) throw new SqlError(SqlState.numericValueOutOfRange, `cannot convert ${formatDouble(x)} to numeric`);
      return checkDecimalPrecision(decimalFromDouble(x, scale), precision);
    };
  }
  if (from.kind === 'BOOLEAN') return (v) => decimalFromInteger(v ? 1 : 0, scale);
  throw cannotCast(from, to as DataType);
}

function toFloating(from: DataType, to: DataType): Converter {
  const single = to.kind === 'FLOAT';
  const err = outOfRange(to);
  if (isInt(from)) return single ? (v) => Math.fround(v as number) : identity;
  if (from.kind === 'DECIMAL') {
    return (v) => {
      const x = (v as Decimal).toNumber();
      return single ? checkFloat(Math.fround(x), err) : x;
    };
  }
  if (from.kind === 'DOUBLE' && single) {
    return (v) => {
      const x = v as number;
      const r = Math.fround(x);
      if (!Number.isFinite(r) && Number.isFinite(x)) throw err;
      return r;
    };
  }
  if (from.kind === 'FLOAT' || from.kind === 'DOUBLE') return identity;
  if (from.kind === 'BOOLEAN') return (v) => (v ? 1 : 0);
  throw cannotCast(from, to);
}

function checkFloat(x: number, err: SqlError): number {
  if (!Number.isFinite(x)) throw err;
  return x;
}

function temporal(from: DataType, to: DataType, tz: TimeZone): Converter {
  const p = (to as { precision?: number }).precision ?? 6;
  const round = p >= 6 ? identity : (v: Value) => roundToPrecision(v as number, p);
  switch (to.kind) {
    case 'DATE':
      if (from.kind === 'TIMESTAMP') return (v) => microsToDays(v as number);
      if (from.kind === 'TIMESTAMP_LTZ') return (v) => microsToDays(utcToLocal(v as number, tz));
      break;
    case 'TIME':
      if (from.kind === 'TIME') return round;
      if (from.kind === 'TIMESTAMP') return (v) => roundToPrecision(microsOfDay(v as number), p) % MICROS_PER_DAY;
      if (from.kind === 'TIMESTAMP_LTZ') return (v) => roundToPrecision(microsOfDay(utcToLocal(v as number, tz)), p) % MICROS_PER_DAY;
      break;
    case 'TIMESTAMP':
      if (from.kind === 'DATE') return (v) => (v as number) * MICROS_PER_DAY;
      if (from.kind === 'TIMESTAMP') return round;
      if (from.kind === 'TIMESTAMP_LTZ') return (v) => roundToPrecision(utcToLocal(v as number, tz), p);
      break;
    case 'TIMESTAMP_LTZ':
      if (from.kind === 'DATE') return (v) => localToUtc((v as number) * MICROS_PER_DAY, tz);
      if (from.kind === 'TIMESTAMP_LTZ') return round;
      if (from.kind === 'TIMESTAMP') return (v) => roundToPrecision(localToUtc(v as number, tz), p);
      break;
    default:
      break;
  }
  throw cannotCast(from, to);
}

/**
 * A converter for non-NULL values of `from` to `to` (the caller handles NULL). Throws 42804 at
 * compile time for pairs without a cast.
 *
 * @example compileCast(Types.string, Types.int, tz)('42') // 42
 */
export function compileCast(from: DataType, to: DataType, tz: TimeZone): Converter {
  if (from.kind === 'NULL') return () => null;
  if (to.kind === 'VARCHAR' || to.kind === 'CHAR') {
    const text = toText(from, tz);
    if (to.kind === 'CHAR') return (v) => padChars(text(v), to.length);
    if (to.length === null) return text;
    const n = to.length;
    return (v) => truncateChars(text(v), n);
  }
  if (isStr(from)) {
    const strip = from.kind === 'CHAR' ? (s: string) => s.replace(/ +$/, '') : (s: string) => s;
    switch (to.kind) {
      case 'BYTES': return (v) => utf8Encoder.encode(strip(v as string));
      case 'ARRAY': case 'MAP': case 'ROW': case 'NULL': throw cannotCast(from, to);
      default: return (v) => parseValue(strip(v as string), to, { timeZone: tz });
    }
  }
  if (isInt(to)) return toInteger(from, to);
  if (to.kind === 'DECIMAL') return toDecimal(from, to);
  if (to.kind === 'FLOAT' || to.kind === 'DOUBLE') return toFloating(from, to);
  switch (to.kind) {
    case 'BOOLEAN':
      if (from.kind === 'BOOLEAN') return identity;
      if (from.kind === 'DECIMAL') return (v) => (v as Decimal).unscaled !== 0n;
      if (isNum(from)) return (v) => (v as number) !== 0;
      break;
    case 'DATE': case 'TIME': case 'TIMESTAMP': case 'TIMESTAMP_LTZ':
      if (from.kind === 'DATE' && to.kind === 'DATE') return identity;
      return temporal(from, to, tz);
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': case 'BYTES':
      if (from.kind === to.kind) return identity;
      break;
    case 'ARRAY':
      if (from.kind === 'ARRAY') {
        const el = compileCast(from.element, to.element, tz);
        return (v) => (v as readonly Value[]).map((x) => (x === null ? null : el(x)));
      }
      break;
    case 'MAP':
      if (from.kind === 'MAP') {
        const k = compileCast(from.key, to.key, tz);
        const val = compileCast(from.value, to.value, tz);
        return (v) => {
          const out = new Map<Value, Value>();
          for (const [mk, mv] of v as ReadonlyMap<Value, Value>) out.set(mk === null ? null : k(mk), mv === null ? null : val(mv));
          return out;
        };
      }
      break;
    case 'ROW':
      if (from.kind === 'ROW' && from.fields.length === to.fields.length) {
        const convs = from.fields.map((f, i) => compileCast(f.type, to.fields[i]!.type, tz));
        return (v) => (v as readonly Value[]).map((x, i) => (x === null ? null : convs[i]!(x)));
      }
      break;
    default:
      break;
  }
  throw cannotCast(from, to);
}

/** Whether an error is a data error TRY_CAST turns into NULL (class 22). */
export function isDataError(e: unknown): boolean {
  return e instanceof SqlError && e.sqlstate.startsWith('22');
}
