// IntervalJoin: L ⋈ R where right.time - left.time lies in [lower, upper]; state older than the bound is freed by the watermark.

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { JoinType } from './join.js';
import type { LogicalPlan } from './index.js';

/**
 * A join of two event-time (or two processing-time) streams whose condition bounds
 * one side's time attribute by the other's, e.g.
 * `a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts`. `condition` is the whole ON
 * condition over the concatenated row; the bounds say how long a row may wait for
 * partners: a left row at t joins right rows in [t + lower, t + upper].
 * Output: as Join's, append-only (outer rows are padded once no partner can come).
 */
export interface IntervalJoin {
  readonly kind: 'IntervalJoin';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: BoundExpr;
  readonly leftTimeIndex: number;
  /** Index into the right row. */
  readonly rightTimeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** Microseconds; right.time - left.time >= lower. */
  readonly lower: number;
  /** Microseconds; right.time - left.time <= upper. */
  readonly upper: number;
  readonly schema: Schema;
}
