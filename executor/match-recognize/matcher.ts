// The matcher of one partition: match attempts from successive starting rows, each a Pike VM over the compiled pattern whose threads are kept in preference order.
//
// The standard's match is the leftmost one, then the most preferred from that
// row: the first a backtracking search over the pattern would find. Threads
// advance together row by row, in the order backtracking would try them; a
// thread that completes cuts every thread after it, and the attempt is decided
// once no thread before the best completed one is left. Conditions read the
// rows mapped so far, so two threads only merge (the later one dropped) when
// nothing a condition can read, now or later, tells them apart: the same
// state, the same positions of the rows the conditions navigate to, the same
// aggregate states.
//
// Attempts run one at a time. When one fails, or after a match, the next
// starts at the row the standard says (the next row, or the AFTER MATCH SKIP
// target) and replays the rows already released from there.
//
// Everything kept between calls is plain data in a PartitionRecord, so the
// operator keeps it in operator state.

import { Decimal } from '../../common/decimal.js';
import { SqlError } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import type { AfterMatchSkip } from '../../planner/logical/match-recognize.js';
import type { MatchAggregate, MatchEnv, MatchEvaluator, RowSetTable } from './expressions.js';
import { copySlot } from './expressions.js';
import type { Program } from './pattern.js';
import { BEGIN, END, ITER, JUMP, LABEL, MARK, MATCH, SPLIT } from './pattern.js';

/** One path through the pattern, waiting at a LABEL for the next row or at END for the end of the partition. */
export interface Thread {
  readonly pc: number;
  /** One character per row consumed: (variable << 1) | excluded. */
  readonly labels: string;
  /** Registers MARKed since the last row consumed. */
  readonly fresh: readonly number[];
  /** Per tracked row set: its first positions, as many as DEFINE's FIRST offsets read. */
  readonly first: readonly (readonly number[])[];
  /** Per tracked row set: its last positions, oldest first, as many as LAST offsets read. */
  readonly last: readonly (readonly number[])[];
  /** DEFINE's aggregates, one accumulator slot each. */
  readonly aggs: readonly unknown[];
}

export interface Attempt {
  readonly start: number;
  /** The position of the row the threads wait for. */
  pos: number;
  threads: Thread[];
  /** The most preferred completed match so far: it ends before `end`. */
  best?: { readonly end: number; readonly labels: string };
  /** No thread is left: `best` is the attempt's result (it may still wait for rows its measures read ahead). */
  done: boolean;
}

/** A partition's matching state, kept between batches. */
export interface PartitionRecord {
  /** Rows released to the matcher so far: positions 0 .. avail - 1. */
  avail: number;
  /** Rows below this position are no longer kept. */
  base: number;
  /** The rows kept: positions base .. avail - 1. */
  rows: Row[];
  /** Where the next attempt starts (when none is running). */
  next: number;
  attempt?: Attempt;
  /** Matches found so far (MATCH_NUMBER of the last one). */
  matchNumber: number;
  /** Rows below this position belong to some match (for WITH UNMATCHED ROWS). */
  covered: number;
  /** The time under which the partition is in the operator's index of partitions with pending work. */
  indexed?: number;
  /** Whether the partition is in the operator's index of partitions kept without pending work. */
  idle?: boolean;
}

export function newPartitionRecord(): PartitionRecord {
  return { avail: 0, base: 0, rows: [], next: 0, matchNumber: 0, covered: 0 };
}

/** Appends released rows (the partition's next positions). */
export function releaseRows(rec: PartitionRecord, rows: readonly Row[]): void {
  for (const r of rows) rec.rows.push(r);
  rec.avail += rows.length;
}

/** Drops the rows below position `from`. */
export function dropRowsBefore(rec: PartitionRecord, from: number): void {
  const n = Math.min(from, rec.avail) - rec.base;
  if (n <= 0) return;
  if (n === rec.rows.length) rec.rows.length = 0;
  else if (n <= 4) for (let i = 0; i < n; i++) rec.rows.shift();
  else rec.rows.splice(0, n);
  rec.base += n;
}

/** The row at `pos`, if kept. */
export function rowAt(rec: PartitionRecord, pos: number): Row | undefined {
  return pos >= rec.base && pos < rec.avail ? rec.rows[pos - rec.base] : undefined;
}

export type MatchEvent =
  /** A match: rows start .. end - 1 (none for an empty match), one label per row. */
  | { readonly kind: 'match'; readonly start: number; readonly end: number; readonly labels: string; readonly number: number }
  /** A row that no match contains and no empty match starts at. */
  | { readonly kind: 'unmatched'; readonly pos: number };

