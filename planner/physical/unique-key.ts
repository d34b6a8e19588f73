// Unique keys of a logical plan: output columns whose values no two rows share at any
// quiescent moment (between batches). A materialized view files its rows by such a key,
// so an update (-U old, +U new of one key) changes one state entry instead of two.
//
// Only what the plan's shape guarantees: when a node's output is not obviously keyed,
// the answer is undefined. The empty key means at most one row (a global aggregate).

import type { LogicalPlan } from '../logical/index.js';

/**
 * The column indexes of `plan`'s output that form a unique key, or undefined when none is
 * known. Example: `SELECT k, count(*) FROM t GROUP BY k` has the key [0].
 */
export function uniqueKey(plan: LogicalPlan): number[] | undefined {
  switch (plan.kind) {
    case 'Aggregate':
      // With grouping sets, a row of one set can equal a row of another (NULLs where keys are absent).
      if (plan.groupingSets !== undefined) return undefined;
      // Output: the group keys in order, then the aggregates. No GROUP BY: at most one row.
      return plan.groupKeys.map((_, i) => i);
    case 'Project': {
      const key = uniqueKey(plan.input);
      if (key === undefined) return undefined;
      // Each key column must come out unchanged (as it is, not through an expression).
      const out: number[] = [];
      for (const col of key) {
        const at = plan.exprs.findIndex((e) => e.kind === 'InputRef' && e.index === col);
        if (at < 0) return undefined;
        out.push(at);
      }
      return out;
    }
    case 'Filter':
      return uniqueKey(plan.input);
    case 'Sort':
      // With a limit or an offset, a continuous Sort is maintained as a TopN: left out.
      return plan.limit === undefined && plan.offset === 0 ? uniqueKey(plan.input) : undefined;
    case 'Deduplicate':
      // One row per key (the first or the last); the rank, if output, is always 1.
      return [...plan.keys];
    case 'TopN':
      if (plan.rankFn !== 'ROW_NUMBER') return undefined;
      // Row numbers within a partition are distinct; the rank column follows the input's columns.
      if (plan.outputRank) return [...plan.partitionKeys, plan.input.schema.length];
      return plan.limit === 1 ? [...plan.partitionKeys] : undefined;
    case 'Scan':
    case 'Values':
    case 'Join':
    case 'Union':
    case 'SetOp':
    case 'Over':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'MatchRecognize':
    case 'TemporalJoin':
      return undefined;
    default: {
      const unreachable: never = plan;
      throw new Error(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}
