// Values: a constant relation (VALUES lists and SELECT without FROM).

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';

export interface Values {
  readonly kind: 'Values';
  /** Each row's expressions have no input columns (literals, parameters, constant calls). */
  readonly rows: readonly (readonly BoundExpr[])[];
  readonly schema: Schema;
}

export function values(rows: readonly (readonly BoundExpr[])[], schema: Schema): Values {
  for (const row of rows) {
    if (row.length !== schema.length) throw new Error(`values row has ${row.length} columns, schema ${schema.length}`);
  }
  return { kind: 'Values', rows, schema };
}
