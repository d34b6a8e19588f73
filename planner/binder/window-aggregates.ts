// GROUP BY window_start, window_end, ...: an Aggregate over windowed rows becomes a WindowAggregate (and a Project restoring its column order).

import type { Field, Schema } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { BoundExpr } from '../bound/expr.js';
import type { Aggregate, LogicalPlan, WindowAggregate, WindowAssignment, WindowTableFunction } from '../logical/index.js';
import { filter } from '../logical/filter.js';
import { project } from '../logical/project.js';
import { windowAggregate, windowEndField, windowTimeAttribute } from '../logical/window-aggregate.js';
import { inputRef, inputRefsOf, literal } from './bound-utils.js';

export type WindowProperty = 'start' | 'end' | 'time';

/** Where a window column comes from: a window table function, or the window columns of a window aggregate. */
export interface WindowOrigin {
  readonly node: WindowTableFunction | WindowAggregate;
  readonly property: WindowProperty;
}

const properties: readonly WindowProperty[] = ['start', 'end', 'time'];

/**
 * Follows column `col` of `plan` down through projections that pass it on and
 * filters, to the window operator that made it, if it is a window column.
 */
export function windowOrigin(plan: LogicalPlan, col: number): WindowOrigin | undefined {
  switch (plan.kind) {
    case 'Project': {
      const e = plan.exprs[col];
      return e?.kind === 'InputRef' ? windowOrigin(plan.input, e.index) : undefined;
    }
    case 'Filter':
      return windowOrigin(plan.input, col);
    case 'WindowTableFunction': {
      const p = properties[col - plan.input.schema.length];
      return p === undefined ? undefined : { node: plan, property: p };
    }
    case 'WindowAggregate': {
      const p = properties[col - plan.groupKeys.length - plan.aggs.length];
      return p === undefined ? undefined : { node: plan, property: p };
    }
    default:
      return undefined;
  }
}

/**
 * The window aggregation an Aggregate stands for, or the Aggregate itself. It is one
 * when its group keys include window_start and window_end of the same window: then
 * each window's groups are emitted once, when the window closes.
 *
 * When the rows reach the Aggregate from the window table function only through
 * filters and projections that do not read the window columns, the table function
 * is absorbed: the WindowAggregate places rows itself (so HOP and CUMULATE share
 * slices and SESSION windows merge). Otherwise it groups by the window columns the
 * table function filled in.
 */
export function windowAggregateOf(agg: Aggregate): LogicalPlan {
  const origins = agg.groupKeys.map((k) => windowOrigin(agg.input, k));
  const starts = origins.filter((o) => o?.property === 'start');
  const node = starts[0]?.node;
  if (node === undefined || !origins.some((o) => o?.property === 'end' && o.node === node)) return agg;
  const windowKeys = origins.map((o) => (o !== undefined && o.node === node ? o.property : undefined));
  if (origins.some((o, i) => o !== undefined && windowKeys[i] === undefined)) {
    throw new SqlError(SqlState.featureNotSupported, 'grouping by the columns of two different windows is not supported');
  }
  if (agg.groupingSets !== undefined) {
    throw new SqlError(SqlState.featureNotSupported, 'GROUPING SETS, ROLLUP and CUBE with window aggregation are not supported yet');
  }
  const plainKeys: number[] = [];
  agg.groupKeys.forEach((k, i) => {
    if (windowKeys[i] === undefined) plainKeys.push(k);
  });
  const k = agg.groupKeys.length;
  const keyFields = agg.groupKeys.map((_, i) => agg.schema[i] as Field).filter((_, i) => windowKeys[i] === undefined);
  const head: Field[] = [...keyFields, ...agg.aggs.map((_, a) => agg.schema[k + a] as Field)];

  let input = agg.input;
  let window: WindowAssignment | undefined;
  let keys = plainKeys;
  if (node.kind === 'WindowTableFunction') {
    const absorbed = absorb(agg, node, windowKeys);
    if (absorbed !== undefined) {
      input = absorbed.plan;
      window = { kind: 'assign', spec: { ...node.window, timeIndex: absorbed.timeIndex, partitionKeys: absorbed.partitionKeys } };
      if (node.window.kind === 'SESSION') keys = sessionKeys(plainKeys, absorbed.partitionKeys);
    } else if (node.window.kind === 'SESSION') {
      throw new SqlError(SqlState.featureNotSupported, 'a SESSION window aggregation must group its rows directly', {
        detail: 'Sessions merge as rows arrive, so the aggregation has to place the rows itself; here the window columns are read before the GROUP BY.',
        hint: 'Group by window_start and window_end as they come out of SESSION, without computing from them first.',
      });
    }
  }
  if (window === undefined) {
    const startAt = windowKeys.indexOf('start');
    const endAt = windowKeys.indexOf('end');
    window = {
      kind: 'assigned',
      startIndex: agg.groupKeys[startAt] as number,
      endIndex: agg.groupKeys[endAt] as number,
      timeAttribute: node.kind === 'WindowTableFunction' ? node.window.timeAttribute : (node.schema[node.schema.length - 1]?.timeAttribute ?? 'ROWTIME'),
    };
  }
  const wa = windowAggregate(input, window, keys, agg.aggs, head);
  // Back to the Aggregate's columns: keys in GROUP BY order (window columns among them), then the calls.
  const nk = keys.length;
  const windowAt = nk + agg.aggs.length;
  let plain = 0;
  const exprs: BoundExpr[] = [];
  const fields: Field[] = [];
  const attribute = windowTimeAttribute(window);
  agg.groupKeys.forEach((_, i) => {
    const p = windowKeys[i];
    const at = p === undefined ? keys.indexOf(plainKeys[plain++] as number) : windowAt + properties.indexOf(p);
    exprs.push(inputRef(at, wa.schema));
    const f = agg.schema[i] as Field;
    fields.push(p === 'time' ? { ...f, timeAttribute: attribute } : p === 'end' ? windowEndField(f, attribute) : f);
  });
  agg.aggs.forEach((_, a) => {
    exprs.push(inputRef(nk + a, wa.schema));
    fields.push(agg.schema[k + a] as Field);
  });
  return project(wa, exprs, fields);
}

