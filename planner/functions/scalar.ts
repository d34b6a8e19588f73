// Scalar functions and operators: names, aliases and how argument types resolve to a signature.

import type { DataType } from '../../common/data-type.js';
import { Types, isInteger, isNumeric, isString } from '../../common/data-type.js';
import type { Value } from '../../common/value.js';
import {
  asDecimalType, canCast, canImplicitlyCast, commonSupertype, decimalType, numericSupertype,
} from './types.js';

/**
 * When the result is NULL:
 * `propagate` – exactly when some argument is NULL (nullable iff an argument is nullable);
 * `always`    – possibly even for non-NULL arguments (NULLIF, REGEXP_EXTRACT, ...);
 * `never`     – never (IS NULL, COUNT, CURRENT_DATE, ...);
 * `all`       – only when every argument is NULL (COALESCE).
 */
export type Nullability = 'propagate' | 'always' | 'never' | 'all';

export interface ResolvedFunction {
  /** Registry name for BoundCall.fn (aliases resolved: `substr` -> `substring`). */
  readonly fn: string;
  readonly returnType: DataType;
  /** The type each argument must be cast to before the call (the binder inserts the casts). */
  readonly argTypes: readonly DataType[];
  readonly nullable: Nullability;
  /** False for RAND, NOW, UUID, ...: never constant-folded, re-evaluated per row. */
  readonly deterministic: boolean;
}

/** What a resolver returns for one call shape; `fn` and `deterministic` come from its definition. */
interface Signature {
  readonly returnType: DataType;
  readonly argTypes: readonly DataType[];
  readonly nullable?: Nullability;
  /** A different registry name for this overload (`-` on two timestamps -> `timestamp_diff`). */
  readonly fn?: string;
}

/** Arguments' constant values where the binder knows them (literals), else undefined. */
export type ConstArgs = readonly (Value | undefined)[] | undefined;

type Resolver = (args: readonly DataType[], consts: ConstArgs) => Signature | undefined;

interface FunctionDef {
  readonly resolve: Resolver;
  readonly deterministic: boolean;
}

const registry = new Map<string, FunctionDef>();
const aliases = new Map<string, string>();

function define(names: string | readonly string[], resolve: Resolver, deterministic = true): void {
  const list = typeof names === 'string' ? [names] : names;
  const [canonical, ...rest] = list as [string, ...string[]];
  registry.set(canonical, { resolve, deterministic });
  for (const a of rest) aliases.set(a, canonical);
}

// ---------------------------------------------------------------- signature helpers

const S = Types.string;
const I = Types.int;
const BI = Types.bigint;
const D = Types.double;
const B = Types.boolean;
const TS: DataType = { kind: 'TIMESTAMP', precision: 6 };

/**
 * Fixed-parameter overloads: an argument matches a parameter when it casts to it implicitly.
 * `optional` trailing parameters may be left out.
 */
function overloads(
  ...list: readonly { params: readonly DataType[]; optional?: number; returns: DataType | ((args: readonly DataType[]) => DataType); nullable?: Nullability; fn?: string }[]
): Resolver {
  return (args) => {
    for (const o of list) {
      const min = o.params.length - (o.optional ?? 0);
      if (args.length < min || args.length > o.params.length) continue;
      let ok = true;
      for (let i = 0; i < args.length && ok; i++) ok = canImplicitlyCast(args[i]!, o.params[i]!);
      if (!ok) continue;
      const argTypes = o.params.slice(0, args.length);
      const returnType = typeof o.returns === 'function' ? o.returns(args) : o.returns;
      return { returnType, argTypes, ...(o.nullable ? { nullable: o.nullable } : {}), ...(o.fn ? { fn: o.fn } : {}) };
    }
    return undefined;
  };
}

function fixed(params: readonly DataType[], returns: DataType, optional = 0, nullable?: Nullability): Resolver {
  return overloads({ params, optional, returns, ...(nullable ? { nullable } : {}) });
}

