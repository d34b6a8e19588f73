// The join order search: a tree of inner joins as a graph of relations and predicates, the cheapest tree by the
// streaming cost model (DP over connected subsets up to DP_LIMIT relations, greedy pairing beyond), and the plan back.

import type { Field } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/index.js';
import { join } from '../logical/join.js';
import { project } from '../logical/project.js';
import { filter } from '../logical/filter.js';
import { conjuncts, containsSubquery, inputRefsOf, isDeterministic, remapInputs } from '../binder/bound-utils.js';
import { WORK_WEIGHT } from './cost-model.js';
import { joinEstimate, joinKeys, type RelationEstimate } from './estimate.js';

/** Up to this many relations the search is exhaustive (bushy trees included); beyond it, greedy. */
export const DP_LIMIT = 10;

/** A leaf of the join region: a relation that is not itself an inner join. */
export interface JoinRelation {
  readonly plan: LogicalPlan;
  /** Its first column in the region's column space (leaves' columns side by side, in leaf order). */
  readonly offset: number;
}

export interface JoinPredicate {
  /** Over the region's column space. */
  readonly expr: BoundExpr;
  /** Bit i set: reads relation i. */
  readonly relations: number;
}

export type JoinTree = number | { readonly left: JoinTree; readonly right: JoinTree };

export interface JoinGraph {
  readonly relations: readonly JoinRelation[];
  readonly predicates: readonly JoinPredicate[];
  /** The region's output: per column of the region's top node, its column in the region's space. */
  readonly output: readonly number[];
  /** The region's output fields (names, types, time attributes), kept by the rebuilt plan. */
  readonly schema: readonly Field[];
  /** The shape the plan has now. */
  readonly tree: JoinTree;
}

interface Extracted {
  readonly relations: LogicalPlan[];
  readonly predicates: BoundExpr[];
  readonly out: number[];
  readonly tree: JoinTree;
  readonly width: number;
}

/** A predicate that may move between joins: deterministic, no subquery. */
function stable(e: BoundExpr): boolean {
  return isDeterministic(e) && !containsSubquery(e);
}

/** An inner join without shared inputs: a join the region's order may move. */
export function isRegionJoin(p: LogicalPlan): boolean {
  return p.kind === 'Join' && p.joinType === 'INNER' && p.sharedState === undefined;
}

function extract(p: LogicalPlan, base: number, top: boolean): Extracted | undefined {
  if (isRegionJoin(p) && p.kind === 'Join') {
    const l = extract(p.left, base, false);
    if (l === undefined) return undefined;
    const r = extract(p.right, base + l.width, false);
    if (r === undefined) return undefined;
    const out = [...l.out, ...r.out];
    const predicates = [...l.predicates, ...r.predicates];
    if (p.condition !== null) {
      for (const c of conjuncts(p.condition)) {
        if (!stable(c)) return undefined;
        predicates.push(remapInputs(c, (i) => out[i] as number));
      }
    }
    const rightTree = shiftTree(r.tree, l.relations.length);
    return { relations: [...l.relations, ...r.relations], predicates, out, tree: { left: l.tree, right: rightTree }, width: l.width + r.width };
  }
  if (!top && p.kind === 'Filter' && isRegionInput(p.input)) {
    const x = extract(p.input, base, false);
    if (x === undefined) return undefined;
    const extra: BoundExpr[] = [];
    for (const c of conjuncts(p.predicate)) {
      if (!stable(c)) return undefined;
      extra.push(remapInputs(c, (i) => x.out[i] as number));
    }
    return { ...x, predicates: [...x.predicates, ...extra] };
  }
  if (!top && p.kind === 'Project' && isRegionInput(p.input) && p.exprs.every((e) => e.kind === 'InputRef')) {
    const x = extract(p.input, base, false);
    if (x === undefined) return undefined;
    return { ...x, out: p.exprs.map((e) => x.out[(e as { index: number }).index] as number) };
  }
  if (top) return undefined;
  const width = p.schema.length;
  return { relations: [p], predicates: [], out: Array.from({ length: width }, (_, i) => base + i), tree: 0, width };
}

