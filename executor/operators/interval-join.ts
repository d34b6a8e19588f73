// IntervalJoin: L ⋈ R on keys where right.time - left.time ∈ [lower, upper]; rows wait for partners only as long as the bounds allow.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { JoinType } from '../../planner/logical/join.js';
import { ChangeBatch, INSERT } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';

export interface IntervalJoinOptions {
  readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  /** Equi-join columns, pairwise; both empty when the rows only meet in time. */
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  /** The ON condition apart from the equi keys (the time bounds included), over the concatenated row. */
  readonly residual?: (row: Row) => boolean;
  readonly leftTime: number;
  readonly rightTime: number;
  /** Microseconds: a left row at t meets right rows at t + lower .. t + upper. */
  readonly lower: number;
  readonly upper: number;
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
}

/** A stored row and whether it has met a partner (outer joins pad those that never do). */
type Entry = [Row, boolean];

/**
 * Interval join. Each arriving row is joined at once with the other side's stored
 * rows of the same key whose time is within the bounds (+I per match), then stored.
 * Future rows are not behind the watermark W (those are late and dropped), so a
 * left row at t can only meet more partners while t + upper >= W, and a right row
 * at t while t - lower >= W: past that the watermark frees them; an outer join then
 * emits the row padded with NULLs if it never met a partner. The output is
 * append-only. With processing time the clock plays the watermark.
 *
 * State per side: sorted state "left"/"right", key [join key, time, seq] -> Entry,
 * and "leftTimes"/"rightTimes", key [0, time, join key, seq] -> 1 (what to free first;
 * one first part for all, so the times form one ordered run).
 */
export class IntervalJoin implements StreamOperator {
  readonly name = 'IntervalJoin';
  private output!: Output;
  private context!: OperatorContext;
  private left!: SortedState<Entry>;
  private right!: SortedState<Entry>;
  private leftTimes!: SortedState<number>;
  private rightTimes!: SortedState<number>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly nullLeft: Row;
  private readonly nullRight: Row;

  constructor(private readonly options: IntervalJoinOptions) {
    this.nullLeft = new Array<Value>(options.leftWidth).fill(null);
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const s = context.state;
    this.left = s.sorted<Entry>('left');
    this.right = s.sorted<Entry>('right');
    this.leftTimes = s.sorted<number>('leftTimes');
    this.rightTimes = s.sorted<number>('rightTimes');
    this.progressState = s.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = s.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.expire(this.context.now());
    const out = new ChangeBatch();
    for (const row of batch.rows) this.arrive(input === 0, row, out);
    this.sequenceState.put([], this.sequence);
    if (out.length > 0) this.output.emit(out);
    if (proctime) this.expire(this.context.now());
    else {
      const w = this.watermarks.active(input);
      if (w !== undefined) this.closeUpTo(w);
    }
  }

  processWatermark(input: number, watermark: number): void {
    const w = this.watermarks.update(input, watermark);
    if (this.options.timeAttribute === 'PROCTIME') {
      this.expire(this.context.now());
      if (w !== undefined) this.output.emitWatermark(w);
      return;
    }
    if (w !== undefined) this.closeUpTo(w);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  private closeUpTo(watermark: number): void {
    this.expire(watermark);
    this.output.emitWatermark(watermark);
  }

  private arrive(isLeft: boolean, row: Row, out: ChangeBatch): void {
    const o = this.options;
    const t = row[isLeft ? o.leftTime : o.rightTime];
    if (typeof t !== 'number' || t < this.progress) {
      this.context.lateRow?.(isLeft ? 0 : 1, row, typeof t === 'number' ? t : null, this.progress);
      return;
    }
    const keys = isLeft ? o.leftKeys : o.rightKeys;
    const nullKey = keys.some((k) => row[k] === null);
    let matched = false;
    if (!nullKey) {
      const key = keys.length === 0 ? '' : projectedKey(row, keys);
      // The other side's rows of this key within the bounds: right.time in [t + lower, t + upper] for a left row.
      const other = isLeft ? this.right : this.left;
      const from = isLeft ? t + o.lower : t - o.upper;
      const to = isLeft ? t + o.upper : t - o.lower;
      const hits: [StateKey, Entry][] = [...other.range([key, from], [key, to, Number.POSITIVE_INFINITY])];
      for (const [k, entry] of hits) {
        const joined = isLeft ? [...row, ...entry[0]] : [...entry[0], ...row];
        if (o.residual !== undefined && o.residual(joined) !== true) continue;
        matched = true;
        out.push(INSERT, joined);
        if (!entry[1]) other.put(k, [entry[0], true]);
      }
      const seq = this.sequence++;
      (isLeft ? this.left : this.right).put([key, t, seq], [row, matched]);
      (isLeft ? this.leftTimes : this.rightTimes).put([0, t, key, seq], 1);
      return;
    }
    // A NULL key meets nothing: an outer row is padded at once, others dropped.
    if (isLeft && (o.joinType === 'LEFT' || o.joinType === 'FULL')) out.push(INSERT, [...row, ...this.nullRight]);
    if (!isLeft && (o.joinType === 'RIGHT' || o.joinType === 'FULL')) out.push(INSERT, [...this.nullLeft, ...row]);
  }

  /** Frees the rows no future row can meet, padding unmatched outer rows. */
  private expire(time: number): void {
    if (time <= this.progress) return;
    const o = this.options;
    const out = new ChangeBatch();
    // Left rows with t + upper < time; right rows with t - lower < time.
    this.free(this.left, this.leftTimes, time - o.upper, o.joinType === 'LEFT' || o.joinType === 'FULL', (r) => [...r, ...this.nullRight], out);
    this.free(this.right, this.rightTimes, time + o.lower, o.joinType === 'RIGHT' || o.joinType === 'FULL', (r) => [...this.nullLeft, ...r], out);
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  private free(rows: SortedState<Entry>, times: SortedState<number>, before: number, pad: boolean, padded: (r: Row) => Row, out: ChangeBatch): void {
    const gone: StateKey[] = [...times.range(undefined, [0, before])].map(([k]) => k);
    for (const k of gone) {
      times.delete(k);
      const key: StateKey = [k[2] as string, k[1] as number, k[3] as number];
      const entry = rows.get(key);
      if (entry === undefined) continue;
      rows.delete(key);
      if (pad && !entry[1]) out.push(INSERT, padded(entry[0]));
    }
  }
}
