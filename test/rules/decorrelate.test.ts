// decorrelate: IN / NOT IN / EXISTS / NOT EXISTS / scalar subqueries into SEMI, ANTI and LEFT joins; results as SQL defines them.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { planHasSubqueries } from '../../planner/binder/bound-utils.js';
import { decorrelateRule, optimize } from '../../planner/rules/index.js';
import { bind, expectSameResults, expectSqlError, lines } from '../binder/support.js';

function decorrelated(sql: string): string {
  const r = decorrelateRule.rewrite(bind(sql).plan);
  expect(r.changed).to.equal(true);
  expect(planHasSubqueries(r.plan)).to.equal(false);
  return explainLogical(r.plan);
}

describe('rule: decorrelate', () => {
  it('turns IN into a SEMI join', () => {
    expect(decorrelated('SELECT * FROM t WHERE a IN (SELECT a FROM u WHERE d > 1)')).to.equal(lines(
      'Project(a, b, c)',
      '  Join(SEMI, a#0 = a#3)',
      '    Scan(t)',
      '    Project(a)',
      '      Filter(d > CAST(1 AS DOUBLE))',
      '        Scan(u)',
    ));
  });

  it('turns NOT IN into an ANTI join that also matches NULLs, as NOT IN is never TRUE then', () => {
    expect(decorrelated('SELECT * FROM t WHERE a NOT IN (SELECT a FROM u)')).to.equal(lines(
      'Project(a, b, c)',
      '  Join(ANTI, a#0 = a#3 OR a#0 IS NULL OR a#3 IS NULL)',
      '    Scan(t)',
      '    Project(a)',
      '      Scan(u)',
    ));
    // Without NULLs on either side, a plain equality.
    expect(decorrelated('SELECT * FROM nn WHERE x NOT IN (SELECT y FROM nn)')).to.contain('Join(ANTI, x = y#2)');
  });

  it('lifts correlated predicates of EXISTS into the SEMI join condition', () => {
    expect(decorrelated('SELECT * FROM auctions a WHERE EXISTS (SELECT 1 FROM bids b WHERE b.auction = a.id AND b.price > 100)')).to.equal(lines(
      'Project(id, seller, category, name)',
      '  Join(SEMI, auction = id)',
      '    Scan(auctions)',
      '    Filter(price > 100)',
      '      Scan(bids)',
    ));
    expect(decorrelated('SELECT * FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a)')).to.equal(lines(
      'Project(a, b, c)',
      '  Join(ANTI, a#3 = a#0)',
      '    Scan(t)',
      '    Scan(u)',
    ));
  });

  it('groups a correlated aggregate by the correlation column and keeps COUNT 0 where nothing matches', () => {
    expect(decorrelated('SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a) AS n FROM t')).to.equal(lines(
      'Project(a#0 AS a, CASE WHEN $matched IS NULL THEN 0 ELSE count END AS n)',
      '  Join(LEFT, a#4 = a#0)',
      '    Scan(t)',
      '    Project(count, a, TRUE AS $matched)',
      '      Project(count(*) AS count, a)',
      '        Project(count(*), a)',
      '          Aggregate(keys=[a], aggs=[count(*)])',
      '            Scan(u)',
    ));
  });

  it('joins an uncorrelated scalar subquery that returns one row', () => {
    expect(decorrelated('SELECT a FROM t WHERE b > (SELECT max(a) FROM u)')).to.equal(lines(
      'Project(a)',
      '  Project(a, b, c)',
      '    Filter(b > max)',
      '      Join(LEFT)',
      '        Scan(t)',
      '        Project(max(a) AS max)',
      '          Aggregate(keys=[], aggs=[max(a)])',
      '            Scan(u)',
    ));
  });

  it('computes IN as a value with three-valued logic from two aggregates', () => {
    expect(decorrelated('SELECT a, a IN (SELECT a FROM u) FROM t')).to.equal(lines(
      'Project(a#0 AS a, CASE WHEN count(*)#4 IS NOT NULL THEN TRUE WHEN count(*)#5 IS NULL OR count(*)#5 = 0 THEN FALSE '
        + 'WHEN a#0 IS NULL OR count(value) < count(*)#5 THEN CAST(NULL AS BOOLEAN) ELSE FALSE END AS ?column?)',
      '  Join(LEFT)',
      '    Join(LEFT, a#0 = a#3)',
      '      Scan(t)',
      '      Aggregate(keys=[a], aggs=[count(*)])',
      '        Filter(a IS NOT NULL)',
      '          Project(a)',
      '            Scan(u)',
      '    Aggregate(keys=[], aggs=[count(*), count(a)])',
      '      Project(a)',
      '        Scan(u)',
    ));
  });

  it('knows EXISTS over a global aggregate is TRUE', () => {
    expect(decorrelated('SELECT a FROM t WHERE EXISTS (SELECT count(*) FROM u WHERE u.a = t.a)')).to.equal(lines(
      'Project(a)',
      '  Scan(t)',
    ));
  });

  it('decorrelates nested subqueries, innermost first, references two levels out included', () => {
    expect(decorrelated('SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND EXISTS (SELECT 1 FROM nn WHERE nn.x = t.b AND nn.y = u.a))')).to.equal(lines(
      'Project(a, b, c)',
      '  Join(SEMI, a#3 = a#0 AND x = b)',
      '    Scan(t)',
      '    Join(INNER, y = a)',
      '      Scan(u)',
      '      Scan(nn)',
    ));
  });

  it('raises 0A000 for shapes it cannot rewrite', () => {
    const plan = (sql: string) => () => optimize(bind(sql).plan);
    expectSqlError(plan('SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a LIMIT 1)'), {
      sqlstate: '0A000', message: 'correlated subquery with LIMIT or OFFSET is not supported yet',
    });
    expectSqlError(plan('SELECT a FROM t WHERE a IN (SELECT t.b + u.a FROM u)'), {
      sqlstate: '0A000', message: 'correlated subquery with a reference to the outer query in its SELECT list is not supported yet',
    });
  });

  it('guards a scalar subquery that may return several rows with single_value (21000 at run time)', () => {
    expect(decorrelated('SELECT a, (SELECT d FROM u WHERE u.a = t.a) FROM t')).to.contain('single_value(d)');
  });

  it('leaves plans without subqueries unchanged', () => {
    const p = bind('SELECT a FROM t').plan;
    expect(decorrelateRule.rewrite(p)).to.deep.equal({ plan: p, changed: false });
  });

  it('keeps results: subqueries evaluated row by row equal the rewritten joins', () => {
    for (const sql of [
      'SELECT * FROM bids WHERE auction IN (SELECT id FROM auctions WHERE category = 1)',
      'SELECT * FROM bids WHERE bidder NOT IN (SELECT seller FROM auctions)',
      'SELECT * FROM t WHERE a NOT IN (SELECT a FROM u WHERE u.d > t.b)',
      'SELECT * FROM auctions a WHERE NOT EXISTS (SELECT * FROM bids b WHERE b.auction = a.id)',
      'SELECT a.id, (SELECT max(price) FROM bids b WHERE b.auction = a.id) AS top FROM auctions a',
      'SELECT a.id, (SELECT count(*) + 1 FROM bids b WHERE b.auction = a.id) AS n FROM auctions a',
      'SELECT * FROM t WHERE a > (SELECT avg(a) FROM u)',
      'SELECT a, a IN (SELECT a FROM u), a NOT IN (SELECT a FROM u) FROM t',
      'SELECT a, a IN (SELECT a FROM u WHERE u.d = t.b) FROM t',
      'SELECT id FROM auctions a WHERE a.seller = 1 OR EXISTS (SELECT 1 FROM bids b WHERE b.auction = a.id)',
      'SELECT a, NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a) FROM t',
      'SELECT * FROM t WHERE b IN (SELECT a FROM u WHERE u.a = t.a)',
      'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND EXISTS (SELECT 1 FROM nn WHERE nn.x = t.b AND nn.y = u.a))',
      'SELECT * FROM t WHERE a IN (SELECT u.a FROM u WHERE u.a IN (SELECT nn.x FROM nn WHERE nn.y = t.b))',
      'SELECT * FROM t WHERE a > (SELECT count(*) FROM u WHERE u.a = t.b)',
      'SELECT (SELECT max(price) FROM bids)',
    ]) expectSameResults(sql);
  });
});
