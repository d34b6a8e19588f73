// Physical planning of temporal joins: key extraction from the ON condition, the streamed TemporalJoin and the LookupJoin with its table chain.

import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import { cachedLookup, type LookupFunction, type LookupSource } from '../../connectors/lookup.js';
import type { DataflowNode } from '../../executor/dataflow.js';
import type { StreamOperator } from '../../executor/operator.js';
import { LookupJoin } from '../../executor/operators/lookup-join.js';
import { columnsKey, joinKey, TemporalJoin as TemporalJoinOperator, type KeyOf } from '../../executor/operators/temporal-join.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, TemporalJoin } from '../logical/index.js';
import { conjuncts, shiftRefs } from './join-keys.js';
import type { CompiledPredicate, CompiledScalar } from './operator-factory.js';

/** What the dataflow builder lends: building inputs, compiling expressions, adding and wiring nodes. */
export interface TemporalBuildContext {
  build(plan: LogicalPlan): DataflowNode;
  add(op: StreamOperator, detail: string): DataflowNode;
  connect(from: DataflowNode, to: DataflowNode, input: number): void;
  scalar(e: BoundExpr): CompiledScalar;
  predicate(e: BoundExpr): CompiledPredicate;
  /** Marks a time operator's node, so its late rows name their sources. */
  timed(node: DataflowNode, inputs: readonly LogicalPlan[]): DataflowNode;
  appendOnly(plan: LogicalPlan): boolean;
  /** The lookup source of a table, when the engine offers one. */
  readonly lookup: ((table: string) => LookupSource | undefined) | undefined;
  readonly now: () => number;
}

/** The ON condition split into the key equalities (`left expression = right key column`, in `rightKeys` order) and the rest. */
interface KeyedCondition {
  readonly left: readonly BoundExpr[];
  /** Over the right row. */
  readonly right: readonly BoundExpr[];
  readonly residual: readonly BoundExpr[];
}

function splitKeys(plan: TemporalJoin, castsAllowed: boolean): KeyedCondition {
  const lw = plan.left.schema.length;
  const left: (BoundExpr | undefined)[] = plan.rightKeys.map(() => undefined);
  const right: (BoundExpr | undefined)[] = plan.rightKeys.map(() => undefined);
  const residual: BoundExpr[] = [];
  for (const c of conjuncts(plan.condition)) {
    const eq = keyEquality(c, lw, castsAllowed);
    const at = eq === undefined ? -1 : plan.rightKeys.indexOf(eq.column);
    if (eq === undefined || at < 0 || left[at] !== undefined) {
      if (!(c.kind === 'Literal' && c.value === true)) residual.push(c);
      continue;
    }
    left[at] = eq.left;
    right[at] = shiftRefs(eq.right, lw);
  }
  if (left.some((e) => e === undefined)) throw internalError('a temporal join condition lost a key equality');
  return { left: left as BoundExpr[], right: right as BoundExpr[], residual };
}

/** `l = r` where l reads the left row only and r is a right column (under casts, when allowed). */
function keyEquality(c: BoundExpr, lw: number, castsAllowed: boolean): { left: BoundExpr; right: BoundExpr; column: number } | undefined {
  if (c.kind !== 'Call' || c.fn !== '=' || c.args.length !== 2) return undefined;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  const column = (e: BoundExpr): number | undefined => {
    let x = e;
    while (castsAllowed && x.kind === 'Cast' && !x.try) x = x.operand;
    return x.kind === 'InputRef' && x.index >= lw ? x.index - lw : undefined;
  };
  const leftOnly = (e: BoundExpr): boolean => maxRef(e) < lw && maxRef(e) >= 0;
  const ca = column(a);
  if (ca !== undefined && leftOnly(b)) return { left: b, right: a, column: ca };
  const cb = column(b);
  if (cb !== undefined && leftOnly(a)) return { left: a, right: b, column: cb };
  return undefined;
}

