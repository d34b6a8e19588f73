// Join: Δ(L ⋈ R) = ΔL ⋈ R + L ⋈ ΔR (one change at a time), with per-row match counts for outer, SEMI and ANTI joins.

import { projectedKey, rowKey, valueKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import type { JoinType } from '../../planner/logical/join.js';
import { ChangeBatch, DELETE, INSERT, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { MapState, StateKey, ValueState } from '../state/state-api.js';
import { StateTtl } from './state-ttl.js';

export interface JoinOptions {
  readonly joinType: JoinType;
  /** Equi-join columns of the left input, pairwise with `rightKeys`; both empty for a cross or theta join. */
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  /** The rest of the ON condition, over the concatenated row (left columns, then right columns). */
  readonly residual?: (row: Row) => boolean;
  readonly leftWidth: number;
  readonly rightWidth: number;
  /** 'table.exec.state.ttl' in microseconds: a join key untouched on a side for this long loses that side's rows (0 or absent: kept). */
  readonly stateTtl?: number;
  /**
   * Sides read from an arrangement shared with other jobs (arrangement.ts) instead of this
   * join's own state: the arrangement files the side's rows and hands this join each batch
   * after applying it. Only a side whose rows keep no match counts can be shared (the right
   * side of INNER, LEFT, SEMI and ANTI joins, the left of INNER and RIGHT ones), and not with
   * a state TTL (idle keys are dropped per join).
   */
  readonly sharedLeft?: SharedSideView;
  readonly sharedRight?: SharedSideView;
  /** Rows of a join key kept as one list before they move to map state (LIST_ROWS; tests set fewer). */
  readonly listRows?: number;
}

/** A join side kept elsewhere: the rows of a join key, as this join has seen them. */
export interface SharedSideView {
  entries(joinKey: StateKey): IterableIterator<[StateKey, SideEntry]>;
}

/**
 * One stored row of a side: `[row, copies, matches]`, where `matches` counts
 * the other side's rows (with their copies) that join with it. Matches are
 * only kept where an outer, SEMI or ANTI join needs them.
 */
export type SideEntry = [Row, number, number];

/**
 * INNER / LEFT / RIGHT / FULL / SEMI / ANTI join, maintained incrementally.
 *
 * State: value states "leftRows" and "rightRows", key [join key string] -> the
 * side's rows of that key as one flat list, [row, copies, matches, row, copies,
 * matches, ...] (one entry per key: no per-row key, no per-key map in the state
 * cache). An insertion appends its row (a duplicate gets its own triple); a
 * retraction takes away a copy of an equal row, searching the list. A key that
 * outgrows LIST_ROWS (512) rows moves them to map state "leftMap"/"rightMap", [join
 * key] / [row key] -> SideEntry, and its value becomes the number of row keys
 * there: a hot key's changes then cost one entry each, not a search and a
 * rewrite of the whole list at the next checkpoint. Rows with a NULL equi-key never
 * match (SQL equality) and are kept in no state: in an outer join they pass
 * through NULL-extended, in an ANTI join they pass through as they are.
 *
 * Changelog (input kinds are kept for rows derived from the changed row itself):
 * - a joined row for each match of the changed row, with the input's kind;
 * - outer joins: the changed row NULL-extended, with the input's kind, when it
 *   has no match; when a row on the preserved side gains its first match its
 *   NULL-extended row is withdrawn with -D before the joined rows (+I), and
 *   when it loses its last match it comes back with +I after the joined
 *   rows are retracted;
 * - SEMI / ANTI: left rows only; a left row is emitted (+I) or withdrawn (-D)
 *   when its match count crosses 0 <-> 1, and a changed left row passes with
 *   its own kind when it has matches (SEMI) or none (ANTI).
 *
 * @example
 *   // a LEFT JOIN b ON a.k = b.k   with a (k, x), b (k, y)
 *   new Join({ joinType: 'LEFT', leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 2 })
 */
export class Join implements StreamOperator {
  readonly name = 'Join';
  private output!: Output;
  private left: ValueState<Value[] | number> | undefined;
  private right: ValueState<Value[] | number> | undefined;
  private leftMap: MapState<SideEntry> | undefined;
  private rightMap: MapState<SideEntry> | undefined;
  private readonly watermarks = new WatermarkTracker(2);

  private readonly joinType: JoinType;
  private readonly leftKeys: readonly number[];
  private readonly rightKeys: readonly number[];
  private readonly residual: ((row: Row) => boolean) | undefined;
  /** Left rows are kept with match counts (LEFT, FULL, SEMI, ANTI). */
  private readonly leftTracks: boolean;
  /** Right rows are kept with match counts (RIGHT, FULL). */
  private readonly rightTracks: boolean;
  private readonly semiOrAnti: boolean;
  private readonly nullLeft: Row;
  private readonly nullRight: Row;
  // The other side's rows that matched: positions in its list, or its map entries; reused across changes.
  private readonly pending: number[] = [];
  private readonly pendingKeys: StateKey[] = [];
  private readonly pendingEntries: SideEntry[] = [];
  private readonly stateTtl: number;
  private idle: StateTtl | undefined;
  private readonly sharedLeft: SharedSideView | undefined;
  private readonly sharedRight: SharedSideView | undefined;
  private readonly listLength: number;

  constructor(options: JoinOptions) {
    if (options.leftKeys.length !== options.rightKeys.length) throw new Error('join key lists differ in length');
    this.joinType = options.joinType;
    this.stateTtl = options.stateTtl ?? 0;
    this.leftKeys = options.leftKeys;
    this.rightKeys = options.rightKeys;
    this.residual = options.residual;
    const t = options.joinType;
    this.leftTracks = t === 'LEFT' || t === 'FULL' || t === 'SEMI' || t === 'ANTI';
    this.rightTracks = t === 'RIGHT' || t === 'FULL';
    this.semiOrAnti = t === 'SEMI' || t === 'ANTI';
    this.nullLeft = new Array<Value>(options.leftWidth).fill(null);
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
    this.listLength = (options.listRows ?? LIST_ROWS) * 3;
    this.sharedLeft = options.sharedLeft;
    this.sharedRight = options.sharedRight;
    if ((this.sharedLeft !== undefined && this.leftTracks) || (this.sharedRight !== undefined && this.rightTracks)) {
      throw new Error(`a ${t} join keeps match counts on the side it would share`);
    }
    if ((this.sharedLeft !== undefined || this.sharedRight !== undefined) && this.stateTtl > 0) throw new Error('a join with a state TTL cannot share its state');
  }

  open(context: OperatorContext): void {
    this.output = context.output;
    if (this.sharedLeft === undefined) {
      this.left = context.state.value<Value[] | number>('leftRows');
      this.leftMap = context.state.map<SideEntry>('leftMap');
    }
    if (this.sharedRight === undefined) {
      this.right = context.state.value<Value[] | number>('rightRows');
      this.rightMap = context.state.map<SideEntry>('rightMap');
    }
    if (this.stateTtl > 0) this.idle = new StateTtl(context.state, this.stateTtl, context.now);
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    if (this.idle !== undefined) this.dropIdle(this.idle);
    const out = new ChangeBatch();
    const isLeft = input === 0;
    const kinds = batch.kinds;
    const rows = batch.rows;
    for (let i = 0; i < rows.length; i++) this.processChange(isLeft, kinds[i] as ChangeKind, rows[i] as Row, out);
    if (out.length > 0) this.output.emit(out);
    this.idleCheck(input);
  }

  /** Rows from `input` may show that another input has gone idle. */
  private idleCheck(input: number): void {
    const w = this.watermarks.active(input);
    if (w !== undefined) this.output.emitWatermark(w);
  }

  processWatermark(input: number, watermark: number): void {
    const w = this.watermarks.update(input, watermark);
    if (w !== undefined) this.output.emitWatermark(w);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  private processChange(isLeft: boolean, kind: ChangeKind, row: Row, out: ChangeBatch): void {
    const retract = kind === UPDATE_BEFORE || kind === DELETE;
    const keys = isLeft ? this.leftKeys : this.rightKeys;
    for (let i = 0; i < keys.length; i++) {
      if (row[keys[i] as number] === null) {
        this.passNullKeyRow(isLeft, kind, row, out);
        return;
      }
    }
    const joinKey: StateKey = [projectedKey(row, keys)];
    // A shared side's rows are filed by its arrangement (which already took this change and dropped inconsistent ones).
    const mine = isLeft ? this.left : this.right;
    const mineMap = (isLeft ? this.leftMap : this.rightMap) as MapState<SideEntry>;
    const stored = mine?.get(joinKey);
    let at = -1;
    let rowId: StateKey | undefined;
    let entry: SideEntry | undefined;
    if (typeof stored === 'number') {
      rowId = [rowKey(row)];
      entry = mineMap.get(joinKey, rowId);
      // A retraction of a row this side does not have (inconsistent input) is ignored.
      if (retract && entry === undefined) return;
    } else if (retract && mine !== undefined) {
      at = stored === undefined ? -1 : find(stored, row);
      if (at < 0) return;
    }

    const otherState = isLeft ? this.right : this.left;
    const otherMap = (isLeft ? this.rightMap : this.leftMap) as MapState<SideEntry>;
    const otherShared = isLeft ? this.sharedRight : this.sharedLeft;
    const otherTracks = isLeft ? this.rightTracks : this.leftTracks;
    const emitsPairs = !this.semiOrAnti;
    const residual = this.residual;
    const pending = this.pending;
    const pendingKeys = this.pendingKeys;
    const pendingEntries = this.pendingEntries;
    pending.length = 0;
    pendingKeys.length = 0;
    pendingEntries.length = 0;
    // Joined rows go after the other side's withdrawals on an addition and
    // before its re-emissions on a retraction; collect them first.
    let matches = 0;
    let pairs: Row[] | undefined;
    const visit = (otherRow: Row, copies: number): boolean => {
      let joined: Row | undefined;
      if (residual !== undefined) {
        joined = isLeft ? concat(row, otherRow) : concat(otherRow, row);
        if (residual(joined) !== true) return false;
      }
      matches += copies;
      if (emitsPairs) {
        joined ??= isLeft ? concat(row, otherRow) : concat(otherRow, row);
        pairs ??= [];
        for (let c = 0; c < copies; c++) pairs.push(joined);
      }
      return true;
    };
    const others = otherState?.get(joinKey);
    if (Array.isArray(others)) {
      for (let i = 0; i < others.length; i += 3) if (visit(others[i] as Row, others[i + 1] as number) && otherTracks) pending.push(i);
    } else if (typeof others === 'number') {
      // State must not change while it is read: matches are counted afterwards.
      for (const [id, o] of otherMap.entries(joinKey)) {
        if (visit(o[0], o[1]) && otherTracks) {
          pendingKeys.push(id);
          pendingEntries.push(o);
        }
      }
    } else if (otherShared !== undefined) for (const [, o] of otherShared.entries(joinKey)) visit(o[0], o[1]);

    // Only a side kept by this join tracks matches.
    if (!retract) {
      this.countMatches(!isLeft, joinKey, others, 1, out);
      if (pairs) for (const j of pairs) out.push(kind, j);
    } else {
      if (pairs) for (const j of pairs) out.push(kind, j);
      this.countMatches(!isLeft, joinKey, others, -1, out);
    }

    // The changed row itself, where it stands without a partner (outer) or for its matches (SEMI/ANTI).
    const t = this.joinType;
    if (isLeft) {
      if ((t === 'LEFT' || t === 'FULL') && matches === 0) out.push(kind, concat(row, this.nullRight));
      else if ((t === 'SEMI' && matches > 0) || (t === 'ANTI' && matches === 0)) out.push(kind, row);
    } else if ((t === 'RIGHT' || t === 'FULL') && matches === 0) out.push(kind, concat(this.nullLeft, row));

    // 'table.exec.state.ttl': the key was used on this side now.
    this.idle?.touch(`${isLeft ? 'L' : 'R'}${joinKey[0] as string}`);
    if (mine === undefined) return;
    if (typeof stored === 'number') {
      const id = rowId as StateKey;
      if (entry === undefined) {
        mineMap.put(joinKey, id, [row, 1, matches]);
        mine.put(joinKey, stored + 1);
        return;
      }
      entry[1] += retract ? -1 : 1;
      entry[2] = matches;
      if (entry[1] > 0) {
        mineMap.put(joinKey, id, entry);
        return;
      }
      mineMap.delete(joinKey, id);
      if (stored > 1) mine.put(joinKey, stored - 1);
      else mine.delete(joinKey);
      return;
    }
    if (!retract) {
      if (stored === undefined) mine.put(joinKey, [row, 1, matches]);
      else if (stored.length < this.listLength) {
        stored.push(row, 1, matches);
        mine.put(joinKey, stored);
      } else {
        stored.push(row, 1, matches);
        mine.put(joinKey, moveToMap(mineMap, joinKey, stored));
      }
      return;
    }
    const rows = stored as Value[];
    const copies = (rows[at + 1] as number) - 1;
    if (copies > 0) {
      rows[at + 1] = copies;
      rows[at + 2] = matches;
    } else rows.splice(at, 3);
    if (rows.length === 0) mine.delete(joinKey);
    else mine.put(joinKey, rows);
  }

  /**
   * The other side's matched rows (collected by processChange) gain (`delta` 1) or lose (-1)
   * a match; a row's NULL-extended or SEMI/ANTI output changes when its count crosses 0.
   */
  private countMatches(left: boolean, joinKey: StateKey, others: Value[] | number | undefined, delta: 1 | -1, out: ChangeBatch): void {
    const pending = this.pending;
    if (Array.isArray(others) && pending.length > 0) {
      for (const p of pending) {
        const m = (others[p + 2] as number) + delta;
        others[p + 2] = m;
        if (delta > 0 && m === 1) this.firstMatch(left, others[p] as Row, others[p + 1] as number, out);
        if (delta < 0 && m === 0) this.lastMatchGone(left, others[p] as Row, others[p + 1] as number, out);
      }
      (left ? this.left : this.right)?.put(joinKey, others);
      return;
    }
    const entries = this.pendingEntries;
    const map = left ? this.leftMap : this.rightMap;
    for (let p = 0; p < entries.length; p++) {
      const o = entries[p] as SideEntry;
      o[2] += delta;
      if (delta > 0 && o[2] === 1) this.firstMatch(left, o[0], o[1], out);
      if (delta < 0 && o[2] === 0) this.lastMatchGone(left, o[0], o[1], out);
      map?.put(joinKey, this.pendingKeys[p] as StateKey, o);
    }
  }

  /**
   * 'table.exec.state.ttl': a side's rows of a join key nobody touched for the TTL are
   * dropped, silently, as Flink drops them: later rows of the other side no longer
   * find them, and nothing already joined is retracted.
   */
  private dropIdle(idle: StateTtl): void {
    for (const key of idle.expired()) {
      const left = key.startsWith('L');
      const rows = left ? this.left : this.right;
      const joinKey = [key.slice(1)];
      if (rows?.get(joinKey) === undefined) continue;
      rows.delete(joinKey);
      (left ? this.leftMap : this.rightMap)?.clear(joinKey);
    }
  }

  /** A stored row (`copies` of it) of the left (`left` true) or right side got its first match. */
  private firstMatch(left: boolean, row: Row, copies: number, out: ChangeBatch): void {
    const t = this.joinType;
    if (left) {
      if (t === 'SEMI') pushCopies(out, INSERT, row, copies);
      else if (t === 'ANTI') pushCopies(out, DELETE, row, copies);
      else pushCopies(out, DELETE, concat(row, this.nullRight), copies);
    } else pushCopies(out, DELETE, concat(this.nullLeft, row), copies);
  }

  /** A stored row (`copies` of it) of the left (`left` true) or right side lost its last match. */
  private lastMatchGone(left: boolean, row: Row, copies: number, out: ChangeBatch): void {
    const t = this.joinType;
    if (left) {
      if (t === 'SEMI') pushCopies(out, DELETE, row, copies);
      else if (t === 'ANTI') pushCopies(out, INSERT, row, copies);
      else pushCopies(out, INSERT, concat(row, this.nullRight), copies);
    } else pushCopies(out, INSERT, concat(this.nullLeft, row), copies);
  }

  /** A row with a NULL equi-key: it matches nothing, now or later. */
  private passNullKeyRow(isLeft: boolean, kind: ChangeKind, row: Row, out: ChangeBatch): void {
    const t = this.joinType;
    if (isLeft) {
      if (t === 'LEFT' || t === 'FULL') out.push(kind, concat(row, this.nullRight));
      else if (t === 'ANTI') out.push(kind, row);
    } else if (t === 'RIGHT' || t === 'FULL') out.push(kind, concat(this.nullLeft, row));
  }
}

function concat(a: Row, b: Row): Row {
  const na = a.length;
  const nb = b.length;
  const out = new Array<Value>(na + nb);
  for (let i = 0; i < na; i++) out[i] = a[i] as Value;
  for (let i = 0; i < nb; i++) out[na + i] = b[i] as Value;
  return out;
}

function pushCopies(out: ChangeBatch, kind: ChangeKind, row: Row, copies: number): void {
  for (let c = 0; c < copies; c++) out.push(kind, row);
}

/** Rows of one join key kept as one list; a key with more moves them to map state. */
const LIST_ROWS = 512;

/** Files the rows of `list` in `map` under `joinKey` by row key (equal rows as one entry); returns how many entries. */
function moveToMap(map: MapState<SideEntry>, joinKey: StateKey, list: readonly Value[]): number {
  const byId = new Map<string, SideEntry>();
  for (let i = 0; i < list.length; i += 3) {
    const row = list[i] as Row;
    const id = rowKey(row);
    const e = byId.get(id);
    if (e === undefined) byId.set(id, [row, list[i + 1] as number, list[i + 2] as number]);
    else e[1] += list[i + 1] as number;
  }
  for (const [id, e] of byId) map.put(joinKey, [id], e);
  return byId.size;
}

/** Where in `list` ([row, copies, matches, ...]) a row equal to `row` is (as GROUP BY and DISTINCT see equality), or -1. */
function find(list: readonly Value[], row: Row): number {
  for (let i = 0; i < list.length; i += 3) if (sameRow(list[i] as Row, row)) return i;
  return -1;
}

function sameRow(a: Row, b: Row): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Value;
    const y = b[i] as Value;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object' || valueKey(x) !== valueKey(y)) return false;
  }
  return true;
}
