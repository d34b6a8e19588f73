// Connector options: the WITH (...) of a connector table, checked against what the connector declares.
//
// Every connector lists its options (Flink's names where Flink has the connector).
// `ConnectorOptions.validate` rejects, naming the option and pointing at it:
//   - an option the connector does not know        22023  unknown option "rows-per-sec" for connector "datagen"
//   - a required option that is missing            42601  connector "filesystem" needs option "path"
//   - a value of the wrong kind or out of range    22023  invalid value for option "rows-per-second": "fast"
// Per-column options (`fields.<column>.kind`) name a column of the table.

import { SqlError, SqlState } from '../common/errors.js';
import type { OptionEntry } from '../parser/ast/node.js';
import { STATS_OPTION_PREFIX, declaredStats } from '../planner/stats/hints.js';

export type OptionType =
  | { readonly kind: 'string' }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

export interface OptionSpec {
  /** The key; `#` stands for a column name (`fields.#.kind`). */
  readonly key: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /** What it does, for hints. */
  readonly description: string;
}

export const Opt = {
  string: { kind: 'string' },
  boolean: { kind: 'boolean' },
  duration: { kind: 'duration' },
  bytes: { kind: 'bytes' },
  integer: (min?: number, max?: number): OptionType => ({ kind: 'integer', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }),
  number: (min?: number, max?: number): OptionType => ({ kind: 'number', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }),
  oneOf: (...values: string[]): OptionType => ({ kind: 'enum', values }),
} as const;

function positionOf(entry: OptionEntry | undefined): { position?: number } {
  return entry?.span === undefined ? {} : { position: entry.span.start + 1 };
}

/** Edit distance, for "did you mean" hints on misspelt option names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/**
 * A connector table's options, validated. Keys are case-insensitive (stored lower-case);
 * values keep their case. Getters return typed values, `undefined` when absent.
 */
export class ConnectorOptions {
  private readonly values = new Map<string, { value: string; entry: OptionEntry }>();
  private readonly specs: readonly OptionSpec[];

  private constructor(readonly connector: string, specs: readonly OptionSpec[]) {
    this.specs = specs;
  }

  /**
   * Checks `entries` (without the 'connector' option itself) against `specs`. `columns` are the
   * table's column names, for per-column options.
   */
  static validate(connector: string, entries: readonly OptionEntry[], specs: readonly OptionSpec[], columns: readonly string[]): ConnectorOptions {
    const out = new ConnectorOptions(connector, specs);
    for (const entry of entries) {
      const key = entry.key.toLowerCase();
      if (key === 'connector') continue;
      // Declared statistics are the planner's, for every connector (checked by planner/stats/hints.ts).
      if (key.startsWith(STATS_OPTION_PREFIX)) {
        declaredStats([entry], columns);
        continue;
      }
      if (out.values.has(key)) {
        throw new SqlError(SqlState.syntaxError, `option "${entry.key}" is given more than once`, positionOf(entry));
      }
      const spec = out.specFor(key, columns, entry);
      checkValue(spec, entry);
      out.values.set(key, { value: entry.value, entry });
    }
    for (const spec of specs) {
      if (spec.required && !spec.key.includes('#') && !out.values.has(spec.key)) {
        throw new SqlError(SqlState.syntaxError, `connector "${connector}" needs option "${spec.key}"`, {
          hint: `Add '${spec.key}' = '...' to WITH (...): ${spec.description}.`,
        });
      }
    }
    return out;
  }

