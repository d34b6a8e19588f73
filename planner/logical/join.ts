// Join: INNER / LEFT / RIGHT / FULL, and SEMI / ANTI (from IN and EXISTS).

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from './index.js';

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'SEMI' | 'ANTI';

/**
 * `condition` is over the concatenated row (left columns, then right columns);
 * null means a cross join. Output: left ++ right columns, except SEMI and ANTI,
 * which output the left columns only. Outer joins make the other side's
 * columns nullable.
 */
export interface Join {
  readonly kind: 'Join';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: BoundExpr | null;
  readonly schema: Schema;
}

export function join(joinType: JoinType, left: LogicalPlan, right: LogicalPlan, condition: BoundExpr | null): Join {
  let schema: Schema;
  if (joinType === 'SEMI' || joinType === 'ANTI') schema = left.schema;
  else {
    const l = joinType === 'RIGHT' || joinType === 'FULL' ? left.schema.map((f) => ({ ...f, nullable: true })) : left.schema;
    const r = joinType === 'LEFT' || joinType === 'FULL' ? right.schema.map((f) => ({ ...f, nullable: true })) : right.schema;
    schema = [...l, ...r];
  }
  return { kind: 'Join', joinType, left, right, condition, schema };
}