/** Any number of arguments of one type. */
function variadic(param: DataType, returns: DataType, min: number, nullable?: Nullability): Resolver {
  return (args) => {
    if (args.length < min) return undefined;
    if (!args.every((a) => canImplicitlyCast(a, param))) return undefined;
    return { returnType: returns, argTypes: args.map(() => param), ...(nullable ? { nullable } : {}) };
  };
}

/** Every argument converted to one common type, which is also the result type. */
function sameTyped(min: number, max: number, nullable?: Nullability): Resolver {
  return (args) => {
    if (args.length < min || args.length > max) return undefined;
    const t = commonSupertype(args);
    if (t === undefined) return undefined;
    const rt = t.kind === 'NULL' ? S : t;
    return { returnType: rt, argTypes: args.map(() => rt), ...(nullable ? { nullable } : {}) };
  };
}

function nonNullType(t: DataType, other: DataType): DataType {
  return t.kind === 'NULL' ? (other.kind === 'NULL' ? I : other) : t;
}

/**
 * The type two or more values are compared in: their common supertype, or, when a string
 * meets a number, date/time or boolean, that other type (the string is cast to it, as
 * Flink's implicit coercion and PostgreSQL's unknown literals do).
 */
export function comparisonSupertype(types: readonly DataType[]): DataType | undefined {
  const st = commonSupertype(types);
  if (st !== undefined) return st.kind === 'MAP' ? undefined : st;
  const others = types.filter((t) => !isString(t));
  const t = commonSupertype(others);
  if (t === undefined || t.kind === 'NULL' || t.kind === 'MAP') return undefined;
  return types.every((x) => canCast(x, t)) ? t : undefined;
}

// ---------------------------------------------------------------- arithmetic

function decimalArithmetic(op: string, a: DataType, b: DataType): Signature {
  const x = asDecimalType(a)!;
  const y = asDecimalType(b)!;
  const [p1, s1, p2, s2] = [x.precision, x.scale, y.precision, y.scale];
  let rt: DataType;
  switch (op) {
    case '+': case '-': {
      const s = Math.max(s1, s2);
      rt = decimalType(Math.max(p1 - s1, p2 - s2) + s + 1, s);
      break;
    }
    case '*': rt = decimalType(p1 + p2 + 1, s1 + s2); break;
    case '/': {
      const s = Math.max(6, s1 + p2 + 1);
      rt = decimalType(p1 - s1 + s2 + s, s);
      break;
    }
    default: {
      const s = Math.max(s1, s2);
      rt = decimalType(Math.min(p1 - s1, p2 - s2) + s, s);
    }
  }
  return { returnType: rt, argTypes: [x, y] };
}

const isTs = (t: DataType) => t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
const isInterval = (t: DataType) => t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH';

function arithmetic(op: '+' | '-' | '*' | '/' | '%'): Resolver {
  return (args) => {
    if (args.length !== 2) return undefined;
    const a = nonNullType(args[0]!, args[1]!);
    const b = nonNullType(args[1]!, args[0]!);
    if (isNumeric(a) && isNumeric(b)) {
      const t = numericSupertype(a, b);
      if (t.kind === 'DECIMAL') return decimalArithmetic(op, a, b);
      return { returnType: t, argTypes: [t, t] };
    }
    switch (op) {
      case '+': return temporalPlus(a, b) ?? swapped(temporalPlus(b, a));
      case '-': return temporalMinus(a, b);
      case '*':
        if (isInterval(a) && isNumeric(b)) return { returnType: a, argTypes: [a, D], fn: 'interval_multiply' };
        if (isNumeric(a) && isInterval(b)) return { returnType: b, argTypes: [D, b], fn: 'interval_multiply' };
        return undefined;
      case '/':
        if (isInterval(a) && isNumeric(b)) return { returnType: a, argTypes: [a, D], fn: 'interval_divide' };
        return undefined;
      default: return undefined;
    }
  };
}

/** `number + date`, `interval + timestamp`, `time + date`: the same operation, arguments the other way round. */
const swappedNames = new Map([
  ['date_plus_days', 'days_plus_date'],
  ['datetime_plus_interval', 'interval_plus_datetime'],
  ['date_plus_time', 'time_plus_date'],
]);

