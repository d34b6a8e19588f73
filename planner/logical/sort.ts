// Sort: ORDER BY with optional LIMIT/OFFSET. In a continuous query with a
// limit it becomes a TopN; in a snapshot read it orders the result.

import type { Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';

export interface SortKey {
  readonly index: number;
  readonly descending: boolean;
  /** Resolved default: NULLS LAST for ASC, NULLS FIRST for DESC (PostgreSQL). */
  readonly nullsFirst: boolean;
}

export interface Sort {
  readonly kind: 'Sort';
  readonly input: LogicalPlan;
  readonly keys: readonly SortKey[];
  readonly limit?: number;
  readonly offset: number;
  readonly schema: Schema;
}

export function sort(input: LogicalPlan, keys: readonly SortKey[], offset: number, limit?: number): Sort {
  return limit === undefined
    ? { kind: 'Sort', input, keys, offset, schema: input.schema }
    : { kind: 'Sort', input, keys, limit, offset, schema: input.schema };
}
