// Selectivity of predicates over an estimated row: the share of rows a filter or join condition keeps (System R's rules).

import type { BoundExpr } from '../bound/expr.js';
import { DEFAULT_SELECTIVITY } from './cost-model.js';

/** What selectivity needs of a column of the row a predicate reads. */
export interface ColumnFacts {
  readonly ndv: number;
  readonly nullFraction: number;
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : DEFAULT_SELECTIVITY;
}

function isConstant(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'Literal':
    case 'ParamRef':
      return true;
    case 'Cast': return isConstant(e.operand);
    default: return false;
  }
}

/** The column an expression reads as it is (through casts), if it is one. */
export function columnOf(e: BoundExpr): number | undefined {
  if (e.kind === 'InputRef') return e.index;
  if (e.kind === 'Cast') return columnOf(e.operand);
  return undefined;
}

/**
 * The estimated share of rows for which `e` is true. Equality with a constant keeps
 * 1/ndv; equality of two columns 1/max(ndv); ranges a third; AND multiplies (as if
 * independent), OR adds less the overlap; IS NULL reads the measured NULL share.
 */
export function selectivity(e: BoundExpr, columns: readonly ColumnFacts[]): number {
  const ndv = (i: number | undefined): number => Math.max(1, i === undefined ? 10 : columns[i]?.ndv ?? 10);
  switch (e.kind) {
    case 'Literal':
      return e.value === true ? 1 : 0;
    case 'Call': {
      const a = e.args[0];
      const b = e.args[1];
      switch (e.fn) {
        case 'and': return clamp(e.args.reduce((s, x) => s * selectivity(x, columns), 1));
        case 'or': return clamp(e.args.reduce((s, x) => { const t = selectivity(x, columns); return s + t - s * t; }, 0));
        case 'not': return a === undefined ? DEFAULT_SELECTIVITY : clamp(1 - selectivity(a, columns));
        case '=':
        case 'is_not_distinct_from': {
          if (a === undefined || b === undefined) return DEFAULT_SELECTIVITY;
          const ca = columnOf(a);
          const cb = columnOf(b);
          if (ca !== undefined && cb !== undefined) return 1 / Math.max(ndv(ca), ndv(cb));
          if (ca !== undefined && isConstant(b)) return 1 / ndv(ca);
          if (cb !== undefined && isConstant(a)) return 1 / ndv(cb);
          return 0.1;
        }
        case '<>':
        case 'is_distinct_from': {
          if (a === undefined || b === undefined) return DEFAULT_SELECTIVITY;
          const c = columnOf(a) ?? columnOf(b);
          return c === undefined ? 1 - 0.1 : clamp(1 - 1 / ndv(c));
        }
        case '<':
        case '<=':
        case '>':
        case '>=':
          return DEFAULT_SELECTIVITY;
        case 'between':
          return 0.25;
        case 'in': {
          const c = a === undefined ? undefined : columnOf(a);
          return clamp((e.args.length - 1) / (c === undefined ? 10 : ndv(c)));
        }
        case 'is_null': {
          const c = a === undefined ? undefined : columnOf(a);
          return c === undefined ? 0.05 : clamp(columns[c]?.nullFraction ?? 0.05);
        }
        case 'is_not_null': {
          const c = a === undefined ? undefined : columnOf(a);
          return c === undefined ? 0.95 : clamp(1 - (columns[c]?.nullFraction ?? 0.05));
        }
        case 'is_true': return a === undefined ? 0.5 : selectivity(a, columns);
        case 'is_false': return a === undefined ? 0.5 : clamp(1 - selectivity(a, columns));
        case 'like':
        case 'ilike':
        case 'similar_to':
          return 0.1;
        default:
          return DEFAULT_SELECTIVITY;
      }
    }
    default:
      return DEFAULT_SELECTIVITY;
  }
}
