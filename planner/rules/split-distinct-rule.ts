// split-distinct: COUNT/SUM(DISTINCT x) by a (possibly skewed) key as two aggregations: first by key and a bucket of
// x's hash, then the buckets' results summed by key ('table.optimizer.distinct-agg.split.enabled', Flink's setting).
//
// Each distinct value of x falls in exactly one bucket, so counting (summing) distinct values per
// bucket and adding the buckets up gives the distinct count (sum) per key. The hot key's distinct
// values are spread over 'table.optimizer.distinct-agg.split.bucket-num' groups instead of one, and
// the outer aggregation keeps no distinct values at all: it only adds numbers, so it merges partials
// and can run in two phases with mini-batches (agg-phase runs after this rule). Plain COUNT, SUM, MIN
// and MAX beside the distinct calls are split alike (counts and sums added, extremes of extremes).

import type { DataType, Field } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { AggCall, Aggregate, LogicalPlan } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { project } from '../logical/project.js';
import { transformUp } from '../binder/bound-utils.js';
import type { OptimizerContext } from '../cost/context.js';
import { estimatePlan } from '../cost/estimate.js';
import type { Rule } from './rule.js';

const INT: DataType = { kind: 'INT' };

/** Calls the outer aggregation can rebuild from per-bucket results, and how. */
function outerFn(call: AggCall): string | undefined {
  if (call.orderBy !== undefined && call.orderBy.length > 0) return undefined;
  switch (call.fn) {
    case 'count':
    case 'count_star':
    case 'sum':
      return 'sum';
    case 'min':
    case 'max':
      return call.distinct ? undefined : call.fn;
    default:
      return undefined;
  }
}

export const splitDistinctRule: Rule = {
  name: 'split-distinct',
  rewrite(plan, context) {
    if (context === undefined || !context.settings.splitDistinct) return { plan, changed: false };
    const out = transformUp(plan, (p) => (p.kind === 'Aggregate' && p.strategy === undefined ? split(p, context) : p));
    return { plan: out, changed: out !== plan };
  },
};

function split(agg: Aggregate, ctx: OptimizerContext): LogicalPlan {
  if (agg.groupingSets !== undefined || agg.groupKeys.length === 0) return agg;
  const distinct = agg.aggs.filter((c) => c.distinct);
  if (distinct.length === 0) return agg;
  // One distinct argument for every distinct call: the bucket is a function of it.
  const arg = distinct[0]?.args[0];
  if (arg === undefined || distinct.some((c) => c.args.length !== 1 || c.args[0] !== arg)) return agg;
  if (agg.aggs.some((c) => outerFn(c) === undefined)) return agg;
  const buckets = ctx.settings.splitDistinctBuckets;
  const input = agg.input;
  const width = input.schema.length;
  const argType = input.schema[arg]?.type ?? INT;
  // bucket = ((hash_code(CAST(x AS VARCHAR)) % n) + n) % n: in 0 .. n-1 (NULL for a NULL x, a bucket of its own).
  const text: BoundExpr = argType.kind === 'VARCHAR' ? { kind: 'InputRef', index: arg, type: argType } : { kind: 'Cast', operand: { kind: 'InputRef', index: arg, type: argType }, type: { kind: 'VARCHAR', length: null }, try: false };
  const n: BoundExpr = { kind: 'Literal', value: buckets, type: INT };
  const hash: BoundExpr = { kind: 'Call', fn: 'hash_code', args: [text], type: INT };
  const mod = (e: BoundExpr): BoundExpr => ({ kind: 'Call', fn: '%', args: [e, n], type: INT });
  const bucket = mod({ kind: 'Call', fn: '+', args: [mod(hash), n], type: INT });
  const passThrough: BoundExpr[] = input.schema.map((f, i) => ({ kind: 'InputRef', index: i, type: f.type }));
  const withBucket = project(input, [...passThrough, bucket], [...input.schema, { name: '$bucket', type: INT, nullable: true }]);
  // Inner: by key and bucket, each call as it was (distinct ones distinct within their bucket).
  const innerKeys = [...agg.groupKeys, width];
  const innerSchema: Field[] = [
    ...agg.groupKeys.map((k) => input.schema[k] as Field),
    { name: '$bucket', type: INT, nullable: true },
    ...agg.aggs.map((c, i) => ({ name: `$part${i}`, type: c.type, nullable: true })),
  ];
  const inner = aggregate(withBucket, innerKeys, agg.aggs, innerSchema);
  // Outer: by key, adding the buckets' counts and sums, taking extremes of extremes.
  const nk = agg.groupKeys.length;
  const outerAggs: AggCall[] = agg.aggs.map((c, i) => ({ fn: outerFn(c) as string, args: [nk + 1 + i], distinct: false, type: c.type, name: c.name }));
  const outer = aggregate(inner, agg.groupKeys.map((_, i) => i), outerAggs, agg.schema);
  const hot = estimatePlan(input, ctx).root.columns[agg.groupKeys[0] as number]?.topShare ?? 0;
  const keys = agg.groupKeys.map((k) => input.schema[k]?.name ?? `#${k}`).join(', ');
  ctx.notes.push(`distinct aggregation by [${keys}] split over ${buckets} buckets of ${input.schema[arg]?.name ?? `#${arg}`} (the hottest key holds ${(hot * 100).toFixed(0)}% of rows)`);
  return outer;
}