/** A Filter or column-picking Project over an inner join continues the region through it. */
function isRegionInput(p: LogicalPlan): boolean {
  if (isRegionJoin(p)) return true;
  if (p.kind === 'Filter') return isRegionInput(p.input);
  if (p.kind === 'Project') return p.exprs.every((e) => e.kind === 'InputRef') && isRegionInput(p.input);
  return false;
}

function shiftTree(t: JoinTree, by: number): JoinTree {
  return typeof t === 'number' ? t + by : { left: shiftTree(t.left, by), right: shiftTree(t.right, by) };
}

/**
 * The join graph of the inner-join region whose top is `plan` (an INNER Join), or
 * undefined when `plan` is not one or a predicate in it must stay where it is.
 */
export function extractJoinGraph(plan: LogicalPlan): JoinGraph | undefined {
  if (!isRegionJoin(plan)) return undefined;
  const x = extract(plan, 0, true);
  if (x === undefined) return undefined;
  const relations: JoinRelation[] = [];
  let offset = 0;
  for (const r of x.relations) {
    relations.push({ plan: r, offset });
    offset += r.schema.length;
  }
  const relationOf = (col: number): number => {
    for (let i = relations.length - 1; i >= 0; i--) if (col >= (relations[i] as JoinRelation).offset) return i;
    return 0;
  };
  const predicates = x.predicates.map((expr) => {
    let mask = 0;
    for (const c of inputRefsOf(expr)) mask |= 1 << relationOf(c);
    return { expr, relations: mask };
  });
  return { relations, predicates, output: x.out, schema: plan.schema, tree: x.tree };
}

/** A (sub)tree's result: its columns in the region's space, its estimate and its cost so far. */
interface Planned {
  readonly tree: JoinTree;
  readonly mask: number;
  /** Region column of each column of the result row. */
  readonly cols: readonly number[];
  readonly est: RelationEstimate;
  /** State bytes + WORK_WEIGHT × work of the joins inside. */
  readonly cost: number;
  readonly stateBytes: number;
  readonly work: number;
}

export interface JoinOrderResult {
  readonly tree: JoinTree;
  readonly cost: number;
  readonly stateBytes: number;
  readonly work: number;
  /** 'dp' (exhaustive over connected subsets) or 'greedy'. */
  readonly method: 'dp' | 'greedy';
}

/**
 * The search over one graph. `leaf(i)` estimates relation i (with its own filters applied).
 * Joins are costed by `joinEstimate`: both inputs kept as state, work per change of either side.
 */
export class JoinOrderSearch {
  private readonly leaves: Planned[];
  private readonly n: number;

  constructor(private readonly graph: JoinGraph, leaf: (i: number) => RelationEstimate) {
    this.n = graph.relations.length;
    this.leaves = graph.relations.map((r, i) => ({
      tree: i,
      mask: 1 << i,
      cols: Array.from({ length: r.plan.schema.length }, (_, k) => r.offset + k),
      est: leaf(i),
      cost: 0,
      stateBytes: 0,
      work: 0,
    }));
  }

  /** Predicates that join `a` and `b`: inside a ∪ b, in neither alone, reading at least one relation. */
  private between(a: number, b: number): JoinPredicate[] {
    const s = a | b;
    return this.graph.predicates.filter((p) => p.relations !== 0 && (p.relations & ~s) === 0 && (p.relations & ~a) !== 0 && (p.relations & ~b) !== 0);
  }

  private connected(a: number, b: number): boolean {
    return this.graph.predicates.some((p) => (p.relations & a) !== 0 && (p.relations & b) !== 0 && (p.relations & ~(a | b)) === 0);
  }