/** The largest column an expression reads (-1 for none; Infinity for what is not a plain row read). */
function maxRef(e: BoundExpr): number {
  switch (e.kind) {
    case 'InputRef': return e.index;
    case 'Literal':
    case 'ParamRef':
      return -1;
    case 'CorrelatedRef':
    case 'Subquery':
      return Number.POSITIVE_INFINITY;
    case 'Call': return e.args.reduce((m, a) => Math.max(m, maxRef(a)), -1);
    case 'Cast': return maxRef(e.operand);
    case 'Case': return e.whens.reduce((m, w) => Math.max(m, maxRef(w.when), maxRef(w.then)), maxRef(e.else));
  }
}

function keyOf(exprs: readonly BoundExpr[], ctx: TemporalBuildContext): KeyOf {
  if (exprs.every((e) => e.kind === 'InputRef')) return columnsKey(exprs.map((e) => (e as { index: number }).index));
  const fs = exprs.map((e) => ctx.scalar(e));
  return (row) => {
    const values = new Array<Value>(fs.length);
    for (let i = 0; i < fs.length; i++) {
      const v = (fs[i] as CompiledScalar)(row);
      if (v === null) return undefined;
      values[i] = v;
    }
    return joinKey(values);
  };
}

function residualOf(parts: readonly BoundExpr[], ctx: TemporalBuildContext): CompiledPredicate | undefined {
  if (parts.length === 0) return undefined;
  const conj: BoundExpr = parts.length === 1 ? (parts[0] as BoundExpr) : { kind: 'Call', fn: 'and', args: parts, type: { kind: 'BOOLEAN' } };
  return ctx.predicate(conj);
}

export function buildTemporalJoin(plan: TemporalJoin, ctx: TemporalBuildContext): DataflowNode {
  return plan.lookup === undefined ? streamed(plan, ctx) : lookedUp(plan, ctx);
}

/** Both sides streamed: versions of the right side kept by key (event time: by time too). */
function streamed(plan: TemporalJoin, ctx: TemporalBuildContext): DataflowNode {
  const split = splitKeys(plan, true);
  const residual = residualOf(split.residual, ctx);
  const op = new TemporalJoinOperator({
    joinType: plan.joinType,
    timeAttribute: plan.timeAttribute,
    leftKey: keyOf(split.left, ctx),
    rightKey: keyOf(split.right, ctx),
    leftTime: plan.leftTimeIndex,
    rightTime: plan.rightTimeIndex ?? -1,
    ...(residual === undefined ? {} : { residual }),
    leftWidth: plan.left.schema.length,
    rightWidth: plan.right.schema.length,
    retractingLeft: !ctx.appendOnly(plan.left),
    ...leftIdentity(plan),
  });
  const node = ctx.add(op, '');
  // A job fills its inputs from their current contents in the order they were built: at
  // processing time the versioned side goes first, so the left rows already there meet
  // the versions already there, as rows arriving later will.
  if (plan.timeAttribute === 'PROCTIME') {
    const right = ctx.build(plan.right);
    ctx.connect(ctx.build(plan.left), node, 0);
    ctx.connect(right, node, 1);
  } else {
    ctx.connect(ctx.build(plan.left), node, 0);
    ctx.connect(ctx.build(plan.right), node, 1);
  }
  return ctx.timed(node, [plan.left, plan.right]);
}

