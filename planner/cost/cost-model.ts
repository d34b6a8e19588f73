// The cost model's constants and unit conversions: what a row weighs in state, what a unit of work weighs against a byte kept.
//
// A streaming plan runs forever, so its cost is not a query's: it is the state it
// keeps (bytes, held as long as the job runs) and the work each change of its
// inputs causes (state reads and writes, rows emitted downstream, retractions
// included). Work is counted over the changes the sources have seen so far
// (their relative volumes), so both figures grow with the data alike and one
// weight trades them: WORK_WEIGHT bytes of state are worth one unit of work.

import type { DataType } from '../../common/data-type.js';

/** Rows assumed for a relation nothing is known about. */
export const DEFAULT_ROWS = 1000;
/**
 * Sizes are of state as it is stored (the LMDB backend's encoded keys and records,
 * what eddy_operator_stats reports for durable jobs): a few bytes per number, the
 * characters of a string. Bookkeeping per state entry beyond its key and value:
 */
export const STATE_ENTRY_OVERHEAD = 8;
/** Bytes of a row's own header (values excluded). */
export const ROW_OVERHEAD = 2;
/** One unit of work (a state access or a row emitted) weighs as much as this many bytes of state kept. */
export const WORK_WEIGHT = 4;
/** Work of folding a row into an in-memory bundle (no state access): a fraction of a unit. */
export const IN_MEMORY_FOLD = 0.25;
/** Selectivity of a predicate the estimator cannot read (PostgreSQL's default for an inequality). */
export const DEFAULT_SELECTIVITY = 1 / 3;
/** Share of an event-time operator's input still waiting for the watermark when the disorder is unknown. */
export const DEFAULT_BUFFERED_SHARE = 0.01;
/** Share of a windowed operator's input in windows still open when nothing tells how long they stay open. */
export const DEFAULT_OPEN_SHARE = 0.1;

/** Stored bytes of a value of `type` when no measured width is known. */
export function typeBytes(type: DataType): number {
  switch (type.kind) {
    case 'NULL':
    case 'BOOLEAN':
      return 1;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'DATE':
      return 3;
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return 5;
    case 'FLOAT':
    case 'DOUBLE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return 9;
    case 'DECIMAL':
      return 10;
    case 'VARCHAR':
      return 2 + Math.min(type.length ?? 12, 12);
    case 'CHAR':
      return 2 + Math.min(type.length, 32);
    case 'BYTES':
      return 18;
    case 'ARRAY':
      return 2 + 4 * typeBytes(type.element);
    case 'MAP':
      return 2 + 4 * (typeBytes(type.key) + typeBytes(type.value));
    case 'ROW':
      return ROW_OVERHEAD + type.fields.reduce((s, f) => s + typeBytes(f.type), 0);
    default: {
      const unreachable: never = type;
      throw new Error(`unknown type ${(unreachable as DataType).kind}`);
    }
  }
}

/** A row of values of these widths, as stored. */
export function rowBytes(valueBytes: readonly number[]): number {
  let n = ROW_OVERHEAD;
  for (const b of valueBytes) n += b;
  return n;
}

/** A state entry: its key (`keyBytes`) and its value (`valueBytes`). */
export function entryBytes(valueBytes: number, keyBytes: number): number {
  return STATE_ENTRY_OVERHEAD + keyBytes + valueBytes;
}

/** A row's identity in a state key: each value as text with its length and type (common/key.ts rowKey), about twice its stored size. */
export function rowIdBytes(row: number): number {
  return 2 * row;
}

/**
 * Expected distinct keys among `n` draws from `groups` keys of which one holds
 * `topShare` of the draws and the rest share the remainder evenly: what a bundle
 * of `n` rows touches.
 */
export function distinctTouched(n: number, groups: number, topShare: number): number {
  if (n <= 0 || groups <= 0) return 0;
  if (groups <= 1) return 1;
  const hot = Math.min(1, Math.max(topShare, 1 / groups));
  const hotHit = 1 - (1 - hot) ** n;
  const rest = groups - 1;
  const restDraws = n * (1 - hot);
  const restHit = rest * (1 - (1 - 1 / rest) ** restDraws);
  return Math.min(n, hotHit + restHit);
}