  /** Joins two results; the larger one goes left (it is probed, the smaller built), ties by first relation. */
  combine(x: Planned, y: Planned): Planned {
    const [l, r] = x.est.rows > y.est.rows || (x.est.rows === y.est.rows && lowest(x.mask) <= lowest(y.mask)) ? [x, y] : [y, x];
    const cols = [...l.cols, ...r.cols];
    const condition = conditionOver(this.between(l.mask, r.mask), cols);
    const { pairs, residual } = joinKeys(condition, l.est, r.est);
    const j = joinEstimate(l.est, r.est, 'INNER', pairs, residual);
    const own = j.stateBytes + WORK_WEIGHT * j.work;
    return {
      tree: { left: l.tree, right: r.tree },
      mask: l.mask | r.mask,
      cols,
      est: j,
      cost: l.cost + r.cost + own,
      stateBytes: l.stateBytes + r.stateBytes + j.stateBytes,
      work: l.work + r.work + j.work,
    };
  }

  /** The cost of a given tree (the plan's current shape, to compare with). */
  evaluate(tree: JoinTree): JoinOrderResult {
    const p = this.plan(tree);
    return { tree, cost: p.cost, stateBytes: p.stateBytes, work: p.work, method: 'dp' };
  }

  private plan(tree: JoinTree): Planned {
    if (typeof tree === 'number') return this.leaves[tree] as Planned;
    return this.combine(this.plan(tree.left), this.plan(tree.right));
  }

  best(): JoinOrderResult {
    const r = this.n <= DP_LIMIT ? this.dp() : this.greedy();
    return { tree: r.tree, cost: r.cost, stateBytes: r.stateBytes, work: r.work, method: this.n <= DP_LIMIT ? 'dp' : 'greedy' };
  }

  /** Whether the relations of `mask` are linked by predicates (a set the DP may join without a cross product). */
  private connectedSet(mask: number): boolean {
    const low = mask & -mask;
    let reached = low;
    for (let grew = true; grew;) {
      grew = false;
      for (const p of this.graph.predicates) {
        if ((p.relations & ~mask) !== 0 || (p.relations & reached) === 0 || (p.relations & ~reached) === 0) continue;
        reached |= p.relations;
        grew = true;
      }
    }
    return reached === mask;
  }

  /**
   * Dynamic programming over connected subsets (DPccp's search space): the best tree of
   * each set of relations linked by predicates, from the best trees of two linked parts.
   * No cross product is ever formed unless the query asks for one: when the relations
   * are not all linked, every subset is allowed and unlinked parts are crossed.
   */
  private dp(): Planned {
    const full = (1 << this.n) - 1;
    const linked = this.connectedSet(full);
    const best: (Planned | undefined)[] = new Array(full + 1);
    for (const l of this.leaves) best[l.mask] = l;
    for (let s = 1; s <= full; s++) {
      if ((s & (s - 1)) === 0) continue;
      if (linked && !this.connectedSet(s)) continue;
      let chosen: Planned | undefined;
      let chosenCross: Planned | undefined;
      const low = s & -s;
      // Each unordered split once: the part holding the lowest relation is `a`.
      for (let a = (s - 1) & s; a > 0; a = (a - 1) & s) {
        if ((a & low) === 0) continue;
        const b = s & ~a;
        const pa = best[a];
        const pb = best[b];
        if (pa === undefined || pb === undefined) continue;
        const c = this.combine(pa, pb);
        if (this.connected(a, b)) {
          if (chosen === undefined || c.cost < chosen.cost) chosen = c;
        } else if (chosenCross === undefined || c.cost < chosenCross.cost) chosenCross = c;
      }
      best[s] = chosen ?? chosenCross;
    }
    return best[full] as Planned;
  }