function swapped(s: Signature | undefined): Signature | undefined {
  if (s === undefined) return undefined;
  return { ...s, argTypes: [s.argTypes[1]!, s.argTypes[0]!], fn: swappedNames.get(s.fn ?? '+') ?? '+' };
}

/** `temporal + x` for a temporal (or interval) left side. Registry names: date_plus_days, datetime_plus_interval, ... */
function temporalPlus(a: DataType, b: DataType): Signature | undefined {
  if (a.kind === 'DATE' && isInteger(b)) return { returnType: a, argTypes: [a, I], fn: 'date_plus_days' };
  if (a.kind === 'DATE' && b.kind === 'TIME') return { returnType: { kind: 'TIMESTAMP', precision: b.precision }, argTypes: [a, b], fn: 'date_plus_time' };
  if ((a.kind === 'DATE' || isTs(a) || a.kind === 'TIME') && isInterval(b)) {
    if (a.kind === 'TIME' && b.kind !== 'INTERVAL_DAY_TIME') return undefined;
    return { returnType: a, argTypes: [a, b], fn: 'datetime_plus_interval' };
  }
  if (isInterval(a) && a.kind === b.kind) return { returnType: a, argTypes: [a, b], fn: '+' };
  return undefined;
}

function temporalMinus(a: DataType, b: DataType): Signature | undefined {
  if (a.kind === 'DATE' && isInteger(b)) return { returnType: a, argTypes: [a, I], fn: 'date_minus_days' };
  if (a.kind === 'DATE' && b.kind === 'DATE') return { returnType: I, argTypes: [a, b], fn: 'date_diff_days' };
  if ((a.kind === 'DATE' || isTs(a) || a.kind === 'TIME') && isInterval(b)) {
    if (a.kind === 'TIME' && b.kind !== 'INTERVAL_DAY_TIME') return undefined;
    return { returnType: a, argTypes: [a, b], fn: 'datetime_minus_interval' };
  }
  if ((isTs(a) || a.kind === 'DATE') && (isTs(b) || b.kind === 'DATE')) {
    const t = commonSupertype([a, b])!;
    return { returnType: Types.intervalDayTime, argTypes: [t, t], fn: 'timestamp_diff' };
  }
  if (a.kind === 'TIME' && b.kind === 'TIME') return { returnType: Types.intervalDayTime, argTypes: [a, b], fn: 'timestamp_diff' };
  if (isInterval(a) && a.kind === b.kind) return { returnType: a, argTypes: [a, b], fn: '-' };
  return undefined;
}

define('+', arithmetic('+'));
define('-', arithmetic('-'));
define('*', arithmetic('*'));
define('/', arithmetic('/'));
define(['%', 'mod'], arithmetic('%'));
define(['^', 'power', 'pow'], fixed([D, D], D));
define('neg', (args) => {
  if (args.length !== 1) return undefined;
  const t = nonNullType(args[0]!, I);
  return isNumeric(t) || isInterval(t) ? { returnType: t, argTypes: [t] } : undefined;
});

// ---------------------------------------------------------------- comparison and logic

function comparison(): Resolver {
  return (args) => {
    if (args.length !== 2) return undefined;
    const t = comparisonSupertype(args);
    if (t === undefined) return undefined;
    const ct = t.kind === 'NULL' ? S : t;
    return { returnType: B, argTypes: [ct, ct] };
  };
}

for (const op of ['=', '<>', '<', '<=', '>', '>=']) define(op, comparison());
define('is_distinct_from', (args, c) => {
  const s = comparison()(args, c);
  return s && { ...s, nullable: 'never' };
});
define('is_not_distinct_from', (args, c) => {
  const s = comparison()(args, c);
  return s && { ...s, nullable: 'never' };
});

