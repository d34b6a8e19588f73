// Parser tests: scalar expressions, operator precedence, literals, special forms, types and windows.

import { expect } from 'chai';
import type { Expr } from '../../parser/ast/index.js';
import {
  bin, bool, call, col, expr, id, neg, not, nul, num, query, select, selectExpr, str, type, warmUpParser,
} from './ast-builders.js';

describe('parser: expressions', () => {
  before(warmUpParser);

  describe('precedence (PostgreSQL table)', () => {
    const cases: [string, Expr][] = [
      ['a + b * c', bin('+', col('a'), bin('*', col('b'), col('c')))],
      ['a * b + c', bin('+', bin('*', col('a'), col('b')), col('c'))],
      ['a - b - c', bin('-', bin('-', col('a'), col('b')), col('c'))],
      ['a / b % c', bin('%', bin('/', col('a'), col('b')), col('c'))],
      ['2 ^ 3 ^ 4', bin('^', bin('^', num('2'), num('3')), num('4'))],
      ['a * b ^ c', bin('*', col('a'), bin('^', col('b'), col('c')))],
      ['-2 ^ 2', bin('^', neg(num('2')), num('2'))],
      ['- -3', neg(neg(num('3')))],
      ['+a', { kind: 'UnaryOp', op: '+', operand: col('a') }],
      ['-a * b', bin('*', neg(col('a')), col('b'))],
      ['a || b + c', bin('||', col('a'), bin('+', col('b'), col('c')))],
      ['a + b || c', bin('||', bin('+', col('a'), col('b')), col('c'))],
      ['a || b || c', bin('||', bin('||', col('a'), col('b')), col('c'))],
      ['a || b LIKE c', { kind: 'Like', op: 'LIKE', operand: bin('||', col('a'), col('b')), pattern: col('c'), negated: false }],
      ['a LIKE b || c', { kind: 'Like', op: 'LIKE', operand: col('a'), pattern: bin('||', col('b'), col('c')), negated: false }],
      ['a = b LIKE c', bin('=', col('a'), { kind: 'Like', op: 'LIKE', operand: col('b'), pattern: col('c'), negated: false })],
      ['a BETWEEN b AND c = d', bin('=', { kind: 'Between', operand: col('a'), low: col('b'), high: col('c'), negated: false, symmetric: false }, col('d'))],
      ['a + 1 BETWEEN b - 1 AND c * 2', {
        kind: 'Between', operand: bin('+', col('a'), num('1')), low: bin('-', col('b'), num('1')),
        high: bin('*', col('c'), num('2')), negated: false, symmetric: false,
      }],
      ['a BETWEEN 1 AND 2 AND b', bin('AND', { kind: 'Between', operand: col('a'), low: num('1'), high: num('2'), negated: false, symmetric: false }, col('b'))],
      ['a IN (1) = b', bin('=', { kind: 'InList', operand: col('a'), list: [num('1')], negated: false }, col('b'))],
      ['a < b IS NULL', { kind: 'IsNull', operand: bin('<', col('a'), col('b')), negated: false }],
      ['a IS NULL = b', bin('=', { kind: 'IsNull', operand: col('a'), negated: false }, col('b'))],
      ['a IS DISTINCT FROM b = c', { kind: 'IsDistinctFrom', left: col('a'), right: bin('=', col('b'), col('c')), negated: false }],
      ['a = b IS NOT DISTINCT FROM c', { kind: 'IsDistinctFrom', left: bin('=', col('a'), col('b')), right: col('c'), negated: true }],
      ['NOT a IS NULL', not({ kind: 'IsNull', operand: col('a'), negated: false })],
      ['NOT a = b', not(bin('=', col('a'), col('b')))],
      ['NOT a AND b', bin('AND', not(col('a')), col('b'))],
      ['NOT NOT a', not(not(col('a')))],
      ['a AND NOT b OR c', bin('OR', bin('AND', col('a'), not(col('b'))), col('c'))],
      ['a OR b AND c', bin('OR', col('a'), bin('AND', col('b'), col('c')))],
      ['a AND b OR c AND d', bin('OR', bin('AND', col('a'), col('b')), bin('AND', col('c'), col('d')))],
      ['a = b AND c <> d', bin('AND', bin('=', col('a'), col('b')), bin('<>', col('c'), col('d')))],
      ['a < b + 1', bin('<', col('a'), bin('+', col('b'), num('1')))],
      ['(a + b) * c', bin('*', bin('+', col('a'), col('b')), col('c'))],
      ['-x::int', neg({ kind: 'Cast', operand: col('x'), type: type('INT'), try: false })],
      ['a::int + 1', bin('+', { kind: 'Cast', operand: col('a'), type: type('INT'), try: false }, num('1'))],
      ['x::int < 3', bin('<', { kind: 'Cast', operand: col('x'), type: type('INT'), try: false }, num('3'))],
      ['a[1] * 2', bin('*', { kind: 'Subscript', operand: col('a'), index: num('1') }, num('2'))],
      ['a = b = c', bin('=', bin('=', col('a'), col('b')), col('c'))],
    ];
    for (const [sql, ast] of cases) {
      it(sql, () => expect(expr(sql)).to.deep.equal(ast));
    }
  });

  describe('operators', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '^', '||'] as const) {
      it(`a ${op} b`, () => expect(expr(`a ${op} b`)).to.deep.equal(bin(op, col('a'), col('b'))));
    }
    it('folds != to <>', () => expect(expr('a != b')).to.deep.equal(bin('<>', col('a'), col('b'))));
    it('reads operators without spaces', () => expect(expr('a+-1')).to.deep.equal(bin('+', col('a'), neg(num('1')))));
    it('keeps negative numbers as a unary minus', () => expect(expr('-5')).to.deep.equal(neg(num('5'))));
  });

  describe('IS and null tests', () => {
    it('IS [NOT] NULL', () => {
      expect(expr('a IS NULL')).to.deep.equal({ kind: 'IsNull', operand: col('a'), negated: false });
      expect(expr('a IS NOT NULL')).to.deep.equal({ kind: 'IsNull', operand: col('a'), negated: true });
    });
    it('ISNULL / NOTNULL', () => {
      expect(expr('a ISNULL')).to.deep.equal({ kind: 'IsNull', operand: col('a'), negated: false });
      expect(expr('a NOTNULL')).to.deep.equal({ kind: 'IsNull', operand: col('a'), negated: true });
    });
    it('IS [NOT] TRUE / FALSE / UNKNOWN', () => {
      expect(expr('a IS TRUE')).to.deep.equal({ kind: 'IsTruth', operand: col('a'), value: true, negated: false });
      expect(expr('a IS NOT FALSE')).to.deep.equal({ kind: 'IsTruth', operand: col('a'), value: false, negated: true });
      expect(expr('a IS UNKNOWN')).to.deep.equal({ kind: 'IsTruth', operand: col('a'), value: null, negated: false });
    });
    it('IS [NOT] DISTINCT FROM', () => {
      expect(expr('a IS DISTINCT FROM b')).to.deep.equal({ kind: 'IsDistinctFrom', left: col('a'), right: col('b'), negated: false });
      expect(expr('a IS NOT DISTINCT FROM b')).to.deep.equal({ kind: 'IsDistinctFrom', left: col('a'), right: col('b'), negated: true });
    });
  });

  describe('predicates', () => {
    it('[NOT] BETWEEN [SYMMETRIC | ASYMMETRIC]', () => {
      expect(expr('a NOT BETWEEN SYMMETRIC 2 AND 1')).to.deep.equal({
        kind: 'Between', operand: col('a'), low: num('2'), high: num('1'), negated: true, symmetric: true,
      });
      expect(expr('a BETWEEN ASYMMETRIC 1 AND 2')).to.deep.equal({
        kind: 'Between', operand: col('a'), low: num('1'), high: num('2'), negated: false, symmetric: false,
      });
    });
    it('[NOT] IN (list)', () => {
      expect(expr('a IN (1, 2)')).to.deep.equal({ kind: 'InList', operand: col('a'), list: [num('1'), num('2')], negated: false });
      expect(expr('a NOT IN (b)')).to.deep.equal({ kind: 'InList', operand: col('a'), list: [col('b')], negated: true });
    });
    it('[NOT] IN (subquery)', () => {
      expect(expr('a NOT IN (SELECT b FROM t)')).to.deep.equal({
        kind: 'InSubquery', operand: col('a'), negated: true,
        query: query(select([col('b')], { from: [{ kind: 'NamedTable', name: [id('t')] }] })),
      });
    });
    it('IN with a scalar subquery among the values', () => {
      const e = expr('a IN ((SELECT 1), 2)');
      expect(e.kind).to.equal('InList');
      expect(e.kind === 'InList' && e.list[0]?.kind).to.equal('ScalarSubquery');
    });
    it('IN with a parenthesized set operation', () => {
      const e = expr('a IN ((SELECT 1) UNION (SELECT 2))');
      expect(e.kind).to.equal('InSubquery');
    });
    it('LIKE / ILIKE / SIMILAR TO with ESCAPE', () => {
      expect(expr("a LIKE 'x%' ESCAPE '!'")).to.deep.equal({
        kind: 'Like', op: 'LIKE', operand: col('a'), pattern: str('x%'), escape: str('!'), negated: false,
      });
      expect(expr("a NOT ILIKE 'y'")).to.deep.equal({ kind: 'Like', op: 'ILIKE', operand: col('a'), pattern: str('y'), negated: true });
      expect(expr("a NOT SIMILAR TO 'z' ESCAPE '#'")).to.deep.equal({
        kind: 'Like', op: 'SIMILAR TO', operand: col('a'), pattern: str('z'), escape: str('#'), negated: true,
      });
    });
    it('EXISTS and scalar subqueries', () => {
      expect(expr('EXISTS (SELECT 1)')).to.deep.equal({ kind: 'Exists', query: query(select([num('1')])) });
      expect(expr('(SELECT 1) + 1')).to.deep.equal(bin('+', { kind: 'ScalarSubquery', query: query(select([num('1')])) }, num('1')));
      expect(expr('NOT EXISTS (SELECT 1)')).to.deep.equal(not({ kind: 'Exists', query: query(select([num('1')])) }));
    });
  });

  describe('literals', () => {
    it('numbers as written', () => {
      for (const n of ['42', '3.14', '1e-3', '.5', '1.5E+10', '5.']) expect(expr(n)).to.deep.equal(num(n));
    });
    it('strings with doubled quotes', () => expect(expr("'it''s'")).to.deep.equal(str("it's")));
    it('escape strings', () => expect(expr("E'a\\tb\\n\\x41\\101\\u00e9\\\\\\''")).to.deep.equal(str("a\tb\nAAé\\'")));
    it('Unicode strings, with and without UESCAPE', () => {
      expect(expr("U&'\\0041\\+01F600'")).to.deep.equal(str('A\u{1F600}'));
      expect(expr("U&'d!0061t!+000061' UESCAPE '!'")).to.deep.equal(str('data'));
    });
    it('dollar-quoted strings', () => {
      expect(expr('$$it\'s$$')).to.deep.equal(str("it's"));
      expect(expr('$tag$a$$b$tag$')).to.deep.equal(str('a$$b'));
    });
    it('binary strings', () => expect(expr("X'0aFF'")).to.deep.equal({ kind: 'Literal', value: { type: 'bytes', hex: '0aFF' } }));
    it('TRUE, FALSE, NULL', () => {
      expect(expr('TRUE')).to.deep.equal(bool(true));
      expect(expr('false')).to.deep.equal(bool(false));
      expect(expr('NULL')).to.deep.equal(nul);
    });
    it('parameters', () => expect(expr('$12')).to.deep.equal({ kind: 'Parameter', index: 12 }));
    it('typed literals', () => {
      expect(expr("DATE '2026-01-01'")).to.deep.equal({ kind: 'TypedLiteral', type: 'DATE', value: '2026-01-01' });
      expect(expr("TIME '10:00:00'")).to.deep.equal({ kind: 'TypedLiteral', type: 'TIME', value: '10:00:00' });
      expect(expr("timestamp '2026-01-01 10:00:00'")).to.deep.equal({ kind: 'TypedLiteral', type: 'TIMESTAMP', value: '2026-01-01 10:00:00' });
      expect(expr("TIMESTAMP_LTZ '2026-01-01 10:00:00'")).to.deep.equal({ kind: 'TypedLiteral', type: 'TIMESTAMP_LTZ', value: '2026-01-01 10:00:00' });
    });
    it("another type name before a string is a cast (PostgreSQL's int4 '1')", () => {
      expect(expr("bigint '5'")).to.deep.equal({ kind: 'Cast', operand: str('5'), type: type('BIGINT'), try: false });
    });
    it('date, time and timestamp remain column names', () => {
      expect(expr('date + time')).to.deep.equal(bin('+', col('date'), col('time')));
    });
  });

  describe('intervals', () => {
    const cases: [string, Expr][] = [
      ["INTERVAL '1' HOUR", { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } }],
      ["INTERVAL '10' MINUTES", { kind: 'IntervalLiteral', value: '10', negative: false, qualifier: { from: 'MINUTE' } }],
      ["INTERVAL '2-3' YEAR TO MONTH", { kind: 'IntervalLiteral', value: '2-3', negative: false, qualifier: { from: 'YEAR', to: 'MONTH' } }],
      ["INTERVAL '1 hour'", { kind: 'IntervalLiteral', value: '1 hour', negative: false }],
      ["INTERVAL '1.5' SECOND(3)", { kind: 'IntervalLiteral', value: '1.5', negative: false, qualifier: { from: 'SECOND', fromPrecision: 3 } }],
      ["INTERVAL '1 2:03:04' DAY(2) TO SECOND(3)", {
        kind: 'IntervalLiteral', value: '1 2:03:04', negative: false,
        qualifier: { from: 'DAY', fromPrecision: 2, to: 'SECOND', toPrecision: 3 },
      }],
      ["INTERVAL -'1' DAY", { kind: 'IntervalLiteral', value: '1', negative: true, qualifier: { from: 'DAY' } }],
      ["INTERVAL '-1' DAYS", { kind: 'IntervalLiteral', value: '-1', negative: false, qualifier: { from: 'DAY' } }],
      ['INTERVAL 5 SECONDS', { kind: 'IntervalLiteral', value: '5', negative: false, qualifier: { from: 'SECOND' } }],
    ];
    for (const [sql, ast] of cases) it(sql, () => expect(expr(sql)).to.deep.equal(ast));
    it('in arithmetic', () => {
      expect(expr("ts - INTERVAL '5' SECOND")).to.deep.equal(
        bin('-', col('ts'), { kind: 'IntervalLiteral', value: '5', negative: false, qualifier: { from: 'SECOND' } }),
      );
    });
  });

  describe('identifiers and column references', () => {
    it('folds unquoted names to lower case', () => expect(expr('MyCol')).to.deep.equal(col('mycol')));
    it('keeps quoted names as written', () => {
      expect(expr('"My ""Col"""')).to.deep.equal({ kind: 'ColumnRef', parts: [id('My "Col"', true)] });
    });
    it('qualified names', () => {
      expect(expr('s.T."C"')).to.deep.equal({ kind: 'ColumnRef', parts: [id('s'), id('t'), id('C', true)] });
    });
    it('non-reserved keywords as names', () => {
      for (const name of ['value', 'timestamp', 'window_start', 'window_end', 'date', 'time', 'year', 'hour', 'key', 'data',
        'size', 'name', 'text', 'first', 'last', 'prev', 'next', 'running', 'final', 'jobs', 'tables', 'partition', 'rows',
        'current', 'unbounded', 'within', 'pattern', 'define', 'measures', 'match', 'zone', 'comment', 'watermark', 'position']) {
        if (name === 'position') continue; // POSITION(a IN b) is special syntax; see the gaps in the parser's docs.
        expect(expr(name), name).to.deep.equal(col(name));
        expect(expr(`t.${name}`), name).to.deep.equal(col('t', name));
      }
    });
    it('field access and subscripts', () => {
      expect(expr('(r).f')).to.deep.equal({ kind: 'FieldAccess', operand: col('r'), field: id('f') });
      expect(expr('f(x).a.b')).to.deep.equal({
        kind: 'FieldAccess', operand: { kind: 'FieldAccess', operand: call('f', [col('x')]), field: id('a') }, field: id('b'),
      });
      expect(expr('a[1][2]')).to.deep.equal({
        kind: 'Subscript', operand: { kind: 'Subscript', operand: col('a'), index: num('1') }, index: num('2'),
      });
      expect(expr('a[i + 1]')).to.deep.equal({ kind: 'Subscript', operand: col('a'), index: bin('+', col('i'), num('1')) });
    });
  });

  describe('function calls', () => {
    it('plain, qualified and keyword-named calls', () => {
      expect(expr('f(1, a)')).to.deep.equal(call('f', [num('1'), col('a')]));
      expect(expr('s.f()')).to.deep.equal({ ...call('f', []), name: [id('s'), id('f')] });
      expect(expr('LEFT(s, 2)')).to.deep.equal(call('left', [col('s'), num('2')]));
      expect(expr('right(s, 2)')).to.deep.equal(call('right', [col('s'), num('2')]));
      expect(expr('IF(a, 1, 2)')).to.deep.equal(call('if', [col('a'), num('1'), num('2')]));
      expect(expr('GROUPING(a, b)')).to.deep.equal(call('grouping', [col('a'), col('b')]));
      expect(expr('first(x)')).to.deep.equal(call('first', [col('x')]));
      expect(expr('PROCTIME()')).to.deep.equal(call('proctime', []));
    });
    it('COUNT(*), DISTINCT and ALL', () => {
      expect(expr('COUNT(*)')).to.deep.equal(call('count', [], { star: true }));
      expect(expr('count(DISTINCT a)')).to.deep.equal(call('count', [col('a')], { distinct: true }));
      expect(expr('sum(ALL a)')).to.deep.equal(call('sum', [col('a')]));
    });
    it('FILTER (WHERE ...)', () => {
      expect(expr('SUM(x) FILTER (WHERE x > 0)')).to.deep.equal(call('sum', [col('x')], { filter: bin('>', col('x'), num('0')) }));
    });
    it('aggregate ORDER BY and WITHIN GROUP', () => {
      expect(expr("STRING_AGG(s, ',' ORDER BY s DESC)")).to.deep.equal(
        call('string_agg', [col('s'), str(',')], { orderBy: [{ expr: col('s'), direction: 'DESC' }] }),
      );
      expect(expr('percentile_cont(0.5) WITHIN GROUP (ORDER BY x)')).to.deep.equal(
        call('percentile_cont', [num('0.5')], { orderBy: [{ expr: col('x') }], withinGroup: true }),
      );
    });
    it('IGNORE / RESPECT NULLS, inside or after the arguments', () => {
      expect(expr('LAST_VALUE(x IGNORE NULLS)')).to.deep.equal(call('last_value', [col('x')], { nulls: 'IGNORE' }));
      expect(expr('lag(x) RESPECT NULLS OVER w')).to.deep.equal(call('lag', [col('x')], { nulls: 'RESPECT', over: id('w') }));
    });
    it('OVER a named window and OVER (...)', () => {
      expect(expr('ROW_NUMBER() OVER w')).to.deep.equal(call('row_number', [], { over: id('w') }));
      expect(expr('ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY ts DESC NULLS FIRST)')).to.deep.equal(
        call('row_number', [], {
          over: {
            kind: 'WindowSpec', partitionBy: [col('a'), col('b')],
            orderBy: [{ expr: col('ts'), direction: 'DESC', nulls: 'FIRST' }],
          },
        }),
      );
    });
    it('window frames', () => {
      const frameOf = (sql: string): unknown => {
        const e = expr(`SUM(x) OVER (${sql})`);
        return e.kind === 'FunctionCall' && e.over?.kind === 'WindowSpec' ? e.over.frame : undefined;
      };
      expect(frameOf('ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW')).to.deep.equal({
        units: 'ROWS', start: { kind: 'UnboundedPreceding' }, end: { kind: 'CurrentRow' },
      });
      expect(frameOf("ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND UNBOUNDED FOLLOWING")).to.deep.equal({
        units: 'RANGE',
        start: { kind: 'Preceding', offset: { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } } },
        end: { kind: 'UnboundedFollowing' },
      });
      expect(frameOf('ROWS 5 PRECEDING')).to.deep.equal({ units: 'ROWS', start: { kind: 'Preceding', offset: num('5') } });
      expect(frameOf('GROUPS BETWEEN 1 FOLLOWING AND 3 FOLLOWING EXCLUDE TIES')).to.deep.equal({
        units: 'GROUPS', start: { kind: 'Following', offset: num('1') }, end: { kind: 'Following', offset: num('3') }, exclude: 'TIES',
      });
      expect(frameOf('ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW')).to.deep.equal({
        units: 'ROWS', start: { kind: 'UnboundedPreceding' }, exclude: 'CURRENT ROW',
      });
      expect(frameOf('ROWS CURRENT ROW EXCLUDE NO OTHERS')).to.deep.equal({ units: 'ROWS', start: { kind: 'CurrentRow' }, exclude: 'NO OTHERS' });
      expect(frameOf('ROWS CURRENT ROW EXCLUDE GROUP')).to.deep.equal({ units: 'ROWS', start: { kind: 'CurrentRow' }, exclude: 'GROUP' });
      // A quoted "unbounded" is a column.
      expect(frameOf('ROWS "unbounded" PRECEDING')).to.deep.equal({
        units: 'ROWS', start: { kind: 'Preceding', offset: { kind: 'ColumnRef', parts: [id('unbounded', true)] } },
      });
    });
    it('a window extending a named one', () => {
      expect(expr('SUM(x) OVER (w ORDER BY ts)')).to.deep.equal(
        call('sum', [col('x')], { over: { kind: 'WindowSpec', base: id('w'), partitionBy: [], orderBy: [{ expr: col('ts') }] } }),
      );
      expect(expr('SUM(x) OVER (w)')).to.deep.equal(
        call('sum', [col('x')], { over: { kind: 'WindowSpec', base: id('w'), partitionBy: [], orderBy: [] } }),
      );
    });
    it('niladic functions', () => {
      for (const name of ['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME', 'CURRENT_USER',
        'SESSION_USER', 'CURRENT_CATALOG', 'CURRENT_SCHEMA']) {
        expect(expr(name)).to.deep.equal(call(name.toLowerCase(), [], { bare: true }));
      }
      expect(expr('CURRENT_TIMESTAMP(3)')).to.deep.equal(call('current_timestamp', [num('3')]));
    });
    it('group-window functions are ordinary calls', () => {
      expect(expr("TUMBLE_END(rowtime, INTERVAL '1' HOUR)")).to.deep.equal(
        call('tumble_end', [col('rowtime'), { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } }]),
      );
    });
    it('RUNNING / FINAL', () => {
      expect(expr('FINAL LAST(A.price)')).to.deep.equal({ kind: 'NavigationSemantics', semantics: 'FINAL', expr: call('last', [col('a', 'price')]) });
      expect(expr('RUNNING COUNT(*) + 1')).to.deep.equal(
        bin('+', { kind: 'NavigationSemantics', semantics: 'RUNNING', expr: call('count', [], { star: true }) }, num('1')),
      );
    });
  });

  describe('special forms', () => {
    it('CASE, searched and simple', () => {
      expect(expr("CASE WHEN a > 1 THEN 'x' ELSE 'y' END")).to.deep.equal({
        kind: 'Case', whens: [{ when: bin('>', col('a'), num('1')), then: str('x') }], else: str('y'),
      });
      expect(expr('CASE a WHEN 1 THEN 2 WHEN 3 THEN 4 END')).to.deep.equal({
        kind: 'Case', operand: col('a'), whens: [{ when: num('1'), then: num('2') }, { when: num('3'), then: num('4') }],
      });
    });
    it('CAST, TRY_CAST and ::', () => {
      expect(expr('CAST(a AS BIGINT)')).to.deep.equal({ kind: 'Cast', operand: col('a'), type: type('BIGINT'), try: false });
      expect(expr('TRY_CAST(a AS DECIMAL(10, 2))')).to.deep.equal({ kind: 'Cast', operand: col('a'), type: type('DECIMAL', [10, 2]), try: true });
      expect(expr('a::varchar(10)')).to.deep.equal({ kind: 'Cast', operand: col('a'), type: type('VARCHAR', [10]), try: false });
      // As in PostgreSQL, brackets right after a cast's type belong to the type.
      expect(expr("'{1,2}'::int[]")).to.deep.equal({
        kind: 'Cast', operand: str('{1,2}'), type: type('ARRAY', [], { element: type('INT') }), try: false,
      });
      expect(expr("'1'::int::text")).to.deep.equal({
        kind: 'Cast', operand: { kind: 'Cast', operand: str('1'), type: type('INT'), try: false }, type: type('TEXT'), try: false,
      });
    });
    it('EXTRACT', () => {
      expect(expr('EXTRACT(HOUR FROM ts)')).to.deep.equal({ kind: 'Extract', field: 'HOUR', source: col('ts') });
      expect(expr("EXTRACT('epoch' FROM ts)")).to.deep.equal({ kind: 'Extract', field: 'EPOCH', source: col('ts') });
      expect(expr('EXTRACT(DOW FROM ts)')).to.deep.equal({ kind: 'Extract', field: 'DOW', source: col('ts') });
    });
    it('TRIM', () => {
      expect(expr('TRIM(s)')).to.deep.equal({ kind: 'Trim', where: 'BOTH', source: col('s') });
      expect(expr("TRIM(BOTH 'x' FROM s)")).to.deep.equal({ kind: 'Trim', where: 'BOTH', chars: str('x'), source: col('s') });
      expect(expr("TRIM(LEADING 'x' FROM s)")).to.deep.equal({ kind: 'Trim', where: 'LEADING', chars: str('x'), source: col('s') });
      expect(expr('TRIM(TRAILING FROM s)')).to.deep.equal({ kind: 'Trim', where: 'TRAILING', source: col('s') });
      expect(expr("TRIM('x' FROM s)")).to.deep.equal({ kind: 'Trim', where: 'BOTH', chars: str('x'), source: col('s') });
      expect(expr("TRIM(s, 'x')")).to.deep.equal({ kind: 'Trim', where: 'BOTH', chars: str('x'), source: col('s') });
    });
    it('SUBSTRING, with FROM/FOR and the comma form', () => {
      expect(expr('SUBSTRING(s FROM 2 FOR 3)')).to.deep.equal({ kind: 'Substring', source: col('s'), from: num('2'), for: num('3') });
      expect(expr('SUBSTRING(s FROM 2)')).to.deep.equal({ kind: 'Substring', source: col('s'), from: num('2') });
      expect(expr('SUBSTRING(s FOR 3)')).to.deep.equal({ kind: 'Substring', source: col('s'), for: num('3') });
      expect(expr('SUBSTRING(s, 2, 3)')).to.deep.equal(call('substring', [col('s'), num('2'), num('3')]));
    });
    it('POSITION and OVERLAY', () => {
      expect(expr("POSITION('a' IN s)")).to.deep.equal({ kind: 'Position', needle: str('a'), haystack: col('s') });
      expect(expr("POSITION('a' || b IN s || t)")).to.deep.equal({
        kind: 'Position', needle: bin('||', str('a'), col('b')), haystack: bin('||', col('s'), col('t')),
      });
      expect(expr("OVERLAY(s PLACING 'x' FROM 2 FOR 1)")).to.deep.equal({
        kind: 'Overlay', source: col('s'), placing: str('x'), from: num('2'), for: num('1'),
      });
      expect(expr("OVERLAY(s PLACING 'x' FROM 2)")).to.deep.equal({ kind: 'Overlay', source: col('s'), placing: str('x'), from: num('2') });
    });
    it('rows and arrays', () => {
      expect(expr('ROW(1, a)')).to.deep.equal({ kind: 'RowConstructor', items: [num('1'), col('a')], explicit: true });
      expect(expr('ROW()')).to.deep.equal({ kind: 'RowConstructor', items: [], explicit: true });
      expect(expr('(1, a)')).to.deep.equal({ kind: 'RowConstructor', items: [num('1'), col('a')], explicit: false });
      expect(expr('ARRAY[1, 2]')).to.deep.equal({ kind: 'ArrayConstructor', items: [num('1'), num('2')] });
      expect(expr('ARRAY[]')).to.deep.equal({ kind: 'ArrayConstructor', items: [] });
      expect(expr('(a)')).to.deep.equal(col('a'));
    });
  });

  describe('type names', () => {
    const castType = (t: string): unknown => {
      const e = expr(`CAST(x AS ${t})`);
      return e.kind === 'Cast' ? e.type : undefined;
    };
    const cases: [string, unknown][] = [
      ['INT', type('INT')],
      ['integer', type('INTEGER')],
      ['BOOLEAN', type('BOOLEAN')],
      ['DOUBLE PRECISION', type('DOUBLE')],
      ['double', type('DOUBLE')],
      ['DECIMAL(10, 2)', type('DECIMAL', [10, 2])],
      ['NUMERIC', type('NUMERIC')],
      ['VARCHAR(32)', type('VARCHAR', [32])],
      ['CHARACTER VARYING(8)', type('VARCHAR', [8])],
      ['CHAR VARYING', type('VARCHAR')],
      ['CHAR(3)', type('CHAR', [3])],
      ['STRING', type('STRING')],
      ['TEXT', type('TEXT')],
      ['BYTES', type('BYTES')],
      ['BYTEA', type('BYTEA')],
      ['DATE', type('DATE')],
      ['TIME', type('TIME')],
      ['TIME(3) WITHOUT TIME ZONE', type('TIME', [3])],
      ['TIMESTAMP(3)', type('TIMESTAMP', [3])],
      ['TIMESTAMP WITHOUT TIME ZONE', type('TIMESTAMP')],
      ['TIMESTAMP(3) WITH LOCAL TIME ZONE', type('TIMESTAMP_LTZ', [3])],
      ['TIMESTAMP WITH TIME ZONE', type('TIMESTAMP_LTZ')],
      ['TIMESTAMPTZ', type('TIMESTAMP_LTZ')],
      ['TIMESTAMP_LTZ(3)', type('TIMESTAMP_LTZ', [3])],
      ['INTERVAL', type('INTERVAL')],
      ['INTERVAL DAY TO SECOND(3)', type('INTERVAL', [], { interval: { from: 'DAY', to: 'SECOND', toPrecision: 3 } })],
      ['INTERVAL YEAR', type('INTERVAL', [], { interval: { from: 'YEAR' } })],
      ['ARRAY<INT>', type('ARRAY', [], { element: type('INT') })],
      ['ARRAY<ARRAY<INT>>', type('ARRAY', [], { element: type('ARRAY', [], { element: type('INT') }) })],
      ['ARRAY<INT NOT NULL>', type('ARRAY', [], { element: type('INT', [], { notNull: true }) })],
      ['INT ARRAY', type('ARRAY', [], { element: type('INT') })],
      ['MAP<STRING, BIGINT>', type('MAP', [], { element: type('STRING'), mapValue: type('BIGINT') })],
      ['ROW<a INT, b STRING NOT NULL>', type('ROW', [], {
        fields: [{ name: 'a', type: type('INT') }, { name: 'b', type: type('STRING', [], { notNull: true }) }],
      })],
      ['ROW(a INT)', type('ROW', [], { fields: [{ name: 'a', type: type('INT') }] })],
      ['TEXT[]', type('ARRAY', [], { element: type('TEXT') })],
      ['INT[3][]', type('ARRAY', [], { element: type('ARRAY', [], { element: type('INT') }) })],
      ['VARCHAR(5) ARRAY', type('ARRAY', [], { element: type('VARCHAR', [5]) })],
    ];
    for (const [sql, ast] of cases) it(sql, () => expect(castType(sql)).to.deep.equal(ast));
  });

  describe('inside SELECT', () => {
    it('an expression in a select list', () => expect(selectExpr('1 + 2')).to.deep.equal(bin('+', num('1'), num('2'))));
  });
});
