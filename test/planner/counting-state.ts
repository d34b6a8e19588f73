// A state backend that counts every read and write an operator makes (in memory underneath): state accesses, deterministically.

import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { MapState, OperatorState, SortedState, StateBackend, StateKey, StateStats, ValueState } from '../../executor/state/state-api.js';

export interface AccessCounts {
  reads: number;
  writes: number;
}

export class CountingStateBackend implements StateBackend {
  private readonly inner = new MemoryStateBackend();
  readonly counts = new Map<string, AccessCounts>();

  forOperator(operatorId: string): OperatorState {
    const state = this.inner.forOperator(operatorId);
    let c = this.counts.get(operatorId);
    if (c === undefined) {
      c = { reads: 0, writes: 0 };
      this.counts.set(operatorId, c);
    }
    return countingState(state, c);
  }

  dropOperator(operatorId: string): void {
    this.inner.dropOperator(operatorId);
  }

  /** Reads plus writes of one operator. */
  accesses(operatorId: string): number {
    const c = this.counts.get(operatorId);
    return c === undefined ? 0 : c.reads + c.writes;
  }
}

function countingState(s: OperatorState, c: AccessCounts): OperatorState {
  return {
    value<V>(name: string): ValueState<V> {
      const v = s.value<V>(name);
      return {
        get: (k: StateKey) => { c.reads++; return v.get(k); },
        put: (k: StateKey, x: V) => { c.writes++; v.put(k, x); },
        delete: (k: StateKey) => { c.writes++; v.delete(k); },
      };
    },
    map<V>(name: string): MapState<V> {
      const m = s.map<V>(name);
      return {
        get: (k, u) => { c.reads++; return m.get(k, u); },
        put: (k, u, x) => { c.writes++; m.put(k, u, x); },
        delete: (k, u) => { c.writes++; m.delete(k, u); },
        entries: (k) => { c.reads++; return m.entries(k); },
        size: (k) => { c.reads++; return m.size(k); },
        clear: (k) => { c.writes++; m.clear(k); },
      };
    },
    sorted<V>(name: string): SortedState<V> {
      const t = s.sorted<V>(name);
      return {
        get: (k) => { c.reads++; return t.get(k); },
        put: (k, x) => { c.writes++; t.put(k, x); },
        delete: (k) => { c.writes++; t.delete(k); },
        scan: (p, o) => { c.reads++; return t.scan(p, o); },
        range: (a, b) => { c.reads++; return t.range(a, b); },
        deletePrefix: (p) => { c.writes++; t.deletePrefix(p); },
      };
    },
    stats: (): StateStats => s.stats(),
  };
}
