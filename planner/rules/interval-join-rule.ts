// interval-join: a join whose condition bounds one side's time attribute by the other's becomes an IntervalJoin.
//
// Recognised conjuncts, between a left and a right time attribute of the same kind (both
// event time or both processing time), each side optionally plus or minus a constant
// interval: `<`, `<=`, `>`, `>=`, `=` and BETWEEN. Together they must bound
// right.time - left.time from below and from above, e.g.
// `a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts` gives b.ts - a.ts in [0, 1 hour].
// Then a row only waits for partners within the bounds, and the watermark frees it:
// no state grows forever, and outer joins pad rows once no partner can come.

import type { BoundExpr } from '../bound/expr.js';
import type { IntervalJoin, Join, LogicalPlan } from '../logical/index.js';
import { conjuncts, transformUp } from '../binder/bound-utils.js';
import type { Rule } from './rule.js';

export const intervalJoinRule: Rule = {
  name: 'interval-join',
  rewrite(plan) {
    const out = transformUp(plan, (node) => (node.kind === 'Join' ? intervalJoin(node) ?? node : node));
    return { plan: out, changed: out !== plan };
  },
};

/** A time column plus a constant, on one side of a comparison. */
interface Shifted {
  readonly index: number;
  readonly shift: number;
}

interface Bounds {
  left: number;
  right: number;
  lower: number;
  upper: number;
}

function intervalJoin(j: Join): LogicalPlan | undefined {
  if (j.condition === null || j.joinType === 'SEMI' || j.joinType === 'ANTI') return undefined;
  const lw = j.left.schema.length;
  const schema = [...j.left.schema, ...j.right.schema];
  const timeOf = (i: number): 'ROWTIME' | 'PROCTIME' | undefined => schema[i]?.timeAttribute;
  let b: Bounds | undefined;
  const bound = (x: Shifted, op: string, y: Shifted): boolean => {
    const tx = timeOf(x.index);
    if (tx === undefined || tx !== timeOf(y.index) || (x.index < lw) === (y.index < lw)) return false;
    // Normalise to right.time - left.time (d): x + cx op y + cy.
    const xLeft = x.index < lw;
    const l = xLeft ? x.index : y.index;
    const r = (xLeft ? y.index : x.index) - lw;
    if (b !== undefined && (b.left !== l || b.right !== r)) return false;
    b ??= { left: l, right: r, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
    // x on the left: (l + cx) op (r + cy)  <=>  d  op'  cx - cy, op' the mirror of op.
    // x on the right: (r + cx) op (l + cy) <=>  d  op   cy - cx.
    const c = xLeft ? x.shift - y.shift : y.shift - x.shift;
    const eff = xLeft ? mirror(op) : op;
    switch (eff) {
      case '>=': b.lower = Math.max(b.lower, c); break;
      case '>': b.lower = Math.max(b.lower, c + 1); break;
      case '<=': b.upper = Math.min(b.upper, c); break;
      case '<': b.upper = Math.min(b.upper, c - 1); break;
      case '=': b.lower = Math.max(b.lower, c); b.upper = Math.min(b.upper, c); break;
      default: return false;
    }
    return true;
  };
  for (const c of conjuncts(j.condition)) {
    if (c.kind !== 'Call') continue;
    if (c.fn === 'between' && c.args.length === 3) {
      const [x, lo, hi] = c.args.map(shifted) as [Shifted | undefined, Shifted | undefined, Shifted | undefined];
      if (x === undefined || lo === undefined || hi === undefined) continue;
      bound(x, '>=', lo);
      bound(x, '<=', hi);
      continue;
    }
    if (c.args.length !== 2 || !comparisons.has(c.fn)) continue;
    const [x, y] = c.args.map(shifted) as [Shifted | undefined, Shifted | undefined];
    if (x !== undefined && y !== undefined) bound(x, c.fn, y);
  }
  if (b === undefined || !Number.isFinite(b.lower) || !Number.isFinite(b.upper)) return undefined;
  const ij: IntervalJoin = {
    kind: 'IntervalJoin',
    joinType: j.joinType,
    left: j.left,
    right: j.right,
    condition: j.condition,
    leftTimeIndex: b.left,
    rightTimeIndex: b.right,
    timeAttribute: timeOf(b.left) ?? 'ROWTIME',
    lower: b.lower,
    upper: b.upper,
    schema: j.schema,
  };
  return ij;
}

const comparisons = new Set(['<', '<=', '>', '>=', '=']);

function mirror(op: string): string {
  switch (op) {
    case '<': return '>';
    case '<=': return '>=';
    case '>': return '<';
    case '>=': return '<=';
    default: return op;
  }
}

/** `col`, `col + INTERVAL`, `col - INTERVAL`, `INTERVAL + col` (casts between timestamp precisions looked through). */
function shifted(e: BoundExpr): Shifted | undefined {
  const x = e.kind === 'Cast' && !e.try ? e.operand : e;
  if (x.kind === 'InputRef') return { index: x.index, shift: 0 };
  if (x.kind !== 'Call' || x.args.length !== 2) return undefined;
  const [a, b] = x.args as [BoundExpr, BoundExpr];
  const constant = (v: BoundExpr): number | undefined => (v.kind === 'Literal' && typeof v.value === 'number' && v.type.kind === 'INTERVAL_DAY_TIME' ? v.value : undefined);
  if (x.fn === 'datetime_plus_interval' || x.fn === '+') {
    const inner = shifted(a);
    const c = constant(b);
    if (inner !== undefined && c !== undefined) return { index: inner.index, shift: inner.shift + c };
  }
  if (x.fn === 'interval_plus_datetime') {
    const inner = shifted(b);
    const c = constant(a);
    if (inner !== undefined && c !== undefined) return { index: inner.index, shift: inner.shift + c };
  }
  if (x.fn === 'datetime_minus_interval' || x.fn === '-') {
    const inner = shifted(a);
    const c = constant(b);
    if (inner !== undefined && c !== undefined) return { index: inner.index, shift: inner.shift - c };
  }
  return undefined;
}
