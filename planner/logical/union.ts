// Union: UNION ALL of inputs with the same column types (UNION is Union + Aggregate).

import type { Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';

export interface Union {
  readonly kind: 'Union';
  readonly inputs: readonly LogicalPlan[];
  readonly schema: Schema;
}

export function union(inputs: readonly LogicalPlan[], schema: Schema): Union {
  return { kind: 'Union', inputs, schema };
}
