// projection-pruning: columns nothing reads are dropped — unused projections, aggregate calls and window
// calls disappear, and the inputs of stateful operators (joins, aggregates, windows, top-N, dedup,
// unions, sorts) are narrowed to the columns those operators need, so they keep less state.
//
// `prune(plan, needed)` returns a plan producing at least the needed columns and where each
// needed column went. Stateless chains (Filter, Project over a Scan) may keep extra columns;
// the stateful operator above them narrows its input with one Project.

import { internalError } from '../../common/errors.js';
import type { Field } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { AggCall, IntervalJoin, LogicalPlan, OverCall, SortKey, TemporalJoin, WindowColumns, WindowJoin } from '../logical/index.js';
import { temporalJoin } from '../logical/temporal-join.js';
import { aggregate } from '../logical/aggregate.js';
import { filter } from '../logical/filter.js';
import { join } from '../logical/join.js';
import { over } from '../logical/over.js';
import { project } from '../logical/project.js';
import { setOp } from '../logical/set-op.js';
import { union } from '../logical/union.js';
import { values } from '../logical/values.js';
import { windowAggregate } from '../logical/window-aggregate.js';
import { windowTableFunction } from '../logical/window-table-function.js';
import { inputRef, inputRefsOf, remapInputs } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const projectionPruningRule: Rule = {
  name: 'projection-pruning',
  rewrite(plan) {
    const all = range(plan.schema.length);
    const r = prune(plan, new Set(all));
    const out = exactly(r, all).plan;
    return { plan: out, changed: out !== plan };
  },
};

