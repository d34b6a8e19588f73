// predicate-pushdown: filters move toward the scans — through projections, into join sides (outer joins as SQL allows),
// below aggregates when they test group keys, into union and set-operation inputs, below sorts and window partitions.
//
// Outer joins: a filter above a LEFT join that rejects NULLs of the right side turns it into an
// INNER join (a NULL-extended row could never pass), after which the filter can go down. A
// join's own condition may move conjuncts only into the side whose rows it does not preserve.
// Only deterministic conjuncts without subqueries move.

import { internalError } from '../../common/errors.js';
import type { BoundExpr } from '../bound/expr.js';
import type { Filter, Join, LogicalPlan } from '../logical/index.js';
import { filter } from '../logical/filter.js';
import { join } from '../logical/join.js';
import {
  andAll, andOrNull, conjuncts, inputRefsOf, isDeterministic, nullability, remapInputs, shiftInputs,
  substituteInputs, transformUp,
} from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const predicatePushdownRule: Rule = {
  name: 'predicate-pushdown',
  rewrite(plan) {
    const out = transformUp(plan, (node) => {
      if (node.kind === 'Filter') return pushFilter(node);
      if (node.kind === 'Join') return pushJoinCondition(node);
      return node;
    });
    return { plan: out, changed: out !== plan };
  },
};

function movable(e: BoundExpr): boolean {
  return isDeterministic(e);
}

/** Filter(rest) over `input`, or `input` itself when nothing is left. */
function filterOrInput(input: LogicalPlan, rest: readonly BoundExpr[]): LogicalPlan {
  return rest.length === 0 ? input : filter(input, andAll(rest));
}

/** `preds` as a filter over `input`, pushed on down as far as it goes. */
function pushed(input: LogicalPlan, preds: readonly BoundExpr[]): LogicalPlan {
  if (preds.length === 0) return input;
  return pushFilter(filter(input, andAll(preds)));
}

