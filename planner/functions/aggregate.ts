// Aggregate functions: names, aliases and result types. Accumulators live in executor/operators/.
//
// Registry names (AggCall.fn) and their results:
//   count_star                  COUNT(*)                        BIGINT, never NULL
//   count        (x)            non-NULL x                       BIGINT, never NULL
//   sum          (x)            TINYINT/SMALLINT/INT -> BIGINT, BIGINT -> BIGINT (22003 past 2^53),
//                               DECIMAL(p, s) -> DECIMAL(38, s), FLOAT -> FLOAT, DOUBLE -> DOUBLE
//   avg          (x)            integers, FLOAT, DOUBLE -> DOUBLE; DECIMAL(p, s) -> DECIMAL(38, max(s, 6))
//   min, max     (x)            the argument's type (any ordered type)
//   stddev_pop, stddev_samp, var_pop, var_samp (x)   DOUBLE (argument cast to DOUBLE)
//   listagg      (x, sep)       VARCHAR; sep defaults to ',' (the binder passes it as a constant column)
//   first_value, last_value (x) the argument's type
//   bool_and, bool_or (x)      BOOLEAN
//   array_agg    (x)            ARRAY<type of x>
//   grouping     (keys...)      BIGINT
//   single_value (x)            the argument's type; a second row is error 21000 (scalar subqueries)
// Aliases: stddev -> stddev_samp, variance -> var_samp, string_agg -> listagg, every -> bool_and.

import type { DataType } from '../../common/data-type.js';
import { Types, isInteger, isNumeric } from '../../common/data-type.js';
import { canImplicitlyCast, decimalType } from './types.js';

export interface ResolvedAggregate {
  /** Registry name for AggCall.fn. */
  readonly fn: string;
  readonly returnType: DataType;
  /** The type each argument must be cast to before accumulation. */
  readonly argTypes: readonly DataType[];
  /** False for COUNT: an empty group gives 0, not NULL. */
  readonly nullable: boolean;
}

type AggResolver = (args: readonly DataType[], distinct: boolean) => Omit<ResolvedAggregate, 'fn'> | undefined;

const aggregates = new Map<string, AggResolver>();
const aggAliases = new Map<string, string>([
  ['stddev', 'stddev_samp'],
  ['variance', 'var_samp'],
  ['string_agg', 'listagg'],
  ['every', 'bool_and'],
]);

function orderable(t: DataType): boolean {
  return t.kind !== 'MAP' && t.kind !== 'NULL';
}

aggregates.set('count', (args) => (args.length >= 1 ? { returnType: Types.bigint, argTypes: args, nullable: false } : undefined));
aggregates.set('count_star', (args) => (args.length === 0 ? { returnType: Types.bigint, argTypes: [], nullable: false } : undefined));
aggregates.set('sum', (args) => {
  if (args.length !== 1) return undefined;
  const t = args[0]!.kind === 'NULL' ? Types.int : args[0]!;
  if (isInteger(t)) return { returnType: Types.bigint, argTypes: [Types.bigint], nullable: true };
  if (t.kind === 'DECIMAL') return { returnType: decimalType(38, t.scale), argTypes: [t], nullable: true };
  if (t.kind === 'FLOAT' || t.kind === 'DOUBLE') return { returnType: t, argTypes: [t], nullable: true };
  if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') return { returnType: t, argTypes: [t], nullable: true };
  return undefined;
});
aggregates.set('avg', (args) => {
  if (args.length !== 1) return undefined;
  const t = args[0]!.kind === 'NULL' ? Types.double : args[0]!;
  if (t.kind === 'DECIMAL') return { returnType: decimalType(38, Math.max(t.scale, 6)), argTypes: [t], nullable: true };
  if (isNumeric(t)) return { returnType: Types.double, argTypes: [Types.double], nullable: true };
  if (t.kind === 'INTERVAL_DAY_TIME') return { returnType: t, argTypes: [t], nullable: true };
  return undefined;
});
for (const name of ['min', 'max', 'first_value', 'last_value']) {
  aggregates.set(name, (args) => {
    if (args.length !== 1 || !orderable(args[0]!)) return undefined;
    return { returnType: args[0]!, argTypes: args, nullable: true };
  });
}
for (const name of ['stddev_pop', 'stddev_samp', 'var_pop', 'var_samp']) {
  aggregates.set(name, (args) => {
    if (args.length !== 1 || !(isNumeric(args[0]!) || args[0]!.kind === 'NULL')) return undefined;
    return { returnType: Types.double, argTypes: [Types.double], nullable: true };
  });
}
aggregates.set('listagg', (args) => {
  if (args.length < 1 || args.length > 2) return undefined;
  if (!args.every((a) => canImplicitlyCast(a, Types.string) || isNumeric(a))) return undefined;
  return { returnType: Types.string, argTypes: args.map(() => Types.string), nullable: true };
});
for (const name of ['bool_and', 'bool_or']) {
  aggregates.set(name, (args) => (args.length === 1 && canImplicitlyCast(args[0]!, Types.boolean) ? { returnType: Types.boolean, argTypes: [Types.boolean], nullable: true } : undefined));
}
aggregates.set('array_agg', (args) => {
  if (args.length !== 1) return undefined;
  const e = args[0]!.kind === 'NULL' ? Types.string : args[0]!;
  return { returnType: { kind: 'ARRAY', element: e }, argTypes: [e], nullable: true };
});
aggregates.set('single_value', (args) => (args.length === 1 ? { returnType: args[0]!.kind === 'NULL' ? Types.string : args[0]!, argTypes: args, nullable: true } : undefined));
aggregates.set('grouping', (args) => (args.length >= 1 ? { returnType: Types.bigint, argTypes: args, nullable: false } : undefined));

function canonicalAggregate(name: string): string | undefined {
  if (aggregates.has(name)) return name;
  return aggAliases.get(name);
}

export function resolveAggregateCall(name: string, argTypes: readonly DataType[], distinct: boolean): ResolvedAggregate | undefined {
  let canonical = canonicalAggregate(name);
  if (canonical === undefined) return undefined;
  // COUNT(*) arrives as count with no arguments.
  if (canonical === 'count' && argTypes.length === 0) canonical = 'count_star';
  if (canonical === 'listagg' && name === 'string_agg' && argTypes.length !== 2) return undefined;
  const r = aggregates.get(canonical)!(argTypes, distinct);
  return r === undefined ? undefined : { fn: canonical, ...r };
}

export function isAggregateName(name: string): boolean {
  return canonicalAggregate(name) !== undefined;
}

export function aggregateFunctionNames(): string[] {
  return [...aggregates.keys(), ...aggAliases.keys()].filter((n) => n !== 'count_star');
}
