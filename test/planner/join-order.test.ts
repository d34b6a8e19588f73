// The join order search on its own: graphs from plans, DP over connected subsets, greedy beyond, plans with the same results.

import { expect } from 'chai';
import type { Row } from '../../common/value.js';
import { defaultOptimizerContext, type OptimizerContext } from '../../planner/cost/context.js';
import type { RelationEstimate } from '../../planner/cost/estimate.js';
import { DP_LIMIT, JoinOrderSearch, extractJoinGraph, sameTree, treeText, type JoinTree } from '../../planner/cost/join-order.js';
import { explainLogical } from '../../planner/explain.js';
import type { LogicalPlan } from '../../planner/logical/index.js';
import { optimize, optimizeByCost } from '../../planner/rules/index.js';
import type { RelationStats } from '../../planner/stats/table-stats.js';
import { TestCatalog, bind } from '../binder/support.js';
import { multiset, run } from '../rules/interpreter.js';

/** A relation estimate of `rows` rows whose columns hold `ndv` distinct values each. */
function rel(rows: number, ndv: number[], changes = rows): RelationEstimate {
  return { rows, rowBytes: 2 + 3 * ndv.length, columns: ndv.map((n) => ({ ndv: n, nullFraction: 0, topShare: 1 / n, bytes: 3 })), changes, mode: 'append' };
}

/** A star: fact f(a, b, c, d) and dimensions d1..d4 (k, x), joined in the order the query writes them. */
function starCatalog(): TestCatalog {
  const cat = new TestCatalog().table('CREATE TABLE f (id INT, a INT, b INT, c INT, d INT)');
  for (const d of ['d1', 'd2', 'd3', 'd4']) cat.table(`CREATE TABLE ${d} (k INT, x INT, PRIMARY KEY (k) NOT ENFORCED)`);
  return cat;
}

function statsOf(rows: number, ndvs: number[]): RelationStats {
  return {
    rows, changes: rows, retractions: 0, updateRate: undefined, source: 'declared',
    columns: ndvs.map((ndv, i) => ({ name: `c${i}`, ndv, nullFraction: 0, topShare: 1 / ndv, avgBytes: 3 })),
  };
}

function context(stats: Record<string, RelationStats>, reorder = true): OptimizerContext {
  const base = defaultOptimizerContext({ scanMode: () => 'append' }, { joinReorder: reorder });
  return { ...base, stats: { relation: (name) => stats[name] } };
}

/** The top join of a plan under its projection. */
function region(plan: LogicalPlan): LogicalPlan {
  return plan.kind === 'Project' ? plan.input : plan;
}

/** Relation names of a plan's leaves in tree order. */
function leaves(plan: LogicalPlan): string {
  const graph = extractJoinGraph(plan.kind === 'Project' ? plan.input : plan);
  if (graph === undefined) return '';
  const name = (i: number): string => {
    let p = graph.relations[i]?.plan;
    while (p !== undefined && p.kind !== 'Scan') p = p.kind === 'Project' || p.kind === 'Filter' ? p.input : undefined;
    return p?.object ?? '?';
  };
  return treeText(graph.tree, name);
}

