// top-n: a filter on a ROW_NUMBER / RANK / DENSE_RANK column becomes a TopN; ROW_NUMBER() = 1 ordered by a time attribute becomes a Deduplicate.
//
// Recognised bounds on the rank r (constants n, a, b): r <= n, r < n, r = n, r >= a, r > a,
// the same written the other way round, and r BETWEEN a AND b. Ranks a..b are kept: offset
// a - 1, limit b - a + 1. Without an upper bound there is nothing to limit and the plan stays.
// The rank column stays an output (`outputRank`); projection-pruning drops it when unused.

import { Decimal } from '../../common/decimal.js';
import type { BoundExpr } from '../bound/expr.js';
import type { Deduplicate, Filter, LogicalPlan, Over, TopN } from '../logical/index.js';
import { filter } from '../logical/filter.js';
import { andAll, conjuncts, transformUp } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const topNRule: Rule = {
  name: 'top-n',
  rewrite(plan) {
    const out = transformUp(plan, (node) => (node.kind === 'Filter' && node.input.kind === 'Over' ? rewrite(node, node.input) : node));
    return { plan: out, changed: out !== plan };
  },
};

const rankFunctions = new Map<string, TopN['rankFn']>([['row_number', 'ROW_NUMBER'], ['rank', 'RANK'], ['dense_rank', 'DENSE_RANK']]);

function rewrite(f: Filter, over: Over): LogicalPlan {
  const call = over.calls[0];
  if (over.calls.length !== 1 || call === undefined || over.orderKeys.length === 0) return f;
  const rankFn = rankFunctions.get(call.fn);
  if (rankFn === undefined) return f;
  const rankCol = over.input.schema.length;
  let low = 1;
  let high = Number.POSITIVE_INFINITY;
  const rest: BoundExpr[] = [];
  for (const c of conjuncts(f.predicate)) {
    const b = rankBound(c, rankCol);
    if (b === undefined) {
      rest.push(c);
      continue;
    }
    low = Math.max(low, b.low);
    high = Math.min(high, b.high);
  }
  if (!Number.isFinite(high) || high < low) return f;
  let node: LogicalPlan;
  const order = over.orderKeys[0];
  const orderField = order === undefined ? undefined : over.input.schema[order.index];
  if (rankFn === 'ROW_NUMBER' && low === 1 && high === 1 && over.orderKeys.length === 1 && order !== undefined && orderField?.timeAttribute !== undefined) {
    const d: Deduplicate = {
      kind: 'Deduplicate',
      input: over.input,
      keys: over.partitionKeys,
      keep: order.descending ? 'LAST' : 'FIRST',
      orderIndex: order.index,
      outputRank: true,
      schema: over.schema,
    };
    node = d;
  } else {
    const t: TopN = {
      kind: 'TopN',
      input: over.input,
      partitionKeys: over.partitionKeys,
      orderKeys: over.orderKeys,
      rankFn,
      offset: low - 1,
      limit: high - low + 1,
      outputRank: true,
      schema: over.schema,
    };
    node = t;
  }
  return rest.length === 0 ? node : filter(node, andAll(rest));
}

/** The ranks a conjunct keeps, when it bounds the rank column by a constant. */
function rankBound(c: BoundExpr, rankCol: number): { low: number; high: number } | undefined {
  if (c.kind !== 'Call') return undefined;
  const isRank = (e: BoundExpr | undefined): boolean => e !== undefined && stripCast(e).kind === 'InputRef' && (stripCast(e) as { index: number }).index === rankCol;
  if (c.fn === 'between' && c.args.length === 3 && isRank(c.args[0])) {
    const a = constant(c.args[1]);
    const b = constant(c.args[2]);
    return a === undefined || b === undefined ? undefined : { low: Math.ceil(a), high: Math.floor(b) };
  }
  if (c.args.length !== 2) return undefined;
  let op = c.fn;
  let n: number | undefined;
  if (isRank(c.args[0])) n = constant(c.args[1]);
  else if (isRank(c.args[1])) {
    n = constant(c.args[0]);
    op = flipped.get(op) ?? '';
  }
  if (n === undefined) return undefined;
  switch (op) {
    case '<=': return { low: 1, high: Math.floor(n) };
    case '<': return { low: 1, high: Math.ceil(n) - 1 };
    case '=': return Number.isInteger(n) ? { low: n, high: n } : { low: 1, high: 0 };
    case '>=': return { low: Math.ceil(n), high: Number.POSITIVE_INFINITY };
    case '>': return { low: Math.floor(n) + 1, high: Number.POSITIVE_INFINITY };
    default: return undefined;
  }
}

const flipped = new Map([['<=', '>='], ['<', '>'], ['>=', '<='], ['>', '<'], ['=', '=']]);

function stripCast(e: BoundExpr): BoundExpr {
  return e.kind === 'Cast' && !e.try ? stripCast(e.operand) : e;
}

function constant(e: BoundExpr | undefined): number | undefined {
  if (e === undefined) return undefined;
  const x = stripCast(e);
  if (x.kind !== 'Literal') return undefined;
  if (typeof x.value === 'number') return x.value;
  if (x.value instanceof Decimal) return x.value.toNumber();
  return undefined;
}
