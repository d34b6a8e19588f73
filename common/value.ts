// Runtime values and rows.
//
// One JavaScript representation per SQL type, chosen for speed in hot loops:
//   BOOLEAN                       boolean
//   TINYINT SMALLINT INT BIGINT   number (integral). BIGINT is limited to the safe
//                                 integer range ±(2^53-1); leaving it is error 22003,
//                                 never a silent loss of precision.
//   FLOAT DOUBLE                  number
//   DECIMAL(p, s)                 Decimal (exact: a bigint scaled by 10^s)
//   VARCHAR CHAR                  string
//   BYTES                         Uint8Array
//   DATE                          number: days since 1970-01-01
//   TIME                          number: microseconds since midnight
//   TIMESTAMP                     number: microseconds since 1970-01-01 00:00:00 (no zone)
//   TIMESTAMP_LTZ                 number: microseconds since the Unix epoch (an instant)
//   INTERVAL_DAY_TIME             number: microseconds
//   INTERVAL_YEAR_MONTH           number: months
//   ARRAY / ROW                   Value[]
//   MAP                           Map<Value, Value>
//   NULL                          null

import type { Decimal } from './decimal.js';

export type Value =
  | null
  | boolean
  | number
  | string
  | Decimal
  | Uint8Array
  | readonly Value[]
  | ReadonlyMap<Value, Value>;

/** A row is an array of values, one per field of its schema. */
export type Row = readonly Value[];

export const MICROS_PER_MILLI = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 86_400_000_000;
