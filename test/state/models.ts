// Naive models the state tests check backends against, and the random keys they use.

import { Decimal } from '../../common/decimal.js';
import type { Value } from '../../common/value.js';
import { compareStateKeys } from '../../executor/state/bplus-tree.js';
import type { StateKey } from '../../executor/state/state-api.js';

/** The obviously correct model: an array kept sorted by re-sorting. */
export class NaiveSorted {
  entries: [StateKey, number][] = [];
  put(k: StateKey, v: number): void {
    const i = this.entries.findIndex(([x]) => compareStateKeys(x, k) === 0);
    if (i >= 0) (this.entries[i] as [StateKey, number])[1] = v;
    else {
      this.entries.push([k, v]);
      this.entries.sort((a, b) => compareStateKeys(a[0], b[0]));
    }
  }
  delete(k: StateKey): void {
    this.entries = this.entries.filter(([x]) => compareStateKeys(x, k) !== 0);
  }
  get(k: StateKey): number | undefined {
    return this.entries.find(([x]) => compareStateKeys(x, k) === 0)?.[1];
  }
  scan(prefix: StateKey, reverse: boolean): [StateKey, number][] {
    const out = this.entries.filter(([k]) => k.length >= prefix.length && compareStateKeys(k.slice(0, prefix.length), prefix) === 0);
    return reverse ? out.reverse() : out;
  }
  range(from: StateKey | undefined, to: StateKey | undefined): [StateKey, number][] {
    return this.entries.filter(([k]) => (from === undefined || compareStateKeys(k, from) >= 0) && (to === undefined || compareStateKeys(k, to) < 0));
  }
}

export type FirstKind = 'number' | 'string' | 'decimal' | 'long';

/** Keys of 1-3 parts; each position holds one kind of value (or NULL), as keys built by operators do. */
export function randomKey(r: () => number, first: FirstKind = 'number'): Value[] {
  const parts: Value[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const kind = i === 0 ? first : i === 1 ? 'string' : 'decimal';
    if (r() < 0.1) parts.push(null);
    else if (kind === 'number') parts.push(Math.floor(r() * 12) - 3);
    else if (kind === 'string') parts.push(['a', 'b', 'ab', 'ba', ''][Math.floor(r() * 5)] as string);
    // Keys past LMDB's limit, many sharing a long prefix: hashed, and put back in order by scans.
    else if (kind === 'long') parts.push(`${'p'.repeat(1890 + Math.floor(r() * 3) * 40)}${['a', 'b', 'c'][Math.floor(r() * 3)] as string}`);
    else parts.push(new Decimal(BigInt(Math.floor(r() * 20) - 10), 1 + Math.floor(r() * 2)));
  }
  return parts;
}