describe('join order', () => {
  it('reads the inner-join region of a plan as relations and predicates', () => {
    const plan = optimize(bind('SELECT f.id FROM f JOIN d1 ON f.a = d1.k JOIN d2 ON f.b = d2.k WHERE d2.x > 3', starCatalog()).plan);
    const graph = extractJoinGraph(plan.kind === 'Project' ? plan.input : plan);
    expect(graph?.relations.length).to.equal(3);
    // f.a = d1.k links f and d1, f.b = d2.k links f and d2; d2's own filter stays under its scan.
    expect(graph?.predicates.map((p) => p.relations).sort()).to.deep.equal([0b011, 0b101]);
  });

  it('finds the order that keeps least state: the selective dimension first', () => {
    // f (100k rows) joins d1..d3 (1000 rows each) and d4, which a filter cuts to 10 rows.
    const graph = extractJoinGraph(region(optimize(bind('SELECT * FROM f, d1, d2, d3, d4 WHERE f.a = d1.k AND f.b = d2.k AND f.c = d3.k AND f.d = d4.k', starCatalog()).plan)));
    expect(graph).to.not.equal(undefined);
    if (graph === undefined) return;
    const ests = [rel(100_000, [100_000, 1000, 1000, 1000, 1000]), rel(1000, [1000, 10]), rel(1000, [1000, 10]), rel(1000, [1000, 10]), rel(10, [1000, 10])];
    const search = new JoinOrderSearch(graph, (i) => ests[i] as RelationEstimate);
    const best = search.best();
    expect(best.method).to.equal('dp');
    // Joining f with d4 first cuts every later join's input to a hundredth.
    const first = (t: JoinTree): JoinTree => (typeof t === 'number' ? t : first(t.left));
    const bottom = (t: JoinTree): JoinTree => (typeof t === 'number' || typeof t.left === 'number' ? t : bottom(t.left));
    expect(treeText(bottom(best.tree), String)).to.equal('(0 ⋈ 4)');
    expect(first(best.tree)).to.equal(0);
    expect(best.cost).to.be.below(search.evaluate(graph.tree).cost / 5);
  });

  it('joins a dimension that changes often last, where its changes fan out least', () => {
    const graph = extractJoinGraph(region(optimize(bind('SELECT * FROM f, d1, d2 WHERE f.a = d1.k AND f.b = d2.k', starCatalog()).plan)));
    if (graph === undefined) throw new Error('no graph');
    // d1 and d2 alike in size; d1 has seen a hundred times more changes than rows.
    const ests = [rel(10_000, [10_000, 100, 100, 100, 100]), rel(100, [100, 10], 10_000), rel(100, [100, 10])];
    const best = new JoinOrderSearch(graph, (i) => ests[i] as RelationEstimate).best();
    // ((f ⋈ d2) ⋈ d1): a change of d1 meets 100 fact rows once, instead of at two joins.
    expect(typeof best.tree !== 'number' && best.tree.right).to.equal(1);
  });

  it('never forms a cross product when every relation is linked', () => {
    const graph = extractJoinGraph(region(optimize(bind('SELECT * FROM d1, d2, d3, f WHERE f.a = d1.k AND f.b = d2.k AND f.c = d3.k', starCatalog()).plan)));
    if (graph === undefined) throw new Error('no graph');
    // Tiny dimensions tempt a cross product of them; the search keeps to linked pairs.
    const ests = [rel(5, [5, 5]), rel(5, [5, 5]), rel(5, [5, 5]), rel(100_000, [100_000, 5, 5, 5, 5])];
    const best = new JoinOrderSearch(graph, (i) => ests[i] as RelationEstimate).best();
    const containsFact = (t: JoinTree): boolean => (typeof t === 'number' ? t === 3 : containsFact(t.left) || containsFact(t.right));
    // Every join has the fact table on one side: no join of two dimensions alone.
    const everyJoinHasFact = (t: JoinTree): boolean => typeof t === 'number' || ((containsFact(t.left) || containsFact(t.right)) && everyJoinHasFact(t.left) && everyJoinHasFact(t.right));
    expect(everyJoinHasFact(best.tree)).to.equal(true);
  });

  it(`searches greedily past ${DP_LIMIT} relations and still links every join`, () => {
    const cat = new TestCatalog();
    const n = DP_LIMIT + 3;
    for (let i = 0; i < n; i++) cat.table(`CREATE TABLE r${i} (k INT, nxt INT)`);
    const from = Array.from({ length: n }, (_, i) => `r${i}`).join(', ');
    const where = Array.from({ length: n - 1 }, (_, i) => `r${i}.nxt = r${i + 1}.k`).join(' AND ');
    const graph = extractJoinGraph(region(optimize(bind(`SELECT * FROM ${from} WHERE ${where}`, cat).plan)));
    if (graph === undefined) throw new Error('no graph');
    const search = new JoinOrderSearch(graph, (i) => rel(1000 * (i + 1), [1000 * (i + 1), 100]));
    const best = search.best();
    expect(best.method).to.equal('greedy');
    expect(Number.isFinite(best.cost)).to.equal(true);
    const size = (t: JoinTree): number => (typeof t === 'number' ? 1 : size(t.left) + size(t.right));
    expect(size(best.tree)).to.equal(n);
  });

  it('reorders through the planner, keeping the columns and the results', () => {
    const cat = starCatalog();
    const sql = 'SELECT f.id, d1.x AS x1, d4.x AS x4, d2.x AS x2 FROM d1, d2, d3, d4, f WHERE f.a = d1.k AND f.b = d2.k AND f.c = d3.k AND f.d = d4.k AND d4.x = 1';
    const bound = bind(sql, cat).plan;
    const stats = { f: statsOf(10_000, [10_000, 20, 20, 20, 20]), d1: statsOf(20, [20, 5]), d2: statsOf(20, [20, 5]), d3: statsOf(20, [20, 5]), d4: statsOf(20, [20, 5]) };
    const ctx = context(stats);
    const reordered = optimizeByCost(bound, ctx);
    const kept = optimizeByCost(bound, context(stats, false));
    expect(leaves(kept)).to.not.equal(leaves(reordered));
    expect(ctx.notes.join('\n')).to.contain('join order:');
    expect(reordered.schema.map((f) => [f.name, f.type.kind])).to.deep.equal(kept.schema.map((f) => [f.name, f.type.kind]));
    const tables = new Map<string, Row[]>([
      ['f', Array.from({ length: 300 }, (_, i): Row => [i, i % 6, (i * 5) % 7, (i * 7) % 6, (i * 11) % 6])],
      ...['d1', 'd2', 'd3', 'd4'].map((d): [string, Row[]] => [d, Array.from({ length: 6 }, (_, k): Row => [k, k % 3])]),
    ]);
    expect(multiset(run(reordered, tables))).to.deep.equal(multiset(run(kept, tables)));
    expect(multiset(run(reordered, tables))).to.deep.equal(multiset(run(bound, tables)));
  });

  it('keeps the written order when no other is clearly cheaper, and says so', () => {
    const cat = starCatalog();
    const stats = { f: statsOf(1000, [1000, 10, 10, 10, 10]), d1: statsOf(10, [10, 5]), d2: statsOf(10, [10, 5]), d3: statsOf(10, [10, 5]) };
    const ctx = context(stats);
    const plan = optimizeByCost(bind('SELECT * FROM f JOIN d1 ON f.a = d1.k JOIN d2 ON f.b = d2.k JOIN d3 ON f.c = d3.k', cat).plan, ctx);
    expect(explainLogical(plan)).to.equal(explainLogical(optimize(bind('SELECT * FROM f JOIN d1 ON f.a = d1.k JOIN d2 ON f.b = d2.k JOIN d3 ON f.c = d3.k', cat).plan)));
    expect(ctx.notes.join('\n')).to.contain('join order kept');
  });

  it('compares shapes', () => {
    expect(sameTree({ left: 0, right: { left: 1, right: 2 } }, { left: 0, right: { left: 1, right: 2 } })).to.equal(true);
    expect(sameTree({ left: 0, right: 1 }, { left: 1, right: 0 })).to.equal(false);
  });
});