  /** Greedy pairing: join the connected pair whose result costs least, until one tree is left. */
  private greedy(): Planned {
    let parts = [...this.leaves];
    while (parts.length > 1) {
      let pick: { i: number; j: number; p: Planned; connected: boolean } | undefined;
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          const a = parts[i] as Planned;
          const b = parts[j] as Planned;
          const connected = this.connected(a.mask, b.mask);
          if (pick !== undefined && pick.connected && !connected) continue;
          const p = this.combine(a, b);
          const own = p.cost - a.cost - b.cost;
          const pickOwn = pick === undefined ? Infinity : pick.p.cost - (parts[pick.i] as Planned).cost - (parts[pick.j] as Planned).cost;
          if (pick === undefined || (connected && !pick.connected) || own < pickOwn) pick = { i, j, p, connected };
        }
      }
      const { i, j, p } = pick as { i: number; j: number; p: Planned };
      parts = parts.filter((_, k) => k !== i && k !== j);
      parts.push(p);
    }
    return parts[0] as Planned;
  }

  /**
   * The plan of `tree`: leaves with their own filters, each predicate at the lowest
   * join that has every relation it reads, constant predicates on top, and a
   * projection back to the region's columns in their order.
   */
  build(tree: JoinTree): LogicalPlan {
    const { graph } = this;
    const placed = new Set<JoinPredicate>();
    const go = (t: JoinTree): { plan: LogicalPlan; cols: number[]; mask: number } => {
      if (typeof t === 'number') {
        const rel = graph.relations[t] as JoinRelation;
        const cols = Array.from({ length: rel.plan.schema.length }, (_, k) => rel.offset + k);
        const own = graph.predicates.filter((p) => p.relations === 1 << t);
        for (const p of own) placed.add(p);
        const plan = own.length === 0 ? rel.plan : filter(rel.plan, conjunction(own.map((p) => remapInputs(p.expr, (i) => i - rel.offset))) as BoundExpr);
        return { plan, cols, mask: 1 << t };
      }
      const l = go(t.left);
      const r = go(t.right);
      const cols = [...l.cols, ...r.cols];
      const preds = this.between(l.mask, r.mask).filter((p) => !placed.has(p));
      for (const p of preds) placed.add(p);
      const condition = conditionOver(preds, cols);
      return { plan: join('INNER', l.plan, r.plan, condition), cols, mask: l.mask | r.mask };
    };
    const top = go(tree);
    const position = positions(top.cols);
    let plan = top.plan;
    const rest = graph.predicates.filter((p) => !placed.has(p));
    if (rest.length > 0) plan = filter(plan, conditionOver(rest, top.cols) as BoundExpr);
    const exprs: BoundExpr[] = graph.output.map((c, k) => ({ kind: 'InputRef', index: position.get(c) as number, type: (graph.schema[k] as Field).type }));
    return project(plan, exprs, graph.schema);
  }
}

/** Each region column's place in a row whose columns are `cols`. */
function positions(cols: readonly number[]): Map<number, number> {
  const position = new Map<number, number>();
  cols.forEach((c, i) => position.set(c, i));
  return position;
}

/** The AND of `preds` read over a row whose columns are `cols` (region columns), null when none. */
function conditionOver(preds: readonly JoinPredicate[], cols: readonly number[]): BoundExpr | null {
  const position = positions(cols);
  return conjunction(preds.map((p) => remapInputs(p.expr, (i) => position.get(i) ?? i)));
}

function lowest(mask: number): number {
  return mask & -mask;
}

/** One n-ary AND of the predicates, the predicate itself when alone, null when none. */
export function conjunction(preds: readonly BoundExpr[]): BoundExpr | null {
  if (preds.length === 0) return null;
  if (preds.length === 1) return preds[0] as BoundExpr;
  return { kind: 'Call', fn: 'and', args: preds, type: { kind: 'BOOLEAN' } };
}

/** Equal shapes (the same relations joined in the same groups, sides in the same places). */
export function sameTree(a: JoinTree, b: JoinTree): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return sameTree(a.left, b.left) && sameTree(a.right, b.right);
}

/** `((0 ⋈ 3) ⋈ 1)`: a tree as text, relations by their names. */
export function treeText(t: JoinTree, name: (i: number) => string): string {
  return typeof t === 'number' ? name(t) : `(${treeText(t.left, name)} ⋈ ${treeText(t.right, name)})`;
}
