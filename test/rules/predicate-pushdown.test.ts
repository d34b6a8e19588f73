// predicate-pushdown: filters through projections, into join sides (with outer-join rules), below aggregates on group keys, into unions and partitions.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { predicatePushdownRule } from '../../planner/rules/index.js';
import { bind, expectSameResults, lines } from '../binder/support.js';

function pushed(sql: string): string {
  return explainLogical(predicatePushdownRule.rewrite(bind(sql).plan).plan);
}

describe('rule: predicate-pushdown', () => {
  it('moves a filter below a projection, substituting the projected expressions', () => {
    expect(pushed('SELECT * FROM (SELECT a, b + 1 AS b1 FROM t) s WHERE b1 > 2 AND a = 1')).to.equal(lines(
      'Project(a, b1)',
      '  Project(a, b + 1 AS b1)',
      '    Filter(b + 1 > 2 AND a = 1)',
      '      Scan(t)',
    ));
  });

  it('splits a filter over an inner join into its sides and its condition', () => {
    expect(pushed('SELECT * FROM t JOIN u ON t.a = u.a WHERE t.b = 1 AND u.d > 2 AND t.b + u.d > 3')).to.equal(lines(
      'Project(a#0 AS a, b, c, a#3 AS a, d)',
      '  Join(INNER, a#0 = a#3 AND CAST(b AS DOUBLE) + d > CAST(3 AS DOUBLE))',
      '    Filter(b = 1)',
      '      Scan(t)',
      '    Filter(d > CAST(2 AS DOUBLE))',
      '      Scan(u)',
    ));
  });

  it('makes an outer join inner when the filter rejects the NULL-extended rows', () => {
    expect(pushed('SELECT * FROM t LEFT JOIN u ON t.a = u.a WHERE u.d > 1')).to.equal(lines(
      'Project(a#0 AS a, b, c, a#3 AS a, d)',
      '  Join(INNER, a#0 = a#3)',
      '    Scan(t)',
      '    Filter(d > CAST(1 AS DOUBLE))',
      '      Scan(u)',
    ));
    expect(pushed('SELECT * FROM t FULL JOIN u ON t.a = u.a WHERE t.b = 1')).to.equal(lines(
      'Project(a#0 AS a, b, c, a#3 AS a, d)',
      '  Join(LEFT, a#0 = a#3)',
      '    Filter(b = 1)',
      '      Scan(t)',
      '    Scan(u)',
    ));
  });

  it('keeps a filter that tests the NULL-extended side of an outer join above it', () => {
    expect(pushed('SELECT * FROM t LEFT JOIN u ON t.a = u.a WHERE u.d IS NULL AND t.b = 2')).to.equal(lines(
      'Project(a#0 AS a, b, c, a#3 AS a, d)',
      '  Filter(d IS NULL)',
      '    Join(LEFT, a#0 = a#3)',
      '      Filter(b = 2)',
      '        Scan(t)',
      '      Scan(u)',
    ));
  });

  it('moves only the non-preserved side\'s conjuncts out of an outer join condition', () => {
    expect(pushed('SELECT * FROM t LEFT JOIN u ON t.a = u.a AND u.d > 1 AND t.b > 2')).to.equal(lines(
      'Project(a#0 AS a, b, c, a#3 AS a, d)',
      '  Join(LEFT, a#0 = a#3 AND b > 2)',
      '    Scan(t)',
      '    Filter(d > CAST(1 AS DOUBLE))',
      '      Scan(u)',
    ));
  });

  it('moves conjuncts on group keys below an aggregate, not those on aggregates or on keys some grouping set lacks', () => {
    expect(pushed('SELECT * FROM (SELECT a, sum(b) AS s FROM t GROUP BY a) x WHERE a > 1 AND s > 2')).to.equal(lines(
      'Project(a, s)',
      '  Project(a, sum(b) AS s)',
      '    Filter(sum(b) > CAST(2 AS BIGINT))',
      '      Aggregate(keys=[a], aggs=[sum(CAST(b AS BIGINT))])',
      '        Project(a, b, c, CAST(b AS BIGINT))',
      '          Filter(a > 1)',
      '            Scan(t)',
    ));
    expect(pushed('SELECT * FROM (SELECT a, b, count(*) AS n FROM t GROUP BY ROLLUP(a, b)) x WHERE a = 1')).to.contain(lines(
      '    Filter(a = 1)',
      '      Aggregate(keys=[a, b], sets=[[a, b], [a], []], aggs=[count(*)])',
    ));
  });

  it('pushes into every union input and below window partitions', () => {
    expect(pushed('SELECT * FROM (SELECT a FROM t UNION ALL SELECT a FROM u) x WHERE a = 2')).to.equal(lines(
      'Project(a)',
      '  Union',
      '    Project(a)',
      '      Filter(a = 2)',
      '        Scan(t)',
      '    Project(a)',
      '      Filter(a = 2)',
      '        Scan(u)',
    ));
    expect(pushed('SELECT * FROM (SELECT auction, count(*) OVER (PARTITION BY auction) AS n FROM bids) s WHERE auction = 2 AND n > 1')).to.equal(lines(
      'Project(auction, n)',
      '  Project(auction, count(*) AS n)',
      '    Filter(count(*) > CAST(1 AS BIGINT))',
      '      Over(partition=[auction], calls=[count(*) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING])',
      '        Filter(auction = CAST(2 AS BIGINT))',
      '          Scan(bids)',
    ));
  });

  it('does not move non-deterministic conditions', () => {
    expect(pushed('SELECT * FROM (SELECT a FROM t) s WHERE rand() > 0.5')).to.equal(lines(
      'Project(a)',
      '  Filter(rand() > CAST(0.5 AS DOUBLE))',
      '    Project(a)',
      '      Scan(t)',
    ));
  });

  it('keeps results', () => {
    for (const sql of [
      'SELECT * FROM t LEFT JOIN u ON t.a = u.a WHERE u.d > 1',
      'SELECT * FROM t LEFT JOIN u ON t.a = u.a WHERE u.d IS NULL',
      'SELECT * FROM t LEFT JOIN u ON t.a = u.a AND u.d > 1 AND t.b > 2',
      'SELECT * FROM t RIGHT JOIN u ON t.a = u.a WHERE t.b = 1',
      'SELECT * FROM t FULL JOIN u ON t.a = u.a WHERE t.b = 1 AND u.d > 0',
      'SELECT * FROM t FULL JOIN u USING (a) WHERE a > 2',
      'SELECT * FROM t FULL JOIN u ON t.a = u.a WHERE coalesce(t.b, 0) = 0',
      'SELECT * FROM (SELECT a, sum(b) AS s FROM t GROUP BY a) x WHERE a > 1 AND s > 2',
      'SELECT * FROM (SELECT a, b, count(*) AS n FROM t GROUP BY ROLLUP(a, b)) x WHERE a = 1',
      'SELECT * FROM (SELECT a FROM t UNION SELECT a FROM u) x WHERE a = 2',
      'SELECT * FROM (SELECT a FROM t INTERSECT SELECT a FROM u) x WHERE a < 3',
      'SELECT * FROM (SELECT a FROM t EXCEPT ALL SELECT a FROM u) x WHERE a < 3',
      "SELECT t.a, u.d FROM t JOIN u ON t.a = u.a JOIN auctions ON auctions.category = t.b WHERE auctions.name = 'a'",
      'SELECT * FROM (SELECT auction, count(*) OVER (PARTITION BY auction) AS n FROM bids) s WHERE auction = 2',
      'SELECT * FROM auctions a WHERE EXISTS (SELECT 1 FROM bids b WHERE b.auction = a.id) AND a.category > 1',
    ]) expectSameResults(sql);
  });
});
