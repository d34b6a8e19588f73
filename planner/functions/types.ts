// Type rules: AST type names to data types, implicit and explicit cast rules, common supertypes.

import type { DataType, TypeKind } from '../../common/data-type.js';
import { isInteger, isNumeric, isString, typeToSql } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { TypeName } from '../../parser/ast/types.js';

/** Largest DECIMAL precision (as Flink). */
export const MAX_DECIMAL_PRECISION = 38;
/** Default precision of TIMESTAMP / TIMESTAMP_LTZ without one (Flink and PostgreSQL agree on 6). */
export const DEFAULT_TIMESTAMP_PRECISION = 6;
/** Default precision of TIME without one (Flink: 0). */
export const DEFAULT_TIME_PRECISION = 0;
/**
 * DECIMAL / NUMERIC written without precision. PostgreSQL's unconstrained numeric keeps
 * any scale; a fixed type cannot, so the default is wide enough to keep every BIGINT and
 * 18 fraction digits rather than Flink's DECIMAL(10, 0), which would silently round
 * `CAST(1.5 AS NUMERIC)` to 2.
 */
export const DEFAULT_DECIMAL: DataType = { kind: 'DECIMAL', precision: 38, scale: 18 };

/** Decimal precision needed to hold every value of an integer type. */
export function integerDecimalPrecision(t: DataType): number {
  switch (t.kind) {
    case 'TINYINT': return 3;
    case 'SMALLINT': return 5;
    case 'INT': return 10;
    default: return 19;
  }
}

/** An exact numeric type as DECIMAL (integers as DECIMAL(p, 0)); undefined for others. */
export function asDecimalType(t: DataType): { kind: 'DECIMAL'; precision: number; scale: number } | undefined {
  if (t.kind === 'DECIMAL') return t;
  if (isInteger(t)) return { kind: 'DECIMAL', precision: integerDecimalPrecision(t), scale: 0 };
  return undefined;
}

const simpleTypes = new Map<string, DataType>([
  ['BOOLEAN', { kind: 'BOOLEAN' }], ['BOOL', { kind: 'BOOLEAN' }],
  ['TINYINT', { kind: 'TINYINT' }], ['INT1', { kind: 'TINYINT' }],
  ['SMALLINT', { kind: 'SMALLINT' }], ['INT2', { kind: 'SMALLINT' }],
  ['INT', { kind: 'INT' }], ['INTEGER', { kind: 'INT' }], ['INT4', { kind: 'INT' }],
  ['BIGINT', { kind: 'BIGINT' }], ['INT8', { kind: 'BIGINT' }],
  // FLOAT is 4 bytes as in Flink (the spec lists FLOAT/REAL together).
  ['FLOAT', { kind: 'FLOAT' }], ['REAL', { kind: 'FLOAT' }], ['FLOAT4', { kind: 'FLOAT' }],
  ['DOUBLE', { kind: 'DOUBLE' }], ['FLOAT8', { kind: 'DOUBLE' }],
  ['STRING', { kind: 'VARCHAR', length: null }], ['TEXT', { kind: 'VARCHAR', length: null }],
  ['BYTES', { kind: 'BYTES' }], ['BYTEA', { kind: 'BYTES' }], ['VARBINARY', { kind: 'BYTES' }], ['BINARY', { kind: 'BYTES' }],
  ['DATE', { kind: 'DATE' }],
  ['NULL', { kind: 'NULL' }],
]);

const yearMonthUnits = new Set(['YEAR', 'MONTH', 'QUARTER', 'DECADE', 'CENTURY', 'MILLENNIUM']);

/**
 * The data type a written type name denotes.
 * Defaults: VARCHAR without length and STRING/TEXT are unbounded, CHAR is CHAR(1),
 * DECIMAL/NUMERIC without precision is DECIMAL(38, 18) (see DEFAULT_DECIMAL), DECIMAL(p) is
 * DECIMAL(p, 0), TIMESTAMP and TIMESTAMP_LTZ are precision 6, TIME precision 0, INTERVAL with a
 * YEAR/MONTH qualifier is year-month and every other INTERVAL is day-time.
 * Throws 42704 for unknown names and 22023 for out-of-range parameters.
 *
 * @example dataTypeFromTypeName({ kind: 'TypeName', name: 'NUMERIC', args: [10, 2] }) // DECIMAL(10, 2)
 */
