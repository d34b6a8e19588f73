// Correctness: a query's final result from Eddy against DuckDB evaluating the same query as a batch query over the same events.
//
// DuckDB gets the events the three nexmark tables produced and runs the query's batch
// version (bench/nexmark/duckdb/qN.sql: windows as GROUP BY over bucketed time,
// sessions by gaps, top-N by row_number). Both results are compared as multisets of
// rows, each value normalised by Eddy's column type (timestamps as text, decimals at
// the column's scale, doubles to 12 significant digits).

import { formatTimestamp } from '../../common/datetime.js';
import type { DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import type { Row, Value } from '../../common/value.js';
import { duckdbSql } from './queries.js';
import type { QueryResult, SourceEvents } from './run-query.js';

export interface Verdict {
  readonly correct: boolean;
  readonly detail: string;
}

/** Normalised text of a value of `type`, from Eddy or from DuckDB. */
function normal(v: unknown, type: DataType | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && v !== null && 'micros' in v) v = Number((v as { micros: bigint }).micros);
  if (typeof v === 'object' && v !== null && 'scale' in v && 'value' in v && !(v instanceof Decimal)) {
    const d = v as { value: bigint; scale: number };
    v = new Decimal(d.value, d.scale);
  }
  if (typeof v === 'bigint') v = Number(v);
  switch (type?.kind) {
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ':
      return typeof v === 'number' ? formatTimestamp(v) : String(v);
    case 'DECIMAL':
      if (v instanceof Decimal) return v.rescale(type.scale).toString();
      return typeof v === 'number' ? v.toFixed(type.scale) : String(v);
    case 'DOUBLE': case 'FLOAT':
      return typeof v === 'number' ? Number(v.toPrecision(12)).toString() : String(v);
    default:
      if (v instanceof Decimal) return v.toString();
      return String(v);
  }
}

function key(row: readonly unknown[], types: readonly DataType[]): string {
  return JSON.stringify(row.map((v, i) => normal(v, types[i])));
}

/** Compares two results as multisets; the detail names a few rows only one side has. */
export function compareResults(eddy: QueryResult, expected: readonly (readonly unknown[])[]): Verdict {
  const count = new Map<string, number>();
  for (const r of eddy.rows) {
    const k = key(r, eddy.types);
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const r of expected) {
    const k = key(r, eddy.types);
    const n = count.get(k) ?? 0;
    if (n === 0) missing.push(k);
    else if (n === 1) count.delete(k);
    else count.set(k, n - 1);
  }
  const extra: string[] = [];
  for (const [k, n] of count) for (let i = 0; i < n; i++) extra.push(k);
  if (missing.length === 0 && extra.length === 0) {
    return { correct: true, detail: `${eddy.rows.length} rows, as DuckDB` };
  }
  const show = (xs: string[]): string => xs.slice(0, 3).join(' ') + (xs.length > 3 ? ` (+${xs.length - 3} more)` : '');
  return {
    correct: false,
    detail: `Eddy ${eddy.rows.length} rows, DuckDB ${expected.length}; only in DuckDB: ${missing.length}${missing.length > 0 ? ` ${show(missing)}` : ''}; only in Eddy: ${extra.length}${extra.length > 0 ? ` ${show(extra)}` : ''}`,
  };
}

const TABLES: readonly (readonly [keyof Omit<SourceEvents, 'sideInput'>, string])[] = [
  ['person', 'id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR, city VARCHAR, state VARCHAR, date_time TIMESTAMP, extra VARCHAR'],
  ['auction', 'id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR'],
  ['bid', 'auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, date_time TIMESTAMP, extra VARCHAR'],
];

/** DuckDB's answer to the batch version of `query` over `events`; undefined when DuckDB is not installed. */
export async function duckdbResult(query: string, events: SourceEvents): Promise<unknown[][] | undefined> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch {
    return undefined;
  }
  const instance = await api.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const [table, columns] of TABLES) {
      await conn.run(`CREATE TABLE ${table} (${columns})`);
      const appender = await conn.createAppender(table);
      const types = columns.split(', ').map((c) => c.split(' ')[1]);
      for (const row of events[table]) {
        row.forEach((v: Value, i) => {
          if (v === null) appender.appendNull();
          else if (types[i] === 'BIGINT') appender.appendBigInt(BigInt(v as number));
          else if (types[i] === 'TIMESTAMP') appender.appendTimestamp(new api.DuckDBTimestampValue(BigInt(v as number)));
          else appender.appendVarchar(v as string);
        });
        appender.endRow();
      }
      appender.closeSync();
    }
    await conn.run('CREATE TABLE side_input (key BIGINT, value VARCHAR)');
    const side = await conn.createAppender('side_input');
    for (const line of events.sideInput.split('\n')) {
      if (line === '') continue;
      const comma = line.indexOf(',');
      side.appendBigInt(BigInt(line.slice(0, comma)));
      side.appendVarchar(line.slice(comma + 1));
      side.endRow();
    }
    side.closeSync();
    const reader = await conn.runAndReadAll(duckdbSql(query).sql);
    return reader.getRows() as unknown[][];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Rows of an Eddy result, as plain arrays. */
export function plainRows(rows: readonly Row[]): unknown[][] {
  return rows.map((r) => [...r]);
}
