// Deduplicate: per key, the row with ROW_NUMBER() = 1 ordered by a time column, ascending (keep FIRST) or descending (keep LAST).

import { compareValues, rowsEqual } from '../../common/compare.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { ValueState } from '../state/state-api.js';
import { OrderedBag } from './aggregates/ordered-bag.js';

export interface DeduplicateOptions {
  readonly keys: readonly number[];
  readonly keep: 'FIRST' | 'LAST';
  /** The time column that orders rows within a key (arrival breaks ties). */
  readonly orderIndex: number;
  /** Append ROW_NUMBER (always 1, BIGINT) after the input columns. */
  readonly outputRank: boolean;
  /**
   * The input may retract (the planner's changelog mode knows). Then every
   * candidate row is kept, so that when the kept row is retracted the next
   * one takes its place. Otherwise only the kept row is.
   */
  readonly retractingInput?: boolean;
}

/**
 * Keeps one row per key: FIRST, the row with the smallest order value (the
 * first to arrive among equals); LAST, the greatest (the last to arrive among
 * equals).
 *
 * Changelog: +I when a key gets its row; -U old / +U new when another row
 * takes its place; -D when the key has no row left (retracting input only).
 * Keep FIRST over a processing-time order (or in-order event time) is
 * append-only: a later row never has a smaller order value. A row equal to the
 * kept one replacing it emits nothing.
 *
 * State: value state "kept", key [key string] -> the kept row. With
 * retracting input also an OrderedBag of every candidate per key ("bag",
 * "bag_index") and the arrival counter "sequence".
 *
 * Without `retractingInput`, a retraction of exactly the kept row deletes the
 * key (right for an input keyed like the deduplication, e.g. an upsert table);
 * any other retraction is ignored, as the rows it could reveal were not kept.
 */
export class Deduplicate implements StreamOperator {
  readonly name = 'Deduplicate';
  private output!: Output;
  private kept!: ValueState<Row>;
  private bag: OrderedBag | undefined;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private sequenceDirty = false;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  private readonly keepLast: boolean;
  private readonly touched = new Map<string, Row | undefined>();

  constructor(private readonly options: DeduplicateOptions) {
    this.keepLast = options.keep === 'LAST';
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    this.kept = context.state.value<Row>('kept');
    if (this.options.retractingInput === true) {
      this.sequenceState = context.state.value<number>('sequence');
      this.sequence = this.sequenceState.get([]) ?? 0;
      const next = (): number => {
        this.sequenceDirty = true;
        return this.sequence++;
      };
      const order = [{ index: this.options.orderIndex, descending: false, nullsFirst: false }];
      this.bag = new OrderedBag(context.state, 0, order, next);
    }
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const out = new ChangeBatch();
    if (this.bag) this.processRetracting(batch, this.bag, out);
    else this.processAppending(batch, out);
    if (out.length > 0) this.output.emit(out);
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Only the kept row per key: each change is decided against it at once. */
  private processAppending(batch: ChangeBatch, out: ChangeBatch): void {
    const keys = this.options.keys;
    const o = this.options.orderIndex;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const kind = batch.kinds[i] as ChangeKind;
      const key = [projectedKey(row, keys)];
      const current = this.kept.get(key);
      if (kind === UPDATE_BEFORE || kind === DELETE) {
        if (current !== undefined && rowsEqual(current, row)) {
          this.kept.delete(key);
          out.push(DELETE, this.withRank(current));
        }
        continue;
      }
      if (current === undefined) {
        this.kept.put(key, row);
        out.push(INSERT, this.withRank(row));
        continue;
      }
      const c = compareValues(row[o] as Value, current[o] as Value);
      if (this.keepLast ? c < 0 : c >= 0) continue;
      this.kept.put(key, row);
      if (rowsEqual(current, row)) continue;
      out.push(UPDATE_BEFORE, this.withRank(current));
      out.push(UPDATE_AFTER, this.withRank(row));
    }
  }

  /** Every candidate per key in a bag; per batch, each touched key's kept row is re-read from it. */
  private processRetracting(batch: ChangeBatch, bag: OrderedBag, out: ChangeBatch): void {
    const keys = this.options.keys;
    const touched = this.touched;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const kind = batch.kinds[i] as ChangeKind;
      const key = projectedKey(row, keys);
      if (!touched.has(key)) touched.set(key, this.kept.get([key]));
      // Of identical copies, the one removed is the one that leaves the kept row in place.
      if (kind === UPDATE_BEFORE || kind === DELETE) bag.remove(key, row, row, this.keepLast ? 'earliest' : 'latest');
      else bag.add(key, row, row);
    }
    for (const [key, before] of touched) {
      const after = (this.keepLast ? bag.last(key) : bag.first(key)) as Row | undefined;
      if (after === undefined) {
        if (before !== undefined) {
          this.kept.delete([key]);
          out.push(DELETE, this.withRank(before));
        }
        continue;
      }
      if (before === undefined) out.push(INSERT, this.withRank(after));
      else if (!rowsEqual(before, after)) {
        out.push(UPDATE_BEFORE, this.withRank(before));
        out.push(UPDATE_AFTER, this.withRank(after));
      } else continue;
      this.kept.put([key], after);
    }
    touched.clear();
    if (this.sequenceDirty) {
      this.sequenceState.put([], this.sequence);
      this.sequenceDirty = false;
    }
  }

  private withRank(row: Row): Row {
    if (!this.options.outputRank) return row;
    const out = new Array<Value>(row.length + 1);
    for (let i = 0; i < row.length; i++) out[i] = row[i] as Value;
    out[row.length] = 1;
    return out;
  }
}
