// The function and type registry: how the binder resolves calls, operators, casts and common types.
//
// How the binder maps SQL syntax onto registry names (BoundCall.fn):
//   a + b, a - b, a * b, a / b, a % b, a ^ b      '+', '-', '*', '/', '%', '^' (resolve by the operator;
//                                                 date/interval forms come back under their own fn,
//                                                 e.g. 'datetime_plus_interval', 'timestamp_diff')
//   -a                                            'neg'
//   a = b ... a >= b                              '=', '<>', '<', '<=', '>', '>='
//   a AND b, a OR b, NOT a                        'and', 'or' (2+ args), 'not'
//   a IS [NOT] NULL / TRUE / FALSE / UNKNOWN      'is_null', 'is_not_null', 'is_true', 'is_not_true', ...
//   a IS [NOT] DISTINCT FROM b                    'is_distinct_from', 'is_not_distinct_from'
//   a [NOT] IN (x, y)                             'in'(a, x, y), NOT IN = 'not'('in'(...))
//   a [NOT] BETWEEN [SYMMETRIC] x AND y           'between'(a, x, y) / 'between_symmetric', NOT = 'not'(...)
//                                                 (kept as one call: the operand is evaluated once)
//   a [NOT] LIKE / ILIKE / SIMILAR TO p [ESCAPE e] 'like' / 'ilike' / 'similar_to'(a, p [, e]), NOT = 'not'(...)
//   a || b                                        'concat'
//   EXTRACT(unit FROM x)                          'extract_<unit>' in lower case: 'extract_hour', 'extract_epoch'
//   TRIM(BOTH | LEADING | TRAILING [c] FROM s)    'btrim' / 'ltrim' / 'rtrim'(s [, c])
//   SUBSTRING(s FROM a [FOR b])                   'substring'(s, a [, b])
//   POSITION(a IN b)                              'position'(a, b)
//   OVERLAY(s PLACING r FROM a [FOR b])           'overlay'(s, r, a [, b])
//   ARRAY[...], ROW(...), a[i], (r).f             'array', 'row', 'item', 'field_access'(r, constant index)
//   TIMESTAMPADD(DAY, n, ts), TIMESTAMPDIFF(...)  'timestampadd'('DAY', n, ts): the unit as a string literal
//   CURRENT_TIMESTAMP, NOW(), CURRENT_DATE, ...   niladic calls by name
//   CASE, CAST, TRY_CAST                          BoundCase / BoundCast (not calls)
// Aggregate names are listed in aggregate.ts.

import type { DataType } from '../../common/data-type.js';
import { aggregateFunctionNames, isAggregateName, resolveAggregateCall } from './aggregate.js';
import type { ResolvedAggregate } from './aggregate.js';
import type { ConstArgs, ResolvedFunction } from './scalar.js';
import { resolveScalar, scalarFunctionNames } from './scalar.js';

export type { ResolvedAggregate } from './aggregate.js';
export type { ConstArgs, Nullability, ResolvedFunction } from './scalar.js';
export { canonicalFunctionName, comparisonSupertype, isScalarFunctionDeterministic, overloadFunctionNames } from './scalar.js';
export {
  DEFAULT_DECIMAL, DEFAULT_TIME_PRECISION, DEFAULT_TIMESTAMP_PRECISION, MAX_DECIMAL_PRECISION,
  canAssignCast, canCast, canImplicitlyCast, commonSupertype, dataTypeFromTypeName, pgTypeName,
} from './types.js';

/**
 * Resolves a scalar function or operator call by its lower-case name and argument types.
 * Returns the registry name to put in BoundCall.fn, the result type and the type each
 * argument must be cast to; undefined when no signature fits (42883 for the binder).
 * `consts` carries the constant value of literal arguments where a result type depends on
 * one (ROUND(decimal, 2), field_access); leave it out otherwise.
 *
 * @example
 *   resolveScalarFunction('+', [Types.int, Types.bigint])
 *   // { fn: '+', returnType: BIGINT, argTypes: [BIGINT, BIGINT], nullable: 'propagate', deterministic: true }
 */
export function resolveScalarFunction(name: string, argTypes: readonly DataType[], consts?: ConstArgs): ResolvedFunction | undefined {
  return resolveScalar(name, argTypes, consts);
}

/**
 * Resolves an aggregate call. COUNT(*) is `resolveAggregate('count', [], false)` and comes
 * back as `count_star`.
 *
 * @example resolveAggregate('sum', [Types.int], false) // { fn: 'sum', returnType: BIGINT, argTypes: [BIGINT], nullable: true }
 */
export function resolveAggregate(name: string, argTypes: readonly DataType[], distinct: boolean): ResolvedAggregate | undefined {
  return resolveAggregateCall(name, argTypes, distinct);
}

/** Whether `name` (lower case) is an aggregate function (including aliases such as `string_agg`). */
export function isAggregateFunction(name: string): boolean {
  return isAggregateName(name);
}

/** Every scalar and aggregate name and alias, for "did you mean" hints. */
export function functionNames(): readonly string[] {
  return [...new Set([...scalarFunctionNames(), ...aggregateFunctionNames()])].sort();
}
