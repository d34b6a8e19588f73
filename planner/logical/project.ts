// Project: compute one output column per expression over each input row.

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from './index.js';

export interface Project {
  readonly kind: 'Project';
  readonly input: LogicalPlan;
  readonly exprs: readonly BoundExpr[];
  readonly schema: Schema;
}

export function project(input: LogicalPlan, exprs: readonly BoundExpr[], schema: Schema): Project {
  if (exprs.length !== schema.length) throw new Error(`project has ${exprs.length} expressions, schema ${schema.length}`);
  return { kind: 'Project', input, exprs, schema };
}
