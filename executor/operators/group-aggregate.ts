// GroupAggregate: γ_{keys; aggs} with retraction: per group a row count and one accumulator per call, emitting +I / -U,+U / -D per batch.

import { compareValues } from '../../common/compare.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { MapState, ValueState } from '../state/state-api.js';
import { ACC_OFFSET, GROUPING_SET, KEY_VALUES, ROW_COUNT, type Accumulator, type GroupRecord } from './aggregates/accumulator.js';
import { createAccumulator } from './aggregates/registry.js';
import { StateTtl } from './state-ttl.js';

export interface GroupAggregateOptions {
  /** Input columns of the group key; the output starts with them, in this order. */
  readonly groupKeys: readonly number[];
  /** GROUPING SETS / ROLLUP / CUBE: per set, positions into `groupKeys`; absent keys are NULL in that set's rows. */
  readonly groupingSets?: readonly (readonly number[])[];
  /** One output column per call, after the keys. */
  readonly aggs: readonly AggCall[];
  /**
   * The input never retracts (the planner's changelog mode knows). MIN/MAX,
   * FIRST_VALUE/LAST_VALUE and LISTAGG then keep no per-value state. A
   * retraction arriving anyway is an internal error.
   */
  readonly appendOnlyInput?: boolean;
  /** 'table.exec.state.ttl' in microseconds: a group untouched for this long is dropped (0 or absent: kept). */
  readonly stateTtl?: number;
  /**
   * The global phase of a two-phase aggregation: input rows are a LocalGroupAggregate's
   * partials (the key values at `groupKeys`, then the row-count delta, then one slot per
   * call), merged into their groups with the accumulators' `merge`.
   */
  readonly partialInput?: boolean;
}

/** One group touched by the current batch. */
interface Touched {
  readonly key: string;
  readonly record: GroupRecord;
  /** The group's output row before the batch; null when it had none. */
  readonly before: Row | null;
}

/**
 * GROUP BY with retraction, also DISTINCT (no calls) and global aggregation.
 *
 * Per batch, each touched group emits at most one change: `+I` when it
 * appears, `-U`/`+U` when its output row changes (nothing when it does not),
 * `-D` when its last row is retracted; whether a group exists is decided by
 * its row count, never by the aggregates. A grouping set without keys (a
 * global aggregate, or the grand total of ROLLUP) always has its row, as SQL
 * says: it is emitted on open, with COUNT = 0 and other aggregates NULL, and
 * is updated, never deleted.
 *
 * State: value state "groups", key [group key string] -> GroupRecord; map
 * state "distinct" for DISTINCT calls, one map per group and argument list
 * ([group, argument list] / argument values -> copies per call over that
 * list, FILTERs apart), so a row reads and writes one entry per argument list
 * however many calls share it; the accumulators' own (see aggregates/).
 *
 * @example
 *   // SELECT k, COUNT(*), SUM(v) FROM t GROUP BY k   over rows (k, v)
 *   new GroupAggregate({ groupKeys: [0], aggs: [countStar, sumV] })
 */
export class GroupAggregate implements StreamOperator {
  /** 'GlobalGroupAggregate' when it merges a local phase's partials (EXPLAIN names it so too). */
  readonly name: string;
  private output!: Output;
  private groups!: ValueState<GroupRecord>;
  private distinct!: MapState<number[]>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private sequenceDirty = false;
  private accs: Accumulator[] = [];
  private lastWatermark = Number.NEGATIVE_INFINITY;

  private readonly groupKeys: readonly number[];
  private readonly calls: readonly AggCall[];
  /** Per grouping set: the input columns it groups by. */
  private readonly setColumns: number[][];
  /** Per grouping set: the positions (into groupKeys) it keeps. */
  private readonly setPositions: (readonly number[])[];
  /** Per grouping set: whether its group exists without rows (no keys). */
  private readonly setAlwaysPresent: boolean[];
  private readonly multipleSets: boolean;
  private readonly filters: (number | undefined)[];
  /** Per call: the columns DISTINCT compares, or undefined for a plain call. */
  private readonly distinctArgs: (readonly number[] | undefined)[];
  /** The DISTINCT calls' argument lists, each once, with the calls over it (in call order). */
  private readonly distinctSets: DistinctSet[] = [];
  /** Per call, for the current row and grouping set: whether a DISTINCT call sees it. */
  private readonly distinctSees: boolean[];
  private readonly appendOnly: boolean;
  private readonly touched = new Map<string, Touched>();
  private readonly stateTtl: number;
  private readonly partialInput: boolean;
  private idle: StateTtl | undefined;

