// shared-state: in a materialized view's plan, marks the join inputs that can be kept once for every job that
// needs them (an arrangement: the same relation, filtered and projected the same way, filed by the same key).
//
// A side can be shared when the join keeps nothing per row of it but the row itself (no match
// counts: the right side of INNER, LEFT, SEMI and ANTI joins, the left side of INNER and RIGHT
// ones), when its join keys are plain columns, and when it is a scan of a table fed by SQL or a
// materialized view under deterministic filters and projections (no parameters). Two sides
// share when their plans are equal (the fingerprint compares them whole, types included) and
// their keys are the same columns. 'table.optimizer.shared-state.enabled' = 'false' turns it off.

import { Decimal } from '../../common/decimal.js';
import type { BoundExpr } from '../bound/expr.js';
import { exprText } from '../explain.js';
import type { OptimizerContext } from '../cost/context.js';
import type { Field } from '../../common/data-type.js';
import type { Join, JoinType, LogicalPlan, SharedSide } from '../logical/index.js';
import { join as logicalJoin } from '../logical/join.js';
import { project } from '../logical/project.js';
import { splitJoinCondition } from '../physical/join-keys.js';
import { isDeterministic, remapInputs, transformUp, visitExpr } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const sharedStateRule: Rule = {
  name: 'shared-state',
  rewrite(plan, context) {
    if (context?.sharing === undefined || !context.settings.sharedState) return { plan, changed: false };
    const sharing = context.sharing;
    const out = transformUp(plan, (p) => (p.kind === 'Join' ? mark(p, sharing, context) : p));
    return { plan: out, changed: out !== plan };
  },
};

/** The sides of a join of type `t` it keeps nothing of per row but the row (no match counts): the ones that may be shared. */
function rowOnlySides(t: JoinType): { readonly left: boolean; readonly right: boolean } {
  return { left: t === 'INNER' || t === 'RIGHT', right: t === 'INNER' || t === 'LEFT' || t === 'SEMI' || t === 'ANTI' };
}

/**
 * A side that only picks columns of a shareable relation is shared whole: views reading
 * different columns of it still share one arrangement. The join then reads the relation's
 * full rows and a projection above it puts the columns back as they were.
 */
function widen(join: Join, sharing: NonNullable<OptimizerContext['sharing']>): { join: Join; exprs: BoundExpr[] } | undefined {
  const pick = (p: LogicalPlan): number[] | undefined =>
    p.kind === 'Project' && p.exprs.every((e) => e.kind === 'InputRef') && shareablePlan(p.input, sharing)
      ? p.exprs.map((e) => (e as { index: number }).index)
      : undefined;
  const t = join.joinType;
  const ok = rowOnlySides(t);
  const leftPick = ok.left ? pick(join.left) : undefined;
  const rightPick = ok.right ? pick(join.right) : undefined;
  if (leftPick === undefined && rightPick === undefined) return undefined;
  const left = leftPick === undefined ? join.left : (join.left as { input: LogicalPlan }).input;
  const right = rightPick === undefined ? join.right : (join.right as { input: LogicalPlan }).input;
  const wl = join.left.schema.length;
  const wl2 = left.schema.length;
  const column = (i: number): number => (i < wl ? (leftPick?.[i] ?? i) : wl2 + (rightPick?.[i - wl] ?? i - wl));
  const condition = join.condition === null ? null : remapInputs(join.condition, column);
  const widened = logicalJoin(t, left, right, condition);
  const width = t === 'SEMI' || t === 'ANTI' ? wl : join.schema.length;
  const exprs: BoundExpr[] = [];
  for (let i = 0; i < width; i++) exprs.push({ kind: 'InputRef', index: column(i), type: (join.schema[i] as Field).type });
  return { join: widened, exprs };
}

function mark(original: Join, sharing: NonNullable<OptimizerContext['sharing']>, ctx: OptimizerContext): LogicalPlan {
  if (original.sharedState !== undefined) return original;
  const w = widen(original, sharing);
  const join = w?.join ?? original;
  const split = splitJoinCondition(join.condition, join.left.schema.length);
  if (split.keys.length === 0) return original;
  const ok = rowOnlySides(join.joinType);
  const keysOf = (side: 'left' | 'right'): number[] | undefined => {
    const keys: number[] = [];
    for (const k of split.keys) {
      const e = side === 'left' ? k.left : k.right;
      if (e.kind !== 'InputRef') return undefined;
      keys.push(e.index);
    }
    return keys;
  };
  const left = ok.left ? sideOf(join.left, keysOf('left'), sharing) : undefined;
  let right = ok.right ? sideOf(join.right, keysOf('right'), sharing) : undefined;
  // One arrangement feeds a job's join once: a self-join shares one side only.
  if (left !== undefined && right !== undefined && left.fingerprint === right.fingerprint) right = undefined;
  if (left === undefined && right === undefined) return original;
  for (const s of [left, right]) if (s !== undefined) ctx.notes.push(`shared state: ${s.label} is kept once for every materialized view that joins it by the same key`);
  const marked: Join = { ...join, sharedState: { ...(left === undefined ? {} : { left }), ...(right === undefined ? {} : { right }) } };
  return w === undefined ? marked : project(marked, w.exprs, original.schema);
}

/** The shared side of `plan` filed by `keys`, if `plan` is a relation that can be shared. */
function sideOf(plan: LogicalPlan, keys: number[] | undefined, sharing: NonNullable<OptimizerContext['sharing']>): SharedSide | undefined {
  if (keys === undefined || !shareablePlan(plan, sharing)) return undefined;
  const fingerprint = `${JSON.stringify(plan, replacer)}|${keys.join(',')}`;
  return { fingerprint, keys, label: label(plan, keys) };
}

function shareablePlan(p: LogicalPlan, sharing: NonNullable<OptimizerContext['sharing']>): boolean {
  switch (p.kind) {
    case 'Scan': return (p.objectKind === 'TABLE' || p.objectKind === 'MATERIALIZED VIEW') && sharing.shareable(p.object);
    case 'Filter': return plainExpr(p.predicate) && shareablePlan(p.input, sharing);
    case 'Project': return p.exprs.every(plainExpr) && shareablePlan(p.input, sharing);
    default: return false;
  }
}

/** Deterministic and free of parameters (a parameter's value is the job's own). */
function plainExpr(e: BoundExpr): boolean {
  if (!isDeterministic(e)) return false;
  let ok = true;
  visitExpr(e, (x) => {
    if (x.kind === 'ParamRef' || x.kind === 'Subquery' || x.kind === 'CorrelatedRef') ok = false;
  });
  return ok;
}

/** Plan values that JSON cannot write as they are: exact decimals and bytes by their text. */
function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Decimal) return `decimal:${v.toString()}`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (v instanceof Map) return { map: [...v.entries()] };
  return v;
}

/** `orders(customer_id)`, with the filter when there is one: `orders(customer_id) where status = 'open'`. */
function label(plan: LogicalPlan, keys: readonly number[]): string {
  let base = plan;
  const filters: string[] = [];
  while (base.kind === 'Filter' || base.kind === 'Project') {
    if (base.kind === 'Filter') filters.push(exprText(base.predicate, base.input.schema));
    base = base.input;
  }
  const name = base.kind === 'Scan' ? base.object : base.kind;
  const keyNames = keys.map((k) => plan.schema[k]?.name ?? `#${k}`).join(', ');
  return `${name}(${keyNames})${filters.length === 0 ? '' : ` where ${filters.join(' AND ')}`}`;
}
