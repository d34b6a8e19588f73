// Arrow IPC files: record batches at the file boundary, converted to and from Eddy's rows.
//
// Columns are matched to the file's fields by name. 64-bit integers, timestamps and
// times are read from the raw buffers (Arrow's getters turn timestamps into fractional
// milliseconds), and written the same way, so microseconds survive exactly.

import {
  Binary, Bool, type DataType as ArrowType, DateDay, Decimal as ArrowDecimal, Field, Float32, Float64, Int16, Int32, Int64, Int8,
  makeBuilder, makeData, RecordBatch, RecordBatchReader, Schema, Struct, Table, tableToIPC, TimeMicrosecond, TimestampMicrosecond, Utf8,
  type Vector, type Data,
} from 'apache-arrow';
import type { DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { SqlError, SqlState } from '../../common/errors.js';
import { fitDecimal, parseValue } from '../../common/pg-text.js';
import type { Row, Value } from '../../common/value.js';
import type { StoredColumn } from '../registry.js';
import { FieldError } from './format.js';

/** Arrow type ids (apache-arrow's Type enum). */
const T = { Int: 2, Float: 3, Binary: 4, Utf8: 5, Bool: 6, Decimal: 7, Date: 8, Time: 9, Timestamp: 10, LargeUtf8: 20, LargeBinary: 19 } as const;

/** Microseconds per unit of Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const MICROS_PER_UNIT = [1_000_000, 1_000, 1, 0.001];

function arrowTypeOf(t: DataType): ArrowType {
  switch (t.kind) {
    case 'BOOLEAN': return new Bool();
    case 'TINYINT': return new Int8();
    case 'SMALLINT': return new Int16();
    case 'INT': return new Int32();
    case 'BIGINT': return new Int64();
    case 'FLOAT': return new Float32();
    case 'DOUBLE': return new Float64();
    case 'DECIMAL': return new ArrowDecimal(t.scale, t.precision, 128);
    case 'VARCHAR': case 'CHAR': return new Utf8();
    case 'BYTES': return new Binary();
    case 'DATE': return new DateDay();
    case 'TIME': return new TimeMicrosecond();
    case 'TIMESTAMP': return new TimestampMicrosecond();
    case 'TIMESTAMP_LTZ': return new TimestampMicrosecond('UTC');
    default: throw new SqlError(SqlState.featureNotSupported, `format "arrow" cannot hold values of type ${t.kind}`);
  }
}

/** A validity bitmap (1 = valid, least significant bit first) and the null count. */
function validity(values: readonly Value[]): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

function decimalWords(d: Decimal): Uint32Array {
  let x = BigInt.asUintN(128, d.unscaled);
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    w[i] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
  return w;
}

function columnData(values: readonly Value[], t: DataType): Data {
  const type = arrowTypeOf(t);
  if (t.kind === 'BIGINT' || t.kind === 'TIME' || t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') {
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null) data[i] = BigInt(v as number);
    }
    const { bitmap, nulls } = validity(values);
    return makeData({ type: type as Int64, length: values.length, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : null, data }) as Data;
  }
  const builder = makeBuilder({ type, nullValues: [null, undefined] });
  for (const v of values) {
    if (v === null) builder.append(null);
    else if (t.kind === 'DECIMAL') builder.append(decimalWords((v as Decimal).rescale(t.scale)));
    else if (t.kind === 'DATE') builder.append(new Date((v as number) * 86_400_000));
    else builder.append(v);
  }
  return builder.finish().toVector().data[0] as Data;
}

/** Rows (of `columns`) as one Arrow IPC file. */
export function encodeArrowFile(rows: readonly Row[], columns: readonly StoredColumn[]): Uint8Array {
  const fields = columns.map((c) => new Field(c.name, arrowTypeOf(c.type), c.nullable));
  const schema = new Schema(fields);
  const batches: RecordBatch[] = [];
  const BATCH = 65_536;
  for (let start = 0; start < rows.length || (start === 0 && batches.length === 0); start += BATCH) {
    const slice = rows.slice(start, start + BATCH);
    const children = columns.map((c, j) => columnData(slice.map((r) => r[j] as Value), c.type));
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: slice.length, nullCount: 0, children })));
    if (rows.length === 0) break;
  }
  return tableToIPC(new Table(schema, batches), 'file');
}

function raw64(data: Data, i: number): bigint {
  return (data.values as unknown as BigInt64Array)[data.offset + i] as bigint;
}

