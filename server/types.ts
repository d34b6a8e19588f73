// PostgreSQL type OIDs for Eddy's data types, and the text and binary wire formats of values.

import type { DataType } from '../common/data-type.js';
import { Decimal } from '../common/decimal.js';
import { SqlError, SqlState } from '../common/errors.js';
import { formatValue, parseValue, type TextFormatOptions } from '../common/pg-text.js';
import type { Value } from '../common/value.js';

/** The OIDs of the built-in PostgreSQL types Eddy sends and accepts. */
export const Oid = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int2vector: 22, int4: 23, regproc: 24, text: 25,
  oid: 26, xid: 28, oidvector: 30, json: 114, float4: 700, float8: 701, unknown: 705, bpchar: 1042, varchar: 1043,
  date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, numeric: 1700, regclass: 2205,
  regtype: 2206, regnamespace: 4089, record: 2249, void: 2278, aclitem: 1033, pgNodeTree: 194, anyarray: 2277,
  boolArray: 1000, byteaArray: 1001, charArray: 1002, nameArray: 1003, int2Array: 1005, int4Array: 1007,
  textArray: 1009, bpcharArray: 1014, varcharArray: 1015, int8Array: 1016, float4Array: 1021, float8Array: 1022,
  aclitemArray: 1034, oidArray: 1028, dateArray: 1182, timeArray: 1183, timestampArray: 1115,
  timestamptzArray: 1185, intervalArray: 1187, numericArray: 1231, recordArray: 2287,
} as const;

/** The array type of each element type (PostgreSQL's `typarray`). */
export const arrayOid: ReadonlyMap<number, number> = new Map([
  [Oid.bool, Oid.boolArray], [Oid.bytea, Oid.byteaArray], [Oid.char, Oid.charArray], [Oid.name, Oid.nameArray],
  [Oid.int2, Oid.int2Array], [Oid.int4, Oid.int4Array], [Oid.int8, Oid.int8Array], [Oid.text, Oid.textArray],
  [Oid.bpchar, Oid.bpcharArray], [Oid.varchar, Oid.varcharArray], [Oid.float4, Oid.float4Array],
  [Oid.float8, Oid.float8Array], [Oid.oid, Oid.oidArray], [Oid.date, Oid.dateArray], [Oid.time, Oid.timeArray],
  [Oid.timestamp, Oid.timestampArray], [Oid.timestamptz, Oid.timestamptzArray], [Oid.interval, Oid.intervalArray],
  [Oid.numeric, Oid.numericArray], [Oid.record, Oid.recordArray], [Oid.aclitem, Oid.aclitemArray],
]);

/** The OID of a data type as clients see it. TINYINT has no PostgreSQL twin and travels as int2; MAP as text. */
export function typeOid(t: DataType): number {
  switch (t.kind) {
    case 'NULL': return Oid.text;
    case 'BOOLEAN': return Oid.bool;
    case 'TINYINT': case 'SMALLINT': return Oid.int2;
    case 'INT': return Oid.int4;
    case 'BIGINT': return Oid.int8;
    case 'FLOAT': return Oid.float4;
    case 'DOUBLE': return Oid.float8;
    case 'DECIMAL': return Oid.numeric;
    case 'VARCHAR': return t.length === null ? Oid.text : Oid.varchar;
    case 'CHAR': return Oid.bpchar;
    case 'BYTES': return Oid.bytea;
    case 'DATE': return Oid.date;
    case 'TIME': return Oid.time;
    case 'TIMESTAMP': return Oid.timestamp;
    case 'TIMESTAMP_LTZ': return Oid.timestamptz;
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': return Oid.interval;
    case 'ARRAY': return arrayOid.get(typeOid(t.element)) ?? Oid.textArray;
    case 'MAP': return Oid.text;
    case 'ROW': return Oid.record;
  }
}

/** The type modifier PostgreSQL attaches (`atttypmod`), -1 when there is none. */
export function typeModifier(t: DataType): number {
  switch (t.kind) {
    case 'VARCHAR': return t.length === null ? -1 : t.length + 4;
    case 'CHAR': return t.length + 4;
    case 'DECIMAL': return ((t.precision << 16) | t.scale) + 4;
    case 'TIME': case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return t.precision;
    default: return -1;
  }
}

/** The fixed size of a type's values (`typlen`), -1 for variable-length ones. */
export function typeSize(oid: number): number {
  switch (oid) {
    case Oid.bool: case Oid.char: return 1;
    case Oid.int2: return 2;
    case Oid.int4: case Oid.float4: case Oid.date: case Oid.oid: case Oid.regclass: case Oid.regtype: return 4;
    case Oid.int8: case Oid.float8: case Oid.time: case Oid.timestamp: case Oid.timestamptz: return 8;
    case Oid.interval: return 16;
    case Oid.name: return 64;
    default: return -1;
  }
}

/**
 * The Eddy type for a parameter type a client declared, or undefined when the
 * declaration says nothing the statement cannot infer better (0, numeric without
 * a scale, unknown OIDs).
 */
