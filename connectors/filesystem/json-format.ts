// JSON lines: one object per line, a key per column (Flink's 'json' format).
//
// Numbers are written exactly (DECIMAL as its digits, not through a double), timestamps
// and dates as SQL text, bytes in base64, ROW as an object, ARRAY as an array, MAP as an
// object. Reading accepts the same, a missing key as NULL, and names the column (and
// the character it starts at) of a value that does not fit.

import type { DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { fitDecimal, formatValue, parseValue } from '../../common/pg-text.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Value } from '../../common/value.js';
import type { StoredColumn } from '../registry.js';
import { FieldError, type TextCodec } from './format.js';

export class JsonCodec implements TextCodec {
  readonly quotes = false;

  constructor(private readonly columns: readonly StoredColumn[]) {}

  decode(record: string): Value[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(record);
    } catch (e) {
      const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
      throw new FieldError(m ? Number(m[1]) + 1 : 1, undefined, new SqlError(SqlState.invalidTextRepresentation, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new FieldError(1, undefined, new SqlError(SqlState.invalidTextRepresentation, 'a JSON line must be an object'));
    }
    const obj = parsed as Record<string, unknown>;
    return this.columns.map((c) => {
      const raw = c.name in obj ? obj[c.name] : keyIgnoringCase(obj, c.name);
      try {
        const v = raw === undefined ? null : fromJson(raw, c.type);
        if (v === null && !c.nullable) throw new SqlError(SqlState.notNullViolation, `null value in column "${c.name}" violates not-null constraint`);
        return v;
      } catch (e) {
        throw new FieldError(valueColumn(record, c.name), c.name, e);
      }
    });
  }

  encode(row: readonly unknown[]): string {
    const parts: string[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i] as StoredColumn;
      parts.push(`${JSON.stringify(c.name)}:${toJson(row[i] as Value, c.type)}`);
    }
    return `{${parts.join(',')}}`;
  }
}

function keyIgnoringCase(obj: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** The 1-based character where the value of key `name` starts, or 1 when it cannot be found. */
function valueColumn(record: string, name: string): number {
  const at = record.indexOf(`${JSON.stringify(name)}`);
  if (at < 0) return 1;
  const colon = record.indexOf(':', at);
  let i = colon + 1;
  while (i < record.length && record[i] === ' ') i++;
  return i + 1;
}

function mismatch(type: DataType, raw: unknown): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `cannot read JSON ${JSON.stringify(raw)} as ${type.kind.toLowerCase().replace('_', ' ')}`);
}

function fromJson(raw: unknown, type: DataType): Value {
  if (raw === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof raw === 'boolean') return raw;
      break;
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': case 'FLOAT': case 'DOUBLE':
      if (typeof raw === 'number') return parseValue(String(raw), type);
      if (typeof raw === 'string') return parseValue(raw, type);
      break;
    case 'DECIMAL':
      if (typeof raw === 'number' || typeof raw === 'string') {
        const d = Decimal.parse(String(raw));
        if (d === undefined) break;
        return fitDecimal(d, type.precision, type.scale);
      }
      break;
    case 'BYTES':
      if (typeof raw === 'string') return new Uint8Array(Buffer.from(raw, 'base64'));
      break;
    case 'ARRAY':
      if (Array.isArray(raw)) return raw.map((x) => fromJson(x, type.element));
      break;
    case 'ROW':
      if (typeof raw === 'object' && !Array.isArray(raw)) {
        const obj = raw as Record<string, unknown>;
        return type.fields.map((f) => (f.name in obj ? fromJson(obj[f.name], f.type) : null));
      }
      break;
    case 'MAP':
      if (typeof raw === 'object' && !Array.isArray(raw)) {
        const m = new Map<Value, Value>();
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) m.set(parseValue(k, type.key), fromJson(v, type.value));
        return m;
      }
      break;
    case 'NULL':
      return null;
    default:
      // Strings, dates, times, timestamps and intervals are written as text.
      if (typeof raw === 'string') return parseValue(raw, type);
      if (typeof raw === 'number' && (type.kind === 'VARCHAR' || type.kind === 'CHAR')) return parseValue(String(raw), type);
  }
  throw mismatch(type, raw);
}

function toJson(v: Value, type: DataType): string {
  if (v === null) return 'null';
  switch (type.kind) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return String(v);
    case 'FLOAT': case 'DOUBLE': {
      const n = v as number;
      // JSON has no NaN or infinities: write them as strings, which reading accepts.
      return Number.isFinite(n) ? String(n) : JSON.stringify(String(n));
    }
    case 'DECIMAL': return (formatValue(v, type) as string);
    case 'BYTES': return JSON.stringify(Buffer.from(v as Uint8Array).toString('base64'));
    case 'ARRAY': return `[${(v as readonly Value[]).map((x) => toJson(x, type.element)).join(',')}]`;
    case 'ROW': return `{${type.fields.map((f, i) => `${JSON.stringify(f.name)}:${toJson((v as readonly Value[])[i] ?? null, f.type)}`).join(',')}}`;
    case 'MAP': {
      const parts: string[] = [];
      for (const [k, x] of v as ReadonlyMap<Value, Value>) parts.push(`${JSON.stringify(formatValue(k, type.key) ?? 'null')}:${toJson(x, type.value)}`);
      return `{${parts.join(',')}}`;
    }
    default: return JSON.stringify(formatValue(v, type));
  }
}