/** A value of an Arrow column, as the SQL type `t` holds it. */
function readValue(vector: Vector, data: Data, i: number, t: DataType): Value {
  if (!vector.isValid(i)) return null;
  const at = data.type;
  const id = at.typeId as number;
  let v: unknown;
  if (id === T.Timestamp || (id === T.Time && (at as TimeMicrosecond).bitWidth === 64)) {
    const unit = (at as TimestampMicrosecond).unit as number;
    v = Math.floor(Number(raw64(data, i)) * (MICROS_PER_UNIT[unit] as number));
  } else if (id === T.Time) {
    v = Number(vector.get(i)) * (MICROS_PER_UNIT[(at as TimeMicrosecond).unit as number] as number);
  } else if (id === T.Date) {
    v = Math.floor((vector.get(i) as number) / 86_400_000);
  } else if (id === T.Decimal) {
    const words = vector.get(i) as Uint32Array;
    let x = 0n;
    for (let w = words.length - 1; w >= 0; w--) x = (x << 32n) | BigInt(words[w] as number);
    v = new Decimal(BigInt.asIntN(words.length * 32, x), (at as ArrowDecimal).scale);
  } else {
    v = vector.get(i);
  }
  return coerce(v, t);
}

/** Converts what Arrow held into the column's representation, checking it fits. */
function coerce(v: unknown, t: DataType): Value {
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SqlError(SqlState.numericValueOutOfRange, `value ${v} is out of range for type bigint`);
    }
    v = Number(v);
  }
  switch (t.kind) {
    case 'VARCHAR': case 'CHAR':
      return parseValue(String(v), t);
    case 'BYTES':
      if (v instanceof Uint8Array) return v;
      break;
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      break;
    case 'DECIMAL':
      if (v instanceof Decimal) return fitDecimal(v, t.precision, t.scale);
      if (typeof v === 'number') return parseValue(String(v), t);
      break;
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': case 'FLOAT': case 'DOUBLE':
      if (typeof v === 'number') return parseValue(String(v), t);
      if (v instanceof Decimal) return parseValue(v.toString(), t);
      break;
    case 'DATE': case 'TIME': case 'TIMESTAMP': case 'TIMESTAMP_LTZ':
      if (typeof v === 'number') return v;
      break;
    default:
      break;
  }
  if (typeof v === 'string') return parseValue(v, t);
  throw new SqlError(SqlState.datatypeMismatch, `cannot read Arrow value ${String(v)} as ${t.kind.toLowerCase()}`);
}

/**
 * The rows of an Arrow IPC file (file or stream format), for `columns` matched by name.
 * A value that does not fit throws FieldError; `onRow` receives each row with its 1-based number.
 */
export function* decodeArrowFile(bytes: Uint8Array, columns: readonly StoredColumn[], from: number): Generator<Row | FieldErrorAt> {
  const reader = RecordBatchReader.from(bytes);
  let rowNumber = 0;
  let mapping: number[] | undefined;
  for (const batch of reader) {
    if (mapping === undefined) mapping = mapColumns(batch.schema, columns);
    if (rowNumber + batch.numRows <= from) {
      rowNumber += batch.numRows;
      continue;
    }
    const vectors = mapping.map((m) => (m < 0 ? undefined : batch.getChildAt(m)));
    for (let i = 0; i < batch.numRows; i++, rowNumber++) {
      if (rowNumber < from) continue;
      const row: Value[] = [];
      let failed: FieldErrorAt | undefined;
      for (let j = 0; j < columns.length; j++) {
        const c = columns[j] as StoredColumn;
        const vec = vectors[j];
        try {
          const v = vec === undefined || vec === null ? null : readValue(vec, vec.data[0] as Data, i, c.type);
          if (v === null && !c.nullable) throw new SqlError(SqlState.notNullViolation, `null value in column "${c.name}" violates not-null constraint`);
          row.push(v);
        } catch (e) {
          failed = { error: new FieldError(j + 1, c.name, e), row: rowNumber + 1 };
          break;
        }
      }
      yield failed ?? row;
    }
  }
}

/** A row that failed to convert, with its 1-based row number in the file. */
export interface FieldErrorAt {
  readonly error: FieldError;
  readonly row: number;
}

function mapColumns(schema: Schema, columns: readonly StoredColumn[]): number[] {
  return columns.map((c) => {
    let at = schema.fields.findIndex((f) => f.name === c.name);
    if (at < 0) at = schema.fields.findIndex((f) => f.name.toLowerCase() === c.name.toLowerCase());
    if (at < 0 && !c.nullable) {
      throw new FieldError(1, c.name, new SqlError(SqlState.undefinedColumn, `the file has no field for column "${c.name}"`));
    }
    return at;
  });
}