  private specFor(key: string, columns: readonly string[], entry: OptionEntry): OptionSpec {
    const exact = this.specs.find((s) => s.key === key);
    if (exact) return exact;
    for (const s of this.specs) {
      if (!s.key.includes('#')) continue;
      const [prefix, suffix] = s.key.split('#') as [string, string];
      if (!key.startsWith(prefix) || !key.endsWith(suffix) || key.length <= prefix.length + suffix.length) continue;
      const column = entry.key.slice(prefix.length, entry.key.length - suffix.length);
      if (!columns.some((c) => c === column || c.toLowerCase() === column.toLowerCase())) {
        throw new SqlError(SqlState.undefinedColumn, `option "${entry.key}" names column "${column}", which the table does not have`, {
          ...positionOf(entry),
          hint: `The table's columns: ${columns.join(', ')}.`,
        });
      }
      return s;
    }
    const known = this.specs.map((s) => s.key);
    const close = known.filter((k) => distance(k, key) <= Math.max(2, Math.floor(key.length / 4)));
    throw new SqlError(SqlState.invalidParameterValue, `unknown option "${entry.key}" for connector "${this.connector}"`, {
      ...positionOf(entry),
      hint: close.length > 0 ? `Did you mean "${close[0]}"?` : `The connector takes: ${known.join(', ')}.`,
    });
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Every option given, lower-case key to value (for per-column options). */
  entries(): [string, string][] {
    return [...this.values].map(([k, v]) => [k, v.value]);
  }

  string(key: string): string | undefined {
    return this.values.get(key)?.value;
  }

  integer(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : Number(v.value.trim());
  }

  number(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : Number(v.value.trim());
  }

  boolean(key: string): boolean | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : v.value.trim().toLowerCase() === 'true';
  }

  /** Milliseconds. */
  duration(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : parseDurationMs(v.value) as number;
  }

  /** Bytes. */
  bytes(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : parseBytesSize(v.value) as number;
  }

  /** An error about option `key`'s value found after validation (a combination, a value that does not parse as the column's type). */
  invalid(key: string, message: string, hint?: string): SqlError {
    const entry = this.values.get(key)?.entry;
    return new SqlError(SqlState.invalidParameterValue, message, { ...positionOf(entry), ...(hint === undefined ? {} : { hint }) });
  }
}

function checkValue(spec: OptionSpec, entry: OptionEntry): void {
  const v = entry.value.trim();
  const bad = (expected: string): SqlError =>
    new SqlError(SqlState.invalidParameterValue, `invalid value for option "${entry.key}": "${entry.value}"`, {
      ...positionOf(entry),
      detail: `Expected ${expected}.`,
      hint: `"${spec.key}": ${spec.description}.`,
    });
  const t = spec.type;
  switch (t.kind) {
    case 'string':
      return;
    case 'boolean':
      if (v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false') throw bad('true or false');
      return;
    case 'integer':
    case 'number': {
      const n = Number(v);
      const ok = v !== '' && Number.isFinite(n) && (t.kind === 'number' || Number.isSafeInteger(n));
      const range = t.min !== undefined && t.max !== undefined ? ` from ${t.min} to ${t.max}`
        : t.min !== undefined ? ` of at least ${t.min}` : t.max !== undefined ? ` of at most ${t.max}` : '';
      const what = `${t.kind === 'integer' ? 'an integer' : 'a number'}${range}`;
      if (!ok || (t.min !== undefined && n < t.min) || (t.max !== undefined && n > t.max)) throw bad(what);
      return;
    }
    case 'duration':
      if (parseDurationMs(v) === undefined) throw bad("a duration such as '1s', '500 ms' or '1 min'");
      return;
    case 'bytes':
      if (parseBytesSize(v) === undefined) throw bad("a size such as '128mb', '64kb' or '100b'");
      return;
    case 'enum':
      if (!t.values.includes(v.toLowerCase())) throw bad(`one of ${t.values.map((x) => `'${x}'`).join(', ')}`);
      return;
    default: {
      const unreachable: never = t;
      throw new Error(`unknown option type ${String(unreachable)}`);
    }
  }
}

/** `1s`, `500 ms`, `1 min`, `2h`, `100` (milliseconds) as Flink reads durations; undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hour|hours|d|day|days)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return n;
  if (unit.startsWith('s')) return n * 1000;
  if (unit === 'm' || unit.startsWith('min')) return n * 60_000;
  if (unit.startsWith('h')) return n * 3_600_000;
  return n * 86_400_000;
}

/** `128mb`, `64 kb`, `100b`, `1gb`, `4096` (bytes); undefined when it is not a size. */
export function parseBytesSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(b|bytes|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  if (unit.startsWith('k')) return n * 1024;
  if (unit.startsWith('m')) return n * 1024 * 1024;
  if (unit.startsWith('g')) return n * 1024 * 1024 * 1024;
  return n;
}
