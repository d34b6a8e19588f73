// Binder: GROUP BY (expressions, positions, aliases), grouping sets, GROUPING(), HAVING, DISTINCT and FILTER aggregates, grouping errors.

import { expect } from 'chai';
import { bind, explain, lines, pos, queryError, types } from './support.js';

describe('binder: aggregates', () => {
  it('groups by position, pre-projecting cast arguments and FILTER conditions into columns', () => {
    expect(explain("SELECT auction, sum(price), count(DISTINCT bidder), max(price) FILTER (WHERE channel = 'web') FROM bids GROUP BY 1")).to.equal(lines(
      'Project(auction, sum(price) AS sum, count(DISTINCT bidder) AS count, max(price) AS max)',
      "  Aggregate(keys=[auction], aggs=[sum(CAST(price AS BIGINT)), count(DISTINCT bidder), max(price) FILTER (WHERE channel = 'web')])",
      "    Project(auction, bidder, price, channel, ts, CAST(price AS BIGINT), channel = 'web')",
      '      Scan(bids)',
    ));
    expect(types('SELECT auction, sum(price), count(*), avg(price) FROM bids GROUP BY 1')).to.deep.equal(['BIGINT', 'BIGINT', 'BIGINT', 'DOUBLE']);
  });

  it('groups by an output alias when no input column has that name, and by expressions', () => {
    expect(explain('SELECT price * 2 AS p2, count(*) FROM bids GROUP BY p2')).to.equal(lines(
      'Project(price * 2 AS p2, count(*) AS count)',
      '  Aggregate(keys=[price * 2], aggs=[count(*)])',
      '    Project(auction, bidder, price, channel, ts, price * 2)',
      '      Scan(bids)',
    ));
    expect(explain('SELECT price + 1, count(*) FROM bids GROUP BY price')).to.equal(lines(
      'Project(price + 1 AS ?column?, count(*) AS count)',
      '  Aggregate(keys=[price], aggs=[count(*)])',
      '    Scan(bids)',
    ));
    // An input column wins over an output alias of the same name (PostgreSQL).
    const sql = 'SELECT price AS auction, count(*) FROM bids GROUP BY auction';
    queryError(sql, {
      sqlstate: '42803', message: 'column "bids.price" must appear in the GROUP BY clause or be used in an aggregate function', position: pos(sql, 'price'),
    });
  });

  it('reports ungrouped columns, in the SELECT list, in *, in HAVING and in ORDER BY', () => {
    const sql = 'SELECT bidder, count(*) FROM bids GROUP BY auction';
    queryError(sql, {
      sqlstate: '42803', message: 'column "bids.bidder" must appear in the GROUP BY clause or be used in an aggregate function', position: pos(sql, 'bidder'),
    });
    queryError('SELECT * FROM t GROUP BY a', { sqlstate: '42803', message: 'column "t.b" must appear in the GROUP BY clause or be used in an aggregate function', position: 8 });
    const having = 'SELECT count(*) FROM t HAVING b > 1';
    queryError(having, { sqlstate: '42803', message: 'column "t.b" must appear in the GROUP BY clause or be used in an aggregate function', position: pos(having, 'b >') });
    const order = 'SELECT a FROM t ORDER BY count(*)';
    queryError(order, { sqlstate: '42803', message: 'column "t.a" must appear in the GROUP BY clause or be used in an aggregate function', position: pos(order, 'a') });
  });

  it('reports aggregates where they cannot be', () => {
    const nested = 'SELECT sum(count(*)) FROM bids';
    queryError(nested, { sqlstate: '42803', message: 'aggregate function calls cannot be nested', position: pos(nested, 'count') });
    const where = 'SELECT count(*) FROM bids WHERE sum(price) > 1';
    queryError(where, { sqlstate: '42803', message: 'aggregate functions are not allowed in WHERE', position: pos(where, 'sum') });
    const groupBy = 'SELECT count(*) FROM t GROUP BY count(*)';
    queryError(groupBy, { sqlstate: '42803', message: 'aggregate functions are not allowed in GROUP BY', position: pos(groupBy, 'count', 2) });
    const position = 'SELECT a FROM t GROUP BY 3';
    queryError(position, { sqlstate: '42P10', message: 'GROUP BY position 3 is not in select list', position: pos(position, '3') });
  });

  it('filters with HAVING over the aggregate output', () => {
    expect(explain('SELECT channel AS ch, count(*) FROM bids GROUP BY ch HAVING count(*) > 2 ORDER BY count(*) DESC')).to.equal(lines(
      'Sort(count DESC)',
      '  Project(ch, count(*) AS count)',
      '    Filter(count(*) > CAST(2 AS BIGINT))',
      '      Aggregate(keys=[channel], aggs=[count(*)])',
      '        Scan(bids)',
    ));
    expect(explain('SELECT count(*) FROM bids HAVING count(*) > 0')).to.equal(lines(
      'Project(count(*) AS count)',
      '  Filter(count(*) > CAST(0 AS BIGINT))',
      '    Aggregate(keys=[], aggs=[count(*)])',
      '      Scan(bids)',
    ));
  });

  it('plans ROLLUP, CUBE and GROUPING SETS as grouping sets, with GROUPING()', () => {
    expect(explain('SELECT auction, bidder, count(*), GROUPING(auction, bidder) FROM bids GROUP BY ROLLUP(auction, bidder)')).to.equal(lines(
      'Project(auction, bidder, count(*) AS count, grouping(auction, bidder) AS grouping)',
      '  Aggregate(keys=[auction, bidder], sets=[[auction, bidder], [auction], []], aggs=[count(*), grouping(auction, bidder)])',
      '    Scan(bids)',
    ));
    expect(explain('SELECT auction, bidder, count(*) FROM bids GROUP BY CUBE(auction, bidder)')).to.contain(
      'sets=[[auction, bidder], [auction], [bidder], []]',
    );
    expect(explain('SELECT auction, bidder FROM bids GROUP BY GROUPING SETS ((auction, bidder), (auction), ())')).to.contain(
      'Aggregate(keys=[auction, bidder], sets=[[auction, bidder], [auction], []], aggs=[])',
    );
    expect(explain('SELECT a, b, count(*) FROM t GROUP BY a, ROLLUP(b)')).to.contain('Aggregate(keys=[a, b], sets=[[a, b], [a]], aggs=[count(*)])');
    // Keys missing from some set are NULL there.
    expect(bind('SELECT x, y, count(*) FROM nn GROUP BY ROLLUP(x, y)').plan.schema.map((f) => f.nullable)).to.deep.equal([true, true, false]);
    const bad = 'SELECT GROUPING(b) FROM t GROUP BY a';
    queryError(bad, { sqlstate: '42803', message: 'arguments to GROUPING must be grouping expressions of the associated query level', position: pos(bad, 'b)') });
  });

  it('passes LISTAGG its default separator and STRING_AGG its ordering as columns', () => {
    expect(explain('SELECT listagg(channel) FROM bids')).to.contain("Aggregate(keys=[], aggs=[listagg(channel, ',')])");
    expect(explain("SELECT string_agg(channel, '-' ORDER BY price DESC) FROM bids")).to.contain("aggs=[listagg(channel, '-' ORDER BY price DESC)]");
  });

  it('makes a query with an aggregate in ORDER BY only an aggregation', () => {
    expect(explain('SELECT 1 FROM t ORDER BY count(*)')).to.equal(lines(
      'Project(?column?)',
      '  Sort(count(*))',
      '    Project(1 AS ?column?, count(*))',
      '      Aggregate(keys=[], aggs=[count(*)])',
      '        Scan(t)',
    ));
  });

  it('lets correlated references to a grouped query read its group keys only', () => {
    expect(explain('SELECT auction, (SELECT count(*) FROM auctions a WHERE a.id = b.auction) FROM bids b GROUP BY auction')).to.contain(
      'Filter(id = outer.#0)',
    );
    const sql = 'SELECT auction, (SELECT count(*) FROM auctions a WHERE a.id = b.bidder) FROM bids b GROUP BY auction';
    queryError(sql, {
      sqlstate: '42803', message: 'column "b.bidder" must appear in the GROUP BY clause or be used in an aggregate function', position: pos(sql, 'b.bidder'),
    });
  });
});
