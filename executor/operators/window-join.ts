// WindowJoin: per window, L ⋈ R of the rows both sides had in it, computed once the window closes on both inputs.

import { projectedKey, valueKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { JoinType } from '../../planner/logical/join.js';
import type { ChangeBatch } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { SortedState, ValueState } from '../state/state-api.js';
import { InsertBatches } from './insert-batches.js';

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

/** One side's rows of an open window, and the chunks of state that snapshots wrote of them. */
class OpenWindow {
  readonly rows: Row[] = [];
  /** How many of `rows` (the first ones) chunks in state hold. */
  written = 0;
  /** Sequence numbers of its chunks, oldest first. */
  readonly chunks: number[] = [];
  constructor(readonly end: number) {}
}

/**
 * Window join. Each side's rows are kept by window until the combined watermark (the
 * smaller of the two; processing time: the clock) reaches the window's end; then the
 * window's rows are joined, emitted (+I; outer joins pad the rows without a partner,
 * SEMI / ANTI emit left rows with / without one) and dropped. A row for a window that
 * has already closed is late.
 *
 * The open windows' rows live in memory, between checkpoints too (bounded by the open
 * windows): a window that closes before the next checkpoint never touches state.
 * `snapshot` writes the rows that came since the previous one as one chunk per side
 * and window, and `open` reads them back.
 *
 * State: sorted states "left_rows" and "right_rows", key [window end, chunk] -> Row[];
 * "progress" (how far windows are closed, as of the snapshot).
 */
export class WindowJoin implements StreamOperator {
  readonly name = 'WindowJoin';
  private output!: Output;
  private context!: OperatorContext;
  /** Per side: the chunks in state, and the open windows by end. */
  private readonly chunks: SortedState<Row[]>[] = [];
  private readonly windows: Map<number, OpenWindow>[] = [new Map(), new Map()];
  private progressState!: ValueState<number>;
  private progress = Number.NEGATIVE_INFINITY;
  /** The progress as state holds it: written at snapshots, with the windows it goes with. */
  private progressWritten = Number.NEGATIVE_INFINITY;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly nullLeft: Row;
  private readonly nullRight: Row;
  private readonly scratch: Value[] = [];
  /** Joined rows, passed on in batches. */
  private out!: InsertBatches;

  constructor(private readonly options: WindowJoinOptions) {
    this.nullLeft = new Array<Value>(options.leftWidth).fill(null);
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    this.out = new InsertBatches(context.output);
    this.chunks[0] = context.state.sorted<Row[]>('left_rows');
    this.chunks[1] = context.state.sorted<Row[]>('right_rows');
    this.progressState = context.state.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.progressWritten = this.progress;
    this.watermarks.configure(context);
    for (let side = 0; side < 2; side++) {
      const windows = this.windows[side] as Map<number, OpenWindow>;
      windows.clear();
      for (const [key, rows] of (this.chunks[side] as SortedState<Row[]>).range(undefined, undefined)) {
        const end = key[0] as number;
        let w = windows.get(end);
        if (w === undefined) {
          w = new OpenWindow(end);
          windows.set(end, w);
        }
        for (const row of rows) w.rows.push(row);
        w.written = w.rows.length;
        w.chunks.push(key[1] as number);
      }
    }
  }

  processBatch(input: number, batch: ChangeBatch): void {
    const proctime = this.options.timeAttribute === 'PROCTIME';
    if (proctime) this.advance(this.context.now());
    const endIndex = input === 0 ? this.options.leftEnd : this.options.rightEnd;
    const windows = this.windows[input] as Map<number, OpenWindow>;
    let last: OpenWindow | undefined;
    for (const row of batch.rows) {
      const end = row[endIndex];
      if (typeof end !== 'number' || end <= this.progress) {
        this.context.lateRow?.(input, row, typeof end === 'number' ? end - 1000 : null, this.progress);
        continue;
      }
      if (last === undefined || last.end !== end) {
        last = windows.get(end);
        if (last === undefined) {
          last = new OpenWindow(end);
          windows.set(end, last);
        }
      }
      last.rows.push(row);
    }
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

  /** Writes each open window's rows that came since the last snapshot as one chunk. */
  snapshot(_checkpointId: number): void {
    if (this.progress !== this.progressWritten) {
      this.progressState.put([], this.progress);
      this.progressWritten = this.progress;
    }
    for (let side = 0; side < 2; side++) {
      const chunks = this.chunks[side] as SortedState<Row[]>;
      for (const w of (this.windows[side] as Map<number, OpenWindow>).values()) {
        if (w.written === w.rows.length) continue;
        const seq = (w.chunks[w.chunks.length - 1] ?? -1) + 1;
        chunks.put([w.end, seq], w.rows.slice(w.written));
        w.chunks.push(seq);
        w.written = w.rows.length;
      }
    }
  }

  close(): void {}

  private closeUpTo(watermark: number): void {
    this.advance(watermark);
    this.output.emitWatermark(watermark);
  }

  private advance(time: number): void {
    if (time <= this.progress) return;
    const lefts = this.takeWindows(0, time);
    const rights = this.takeWindows(1, time);
    const ends = [...new Set([...lefts.keys(), ...rights.keys()])].sort((a, b) => a - b);
    for (const end of ends) this.joinWindow(lefts.get(end) ?? [], rights.get(end) ?? []);
    this.out.flush();
    this.progress = time;
  }


  /** Removes and returns one side's rows of every window ending by `time`, by window end. */
  private takeWindows(side: number, time: number): Map<number, Row[]> {
    const out = new Map<number, Row[]>();
    const windows = this.windows[side] as Map<number, OpenWindow>;
    const chunks = this.chunks[side] as SortedState<Row[]>;
    for (const w of windows.values()) {
      if (w.end > time) continue;
      out.set(w.end, w.rows);
      for (const c of w.chunks) chunks.delete([w.end, c]);
      windows.delete(w.end);
    }
    return out;
  }

  /** `l` and `r` side by side in a row reused for every pair: read it before the next call, never keep it. */
  private pair(l: Row, r: Row): Row {
    const scratch = this.scratch;
    const n = l.length;
    for (let i = 0; i < n; i++) scratch[i] = l[i] as Value;
    for (let i = 0; i < r.length; i++) scratch[n + i] = r[i] as Value;
    scratch.length = n + r.length;
    return scratch;
  }

  private joinWindow(lefts: readonly Row[], rights: readonly Row[]): void {
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
    // One key on the right (a window's aggregate, or rows of one group): left rows are compared with it, no key strings.
    const only = byKey.size === 1 ? (byKey.values().next().value as { row: Row; matched: boolean }[]) : undefined;
    const onlyRow = only?.[0]?.row;
    for (const l of lefts) {
      let matched = false;
      // A NULL equi-key matches nothing (SQL equality).
      const candidates = onlyRow !== undefined ? (sameKeys(l, leftKeys, onlyRow, rightKeys) ? only : undefined)
        : leftKeys.some((k) => l[k] === null) ? undefined : byKey.get(projectedKey(l, leftKeys));
      for (const r of candidates ?? []) {
        // The condition reads a scratch row: most pairs of a window fail it (q5: only the window's top counts pass).
        if (residual !== undefined && residual(this.pair(l, r.row)) !== true) continue;
        const joined = concat(l, r.row);
        matched = true;
        r.matched = true;
        if (joinType === 'SEMI' || joinType === 'ANTI') break;
        this.out.push(joined);
      }
      if (joinType === 'SEMI' && matched) this.out.push(l);
      else if (joinType === 'ANTI' && !matched) this.out.push(l);
      else if ((joinType === 'LEFT' || joinType === 'FULL') && !matched) this.out.push(concat(l, this.nullRight));
    }
    if (joinType === 'RIGHT' || joinType === 'FULL') {
      for (const list of [...byKey.values(), unkeyedRights]) {
        for (const r of list) if (!r.matched) this.out.push(concat(this.nullLeft, r.row));
      }
    }
  }
}

/** Whether the key columns of `a` and `b` are equal as join keys (NULL equals nothing), as their key strings would be. */
function sameKeys(a: Row, aKeys: readonly number[], b: Row, bKeys: readonly number[]): boolean {
  for (let i = 0; i < aKeys.length; i++) {
    const x = a[aKeys[i] as number] as Value;
    const y = b[bKeys[i] as number] as Value;
    if (x === null || y === null) return false;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || valueKey(x) !== valueKey(y)) return false;
  }
  return true;
}

function concat(a: Row, b: Row): Row {
  return [...a, ...b];
}