/** The right side looked up in its table as each left row arrives. */
function lookedUp(plan: TemporalJoin, ctx: TemporalBuildContext): DataflowNode {
  const spec = plan.lookup;
  if (spec === undefined) throw internalError('not a lookup join');
  const source = ctx.lookup?.(spec.table);
  if (source === undefined) {
    throw new SqlError(SqlState.featureNotSupported, `table "${spec.table}" cannot be looked up`, {
      hint: 'A lookup join reads a table fed by SQL; join a connector table at event time instead.',
    });
  }
  const chain = tableChain(plan.right);
  const split = splitKeys(plan, false);
  const storedColumns = plan.rightKeys.map((k) => chain.storedColumn(k));
  let find: LookupFunction = source.prepare(storedColumns);
  if (spec.cacheMaxRows > 0) find = cachedLookup(find, { maxRows: spec.cacheMaxRows, ttl: spec.cacheTtl }, ctx.now);
  const rowOf = chain.compile(ctx);
  const lookup = (values: readonly Value[]): readonly Row[] => {
    const out: Row[] = [];
    for (const stored of find(values)) {
      const row = rowOf(stored);
      if (row !== undefined) out.push(row);
    }
    return out;
  };
  const leftValues = split.left.map((e) => (e.kind === 'InputRef' ? ((row: Row) => row[e.index] as Value) : ctx.scalar(e)));
  const leftKey = (row: Row): readonly Value[] | undefined => {
    const values = new Array<Value>(leftValues.length);
    for (let i = 0; i < leftValues.length; i++) {
      const v = (leftValues[i] as CompiledScalar)(row);
      if (v === null) return undefined;
      values[i] = v;
    }
    return values;
  };
  const residual = residualOf(split.residual, ctx);
  const op = new LookupJoin({
    joinType: plan.joinType,
    leftKey,
    lookup,
    ...(residual === undefined ? {} : { residual }),
    rightWidth: plan.right.schema.length,
    retractingLeft: !ctx.appendOnly(plan.left),
    ...leftIdentity(plan),
  });
  const node = ctx.add(op, spec.table);
  ctx.connect(ctx.build(plan.left), node, 0);
  return ctx.timed(node, [plan.left]);
}

/** The left columns that identify a row: all but processing-time ones, which a retraction computes anew. */
function leftIdentity(plan: TemporalJoin): { leftIdentity?: number[] } {
  const schema = plan.left.schema;
  if (!schema.some((f) => f.timeAttribute === 'PROCTIME')) return {};
  const columns: number[] = [];
  schema.forEach((f, i) => {
    if (f.timeAttribute !== 'PROCTIME') columns.push(i);
  });
  return { leftIdentity: columns };
}

/** A looked-up table's plan: projections and filters over the Scan of its stored row. */
interface TableChain {
  /** The stored column a column of the chain's output passes on as it is. */
  storedColumn(index: number): number;
  /** The chain applied to one stored row: its output row, or undefined when a filter drops it. */
  compile(ctx: TemporalBuildContext): (stored: Row) => Row | undefined;
}

function tableChain(plan: LogicalPlan): TableChain {
  const steps: LogicalPlan[] = [];
  let node = plan;
  while (node.kind === 'Project' || node.kind === 'Filter') {
    steps.unshift(node);
    node = node.input;
  }
  if (node.kind !== 'Scan' || node.objectKind !== 'TABLE') throw internalError('a lookup join reads a table scan');
  return {
    storedColumn(index: number): number {
      let at = index;
      for (let i = steps.length - 1; i >= 0; i--) {
        const s = steps[i] as LogicalPlan;
        if (s.kind !== 'Project') continue;
        const e = s.exprs[at];
        if (e?.kind !== 'InputRef') throw internalError('a lookup key is not a stored column');
        at = e.index;
      }
      return at;
    },
    compile(ctx: TemporalBuildContext): (stored: Row) => Row | undefined {
      const fs = steps.map((s): ((row: Row) => Row | undefined) => {
        if (s.kind === 'Project') {
          const exprs = s.exprs.map((e) => ctx.scalar(e));
          return (row) => exprs.map((f) => f(row));
        }
        if (s.kind === 'Filter') {
          const p = ctx.predicate(s.predicate);
          return (row) => (p(row) ? row : undefined);
        }
        throw internalError(`${s.kind} in a lookup chain`);
      });
      return (stored) => {
        let row: Row | undefined = stored;
        for (const f of fs) {
          if (row === undefined) return undefined;
          row = f(row);
        }
        return row;
      };
    },
  };
}
