// Binder: SELECT clauses — WHERE, DISTINCT, ORDER BY (alias, position, expression), LIMIT/OFFSET, VALUES, set operations.

import { expect } from 'chai';
import { bind, explain, lines, pos, queryError, types } from './support.js';

describe('binder: select', () => {
  it('filters with WHERE and requires a boolean', () => {
    expect(explain('SELECT a FROM t WHERE b > 1')).to.equal(lines(
      'Project(a)',
      '  Filter(b > 1)',
      '    Scan(t)',
    ));
    const sql = 'SELECT * FROM t WHERE a';
    queryError(sql, { sqlstate: '42804', message: 'argument of WHERE must be type boolean, not type integer', position: pos(sql, 'a') });
  });

  it('plans SELECT DISTINCT as an Aggregate without calls', () => {
    expect(explain('SELECT DISTINCT channel FROM bids ORDER BY channel')).to.equal(lines(
      'Sort(channel)',
      '  Aggregate(keys=[channel], aggs=[])',
      '    Project(channel)',
      '      Scan(bids)',
    ));
    const sql = 'SELECT DISTINCT channel FROM bids ORDER BY price';
    queryError(sql, { sqlstate: '42P10', message: 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', position: pos(sql, 'price') });
  });

  it('orders by output alias, position or expression, projecting sort-only columns away after the Sort', () => {
    expect(explain('SELECT a AS x, b FROM t ORDER BY x DESC, 2 NULLS FIRST')).to.equal(lines(
      'Sort(x DESC, b NULLS FIRST)',
      '  Project(a AS x, b)',
      '    Scan(t)',
    ));
    expect(explain('SELECT a FROM t ORDER BY b + 1 LIMIT 2 OFFSET 1')).to.equal(lines(
      'Project(a)',
      '  Sort(b + 1, limit=2, offset=1)',
      '    Project(a, b + 1)',
      '      Scan(t)',
    ));
    expect(bind('SELECT a FROM t ORDER BY b + 1').columnNames).to.deep.equal(['a']);
  });

  it('reports ORDER BY positions out of range and ambiguous names', () => {
    const sql = 'SELECT * FROM t ORDER BY 5';
    queryError(sql, { sqlstate: '42P10', message: 'ORDER BY position 5 is not in select list', position: pos(sql, '5') });
    const amb = 'SELECT a AS x, b AS x FROM t ORDER BY x';
    queryError(amb, { sqlstate: '42702', message: 'ORDER BY "x" is ambiguous', position: pos(amb, 'x', 3) });
  });

  it('takes LIMIT and OFFSET as non-negative constants', () => {
    expect(explain('SELECT a FROM t LIMIT 3')).to.equal(lines(
      'Sort(limit=3)',
      '  Project(a)',
      '    Scan(t)',
    ));
    expect(explain('SELECT a FROM t LIMIT ALL')).to.equal(lines('Project(a)', '  Scan(t)'));
    queryError('SELECT a FROM t LIMIT -1', { sqlstate: '2201W', message: 'LIMIT must not be negative', position: 23 });
    queryError('SELECT a FROM t LIMIT $1', { sqlstate: '0A000', message: 'LIMIT with an expression that is not a constant is not supported yet', position: 23 });
  });

  it('plans SELECT without FROM as Values', () => {
    expect(explain("SELECT 1 AS one, 'x' || 'y'")).to.equal("Values((1, 'x' || 'y'))");
    expect(bind("SELECT 1 AS one, 'x' || 'y'").columnNames).to.deep.equal(['one', '?column?']);
    queryError('SELECT *', { sqlstate: '42601', message: 'SELECT * with no tables specified is not valid', position: 8 });
  });

  it('unifies VALUES columns and names them column1, column2, ...', () => {
    const b = bind("VALUES (1, 'a'), (2.5, NULL)");
    expect(b.columnNames).to.deep.equal(['column1', 'column2']);
    expect(types("VALUES (1, 'a'), (2.5, NULL)")).to.deep.equal(['DECIMAL(11, 1)', 'STRING']);
    queryError('VALUES (1, 2), (3)', { sqlstate: '42601', message: 'VALUES lists must all be the same length', position: 17 });
  });

  it('plans UNION as Union + Aggregate and UNION ALL as Union, casting to the common type', () => {
    expect(explain('SELECT a FROM t UNION SELECT d FROM u')).to.equal(lines(
      'Aggregate(keys=[a], aggs=[])',
      '  Union',
      '    Project(CAST(a AS DOUBLE) AS a)',
      '      Project(a)',
      '        Scan(t)',
      '    Project(d)',
      '      Scan(u)',
    ));
    expect(types('SELECT a FROM t UNION SELECT d FROM u')).to.deep.equal(['DOUBLE']);
    expect(explain('SELECT a FROM t UNION ALL SELECT a FROM u UNION ALL SELECT 1')).to.equal(lines(
      'Union',
      '  Project(a)',
      '    Scan(t)',
      '  Project(a)',
      '    Scan(u)',
      '  Values((1))',
    ));
  });

  it('plans INTERSECT and EXCEPT as SetOp and orders their result by output column', () => {
    expect(explain('SELECT a FROM t INTERSECT SELECT a FROM u ORDER BY a DESC LIMIT 2')).to.equal(lines(
      'Sort(a DESC, limit=2)',
      '  SetOp(INTERSECT)',
      '    Project(a)',
      '      Scan(t)',
      '    Project(a)',
      '      Scan(u)',
    ));
    expect(explain('SELECT a FROM t EXCEPT ALL SELECT a FROM u')).to.contain('SetOp(EXCEPT ALL)');
  });

  it('reports set operations of different widths or types', () => {
    const width = 'SELECT a, b FROM t UNION SELECT a FROM u';
    queryError(width, { sqlstate: '42601', message: 'each UNION query must have the same number of columns', position: pos(width, 'SELECT a FROM u') });
    const type = 'SELECT c FROM t UNION SELECT a FROM u';
    queryError(type, { sqlstate: '42804', message: 'UNION types character varying and integer cannot be matched', position: pos(type, 'SELECT a FROM u') });
  });

  it('keeps nullability: outer joins make the other side nullable', () => {
    const b = bind('SELECT nn.x, t.a FROM nn LEFT JOIN t ON nn.x = t.a');
    expect(b.plan.schema.map((f) => f.nullable)).to.deep.equal([false, true]);
  });
});