interface Pruned {
  readonly plan: LogicalPlan;
  /** Old column index to new, for every needed column (others may be absent). */
  readonly map: (i: number) => number;
  readonly identity: boolean;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const same = (plan: LogicalPlan): Pruned => ({ plan, map: (i) => i, identity: true });

/** Narrows a pruned plan to exactly `cols` (old indexes, ascending): one Project, merged into a Project below. */
function exactly(r: Pruned, cols: readonly number[]): Pruned {
  const positions = cols.map((c) => r.map(c));
  const s = r.plan.schema;
  if (positions.length === s.length && positions.every((p, i) => p === i)) return r;
  const at = new Map(cols.map((c, i) => [c, i]));
  const map = (i: number) => at.get(i) as number;
  const fields = positions.map((p) => s[p] as Field);
  if (r.plan.kind === 'Project') {
    const inner = r.plan;
    return { plan: project(inner.input, positions.map((p) => inner.exprs[p] as BoundExpr), fields), map, identity: false };
  }
  return { plan: project(r.plan, positions.map((p) => inputRef(p, s)), fields), map, identity: false };
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

function prune(plan: LogicalPlan, needed: Set<number>): Pruned {
  switch (plan.kind) {
    case 'Scan':
      return same(plan);
    case 'Values': {
      const keep = sorted(needed);
      if (keep.length === plan.schema.length) return same(plan);
      const at = new Map(keep.map((c, i) => [c, i]));
      return {
        plan: values(plan.rows.map((r) => keep.map((c) => r[c] as BoundExpr)), keep.map((c) => plan.schema[c] as Field)),
        map: (i) => at.get(i) as number,
        identity: false,
      };
    }
    case 'Filter': {
      const want = new Set(needed);
      inputRefsOf(plan.predicate, want);
      const r = prune(plan.input, want);
      if (r.identity && r.plan === plan.input) return same(plan);
      return { plan: filter(r.plan, remapInputs(plan.predicate, r.map)), map: r.map, identity: r.identity };
    }
    case 'Project': {
      const keep = sorted(needed).filter((i) => i < plan.exprs.length);
      const want = new Set<number>();
      for (const i of keep) inputRefsOf(plan.exprs[i] as BoundExpr, want);
      const r = prune(plan.input, want);
      if (keep.length === plan.exprs.length && r.identity && r.plan === plan.input) return same(plan);
      const at = new Map(keep.map((c, i) => [c, i]));
      const exprs = keep.map((i) => remapInputs(plan.exprs[i] as BoundExpr, r.map));
      return {
        plan: project(r.plan, exprs, keep.map((i) => plan.schema[i] as Field)),
        map: (i) => at.get(i) as number,
        identity: keep.length === plan.exprs.length,
      };
    }
    case 'Join': {
      const lw = plan.left.schema.length;
      const outputsRight = plan.joinType !== 'SEMI' && plan.joinType !== 'ANTI';
      const lw0 = new Set<number>();
      const rw0 = new Set<number>();
      for (const i of needed) {
        if (i < lw) lw0.add(i);
        else if (outputsRight) rw0.add(i - lw);
      }
      if (plan.condition !== null) {
        for (const i of inputRefsOf(plan.condition)) {
          if (i < lw) lw0.add(i);
          else rw0.add(i - lw);
        }
      }
      const l = exactly(prune(plan.left, lw0), sorted(lw0));
      const r = exactly(prune(plan.right, rw0), sorted(rw0));
      if (l.identity && r.identity && l.plan === plan.left && r.plan === plan.right) return same(plan);
      const newLw = l.plan.schema.length;
      const remap = (i: number) => (i < lw ? l.map(i) : newLw + r.map(i - lw));
      const cond = plan.condition === null ? null : remapInputs(plan.condition, remap);
      return { plan: join(plan.joinType, l.plan, r.plan, cond), map: remap, identity: false };
    }
    case 'Aggregate': {
      const k = plan.groupKeys.length;
      let keepAggs = plan.aggs.map((_, a) => a).filter((a) => needed.has(k + a));
      // A global aggregate must still produce its one row: keep one call.
      if (k === 0 && keepAggs.length === 0 && plan.aggs.length > 0) keepAggs = [0];
      const aggs = keepAggs.map((a) => plan.aggs[a] as AggCall);
      const want = new Set<number>(plan.groupKeys);
      for (const a of aggs) {
        for (const x of a.args) want.add(x);
        if (a.filter !== undefined) want.add(a.filter);
        for (const o of a.orderBy ?? []) want.add(o.index);
      }
      const r = exactly(prune(plan.input, want), sorted(want));
      if (aggs.length === plan.aggs.length && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const newAggs = aggs.map((a): AggCall => ({
        ...a,
        args: a.args.map(m),
        ...(a.filter === undefined ? {} : { filter: m(a.filter) }),
        ...(a.orderBy === undefined ? {} : { orderBy: a.orderBy.map((o) => ({ ...o, index: m(o.index) })) }),
      }));
      const schema = [...plan.schema.slice(0, k), ...keepAggs.map((a) => plan.schema[k + a] as Field)];
      const at = new Map(keepAggs.map((a, i) => [k + a, k + i]));
      return {
        plan: aggregate(r.plan, plan.groupKeys.map(m), newAggs, schema, plan.groupingSets),
        map: (i) => (i < k ? i : (at.get(i) as number)),
        identity: keepAggs.length === plan.aggs.length,
      };
    }
    case 'Union': {
      const keep = sorted(needed);
      const inputs = plan.inputs.map((i) => exactly(prune(i, new Set(keep)), keep));
      if (keep.length === plan.schema.length && inputs.every((r, i) => r.plan === plan.inputs[i])) return same(plan);
      const at = new Map(keep.map((c, i) => [c, i]));
      return {
        plan: union(inputs.map((r) => r.plan), keep.map((c) => plan.schema[c] as Field)),
        map: (i) => at.get(i) as number,
        identity: keep.length === plan.schema.length,
      };
    }
    case 'SetOp': {
      // Set semantics compare whole rows: every column is needed.
      const all = range(plan.schema.length);
      const l = exactly(prune(plan.left, new Set(all)), all);
      const r = exactly(prune(plan.right, new Set(all)), all);
      if (l.plan === plan.left && r.plan === plan.right) return same(plan);
      return same(setOp(plan.op, plan.all, l.plan, r.plan, plan.schema));
    }
    case 'Sort': {
      const want = new Set(needed);
      for (const k of plan.keys) want.add(k.index);
      let r = prune(plan.input, want);
      // A sort with a limit keeps rows as state: narrow what it keeps.
      if (plan.limit !== undefined) r = exactly(r, sorted(want));
      if (r.identity && r.plan === plan.input) return same(plan);
      const keys = plan.keys.map((k) => ({ ...k, index: r.map(k.index) }));
      const node = plan.limit === undefined
        ? { kind: 'Sort' as const, input: r.plan, keys, offset: plan.offset, schema: r.plan.schema }
        : { kind: 'Sort' as const, input: r.plan, keys, offset: plan.offset, limit: plan.limit, schema: r.plan.schema };
      return { plan: node, map: r.map, identity: r.identity };
    }
    case 'Over': {
      const w = plan.input.schema.length;
      const keepCalls = plan.calls.map((_, c) => c).filter((c) => needed.has(w + c));
      const calls = keepCalls.map((c) => plan.calls[c] as OverCall);
      const want = new Set<number>([...needed].filter((i) => i < w));
      if (calls.length === 0) {
        // No window call is read: the Over disappears.
        const r = prune(plan.input, want);
        return { plan: r.plan, map: r.map, identity: false };
      }
      for (const p of plan.partitionKeys) want.add(p);
      for (const o of plan.orderKeys) want.add(o.index);
      for (const c of calls) for (const a of c.args) want.add(a);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (calls.length === plan.calls.length && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const newCalls = calls.map((c): OverCall => ({ ...c, args: c.args.map(m) }));
      const schema = [...r.plan.schema, ...keepCalls.map((c) => plan.schema[w + c] as Field)];
      const at = new Map(keepCalls.map((c, i) => [w + c, nw + i]));
      return {
        plan: over(r.plan, plan.partitionKeys.map(m), plan.orderKeys.map((o): SortKey => ({ ...o, index: m(o.index) })), newCalls, schema),
        map: (i) => (i < w ? m(i) : (at.get(i) as number)),
        identity: false,
      };
    }
    case 'TopN': {
      const w = plan.input.schema.length;
      const outputRank = plan.outputRank && needed.has(w);
      const want = new Set<number>([...needed].filter((i) => i < w));
      for (const p of plan.partitionKeys) want.add(p);
      for (const o of plan.orderKeys) want.add(o.index);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (outputRank === plan.outputRank && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const schema = outputRank ? [...r.plan.schema, plan.schema[w] as Field] : r.plan.schema;
      return {
        plan: { ...plan, input: r.plan, partitionKeys: plan.partitionKeys.map(m), orderKeys: plan.orderKeys.map((o) => ({ ...o, index: m(o.index) })), outputRank, schema },
        map: (i) => (i < w ? m(i) : nw),
        identity: false,
      };
    }
    case 'Deduplicate': {
      const w = plan.input.schema.length;
      const outputRank = plan.outputRank && needed.has(w);
      const want = new Set<number>([...needed].filter((i) => i < w));
      for (const k of plan.keys) want.add(k);
      want.add(plan.orderIndex);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (outputRank === plan.outputRank && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const schema = outputRank ? [...r.plan.schema, plan.schema[w] as Field] : r.plan.schema;
      return {
        plan: { ...plan, input: r.plan, keys: plan.keys.map(m), orderIndex: m(plan.orderIndex), outputRank, schema },
        map: (i) => (i < w ? m(i) : nw),
        identity: false,
      };
    }
    case 'WindowTableFunction': {
      const w = plan.input.schema.length;
      const spec = plan.window;
      const want = new Set<number>([...needed].filter((i) => i < w));
      want.add(spec.timeIndex);
      for (const k of spec.partitionKeys) want.add(k);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const next = windowTableFunction(r.plan, { ...spec, timeIndex: m(spec.timeIndex), partitionKeys: spec.partitionKeys.map(m) });
      return { plan: next, map: (i) => (i < w ? m(i) : nw + (i - w)), identity: false };
    }
    case 'WindowAggregate': {
      const k = plan.groupKeys.length;
      const keepAggs = plan.aggs.map((_, a) => a).filter((a) => needed.has(k + a));
      const aggs = keepAggs.map((a) => plan.aggs[a] as AggCall);
      const want = new Set<number>(plan.groupKeys);
      for (const a of aggs) {
        for (const x of a.args) want.add(x);
        if (a.filter !== undefined) want.add(a.filter);
        for (const o of a.orderBy ?? []) want.add(o.index);
      }
      const win = plan.window;
      if (win.kind === 'assign') {
        want.add(win.spec.timeIndex);
        for (const p of win.spec.partitionKeys) want.add(p);
      } else {
        want.add(win.startIndex);
        want.add(win.endIndex);
      }
      const r = exactly(prune(plan.input, want), sorted(want));
      if (aggs.length === plan.aggs.length && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const newAggs = aggs.map((a): AggCall => ({
        ...a,
        args: a.args.map(m),
        ...(a.filter === undefined ? {} : { filter: m(a.filter) }),
        ...(a.orderBy === undefined ? {} : { orderBy: a.orderBy.map((o) => ({ ...o, index: m(o.index) })) }),
      }));
      const newWindow = win.kind === 'assign'
        ? { kind: 'assign' as const, spec: { ...win.spec, timeIndex: m(win.spec.timeIndex), partitionKeys: win.spec.partitionKeys.map(m) } }
        : { ...win, startIndex: m(win.startIndex), endIndex: m(win.endIndex) };
      const head = [...plan.schema.slice(0, k), ...keepAggs.map((a) => plan.schema[k + a] as Field)];
      const next = windowAggregate(r.plan, newWindow, plan.groupKeys.map(m), newAggs, head);
      const at = new Map(keepAggs.map((a, i) => [k + a, k + i]));
      const oldWidth = k + plan.aggs.length;
      const newWidth = k + keepAggs.length;
      return {
        plan: next,
        map: (i) => (i < k ? i : i >= oldWidth ? newWidth + (i - oldWidth) : (at.get(i) as number)),
        identity: keepAggs.length === plan.aggs.length,
      };
    }
    case 'WindowTopN': {
      const w = plan.input.schema.length;
      const outputRank = plan.outputRank && needed.has(w);
      const want = new Set<number>([...needed].filter((i) => i < w));
      for (const p of plan.partitionKeys) want.add(p);
      for (const o of plan.orderKeys) want.add(o.index);
      want.add(plan.window.startIndex);
      want.add(plan.window.endIndex);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (outputRank === plan.outputRank && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const schema = outputRank ? [...r.plan.schema, plan.schema[w] as Field] : r.plan.schema;
      return {
        plan: {
          ...plan, input: r.plan, window: windowColumnsThrough(plan.window, m), partitionKeys: plan.partitionKeys.map(m),
          orderKeys: plan.orderKeys.map((o) => ({ ...o, index: m(o.index) })), outputRank, schema,
        },
        map: (i) => (i < w ? m(i) : nw),
        identity: false,
      };
    }
    case 'WindowDeduplicate': {
      const w = plan.input.schema.length;
      const outputRank = plan.outputRank && needed.has(w);
      const want = new Set<number>([...needed].filter((i) => i < w));
      for (const k of plan.keys) want.add(k);
      want.add(plan.orderIndex);
      want.add(plan.window.startIndex);
      want.add(plan.window.endIndex);
      const r = exactly(prune(plan.input, want), sorted(want));
      if (outputRank === plan.outputRank && r.identity && r.plan === plan.input) return same(plan);
      const m = r.map;
      const nw = r.plan.schema.length;
      const schema = outputRank ? [...r.plan.schema, plan.schema[w] as Field] : r.plan.schema;
      return {
        plan: { ...plan, input: r.plan, window: windowColumnsThrough(plan.window, m), keys: plan.keys.map(m), orderIndex: m(plan.orderIndex), outputRank, schema },
        map: (i) => (i < w ? m(i) : nw),
        identity: false,
      };
    }
    case 'WindowJoin':
    case 'IntervalJoin':
      return pruneTimedJoin(plan, needed);
    case 'TemporalJoin':
      return pruneTemporalJoin(plan, needed);
    case 'MatchRecognize': {
      // Navigation reads input columns by position: the whole input row is kept.
      const all = range(plan.input.schema.length);
      const r = exactly(prune(plan.input, new Set(all)), all);
      return r.plan === plan.input ? same(plan) : same({ ...plan, input: r.plan });
    }
    default: {
      const unreachable: never = plan;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

function windowColumnsThrough(w: WindowColumns, m: (i: number) => number): WindowColumns {
  return { ...w, startIndex: m(w.startIndex), endIndex: m(w.endIndex) };
}

/** A temporal join: both sides narrowed to what the output and the condition read, keeping the AS OF column and the versions' key and time. */
function pruneTemporalJoin(plan: TemporalJoin, needed: Set<number>): Pruned {
  const lw = plan.left.schema.length;
  const lw0 = new Set<number>([plan.leftTimeIndex]);
  const rw0 = new Set<number>(plan.rightKeys);
  if (plan.rightTimeIndex !== undefined) rw0.add(plan.rightTimeIndex);
  for (const i of needed) {
    if (i < lw) lw0.add(i);
    else rw0.add(i - lw);
  }
  for (const i of inputRefsOf(plan.condition)) {
    if (i < lw) lw0.add(i);
    else rw0.add(i - lw);
  }
  const l = exactly(prune(plan.left, lw0), sorted(lw0));
  const r = exactly(prune(plan.right, rw0), sorted(rw0));
  if (l.identity && r.identity && l.plan === plan.left && r.plan === plan.right) return same(plan);
  const newLw = l.plan.schema.length;
  const remap = (i: number) => (i < lw ? l.map(i) : newLw + r.map(i - lw));
  const next = temporalJoin({
    joinType: plan.joinType, left: l.plan, right: r.plan, condition: remapInputs(plan.condition, remap),
    leftTimeIndex: l.map(plan.leftTimeIndex), timeAttribute: plan.timeAttribute, rightKeys: plan.rightKeys.map(r.map),
    ...(plan.rightTimeIndex === undefined ? {} : { rightTimeIndex: r.map(plan.rightTimeIndex) }),
    ...(plan.lookup === undefined ? {} : { lookup: plan.lookup }),
  });
  return { plan: next, map: remap, identity: false };
}

/** A window or interval join: both sides narrowed to what the output, the condition and the time columns read. */
function pruneTimedJoin(plan: WindowJoin | IntervalJoin, needed: Set<number>): Pruned {
  const lw = plan.left.schema.length;
  const outputsRight = plan.joinType !== 'SEMI' && plan.joinType !== 'ANTI';
  const lw0 = new Set<number>();
  const rw0 = new Set<number>();
  for (const i of needed) {
    if (i < lw) lw0.add(i);
    else if (outputsRight) rw0.add(i - lw);
  }
  for (const i of inputRefsOf(plan.condition)) {
    if (i < lw) lw0.add(i);
    else rw0.add(i - lw);
  }
  if (plan.kind === 'WindowJoin') {
    lw0.add(plan.leftWindow.startIndex);
    lw0.add(plan.leftWindow.endIndex);
    rw0.add(plan.rightWindow.startIndex);
    rw0.add(plan.rightWindow.endIndex);
  } else {
    lw0.add(plan.leftTimeIndex);
    rw0.add(plan.rightTimeIndex);
  }
  const l = exactly(prune(plan.left, lw0), sorted(lw0));
  const r = exactly(prune(plan.right, rw0), sorted(rw0));
  if (l.identity && r.identity && l.plan === plan.left && r.plan === plan.right) return same(plan);
  const newLw = l.plan.schema.length;
  const remap = (i: number) => (i < lw ? l.map(i) : newLw + r.map(i - lw));
  const condition = remapInputs(plan.condition, remap);
  const schema = join(plan.joinType, l.plan, r.plan, null).schema;
  const next: LogicalPlan = plan.kind === 'WindowJoin'
    ? { ...plan, left: l.plan, right: r.plan, condition, leftWindow: windowColumnsThrough(plan.leftWindow, l.map), rightWindow: windowColumnsThrough(plan.rightWindow, r.map), schema }
    : { ...plan, left: l.plan, right: r.plan, condition, leftTimeIndex: l.map(plan.leftTimeIndex), rightTimeIndex: r.map(plan.rightTimeIndex), schema };
  return { plan: next, map: remap, identity: false };
}
