// Test harness for operators: feed changelogs written as text tables, collect the output, fold it into a table.

import { compareValues } from '../../common/compare.js';
import { Decimal } from '../../common/decimal.js';
import { rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, changeKindLabels, type ChangeKind } from '../../executor/change.js';
import type { StreamOperator } from '../../executor/operator.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';

export type Change = readonly [ChangeKind, Row];

export interface HarnessOptions {
  /** Defaults to a fresh backend that copies values, so a missing `put` shows up as a wrong result. */
  readonly backend?: MemoryStateBackend;
  readonly operatorId?: string;
  readonly now?: () => number;
}

/**
 * Runs one operator on a memory backend and records what it emits.
 *
 * @example
 *   const h = new Harness(new Calc({ predicate: (r) => r[0] === 1 }));
 *   expect(h.feed('+I 1 a\n+I 2 b')).to.equal(table('+I 1 a'));
 */
export class Harness {
  readonly backend: MemoryStateBackend;
  readonly operatorId: string;
  /** Every change emitted since the operator was opened. */
  readonly output: Change[] = [];
  readonly watermarks: number[] = [];

  private readonly now: () => number;
  private current: StreamOperator;

  constructor(operator: StreamOperator, options: HarnessOptions = {}) {
    this.backend = options.backend ?? new MemoryStateBackend({ copyValues: true });
    this.operatorId = options.operatorId ?? 'test/op';
    this.now = options.now ?? (() => 0);
    this.current = operator;
    this.openCurrent();
  }

  get operator(): StreamOperator {
    return this.current;
  }

  /**
   * Snapshots the running operator, closes it, and opens `fresh` (a new
   * instance built the same way) on the same state, as recovery does; the
   * output log carries on.
   */
  restart(fresh: StreamOperator, checkpointId = 1): void {
    this.current.snapshot(checkpointId);
    this.current.close();
    this.current = fresh;
    this.openCurrent();
  }

  private openCurrent(): void {
    const output = this.output;
    const watermarks = this.watermarks;
    this.current.open({
      state: this.backend.forOperator(this.operatorId),
      now: this.now,
      output: {
        emit(batch: ChangeBatch): void {
          for (let i = 0; i < batch.length; i++) output.push([batch.kinds[i] as ChangeKind, batch.rows[i] as Row]);
        },
        emitWatermark(w: number): void {
          watermarks.push(w);
        },
      },
    });
  }

  /** Pushes one batch into `input`; returns the changes emitted meanwhile. */
  push(changes: readonly Change[], input = 0): Change[] {
    const before = this.output.length;
    this.operator.processBatch(input, ChangeBatch.of(changes));
    return this.output.slice(before);
  }

  /** Pushes a batch written as text (see parseChanges); returns the emitted changes as text. */
  feed(text: string, input = 0): string {
    return formatChanges(this.push(parseChanges(text), input));
  }

  /** The output so far folded into its final rows, sorted, as text. */
  table(): string {
    return formatRows(consolidate(this.output));
  }

  watermark(w: number, input = 0): number[] {
    const before = this.watermarks.length;
    this.operator.processWatermark(input, w);
    return this.watermarks.slice(before);
  }
}

/**
 * Folds a changelog into the multiset of rows it leaves, sorted. Throws when
 * a change retracts a row that is not there: a correct changelog never does.
 */
export function consolidate(changes: Iterable<Change>): Row[] {
  const counts = new Map<string, { row: Row; n: number }>();
  for (const [kind, row] of changes) {
    const k = rowKey(row);
    const w = kind === 1 || kind === 3 ? -1 : 1;
    const e = counts.get(k);
    const n = (e?.n ?? 0) + w;
    if (n < 0) throw new Error(`changelog retracts a row that is not there: ${changeKindLabels[kind]} ${formatRow(row)}`);
    if (n === 0) counts.delete(k);
    else if (e) e.n = n;
    else counts.set(k, { row, n });
  }
  const rows: Row[] = [];
  for (const { row, n } of counts.values()) for (let i = 0; i < n; i++) rows.push(row);
  return rows.sort(compareRows);
}

/** The same multiset of rows, sorted (for comparing with a from-scratch computation). */
export function sortRows(rows: readonly Row[]): Row[] {
  return [...rows].sort(compareRows);
}

export function compareRows(a: Row, b: Row): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i] as Value, b[i] as Value);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// ---- text tables ---------------------------------------------------------
// One change per line: a kind (+I -U +U -D) then the row's values separated by
// spaces. NULL, true, false, numbers (1, -2.5, NaN), decimals with a `d` suffix
// (1.50d), 'quoted strings' ('' for a quote) and bare words (strings).

const kindOf: Record<string, ChangeKind> = { '+I': 0, '-U': 1, '+U': 2, '-D': 3 };

export function parseChanges(text: string): Change[] {
  const out: Change[] = [];
  for (const line of lines(text)) {
    const tokens = tokenize(line);
    const kind = kindOf[tokens[0] ?? ''];
    if (kind === undefined) throw new Error(`bad change kind in "${line}"`);
    out.push([kind, tokens.slice(1).map(parseValue)]);
  }
  return out;
}

export function parseRows(text: string): Row[] {
  return lines(text).map((l) => tokenize(l).map(parseValue));
}

export function formatChanges(changes: readonly Change[]): string {
  return changes.map(([k, r]) => `${changeKindLabels[k]} ${formatRow(r)}`.trimEnd()).join('\n');
}

export function formatRows(rows: readonly Row[]): string {
  return rows.map(formatRow).join('\n');
}

/** A text table as the harness prints it: lines trimmed, blank lines dropped, runs of spaces collapsed. */
export function table(text: string): string {
  return lines(text).join('\n');
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l.length > 0);
}

function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue; }
    if (line[i] === "'") {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= line.length) throw new Error(`unterminated string in "${line}"`);
        if (line[j] === "'") {
          if (line[j + 1] === "'") { s += "'"; j += 2; continue; }
          break;
        }
        s += line[j];
        j++;
      }
      out.push(`'${s}`);
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== ' ') j++;
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

const numberPattern = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseValue(token: string): Value {
  if (token.startsWith("'")) return token.slice(1);
  if (token === 'NULL') return null;
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'NaN') return Number.NaN;
  if (token === 'Infinity') return Number.POSITIVE_INFINITY;
  if (token === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (token.endsWith('d') && numberPattern.test(token.slice(0, -1))) return Decimal.parse(token.slice(0, -1)) as Decimal;
  if (numberPattern.test(token)) return Number(token);
  return token;
}

export function formatRow(row: Row): string {
  return row.map(formatValue).join(' ');
}

function formatValue(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') {
    const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && !['NULL', 'true', 'false', 'NaN', 'Infinity'].includes(v);
    return bare ? v : `'${v.replace(/'/g, "''")}'`;
  }
  if (v instanceof Decimal) return `${v.toString()}d`;
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `[${(v as readonly Value[]).map(formatValue).join(',')}]`;
  return String(v);
}

/** A small deterministic PRNG (mulberry32), so a failing random test reproduces from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random subset of a multiset to retract: removes and returns up to `n` random rows of `live`. */
export function takeRandom(live: Row[], n: number, r: () => number): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < n && live.length > 0; i++) {
    const j = Math.floor(r() * live.length);
    out.push(live[j] as Row);
    live[j] = live[live.length - 1] as Row;
    live.pop();
  }
  return out;
}
