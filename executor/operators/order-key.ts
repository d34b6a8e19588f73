// Order keys: encodes ORDER BY columns (ASC/DESC, NULLS FIRST/LAST) as state-key parts whose plain ascending order is the requested one.

import { Decimal } from '../../common/decimal.js';
import type { Row, Value } from '../../common/value.js';
import type { SortKey } from '../../planner/logical/sort.js';

// SortedState orders keys ascending by compareValues (NULL last) and takes no
// comparator, so the requested order is folded into the key itself: DESC parts
// are inverted, and NULLS FIRST adds a marker part in front of the value.

/**
 * Appends the encoded order key of `row` to `out`.
 * Ascending NULLS LAST (compareValues' own order) costs nothing: the value is used as is.
 */
export function appendOrderKey(row: Row, keys: readonly SortKey[], out: Value[]): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as SortKey;
    const v = row[k.index] as Value;
    if (k.nullsFirst) {
      // 0 for NULL, 1 for a value: NULL rows come first whatever the direction.
      out.push(v === null ? 0 : 1);
      out.push(v === null ? null : k.descending ? invertValue(v) : v);
    } else {
      // NULL stays NULL and so sorts last in either direction.
      out.push(v === null ? null : k.descending ? invertValue(v) : v);
    }
  }
}

/** How many key parts appendOrderKey produces for `keys`. */
export function orderKeyWidth(keys: readonly SortKey[]): number {
  let n = 0;
  for (const k of keys) n += k.nullsFirst ? 2 : 1;
  return n;
}

/**
 * A value whose ascending position is `v`'s descending one (never NULL; NULL
 * is handled by the caller). Numbers negate; NaN, the greatest number, becomes
 * `false`, which compareValues puts before every number. Strings and bytes
 * become arrays of negated code units closed by 1, so that a longer string
 * with the same beginning (the greater one) sorts first.
 */
export function invertValue(v: Value): Value {
  if (typeof v === 'number') return Number.isNaN(v) ? false : v === 0 ? 0 : -v;
  if (typeof v === 'string') {
    const out = new Array<number>(v.length + 1);
    for (let i = 0; i < v.length; i++) out[i] = -v.charCodeAt(i);
    out[v.length] = 1;
    return out;
  }
  if (typeof v === 'boolean') return !v;
  if (v instanceof Decimal) return new Decimal(-v.unscaled, v.scale);
  if (v instanceof Uint8Array) {
    const out = new Array<number>(v.length + 1);
    for (let i = 0; i < v.length; i++) out[i] = -(v[i] as number);
    out[v.length] = 1;
    return out;
  }
  if (Array.isArray(v)) {
    // Element-wise: NULL elements (greatest) first, then inverted values, closed by a part above both.
    const a = v as readonly Value[];
    const out: Value[] = [];
    for (const e of a) out.push(e === null ? [0] : [1, invertValue(e)]);
    out.push([2]);
    return out;
  }
  // MAP values have no order in SQL; keep them as they are.
  return v;
}
