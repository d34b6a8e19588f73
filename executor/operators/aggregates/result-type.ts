// Conversion of an accumulator's raw result to the call's declared SQL type (AggCall.type).

import type { DataType } from '../../../common/data-type.js';
import { Decimal } from '../../../common/decimal.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Value } from '../../../common/value.js';

const integerKinds = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);

/** How a numeric aggregate computes, decided by its result type. */
export type NumericMode = 'integer' | 'decimal' | 'float';

export function numericMode(type: DataType): NumericMode {
  if (type.kind === 'DECIMAL') return 'decimal';
  if (type.kind === 'FLOAT' || type.kind === 'DOUBLE') return 'float';
  return 'integer';
}

/**
 * A function converting raw results to `type`, chosen once per call: for the
 * common integer and floating-point results a number needs no work.
 */
export function resultConverter(type: DataType): (v: Value) => Value {
  if (integerKinds.has(type.kind)) return (v) => (typeof v === 'number' && Number.isInteger(v) ? v : toResultType(v, type));
  if (type.kind === 'FLOAT' || type.kind === 'DOUBLE') return (v) => (typeof v === 'number' ? v : toResultType(v, type));
  return (v) => toResultType(v, type);
}

/**
 * `v` as a value of `type`. Numbers become DECIMAL exactly where they are
 * integers and through their shortest decimal text otherwise; DECIMAL becomes
 * a number for FLOAT/DOUBLE; a fractional value for an integer type is
 * truncated toward zero (as Flink's AVG over INT is).
 */
export function toResultType(v: Value, type: DataType): Value {
  if (v === null) return null;
  if (type.kind === 'DECIMAL') {
    const d = typeof v === 'number' ? decimalFromNumber(v) : v instanceof Decimal ? v : null;
    if (d === null) return v;
    return checkPrecision(d.rescale(type.scale), type.precision);
  }
  if (type.kind === 'FLOAT' || type.kind === 'DOUBLE') return v instanceof Decimal ? v.toNumber() : v;
  if (integerKinds.has(type.kind)) {
    if (v instanceof Decimal) return checkSafe(Number(v.unscaled / 10n ** BigInt(v.scale)));
    if (typeof v === 'number' && !Number.isInteger(v)) return Number.isFinite(v) ? checkSafe(Math.trunc(v)) : overflow(type.kind);
  }
  return v;
}

/** The exact decimal of an integer number, or of a number's shortest round-tripping text. */
export function decimalFromNumber(x: number): Decimal {
  if (Number.isSafeInteger(x)) return new Decimal(BigInt(x), 0);
  if (!Number.isFinite(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'cannot convert infinity or NaN to numeric');
  return Decimal.parse(String(x)) as Decimal;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return new Decimal(a.unscaled + b.unscaled, a.scale);
  const s = Math.max(a.scale, b.scale);
  return new Decimal(a.rescale(s).unscaled + b.rescale(s).unscaled, s);
}

/** `d / n` at `scale` digits, rounding half away from zero (as PostgreSQL's numeric division). */
export function divideDecimal(d: Decimal, n: bigint, scale: number): Decimal {
  let num = d.unscaled;
  let den = n;
  if (scale >= d.scale) num *= 10n ** BigInt(scale - d.scale);
  else den *= 10n ** BigInt(d.scale - scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const r = num % den;
  const abs = r < 0n ? -r : r;
  return new Decimal(abs * 2n >= den ? q + (num < 0n ? -1n : 1n) : q, scale);
}

function checkPrecision(d: Decimal, precision: number): Decimal {
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
  if (d.unscaled !== 0n && digits > precision) {
    throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${d.scale} must round to an absolute value less than 10^${precision - d.scale}.`,
    });
  }
  return d;
}

function checkSafe(x: number): number {
  if (!Number.isSafeInteger(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
  return x;
}

function overflow(kind: string): never {
  throw new SqlError(SqlState.numericValueOutOfRange, `${kind.toLowerCase()} out of range`);
}
