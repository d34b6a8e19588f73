// Aggregate function registry: an AggCall's `fn` name to the accumulator that computes it.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { AggCall } from '../../../planner/logical/aggregate.js';
import type { Accumulator, AccumulatorContext } from './accumulator.js';
import { AvgAccumulator } from './avg.js';
import { BoolAccumulator } from './bool.js';
import { CountAccumulator } from './count.js';
import { FirstLastAccumulator } from './first-last.js';
import { GroupingAccumulator } from './grouping.js';
import { ListAggAccumulator } from './listagg.js';
import { MinMaxAccumulator } from './min-max.js';
import { SingleValueAccumulator } from './single-value.js';
import { SumAccumulator } from './sum.js';
import { VarianceAccumulator } from './variance.js';

export interface GroupingContext {
  readonly groupKeys: readonly number[];
  readonly groupingSets: readonly (readonly number[])[] | undefined;
}

/** Every function name createAccumulator knows. */
export const aggregateFunctionNames: readonly string[] = [
  'count', 'count_star', 'sum', 'avg', 'min', 'max',
  'stddev_pop', 'stddev_samp', 'stddev', 'var_pop', 'var_samp', 'variance',
  'listagg', 'string_agg', 'first_value', 'last_value', 'bool_and', 'bool_or', 'every', 'grouping', 'single_value',
];

export function createAccumulator(call: AggCall, context: AccumulatorContext, grouping: GroupingContext): Accumulator {
  const arg = (): number => {
    const a = call.args[0];
    if (a === undefined) throw new SqlError(SqlState.undefinedFunction, `function ${call.fn}() requires an argument`);
    return a;
  };
  switch (call.fn) {
    case 'count': return new CountAccumulator(call.args);
    case 'count_star': return new CountAccumulator([]);
    case 'sum': return new SumAccumulator(arg(), call.type);
    case 'avg': return new AvgAccumulator(arg(), call.type);
    case 'min': arg(); return new MinMaxAccumulator(call, false, call.type, context);
    case 'max': arg(); return new MinMaxAccumulator(call, true, call.type, context);
    case 'var_pop': return new VarianceAccumulator(arg(), 'var_pop', call.type);
    case 'var_samp':
    case 'variance': return new VarianceAccumulator(arg(), 'var_samp', call.type);
    case 'stddev_pop': return new VarianceAccumulator(arg(), 'stddev_pop', call.type);
    case 'stddev_samp':
    case 'stddev': return new VarianceAccumulator(arg(), 'stddev_samp', call.type);
    case 'listagg':
    case 'string_agg': arg(); return new ListAggAccumulator(call, context);
    case 'first_value': arg(); return new FirstLastAccumulator(call, false, context);
    case 'last_value': arg(); return new FirstLastAccumulator(call, true, context);
    case 'bool_and':
    case 'every': return new BoolAccumulator(arg(), true);
    case 'bool_or': return new BoolAccumulator(arg(), false);
    case 'grouping': return new GroupingAccumulator(call.args, grouping.groupKeys, grouping.groupingSets);
    case 'single_value': return new SingleValueAccumulator(arg());
    default:
      throw new SqlError(SqlState.undefinedFunction, `aggregate function ${call.fn} does not exist`);
  }
}
