// Exact sums of doubles as non-overlapping partials (Shewchuk's expansions): adding -x undoes adding x exactly.

import { SqlError, SqlState } from '../../../common/errors.js';

// Why: a running double sum under retraction drifts (insert 1e20, insert 1,
// delete 1e20 leaves 0, not 1), and the drift depends on history, so two
// replicas fed the same multiset in a different order would disagree. Keeping
// the sum exact as a short list of partials (usually 1-3 numbers) makes the
// result the correctly rounded sum of the rows currently in the group, however
// they arrived. Cost: a few additions per update.

/**
 * Adds `x` (finite) to the expansion `partials` (increasing magnitude,
 * non-overlapping), in place.
 */
export function addPartial(partials: number[], x: number): void {
  let i = 0;
  for (let j = 0; j < partials.length; j++) {
    let y = partials[j] as number;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  if (!Number.isFinite(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  partials.length = i;
  partials.push(x);
}

/** The expansion's value, correctly rounded (half to even). */
export function roundPartials(partials: readonly number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n] as number;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Round half to even when the rest of the expansion pushes past a tie.
  if (n > 0 && ((lo < 0 && (partials[n - 1] as number) < 0) || (lo > 0 && (partials[n - 1] as number) > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

const SPLITTER = 134217729; // 2^27 + 1 (Dekker's split for 53-bit mantissas)

/** a * b exactly, as the rounded product plus its error term, appended to `partials` with `sign`. */
export function addProduct(partials: number[], a: number, b: number, sign: 1 | -1): void {
  const p = a * b;
  if (!Number.isFinite(p)) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  let c = SPLITTER * a;
  const ahi = c - (c - a);
  const alo = a - ahi;
  c = SPLITTER * b;
  const bhi = c - (c - b);
  const blo = b - bhi;
  const err = ahi * bhi - p + ahi * blo + alo * bhi + alo * blo;
  addPartial(partials, sign * p);
  if (err !== 0) addPartial(partials, sign * err);
}
