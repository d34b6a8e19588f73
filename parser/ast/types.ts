// Type names as written in CAST, column definitions and typed literals.

import type { Span } from './node.js';

/** A unit of an interval qualifier or an EXTRACT field. */
export type TimeUnit =
  | 'MILLENNIUM' | 'CENTURY' | 'DECADE' | 'YEAR' | 'QUARTER' | 'MONTH' | 'WEEK'
  | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND' | 'MILLISECOND' | 'MICROSECOND' | 'NANOSECOND'
  | 'DOW' | 'DOY' | 'ISODOW' | 'ISOYEAR' | 'EPOCH';

/** `YEAR`, `DAY TO SECOND`, `SECOND(3)`, `MINUTE(2) TO SECOND(3)`. */
export interface IntervalQualifier {
  readonly from: TimeUnit;
  readonly fromPrecision?: number;
  readonly to?: TimeUnit;
  readonly toPrecision?: number;
}

/**
 * A type as written. `name` is the canonical upper-case spelling of the base
 * type after the parser folds multi-word forms:
 * `DOUBLE PRECISION` -> `DOUBLE`, `CHARACTER VARYING` -> `VARCHAR`,
 * `TIMESTAMP WITH LOCAL TIME ZONE` / `TIMESTAMP WITH TIME ZONE` / `TIMESTAMPTZ`
 * -> `TIMESTAMP_LTZ`, `TIMESTAMP WITHOUT TIME ZONE` -> `TIMESTAMP`.
 * Single-word aliases (`INTEGER`, `INT4`, `STRING`, `TEXT`, `NUMERIC`, ...)
 * are kept as written (upper-cased); the binder maps them to data types.
 * `args` are the numeric parameters: `VARCHAR(10)` -> [10], `DECIMAL(10, 2)` -> [10, 2].
 */
export interface TypeName {
  readonly kind: 'TypeName';
  readonly name: string;
  readonly args: readonly number[];
  /** For INTERVAL types: `INTERVAL DAY TO SECOND(3)`. */
  readonly interval?: IntervalQualifier;
  /** `ARRAY<T>` / `T ARRAY` element type, `MAP<K, V>` key and value, `ROW<a T, ...>` fields. */
  readonly element?: TypeName;
  readonly mapValue?: TypeName;
  readonly fields?: readonly { readonly name: string; readonly type: TypeName }[];
  /** `NOT NULL` written inside a type (Flink allows it in nested types). */
  readonly notNull?: boolean;
  readonly span?: Span;
}