export function dataTypeOfOid(oid: number): DataType | undefined {
  switch (oid) {
    case Oid.bool: return { kind: 'BOOLEAN' };
    case Oid.int2: return { kind: 'SMALLINT' };
    case Oid.int4: case Oid.oid: return { kind: 'INT' };
    case Oid.int8: return { kind: 'BIGINT' };
    case Oid.float4: return { kind: 'FLOAT' };
    case Oid.float8: return { kind: 'DOUBLE' };
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: return { kind: 'VARCHAR', length: null };
    case Oid.bytea: return { kind: 'BYTES' };
    case Oid.date: return { kind: 'DATE' };
    case Oid.time: return { kind: 'TIME', precision: 6 };
    case Oid.timestamp: return { kind: 'TIMESTAMP', precision: 6 };
    case Oid.timestamptz: return { kind: 'TIMESTAMP_LTZ', precision: 6 };
    case Oid.interval: return { kind: 'INTERVAL_DAY_TIME' };
    default: return undefined;
  }
}

// ---------------------------------------------------------------- binary format

const PG_EPOCH_DAYS = 10_957; // 2000-01-01 in days since 1970-01-01
const PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400_000_000;
const MICROS_PER_DAY = 86_400_000_000;

function int64(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/** A value in PostgreSQL's binary format for `type`. */
export function encodeBinary(value: Value, type: DataType, options: TextFormatOptions = {}): Buffer {
  switch (type.kind) {
    case 'BOOLEAN': return Buffer.from([value ? 1 : 0]);
    case 'TINYINT': case 'SMALLINT': {
      const b = Buffer.allocUnsafe(2);
      b.writeInt16BE(value as number);
      return b;
    }
    case 'INT': {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(value as number);
      return b;
    }
    case 'BIGINT': case 'TIME': return int64(value as number);
    case 'FLOAT': {
      const b = Buffer.allocUnsafe(4);
      b.writeFloatBE(value as number);
      return b;
    }
    case 'DOUBLE': {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(value as number);
      return b;
    }
    case 'DECIMAL': return encodeNumeric(value as Decimal, type.scale);
    case 'BYTES': return Buffer.from(value as Uint8Array);
    case 'DATE': {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE((value as number) - PG_EPOCH_DAYS);
      return b;
    }
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return int64((value as number) - PG_EPOCH_MICROS);
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': {
      const b = Buffer.alloc(16);
      if (type.kind === 'INTERVAL_YEAR_MONTH') b.writeInt32BE(value as number, 12);
      else {
        const v = value as number;
        const days = Math.trunc(v / MICROS_PER_DAY);
        b.writeBigInt64BE(BigInt(v - days * MICROS_PER_DAY), 0);
        b.writeInt32BE(days, 8);
      }
      return b;
    }
    case 'ARRAY': return encodeArray(value as readonly Value[], type.element, options);
    default: {
      // Text-like types (and MAP / ROW, which have no binary form here) send their text.
      const text = formatValue(value, type, options);
      return Buffer.from(text ?? '', 'utf8');
    }
  }
}

function encodeArray(items: readonly Value[], element: DataType, options: TextFormatOptions): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.allocUnsafe(20);
  header.writeInt32BE(items.length === 0 ? 0 : 1, 0);
  header.writeInt32BE(items.some((v) => v === null) ? 1 : 0, 4);
  header.writeInt32BE(typeOid(element), 8);
  header.writeInt32BE(items.length, 12);
  header.writeInt32BE(1, 16);
  parts.push(items.length === 0 ? header.subarray(0, 12) : header);
  for (const v of items) {
    const len = Buffer.allocUnsafe(4);
    if (v === null) {
      len.writeInt32BE(-1);
      parts.push(len);
    } else {
      const data = encodeBinary(v, element, options);
      len.writeInt32BE(data.length);
      parts.push(len, data);
    }
  }
  return Buffer.concat(parts);
}

/** numeric: ndigits, weight, sign, dscale, then base-10000 digits, most significant first. */
function encodeNumeric(d: Decimal, scale: number): Buffer {
  const v = d.scale === scale ? d : d.rescale(scale);
  const neg = v.unscaled < 0n;
  const digits = (neg ? -v.unscaled : v.unscaled).toString().padStart(v.scale + 1, '0');
  const intPart = digits.slice(0, digits.length - v.scale);
  let fracPart = digits.slice(digits.length - v.scale);
  // Group into base-10000 digits aligned on the decimal point.
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  fracPart = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPart.length; i += 4) groups.push(Number(fracPart.slice(i, i + 4)));
  // PostgreSQL strips leading and trailing zero digits.
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  const b = Buffer.allocUnsafe(8 + groups.length * 2);
  b.writeInt16BE(groups.length, 0);
  b.writeInt16BE(weight, 2);
  b.writeUInt16BE(neg && groups.length > 0 ? 0x4000 : 0, 4);
  b.writeInt16BE(v.scale, 6);
  groups.forEach((g, i) => b.writeInt16BE(g, 8 + i * 2));
  return b;
}

