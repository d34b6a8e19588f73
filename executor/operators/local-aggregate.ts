// LocalGroupAggregate: the first phase of a two-phase aggregation, γ_local: each bundle of input rows folded per group
// in memory into a partial (row-count delta and accumulator slots), passed on as one row per group touched.
//
// It keeps no state: a bundle lives in memory until it is passed on, which happens when it holds
// 'table.exec.mini-batch.size' rows (bundleRows; 0: at the end of every input batch), when the first
// row waited 'table.exec.mini-batch.allow-latency' (checked as rows arrive), on a watermark, on a
// checkpoint barrier, and when a read asks for everything (passOnHeld). The GlobalGroupAggregate after it
// (a GroupAggregate taking partials) merges each partial into its group with the accumulators'
// `merge`, so a hot key costs the global phase one state read and write per bundle, not per row.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_BEFORE } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import { ACC_OFFSET, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';

export interface LocalAggregateOptions {
  readonly groupKeys: readonly number[];
  /** Calls whose accumulators can merge (planner/rules/agg-phase-rule.ts checks). */
  readonly aggs: readonly AggCall[];
  /** The input never retracts (MIN/MAX then keep only their extreme). */
  readonly appendOnlyInput: boolean;
  /** Rows a bundle holds before it is passed on; 0: one bundle per input batch. */
  readonly bundleRows: number;
  /** Microseconds the oldest row of a bundle may wait (0: no limit but the size). */
  readonly allowLatency: number;
}

/**
 * Output rows: the group key values, the group's row-count delta, then one accumulator
 * slot per call (plain data, as the accumulators keep it). Always +I: a partial is a
 * difference to add, never a row to take back.
 *
 * @example
 *   // SELECT auction, COUNT(*) FROM bids GROUP BY auction, bundles of 1000 rows
 *   new LocalGroupAggregate({ groupKeys: [0], aggs: [countStar], appendOnlyInput: true, bundleRows: 1000, allowLatency: 0 })
 */
export class LocalGroupAggregate implements StreamOperator {
  readonly name = 'LocalGroupAggregate';
  private output!: Output;
  private now!: () => number;
  private accs: Accumulator[] = [];
  private readonly bundle = new Map<string, GroupRecord>();
  private bundled = 0;
  private firstAt = 0;
  private readonly filters: (number | undefined)[];

  constructor(private readonly options: LocalAggregateOptions) {
    this.filters = options.aggs.map((c) => c.filter);
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    this.now = context.now;
    let sequence = 0;
    const grouping = { groupKeys: this.options.groupKeys, groupingSets: undefined };
    const shared = new Map<string, object>();
    this.accs = this.options.aggs.map((call, index) => createAccumulator(call, {
      state: context.state, index, appendOnly: this.options.appendOnlyInput, nextSequence: () => sequence++, shared,
    }, grouping));
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    const keys = this.options.groupKeys;
    const accs = this.accs;
    const rows = batch.rows;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      const kind = batch.kinds[i];
      const weight: 1 | -1 = kind === UPDATE_BEFORE || kind === DELETE ? -1 : 1;
      const key = projectedKey(row, keys);
      let record = this.bundle.get(key);
      if (record === undefined) {
        const keyValues = keys.map((k) => row[k] as Value);
        record = [0, keyValues, 0];
        for (const acc of accs) record.push(acc.create());
        this.bundle.set(key, record);
      }
      record[ROW_COUNT] = (record[ROW_COUNT] as number) + weight;
      for (let a = 0; a < accs.length; a++) {
        const filter = this.filters[a];
        if (filter !== undefined && row[filter] !== true) continue;
        (accs[a] as Accumulator).update(record, ACC_OFFSET + a, row, weight, key);
      }
    }
    if (this.bundled === 0 && rows.length > 0) this.firstAt = this.now();
    this.bundled += rows.length;
    const { bundleRows, allowLatency } = this.options;
    if (bundleRows <= 0 || this.bundled >= bundleRows || (allowLatency > 0 && this.now() - this.firstAt >= allowLatency)) this.passOnHeld();
  }

  processWatermark(_input: number, watermark: number): void {
    // Rows before the watermark go out before it.
    this.passOnHeld();
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {
    this.passOnHeld();
  }

  /** Passes the bundle on: one partial per group touched. */
  passOnHeld(): void {
    if (this.bundle.size === 0) return;
    const out = new ChangeBatch();
    for (const record of this.bundle.values()) {
      const partial: Value[] = [...(record[1] as Value[]), record[ROW_COUNT] as number];
      for (let a = 0; a < this.accs.length; a++) partial.push(record[ACC_OFFSET + a] as Value);
      out.push(INSERT, partial);
    }
    this.bundle.clear();
    this.bundled = 0;
    this.output.emit(out);
  }

  close(): void {}
}
