// WindowJoin: L ⋈ R per window (both sides windowed alike, joined on window_start and window_end), emitted once the window closes.

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { JoinType } from './join.js';
import type { LogicalPlan } from './index.js';
import type { WindowColumns } from './window-top-n.js';

/**
 * A join whose condition equates both sides' window_start and window_end. Each
 * window's rows are kept until the window closes, then joined, emitted
 * (append-only; outer joins pad with NULLs) and freed. `condition` is the whole
 * ON condition over the concatenated row; `rightWindow` indexes the right row.
 */
export interface WindowJoin {
  readonly kind: 'WindowJoin';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: BoundExpr;
  readonly leftWindow: WindowColumns;
  readonly rightWindow: WindowColumns;
  readonly schema: Schema;
}