  constructor(options: GroupAggregateOptions) {
    this.groupKeys = options.groupKeys;
    this.calls = options.aggs;
    this.appendOnly = options.appendOnlyInput === true;
    this.stateTtl = options.stateTtl ?? 0;
    this.partialInput = options.partialInput === true;
    this.name = this.partialInput ? 'GlobalGroupAggregate' : 'GroupAggregate';
    if (this.partialInput && (options.groupingSets !== undefined || this.calls.some((c) => c.distinct))) {
      throw new Error('partials cannot feed grouping sets or DISTINCT calls');
    }
    const allPositions = this.groupKeys.map((_, i) => i);
    this.setPositions = options.groupingSets ? options.groupingSets.map((s) => [...s]) : [allPositions];
    this.setColumns = this.setPositions.map((s) => s.map((p) => this.groupKeys[p] as number));
    this.setAlwaysPresent = this.setPositions.map((s) => s.length === 0);
    this.multipleSets = options.groupingSets !== undefined;
    this.filters = this.calls.map((c) => c.filter);
    this.distinctArgs = this.calls.map((c) => {
      if (!c.distinct) return undefined;
      // LISTAGG(DISTINCT x, sep) is distinct over x only.
      return c.fn === 'listagg' || c.fn === 'string_agg' ? c.args.slice(0, 1) : c.args;
    });
    const byArgs = new Map<string, DistinctSet>();
    this.distinctArgs.forEach((args, call) => {
      if (args === undefined) return;
      const id = args.join(',');
      let set = byArgs.get(id);
      if (set === undefined) {
        set = { args, calls: [], filters: [] };
        byArgs.set(id, set);
        this.distinctSets.push(set);
      }
      set.calls.push(call);
      set.filters.push(this.filters[call]);
    });
    this.distinctSees = this.calls.map(() => false);
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    const state = context.state;
    this.groups = state.value<GroupRecord>('groups');
    this.distinct = state.map<number[]>('distinct');
    this.sequenceState = state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    const nextSequence = (): number => {
      this.sequenceDirty = true;
      return this.sequence++;
    };
    const grouping = { groupKeys: this.groupKeys, groupingSets: this.multipleSets ? this.setPositions : undefined };
    const shared = new Map<string, object>();
    this.accs = this.calls.map((call, index) => createAccumulator(call, { state, index, appendOnly: this.appendOnly, nextSequence, shared }, grouping));
    if (this.stateTtl > 0) this.idle = new StateTtl(state, this.stateTtl, context.now);
    // Groups that exist without rows: emitted once, when their state is first created.
    const out = new ChangeBatch();
    for (let s = 0; s < this.setPositions.length; s++) {
      if (!this.setAlwaysPresent[s]) continue;
      const key = this.groupKeyOf(null, s);
      if (this.groups.get([key]) !== undefined) continue;
      const record = this.newRecord(null, s);
      this.groups.put([key], record);
      out.push(INSERT, this.outputRow(record, key));
    }
    if (out.length > 0) this.output.emit(out);
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (this.idle !== undefined) this.dropIdle(this.idle);
    if (this.partialInput) {
      this.mergePartials(batch);
      this.flush();
      return;
    }
    const kinds = batch.kinds;
    const rows = batch.rows;
    const n = rows.length;
    const nSets = this.setPositions.length;
    const accs = this.accs;
    const nAccs = accs.length;
    const filters = this.filters;
    const distinctArgs = this.distinctArgs;
    const nDistinctSets = this.distinctSets.length;
    const sees = this.distinctSees;
    const touched = this.touched;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as Row;
      const kind = kinds[i];
      const weight: 1 | -1 = kind === UPDATE_BEFORE || kind === DELETE ? -1 : 1;
      for (let s = 0; s < nSets; s++) {
        const key = this.groupKeyOf(row, s);
        let t = touched.get(key);
        if (t === undefined) {
          const stored = this.groups.get([key]);
          t = stored === undefined
            ? { key, record: this.newRecord(row, s), before: null }
            : { key, record: stored, before: this.outputRow(stored, key) };
          touched.set(key, t);
        }
        const record = t.record;
        const count = record[ROW_COUNT] as number;
        // A retraction of a row the group does not have (inconsistent input) is ignored.
        if (weight < 0 && count <= 0) continue;
        record[ROW_COUNT] = count + weight;
        for (let d = 0; d < nDistinctSets; d++) this.distinctChanges(key, d, row, weight);
        for (let a = 0; a < nAccs; a++) {
          const filter = filters[a];
          if (filter !== undefined && row[filter] !== true) continue;
          if (distinctArgs[a] !== undefined && !sees[a]) continue;
          (accs[a] as Accumulator).update(record, ACC_OFFSET + a, row, weight, key);
        }
      }
    }
    this.flush();
  }

  /** Folds each partial into its group: the row count by its delta, each slot by its accumulator's merge. */
  private mergePartials(batch: ChangeBatch): void {
    const nk = this.groupKeys.length;
    const accs = this.accs;
    const from: GroupRecord = [0, null, 0];
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const key = this.groupKeyOf(row, 0);
      let t = this.touched.get(key);
      if (t === undefined) {
        const stored = this.groups.get([key]);
        t = stored === undefined ? { key, record: this.newRecord(row, 0), before: null } : { key, record: stored, before: this.outputRow(stored, key) };
        this.touched.set(key, t);
      }
      const record = t.record;
      record[ROW_COUNT] = (record[ROW_COUNT] as number) + (row[nk] as number);
      from.length = ACC_OFFSET;
      for (let a = 0; a < accs.length; a++) from.push(row[nk + 1 + a]);
      for (let a = 0; a < accs.length; a++) {
        const acc = accs[a] as Accumulator;
        if (acc.merge === undefined) throw new Error(`${this.calls[a]?.fn ?? 'an aggregate'} cannot merge partials`);
        acc.merge(record, from, ACC_OFFSET + a);
      }
    }
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Emits one change per touched group and writes the groups back. */
  private flush(): void {
    const out = new ChangeBatch();
    for (const t of this.touched.values()) {
      const record = t.record;
      const set = record[GROUPING_SET] as number;
      const alive = (record[ROW_COUNT] as number) > 0 || (this.setAlwaysPresent[set] as boolean);
      const stateKey = [t.key];
      if (!alive) {
        if (t.before !== null) {
          out.push(DELETE, t.before);
          this.groups.delete(stateKey);
        }
        this.idle?.forget(t.key);
        continue;
      }
      this.idle?.touch(t.key);
      const after = this.outputRow(record, t.key);
      if (t.before === null) out.push(INSERT, after);
      else if (!sameRow(t.before, after)) {
        out.push(UPDATE_BEFORE, t.before);
        out.push(UPDATE_AFTER, after);
      }
      this.groups.put(stateKey, record);
    }
    this.touched.clear();
    if (this.sequenceDirty) {
      this.sequenceState.put([], this.sequence);
      this.sequenceDirty = false;
    }
    if (out.length > 0) this.output.emit(out);
  }

  /**
   * 'table.exec.state.ttl': groups nobody touched for the TTL are dropped with what
   * their calls keep; their last row stays emitted (nothing is retracted), and a row
   * for such a group later starts it afresh. Groups that exist without rows stay.
   */
  private dropIdle(idle: StateTtl): void {
    for (const key of idle.expired()) {
      const record = this.groups.get([key]);
      if (record === undefined || (this.setAlwaysPresent[record[GROUPING_SET] as number] as boolean)) continue;
      this.groups.delete([key]);
      for (let a = 0; a < this.accs.length; a++) (this.accs[a] as Accumulator).release?.(key);
      for (let d = 0; d < this.distinctSets.length; d++) this.distinct.clear([key, d]);
    }
  }

  /**
   * Tracks the DISTINCT copies of argument list `d` for each of its calls the
   * row reaches (its FILTER holds), in one map entry per group and argument
   * values; sets `distinctSees[call]` true when the value's first copy for that
   * call arrived or its last left (only then does the call see the row).
   */
  private distinctChanges(group: string, d: number, row: Row, weight: 1 | -1): void {
    const set = this.distinctSets[d] as DistinctSet;
    const calls = set.calls;
    const filters = set.filters;
    const sees = this.distinctSees;
    const nCalls = calls.length;
    let reached = false;
    for (let c = 0; c < nCalls; c++) {
      const filter = filters[c];
      const reaches = filter === undefined || row[filter] === true;
      sees[calls[c] as number] = false;
      if (reaches) reached = true;
    }
    if (!reached) return;
    const args = set.args;
    const values = new Array<Value>(args.length);
    for (let j = 0; j < args.length; j++) {
      const v = row[args[j] as number] as Value;
      // Rows with a NULL argument contribute nothing to any DISTINCT aggregate.
      if (v === null) return;
      values[j] = v;
    }
    const key = [group, d];
    const stored = this.distinct.get(key, values);
    if (stored === undefined && weight < 0) return;
    // Changed in place and put again (the state API allows it).
    const copies = stored ?? new Array<number>(nCalls).fill(0);
    let changed = false;
    let live = false;
    for (let c = 0; c < nCalls; c++) {
      const filter = filters[c];
      const n = copies[c] as number;
      if (filter === undefined || row[filter] === true) {
        if (weight > 0) {
          copies[c] = n + 1;
          if (n === 0) sees[calls[c] as number] = true;
          changed = true;
        } else if (n > 0) {
          copies[c] = n - 1;
          if (n === 1) sees[calls[c] as number] = true;
          changed = true;
        }
      }
      if ((copies[c] as number) > 0) live = true;
    }
    if (!changed) return;
    if (live) this.distinct.put(key, values, copies);
    else this.distinct.delete(key, values);
  }

  /** The group key string of `row` in grouping set `set` (row null: the set's keyless group). */
  private groupKeyOf(row: Row | null, set: number): string {
    const cols = this.setColumns[set] as number[];
    const k = row === null || cols.length === 0 ? '' : projectedKey(row, cols);
    // The set index keeps a NULL that is absent apart from a NULL in the data.
    return this.multipleSets ? `${set}:${k}` : k;
  }

  private newRecord(row: Row | null, set: number): GroupRecord {
    const keys = this.groupKeys;
    const positions = this.setPositions[set] as readonly number[];
    const keyValues = new Array<Value>(keys.length).fill(null);
    if (row !== null) for (const p of positions) keyValues[p] = row[keys[p] as number] as Value;
    const record: GroupRecord = [0, keyValues, set];
    for (const acc of this.accs) record.push(acc.create());
    return record;
  }

  private outputRow(record: GroupRecord, key: string): Row {
    const keyValues = record[KEY_VALUES] as Value[];
    const nk = keyValues.length;
    const accs = this.accs;
    const out = new Array<Value>(nk + accs.length);
    for (let i = 0; i < nk; i++) out[i] = keyValues[i] as Value;
    for (let a = 0; a < accs.length; a++) out[nk + a] = (accs[a] as Accumulator).result(record, ACC_OFFSET + a, key);
    return out;
  }
}

/** DISTINCT calls over the same argument columns: their copies share one map entry per value. */
interface DistinctSet {
  readonly args: readonly number[];
  /** The calls, in call order. */
  readonly calls: number[];
  /** Per call (parallel to `calls`): its FILTER column, or undefined. */
  readonly filters: (number | undefined)[];
}

/** Equal output rows (NaN equal to NaN, so a NaN result does not churn -U/+U every batch). */
function sameRow(a: Row, b: Row): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Value;
    const y = b[i] as Value;
    if (x === y) continue;
    if (x === null || y === null) return false;
    if (typeof x !== typeof y || compareValues(x, y) !== 0) return false;
    // Same value, maybe different representations (1.50 vs 1.5): the output text differs.
    if (typeof x === 'object' && String(x) !== String(y)) return false;
  }
  return true;
}
