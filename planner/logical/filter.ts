// Filter: keep the rows whose predicate is TRUE (not FALSE, not NULL).

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from './index.js';

export interface Filter {
  readonly kind: 'Filter';
  readonly input: LogicalPlan;
  readonly predicate: BoundExpr;
  readonly schema: Schema;
}

export function filter(input: LogicalPlan, predicate: BoundExpr): Filter {
  return { kind: 'Filter', input, predicate, schema: input.schema };
}
