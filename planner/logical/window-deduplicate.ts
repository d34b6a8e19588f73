// WindowDeduplicate: the first or last row (by a time attribute) per (window, key), emitted once the window closes.

import type { Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';
import type { WindowColumns } from './window-top-n.js';

/**
 * ROW_NUMBER() OVER (PARTITION BY window_start, window_end, ... ORDER BY time) = 1.
 * Keeps one row per key of each window; append-only output.
 */
export interface WindowDeduplicate {
  readonly kind: 'WindowDeduplicate';
  readonly input: LogicalPlan;
  readonly window: WindowColumns;
  /** Every PARTITION BY column, window_start and window_end included. */
  readonly keys: readonly number[];
  readonly keep: 'FIRST' | 'LAST';
  readonly orderIndex: number;
  readonly outputRank: boolean;
  readonly schema: Schema;
}
