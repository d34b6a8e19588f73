// The `datagen` connector: rows of random or sequential values, with Flink's options, seeded and deterministic.
//
//   CREATE TABLE orders (id BIGINT, amount INT, ts TIMESTAMP(3),
//                        WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
//   WITH ('connector' = 'datagen', 'rows-per-second' = '100', 'number-of-rows' = '1000',
//         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
//         'fields.amount.min' = '1', 'fields.amount.max' = '100');
//
// Row i is drawn from a generator seeded with (seed, i), so a run is deterministic and
// a reader resumes at any row (its offset is the row number). A sequence field gives
// start + i and bounds the table at its end. Where Flink makes timestamps from the wall
// clock (now minus a random 'max-past'), Eddy makes them from the row number: row i
// happens at 'start-time' + i / rows-per-second, minus a random 'max-past', so event
// time is deterministic too and advances at the configured rate.

import type { DataType } from '../../common/data-type.js';
import { microsOfDay, microsToDays, parseTimestamp } from '../../common/datetime.js';
import { Decimal } from '../../common/decimal.js';
import { SqlError, SqlState } from '../../common/errors.js';
import { parseValue } from '../../common/pg-text.js';
import type { Row, Value } from '../../common/value.js';
import { EventRandom } from '../nexmark/generator.js';
import { Opt, type ConnectorOptions, type OptionSpec } from '../options.js';
import type { Connector, ConnectorContext, StoredColumn } from '../registry.js';
import type { Source, SourceOffset, SourceRead, SourceReader } from '../source.js';

/** 2020-01-01 00:00:00 UTC in microseconds: the default time of row 0. */
const DEFAULT_START_TIME = 1_577_836_800_000_000;
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

type FieldGen = (r: EventRandom, row: number, rowTime: number) => Value;

interface FieldPlan {
  readonly gen: FieldGen;
  /** A sequence field: how many values it has (it bounds the table). */
  readonly count?: number;
}