/** SESSION windows are separate per group key; its PARTITION BY columns must be among them. */
function sessionKeys(plainKeys: readonly number[], partitionKeys: readonly number[]): number[] {
  for (const p of partitionKeys) {
    if (!plainKeys.includes(p)) {
      throw new SqlError(SqlState.featureNotSupported, 'a SESSION window aggregation must GROUP BY the PARTITION BY columns of SESSION', {
        hint: 'Add the PARTITION BY columns to GROUP BY.',
      });
    }
  }
  return [...plainKeys];
}

interface Absorbed {
  readonly plan: LogicalPlan;
  readonly timeIndex: number;
  readonly partitionKeys: readonly number[];
}

/**
 * The Aggregate's input without the window table function, when the filters and
 * projections between them read no window column (they only pass window_start,
 * window_end, window_time on to the group keys, which become window properties).
 * The function is replaced by a projection that keeps every column in place, the
 * window columns as NULLs nothing reads; the time and PARTITION BY columns are
 * carried up to the Aggregate's input row.
 */
function absorb(agg: Aggregate, tvf: WindowTableFunction, windowKeys: readonly (WindowProperty | undefined)[]): Absorbed | undefined {
  const path: LogicalPlan[] = [];
  for (let p = agg.input; p !== tvf; p = (p as LogicalPlan & { input: LogicalPlan }).input) {
    if (p.kind !== 'Project' && p.kind !== 'Filter') return undefined;
    path.unshift(p);
  }
  // Window columns at each level, bottom-up; any use other than passing one on stops the absorption.
  const w = tvf.input.schema.length;
  let windowCols = new Set([w, w + 1, w + 2]);
  for (const p of path) {
    if (p.kind === 'Filter') {
      if ([...inputRefsOf(p.predicate)].some((i) => windowCols.has(i))) return undefined;
      continue;
    }
    if (p.kind !== 'Project') return undefined;
    const next = new Set<number>();
    for (let i = 0; i < p.exprs.length; i++) {
      const e = p.exprs[i] as BoundExpr;
      const refs = [...inputRefsOf(e)];
      if (!refs.some((r) => windowCols.has(r))) continue;
      if (e.kind !== 'InputRef') return undefined;
      next.add(i);
    }
    windowCols = next;
  }
  for (const a of agg.aggs) {
    const used = [...a.args, ...(a.filter === undefined ? [] : [a.filter]), ...(a.orderBy ?? []).map((o) => o.index)];
    if (used.some((i) => windowCols.has(i))) return undefined;
  }
  if (agg.groupKeys.some((key, i) => windowCols.has(key) && windowKeys[i] === undefined)) return undefined;

  // Rebuild bottom-up over the table function's input, carrying the time and partition columns along.
  const inSchema = tvf.input.schema;
  const nulls = tvf.schema.slice(w).map((f) => literal(null, f.type));
  const nullFields: Field[] = tvf.schema.slice(w).map((f) => ({ name: f.name, type: f.type, nullable: true }));
  let plan: LogicalPlan = project(tvf.input, [...inSchema.map((_, i) => inputRef(i, inSchema)), ...nulls], [...inSchema, ...nullFields]);
  let carried = [tvf.window.timeIndex, ...tvf.window.partitionKeys];
  for (const p of path) {
    if (p.kind === 'Filter') {
      plan = filter(plan, p.predicate);
      continue;
    }
    if (p.kind !== 'Project') return undefined;
    const exprs = [...p.exprs];
    const fields: Field[] = [...p.schema];
    const below: Schema = plan.schema;
    carried = carried.map((c) => {
      const at = exprs.findIndex((e) => e.kind === 'InputRef' && e.index === c);
      if (at >= 0) return at;
      exprs.push(inputRef(c, below));
      fields.push(below[c] as Field);
      return exprs.length - 1;
    });
    plan = project(plan, exprs, fields);
  }
  const [timeIndex, ...partitionKeys] = carried as [number, ...number[]];
  return { plan, timeIndex, partitionKeys };
}