function pushFilter(f: Filter): LogicalPlan {
  const c = f.input;
  const parts = conjuncts(f.predicate);
  switch (c.kind) {
    case 'Filter':
      return pushed(c.input, [...conjuncts(c.predicate), ...parts]);
    case 'Project': {
      const down: BoundExpr[] = [];
      const stay: BoundExpr[] = [];
      for (const p of parts) {
        const refs = [...inputRefsOf(p)];
        if (movable(p) && refs.every((i) => movable(c.exprs[i] as BoundExpr))) down.push(substituteInputs(p, c.exprs));
        else stay.push(p);
      }
      if (down.length === 0) return f;
      return filterOrInput({ ...c, input: pushed(c.input, down) }, stay);
    }
    case 'Join':
      return pushIntoJoin(c, parts, f);
    case 'Aggregate': {
      const k = c.groupKeys.length;
      const down: BoundExpr[] = [];
      const stay: BoundExpr[] = [];
      for (const p of parts) {
        const refs = [...inputRefsOf(p)];
        // With grouping sets, a key missing from a set is NULL in that set's rows: only keys present in every set commute.
        const ok = movable(p) && refs.every((i) => i < k && (c.groupingSets === undefined || c.groupingSets.every((s) => s.includes(i))));
        if (ok) down.push(remapInputs(p, (i) => c.groupKeys[i] as number));
        else stay.push(p);
      }
      if (down.length === 0) return f;
      return filterOrInput({ ...c, input: pushed(c.input, down) }, stay);
    }
    case 'Union': {
      if (!parts.every(movable)) return f;
      return { ...c, inputs: c.inputs.map((i) => pushed(i, parts)) };
    }
    case 'SetOp': {
      if (!parts.every(movable)) return f;
      return { ...c, left: pushed(c.left, parts), right: pushed(c.right, parts) };
    }
    case 'Sort': {
      if (c.limit !== undefined || c.offset !== 0 || !parts.every(movable)) return f;
      return { ...c, input: pushed(c.input, parts) };
    }
    case 'Over':
      return pushBelowPartition(f, parts, c.partitionKeys, (input) => ({ ...c, input }));
    case 'TopN':
      return pushBelowPartition(f, parts, c.partitionKeys, (input) => ({ ...c, input }));
    case 'Deduplicate':
      return pushBelowPartition(f, parts, c.keys, (input) => ({ ...c, input }));
    case 'WindowTableFunction': {
      // Row by row for TUMBLE, HOP and CUMULATE; a SESSION's windows depend on which rows are there.
      if (c.window.kind === 'SESSION') return f;
      const w = c.input.schema.length;
      const down = parts.filter((p) => movable(p) && [...inputRefsOf(p)].every((i) => i < w));
      if (down.length === 0) return f;
      return filterOrInput({ ...c, input: pushed(c.input, down) }, parts.filter((p) => !down.includes(p)));
    }
    case 'WindowAggregate': {
      const k = c.groupKeys.length;
      const down: BoundExpr[] = [];
      const stay: BoundExpr[] = [];
      for (const p of parts) {
        const refs = [...inputRefsOf(p)];
        if (movable(p) && refs.length > 0 && refs.every((i) => i < k)) down.push(remapInputs(p, (i) => c.groupKeys[i] as number));
        else stay.push(p);
      }
      if (down.length === 0) return f;
      return filterOrInput({ ...c, input: pushed(c.input, down) }, stay);
    }
    case 'WindowTopN':
      return pushBelowPartition(f, parts, c.partitionKeys, (input) => ({ ...c, input }));
    case 'WindowDeduplicate':
      return pushBelowPartition(f, parts, c.keys, (input) => ({ ...c, input }));
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'MatchRecognize':
      return f;
    case 'TemporalJoin': {
      // Left rows pass or fail on their own, whichever version they meet; a filter on the
      // right side stays above, as filtering versions would change which one is valid when.
      const w = c.left.schema.length;
      const down = parts.filter((p) => movable(p) && [...inputRefsOf(p)].every((i) => i < w));
      if (down.length === 0) return f;
      return filterOrInput({ ...c, left: pushed(c.left, down) }, parts.filter((p) => !down.includes(p)));
    }
    case 'Scan':
    case 'Values':
      return f;
    default: {
      const unreachable: never = c;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/** Conjuncts that only test partition keys remove whole partitions: they commute with per-partition operators. */
function pushBelowPartition(f: Filter, parts: readonly BoundExpr[], keys: readonly number[], rebuild: (input: LogicalPlan) => LogicalPlan): LogicalPlan {
  const down = parts.filter((p) => movable(p) && inputRefsOf(p).size > 0 && [...inputRefsOf(p)].every((i) => keys.includes(i)));
  if (down.length === 0) return f;
  const input = (f.input as LogicalPlan & { input: LogicalPlan }).input;
  return filterOrInput(rebuild(pushed(input, down)), parts.filter((p) => !down.includes(p)));
}

type Side = 'none' | 'left' | 'right' | 'both';

function sideOf(e: BoundExpr, leftWidth: number): Side {
  let l = false;
  let r = false;
  for (const i of inputRefsOf(e)) {
    if (i < leftWidth) l = true;
    else r = true;
  }
  return l && r ? 'both' : l ? 'left' : r ? 'right' : 'none';
}

/**
 * Whether `e` is never TRUE when every column in `cols` is NULL: then rows NULL-extended
 * on those columns cannot pass a filter on `e`.
 */
export function rejectsNulls(e: BoundExpr, cols: (i: number) => boolean): boolean {
  switch (e.kind) {
    case 'InputRef': return cols(e.index);
    case 'Cast': return !e.try && rejectsNulls(e.operand, cols);
    case 'Call': {
      if (e.fn === 'and') return e.args.some((a) => rejectsNulls(a, cols));
      if (e.fn === 'or') return e.args.every((a) => rejectsNulls(a, cols));
      if (e.fn === 'not') return e.args.length === 1 && strictOn(e.args[0] as BoundExpr, cols);
      if (e.fn === 'is_not_null' || e.fn === 'is_true') return strictOn(e.args[0] as BoundExpr, cols);
      return strictOn(e, cols);
    }
    default:
      return false;
  }
}

/** Whether `e` is NULL whenever the columns are NULL (NULL in, NULL out through strict calls). */
function strictOn(e: BoundExpr, cols: (i: number) => boolean): boolean {
  switch (e.kind) {
    case 'InputRef': return cols(e.index);
    case 'Cast': return !e.try && strictOn(e.operand, cols);
    case 'Call': return nullability(e) === 'propagate' && e.args.some((a) => strictOn(a, cols));
    default: return false;
  }
}

function pushIntoJoin(j: Join, parts: readonly BoundExpr[], f: Filter): LogicalPlan {
  const lw = j.left.schema.length;
  const isLeft = (i: number) => i < lw;
  const isRight = (i: number) => i >= lw;
  // First, outer joins that the filter makes inner (or less outer).
  let type = j.joinType;
  const rejectsRight = parts.some((p) => rejectsNulls(p, isRight));
  const rejectsLeft = parts.some((p) => rejectsNulls(p, isLeft));
  if (type === 'LEFT' && rejectsRight) type = 'INNER';
  else if (type === 'RIGHT' && rejectsLeft) type = 'INNER';
  else if (type === 'FULL') {
    if (rejectsLeft && rejectsRight) type = 'INNER';
    else if (rejectsLeft) type = 'LEFT';
    else if (rejectsRight) type = 'RIGHT';
  }
  const toLeft: BoundExpr[] = [];
  const toRight: BoundExpr[] = [];
  const toCond: BoundExpr[] = [];
  const stay: BoundExpr[] = [];
  for (const p of parts) {
    const side = sideOf(p, lw);
    if (!movable(p)) stay.push(p);
    else if (type === 'SEMI' || type === 'ANTI') {
      // Their output is the left row: every conjunct is about the left side.
      toLeft.push(p);
    } else if (side === 'left' && (type === 'INNER' || type === 'LEFT')) toLeft.push(p);
    else if (side === 'right' && (type === 'INNER' || type === 'RIGHT')) toRight.push(shiftInputs(p, -lw));
    else if (side === 'both' && type === 'INNER') toCond.push(p);
    else stay.push(p);
  }
  if (type === j.joinType && toLeft.length === 0 && toRight.length === 0 && toCond.length === 0) return f;
  const left = pushed(j.left, toLeft);
  const right = pushed(j.right, toRight);
  const cond = andOrNull([...(j.condition === null ? [] : conjuncts(j.condition)), ...toCond]);
  return filterOrInput(pushJoinCondition(join(type, left, right, cond)), stay);
}

/** A join's own condition: conjuncts about one side go into that side when the join does not preserve its rows. */
function pushJoinCondition(j: Join): LogicalPlan {
  if (j.condition === null) return j;
  const lw = j.left.schema.length;
  const toLeft: BoundExpr[] = [];
  const toRight: BoundExpr[] = [];
  const keep: BoundExpr[] = [];
  const leftFilterable = j.joinType === 'INNER' || j.joinType === 'RIGHT' || j.joinType === 'SEMI';
  const rightFilterable = j.joinType === 'INNER' || j.joinType === 'LEFT' || j.joinType === 'SEMI' || j.joinType === 'ANTI';
  for (const p of conjuncts(j.condition)) {
    const side = sideOf(p, lw);
    if (movable(p) && side === 'left' && leftFilterable) toLeft.push(p);
    else if (movable(p) && side === 'right' && rightFilterable) toRight.push(shiftInputs(p, -lw));
    else keep.push(p);
  }
  if (toLeft.length === 0 && toRight.length === 0) return j;
  return join(j.joinType, pushed(j.left, toLeft), pushed(j.right, toRight), andOrNull(keep));
}