/** `in(operand, v1, v2, ...)`: NOT IN is `not(in(...))`. */
define('in', (args) => {
  if (args.length < 2) return undefined;
  const t = comparisonSupertype(args);
  if (t === undefined) return undefined;
  const ct = t.kind === 'NULL' ? S : t;
  return { returnType: B, argTypes: args.map(() => ct), nullable: 'propagate' };
});

/** `between(x, low, high)` and the SYMMETRIC form; NOT BETWEEN is `not(between(...))`. */
for (const name of ['between', 'between_symmetric']) {
  define(name, (args) => {
    if (args.length !== 3) return undefined;
    const t = comparisonSupertype(args);
    if (t === undefined) return undefined;
    const ct = t.kind === 'NULL' ? S : t;
    return { returnType: B, argTypes: [ct, ct, ct] };
  });
}

define('and', variadic(B, B, 2));
define('or', variadic(B, B, 2));
define('not', fixed([B], B));
for (const name of ['is_true', 'is_not_true', 'is_false', 'is_not_false', 'is_unknown', 'is_not_unknown']) {
  define(name, fixed([B], B, 0, 'never'));
}
for (const name of ['is_null', 'is_not_null']) {
  define(name, (args) => (args.length === 1 ? { returnType: B, argTypes: [args[0]!], nullable: 'never' } : undefined));
}

// `like(s, pattern [, escape])`; NOT LIKE is `not(like(...))`.
define('like', fixed([S, S, S], B, 1));
define('ilike', fixed([S, S, S], B, 1));
define('similar_to', fixed([S, S, S], B, 1));

// ---------------------------------------------------------------- conditional

define(['coalesce', 'ifnull', 'nvl'], sameTyped(1, Infinity, 'all'));
define('nullif', (args) => {
  const s = sameTyped(2, 2)(args, undefined);
  return s && { ...s, nullable: 'always' };
});
define('if', (args) => {
  if (args.length !== 3 || !canImplicitlyCast(args[0]!, B)) return undefined;
  const t = commonSupertype([args[1]!, args[2]!]);
  if (t === undefined) return undefined;
  const rt = t.kind === 'NULL' ? S : t;
  return { returnType: rt, argTypes: [B, rt, rt], nullable: 'always' };
});
// GREATEST / LEAST are NULL when any argument is (as Flink; PostgreSQL skips NULLs).
define('greatest', sameTyped(1, Infinity));
define('least', sameTyped(1, Infinity));

// ---------------------------------------------------------------- strings