const integerRange: Partial<Record<DataType['kind'], readonly [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  BIGINT: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function fieldOption(o: ConnectorOptions, column: string, suffix: string): { key: string; value: string } | undefined {
  // Column names in option keys may be written in any case.
  const want = `fields.${column}.${suffix}`.toLowerCase();
  const hit = o.entries().find(([k]) => k === want);
  return hit === undefined ? undefined : { key: hit[0], value: hit[1] };
}

function valueOption(o: ConnectorOptions, key: string, text: string, type: DataType): Value {
  try {
    return parseValue(text, type);
  } catch (e) {
    throw o.invalid(key, `invalid value for option "${key}": "${text}"`, `It must be a value of the column's type: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

function numberOf(v: Value): number {
  return v instanceof Decimal ? v.toNumber() : (v as number);
}

/** How one column is generated, from its type and its fields.<column>.* options. */
function planField(o: ConnectorOptions, c: StoredColumn): FieldPlan {
  const opt = (s: string) => fieldOption(o, c.name, s);
  const kind = (opt('kind')?.value ?? 'random').toLowerCase();
  const t = c.type;
  const nullRate = Number(opt('null-rate')?.value ?? '0');
  const misuse = (suffix: string, why: string): void => {
    const given = opt(suffix);
    if (given !== undefined) throw o.invalid(given.key, `option "${given.key}" does not apply: ${why}`);
  };
  const isNumeric = integerRange[t.kind] !== undefined || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
  const isText = t.kind === 'VARCHAR' || t.kind === 'CHAR' || t.kind === 'BYTES';
  const isTime = t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ' || t.kind === 'DATE' || t.kind === 'TIME';
  if (!isText) misuse('length', `column "${c.name}" is not a string or bytes column`);
  if (!isText) misuse('var-len', `column "${c.name}" is not a string or bytes column`);
  if (!isTime) misuse('max-past', `column "${c.name}" is not a date or time column`);

  let plan: FieldPlan;
  if (kind === 'sequence') {
    misuse('min', 'a sequence field takes start and end');
    misuse('max', 'a sequence field takes start and end');
    const start = opt('start');
    const end = opt('end');
    if (start === undefined || end === undefined) {
      throw new SqlError(SqlState.syntaxError, `connector "datagen" needs options "fields.${c.name}.start" and "fields.${c.name}.end" for the sequence field "${c.name}"`);
    }
    if (integerRange[t.kind] === undefined && t.kind !== 'DECIMAL' && t.kind !== 'VARCHAR' && t.kind !== 'CHAR') {
      throw o.invalid(opt('kind')?.key ?? 'fields', `a sequence field must be an integer, decimal or string column, not "${c.name}" of type ${t.kind}`);
    }
    const bigint: DataType = { kind: 'BIGINT' };
    const s = valueOption(o, start.key, start.value, bigint) as number;
    const e = valueOption(o, end.key, end.value, bigint) as number;
    if (e < s) throw o.invalid(end.key, `option "${end.key}" (${e}) is below "${start.key}" (${s})`);
    const range = integerRange[t.kind];
    if (range !== undefined && (s < range[0] || e > range[1])) throw o.invalid(end.key, `the sequence ${s} to ${e} does not fit column "${c.name}" of type ${t.kind}`);
    const gen: FieldGen = t.kind === 'DECIMAL' ? (_r, i) => new Decimal(BigInt(s + i), 0).rescale(t.scale)
      : t.kind === 'VARCHAR' || t.kind === 'CHAR' ? (_r, i) => String(s + i)
      : (_r, i) => s + i;
    plan = { gen, count: e - s + 1 };
  } else {
    misuse('start', 'start and end are for sequence fields');
    misuse('end', 'start and end are for sequence fields');
    if (!isNumeric) misuse('min', `column "${c.name}" is not numeric`);
    if (!isNumeric) misuse('max', `column "${c.name}" is not numeric`);
    plan = { gen: randomField(o, c, opt) };
  }
  if (nullRate > 0) {
    const inner = plan.gen;
    return { ...plan, gen: (r, i, time) => (r.next() < nullRate ? null : inner(r, i, time)) };
  }
  return plan;
}

function randomField(o: ConnectorOptions, c: StoredColumn, opt: (s: string) => { key: string; value: string } | undefined): FieldGen {
  const t = c.type;
  const bound = (suffix: 'min' | 'max', fallback: number): number => {
    const given = opt(suffix);
    return given === undefined ? fallback : numberOf(valueOption(o, given.key, given.value, t));
  };
  const range = integerRange[t.kind];
  if (range !== undefined) {
    const min = bound('min', range[0]);
    const max = bound('max', range[1]);
    if (max < min) throw o.invalid(opt('max')?.key ?? '', `option "fields.${c.name}.max" (${max}) is below "fields.${c.name}.min" (${min})`);
    return (r) => min + r.nextLong(max - min + 1);
  }
  switch (t.kind) {
    case 'BOOLEAN': return (r) => r.next() < 0.5;
    case 'FLOAT': case 'DOUBLE': {
      const min = bound('min', 0);
      const max = bound('max', 1_000_000);
      return t.kind === 'FLOAT' ? (r) => Math.fround(min + r.next() * (max - min)) : (r) => min + r.next() * (max - min);
    }
    case 'DECIMAL': {
      const limit = 10 ** (t.precision - t.scale) - 1;
      const min = bound('min', -Math.min(limit, 1e15));
      const max = bound('max', Math.min(limit, 1e15));
      const unit = 10 ** t.scale;
      return (r) => new Decimal(BigInt(Math.round((min + r.next() * (max - min)) * unit)), t.scale);
    }
    case 'VARCHAR': case 'CHAR': case 'BYTES': {
      const declared = t.kind === 'CHAR' ? t.length : t.kind === 'VARCHAR' ? t.length : null;
      const lengthOpt = opt('length');
      let length = lengthOpt === undefined ? Math.min(100, declared ?? 100) : Number(lengthOpt.value);
      if (!Number.isSafeInteger(length) || length < 0) throw o.invalid(lengthOpt?.key ?? '', `invalid value for option "fields.${c.name}.length": "${lengthOpt?.value}"`, 'Use a whole number of characters.');
      if (declared !== null && length > declared) {
        throw o.invalid(lengthOpt?.key ?? '', `option "fields.${c.name}.length" (${length}) is longer than column "${c.name}" (${t.kind}(${declared}))`);
      }
      if (t.kind === 'CHAR') length = t.length;
      const varLen = opt('var-len')?.value.toLowerCase() === 'true';
      if (t.kind === 'BYTES') {
        return (r) => {
          const n = varLen ? r.nextInt(length + 1) : length;
          const b = new Uint8Array(n);
          for (let i = 0; i < n; i++) b[i] = r.nextInt(256);
          return b;
        };
      }
      return (r) => {
        const n = varLen && t.kind !== 'CHAR' ? r.nextInt(length + 1) : length;
        let s = '';
        for (let i = 0; i < n; i++) s += ALPHANUMERIC[r.nextInt(ALPHANUMERIC.length)];
        return s;
      };
    }
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': case 'DATE': case 'TIME': {
      const pastOpt = opt('max-past');
      const maxPastMs = pastOpt === undefined ? 0 : parseDurationOrThrow(o, pastOpt.key, pastOpt.value);
      const maxPast = maxPastMs * 1000;
      const at = (r: EventRandom, time: number): number => (maxPast > 0 ? time - r.nextLong(maxPast + 1) : time);
      const precision = t.kind === 'DATE' ? 6 : t.precision;
      const unit = 10 ** (6 - Math.min(6, precision));
      if (t.kind === 'DATE') return (r, _i, time) => microsToDays(at(r, time));
      if (t.kind === 'TIME') return (r, _i, time) => Math.floor(microsOfDay(at(r, time)) / unit) * unit;
      return (r, _i, time) => Math.floor(at(r, time) / unit) * unit;
    }
    default:
      throw new SqlError(SqlState.featureNotSupported, `datagen cannot generate column "${c.name}" of type ${t.kind}`, {
        hint: 'Generate scalar columns and build composite values in a view.',
      });
  }
}

function parseDurationOrThrow(o: ConnectorOptions, key: string, text: string): number {
  const m = /^\s*(\d+)\s*(ms|s|sec|min|m|h|d)?\s*$/i.exec(text);
  if (!m) throw o.invalid(key, `invalid value for option "${key}": "${text}"`, "Write a duration such as '5s' or '1 min'.");
  const n = Number(m[1]);
  const u = (m[2] ?? 'ms').toLowerCase();
  return u === 'ms' ? n : u === 's' || u === 'sec' ? n * 1000 : u === 'm' || u === 'min' ? n * 60_000 : u === 'h' ? n * 3_600_000 : n * 86_400_000;
}

interface DatagenPlan {
  readonly fields: readonly FieldPlan[];
  /** Rows in the table; undefined: endless. */
  readonly rows: number | undefined;
  readonly rowsPerSecond: number;
  readonly seed: number;
  readonly startTime: number;
}

function planDatagen(ctx: Pick<ConnectorContext, 'options' | 'columns'>): DatagenPlan {
  const o = ctx.options;
  const fields = ctx.columns.map((c) => planField(o, c));
  let rows = o.integer('number-of-rows');
  for (const f of fields) if (f.count !== undefined) rows = rows === undefined ? f.count : Math.min(rows, f.count);
  let startTime = DEFAULT_START_TIME;
  const st = o.string('start-time');
  if (st !== undefined) {
    try {
      startTime = parseTimestamp(st);
    } catch {
      throw o.invalid('start-time', `invalid value for option "start-time": "${st}"`, "Write a timestamp such as '2024-01-01 00:00:00'.");
    }
  }
  return { fields, rows, rowsPerSecond: o.number('rows-per-second') ?? 10_000, seed: o.integer('seed') ?? 0, startTime };
}

class DatagenReader implements SourceReader {
  private next = 0;
  private readonly r = new EventRandom();
  /** The row the pacing counts from, and the wall-clock time it started (a resumed reader paces from its offset). */
  private paceFrom = 0;
  private startWall: number;

  constructor(private readonly plan: DatagenPlan, private readonly clock: (() => number) | undefined) {
    this.startWall = clock?.() ?? 0;
  }

  read(max: number): SourceRead {
    const p = this.plan;
    let end = this.next + max;
    if (p.rows !== undefined && end > p.rows) end = p.rows;
    if (this.clock !== undefined) {
      const due = this.paceFrom + Math.floor(((this.clock() - this.startWall) * p.rowsPerSecond) / 1_000_000) + 1;
      if (due <= this.next) return { rows: [], status: 'wait', retryMs: Math.max(1, Math.ceil(1000 / p.rowsPerSecond)) };
      if (end > due) end = due;
    }
    const out: Row[] = [];
    const r = this.r;
    const fields = p.fields;
    const step = 1_000_000 / p.rowsPerSecond;
    for (let i = this.next; i < end; i++) {
      r.reseed(p.seed, i);
      const time = p.startTime + Math.floor(i * step);
      const row: Value[] = new Array<Value>(fields.length);
      for (let f = 0; f < fields.length; f++) row[f] = (fields[f] as FieldPlan).gen(r, i, time);
      out.push(row);
    }
    this.next = end;
    return { rows: out, status: p.rows !== undefined && end >= p.rows ? 'end' : 'more' };
  }

  offset(): SourceOffset {
    return { row: this.next };
  }

  seek(offset: SourceOffset): void {
    const n = offset['row'];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new SqlError(SqlState.invalidParameterValue, `invalid datagen offset ${JSON.stringify(offset)}`);
    this.next = n;
    this.paceFrom = n;
    this.startWall = this.clock?.() ?? 0;
  }

  close(): void {}
}

const options: readonly OptionSpec[] = [
  { key: 'rows-per-second', type: Opt.number(0.001), description: 'rows generated per second of wall-clock time (and the spacing of generated timestamps)' },
  { key: 'number-of-rows', type: Opt.integer(0), description: 'how many rows the table has; without it the table is endless' },
  { key: 'seed', type: Opt.integer(0, 0xffffffff), description: 'the random seed: the same seed and options make the same rows' },
  { key: 'start-time', type: Opt.string, description: "the time of row 0 for timestamp columns ('2020-01-01 00:00:00' by default)" },
  { key: 'scan.parallelism', type: Opt.integer(1, 1), description: "accepted for Flink's DDL; Eddy reads with one reader" },
  { key: 'fields.#.kind', type: Opt.oneOf('random', 'sequence'), description: "how a column is generated: 'random' or 'sequence'" },
  { key: 'fields.#.min', type: Opt.string, description: 'the smallest random value of a numeric column' },
  { key: 'fields.#.max', type: Opt.string, description: 'the largest random value of a numeric column' },
  { key: 'fields.#.max-past', type: Opt.duration, description: 'how far a random timestamp may lie before the row time' },
  { key: 'fields.#.length', type: Opt.integer(0), description: 'the length of a random string or bytes value' },
  { key: 'fields.#.var-len', type: Opt.boolean, description: 'random strings of random length up to fields.<column>.length' },
  { key: 'fields.#.start', type: Opt.string, description: 'the first value of a sequence column' },
  { key: 'fields.#.end', type: Opt.string, description: 'the last value of a sequence column' },
  { key: 'fields.#.null-rate', type: Opt.number(0, 1), description: 'the fraction of rows where the column is NULL' },
];

export const datagenConnector: Connector = {
  name: 'datagen',
  options,
  check: (ctx) => {
    planDatagen(ctx);
  },
  source: (ctx): Source => {
    const plan = planDatagen(ctx);
    return {
      connector: 'datagen',
      boundedness: plan.rows === undefined ? 'endless' : 'bounded',
      open: (o) => new DatagenReader(plan, o.throttle ? ctx.now : undefined),
    };
  },
};
