// Total order and equality over runtime values, as ORDER BY, MIN/MAX, keys and
// DISTINCT need them. NULL compares equal to NULL here (grouping semantics);
// three-valued comparison is the expression compiler's business.

import { Decimal } from './decimal.js';
import type { Value } from './value.js';

/** -1, 0 or 1. NULL sorts after every other value (callers flip it for NULLS FIRST). */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    // NaN sorts after every other number and equal to itself (as PostgreSQL does).
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    return an === bn ? 0 : an ? 1 : -1;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal || b instanceof Decimal) return compareDecimalish(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i] as Value, b[i] as Value);
      if (c !== 0) return c;
    }
    return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
  }
  // Values of different kinds only meet here through a planner bug; order them stably anyway.
  const ka = kindRank(a);
  const kb = kindRank(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function valuesEqual(a: Value, b: Value): boolean {
  return a === b || (a !== null && b !== null && typeof a === 'object' && compareValues(a, b) === 0);
}

export function rowsEqual(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i] as Value, b[i] as Value)) return false;
  return true;
}

function compareDecimalish(a: Value, b: Value): number {
  if (a instanceof Decimal && b instanceof Decimal) {
    const scale = Math.max(a.scale, b.scale);
    const x = a.rescale(scale).unscaled;
    const y = b.rescale(scale).unscaled;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a instanceof Decimal ? a.toNumber() : Number(a);
  const y = b instanceof Decimal ? b.toNumber() : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function kindRank(v: Value): number {
  if (typeof v === 'boolean') return 0;
  if (typeof v === 'number' || v instanceof Decimal) return 1;
  if (typeof v === 'string') return 2;
  if (v instanceof Uint8Array) return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}