define('concat', (args) => {
  if (args.length < 1) return undefined;
  if (!args.every((a) => a.kind !== 'ARRAY' && a.kind !== 'MAP' && a.kind !== 'ROW')) return undefined;
  return { returnType: S, argTypes: args.map(() => S) };
});
define('concat_ws', (args) => {
  if (args.length < 2 || !args.every((a) => a.kind !== 'ARRAY' && a.kind !== 'MAP' && a.kind !== 'ROW')) return undefined;
  return { returnType: S, argTypes: args.map(() => S), nullable: 'always' };
});
define('upper', fixed([S], S));
define('lower', fixed([S], S));
define('initcap', fixed([S], S));
define(['substring', 'substr'], fixed([S, BI, BI], S, 1));
define('overlay', fixed([S, S, BI, BI], S, 1));
define(['btrim', 'trim'], fixed([S, S], S, 1));
define('ltrim', fixed([S, S], S, 1));
define('rtrim', fixed([S, S], S, 1));
define('replace', fixed([S, S, S], S));
define('translate', fixed([S, S, S], S));
define('split_index', fixed([S, S, BI], S, 0, 'always'));
define('split_part', fixed([S, S, BI], S));
define(['char_length', 'character_length', 'length', 'len'], overloads({ params: [S], returns: I }, { params: [Types.bytes], returns: I }));
define('octet_length', overloads({ params: [S], returns: I }, { params: [Types.bytes], returns: I }));
define('bit_length', overloads({ params: [S], returns: I }, { params: [Types.bytes], returns: I }));
/** `position(needle, haystack)` as POSITION(needle IN haystack). */
define('position', fixed([S, S], I));
define('strpos', fixed([S, S], I));
define('instr', fixed([S, S], I));
/** Flink: LOCATE(needle, haystack [, start]). */
define('locate', fixed([S, S, BI], I, 1));
define('left', fixed([S, BI], S));
define('right', fixed([S, BI], S));
define('lpad', fixed([S, BI, S], S, 1));
define('rpad', fixed([S, BI, S], S, 1));
define('repeat', fixed([S, BI], S));
define('reverse', fixed([S], S));
define('starts_with', fixed([S, S], B));
define('ends_with', fixed([S, S], B));
define('md5', overloads({ params: [S], returns: S }, { params: [Types.bytes], returns: S }));
define('sha1', overloads({ params: [S], returns: S }, { params: [Types.bytes], returns: S }));
define('sha256', overloads({ params: [S], returns: S }, { params: [Types.bytes], returns: S }));
define('hash_code', fixed([S], I));
define('to_base64', overloads({ params: [S], returns: S }, { params: [Types.bytes], returns: S }));
define('from_base64', fixed([S], S));
define('ascii', fixed([S], I));
define('chr', fixed([BI], S));
define('to_hex', fixed([BI], S));
define('hex', overloads({ params: [BI], returns: S }, { params: [S], returns: S }));
define('bin', fixed([BI], S));
define('uuid', fixed([], S, 0, 'never'), false);
define('is_alpha', fixed([S], B));
define('is_digit', fixed([S], B));
define('is_decimal', fixed([S], B));
/** STRING_TO_ARRAY(s, sep) (PostgreSQL) and SPLIT(s, sep) (Flink): ARRAY<STRING>. */
define(['string_to_array', 'split'], fixed([S, S], { kind: 'ARRAY', element: S }));
/** ARRAY_TO_STRING(array, sep [, null_text]): NULL elements skipped unless null_text is given. */
define('array_to_string', (args) => {
  if (args.length < 2 || args.length > 3 || args[0]!.kind !== 'ARRAY') return undefined;
  if (!args.slice(1).every((a) => canImplicitlyCast(a, S))) return undefined;
  return { returnType: S, argTypes: [{ kind: 'ARRAY', element: S }, ...args.slice(1).map(() => S)] };
});
define('regexp_extract', fixed([S, S, BI], S, 1, 'always'));
define('regexp_replace', fixed([S, S, S, S], S, 1));
define(['regexp', 'regexp_like'], fixed([S, S, S], B, 1));
define('regexp_count', fixed([S, S], I));
define('regexp_substr', fixed([S, S], S, 0, 'always'));

// ---------------------------------------------------------------- math

/** The argument's own numeric type in and out (ABS, SIGN). */
function numericSameType(ret?: (t: DataType) => DataType): Resolver {
  return (args) => {
    if (args.length !== 1) return undefined;
    const t = nonNullType(args[0]!, D);
    if (!isNumeric(t)) return undefined;
    return { returnType: ret ? ret(t) : t, argTypes: [t] };
  };
}

/** ROUND / TRUNCATE with an optional scale; a constant scale narrows a DECIMAL's type. */
function rounding(): Resolver {
  return (args, consts) => {
    if (args.length < 1 || args.length > 2) return undefined;
    const t = nonNullType(args[0]!, D);
    if (!isNumeric(t)) return undefined;
    if (args.length === 2 && !canImplicitlyCast(args[1]!, I)) return undefined;
    let rt: DataType = t;
    if (t.kind === 'DECIMAL') {
      const c = consts?.[1];
      const n = args.length === 1 ? 0 : typeof c === 'number' ? c : undefined;
      if (n !== undefined) {
        const s = Math.max(0, Math.min(n, t.scale));
        rt = decimalType(Math.min(38, t.precision - t.scale + s + 1), s);
      }
    }
    return { returnType: rt, argTypes: args.length === 2 ? [t, I] : [t] };
  };
}

