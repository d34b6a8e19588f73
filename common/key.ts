// Canonical string encodings of values and rows, for hash keys: two rows get the
// same key exactly when they are equal as GROUP BY / DISTINCT / join keys see them.

import { Decimal } from './decimal.js';
import type { Value } from './value.js';

/** A string that identifies the value; `1` (number) and `'1'` (string) differ. */
export function valueKey(v: Value): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? 'n0' : `n${v}`;
    case 'string': return `s${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default: break;
  }
  if (v instanceof Decimal) {
    // Normalise the scale so 1.50 and 1.5 are one key.
    let d = v;
    while (d.scale > 0 && d.unscaled % 10n === 0n) d = new Decimal(d.unscaled / 10n, d.scale - 1);
    return `d${d.toString()}`;
  }
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('base64')}`;
  if (Array.isArray(v)) return `[${rowKey(v)}]`;
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${valueKey(k)}:${valueKey(x)}`).join(',')}}`;
  return `?${String(v)}`;
}

/**
 * The key of several values. Each part is length-prefixed, so no choice of
 * strings can make two different rows collide.
 */
export function rowKey(values: readonly Value[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const k = valueKey(values[i] as Value);
    out += `${k.length}:${k}`;
  }
  return out;
}

/** The key of the values at `indexes` of `row`. */
export function projectedKey(row: readonly Value[], indexes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < indexes.length; i++) {
    const k = valueKey(row[indexes[i] as number] as Value);
    out += `${k.length}:${k}`;
  }
  return out;
}
