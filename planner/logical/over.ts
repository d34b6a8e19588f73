// Over: window functions (ROW_NUMBER, RANK, DENSE_RANK, aggregates OVER ...).
// Output: the input columns, then one column per call.

import type { DataType, Schema } from '../../common/data-type.js';
import type { SortKey } from './sort.js';
import type { LogicalPlan } from './index.js';

export interface OverFrame {
  readonly units: 'ROWS' | 'RANGE';
  /** Rows or microseconds before the current row; null = UNBOUNDED PRECEDING. */
  readonly preceding: number | null;
  /** Rows or microseconds after the current row; 0 = CURRENT ROW, null = UNBOUNDED FOLLOWING. */
  readonly following: number | null;
}

export interface OverCall {
  /** `row_number`, `rank`, `dense_rank`, `lag`, `lead`, or an aggregate name as in AggCall. */
  readonly fn: string;
  readonly args: readonly number[];
  readonly frame?: OverFrame;
  readonly type: DataType;
  readonly name: string;
}

export interface Over {
  readonly kind: 'Over';
  readonly input: LogicalPlan;
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly calls: readonly OverCall[];
  readonly schema: Schema;
}

export function over(input: LogicalPlan, partitionKeys: readonly number[], orderKeys: readonly SortKey[], calls: readonly OverCall[], schema: Schema): Over {
  return { kind: 'Over', input, partitionKeys, orderKeys, calls, schema };
}
