// Heavy hitters: the Misra-Gries summary of the most frequent values of a column, to see skew (Nexmark's hot auctions).

/** Counters kept: any value with more than 1/(K+1) of the rows is certain to be among them. */
export const HEAVY_HITTER_COUNTERS = 8;

/**
 * Counts are lower bounds, off by at most `total / (K + 1)`; values are identified by
 * a 32-bit hash (a collision only merges two counts, which a skew estimate tolerates).
 *
 * @example
 *   const h = new HeavyHitters();
 *   for (const x of [7, 7, 7, 1, 2]) h.add(x);
 *   h.topShare(); // 0.6: the most frequent value is at least 60 % of the rows
 */
export class HeavyHitters {
  readonly counts = new Map<number, number>();
  total = 0;

  add(hash: number, weight = 1): void {
    this.total += weight;
    const c = this.counts.get(hash);
    if (c !== undefined) {
      this.counts.set(hash, c + weight);
      return;
    }
    if (this.counts.size < HEAVY_HITTER_COUNTERS) {
      this.counts.set(hash, weight);
      return;
    }
    // No room: every counter (and the newcomer) loses the smallest weight that frees one.
    let dec = weight;
    for (const v of this.counts.values()) if (v < dec) dec = v;
    for (const [k, v] of this.counts) {
      if (v - dec <= 0) this.counts.delete(k);
      else this.counts.set(k, v - dec);
    }
    if (weight - dec > 0 && this.counts.size < HEAVY_HITTER_COUNTERS) this.counts.set(hash, weight - dec);
  }

  merge(other: HeavyHitters): void {
    this.total += other.total;
    for (const [k, v] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
    if (this.counts.size <= HEAVY_HITTER_COUNTERS) return;
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const cut = sorted[HEAVY_HITTER_COUNTERS] as number;
    for (const [k, v] of this.counts) {
      if (v - cut <= 0) this.counts.delete(k);
      else this.counts.set(k, v - cut);
    }
  }

  /** The share of rows (0..1) the most frequent value is known to hold; 0 before any row. */
  topShare(): number {
    if (this.total <= 0) return 0;
    let max = 0;
    for (const v of this.counts.values()) if (v > max) max = v;
    return Math.min(1, max / this.total);
  }

  encode(): [number[], number] {
    const flat: number[] = [];
    for (const [k, v] of this.counts) flat.push(k, v);
    return [flat, this.total];
  }

  static decode(data: readonly [readonly number[], number]): HeavyHitters {
    const h = new HeavyHitters();
    const [flat, total] = data;
    for (let i = 0; i + 1 < flat.length; i += 2) h.counts.set(flat[i] as number, flat[i + 1] as number);
    h.total = total;
    return h;
  }
}