export interface DefineCondition {
  readonly evaluate: MatchEvaluator;
  /** Reads only the current row and the partition: the same for every thread at a row. */
  readonly historyFree: boolean;
  /** Reads an aggregate (then it is evaluated on the thread with the row already mapped). */
  readonly readsAggregates?: boolean;
}

export interface MatcherSpec {
  readonly program: Program;
  readonly variableNames: readonly string[];
  /** Per variable; undefined: always true. */
  readonly defines: readonly (DefineCondition | undefined)[];
  /** The row sets DEFINE navigates (tracked per thread) and its aggregates. */
  readonly sets: RowSetTable;
  readonly aggregates: readonly MatchAggregate[];
  /** Rows DEFINE reads after the current one (NEXT): a row is matched once these are released. */
  readonly lookahead: number;
  /** Rows measures read after a match's last row: a match is emitted once these are released. */
  readonly measureLookahead: number;
  readonly afterMatch: AfterMatchSkip;
  /** WITHIN in microseconds. */
  readonly within?: number;
  /** The event-time column. */
  readonly timeIndex: number;
  /** Whether rows no match contains are reported (ALL ROWS PER MATCH WITH UNMATCHED ROWS). */
  readonly reportUnmatched?: boolean;
}

const EMPTY: readonly number[] = [];

/** Runs the matching of partitions; one instance serves every partition of an operator. */
export class Matcher implements MatchEnv {
  private readonly program: Program;
  private readonly setsOfVariable: number[][];
  private readonly aggsOfVariable: number[][];
  private readonly universalAggs: number[];
  private readonly firstDepth: readonly number[];
  private readonly lastDepth: readonly number[];
  private readonly trackedSets: number;
  /** Whether threads can differ in anything but their state: then merging needs a full key. */
  private readonly historyKeys: boolean;
  private readonly conditionCache: (boolean | undefined)[];
  /** The thread an attempt starts with (immutable: consuming copies what it changes). */
  private readonly initial: Thread;
  // Threads added since the closure at hand began, by pc: `stamp[pc] === epoch` when `byPc[pc]` is current.
  private readonly stamp: Uint32Array;
  private readonly byPc: Thread[][];
  private readonly counts: Uint32Array;
  private epoch = 0;

  // The evaluation at hand (this object is the MatchEnv DEFINE conditions read).
  private rec!: PartitionRecord;
  private attempt!: Attempt;
  private thread!: Thread;
  private current = 0;
  private currentLabel = 0;
  /** `thread` has not consumed the current row yet: it counts as mapped to `currentLabel`. */
  private tentative = false;
  /** Per tracked set, per variable: whether the variable is in the set. */
  private readonly setHas: boolean[][];
  private ended = false;

  constructor(private readonly spec: MatcherSpec) {
    this.program = spec.program;
    const variables = spec.variableNames.length;
    this.setsOfVariable = spec.sets.setsOfVariable(variables);
    this.firstDepth = spec.sets.firstDepth;
    this.lastDepth = spec.sets.lastDepth;
    this.trackedSets = spec.sets.sets.length;
    this.aggsOfVariable = Array.from({ length: variables }, () => []);
    this.universalAggs = [];
    spec.aggregates.forEach((a, i) => {
      if (a.set < 0) this.universalAggs.push(i);
      else for (const v of spec.sets.sets[a.set] ?? []) this.aggsOfVariable[v]?.push(i);
    });
    for (const list of this.aggsOfVariable) list.push(...this.universalAggs);
    this.historyKeys = this.trackedSets > 0 || spec.aggregates.length > 0;
    this.conditionCache = new Array<boolean | undefined>(variables).fill(undefined);
    this.initial = {
      pc: this.program.start,
      labels: '',
      fresh: EMPTY,
      first: Array.from({ length: this.trackedSets }, () => EMPTY),
      last: Array.from({ length: this.trackedSets }, () => EMPTY),
      aggs: spec.aggregates.map((a) => a.accumulator.create()),
    };
    this.setHas = spec.sets.sets.map((members) => Array.from({ length: variables }, (_, v) => members.includes(v)));
    this.stamp = new Uint32Array(this.program.op.length);
    this.byPc = Array.from({ length: this.program.op.length }, () => []);
    this.counts = new Uint32Array(this.program.op.length);
  }