export function dataTypeFromTypeName(t: TypeName): DataType {
  const name = t.name.toUpperCase();
  const args = t.args;
  const simple = simpleTypes.get(name);
  if (simple !== undefined) {
    if (name === 'FLOAT' && args.length === 1) return (args[0] as number) <= 24 ? { kind: 'FLOAT' } : { kind: 'DOUBLE' };
    if (args.length > 0) throw badModifiers(name);
    return simple;
  }
  switch (name) {
    case 'DECIMAL': case 'NUMERIC': case 'DEC': {
      if (args.length === 0) return DEFAULT_DECIMAL;
      const precision = args[0] as number;
      const scale = args[1] ?? 0;
      if (args.length > 2) throw badModifiers(name);
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        throw new SqlError(SqlState.invalidParameterValue, `NUMERIC precision ${precision} must be between 1 and ${MAX_DECIMAL_PRECISION}`);
      }
      if (scale < 0 || scale > precision) {
        throw new SqlError(SqlState.invalidParameterValue, `NUMERIC scale ${scale} must be between 0 and precision ${precision}`);
      }
      return { kind: 'DECIMAL', precision, scale };
    }
    case 'VARCHAR': case 'CHARACTER VARYING': {
      if (args.length > 1) throw badModifiers(name);
      const length = args[0];
      if (length !== undefined && length < 1) throw new SqlError(SqlState.invalidParameterValue, `length for type varchar must be at least 1`);
      return { kind: 'VARCHAR', length: length ?? null };
    }
    case 'CHAR': case 'CHARACTER': case 'BPCHAR': {
      if (args.length > 1) throw badModifiers(name);
      const length = args[0] ?? 1;
      if (length < 1) throw new SqlError(SqlState.invalidParameterValue, `length for type char must be at least 1`);
      return { kind: 'CHAR', length };
    }
    case 'TIME':
      return { kind: 'TIME', precision: timePrecision(name, args, DEFAULT_TIME_PRECISION) };
    case 'TIMESTAMP':
      return { kind: 'TIMESTAMP', precision: timePrecision(name, args, DEFAULT_TIMESTAMP_PRECISION) };
    case 'TIMESTAMP_LTZ': case 'TIMESTAMPTZ':
      return { kind: 'TIMESTAMP_LTZ', precision: timePrecision(name, args, DEFAULT_TIMESTAMP_PRECISION) };
    case 'INTERVAL': {
      const q = t.interval;
      if (q !== undefined && yearMonthUnits.has(q.from) && (q.to === undefined || yearMonthUnits.has(q.to))) {
        return { kind: 'INTERVAL_YEAR_MONTH' };
      }
      return { kind: 'INTERVAL_DAY_TIME' };
    }
    case 'ARRAY': case 'MULTISET': {
      if (t.element === undefined) throw new SqlError(SqlState.syntaxError, `type ARRAY needs an element type`);
      return { kind: 'ARRAY', element: dataTypeFromTypeName(t.element) };
    }
    case 'MAP': {
      if (t.element === undefined || t.mapValue === undefined) throw new SqlError(SqlState.syntaxError, `type MAP needs a key and a value type`);
      return { kind: 'MAP', key: dataTypeFromTypeName(t.element), value: dataTypeFromTypeName(t.mapValue) };
    }
    case 'ROW': {
      const fields = (t.fields ?? []).map((f) => ({ name: f.name, type: dataTypeFromTypeName(f.type), nullable: f.type.notNull !== true }));
      return { kind: 'ROW', fields };
    }
    default:
      throw new SqlError(SqlState.undefinedObject, `type "${t.name.toLowerCase()}" does not exist`, t.span ? { position: t.span.start + 1 } : {});
  }
}

function badModifiers(name: string): SqlError {
  return new SqlError(SqlState.syntaxError, `invalid type modifier for type ${name.toLowerCase()}`);
}

function timePrecision(name: string, args: readonly number[], dflt: number): number {
  if (args.length > 1) throw badModifiers(name);
  const p = args[0] ?? dflt;
  if (p < 0 || p > 9) throw new SqlError(SqlState.invalidParameterValue, `${name} precision ${p} must be between 0 and 9`);
  // Values are kept in microseconds: precisions above 6 are accepted and behave as 6.
  return Math.min(p, 9);
}

const numericRank: Partial<Record<TypeKind, number>> = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4, DECIMAL: 5, FLOAT: 6, DOUBLE: 7 };

/** The wider of two numeric types (integers widen to DECIMAL digits when meeting a DECIMAL). */
export function numericSupertype(a: DataType, b: DataType): DataType {
  const ra = numericRank[a.kind] as number;
  const rb = numericRank[b.kind] as number;
  if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return { kind: 'DOUBLE' };
  if (a.kind === 'FLOAT' || b.kind === 'FLOAT') return { kind: 'FLOAT' };
  if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
    const da = asDecimalType(a) as { precision: number; scale: number };
    const db = asDecimalType(b) as { precision: number; scale: number };
    const scale = Math.max(da.scale, db.scale);
    const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
    return decimalType(intDigits + scale, scale);
  }
  return ra >= rb ? a : b;
}

