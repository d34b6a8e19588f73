// A relation whose changes can be followed: SQL-fed tables and materialized views.

import type { Row } from '../common/value.js';
import type { Output } from './operator.js';

export interface ChangeSource {
  /** The current contents (a multiset: a row may appear more than once). */
  contents(): Iterable<Row>;
  /** Every later change is pushed to `listener`, synchronously, in order. Returns the unsubscribe function. */
  follow(listener: Output): () => void;
  /**
   * The current watermark (event time in microseconds), for a source that has one:
   * a job starting to follow the source sees it right after the current contents.
   */
  watermark?(): number | undefined;
  /**
   * A connector source (connectors/connector-table.ts): it holds no rows. `contents()` is a
   * one-shot read of its own; a job does not backfill from it, because `follow` opens the
   * job's own reader at the beginning and pulls from it on a schedule.
   */
  readonly pulled?: boolean;
}

/** Fans changes out to followers; removal during delivery is safe. */
export class Followers {
  private listeners: Output[] = [];

  add(listener: Output): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get size(): number {
    return this.listeners.length;
  }

  emit: Output['emit'] = (batch) => {
    if (batch.length === 0) return;
    for (const l of this.listeners) l.emit(batch);
  };

  emitWatermark: Output['emitWatermark'] = (watermark) => {
    for (const l of this.listeners) l.emitWatermark(watermark);
  };
}
