// StateTtl: which keys of an unbounded operator have been idle for 'table.exec.state.ttl', so their state can be dropped.

import type { OperatorState, SortedState, ValueState } from '../state/state-api.js';

/**
 * Idle-state expiry, driven by the operator's clock (injectable, so tests are
 * deterministic). The operator touches a key whenever it changes its state and asks
 * for the expired keys before each batch; dropping their state is up to it. As in
 * Flink, dropping is silent: nothing already emitted is retracted, and a key that
 * comes back starts afresh.
 *
 * State: value state "ttl_access", key [key] -> last access time; sorted state
 * "ttl_idle", key [0, last access time, key] -> 1 (the oldest first; one first part
 * for all, so the times form one ordered run).
 */
export class StateTtl {
  private readonly access: ValueState<number>;
  private readonly idle: SortedState<number>;

  constructor(state: OperatorState, private readonly ttl: number, private readonly now: () => number) {
    this.access = state.value<number>('ttl_access');
    this.idle = state.sorted<number>('ttl_idle');
  }

  /** `key`'s state was used now. */
  touch(key: string): void {
    const t = this.now();
    const last = this.access.get([key]);
    if (last === t) return;
    if (last !== undefined) this.idle.delete([0, last, key]);
    this.access.put([key], t);
    this.idle.put([0, t, key], 1);
  }

  /** `key`'s state is gone for another reason: stop tracking it. */
  forget(key: string): void {
    const last = this.access.get([key]);
    if (last === undefined) return;
    this.idle.delete([0, last, key]);
    this.access.delete([key]);
  }

  /** The keys idle for at least the TTL, no longer tracked. */
  expired(): string[] {
    const cutoff = this.now() - this.ttl;
    const out: string[] = [];
    for (const [k] of [...this.idle.range(undefined, [0, cutoff, Number.POSITIVE_INFINITY])]) {
      const key = k[2] as string;
      this.idle.delete(k);
      this.access.delete([key]);
      out.push(key);
    }
    return out;
  }
}