/** DECIMAL(p, s) with p capped at 38, giving up scale (down to 6, as Flink) before integer digits. */
export function decimalType(precision: number, scale: number): DataType {
  if (precision <= MAX_DECIMAL_PRECISION) return { kind: 'DECIMAL', precision: Math.max(precision, 1), scale };
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const s = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return { kind: 'DECIMAL', precision: MAX_DECIMAL_PRECISION, scale: s };
}

type StringType = Extract<DataType, { kind: 'VARCHAR' | 'CHAR' }>;

function isStringType(t: DataType): t is StringType {
  return t.kind === 'VARCHAR' || t.kind === 'CHAR';
}

function isTimestampLike(t: DataType): boolean {
  return t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
}

/**
 * The type every one of `types` converts to implicitly (UNION, CASE, COALESCE, IN lists,
 * GREATEST/LEAST), or undefined when there is none. NULL-typed entries are ignored.
 * Numbers widen (INT + BIGINT -> BIGINT, INT + DECIMAL(5, 2) -> DECIMAL(12, 2),
 * anything + DOUBLE -> DOUBLE), strings to the longest VARCHAR, DATE + TIMESTAMP -> TIMESTAMP,
 * TIMESTAMP + TIMESTAMP_LTZ -> TIMESTAMP_LTZ. Strings and numbers have no common type here
 * (comparisons convert a string operand to the other side's type, see resolveScalarFunction).
 *
 * @example commonSupertype([Types.int, Types.double]) // DOUBLE
 */
export function commonSupertype(types: readonly DataType[]): DataType | undefined {
  let acc: DataType | undefined;
  for (const t of types) {
    if (t.kind === 'NULL') continue;
    if (acc === undefined) {
      acc = t;
      continue;
    }
    const next = supertypeOf2(acc, t);
    if (next === undefined) return undefined;
    acc = next;
  }
  return acc ?? (types.length > 0 ? { kind: 'NULL' } : undefined);
}

function supertypeOf2(a: DataType, b: DataType): DataType | undefined {
  if (a.kind === 'NULL') return b;
  if (b.kind === 'NULL') return a;
  if (isNumeric(a) && isNumeric(b)) return numericSupertype(a, b);
  if (isStringType(a) && isStringType(b)) {
    if (a.kind === 'CHAR' && b.kind === 'CHAR') return { kind: 'CHAR', length: Math.max(a.length, b.length) };
    const la = a.length;
    const lb = b.length;
    return { kind: 'VARCHAR', length: la === null || lb === null ? null : Math.max(la, lb) };
  }
  if (a.kind === b.kind) {
    switch (a.kind) {
      case 'BOOLEAN': case 'BYTES': case 'DATE': case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH':
        return a;
      case 'TIME': case 'TIMESTAMP': case 'TIMESTAMP_LTZ':
        return { kind: a.kind, precision: Math.max(a.precision, (b as { precision: number }).precision) };
      case 'ARRAY': {
        const e = supertypeOf2(a.element, (b as typeof a).element);
        return e === undefined ? undefined : { kind: 'ARRAY', element: e };
      }
      case 'MAP': {
        const bm = b as typeof a;
        const k = supertypeOf2(a.key, bm.key);
        const v = supertypeOf2(a.value, bm.value);
        return k === undefined || v === undefined ? undefined : { kind: 'MAP', key: k, value: v };
      }
      case 'ROW': {
        const bf = (b as typeof a).fields;
        if (a.fields.length !== bf.length) return undefined;
        const fields = [];
        for (let i = 0; i < a.fields.length; i++) {
          const fa = a.fields[i]!;
          const fb = bf[i]!;
          const ft = supertypeOf2(fa.type, fb.type);
          if (ft === undefined) return undefined;
          fields.push({ name: fa.name, type: ft, nullable: fa.nullable || fb.nullable });
        }
        return { kind: 'ROW', fields };
      }
      default:
        return undefined;
    }
  }
  if (a.kind === 'DATE' && isTimestampLike(b)) return b;
  if (b.kind === 'DATE' && isTimestampLike(a)) return a;
  if (isTimestampLike(a) && isTimestampLike(b)) {
    return { kind: 'TIMESTAMP_LTZ', precision: Math.max((a as { precision: number }).precision, (b as { precision: number }).precision) };
  }
  return undefined;
}

/**
 * Whether a value of `from` converts to `to` without an explicit CAST (function arguments,
 * operands, UNION branches). Widening only: integers to wider integers, DECIMAL, FLOAT and
 * DOUBLE; DECIMAL to a DECIMAL with at least as many integer and fraction digits, FLOAT and
 * DOUBLE; FLOAT to DOUBLE; CHAR/VARCHAR to a VARCHAR long enough; DATE to TIMESTAMP(_LTZ);
 * TIMESTAMP and TIMESTAMP_LTZ to each other (as PostgreSQL); NULL to anything.
 */
