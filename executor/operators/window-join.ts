// WindowJoin: per window, L ⋈ R of the rows both sides had in it, computed once the window closes on both inputs.

import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { JoinType } from '../../planner/logical/join.js';
import { ChangeBatch, INSERT } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';

export interface WindowJoinOptions {
  readonly joinType: JoinType;
  /** Equi-join columns (window_start and window_end included), pairwise. */
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  /** The rest of the ON condition over the concatenated row. */
  readonly residual?: (row: Row) => boolean;
  readonly leftEnd: number;
  readonly rightEnd: number;
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
}

/**
 * Window join. Each side's rows are kept by window until the combined watermark (the
 * smaller of the two; processing time: the clock) reaches the window's end; then the
 * window's rows are joined, emitted (+I; outer joins pad the rows without a partner,
 * SEMI / ANTI emit left rows with / without one) and dropped. A row for a window that
 * has already closed is late.
 *
 * State: sorted states "left" and "right", key [window end, seq] -> row; "progress".
 */
export class WindowJoin implements StreamOperator {
  readonly name = 'WindowJoin';
  private output!: Output;
  private context!: OperatorContext;
  private left!: SortedState<Row>;
  private right!: SortedState<Row>;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly nullLeft: Row;
  private readonly nullRight: Row;

  constructor(private readonly options: WindowJoinOptions) {
    this.nullLeft = new Array<Value>(options.leftWidth).fill(null);
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    this.left = context.state.sorted<Row>('left');
    this.right = context.state.sorted<Row>('right');
    this.progressState = context.state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = context.state.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const endIndex = input === 0 ? this.options.leftEnd : this.options.rightEnd;
    const side = input === 0 ? this.left : this.right;
    for (const row of batch.rows) {
      const end = row[endIndex];
      if (typeof end !== 'number' || end <= this.progress) {
        this.context.lateRow?.(input, row, typeof end === 'number' ? end - 1000 : null, this.progress);
        continue;
      }
      side.put([end, this.sequence++], row);
    }
    this.sequenceState.put([], this.sequence);
    if (proctime) this.advance(this.context.now());
    else {
      const w = this.watermarks.active(input);
      if (w !== undefined) this.closeUpTo(w);
    }
  }

  processWatermark(input: number, watermark: number): void {
    if (this.options.timeAttribute === 'PROCTIME') {
      this.advance(this.context.now());
      const w = this.watermarks.update(input, watermark);
      if (w !== undefined) this.output.emitWatermark(w);
      return;
    }
    const w = this.watermarks.update(input, watermark);
    if (w !== undefined) this.closeUpTo(w);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  private closeUpTo(watermark: number): void {
    this.advance(watermark);
    this.output.emitWatermark(watermark);
  }

  private advance(time: number): void {
    if (time <= this.progress) return;
    const bound = [Math.floor(time) + 1];
    const lefts = this.takeWindows(this.left, bound);
    const rights = this.takeWindows(this.right, bound);
    const out = new ChangeBatch();
    const ends = [...new Set([...lefts.keys(), ...rights.keys()])].sort((a, b) => a - b);
    for (const end of ends) this.joinWindow(lefts.get(end) ?? [], rights.get(end) ?? [], out);
    this.progress = time;
    this.progressState.put([], time);
    if (out.length > 0) this.output.emit(out);
  }

  /** Removes and returns the rows of every window ending before `bound`, by window end. */
  private takeWindows(side: SortedState<Row>, bound: StateKey): Map<number, Row[]> {
    const out = new Map<number, Row[]>();
    const entries = [...side.range(undefined, bound)];
    for (const [key, row] of entries) {
      const end = key[0] as number;
      let rows = out.get(end);
      if (rows === undefined) {
        rows = [];
        out.set(end, rows);
      }
      rows.push(row);
      side.delete(key);
    }
    return out;
  }

  private joinWindow(lefts: readonly Row[], rights: readonly Row[], out: ChangeBatch): void {
    const { joinType, leftKeys, rightKeys, residual } = this.options;
    const byKey = new Map<string, { row: Row; matched: boolean }[]>();
    const unkeyedRights: { row: Row; matched: boolean }[] = [];
    for (const row of rights) {
      const entry = { row, matched: false };
      if (rightKeys.some((k) => row[k] === null)) {
        unkeyedRights.push(entry);
        continue;
      }
      const k = projectedKey(row, rightKeys);
      let list = byKey.get(k);
      if (list === undefined) {
        list = [];
        byKey.set(k, list);
      }
      list.push(entry);
    }
    for (const l of lefts) {
      let matched = false;
      // A NULL equi-key matches nothing (SQL equality).
      const candidates = leftKeys.some((k) => l[k] === null) ? undefined : byKey.get(projectedKey(l, leftKeys));
      for (const r of candidates ?? []) {
        const joined = concat(l, r.row);
        if (residual !== undefined && residual(joined) !== true) continue;
        matched = true;
        r.matched = true;
        if (joinType === 'SEMI' || joinType === 'ANTI') break;
        out.push(INSERT, joined);
      }
      if (joinType === 'SEMI' && matched) out.push(INSERT, l);
      else if (joinType === 'ANTI' && !matched) out.push(INSERT, l);
      else if ((joinType === 'LEFT' || joinType === 'FULL') && !matched) out.push(INSERT, concat(l, this.nullRight));
    }
    if (joinType === 'RIGHT' || joinType === 'FULL') {
      for (const list of [...byKey.values(), unkeyedRights]) {
        for (const r of list) if (!r.matched) out.push(INSERT, concat(this.nullLeft, r.row));
      }
    }
  }
}

function concat(a: Row, b: Row): Row {
  return [...a, ...b];
}
