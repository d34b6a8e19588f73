// WindowTopN: the first `limit` rows per (window, partition) by an order, emitted once the window closes.

import type { Schema } from '../../common/data-type.js';
import type { SortKey } from './sort.js';
import type { LogicalPlan } from './index.js';

/** The window columns an earlier operator (a window table function or a window aggregate) filled in. */
export interface WindowColumns {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
}

/**
 * ROW_NUMBER / RANK / DENSE_RANK over PARTITION BY window_start, window_end, ...
 * filtered on the rank. Unlike TopN, nothing is emitted until the window closes,
 * so the output is append-only and the window's rows are freed then.
 * Output: the input columns, then the rank when `outputRank`.
 */
export interface WindowTopN {
  readonly kind: 'WindowTopN';
  readonly input: LogicalPlan;
  readonly window: WindowColumns;
  /** Every PARTITION BY column, window_start and window_end included. */
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly rankFn: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';
  readonly offset: number;
  readonly limit: number;
  readonly outputRank: boolean;
  readonly schema: Schema;
}
