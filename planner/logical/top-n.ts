// TopN: the first `limit` rows per partition by an order (from ROW_NUMBER/RANK/
// DENSE_RANK filtered on the rank, or ORDER BY ... LIMIT in a continuous query).

import type { Schema } from '../../common/data-type.js';
import type { SortKey } from './sort.js';
import type { LogicalPlan } from './index.js';

export interface TopN {
  readonly kind: 'TopN';
  readonly input: LogicalPlan;
  readonly partitionKeys: readonly number[];
  readonly orderKeys: readonly SortKey[];
  readonly rankFn: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK';
  /** Ranks offset+1 .. offset+limit are kept. */
  readonly offset: number;
  readonly limit: number;
  /** Whether the rank is an output column (appended after the input columns). */
  readonly outputRank: boolean;
  readonly schema: Schema;
}