export function canImplicitlyCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'NULL') return true;
  if (isNumeric(from) && isNumeric(to)) {
    if (from.kind === to.kind && from.kind !== 'DECIMAL') return true;
    if (to.kind === 'DOUBLE') return true;
    if (to.kind === 'FLOAT') return from.kind !== 'DOUBLE';
    if (to.kind === 'DECIMAL') {
      const d = asDecimalType(from);
      if (d === undefined) return false;
      return d.scale <= to.scale && d.precision - d.scale <= to.precision - to.scale;
    }
    if (isInteger(from) && isInteger(to)) return (numericRank[from.kind] as number) <= (numericRank[to.kind] as number);
    return false;
  }
  if (isStringType(from) && isStringType(to)) {
    if (to.kind === 'CHAR') return from.kind === 'CHAR' && from.length <= to.length;
    return to.length === null || (from.length !== null && from.length <= to.length);
  }
  switch (to.kind) {
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ':
      return from.kind === 'DATE' || isTimestampLike(from);
    case 'TIME':
      return from.kind === 'TIME';
    case 'ARRAY':
      return from.kind === 'ARRAY' && canImplicitlyCast(from.element, to.element);
    case 'MAP':
      return from.kind === 'MAP' && canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value);
    case 'ROW':
      return from.kind === 'ROW' && from.fields.length === to.fields.length
        && from.fields.every((f, i) => canImplicitlyCast(f.type, to.fields[i]!.type));
    default:
      return from.kind === to.kind;
  }
}

/**
 * Whether CAST(from AS to) is allowed. Everything converts to and from strings (ARRAY, MAP and
 * ROW only to strings); numbers convert to each other and to and from BOOLEAN; DATE, TIMESTAMP
 * and TIMESTAMP_LTZ to each other; TIMESTAMP(_LTZ) to TIME; intervals to their own kind;
 * arrays element-wise, rows field-wise.
 */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === 'NULL') return true;
  if (canImplicitlyCast(from, to)) return true;
  if (isString(to)) return true;
  if (isString(from)) return to.kind !== 'ARRAY' && to.kind !== 'MAP' && to.kind !== 'ROW' && to.kind !== 'NULL';
  if (isNumeric(from) && isNumeric(to)) return true;
  if (from.kind === 'BOOLEAN' && isNumeric(to)) return true;
  if (isNumeric(from) && to.kind === 'BOOLEAN') return true;
  switch (to.kind) {
    case 'DATE': return from.kind === 'DATE' || isTimestampLike(from);
    case 'TIME': return from.kind === 'TIME' || isTimestampLike(from);
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return from.kind === 'DATE' || isTimestampLike(from);
    case 'ARRAY': return from.kind === 'ARRAY' && canCast(from.element, to.element);
    case 'MAP': return from.kind === 'MAP' && canCast(from.key, to.key) && canCast(from.value, to.value);
    case 'ROW':
      return from.kind === 'ROW' && from.fields.length === to.fields.length && from.fields.every((f, i) => canCast(f.type, to.fields[i]!.type));
    default: return from.kind === to.kind;
  }
}

/**
 * Whether a value of `from` may be stored into a column of type `to` (INSERT, UPDATE SET,
 * VALUES rows): implicit casts plus numeric narrowing (checked at run time, 22003), string
 * length changes (22001 when too long) and strings into any type a string casts to
 * (PostgreSQL's untyped literals), checked at run time (22P02 / 22007).
 */
export function canAssignCast(from: DataType, to: DataType): boolean {
  if (canImplicitlyCast(from, to)) return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (isString(from) && isString(to)) return true;
  if (isString(from)) return canCast(from, to);
  if ((from.kind === 'TIMESTAMP' || from.kind === 'TIMESTAMP_LTZ') && (to.kind === 'DATE' || to.kind === 'TIME')) return true;
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canAssignCast(from.element, to.element);
  return false;
}

/** `integer`, `character varying`, ... : the PostgreSQL name of a type, for error messages. */
export function pgTypeName(t: DataType): string {
  switch (t.kind) {
    case 'BOOLEAN': return 'boolean';
    case 'TINYINT': return 'tinyint';
    case 'SMALLINT': return 'smallint';
    case 'INT': return 'integer';
    case 'BIGINT': return 'bigint';
    case 'FLOAT': return 'real';
    case 'DOUBLE': return 'double precision';
    case 'DECIMAL': return 'numeric';
    case 'VARCHAR': return 'character varying';
    case 'CHAR': return 'character';
    case 'BYTES': return 'bytea';
    case 'DATE': return 'date';
    case 'TIME': return 'time';
    case 'TIMESTAMP': return 'timestamp';
    case 'TIMESTAMP_LTZ': return 'timestamp with time zone';
    case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH': return 'interval';
    default: return typeToSql(t).toLowerCase();
  }
}
