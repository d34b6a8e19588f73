// The Nexmark queries: their SQL files, the source tables they read, and where their batch (DuckDB) versions live.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file runs from dist/bench/nexmark/). */
export const ROOT = new URL('../../../', import.meta.url).pathname;
export const QUERY_DIR = join(ROOT, 'bench/nexmark/queries');
export const DUCKDB_DIR = join(ROOT, 'bench/nexmark/duckdb');

export const ALL_QUERIES: readonly string[] = Array.from({ length: 23 }, (_, i) => `q${i}`);

/** What `npm run bench` runs: every query. */
export const DEFAULT_QUERIES = ALL_QUERIES;

export interface SourceOptions {
  readonly events: number;
  /** Events per second of event time. */
  readonly rate: number;
  readonly seed: number;
}

/**
 * The three source tables over one event stream, with the watermark of the Flink
 * version: date_time - 4 seconds.
 */
export function sourceDdl(o: SourceOptions): string[] {
  const common = `'connector' = 'nexmark', 'events.num' = '${o.events}', 'first-event.rate' = '${o.rate}', 'seed' = '${o.seed}'`;
  const wm = `WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND`;
  return [
    `CREATE TABLE person (id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR, city VARCHAR, state VARCHAR,
       date_time TIMESTAMP(3), extra VARCHAR, ${wm}) WITH (${common}, 'table' = 'person')`,
    `CREATE TABLE auction (id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, reserve BIGINT,
       date_time TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR, ${wm}) WITH (${common}, 'table' = 'auction')`,
    `CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
       date_time TIMESTAMP(3), extra VARCHAR, ${wm}) WITH (${common}, 'table' = 'bid')`,
  ];
}

/** Which event numbers (mod 50) each source table holds: person 0, auction 1-3, bid 4-49. */
const KIND_RANGES: Readonly<Record<string, readonly [number, number]>> = { person: [0, 1], auction: [1, 4], bid: [4, 50] };

/**
 * The rows the generator makes of table `table` ('person', 'auction' or 'bid') in a stream
 * of `events` events (event n is a person when n mod 50 is 0, an auction when 1-3, else a
 * bid); undefined for any other table.
 */
export function expectedSourceRows(table: string, events: number): number | undefined {
  const range = KIND_RANGES[table];
  if (range === undefined) return undefined;
  const [lo, hi] = range;
  const width = hi - lo;
  return Math.floor(events / 50) * width + Math.min(width, Math.max(0, (events % 50) - lo));
}

/**
 * Why the rows a job's sources read do not make the whole stream of `events` events,
 * or undefined when every nexmark table it reads was read in full (other tables are not counted).
 */
export function inputShortfall(read: readonly { readonly table: string; readonly rows: number }[], events: number): string | undefined {
  const wrong: string[] = [];
  let counted = 0;
  for (const r of read) {
    const expected = expectedSourceRows(r.table, events);
    if (expected === undefined) continue;
    counted++;
    if (r.rows !== expected) wrong.push(`${r.table}: ${r.rows} rows read, ${expected} expected`);
  }
  if (counted === 0) return 'the job read no person, auction or bid table';
  return wrong.length === 0 ? undefined : `the job did not read its whole input (${wrong.join('; ')})`;
}

/** Where a query's files write (q10's sink) and read (q13's side input). */
export interface QueryPaths {
  readonly output: string;
  readonly sideInput: string;
}

/** A query's SQL, with its paths filled in. */
export function querySql(query: string, paths: QueryPaths): string {
  const file = join(QUERY_DIR, `${query}.sql`);
  if (!existsSync(file)) throw new Error(`unknown query "${query}": no ${file}`);
  return readFileSync(file, 'utf8').replaceAll('${NEXMARK_OUTPUT}', paths.output).replaceAll('${NEXMARK_SIDE_INPUT}', paths.sideInput);
}

/** The batch version of a query for DuckDB, and the query over Eddy's result to compare it with (`-- eddy: ...`). */
export function duckdbSql(query: string): { sql: string; eddy: string | undefined } {
  const sql = readFileSync(join(DUCKDB_DIR, `${query}.sql`), 'utf8');
  const m = /^-- eddy: (.+)$/m.exec(sql);
  return { sql, eddy: m?.[1] };
}

/** Keys of q13's side input: auction mod 10,000. */
export const SIDE_INPUT_KEYS = 10_000;

/** q13's side input file: `key,value` for every key. */
export function sideInputCsv(): string {
  const lines: string[] = [];
  for (let k = 0; k < SIDE_INPUT_KEYS; k++) lines.push(`${k},value-${(k * 2654435761) % 1_000_003}`);
  return `${lines.join('\n')}\n`;
}
