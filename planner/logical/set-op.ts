// SetOp: INTERSECT [ALL] and EXCEPT [ALL] over inputs with the same column types.

import type { Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';

export interface SetOp {
  readonly kind: 'SetOp';
  readonly op: 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly schema: Schema;
}

export function setOp(op: SetOp['op'], all: boolean, left: LogicalPlan, right: LogicalPlan, schema: Schema): SetOp {
  return { kind: 'SetOp', op, all, left, right, schema };
}