  /**
   * Matches as far as the partition's released rows allow, reporting each
   * decided match and unmatched row through `emit` in order. `ended`: no row
   * will follow (the end of the input), so `$` can hold and every attempt ends.
   * `watermark`: no row below it will still be released, for WITHIN.
   */
  drive(rec: PartitionRecord, ended: boolean, watermark: number, emit: (e: MatchEvent) => void): void {
    this.rec = rec;
    this.ended = ended;
    const spec = this.spec;
    for (;;) {
      let at = rec.attempt;
      if (at === undefined) {
        if (rec.next >= rec.avail) return;
        at = this.startAttempt(rec.next);
        rec.attempt = at;
      }
      this.attempt = at;
      if (!at.done) {
        if (at.threads.length === 0) {
          at.done = true;
        } else if (at.pos < rec.avail && (ended || at.pos + spec.lookahead < rec.avail)) {
          this.step(at);
          continue;
        } else if (at.pos >= rec.avail && ended) {
          this.endStep(at);
          at.done = true;
        } else {
          // Waiting for rows. Under WITHIN, rows still to come (at or after the
          // watermark) may be too late for this attempt to consume any.
          if (spec.within !== undefined && at.pos >= rec.avail && this.time(at.start) + spec.within <= watermark) {
            at.threads = at.threads.filter((t) => this.program.op[t.pc] === END);
            if (at.threads.length === 0) {
              at.done = true;
              continue;
            }
          }
          return;
        }
      }
      const best = at.best;
      if (best !== undefined) {
        if (!ended && spec.measureLookahead > 0 && best.end - 1 + spec.measureLookahead >= rec.avail) return;
        rec.matchNumber++;
        emit({ kind: 'match', start: at.start, end: best.end, labels: best.labels, number: rec.matchNumber });
        if (best.end > rec.covered) rec.covered = best.end;
        rec.next = this.resume(at.start, best.end, best.labels);
      } else {
        if (spec.reportUnmatched === true && at.start >= rec.covered) emit({ kind: 'unmatched', pos: at.start });
        rec.next = at.start + 1;
      }
      rec.attempt = undefined;
    }
  }

  /** The row the next attempt starts at, after a match of rows start .. end - 1. */
  private resume(start: number, end: number, labels: string): number {
    // After an empty match, whatever the skip mode, the next attempt starts at the next row.
    if (end === start) return start + 1;
    const skip = this.spec.afterMatch;
    switch (skip.kind) {
      case 'PAST LAST ROW': return end;
      case 'TO NEXT ROW': return start + 1;
      case 'TO FIRST':
      case 'TO LAST': {
        const first = skip.kind === 'TO FIRST';
        let at = -1;
        for (let i = 0; i < labels.length; i++) {
          if (!skip.rows.includes(labels.charCodeAt(i) >> 1)) continue;
          at = i;
          if (first) break;
        }
        const which = first ? 'FIRST' : 'LAST';
        if (at < 0) {
          throw new SqlError('22000', `AFTER MATCH SKIP TO ${which} ${skip.name} failed: no row of the match is mapped to ${skip.name}`, {
            detail: `The match of rows ${start + 1} to ${end} of its partition has no row mapped to ${skip.name}.`,
          });
        }
        if (at === 0) {
          throw new SqlError('22000', `AFTER MATCH SKIP TO ${which} ${skip.name} would start the next match at the first row of this one`, {
            detail: 'Matching would find the same match again, forever.',
          });
        }
        return start + at;
      }
      default: {
        const unreachable: never = skip;
        throw new Error(`unknown skip mode ${(unreachable as AfterMatchSkip).kind}`);
      }
    }
  }

  private time(pos: number): number {
    return (rowAt(this.rec, pos) as Row)[this.spec.timeIndex] as number;
  }

  private startAttempt(start: number): Attempt {
    const at: Attempt = { start, pos: start, threads: [], done: false };
    this.attempt = at;
    this.epoch++;
    this.add(at.threads, this.initial, this.initial.pc, EMPTY, start);
    return at;
  }

