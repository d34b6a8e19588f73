// Deduplicate: keep the first or the last row per key (ROW_NUMBER() = 1 ordered by a time attribute).

import type { Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';

export interface Deduplicate {
  readonly kind: 'Deduplicate';
  readonly input: LogicalPlan;
  readonly keys: readonly number[];
  readonly keep: 'FIRST' | 'LAST';
  /** The time attribute column that orders rows within a key. */
  readonly orderIndex: number;
  /** Whether ROW_NUMBER (always 1) is an output column. */
  readonly outputRank: boolean;
  readonly schema: Schema;
}