define('abs', numericSameType());
define('sign', numericSameType((t) => (t.kind === 'DECIMAL' ? { kind: 'DECIMAL', precision: 1, scale: 0 } : t)));
define('round', rounding());
define(['truncate', 'trunc'], rounding());
define(['floor'], numericSameType((t) => (t.kind === 'DECIMAL' ? decimalType(t.precision - t.scale + 1, 0) : t)));
define(['ceil', 'ceiling'], numericSameType((t) => (t.kind === 'DECIMAL' ? decimalType(t.precision - t.scale + 1, 0) : t)));
for (const name of ['sqrt', 'cbrt', 'exp', 'ln', 'log10', 'log2', 'sin', 'cos', 'tan', 'cot', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'degrees', 'radians']) {
  define(name, fixed([D], D));
}
/** LOG(x) is the natural logarithm (Flink); LOG(base, x). */
define('log', fixed([D, D], D, 1));
define('atan2', fixed([D, D], D));
define('pi', fixed([], D, 0, 'never'));
define('e', fixed([], D, 0, 'never'));
define(['rand', 'random'], fixed([BI], D, 1), false);
define('rand_integer', overloads({ params: [BI], returns: I }, { params: [BI, BI], returns: I }), false);

// ---------------------------------------------------------------- date and time

const extractUnits = [
  'millennium', 'century', 'decade', 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second',
  'millisecond', 'microsecond', 'nanosecond', 'dow', 'doy', 'isodow', 'isoyear', 'epoch',
] as const;

/** `extract_<unit>(x)` for EXTRACT(unit FROM x): BIGINT for every unit (as Flink). */
for (const unit of extractUnits) {
  define(`extract_${unit}`, (args) => {
    if (args.length !== 1) return undefined;
    const t = args[0]!;
    const ok = t.kind === 'DATE' || t.kind === 'TIME' || isTs(t) || isInterval(t) || t.kind === 'NULL';
    if (!ok) return undefined;
    if (t.kind === 'DATE' && (unit === 'hour' || unit === 'minute' || unit === 'second' || unit === 'millisecond' || unit === 'microsecond' || unit === 'nanosecond')) {
      return { returnType: BI, argTypes: [TS] };
    }
    return { returnType: BI, argTypes: [t.kind === 'NULL' ? TS : t] };
  });
}
/** Flink's YEAR(d), MONTH(d), ... are EXTRACT in disguise. */
for (const [name, unit] of [
  ['year', 'year'], ['quarter', 'quarter'], ['month', 'month'], ['week', 'week'], ['dayofmonth', 'day'],
  ['dayofyear', 'doy'], ['hour', 'hour'], ['minute', 'minute'], ['second', 'second'],
] as const) {
  aliases.set(name, `extract_${unit}`);
}
/** DAYOFWEEK: 1 = Sunday ... 7 = Saturday (Flink). */
define('dayofweek', overloads({ params: [Types.date], returns: BI }, { params: [TS], returns: BI }));
/** PostgreSQL's date_part('field', x): double precision. */
define('date_part', (args) => {
  if (args.length !== 2 || !canImplicitlyCast(args[0]!, S)) return undefined;
  const t = args[1]!;
  if (!(t.kind === 'DATE' || t.kind === 'TIME' || isTs(t) || isInterval(t))) return undefined;
  return { returnType: D, argTypes: [S, t.kind === 'DATE' ? TS : t] };
});
define('date_format', overloads(
  { params: [TS, S], returns: S },
  { params: [S, S], returns: S, fn: 'date_format_string', nullable: 'always' },
));
define('to_char', (args) => {
  if (args.length !== 2 || !canImplicitlyCast(args[1]!, S)) return undefined;
  const t = args[0]!;
  if (isTs(t) || t.kind === 'DATE') return { returnType: S, argTypes: [t.kind === 'DATE' ? TS : t, S] };
  if (isInterval(t) || isNumeric(t)) return { returnType: S, argTypes: [isNumeric(t) ? (t.kind === 'DECIMAL' ? t : isInteger(t) ? BI : D) : t, S] };
  return undefined;
});
/**
 * TO_TIMESTAMP(string [, format]) -> TIMESTAMP(3) (Flink; the format is Java-style like
 * `yyyy-MM-dd HH:mm:ss`, or PostgreSQL-style when it uses `YYYY`, `HH24`, `MI`, ...);
 * TO_TIMESTAMP(seconds since the epoch) -> TIMESTAMP_LTZ(6) (PostgreSQL).
 */