  /** Feeds the row at `at.pos` to every thread, in preference order. */
  private step(at: Attempt): void {
    const pos = at.pos;
    at.pos = pos + 1;
    const row = rowAt(this.rec, pos) as Row;
    const within = this.spec.within;
    if (within !== undefined && (row[this.spec.timeIndex] as number) - this.time(at.start) >= within) {
      at.threads = [];
      return;
    }
    const program = this.program;
    const op = program.op;
    const current = at.threads;
    const next: Thread[] = [];
    this.epoch++;
    this.conditionCache.fill(undefined);
    this.current = pos;
    for (const t of current) {
      if (op[t.pc] !== LABEL) continue; // waiting at `$`, and a row came
      const v = program.a[t.pc] as number;
      const define = this.spec.defines[v];
      let consumed: Thread | undefined;
      if (define === undefined) consumed = this.consume(t, v, pos, row, program.b[t.pc] as number);
      else if (define.historyFree) {
        let ok = this.conditionCache[v];
        if (ok === undefined) {
          this.thread = t;
          this.currentLabel = v;
          ok = define.evaluate(this) === true;
          this.conditionCache[v] = ok;
        }
        if (ok) consumed = this.consume(t, v, pos, row, program.b[t.pc] as number);
      } else if (define.readsAggregates !== true) {
        // Positions are read as if the row were mapped: no thread is made for a row that fails.
        this.thread = t;
        this.currentLabel = v;
        this.tentative = true;
        const ok = define.evaluate(this) === true;
        this.tentative = false;
        if (ok) consumed = this.consume(t, v, pos, row, program.b[t.pc] as number);
      } else {
        const candidate = this.consume(t, v, pos, row, program.b[t.pc] as number);
        this.thread = candidate;
        this.currentLabel = v;
        if (define.evaluate(this) === true) consumed = candidate;
      }
      if (consumed === undefined) continue;
      if (this.add(next, consumed, consumed.pc, EMPTY, pos + 1)) break;
    }
    at.threads = next;
  }

  /** The end of the partition: threads at `$` go on; the others can consume nothing more. */
  private endStep(at: Attempt): void {
    const op = this.program.op;
    const next: Thread[] = [];
    this.epoch++;
    for (const t of at.threads) {
      if (op[t.pc] !== END) continue;
      if (this.add(next, t, this.program.a[t.pc] as number, t.fresh, at.pos)) break;
    }
    at.threads = [];
  }

  /** `t` with the row at `pos` mapped to variable `v`, going on at `pc`. */
  private consume(t: Thread, v: number, pos: number, row: Row, pc: number): Thread {
    const excluded = this.program.c[t.pc] as number;
    let first = t.first;
    let last = t.last;
    const sets = this.setsOfVariable[v] as number[];
    // Copy on write: only the position lists that change are new arrays.
    let f: (readonly number[])[] | undefined;
    let l: (readonly number[])[] | undefined;
    for (const s of sets) {
      const fd = this.firstDepth[s] as number;
      const firstOf = first[s] as readonly number[];
      if (fd >= 0 && firstOf.length <= fd) {
        f ??= [...first];
        f[s] = appended(firstOf, pos, firstOf.length + 1);
      }
      const ld = this.lastDepth[s] as number;
      if (ld >= 0) {
        l ??= [...last];
        const lastOf = last[s] as readonly number[];
        l[s] = appended(lastOf, pos, Math.min(lastOf.length + 1, ld + 1));
      }
    }
    if (f !== undefined) first = f;
    if (l !== undefined) last = l;
    let aggs = t.aggs;
    const touched = this.aggsOfVariable[v] as number[];
    if (touched.length > 0) {
      const a = [...aggs];
      for (const i of touched) {
        const agg = this.spec.aggregates[i] as MatchAggregate;
        const record = [copySlot(a[i])];
        agg.accumulator.update(record, 0, agg.argumentRow(row), 1, '');
        a[i] = record[0];
      }
      aggs = a;
    }
    return { pc, labels: t.labels + String.fromCharCode((v << 1) | excluded), fresh: EMPTY, first, last, aggs };
  }

  /**
   * Follows `t` from `pc` through the steps that consume no row, depth first
   * in preference order, adding the threads that reach a LABEL (or wait at `$`)
   * to `list`. Returns true at MATCH: what follows is less preferred and is cut.
   */
  private add(list: Thread[], t: Thread, pc: number, fresh: readonly number[], pos: number): boolean {
    const program = this.program;
    switch (program.op[pc]) {
      case LABEL:
        this.keep(list, t, pc, fresh);
        return false;
      case SPLIT:
        if (this.add(list, t, program.a[pc] as number, fresh, pos)) return true;
        return this.add(list, t, program.b[pc] as number, fresh, pos);
      case JUMP:
        return this.add(list, t, program.a[pc] as number, fresh, pos);
      case BEGIN:
        return pos === 0 ? this.add(list, t, program.a[pc] as number, fresh, pos) : false;
      case END:
        if (pos < this.rec.avail) return false; // a row follows
        if (this.ended) return this.add(list, t, program.a[pc] as number, fresh, pos);
        this.keep(list, t, pc, fresh);
        return false;
      case MARK: {
        const r = program.a[pc] as number;
        return this.add(list, t, program.b[pc] as number, fresh.includes(r) ? fresh : [...fresh, r], pos);
      }
      case ITER: {
        const r = program.a[pc] as number;
        if (fresh.includes(r)) return this.add(list, t, program.c[pc] as number, fresh.filter((x) => x !== r), pos);
        return this.add(list, t, program.b[pc] as number, fresh, pos);
      }
      case MATCH:
        this.attempt.best = { end: pos, labels: t.labels };
        return true;
      default:
        throw new Error(`bad instruction at ${pc}`);
    }
  }

