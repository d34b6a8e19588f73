// Exact DECIMAL arithmetic at a target scale, rounding half away from zero, with overflow checks.

import { Decimal } from './decimal.js';
import { SqlError, SqlState } from './errors.js';

const pow10s: bigint[] = [];
function p10(n: number): bigint {
  let v = pow10s[n];
  if (v === undefined) {
    v = 10n ** BigInt(n);
    if (n < 256) pow10s[n] = v;
  }
  return v;
}

/** n / d rounded half away from zero (d > 0 or d < 0). */
function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n - q * d;
  if (r === 0n) return q;
  const r2 = (r < 0n ? -r : r) * 2n;
  const dAbs = d < 0n ? -d : d;
  if (r2 >= dAbs) return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
  return q;
}

/** The unscaled value of `d` at `scale`, rounding when the scale shrinks. */
export function unscaledAt(d: Decimal, scale: number): bigint {
  if (d.scale === scale) return d.unscaled;
  if (scale > d.scale) return d.unscaled * p10(scale - d.scale);
  return divRound(d.unscaled, p10(d.scale - scale));
}

/** Throws 22003 unless `d` has at most `precision` digits. */
export function checkDecimalPrecision(d: Decimal, precision: number): Decimal {
  const u = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  if (u >= p10(precision)) {
    const intDigits = precision - d.scale;
    throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${d.scale} must round to an absolute value less than ${intDigits === 0 ? '1' : `10^${intDigits}`}.`,
    });
  }
  return d;
}

export function decimalAdd(a: Decimal, b: Decimal, scale: number): Decimal {
  const s = Math.max(a.scale, b.scale, scale);
  const sum = unscaledAt(a, s) + unscaledAt(b, s);
  return new Decimal(s === scale ? sum : divRound(sum, p10(s - scale)), scale);
}

export function decimalSubtract(a: Decimal, b: Decimal, scale: number): Decimal {
  const s = Math.max(a.scale, b.scale, scale);
  const diff = unscaledAt(a, s) - unscaledAt(b, s);
  return new Decimal(s === scale ? diff : divRound(diff, p10(s - scale)), scale);
}

export function decimalMultiply(a: Decimal, b: Decimal, scale: number): Decimal {
  const prod = a.unscaled * b.unscaled;
  const s = a.scale + b.scale;
  if (s === scale) return new Decimal(prod, scale);
  if (s < scale) return new Decimal(prod * p10(scale - s), scale);
  return new Decimal(divRound(prod, p10(s - scale)), scale);
}

function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

/** a / b at `scale`, rounded half away from zero; 22012 when b is zero. */
export function decimalDivide(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.unscaled === 0n) throw divisionByZero();
  // a/b = (ua / 10^sa) / (ub / 10^sb); scaled by 10^scale: ua * 10^(scale - sa + sb) / ub.
  const shift = scale - a.scale + b.scale;
  if (shift >= 0) return new Decimal(divRound(a.unscaled * p10(shift), b.unscaled), scale);
  return new Decimal(divRound(a.unscaled, b.unscaled * p10(-shift)), scale);
}

/** Remainder with the sign of a (as PostgreSQL); 22012 when b is zero. */
export function decimalModulo(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.unscaled === 0n) throw divisionByZero();
  const s = Math.max(a.scale, b.scale);
  const r = unscaledAt(a, s) % unscaledAt(b, s);
  return new Decimal(unscaledAt(new Decimal(r, s), scale), scale);
}

export function decimalNegate(a: Decimal): Decimal {
  return new Decimal(-a.unscaled, a.scale);
}

export function decimalCompare(a: Decimal, b: Decimal): number {
  if (a.scale === b.scale) return a.unscaled < b.unscaled ? -1 : a.unscaled > b.unscaled ? 1 : 0;
  const s = Math.max(a.scale, b.scale);
  const x = unscaledAt(a, s);
  const y = unscaledAt(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An integral number as a decimal at `scale`. */
export function decimalFromInteger(n: number, scale: number): Decimal {
  return new Decimal(BigInt(n) * p10(scale), scale);
}

/**
 * A double as a decimal at `scale`: exact from the shortest round-trip digits of the double
 * (so 0.1 becomes 0.1, not 0.1000000000000000055...), rounded half away from zero.
 */
export function decimalFromDouble(x: number, scale: number): Decimal {
  const d = Decimal.parse(x.toExponential());
  if (d === undefined) throw new SqlError(SqlState.invalidParameterValue, `cannot convert ${x} to numeric`);
  return new Decimal(unscaledAt(d, scale), scale);
}

/** Rounds to `digits` fraction digits (negative: tens, hundreds...), keeping `scale`. */
export function decimalRound(a: Decimal, digits: number, scale: number, truncate = false): Decimal {
  const drop = a.scale - digits;
  let u = a.unscaled;
  if (drop > 0) {
    const f = p10(drop);
    u = truncate ? (u / f) * f : divRound(u, f) * f;
  }
  // u is at a.scale; move to the result scale.
  const r = new Decimal(u, a.scale);
  return new Decimal(unscaledAt(r, scale), scale);
}

/** Floor or ceiling to an integer, at `scale`. */
export function decimalFloor(a: Decimal, scale: number, ceil: boolean): Decimal {
  const f = p10(a.scale);
  let q = a.unscaled / f;
  const r = a.unscaled - q * f;
  if (r !== 0n) {
    if (ceil && r > 0n) q += 1n;
    if (!ceil && r < 0n) q -= 1n;
  }
  return new Decimal(q * p10(scale), scale);
}
