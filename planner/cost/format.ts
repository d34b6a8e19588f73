// How estimates print: byte sizes, counts and costs in three significant figures, the same in EXPLAIN and in the planner's notes.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** A count or cost: whole below 1000, then K, M, G with one decimal. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 10 && n !== Math.round(n)) return n.toFixed(2);
  if (n < 1000) return n.toFixed(0);
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}K`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}
