// Timing for the micro-benchmarks: wall-clock and CPU time summed over the measured spans only.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Accumulates wall-clock and process CPU time over the spans it times, so
 * input generation between spans is not counted.
 *
 * CPU time is the whole process's (user + system), so it includes V8's
 * background GC threads: a CPU-time rate below the wall-clock rate means
 * work happened on more than one core.
 *
 * @example
 *   const clock = new SpanClock();
 *   for (const batch of batches) clock.time(() => op.processBatch(0, batch));
 *   clock.wallSeconds; clock.cpuSeconds;
 */
export class SpanClock {
  private wallNs = 0n;
  private cpuUs = 0;

  time<T>(f: () => T): T {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    try {
      return f();
    } finally {
      this.wallNs += process.hrtime.bigint() - t0;
      const cpu = process.cpuUsage(cpu0);
      this.cpuUs += cpu.user + cpu.system;
    }
  }

  async timeAsync<T>(f: () => Promise<T>): Promise<T> {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    try {
      return await f();
    } finally {
      this.wallNs += process.hrtime.bigint() - t0;
      const cpu = process.cpuUsage(cpu0);
      this.cpuUs += cpu.user + cpu.system;
    }
  }

  get wallSeconds(): number {
    return Number(this.wallNs) / 1e9;
  }

  get cpuSeconds(): number {
    return this.cpuUs / 1e6;
  }
}

/** One measured figure of a benchmark. */
export interface Figure {
  /** What was measured, e.g. `filter + project`. */
  readonly name: string;
  /** The phase or detail, e.g. `10,000,000 rows, 50% pass`. */
  readonly detail: string;
  /** Input changes (+I, -U, +U, -D records) processed. */
  readonly changes: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Target in changes/s per core, when the figure has one. */
  readonly target?: number;
  /** Heap in use after the phase, in bytes (a rough state size). */
  readonly heapBytes: number;
}

export function wallRate(f: Figure): number {
  return f.wallSeconds > 0 ? f.changes / f.wallSeconds : 0;
}

export function cpuRate(f: Figure): number {
  return f.cpuSeconds > 0 ? f.changes / f.cpuSeconds : 0;
}

/** V8's gc(), exposed at run time (the `eddy` command does not start node with --expose-gc). */
const collect: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Collects garbage, so one phase's garbage is neither charged to the next nor counted as its state. */
export function settle(): void {
  collect();
}

/** Live heap after a full collection, in bytes (about the size of what the phase keeps). */
export function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** A deterministic PRNG (xorshift32): the same input every run, so figures compare across commits. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
