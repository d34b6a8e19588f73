// Binder: IN / EXISTS / scalar subqueries as BoundSubquery, with operand and column types unified.

import { expect } from 'chai';
import { bind, explain, lines, pos, queryError } from './support.js';

describe('binder: subqueries', () => {
  it('binds IN (subquery) with its operand and column in one type', () => {
    expect(explain('SELECT a FROM t WHERE c IN (SELECT a FROM u)')).to.equal(lines(
      'Project(a)',
      '  Filter(CAST(c AS INT) IN (subquery 1))',
      '    subquery 1:',
      '      Project(a)',
      '        Scan(u)',
      '    Scan(t)',
    ));
    expect(explain('SELECT a FROM t WHERE a NOT IN (SELECT d FROM u)')).to.equal(lines(
      'Project(a)',
      '  Filter(CAST(a AS DOUBLE) NOT IN (subquery 1))',
      '    subquery 1:',
      '      Project(d)',
      '        Scan(u)',
      '    Scan(t)',
    ));
  });

  it('binds scalar subqueries anywhere an expression goes, typed by their column', () => {
    const b = bind('SELECT a, (SELECT max(d) FROM u WHERE u.a = t.a) AS m FROM t');
    expect(b.plan.schema[1]).to.deep.include({ name: 'm', type: { kind: 'DOUBLE' }, nullable: true });
    expect(explain('SELECT (SELECT max(price) FROM bids)')).to.equal(lines(
      'Project((subquery 1) AS max)',
      '  subquery 1:',
      '    Project(max(price) AS max)',
      '      Aggregate(keys=[], aggs=[max(price)])',
      '        Scan(bids)',
      '  Values(())',
    ));
  });

  it('counts correlation depth across nested subqueries', () => {
    const sql = 'SELECT * FROM auctions a WHERE EXISTS (SELECT 1 FROM bids b WHERE b.auction = a.id AND EXISTS (SELECT 1 FROM people p WHERE p.id = a.seller AND p.id = b.bidder))';
    expect(explain(sql)).to.contain('Filter(id = outer2.#1 AND id = outer.#1)');
  });

  it('reports subqueries of the wrong width', () => {
    queryError('SELECT (SELECT a, d FROM u) FROM t', { sqlstate: '42601', message: 'subquery must return only one column', position: 8 });
    const sql = 'SELECT a FROM t WHERE a IN (SELECT a, d FROM u)';
    queryError(sql, { sqlstate: '42601', message: 'subquery has too many columns', position: pos(sql, 'SELECT a, d') });
  });

  it('rejects a row value with IN (subquery) as not supported yet', () => {
    queryError('SELECT a FROM t WHERE (a, b) IN (SELECT x, y FROM nn)', { sqlstate: '0A000', message: 'a row value with IN (subquery) is not supported yet', position: 23 });
  });

  it('reports IN subqueries whose column cannot be compared with the operand', () => {
    const sql = 'SELECT a FROM t WHERE a IN (SELECT ts FROM bids)';
    queryError(sql, { sqlstate: '42883', message: 'operator does not exist: integer = timestamp', position: pos(sql, 'a IN') });
  });
});