define('to_timestamp', overloads(
  { params: [S, S], optional: 1, returns: Types.timestamp3, nullable: 'always' },
  { params: [D], returns: { kind: 'TIMESTAMP_LTZ', precision: 6 }, fn: 'to_timestamp_epoch' },
));
/** TO_TIMESTAMP_LTZ(epoch, precision): precision 0 = seconds, 3 = milliseconds (Flink). */
define('to_timestamp_ltz', overloads(
  { params: [D, I], optional: 1, returns: Types.timestampLtz3 },
  { params: [S, S], optional: 1, returns: Types.timestampLtz3, fn: 'to_timestamp_ltz_string', nullable: 'always' },
));
define('to_date', fixed([S, S], Types.date, 1, 'always'));
/** DATE_TRUNC('unit', x): TIMESTAMP(_LTZ) keeps its type, DATE becomes TIMESTAMP. */
define('date_trunc', (args) => {
  if (args.length !== 2 || !canImplicitlyCast(args[0]!, S)) return undefined;
  const t = args[1]!;
  if (isTs(t)) return { returnType: t, argTypes: [S, t] };
  if (t.kind === 'DATE' || t.kind === 'NULL') return { returnType: TS, argTypes: [S, TS] };
  if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'TIME') return { returnType: t, argTypes: [S, t] };
  return undefined;
});
define(['current_timestamp', 'now'], fixed([], Types.timestampLtz3, 0, 'never'), false);
define('localtimestamp', fixed([], Types.timestamp3, 0, 'never'), false);
define('current_date', fixed([], Types.date, 0, 'never'), false);
define(['current_time', 'localtime'], fixed([], Types.time, 0, 'never'), false);
define('unix_timestamp', (args) => {
  if (args.length === 0) return { returnType: BI, argTypes: [], nullable: 'never' };
  return fixed([S, S], BI, 1, 'always')(args, undefined);
}, false);
define('from_unixtime', fixed([BI, S], S, 1));
/** TIMESTAMPADD(unit, n, x): the binder passes the unit keyword as a string literal ('DAY'). */
define('timestampadd', (args) => {
  if (args.length !== 3 || !canImplicitlyCast(args[0]!, S) || !canImplicitlyCast(args[1]!, BI)) return undefined;
  const t = args[2]!;
  if (isTs(t) || t.kind === 'DATE' || t.kind === 'TIME') return { returnType: t, argTypes: [S, BI, t] };
  return undefined;
});
/** TIMESTAMPDIFF(unit, a, b): whole units from a to b (the unit as a string literal). */
define('timestampdiff', (args) => {
  if (args.length !== 3 || !canImplicitlyCast(args[0]!, S)) return undefined;
  const t = commonSupertype([args[1]!, args[2]!]);
  if (t === undefined || !(isTs(t) || t.kind === 'DATE' || t.kind === 'TIME')) return undefined;
  return { returnType: I, argTypes: [S, t, t] };
});
/** DATEDIFF(end, start): days between the dates (Hive/Flink). */
define('datediff', (args) => {
  if (args.length !== 2) return undefined;
  if (!args.every((a) => a.kind === 'DATE' || isTs(a) || isString(a) || a.kind === 'NULL')) return undefined;
  return { returnType: I, argTypes: [Types.date, Types.date] };
});
define('make_date', fixed([I, I, I], Types.date));
/** CONVERT_TZ('2026-01-01 10:00:00', 'UTC', 'Asia/Tokyo') -> '2026-01-01 19:00:00' (Flink). */
define('convert_tz', fixed([S, S, S], S, 0, 'always'));
define('last_day', overloads({ params: [Types.date], returns: Types.date }, { params: [TS], returns: Types.date }));