  /**
   * Adds `t` at `pc` to `list`, unless a thread added before it in this
   * closure (so more preferred) is there and behaves the same from here on.
   */
  private keep(list: Thread[], t: Thread, pc: number, fresh: readonly number[]): void {
    const same = this.byPc[pc] as Thread[];
    let n = 0;
    if (this.stamp[pc] !== this.epoch) this.stamp[pc] = this.epoch;
    else {
      n = this.counts[pc] as number;
      for (let i = 0; i < n; i++) if (this.indistinguishable(same[i] as Thread, fresh, t)) return;
    }
    const added = t.pc === pc && t.fresh === fresh ? t : { ...t, pc, fresh };
    // Entries past the count are stale (earlier closures'): overwritten, never cleared.
    same[n] = added;
    this.counts[pc] = n + 1;
    list.push(added);
  }

  /** Whether nothing a condition can read tells `u` from `t` with registers `fresh` (at the same pc and row). */
  private indistinguishable(u: Thread, fresh: readonly number[], t: Thread): boolean {
    if (!sameNumbers(u.fresh, fresh)) return false;
    if (!this.historyKeys) return true;
    for (let s = 0; s < this.trackedSets; s++) {
      if (!sameNumbers(u.first[s] as readonly number[], t.first[s] as readonly number[])) return false;
      if (!sameNumbers(u.last[s] as readonly number[], t.last[s] as readonly number[])) return false;
    }
    for (let i = 0; i < t.aggs.length; i++) if (!sameSlot(u.aggs[i], t.aggs[i])) return false;
    return true;
  }

  // ---- MatchEnv for DEFINE: the current thread with the current row just mapped to `currentLabel`.

  position(set: number, fromLast: boolean, offset: number): number {
    if (set < 0) {
      const start = this.attempt.start;
      const p = fromLast ? this.current - offset : start + offset;
      return p >= start && p <= this.current ? p : -1;
    }
    const mapped = this.tentative && (this.setHas[set] as boolean[])[this.currentLabel] === true;
    if (fromLast) {
      if (mapped && offset === 0) return this.current;
      const l = this.thread.last[set] as readonly number[];
      const i = l.length - 1 - offset + (mapped ? 1 : 0);
      return i >= 0 ? (l[i] as number) : -1;
    }
    const f = this.thread.first[set] as readonly number[];
    if (offset < f.length) return f[offset] as number;
    return mapped && offset === f.length ? this.current : -1;
  }

  row(pos: number): Row | undefined {
    return rowAt(this.rec, pos);
  }

  aggregate(index: number): Value {
    const agg = this.spec.aggregates[index] as MatchAggregate;
    return agg.accumulator.result([this.thread.aggs[index]], 0, '');
  }

  classifier(set: number): Value {
    if (set < 0) return this.spec.variableNames[this.currentLabel] ?? null;
    const p = this.position(set, true, 0);
    if (p < 0) return null;
    if (p === this.current) return this.spec.variableNames[this.currentLabel] ?? null;
    const code = this.thread.labels.charCodeAt(p - this.attempt.start);
    return this.spec.variableNames[code >> 1] ?? null;
  }

  get matchNumber(): number {
    return this.rec.matchNumber + 1;
  }

  get matchRowtime(): Value {
    return null;
  }
}

/** The last `size` of `xs` followed by `x`. */
function appended(xs: readonly number[], x: number, size: number): number[] {
  const out = new Array<number>(size);
  const from = xs.length + 1 - size;
  for (let i = 0; i < size - 1; i++) out[i] = xs[from + i] as number;
  out[size - 1] = x;
  return out;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Equality of accumulator slots (plain data; DECIMAL values compared by value). */
function sameSlot(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameSlot(a[i], b[i])) return false;
    return true;
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Decimal && b instanceof Decimal) return a.unscaled === b.unscaled && a.scale === b.scale;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object'
    && Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => sameSlot((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
