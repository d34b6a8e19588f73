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
  return { avail: 0, base: 0, next: 0, matchNumber: 0, covered: 0 };
}

export type MatchEvent =
  /** A match: rows start .. end - 1 (none for an empty match), one label per row. */
  | { readonly kind: 'match'; readonly start: number; readonly end: number; readonly labels: string; readonly number: number }
  /** A row that no match contains and no empty match starts at. */
  | { readonly kind: 'unmatched'; readonly pos: number };

/** Where the matcher reads rows: the partition's released rows still kept. */
export interface RowStore {
  row(pos: number): Row | undefined;
}

export interface DefineCondition {
  readonly evaluate: MatchEvaluator;
  /** Reads only the current row and the partition: the same for every thread at a row. */
  readonly historyFree: boolean;
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

  // The evaluation at hand (this object is the MatchEnv DEFINE conditions read).
  private store!: RowStore;
  private rec!: PartitionRecord;
  private attempt!: Attempt;
  private thread!: Thread;
  private current = 0;
  private currentLabel = 0;
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
  }

  /**
   * Matches as far as the partition's released rows allow, reporting each
   * decided match and unmatched row through `emit` in order. `ended`: no row
   * will follow (the end of the input), so `$` can hold and every attempt ends.
   * `watermark`: no row below it will still be released, for WITHIN.
   */
  drive(rec: PartitionRecord, store: RowStore, ended: boolean, watermark: number, emit: (e: MatchEvent) => void): void {
    this.rec = rec;
    this.store = store;
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
        if (at.start >= rec.covered) emit({ kind: 'unmatched', pos: at.start });
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
    return (this.store.row(pos) as Row)[this.spec.timeIndex] as number;
  }

  private startAttempt(start: number): Attempt {
    const at: Attempt = { start, pos: start, threads: [], done: false };
    this.attempt = at;
    const t: Thread = {
      pc: this.program.start,
      labels: '',
      fresh: EMPTY,
      first: Array.from({ length: this.trackedSets }, () => EMPTY),
      last: Array.from({ length: this.trackedSets }, () => EMPTY),
      aggs: this.spec.aggregates.map((a) => a.accumulator.create()),
    };
    const seen = new Set<string | number>();
    this.add(at.threads, seen, t, t.pc, EMPTY, start);
    return at;
  }

  /** Feeds the row at `at.pos` to every thread, in preference order. */
  private step(at: Attempt): void {
    const pos = at.pos;
    at.pos = pos + 1;
    const row = this.store.row(pos) as Row;
    const within = this.spec.within;
    if (within !== undefined && (row[this.spec.timeIndex] as number) - this.time(at.start) >= within) {
      at.threads = [];
      return;
    }
    const program = this.program;
    const op = program.op;
    const next: Thread[] = [];
    const seen = new Set<string | number>();
    this.conditionCache.fill(undefined);
    this.current = pos;
    for (const t of at.threads) {
      if (op[t.pc] !== LABEL) continue; // waiting at `$`, and a row came
      const v = program.a[t.pc] as number;
      const define = this.spec.defines[v];
      let consumed: Thread | undefined;
      if (define === undefined) consumed = this.consume(t, v, pos, row);
      else if (define.historyFree) {
        let ok = this.conditionCache[v];
        if (ok === undefined) {
          this.thread = t;
          this.currentLabel = v;
          ok = define.evaluate(this) === true;
          this.conditionCache[v] = ok;
        }
        if (ok) consumed = this.consume(t, v, pos, row);
      } else {
        const candidate = this.consume(t, v, pos, row);
        this.thread = candidate;
        this.currentLabel = v;
        if (define.evaluate(this) === true) consumed = candidate;
      }
      if (consumed === undefined) continue;
      if (this.add(next, seen, consumed, program.b[t.pc] as number, EMPTY, pos + 1)) break;
    }
    at.threads = next;
  }

  /** The end of the partition: threads at `$` go on; the others can consume nothing more. */
  private endStep(at: Attempt): void {
    const op = this.program.op;
    const next: Thread[] = [];
    const seen = new Set<string | number>();
    for (const t of at.threads) {
      if (op[t.pc] !== END) continue;
      if (this.add(next, seen, t, this.program.a[t.pc] as number, t.fresh, at.pos)) break;
    }
    at.threads = [];
  }

  /** `t` with the row at `pos` mapped to variable `v`. */
  private consume(t: Thread, v: number, pos: number, row: Row): Thread {
    const excluded = this.program.c[t.pc] as number;
    let first = t.first;
    let last = t.last;
    const sets = this.setsOfVariable[v] as number[];
    if (sets.length > 0) {
      const f = [...first];
      const l = [...last];
      for (const s of sets) {
        const fd = this.firstDepth[s] as number;
        if (fd >= 0 && (f[s] as readonly number[]).length <= fd) f[s] = [...(f[s] as readonly number[]), pos];
        const ld = this.lastDepth[s] as number;
        if (ld >= 0) {
          const old = l[s] as readonly number[];
          l[s] = old.length <= ld ? [...old, pos] : [...old.slice(1), pos];
        }
      }
      first = f;
      last = l;
    }
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
    return { pc: t.pc, labels: t.labels + String.fromCharCode((v << 1) | excluded), fresh: EMPTY, first, last, aggs };
  }

  /**
   * Follows `t` from `pc` through the steps that consume no row, depth first
   * in preference order, adding the threads that reach a LABEL (or wait at `$`)
   * to `list`. Returns true at MATCH: what follows is less preferred and is cut.
   */
  private add(list: Thread[], seen: Set<string | number>, t: Thread, pc: number, fresh: readonly number[], pos: number): boolean {
    const program = this.program;
    switch (program.op[pc]) {
      case LABEL: {
        const key = this.key(pc, fresh, t);
        if (seen.has(key)) return false;
        seen.add(key);
        list.push(t.pc === pc && t.fresh === fresh ? t : { ...t, pc, fresh });
        return false;
      }
      case SPLIT:
        if (this.add(list, seen, t, program.a[pc] as number, fresh, pos)) return true;
        return this.add(list, seen, t, program.b[pc] as number, fresh, pos);
      case JUMP:
        return this.add(list, seen, t, program.a[pc] as number, fresh, pos);
      case BEGIN:
        return pos === 0 ? this.add(list, seen, t, program.a[pc] as number, fresh, pos) : false;
      case END: {
        if (pos < this.rec.avail) return false; // a row follows
        if (this.ended) return this.add(list, seen, t, program.a[pc] as number, fresh, pos);
        const key = this.key(pc, fresh, t);
        if (seen.has(key)) return false;
        seen.add(key);
        list.push({ ...t, pc, fresh });
        return false;
      }
      case MARK: {
        const r = program.a[pc] as number;
        return this.add(list, seen, t, program.b[pc] as number, fresh.includes(r) ? fresh : [...fresh, r], pos);
      }
      case ITER: {
        const r = program.a[pc] as number;
        if (fresh.includes(r)) return this.add(list, seen, t, program.c[pc] as number, fresh.filter((x) => x !== r), pos);
        return this.add(list, seen, t, program.b[pc] as number, fresh, pos);
      }
      case MATCH:
        this.attempt.best = { end: pos, labels: t.labels };
        return true;
      default:
        throw new Error(`bad instruction at ${pc}`);
    }
  }

  /** Threads with the same key behave the same from here on: the later (less preferred) one is dropped. */
  private key(pc: number, fresh: readonly number[], t: Thread): string | number {
    if (!this.historyKeys && fresh.length === 0) return pc;
    let k = `${pc}|${fresh.join(',')}`;
    if (!this.historyKeys) return k;
    for (let s = 0; s < this.trackedSets; s++) k += `|${(t.first[s] as readonly number[]).join(',')}/${(t.last[s] as readonly number[]).join(',')}`;
    for (const a of t.aggs) k += `|${slotKey(a)}`;
    return k;
  }

  // ---- MatchEnv for DEFINE: the current thread with the current row just mapped to `currentLabel`.

  position(set: number, fromLast: boolean, offset: number): number {
    if (set < 0) {
      const start = this.attempt.start;
      const p = fromLast ? this.current - offset : start + offset;
      return p >= start && p <= this.current ? p : -1;
    }
    if (fromLast) {
      const l = this.thread.last[set] as readonly number[];
      const i = l.length - 1 - offset;
      return i >= 0 ? (l[i] as number) : -1;
    }
    const f = this.thread.first[set] as readonly number[];
    return offset < f.length ? (f[offset] as number) : -1;
  }

  row(pos: number): Row | undefined {
    if (pos < this.rec.base || pos >= this.rec.avail) return undefined;
    return this.store.row(pos);
  }

  aggregate(index: number): Value {
    const agg = this.spec.aggregates[index] as MatchAggregate;
    return agg.accumulator.result([this.thread.aggs[index]], 0, '');
  }

  classifier(set: number): Value {
    if (set < 0) return this.spec.variableNames[this.currentLabel] ?? null;
    const p = this.position(set, true, 0);
    if (p < 0) return null;
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

/** A canonical string of an accumulator slot, for comparing threads. */
function slotKey(v: unknown): string {
  if (v === null) return 'N';
  if (Array.isArray(v)) return `[${v.map(slotKey).join(',')}]`;
  switch (typeof v) {
    case 'number': return String(v);
    case 'string': return JSON.stringify(v);
    case 'boolean': return v ? 'T' : 'F';
    case 'bigint': return `${v}n`;
    case 'object': {
      const s = (v as { toString(): string }).toString();
      if (s !== '[object Object]') return `${v.constructor.name}:${s}`;
      return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}:${slotKey(x)}`).join(',')}}`;
    }
    default: return String(v);
  }
}
