// Shared pieces of the operator benchmarks: an operator opened on a fresh MemoryStateBackend, emitting into a counter.

import { ChangeBatch } from '../../executor/change.js';
import type { Output, StreamOperator } from '../../executor/operator.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';

/** Counts what an operator emits, and keeps nothing (so the output costs no memory). */
export class CountingOutput implements Output {
  batches = 0;
  changes = 0;

  emit(batch: ChangeBatch): void {
    this.batches++;
    this.changes += batch.length;
  }

  emitWatermark(_watermark: number): void {}
}

/** Opens `operator` as a job would, with its own in-memory state. */
export function openOperator<T extends StreamOperator>(operator: T): { operator: T; output: CountingOutput; backend: MemoryStateBackend } {
  const backend = new MemoryStateBackend();
  const output = new CountingOutput();
  operator.open({ state: backend.forOperator('bench/0'), output, now: () => 0 });
  return { operator, output, backend };
}
