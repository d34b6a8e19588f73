// A latency histogram with logarithmic buckets (2% wide): constant memory however many samples it takes.

/** Each bucket is this much wider than the one before, so a percentile is within 2% of the true value. */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs · 1.02^1100 is beyond 3 hours: every latency a run can see fits. */
const BUCKETS = 1100;

/**
 * Counts latencies in microseconds; percentiles read back in milliseconds.
 *
 * @example
 *   const h = new LatencyHistogram();
 *   h.record(1500);          // 1.5 ms
 *   h.percentile(0.99);      // ≈ 1.5
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private maxUs = 0;
  private sumUs = 0;

  /** Records one latency; negative values (clock order across callbacks) count as 0. */
  record(us: number): void {
    const v = us > 1 ? us : 1;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(v) / LOG_GROWTH));
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total += 1;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  get count(): number {
    return this.total;
  }

  /** The smallest bucket bound below which a fraction `q` of the samples lie, in ms (NaN when empty). */
  percentile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const want = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen >= want) return Math.min(this.maxUs, GROWTH ** (i + 1)) / 1000;
    }
    return this.maxUs / 1000;
  }

  /** Mean in ms (NaN when empty). */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sumUs / this.total / 1000;
  }

  /** Largest sample in ms (NaN when empty). */
  get max(): number {
    return this.total === 0 ? Number.NaN : this.maxUs / 1000;
  }
}