function decodeNumeric(b: Buffer): Decimal {
  if (b.length < 8) throw badBinary('numeric');
  const n = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === 0xc000) throw new SqlError(SqlState.featureNotSupported, 'NaN is not a valid DECIMAL value');
  if (b.length < 8 + n * 2 || n < 0 || dscale < 0) throw badBinary('numeric');
  let unscaled = 0n;
  for (let i = 0; i < n; i++) unscaled = unscaled * 10000n + BigInt(b.readInt16BE(8 + i * 2));
  // The digits stand for unscaled * 10000^(weight - n + 1).
  const exp4 = weight - n + 1;
  let scale = 0;
  if (exp4 >= 0) unscaled *= 10000n ** BigInt(exp4);
  else scale = -exp4 * 4;
  let d = new Decimal(sign === 0x4000 ? -unscaled : unscaled, scale);
  d = d.rescale(dscale);
  return d;
}

function badBinary(type: string): SqlError {
  return new SqlError(SqlState.protocolViolation, `incorrect binary data format in bind parameter of type ${type}`);
}

function need(b: Buffer, n: number, type: string): void {
  if (b.length !== n) throw badBinary(type);
}

/** A binary-format parameter of the given OID, as the Eddy value of its type. */
export function decodeBinary(b: Buffer, oid: number): { value: Value; type: DataType } {
  switch (oid) {
    case Oid.bool: need(b, 1, 'boolean'); return { value: b[0] !== 0, type: { kind: 'BOOLEAN' } };
    case Oid.int2: need(b, 2, 'smallint'); return { value: b.readInt16BE(0), type: { kind: 'SMALLINT' } };
    case Oid.int4: case Oid.oid: need(b, 4, 'integer'); return { value: b.readInt32BE(0), type: { kind: 'INT' } };
    case Oid.int8: {
      need(b, 8, 'bigint');
      const v = b.readBigInt64BE(0);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
      }
      return { value: Number(v), type: { kind: 'BIGINT' } };
    }
    case Oid.float4: need(b, 4, 'real'); return { value: b.readFloatBE(0), type: { kind: 'FLOAT' } };
    case Oid.float8: need(b, 8, 'double precision'); return { value: b.readDoubleBE(0), type: { kind: 'DOUBLE' } };
    case Oid.numeric: {
      const d = decodeNumeric(b);
      return { value: d, type: { kind: 'DECIMAL', precision: 38, scale: d.scale } };
    }
    case Oid.bytea: return { value: new Uint8Array(b), type: { kind: 'BYTES' } };
    case Oid.date: need(b, 4, 'date'); return { value: b.readInt32BE(0) + PG_EPOCH_DAYS, type: { kind: 'DATE' } };
    case Oid.time: need(b, 8, 'time'); return { value: Number(b.readBigInt64BE(0)), type: { kind: 'TIME', precision: 6 } };
    case Oid.timestamp: case Oid.timestamptz: {
      need(b, 8, 'timestamp');
      const value = Number(b.readBigInt64BE(0)) + PG_EPOCH_MICROS;
      return { value, type: oid === Oid.timestamp ? { kind: 'TIMESTAMP', precision: 6 } : { kind: 'TIMESTAMP_LTZ', precision: 6 } };
    }
    case Oid.interval: {
      need(b, 16, 'interval');
      const months = b.readInt32BE(12);
      const micros = Number(b.readBigInt64BE(0)) + b.readInt32BE(8) * MICROS_PER_DAY;
      if (months !== 0 && micros !== 0) {
        throw new SqlError(SqlState.featureNotSupported, 'an interval with both months and days or time is not supported');
      }
      return months !== 0 ? { value: months, type: { kind: 'INTERVAL_YEAR_MONTH' } } : { value: micros, type: { kind: 'INTERVAL_DAY_TIME' } };
    }
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.unknown: case 0:
      return { value: b.toString('utf8'), type: { kind: 'VARCHAR', length: null } };
    default:
      throw new SqlError(SqlState.featureNotSupported, `binary format for parameters of type ${oid} is not supported`, {
        hint: 'Send the parameter in text format.',
      });
  }
}

/**
 * Converts a value to `to`, going through PostgreSQL's text form when the kinds
 * differ (what an assignment of a literal would do).
 */
export function coerceValue(value: Value, from: DataType, to: DataType, options: TextFormatOptions = {}): Value {
  if (value === null) return null;
  if (from.kind === to.kind) {
    if (to.kind === 'DECIMAL' && value instanceof Decimal && value.scale !== to.scale) return value.rescale(to.scale);
    return value;
  }
  if ((to.kind === 'DOUBLE' || to.kind === 'FLOAT') && typeof value === 'number') return value;
  const text = typeof value === 'string' ? value : formatValue(value, from, options);
  return text === null ? null : parseValue(text, to, options);
}
