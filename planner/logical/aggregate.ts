// Aggregate: GROUP BY (with grouping sets) and aggregate calls; also DISTINCT.

import type { DataType, Schema } from '../../common/data-type.js';
import type { SortKey } from './sort.js';
import type { LogicalPlan } from './index.js';

/**
 * One aggregate call over input columns. `fn` is the lower-case registry name:
 * `count` (with args) / `count_star`, `sum`, `avg`, `min`, `max`, `stddev_pop`,
 * `stddev_samp`, `var_pop`, `var_samp`, `listagg` (args: value, separator),
 * `first_value`, `last_value`, `bool_and`, `bool_or`, `grouping` (args: group key columns).
 */
export interface AggCall {
  readonly fn: string;
  readonly args: readonly number[];
  readonly distinct: boolean;
  /** Input column holding the FILTER (WHERE ...) condition. */
  readonly filter?: number;
  /** Argument order for order-sensitive aggregates (`STRING_AGG(x, ',' ORDER BY y)`). */
  readonly orderBy?: readonly SortKey[];
  readonly type: DataType;
  readonly name: string;
}

/**
 * Output: the group key columns (in `groupKeys` order), then one column per aggregate.
 * With `groupingSets`, each set lists positions into `groupKeys`; keys absent from a
 * set are NULL in that set's rows.
 */
export interface Aggregate {
  readonly kind: 'Aggregate';
  readonly input: LogicalPlan;
  readonly groupKeys: readonly number[];
  readonly groupingSets?: readonly (readonly number[])[];
  readonly aggs: readonly AggCall[];
  readonly schema: Schema;
  /** How it runs, chosen by cost (planner/rules/agg-phase-rule.ts); absent: one phase. */
  readonly strategy?: AggregateStrategy;
}

/**
 * One phase: a GroupAggregate over the input, with `bundleRows` > 0 behind a MiniBatch that
 * gathers input batches into bundles first. Two phases: a LocalGroupAggregate folds each
 * bundle (`bundleRows` rows, 0: each input batch) into one partial per group, in memory, and
 * a GlobalGroupAggregate merges the partials into its state. A bundle waits at most
 * `allowLatency` microseconds (0: no limit). `reason` says why.
 */
export type AggregateStrategy =
  | { readonly kind: 'one-phase'; readonly bundleRows: number; readonly allowLatency: number; readonly reason: string }
  | { readonly kind: 'two-phase'; readonly bundleRows: number; readonly allowLatency: number; readonly reason: string };

export function aggregate(
  input: LogicalPlan,
  groupKeys: readonly number[],
  aggs: readonly AggCall[],
  schema: Schema,
  groupingSets?: readonly (readonly number[])[],
): Aggregate {
  if (groupKeys.length + aggs.length !== schema.length) throw new Error('aggregate schema does not match keys and calls');
  return groupingSets ? { kind: 'Aggregate', input, groupKeys, groupingSets, aggs, schema } : { kind: 'Aggregate', input, groupKeys, aggs, schema };
}
