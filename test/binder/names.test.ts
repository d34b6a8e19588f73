// Binder: name resolution — relations, aliases, qualified and star references, joins with USING/NATURAL, CTEs, derived tables, views.

import { expect } from 'chai';
import type { CatalogRelation } from '../../planner/binder/catalog-reader.js';
import type { Query } from '../../parser/ast/index.js';
import { bind, catalog, explain, lines, parse, pos, queryError } from './support.js';

describe('binder: names', () => {
  it('expands * in declared order and names the output columns', () => {
    const b = bind('SELECT * FROM bids');
    expect(b.columnNames).to.deep.equal(['auction', 'bidder', 'price', 'channel', 'ts']);
    expect(explain('SELECT * FROM bids')).to.equal(lines(
      'Project(auction, bidder, price, channel, ts)',
      '  Scan(bids)',
    ));
  });

  it('resolves aliases, qualified names and t.*', () => {
    const sql = 'SELECT b.*, a.name FROM bids b JOIN auctions a ON b.auction = a.id';
    expect(bind(sql).columnNames).to.deep.equal(['auction', 'bidder', 'price', 'channel', 'ts', 'name']);
    expect(explain(sql)).to.equal(lines(
      'Project(auction, bidder, price, channel, ts, name)',
      '  Join(INNER, auction = id)',
      '    Scan(bids)',
      '    Scan(auctions)',
    ));
  });

  it('reports an unknown column with the nearest name as a hint', () => {
    const sql = 'SELECT pricee FROM bids';
    queryError(sql, {
      sqlstate: '42703',
      message: 'column "pricee" does not exist',
      position: pos(sql, 'pricee'),
      hint: 'Perhaps you meant to reference the column "bids.price".',
    });
  });

  it('reports an unknown qualified column as PostgreSQL writes it', () => {
    const sql = 'SELECT b.nope FROM bids b';
    queryError(sql, { sqlstate: '42703', message: 'column b.nope does not exist', position: pos(sql, 'b.nope') });
  });

  it('reports an unknown table, with a hint when a name is close', () => {
    queryError('SELECT * FROM nosuch', { sqlstate: '42P01', message: 'table "nosuch" does not exist', position: 15 });
    const err = queryError('SELECT * FROM bidz', { sqlstate: '42P01', message: 'table "bidz" does not exist', position: 15 });
    expect(err.hint).to.equal('Perhaps you meant to reference the table "bids".');
  });

  it('reports a qualifier that names no FROM item', () => {
    const sql = 'SELECT x.price FROM bids';
    queryError(sql, { sqlstate: '42P01', message: 'missing FROM-clause entry for table "x"', position: pos(sql, 'x.price') });
    const star = 'SELECT t.*, x.* FROM t';
    queryError(star, { sqlstate: '42P01', message: 'missing FROM-clause entry for table "x"', position: pos(star, 'x.*') });
  });

  it('reports ambiguous columns and repeated aliases', () => {
    const sql = 'SELECT a FROM t, u';
    queryError(sql, { sqlstate: '42702', message: 'column reference "a" is ambiguous', position: pos(sql, 'a') });
    const twice = 'SELECT * FROM t, t';
    queryError(twice, { sqlstate: '42712', message: 'table name "t" specified more than once' });
  });

  it('merges USING columns as PostgreSQL does: one column first in *, side copies still qualified', () => {
    const sql = 'SELECT * FROM t JOIN u USING (a)';
    expect(bind(sql).columnNames).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(explain(sql)).to.equal(lines(
      'Project(a#0 AS a, b, c, d)',
      '  Join(INNER, a#0 = a#3)',
      '    Scan(t)',
      '    Scan(u)',
    ));
    expect(bind('SELECT a, t.a, u.a FROM t JOIN u USING (a)').columnNames).to.deep.equal(['a', 'a', 'a']);
  });

  it('makes a FULL JOIN USING column COALESCE(left, right)', () => {
    expect(explain('SELECT * FROM t FULL JOIN u USING (a)')).to.equal(lines(
      'Project(a#5 AS a, b, c, d)',
      '  Project(a#0 AS a, b, c, a#3 AS a, d, coalesce(a#0, a#3) AS a)',
      '    Join(FULL, a#0 = a#3)',
      '      Scan(t)',
      '      Scan(u)',
    ));
  });

  it('joins on the common type of USING columns', () => {
    expect(explain('SELECT a FROM t JOIN (SELECT CAST(a AS BIGINT) AS a FROM u) v USING (a)')).to.equal(lines(
      'Project(a#4 AS a)',
      '  Project(a#0 AS a, b, c, a#3 AS a, CAST(a#0 AS BIGINT) AS a)',
      '    Join(INNER, CAST(a#0 AS BIGINT) = a#3)',
      '      Scan(t)',
      '      Project(CAST(a AS BIGINT) AS a)',
      '        Scan(u)',
    ));
  });

  it('joins NATURAL on every common column name', () => {
    expect(explain('SELECT * FROM t NATURAL JOIN u')).to.equal(lines(
      'Project(a#0 AS a, b, c, d)',
      '  Join(INNER, a#0 = a#3)',
      '    Scan(t)',
      '    Scan(u)',
    ));
  });

  it('reports USING columns missing on a side', () => {
    const sql = 'SELECT * FROM t JOIN u USING (b)';
    queryError(sql, { sqlstate: '42703', message: 'column "b" specified in USING clause does not exist in right table', position: pos(sql, 'b)') });
  });

  it('binds each CTE once, visible to the CTEs after it, shadowing tables', () => {
    expect(explain('WITH c(x, y) AS (SELECT a, b FROM t) SELECT x + y FROM c WHERE x > 1')).to.equal(lines(
      'Project(a + b AS ?column?)',
      '  Filter(a > 1)',
      '    Project(a, b)',
      '      Scan(t)',
    ));
    expect(explain('WITH t AS (SELECT 1 AS z), w AS (SELECT z + 1 AS z2 FROM t) SELECT * FROM w')).to.equal(lines(
      'Project(z2)',
      '  Project(z + 1 AS z2)',
      '    Values((1))',
    ));
  });

  it('checks derived table and CTE column alias counts', () => {
    const sql = 'SELECT * FROM (SELECT a, b FROM t) s (x, y, z)';
    queryError(sql, { sqlstate: '42P10', message: 'table "s" has 2 columns available but 3 columns specified', position: pos(sql, 's (') });
  });

  it('inlines views and scans materialized views', () => {
    expect(explain('SELECT * FROM expensive WHERE price < 1000')).to.equal(lines(
      'Project(auction, price)',
      '  Filter(price < 1000)',
      '    Project(auction, price)',
      '      Filter(price > 100)',
      '        Scan(bids)',
    ));
    expect(explain('SELECT * FROM counts')).to.equal(lines(
      'Project(auction, n)',
      '  Scan(counts, materialized view)',
    ));
    expect(bind('SELECT * FROM expensive').relations.sort()).to.deep.equal(['bids', 'expensive']);
  });

  it('reports a view that reaches itself', () => {
    const cat = catalog();
    const self: CatalogRelation = {
      name: 'loop', kind: 'VIEW', columns: [{ name: 'x', type: { kind: 'INT' }, nullable: true }],
      query: parse('SELECT x FROM loop') as Query, options: [],
    };
    cat.add(self);
    queryError('SELECT * FROM loop', { sqlstate: '42P17', message: 'infinite recursion detected in view "loop"' }, cat);
  });

  it('scans stored columns and computes computed columns in declared order', () => {
    const b = bind('SELECT * FROM orders');
    expect(b.columnNames).to.deep.equal(['id', 'qty', 'price', 'total', 'pt']);
    expect(explain('SELECT * FROM orders')).to.equal(lines(
      'Project(id, qty, price, total, pt)',
      '  Project(id, qty, price, CAST(qty AS DECIMAL(10, 0)) * price AS total, proctime() AS pt)',
      '    Scan(orders)',
    ));
    expect(b.plan.schema[4]?.timeAttribute).to.equal('PROCTIME');
  });

  it('marks the watermark column as the event-time attribute', () => {
    const scan = bind('SELECT ts FROM bids').plan;
    expect(scan.kind === 'Project' && scan.input.schema[4]?.timeAttribute).to.equal('ROWTIME');
    expect(scan.schema[0]?.timeAttribute).to.equal('ROWTIME');
  });

  it('resolves references to an enclosing query as CorrelatedRef', () => {
    expect(explain('SELECT * FROM auctions a WHERE EXISTS (SELECT 1 FROM bids b WHERE b.auction = a.id)')).to.equal(lines(
      'Project(id, seller, category, name)',
      '  Filter(EXISTS(subquery 1))',
      '    subquery 1:',
      '      Project(1 AS ?column?)',
      '        Filter(auction = outer.#0)',
      '          Scan(bids)',
      '    Scan(auctions)',
    ));
  });

  it('lets a derived table see enclosing queries but not its sibling FROM items', () => {
    const sql = 'SELECT * FROM t, (SELECT t.a) s';
    queryError(sql, { sqlstate: '42P01', message: 'missing FROM-clause entry for table "t"', position: pos(sql, 't.a') });
  });

  it('rejects FROM items that come later with 0A000 naming them', () => {
    const lateral = 'SELECT * FROM bids b JOIN LATERAL (SELECT * FROM auctions a WHERE a.id = b.auction) x ON true';
    queryError(lateral, { sqlstate: '0A000', message: 'LATERAL is not supported yet', position: pos(lateral, 'LATERAL') });
    // Temporal joins are bound: AS OF must name a time attribute.
    const asOf = 'SELECT * FROM auctions a JOIN people FOR SYSTEM_TIME AS OF a.id AS p ON a.seller = p.id';
    queryError(asOf, { sqlstate: '42804', message: 'column "id" is not a time attribute, so FOR SYSTEM_TIME AS OF cannot use it', position: pos(asOf, 'a.id AS') });
  });
});
