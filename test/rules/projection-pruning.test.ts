// projection-pruning: unused columns, aggregate calls and window calls dropped; stateful operators' inputs narrowed.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { projectionPruningRule } from '../../planner/rules/index.js';
import { bind, expectSameResults, lines } from '../binder/support.js';

function pruned(sql: string): string {
  return explainLogical(projectionPruningRule.rewrite(bind(sql).plan).plan);
}

describe('rule: projection-pruning', () => {
  it('narrows both inputs of a join to the columns read above it and by its condition', () => {
    expect(pruned('SELECT b.price, a.name FROM bids b JOIN auctions a ON b.auction = a.id')).to.equal(lines(
      'Project(price, name)',
      '  Join(INNER, auction = id)',
      '    Project(auction, price)',
      '      Scan(bids)',
      '    Project(id, name)',
      '      Scan(auctions)',
    ));
  });

  it('narrows an aggregate input and drops calls nothing reads', () => {
    expect(pruned('SELECT auction, count(*) FROM bids GROUP BY auction')).to.equal(lines(
      'Project(auction, count(*) AS count)',
      '  Aggregate(keys=[auction], aggs=[count(*)])',
      '    Project(auction)',
      '      Scan(bids)',
    ));
    expect(pruned('SELECT auction FROM (SELECT auction, count(*), max(price) FROM bids GROUP BY auction) s')).to.equal(lines(
      'Project(auction)',
      '  Project(auction)',
      '    Aggregate(keys=[auction], aggs=[])',
      '      Project(auction)',
      '        Scan(bids)',
    ));
  });

  it('keeps one call of a global aggregate, which must still produce its row', () => {
    expect(pruned('SELECT 1 FROM (SELECT count(*), max(a) FROM t) s')).to.equal(lines(
      'Project(1 AS ?column?)',
      '  Project()',
      '    Aggregate(keys=[], aggs=[count(*)])',
      '      Project()',
      '        Scan(t)',
    ));
  });

  it('drops a window nothing reads, and narrows union inputs and VALUES', () => {
    expect(pruned('SELECT auction FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS rn FROM bids) s')).to.equal(lines(
      'Project(auction)',
      '  Project(auction)',
      '    Scan(bids)',
    ));
    expect(pruned('SELECT a FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM t) s')).to.equal(lines(
      'Project(a)',
      '  Union',
      '    Project(a)',
      '      Scan(t)',
      '    Project(a)',
      '      Scan(t)',
    ));
    expect(pruned("SELECT c FROM (VALUES (1, 'a'), (2, 'b')) v(n, c)")).to.equal(lines(
      'Project(column2 AS c)',
      "  Values(('a'), ('b'))",
    ));
  });

  it('keeps every column of a set operation, which compares whole rows', () => {
    expect(pruned('SELECT a FROM (SELECT a, b FROM t INTERSECT SELECT a, b FROM t) s')).to.contain('SetOp(INTERSECT)\n    Project(a, b)');
  });

  it('changes nothing when every column is used', () => {
    const p = bind('SELECT a, b, c FROM t').plan;
    expect(projectionPruningRule.rewrite(p).changed).to.equal(false);
  });

  it('keeps results', () => {
    for (const sql of [
      'SELECT b.price, a.name FROM bids b JOIN auctions a ON b.auction = a.id',
      'SELECT auction FROM (SELECT auction, count(*), max(price) FROM bids GROUP BY auction) s',
      'SELECT count(*) FROM (SELECT DISTINCT a FROM t) x',
      'SELECT 1 FROM (SELECT count(*), max(a) FROM t) s',
      'SELECT x, count(*) FROM (SELECT a + b AS x, c FROM t) s WHERE c = \'a\' GROUP BY x',
    ]) expectSameResults(sql);
  });
});
