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
  /**
   * Sides whose keyed state a materialized view's job reads from an arrangement shared
   * with other jobs instead of keeping its own (set by the shared-state rule; absent: none).
   */
  readonly sharedState?: { readonly left?: SharedSide; readonly right?: SharedSide };
}

/**
 * A join input kept once for every job that needs it: the input's rows filed by its
 * join key columns. Two jobs share it when both the input (its plan's canonical
 * text, `fingerprint`) and the key columns are the same.
 */
export interface SharedSide {
  readonly fingerprint: string;
  /** Columns of the side's row the join files it by. */
  readonly keys: readonly number[];
  /** How EXPLAIN names it: `orders(customer_id)`. */
  readonly label: string;
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
