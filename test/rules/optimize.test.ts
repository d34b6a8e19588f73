// optimize: the rules together, to a fixpoint — whole plans, unchanged output columns, results kept, and project-merge.

import { expect } from 'chai';
import { typeToSql } from '../../common/data-type.js';
import { explainLogical } from '../../planner/explain.js';
import { MAX_ROUNDS, optimize, projectMergeRule, rules } from '../../planner/rules/index.js';
import type { Rule } from '../../planner/rules/index.js';
import { bind, expectSameResults, explainOptimized, lines } from '../binder/support.js';

describe('optimize', () => {
  it('lists the rules in their order', () => {
    expect(rules.map((r) => r.name)).to.deep.equal([
      'decorrelate', 'constant-folding', 'predicate-pushdown', 'window-join', 'interval-join', 'top-n', 'window-rank',
      'sort-limit', 'projection-pruning', 'project-merge',
    ]);
  });

  it('plans an aggregation with HAVING, ORDER BY and LIMIT', () => {
    expect(explainOptimized('SELECT auction, count(*) AS bids, max(price) FROM bids WHERE price > 10 GROUP BY auction HAVING count(*) > 1 ORDER BY bids DESC LIMIT 5'))
      .to.equal(lines(
        'Sort(count(*) DESC, limit=5)',
        '  Filter(count(*) > 1)',
        '    Aggregate(keys=[auction], aggs=[count(*), max(price)])',
        '      Project(auction, price)',
        '        Filter(price > 10)',
        '          Scan(bids)',
      ));
  });

  it('plans a join with filters on both sides and narrowed inputs', () => {
    expect(explainOptimized('SELECT a.name, b.price FROM auctions a JOIN bids b ON a.id = b.auction WHERE a.category = 1 AND b.price > 100'))
      .to.equal(lines(
        'Project(name, price)',
        '  Join(INNER, id = auction)',
        '    Project(id, name)',
        '      Filter(category = 1)',
        '        Scan(auctions)',
        '    Project(auction, price)',
        '      Filter(price > 100)',
        '        Scan(bids)',
      ));
  });

  it('plans IN as a semi join next to pushed filters', () => {
    expect(explainOptimized("SELECT p.name, p.city FROM people p WHERE p.id IN (SELECT seller FROM auctions WHERE category = 10) AND p.state = 'or'"))
      .to.equal(lines(
        'Project(name, city)',
        '  Join(SEMI, id = seller)',
        '    Project(id, name, city)',
        "      Filter(state = 'or')",
        '        Scan(people)',
        '    Project(seller)',
        '      Filter(category = 10)',
        '        Scan(auctions)',
      ));
  });

  it('merges a view\'s filter with the query\'s', () => {
    expect(explainOptimized('SELECT * FROM expensive WHERE price < 1000')).to.equal(lines(
      'Project(auction, price)',
      '  Filter(price > 100 AND price < 1000)',
      '    Scan(bids)',
    ));
  });

  it('keeps the output columns and their types', () => {
    for (const sql of [
      'SELECT a AS x, b + 1, c FROM t WHERE a > 1',
      'SELECT auction, count(*), sum(price) FROM bids GROUP BY auction',
      'SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a) FROM t',
      'SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS rn FROM bids) s WHERE rn <= 2',
    ]) {
      const plan = bind(sql).plan;
      const out = optimize(plan);
      expect(out.schema.map((f) => typeToSql(f.type)), sql).to.deep.equal(plan.schema.map((f) => typeToSql(f.type)));
    }
  });

  it('stops after MAX_ROUNDS when rules keep changing the plan', () => {
    let calls = 0;
    const restless: Rule = { name: 'restless', rewrite: (plan) => { calls++; return { plan, changed: true }; } };
    const plan = bind('SELECT a FROM t').plan;
    expect(optimize(plan, [restless])).to.equal(plan);
    expect(calls).to.equal(MAX_ROUNDS);
  });

  it('merges stacked projections and removes identity ones (project-merge)', () => {
    const plan = bind('SELECT x + 1 AS y FROM (SELECT a * 2 AS x FROM t) s').plan;
    expect(explainLogical(projectMergeRule.rewrite(plan).plan)).to.equal(lines(
      'Project(a * 2 + 1 AS y)',
      '  Scan(t)',
    ));
    // An expression read twice is not computed twice.
    const twice = bind('SELECT x + x AS y FROM (SELECT a * 2 AS x FROM t) s').plan;
    expect(projectMergeRule.rewrite(twice).changed).to.equal(false);
  });

  it('keeps results of whole queries', () => {
    for (const sql of [
      'SELECT auction, count(*), sum(price), count(DISTINCT bidder), max(price) FILTER (WHERE channel = \'web\') FROM bids GROUP BY auction',
      'SELECT auction, bidder, count(*), GROUPING(auction, bidder) FROM bids GROUP BY CUBE(auction, bidder)',
      'SELECT DISTINCT channel, price > 2 FROM bids',
      'SELECT a.name, b.price FROM auctions a JOIN bids b ON a.id = b.auction WHERE a.category = 1 AND b.price > 2',
      'SELECT auction, sum(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM bids',
      'SELECT x, count(*) FROM (SELECT a + b AS x, c FROM t) s WHERE c = \'a\' GROUP BY x',
      'SELECT * FROM t FULL JOIN u USING (a) WHERE a > 2',
      'SELECT a FROM t UNION SELECT a FROM u',
    ]) expectSameResults(sql);
  });
});
