// Parser tests: SELECT, WITH, set operations, VALUES, FROM items, joins, window TVFs, GROUP BY, ORDER/LIMIT.

import { expect } from 'chai';
import type { Join, JoinType, Query, SelectItem, TableRef } from '../../parser/ast/index.js';
import {
  bin, bool, call, col, id, num, parseErrorOf, query, select, selectOf, stmt, str, table, warmUpParser,
} from './ast-builders.js';

const interval = (value: string, from: 'SECOND' | 'MINUTE' | 'HOUR') =>
  ({ kind: 'IntervalLiteral', value, negative: false, qualifier: { from } }) as const;

function fromOf(sql: string): readonly TableRef[] {
  return selectOf(sql).from;
}

describe('parser: queries', () => {
  before(warmUpParser);

  describe('SELECT list', () => {
    it('SELECT 1 has no FROM', () => expect(stmt('SELECT 1')).to.deep.equal(query(select([num('1')]))));
    it('DISTINCT and ALL', () => {
      expect(selectOf('SELECT DISTINCT a FROM t').distinct).to.equal(true);
      expect(selectOf('SELECT ALL a FROM t').distinct).to.equal(false);
    });
    it('aliases with and without AS, including non-reserved keywords', () => {
      const items: SelectItem[] = [
        { kind: 'SelectExpr', expr: col('a'), alias: id('x') },
        { kind: 'SelectExpr', expr: col('b'), alias: id('y') },
        { kind: 'SelectExpr', expr: num('1'), alias: id('value') },
        { kind: 'SelectExpr', expr: num('2'), alias: id('Quoted', true) },
      ];
      expect(selectOf('SELECT a AS x, b y, 1 value, 2 AS "Quoted"').items).to.deep.equal(items);
    });
    it('* and t.*', () => {
      expect(selectOf('SELECT *, t.*, s.t.* FROM t').items).to.deep.equal([
        { kind: 'SelectStar' },
        { kind: 'SelectStar', qualifier: [id('t')] },
        { kind: 'SelectStar', qualifier: [id('s'), id('t')] },
      ]);
    });
  });

  describe('clauses', () => {
    it('WHERE, GROUP BY, HAVING, WINDOW, QUALIFY', () => {
      const s = selectOf(
        'SELECT a, count(*) FROM t WHERE a > 1 GROUP BY a HAVING count(*) > 2 WINDOW w AS (PARTITION BY a) QUALIFY row_number() OVER w = 1',
      );
      expect(s.where).to.deep.equal(bin('>', col('a'), num('1')));
      expect(s.groupBy).to.deep.equal({ items: [{ kind: 'GroupExpr', expr: col('a') }] });
      expect(s.having).to.deep.equal(bin('>', call('count', [], { star: true }), num('2')));
      expect(s.windows).to.deep.equal([{ name: id('w'), spec: { kind: 'WindowSpec', partitionBy: [col('a')], orderBy: [] } }]);
      expect(s.qualify).to.deep.equal(bin('=', call('row_number', [], { over: id('w') }), num('1')));
    });
    it('GROUPING SETS, ROLLUP, CUBE and ()', () => {
      expect(selectOf('SELECT 1 FROM t GROUP BY ROLLUP (a, (b, c)), CUBE (d), GROUPING SETS ((a, b), c, ()), ()').groupBy).to.deep.equal({
        items: [
          { kind: 'Rollup', items: [[col('a')], [col('b'), col('c')]] },
          { kind: 'Cube', items: [[col('d')]] },
          {
            kind: 'GroupingSets',
            sets: [
              { kind: 'GroupExpr', expr: { kind: 'RowConstructor', items: [col('a'), col('b')], explicit: false } },
              { kind: 'GroupExpr', expr: col('c') },
              { kind: 'EmptyGroup' },
            ],
          },
          { kind: 'EmptyGroup' },
        ],
      });
    });
    it('group windows are plain calls in GROUP BY', () => {
      expect(selectOf("SELECT room FROM sensors GROUP BY TUMBLE(rowtime, INTERVAL '1' HOUR), room").groupBy).to.deep.equal({
        items: [
          { kind: 'GroupExpr', expr: call('tumble', [col('rowtime'), interval('1', 'HOUR')]) },
          { kind: 'GroupExpr', expr: col('room') },
        ],
      });
    });
    it('ORDER BY with directions and NULLS', () => {
      expect((stmt('SELECT a FROM t ORDER BY a DESC NULLS LAST, b ASC, c NULLS FIRST, 1') as Query).orderBy).to.deep.equal([
        { expr: col('a'), direction: 'DESC', nulls: 'LAST' },
        { expr: col('b'), direction: 'ASC' },
        { expr: col('c'), nulls: 'FIRST' },
        { expr: num('1') },
      ]);
    });
    it('LIMIT, OFFSET, LIMIT ALL, FETCH FIRST', () => {
      const q = (sql: string) => stmt(sql) as Query;
      expect(q('SELECT a FROM t LIMIT 10 OFFSET 5')).to.include.keys('limit', 'offset');
      expect(q('SELECT a FROM t LIMIT 10 OFFSET 5').limit).to.deep.equal(num('10'));
      expect(q('SELECT a FROM t LIMIT 10 OFFSET 5').offset).to.deep.equal(num('5'));
      expect(q('SELECT a FROM t OFFSET 5 ROWS LIMIT 3').limit).to.deep.equal(num('3'));
      expect(q('SELECT a FROM t LIMIT ALL')).to.not.have.property('limit');
      expect(q('SELECT a FROM t FETCH FIRST 5 ROWS ONLY').limit).to.deep.equal(num('5'));
      expect(q('SELECT a FROM t FETCH NEXT ROW ONLY').limit).to.deep.equal(num('1'));
      expect(q('SELECT a FROM t OFFSET 2 ROW FETCH FIRST (1 + 1) ROWS ONLY').limit).to.deep.equal(bin('+', num('1'), num('1')));
      expect(q('SELECT a FROM t LIMIT $1').limit).to.deep.equal({ kind: 'Parameter', index: 1 });
    });
    it('rejects two LIMIT clauses', () => {
      const e = parseErrorOf(() => stmt('SELECT a FROM t LIMIT 1 LIMIT 2'));
      expect(e.message).to.equal('multiple LIMIT clauses not allowed');
      expect(e.position).to.equal(25);
    });
  });

  describe('WITH', () => {
    it('CTEs with column lists, RECURSIVE', () => {
      const q = stmt('WITH RECURSIVE r (n) AS (SELECT 1), s AS (SELECT n FROM r) SELECT * FROM s') as Query;
      expect(q.with).to.deep.equal({
        recursive: true,
        ctes: [
          { name: id('r'), columns: [id('n')], query: query(select([num('1')])) },
          { name: id('s'), query: query(select([col('n')], { from: [table('r')] })) },
        ],
      });
    });
  });

  describe('set operations', () => {
    const a = select([col('a')], { from: [table('t')] });
    const b = select([col('b')], { from: [table('u')] });
    const c = select([col('c')], { from: [table('v')] });
    it('UNION [ALL | DISTINCT], EXCEPT, INTERSECT', () => {
      expect(stmt('SELECT a FROM t UNION ALL SELECT b FROM u')).to.deep.equal(
        query({ kind: 'SetOperation', op: 'UNION', all: true, left: a, right: b }),
      );
      expect(stmt('SELECT a FROM t EXCEPT DISTINCT SELECT b FROM u')).to.deep.equal(
        query({ kind: 'SetOperation', op: 'EXCEPT', all: false, left: a, right: b }),
      );
    });
    it('INTERSECT binds tighter than UNION and EXCEPT', () => {
      expect(stmt('SELECT a FROM t UNION SELECT b FROM u INTERSECT SELECT c FROM v')).to.deep.equal(query({
        kind: 'SetOperation', op: 'UNION', all: false, left: a,
        right: { kind: 'SetOperation', op: 'INTERSECT', all: false, left: b, right: c },
      }));
      expect(stmt('SELECT a FROM t INTERSECT SELECT b FROM u EXCEPT SELECT c FROM v')).to.deep.equal(query({
        kind: 'SetOperation', op: 'EXCEPT', all: false,
        left: { kind: 'SetOperation', op: 'INTERSECT', all: false, left: a, right: b }, right: c,
      }));
    });
    it('UNION and EXCEPT associate to the left', () => {
      expect(stmt('SELECT a FROM t EXCEPT SELECT b FROM u UNION SELECT c FROM v')).to.deep.equal(query({
        kind: 'SetOperation', op: 'UNION', all: false,
        left: { kind: 'SetOperation', op: 'EXCEPT', all: false, left: a, right: b }, right: c,
      }));
    });
    it('parenthesized operands and ORDER BY / LIMIT on the whole', () => {
      expect(stmt('(SELECT a FROM t ORDER BY a LIMIT 3) UNION (SELECT b FROM u) ORDER BY 1 LIMIT 5')).to.deep.equal(query({
        kind: 'SetOperation', op: 'UNION', all: false,
        left: { kind: 'NestedQuery', query: query(a, { orderBy: [{ expr: col('a') }], limit: num('3') }) },
        right: { kind: 'NestedQuery', query: query(b) },
      }, { orderBy: [{ expr: num('1') }], limit: num('5') }));
    });
    it('a parenthesized query on its own', () => {
      expect(stmt('((SELECT 1))')).to.deep.equal(query({ kind: 'NestedQuery', query: query({ kind: 'NestedQuery', query: query(select([num('1')])) }) }));
    });
  });

  describe('VALUES', () => {
    it('rows of expressions', () => {
      expect(stmt("VALUES (1, 'a'), (2, 'b')")).to.deep.equal(query({ kind: 'Values', rows: [[num('1'), str('a')], [num('2'), str('b')]] }));
    });
    it('as a FROM item and a set operand', () => {
      expect(fromOf('SELECT * FROM (VALUES (1)) AS v (x)')).to.deep.equal([{
        kind: 'DerivedTable', query: query({ kind: 'Values', rows: [[num('1')]] }), lateral: false, alias: { name: id('v'), columns: [id('x')] },
      }]);
      expect((stmt('VALUES (1) UNION VALUES (2)') as Query).body.kind).to.equal('SetOperation');
    });
  });

  describe('FROM items', () => {
    it('comma lists and aliases', () => {
      expect(fromOf('SELECT 1 FROM a, s.b AS x, c y (p, q)')).to.deep.equal([
        table('a'),
        { kind: 'NamedTable', name: [id('s'), id('b')], alias: { name: id('x') } },
        { kind: 'NamedTable', name: [id('c')], alias: { name: id('y'), columns: [id('p'), id('q')] } },
      ]);
    });
    it('subqueries, LATERAL too', () => {
      expect(fromOf('SELECT 1 FROM (SELECT 1) AS s, LATERAL (SELECT 2) t')).to.deep.equal([
        { kind: 'DerivedTable', query: query(select([num('1')])), lateral: false, alias: { name: id('s') } },
        { kind: 'DerivedTable', query: query(select([num('2')])), lateral: true, alias: { name: id('t') } },
      ]);
    });
    it('a parenthesized set operation as a FROM item', () => {
      const from = fromOf('SELECT 1 FROM ((SELECT 1) UNION (SELECT 2)) AS u');
      expect(from[0]?.kind).to.equal('DerivedTable');
    });
    it('FOR SYSTEM_TIME AS OF', () => {
      expect(fromOf('SELECT 1 FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.c = r.c')).to.deep.equal([{
        kind: 'Join', type: 'INNER', natural: false,
        left: { kind: 'NamedTable', name: [id('orders')], alias: { name: id('o') } },
        right: { kind: 'NamedTable', name: [id('rates')], asOf: col('o', 'order_time'), alias: { name: id('r') } },
        on: bin('=', col('o', 'c'), col('r', 'c')),
      }]);
    });
    it('LATERAL TABLE(f(x)) and bare table functions', () => {
      expect(fromOf('SELECT 1 FROM src, LATERAL TABLE(split(s)) AS T(w), generate_series(1, 3) g')).to.deep.equal([
        table('src'),
        {
          kind: 'TableFunction', name: [id('split')], args: [{ value: { kind: 'ScalarArg', expr: col('s') } }], wrapped: true, lateral: true,
          alias: { name: id('t'), columns: [id('w')] },
        },
        {
          kind: 'TableFunction', name: [id('generate_series')],
          args: [{ value: { kind: 'ScalarArg', expr: num('1') } }, { value: { kind: 'ScalarArg', expr: num('3') } }],
          wrapped: false, lateral: false, alias: { name: id('g') },
        },
      ]);
    });
  });

  describe('joins', () => {
    const join = (type: JoinType, left: TableRef, right: TableRef, extra: Partial<Join> = {}): TableRef =>
      ({ kind: 'Join', type, natural: false, left, right, ...extra });
    it('every join type, left-associative', () => {
      expect(fromOf('SELECT 1 FROM a JOIN b ON x LEFT JOIN c ON y RIGHT OUTER JOIN d USING (k) FULL JOIN e ON z CROSS JOIN f')).to.deep.equal([
        join('CROSS',
          join('FULL',
            join('RIGHT',
              join('LEFT', join('INNER', table('a'), table('b'), { on: col('x') }), table('c'), { on: col('y') }),
              table('d'), { using: [id('k')] }),
            table('e'), { on: col('z') }),
          table('f')),
      ]);
    });
    it('INNER JOIN and LEFT OUTER JOIN', () => {
      expect(fromOf('SELECT 1 FROM a INNER JOIN b ON TRUE')).to.deep.equal([join('INNER', table('a'), table('b'), { on: bool(true) })]);
      expect(fromOf('SELECT 1 FROM a LEFT OUTER JOIN b ON TRUE')).to.deep.equal([join('LEFT', table('a'), table('b'), { on: bool(true) })]);
    });
    it('NATURAL joins', () => {
      expect(fromOf('SELECT 1 FROM a NATURAL JOIN b NATURAL LEFT JOIN c')).to.deep.equal([
        join('LEFT', join('INNER', table('a'), table('b'), { natural: true }), table('c'), { natural: true }),
      ]);
    });
    it('parenthesized joins', () => {
      expect(fromOf('SELECT 1 FROM a JOIN (b JOIN c ON p) ON q')).to.deep.equal([
        join('INNER', table('a'), join('INNER', table('b'), table('c'), { on: col('p') }), { on: col('q') }),
      ]);
      expect(fromOf('SELECT 1 FROM ((a JOIN b ON p))')).to.deep.equal([join('INNER', table('a'), table('b'), { on: col('p') })]);
    });
    it('LEFT JOIN LATERAL TABLE(...) ON TRUE', () => {
      expect(fromOf('SELECT 1 FROM a LEFT JOIN LATERAL TABLE(f(x)) AS t(y) ON TRUE')).to.deep.equal([
        join('LEFT', table('a'), {
          kind: 'TableFunction', name: [id('f')], args: [{ value: { kind: 'ScalarArg', expr: col('x') } }], wrapped: true, lateral: true,
          alias: { name: id('t'), columns: [id('y')] },
        }, { on: bool(true) }),
      ]);
    });
  });

  describe('window table-valued functions', () => {
    const descriptor = (c: string) => ({ kind: 'DescriptorArg', columns: [id(c)] });
    const tableArg = (name: string, partitionBy: unknown[] = [], orderBy: unknown[] = []) =>
      ({ kind: 'TableArg', table: [id(name)], partitionBy, orderBy });
    it('TUMBLE', () => {
      expect(fromOf("SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' MINUTES))")).to.deep.equal([{
        kind: 'TableFunction', name: [id('tumble')], wrapped: true, lateral: false,
        args: [
          { value: tableArg('bids') },
          { value: descriptor('ts') },
          { value: { kind: 'ScalarArg', expr: interval('10', 'MINUTE') } },
        ],
      }]);
    });
    it('HOP with named arguments', () => {
      expect(fromOf("SELECT * FROM TABLE(HOP(DATA => TABLE bids, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '10' MINUTES)) AS w")).to.deep.equal([{
        kind: 'TableFunction', name: [id('hop')], wrapped: true, lateral: false, alias: { name: id('w') },
        args: [
          { name: id('data'), value: tableArg('bids') },
          { name: id('timecol'), value: descriptor('ts') },
          { name: id('slide'), value: { kind: 'ScalarArg', expr: interval('5', 'MINUTE') } },
          { name: id('size'), value: { kind: 'ScalarArg', expr: interval('10', 'MINUTE') } },
        ],
      }]);
    });
    it('SESSION with TABLE t PARTITION BY k, one key or a list', () => {
      const args = (sql: string) => {
        const f = fromOf(sql)[0];
        return f?.kind === 'TableFunction' ? f.args : undefined;
      };
      expect(args("SELECT * FROM TABLE(SESSION(TABLE bids PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '5' MINUTES))")?.[0]).to.deep.equal(
        { value: tableArg('bids', [col('bidder')]) },
      );
      expect(args("SELECT * FROM TABLE(SESSION(TABLE bids PARTITION BY (bidder, auction), DESCRIPTOR(ts), INTERVAL '5' MINUTES))")?.[0]).to.deep.equal(
        { value: tableArg('bids', [col('bidder'), col('auction')]) },
      );
      expect(args('SELECT * FROM TABLE(f(TABLE t PARTITION BY k ORDER BY ts DESC, 1))')?.[0]).to.deep.equal(
        { value: tableArg('t', [col('k')], [{ expr: col('ts'), direction: 'DESC' }]) },
      );
    });
    it('CUMULATE with an offset', () => {
      const f = fromOf("SELECT * FROM TABLE(CUMULATE(TABLE b, DESCRIPTOR(ts), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES))")[0];
      expect(f?.kind === 'TableFunction' && f.args.length).to.equal(4);
    });
    it('a query argument', () => {
      expect(fromOf('SELECT * FROM TABLE(f((SELECT a FROM t) PARTITION BY a))')).to.deep.equal([{
        kind: 'TableFunction', name: [id('f')], wrapped: true, lateral: false,
        args: [{ value: { kind: 'QueryArg', query: query(select([col('a')], { from: [table('t')] })), partitionBy: [col('a')] } }],
      }]);
    });
  });

  describe('errors specific to queries', () => {
    it('an alias after a parenthesized join', () => {
      const e = parseErrorOf(() => stmt('SELECT 1 FROM (a JOIN b ON p) AS x'));
      expect(e.message).to.equal('syntax error at or near "AS"');
    });
    it('t.* with an alias', () => {
      expect(parseErrorOf(() => stmt('SELECT t.* AS x FROM t')).message).to.equal('syntax error at or near "x"');
    });
    it('* outside a select list', () => {
      expect(parseErrorOf(() => stmt('SELECT 1 FROM t WHERE t.* = 1')).message).to.equal('syntax error at or near "*"');
    });
    it('a named argument must be a name', () => {
      expect(parseErrorOf(() => stmt('SELECT * FROM TABLE(f(a.b => 1))')).message).to.equal('syntax error at or near "=>"');
    });
  });

  it('a realistic query', () => {
    const s = selectOf(`
      SELECT o.id, r.rate * o.amount AS converted
      FROM orders o
      LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency
      WHERE o.amount > 100 AND r.rate IS NOT NULL`);
    expect(s.items.length).to.equal(2);
    expect(s.from[0]?.kind).to.equal('Join');
    expect(s.where?.kind).to.equal('BinaryOp');
  });
});