// ---------------------------------------------------------------- arrays, maps, rows

/** ARRAY[a, b, ...] */
define('array', (args) => {
  const t = commonSupertype(args);
  if (t === undefined) return undefined;
  const e = t.kind === 'NULL' ? S : t;
  return { returnType: { kind: 'ARRAY', element: e }, argTypes: args.map(() => e), nullable: 'never' };
});
/** ROW(a, b, ...): fields named f0, f1, ... (as Flink). */
define('row', (args) => ({
  returnType: { kind: 'ROW', fields: args.map((t, i) => ({ name: `f${i}`, type: t, nullable: true })) },
  argTypes: args,
  nullable: 'never',
}));
/** `a[i]` (1-based) and `m[k]`; NULL when out of range or absent. */
define('item', (args) => {
  if (args.length !== 2) return undefined;
  const c = args[0]!;
  if (c.kind === 'ARRAY' && canImplicitlyCast(args[1]!, I)) return { returnType: c.element, argTypes: [c, I], nullable: 'always' };
  if (c.kind === 'MAP' && canImplicitlyCast(args[1]!, c.key)) return { returnType: c.value, argTypes: [c, c.key], nullable: 'always' };
  return undefined;
});
/** `field_access(row, index)`: the index (0-based) must be a constant. */
define('field_access', (args, consts) => {
  if (args.length !== 2) return undefined;
  const r = args[0]!;
  const idx = consts?.[1];
  if (r.kind !== 'ROW' || typeof idx !== 'number') return undefined;
  const f = r.fields[idx];
  return f ? { returnType: f.type, argTypes: [r, I], nullable: 'always' } : undefined;
});
define(['cardinality', 'array_length'], (args) => {
  if (args.length !== 1) return undefined;
  const t = args[0]!;
  return t.kind === 'ARRAY' || t.kind === 'MAP' ? { returnType: I, argTypes: [t] } : undefined;
});
define('array_contains', (args) => {
  if (args.length !== 2) return undefined;
  const a = args[0]!;
  if (a.kind !== 'ARRAY') return undefined;
  const t = commonSupertype([a.element, args[1]!]);
  if (t === undefined) return undefined;
  return { returnType: B, argTypes: [{ kind: 'ARRAY', element: t }, t], nullable: 'always' };
});

// ---------------------------------------------------------------- lookup

/** Canonical registry name for a (lower-case) function name or alias, if it exists. */
export function canonicalFunctionName(name: string): string | undefined {
  if (registry.has(name)) return name;
  return aliases.get(name);
}

export function resolveScalar(name: string, argTypes: readonly DataType[], consts?: ConstArgs): ResolvedFunction | undefined {
  const canonical = canonicalFunctionName(name);
  if (canonical === undefined) return undefined;
  const def = registry.get(canonical)!;
  const sig = def.resolve(argTypes, consts);
  if (sig === undefined) return undefined;
  return {
    fn: sig.fn ?? canonical,
    returnType: sig.returnType,
    argTypes: sig.argTypes,
    nullable: sig.nullable ?? 'propagate',
    deterministic: def.deterministic,
  };
}

/**
 * Registry names that only come back from resolution (never written by users): the date/time
 * forms of the arithmetic operators and the string/epoch overloads of parsing functions.
 */
export const overloadFunctionNames: readonly string[] = [
  'date_plus_days', 'days_plus_date', 'date_minus_days', 'date_diff_days', 'date_plus_time', 'time_plus_date',
  'datetime_plus_interval', 'interval_plus_datetime', 'datetime_minus_interval', 'timestamp_diff',
  'interval_multiply', 'interval_divide', 'date_format_string', 'to_timestamp_epoch', 'to_timestamp_ltz_string',
];

export function scalarFunctionNames(): string[] {
  return [...registry.keys(), ...aliases.keys()];
}

export function isScalarFunctionDeterministic(fn: string): boolean {
  const c = canonicalFunctionName(fn);
  return c === undefined ? true : registry.get(c)!.deterministic;
}
