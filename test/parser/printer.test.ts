// The SQL printer: exact canonical text for hand-built ASTs and for parsed SQL, parentheses from the precedence table.

import { expect } from 'chai';
import type {
  BinaryOperator, ColumnRef, Expr, FunctionCall, Ident, Join, Literal, MatchRecognize, NamedTable, PatternTerm,
  Query, QueryBody, Select, Statement, TableRef, TypeName,
} from '../../parser/ast/index.js';
import { parseExpression, parseStatement } from '../../parser/index.js';
import { printExpr, printPattern, printQuery, printStatement, printTypeName } from '../../parser/printer/index.js';

const id = (value: string, quoted = false): Ident => ({ kind: 'Ident', value, quoted });
const col = (...parts: string[]): ColumnRef => ({ kind: 'ColumnRef', parts: parts.map((p) => id(p)) });
const num = (text: string): Literal => ({ kind: 'Literal', value: { type: 'number', text } });
const str = (value: string): Literal => ({ kind: 'Literal', value: { type: 'string', value } });
const bool = (value: boolean): Literal => ({ kind: 'Literal', value: { type: 'boolean', value } });
const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: 'BinaryOp', op, left, right });
const neg = (operand: Expr): Expr => ({ kind: 'UnaryOp', op: '-', operand });
const not = (operand: Expr): Expr => ({ kind: 'UnaryOp', op: 'NOT', operand });
const type = (name: string, ...args: number[]): TypeName => ({ kind: 'TypeName', name, args });
const call = (name: string, args: Expr[], extra: Partial<FunctionCall> = {}): FunctionCall => ({
  kind: 'FunctionCall', name: [id(name)], args, distinct: false, star: false, bare: false, ...extra,
});
const table = (name: string, alias?: string): NamedTable => ({
  kind: 'NamedTable', name: [id(name)], ...(alias === undefined ? {} : { alias: { name: id(alias) } }),
});
const select = (s: Partial<Select>): Select => ({ kind: 'Select', distinct: false, items: [], from: [], ...s });
const star: Select['items'][number] = { kind: 'SelectStar' };
const item = (expr: Expr, alias?: string): Select['items'][number] => ({
  kind: 'SelectExpr', expr, ...(alias === undefined ? {} : { alias: id(alias) }),
});
const query = (body: QueryBody, extra: Partial<Query> = {}): Query => ({ kind: 'Query', body, orderBy: [], ...extra });
const join = (type: Join['type'], left: TableRef, right: TableRef, on?: Expr): Join => ({
  kind: 'Join', type, natural: false, left, right, ...(on === undefined ? {} : { on }),
});

const a = col('a');
const b = col('b');
const c = col('c');
const x = col('x');

describe('printer', () => {
  describe('expression precedence', () => {
    const cases: [string, Expr, string][] = [
      ['left-nested lower level', bin('*', bin('+', a, b), c), '(a + b) * c'],
      ['right-nested higher level', bin('+', a, bin('*', b, c)), 'a + b * c'],
      ['left-associative chain', bin('-', bin('-', a, b), c), 'a - b - c'],
      ['right operand at the same level', bin('-', a, bin('-', b, c)), 'a - (b - c)'],
      ['division on the right', bin('/', a, bin('*', b, c)), 'a / (b * c)'],
      ['exponent is left-associative', bin('^', a, bin('^', b, c)), 'a ^ (b ^ c)'],
      ['exponent chain', bin('^', bin('^', a, b), c), 'a ^ b ^ c'],
      ['NOT over AND', not(bin('AND', a, b)), 'NOT (a AND b)'],
      ['NOT over a comparison', not(bin('=', a, b)), 'NOT a = b'],
      ['AND over NOT', bin('AND', not(a), b), 'NOT a AND b'],
      ['OR inside AND', bin('AND', bin('OR', a, b), c), '(a OR b) AND c'],
      ['AND inside OR', bin('OR', bin('AND', a, b), c), 'a AND b OR c'],
      ['OR on the right of OR', bin('OR', a, bin('OR', b, c)), 'a OR (b OR c)'],
      ['double negation', neg(neg(x)), '-(-x)'],
      ['negative literal', neg(num('5')), '-5'],
      ['minus a negative literal', bin('-', a, neg(num('1'))), 'a - -1'],
      ['negated sum', neg(bin('+', a, b)), '-(a + b)'],
      ['negation binds tighter than ^', bin('^', neg(a), num('2')), '-a ^ 2'],
      ['negated power', neg(bin('^', a, num('2'))), '-(a ^ 2)'],
      ['concatenation below arithmetic', bin('||', bin('+', a, b), c), 'a + b || c'],
      ['arithmetic inside concatenation on the right', bin('||', a, bin('+', b, c)), 'a || b + c'],
      ['concatenation inside arithmetic', bin('+', bin('||', a, b), c), '(a || b) + c'],
      ['comparison of sums', bin('<=', bin('+', a, b), c), 'a + b <= c'],
      ['comparisons do not associate', bin('=', bin('=', a, b), c), '(a = b) = c'],
      ['comparison on the right of a comparison', bin('=', a, bin('<', b, c)), 'a = (b < c)'],
      ['AND of comparisons', bin('AND', bin('=', a, num('1')), bin('<>', b, str('x'))), "a = 1 AND b <> 'x'"],
      ['IS NULL of a comparison', { kind: 'IsNull', operand: bin('=', a, b), negated: false }, 'a = b IS NULL'],
      ['IS NULL of AND', { kind: 'IsNull', operand: bin('AND', a, b), negated: true }, '(a AND b) IS NOT NULL'],
      ['comparison of IS NULL', bin('=', { kind: 'IsNull', operand: a, negated: false }, b), '(a IS NULL) = b'],
      ['IS TRUE', { kind: 'IsTruth', operand: a, value: true, negated: false }, 'a IS TRUE'],
      ['IS NOT UNKNOWN', { kind: 'IsTruth', operand: a, value: null, negated: true }, 'a IS NOT UNKNOWN'],
      ['IS DISTINCT FROM', { kind: 'IsDistinctFrom', left: a, right: bin('+', b, c), negated: true },
        'a IS NOT DISTINCT FROM b + c'],
      ['BETWEEN with arithmetic bounds',
        { kind: 'Between', operand: a, low: bin('-', b, num('1')), high: bin('+', c, num('1')), negated: false, symmetric: false },
        'a BETWEEN b - 1 AND c + 1'],
      ['BETWEEN with a boolean bound',
        { kind: 'Between', operand: a, low: b, high: bin('AND', c, x), negated: true, symmetric: true },
        'a NOT BETWEEN SYMMETRIC b AND (c AND x)'],
      ['BETWEEN inside AND',
        bin('AND', { kind: 'Between', operand: a, low: b, high: c, negated: false, symmetric: false }, x),
        'a BETWEEN b AND c AND x'],
      ['comparison of a BETWEEN',
        bin('=', { kind: 'Between', operand: a, low: b, high: c, negated: false, symmetric: false }, bool(true)),
        'a BETWEEN b AND c = TRUE'],
      ['BETWEEN of a comparison',
        { kind: 'Between', operand: bin('=', a, b), low: b, high: c, negated: false, symmetric: false },
        '(a = b) BETWEEN b AND c'],
      ['IN list', { kind: 'InList', operand: bin('+', a, num('1')), list: [num('1'), bin('OR', b, c)], negated: true },
        'a + 1 NOT IN (1, b OR c)'],
      ['LIKE with ESCAPE', { kind: 'Like', op: 'ILIKE', operand: bin('||', a, b), pattern: str('x%'), escape: str('!'), negated: false },
        "a || b ILIKE 'x%' ESCAPE '!'"],
      ['SIMILAR TO', { kind: 'Like', op: 'SIMILAR TO', operand: a, pattern: str('(a|b)%'), negated: true },
        "a NOT SIMILAR TO '(a|b)%'"],
      ['subscript of a column', { kind: 'Subscript', operand: a, index: num('1') }, 'a[1]'],
      ['subscript of a negation', { kind: 'Subscript', operand: neg(a), index: bin('+', b, num('1')) }, '(-a)[b + 1]'],
      ['subscript of a subscript', { kind: 'Subscript', operand: { kind: 'Subscript', operand: a, index: num('1') }, index: num('2') },
        'a[1][2]'],
      ['field of a column', { kind: 'FieldAccess', operand: a, field: id('f') }, '(a).f'],
      ['field of a field', { kind: 'FieldAccess', operand: { kind: 'FieldAccess', operand: col('t', 'a'), field: id('f') }, field: id('g') },
        '((t.a).f).g'],
      ['negated field', neg({ kind: 'FieldAccess', operand: a, field: id('F', true) }), '-(a)."F"'],
      ['cast of a sum', { kind: 'Cast', operand: bin('+', a, b), type: type('BIGINT'), try: false }, 'CAST(a + b AS BIGINT)'],
      ['cast in arithmetic', bin('*', { kind: 'Cast', operand: a, type: type('DECIMAL', 10, 2), try: true }, num('2')),
        'TRY_CAST(a AS DECIMAL(10, 2)) * 2'],
      ['NOT NOT', not(not(a)), 'NOT NOT a'],
      ['negated NOT', neg(not(a)), '-(NOT a)'],
    ];
    for (const [name, expr, text] of cases) {
      it(name, () => expect(printExpr(expr)).to.equal(text));
    }
  });

  describe('literals and names', () => {
    const cases: [string, Expr, string][] = [
      ['quote doubling', str("it's"), "'it''s'"],
      ['control characters as an escape string', str('a\nb\t\'c\\'), "E'a\\nb\\t\\'c\\\\'"],
      ['other control characters in hex', str('\u0001'), "E'\\x01'"],
      ['non-ASCII stays as is', str('naïve €'), "'naïve €'"],
      ['null', { kind: 'Literal', value: { type: 'null' } }, 'NULL'],
      ['booleans', bin('OR', bool(true), bool(false)), 'TRUE OR FALSE'],
      ['number as written', num('1e-3'), '1e-3'],
      ['bytes', { kind: 'Literal', value: { type: 'bytes', hex: '0AFF' } }, "X'0AFF'"],
      ['interval', { kind: 'IntervalLiteral', value: '10', negative: false, qualifier: { from: 'MINUTE' } }, "INTERVAL '10' MINUTE"],
      ['interval range', { kind: 'IntervalLiteral', value: '2-3', negative: true, qualifier: { from: 'YEAR', to: 'MONTH' } },
        "INTERVAL -'2-3' YEAR TO MONTH"],
      ['interval with precision', { kind: 'IntervalLiteral', value: '1.5', negative: false, qualifier: { from: 'SECOND', fromPrecision: 3 } },
        "INTERVAL '1.5' SECOND(3)"],
      ['free-form interval', { kind: 'IntervalLiteral', value: '1 hour', negative: false }, "INTERVAL '1 hour'"],
      ['typed literal', { kind: 'TypedLiteral', type: 'TIMESTAMP', value: '2026-01-01 10:00:00' }, "TIMESTAMP '2026-01-01 10:00:00'"],
      ['quoted identifiers', { kind: 'ColumnRef', parts: [id('T'), id('we"ird', true)] }, 'T."we""ird"'],
      ['quoted lower-case identifier keeps its quotes', { kind: 'ColumnRef', parts: [id('a', true)] }, '"a"'],
      ['parameter', bin('=', a, { kind: 'Parameter', index: 2 }), 'a = $2'],
      ['row and array', bin('=', { kind: 'RowConstructor', items: [a, b], explicit: false },
        { kind: 'RowConstructor', items: [num('1'), num('2')], explicit: true }), '(a, b) = ROW(1, 2)'],
      ['one-item row', { kind: 'RowConstructor', items: [a], explicit: false }, 'ROW(a)'],
      ['array', { kind: 'ArrayConstructor', items: [num('1'), neg(num('2'))] }, 'ARRAY[1, -2]'],
    ];
    for (const [name, expr, text] of cases) {
      it(name, () => expect(printExpr(expr)).to.equal(text));
    }
  });

  describe('special forms and calls', () => {
    const cases: [string, Expr, string][] = [
      ['searched CASE', { kind: 'Case', whens: [{ when: bin('>', a, num('0')), then: str('pos') }], else: str('neg') },
        "CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END"],
      ['simple CASE', { kind: 'Case', operand: a, whens: [{ when: num('1'), then: b }, { when: num('2'), then: c }] },
        'CASE a WHEN 1 THEN b WHEN 2 THEN c END'],
      ['EXTRACT', { kind: 'Extract', field: 'HOUR', source: col('ts') }, 'EXTRACT(HOUR FROM ts)'],
      ['TRIM short', { kind: 'Trim', where: 'BOTH', source: a }, 'TRIM(a)'],
      ['TRIM LEADING', { kind: 'Trim', where: 'LEADING', chars: str('x'), source: a }, "TRIM(LEADING 'x' FROM a)"],
      ['SUBSTRING', { kind: 'Substring', source: a, from: num('2'), for: num('3') }, 'SUBSTRING(a FROM 2 FOR 3)'],
      ['POSITION', { kind: 'Position', needle: str('x'), haystack: a }, "POSITION('x' IN a)"],
      ['POSITION of an IN', { kind: 'Position', needle: { kind: 'InList', operand: a, list: [b], negated: false }, haystack: c },
        'POSITION((a IN (b)) IN c)'],
      ['OVERLAY', { kind: 'Overlay', source: a, placing: str('xx'), from: num('2'), for: num('1') },
        "OVERLAY(a PLACING 'xx' FROM 2 FOR 1)"],
      ['COUNT(*)', call('count', [], { star: true }), 'COUNT(*)'],
      ['COUNT(DISTINCT)', call('count', [a], { distinct: true }), 'COUNT(DISTINCT a)'],
      ['bare niladic', call('current_timestamp', [], { bare: true }), 'CURRENT_TIMESTAMP'],
      ['quoted function name', { ...call('f', [a]), name: [id('MyF', true)] }, '"MyF"(a)'],
      ['qualified function name', { ...call('f', [a]), name: [id('s'), id('f')] }, 's.f(a)'],
      ['aggregate ORDER BY and FILTER',
        call('string_agg', [a, str(',')], { orderBy: [{ expr: b, direction: 'DESC' }], filter: bin('>', c, num('0')) }),
        "STRING_AGG(a, ',' ORDER BY b DESC) FILTER (WHERE c > 0)"],
      ['WITHIN GROUP', call('listagg', [a], { orderBy: [{ expr: b, nulls: 'FIRST' }], withinGroup: true }),
        'LISTAGG(a) WITHIN GROUP (ORDER BY b NULLS FIRST)'],
      ['window call', call('row_number', [], {
        over: { kind: 'WindowSpec', partitionBy: [a], orderBy: [{ expr: col('ts') }] },
      }), 'ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts)'],
      ['window frame', call('sum', [x], {
        over: {
          kind: 'WindowSpec', partitionBy: [], orderBy: [{ expr: col('ts') }],
          frame: {
            units: 'RANGE',
            start: { kind: 'Preceding', offset: { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } } },
            end: { kind: 'CurrentRow' },
          },
        },
      }), "SUM(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)"],
      ['short frame and exclusion', call('sum', [x], {
        over: {
          kind: 'WindowSpec', base: id('w'), partitionBy: [], orderBy: [],
          frame: { units: 'ROWS', start: { kind: 'UnboundedPreceding' }, exclude: 'CURRENT ROW' },
        },
      }), 'SUM(x) OVER (w ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW)'],
      ['named window and IGNORE NULLS', call('last_value', [x], { nulls: 'IGNORE', over: id('w') }),
        'LAST_VALUE(x) IGNORE NULLS OVER w'],
      ['navigation semantics', { kind: 'NavigationSemantics', semantics: 'FINAL', expr: call('last', [col('b', 'price')]) },
        'FINAL LAST(b.price)'],
    ];
    for (const [name, expr, text] of cases) {
      it(name, () => expect(printExpr(expr)).to.equal(text));
    }
  });

  describe('type names', () => {
    it('plain, parameterized, nested and interval types', () => {
      expect(printTypeName(type('VARCHAR', 10))).to.equal('VARCHAR(10)');
      expect(printTypeName({ ...type('TIMESTAMP_LTZ', 3), notNull: true })).to.equal('TIMESTAMP_LTZ(3) NOT NULL');
      expect(printTypeName({ ...type('ARRAY'), element: { ...type('INT'), notNull: true } })).to.equal('ARRAY<INT NOT NULL>');
      expect(printTypeName({ ...type('MAP'), element: type('STRING'), mapValue: type('BIGINT') })).to.equal('MAP<STRING, BIGINT>');
      expect(printTypeName({ ...type('ROW'), fields: [{ name: 'a', type: type('INT') }, { name: 'B c', type: type('DOUBLE') }] }))
        .to.equal('ROW<a INT, "B c" DOUBLE>');
      expect(printTypeName({ ...type('INTERVAL'), interval: { from: 'DAY', to: 'SECOND', toPrecision: 3 } }))
        .to.equal('INTERVAL DAY TO SECOND(3)');
    });
  });

  describe('queries', () => {
    it('one clause a line', () => {
      const q = query(select({
        distinct: true,
        items: [item(a), item(call('count', [], { star: true }), 'n')],
        from: [table('t')],
        where: bin('>', b, num('1')),
        groupBy: { items: [{ kind: 'GroupExpr', expr: a }] },
        having: bin('>', call('count', [], { star: true }), num('2')),
      }), { orderBy: [{ expr: a, direction: 'DESC' }], limit: num('10'), offset: num('5') });
      expect(printQuery(q)).to.equal([
        'SELECT DISTINCT a, COUNT(*) AS n',
        'FROM t',
        'WHERE b > 1',
        'GROUP BY a',
        'HAVING COUNT(*) > 2',
        'ORDER BY a DESC',
        'LIMIT 10',
        'OFFSET 5',
      ].join('\n'));
    });

    it('SELECT without FROM', () => {
      expect(printQuery(query(select({ items: [item(num('1'))] })))).to.equal('SELECT 1');
    });

    it('nested queries are indented', () => {
      const inner = query(select({ items: [item(b)], from: [table('u')], where: bin('=', col('u', 'k'), col('t', 'k')) }));
      const q = query(select({
        items: [star],
        from: [{ kind: 'DerivedTable', query: query(select({ items: [item(a)], from: [table('t')] })), lateral: false,
          alias: { name: id('d'), columns: [id('x')] } }],
        where: bin('AND', { kind: 'InSubquery', operand: x, query: inner, negated: false },
          { kind: 'Exists', query: query(select({ items: [item(num('1'))] })) }),
      }));
      expect(printQuery(q)).to.equal([
        'SELECT *',
        'FROM (',
        '  SELECT a',
        '  FROM t',
        ') AS d (x)',
        'WHERE x IN (',
        '  SELECT b',
        '  FROM u',
        '  WHERE u.k = t.k',
        ') AND EXISTS (',
        '  SELECT 1',
        ')',
      ].join('\n'));
    });

    it('doubly nested queries indent twice', () => {
      const innermost = query(select({ items: [item(a)], from: [table('t')] }));
      const middle = query(select({ items: [item({ kind: 'ScalarSubquery', query: innermost }, 'v')] }));
      const q = query(select({ items: [star], from: [{ kind: 'DerivedTable', query: middle, lateral: true }] }));
      expect(printQuery(q)).to.equal([
        'SELECT *',
        'FROM LATERAL (',
        '  SELECT (',
        '    SELECT a',
        '    FROM t',
        '  ) AS v',
        ')',
      ].join('\n'));
    });

    it('WITH, WINDOW and QUALIFY', () => {
      const q = query(select({
        items: [item(call('rank', [], { over: id('w') }), 'r')],
        from: [table('c')],
        windows: [{ name: id('w'), spec: { kind: 'WindowSpec', partitionBy: [a], orderBy: [{ expr: b }] } }],
        qualify: bin('<=', col('r'), num('3')),
      }), {
        with: { recursive: false, ctes: [{ name: id('c'), columns: [id('a'), id('b')], query: query(select({ items: [item(num('1')), item(num('2'))] })) }] },
      });
      expect(printQuery(q)).to.equal([
        'WITH c (a, b) AS (',
        '  SELECT 1, 2',
        ')',
        'SELECT RANK() OVER w AS r',
        'FROM c',
        'WINDOW w AS (PARTITION BY a ORDER BY b)',
        'QUALIFY r <= 3',
      ].join('\n'));
    });

    it('grouping sets, rollup and cube', () => {
      const q = query(select({
        items: [star],
        from: [table('t')],
        groupBy: {
          items: [
            { kind: 'Rollup', items: [[a], [b, c]] },
            { kind: 'Cube', items: [[a], [b]] },
            { kind: 'GroupingSets', sets: [{ kind: 'GroupExpr', expr: { kind: 'RowConstructor', items: [a, b], explicit: false } }, { kind: 'EmptyGroup' }] },
          ],
        },
      }));
      expect(printQuery(q)).to.equal('SELECT *\nFROM t\nGROUP BY ROLLUP(a, (b, c)), CUBE(a, b), GROUPING SETS ((a, b), ())');
    });

    it('VALUES with one and with several rows', () => {
      expect(printQuery(query({ kind: 'Values', rows: [[num('1'), str('a')]] }))).to.equal("VALUES (1, 'a')");
      expect(printQuery(query({ kind: 'Values', rows: [[num('1')], [num('2')]] }))).to.equal('VALUES\n  (1),\n  (2)');
    });

    const s1 = select({ items: [item(num('1'))] });
    const s2 = select({ items: [item(num('2'))] });
    const s3 = select({ items: [item(num('3'))] });
    const setop = (op: 'UNION' | 'INTERSECT' | 'EXCEPT', left: QueryBody, right: QueryBody, all = false): QueryBody =>
      ({ kind: 'SetOperation', op, all, left, right });

    it('set operations associate to the left', () => {
      expect(printQuery(query(setop('EXCEPT', setop('UNION', s1, s2, true), s3))))
        .to.equal('SELECT 1\nUNION ALL\nSELECT 2\nEXCEPT\nSELECT 3');
    });

    it('nested set operations keep their parentheses', () => {
      expect(printQuery(query(setop('UNION', s1, setop('UNION', s2, s3)))))
        .to.equal('SELECT 1\nUNION\n(\n  SELECT 2\n  UNION\n  SELECT 3\n)');
      expect(printQuery(query(setop('INTERSECT', setop('UNION', s1, s2), s3))))
        .to.equal('(\n  SELECT 1\n  UNION\n  SELECT 2\n)\nINTERSECT\nSELECT 3');
      expect(printQuery(query(setop('UNION', s1, setop('INTERSECT', s2, s3)))))
        .to.equal('SELECT 1\nUNION\nSELECT 2\nINTERSECT\nSELECT 3');
    });

    it('a nested query operand with its own ORDER BY and LIMIT', () => {
      const nested: QueryBody = { kind: 'NestedQuery', query: query(s1, { orderBy: [{ expr: a }], limit: num('3') }) };
      expect(printQuery(query(setop('UNION', nested, s2), { limit: num('1') })))
        .to.equal('(\n  SELECT 1\n  ORDER BY a\n  LIMIT 3\n)\nUNION\nSELECT 2\nLIMIT 1');
    });
  });

  describe('joins', () => {
    it('a left-deep chain prints one join a line', () => {
      const from = join('LEFT', join('INNER', table('a'), table('b', 'y'), bin('=', col('a', 'k'), col('y', 'k'))), table('c'),
        bin('=', col('a', 'k'), col('c', 'k')));
      expect(printQuery(query(select({ items: [star], from: [from] })))).to.equal([
        'SELECT *',
        'FROM a',
        'JOIN b AS y ON a.k = y.k',
        'LEFT JOIN c ON a.k = c.k',
      ].join('\n'));
    });

    it('a join on the right is parenthesized', () => {
      const right = join('FULL', table('b'), table('c'), bin('=', col('b', 'k'), col('c', 'k')));
      const from: Join = { ...join('INNER', table('a'), right), using: [id('k')] };
      expect(printQuery(query(select({ items: [star], from: [from] })))).to.equal([
        'SELECT *',
        'FROM a',
        'JOIN (b FULL JOIN c ON b.k = c.k) USING (k)',
      ].join('\n'));
    });

    it('comma-separated FROM items and natural and cross joins', () => {
      const from: TableRef[] = [table('a'), { ...join('CROSS', table('b'), table('c')) }, { ...join('LEFT', table('d'), table('e')), natural: true }];
      expect(printQuery(query(select({ items: [star], from })))).to.equal('SELECT *\nFROM a, b CROSS JOIN c, d NATURAL LEFT JOIN e');
    });

    it('temporal join and window table function', () => {
      const rates: NamedTable = { ...table('rates', 'r'), asOf: col('o', 'order_time') };
      const tvf: TableRef = {
        kind: 'TableFunction', name: [id('tumble')], wrapped: true, lateral: false,
        args: [
          { value: { kind: 'TableArg', table: [id('orders')], partitionBy: [], orderBy: [] } },
          { value: { kind: 'DescriptorArg', columns: [id('ts')] } },
          { name: id('size'), value: { kind: 'ScalarArg', expr: { kind: 'IntervalLiteral', value: '10', negative: false, qualifier: { from: 'MINUTE' } } } },
        ],
        alias: { name: id('o') },
      };
      const from = join('LEFT', tvf, rates, bin('=', col('o', 'currency'), col('r', 'currency')));
      expect(printQuery(query(select({ items: [star], from: [from] })))).to.equal([
        'SELECT *',
        "FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), size => INTERVAL '10' MINUTE)) AS o",
        'LEFT JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency',
      ].join('\n'));
    });
  });

  describe('MATCH_RECOGNIZE', () => {
    const v = (name: string): PatternTerm => ({ kind: 'PatternVariable', name: id(name) });
    const q = (term: PatternTerm, form: '*' | '+' | '?' | 'braces', min: number, max?: number, reluctant = false): PatternTerm => ({
      kind: 'PatternQuantified', term, form, min, reluctant, ...(max === undefined ? {} : { max }),
    });

    it('patterns with every quantifier form', () => {
      const p: PatternTerm = {
        kind: 'PatternConcat',
        items: [
          { kind: 'PatternAnchor', anchor: '^' },
          v('a'),
          q(v('b'), '+', 1, undefined, true),
          q({ kind: 'PatternAlternation', alternatives: [v('c'), v('d')] }, 'braces', 2, 3),
          q(v('e'), '*', 0),
          q(v('f'), '?', 0, 1),
          q(v('g'), 'braces', 2, 2),
          q(v('h'), 'braces', 1),
          { kind: 'PatternPermute', items: [v('x'), v('y')] },
          { kind: 'PatternExclusion', term: v('z') },
          q(q(v('a'), '*', 0), '?', 0, 1),
          q({ kind: 'PatternEmpty' }, '*', 0),
          { kind: 'PatternAnchor', anchor: '$' },
        ],
      };
      expect(printPattern(p)).to.equal('^ a b+? (c | d){2,3} e* f? g{2} h{1,} PERMUTE(x, y) {- z -} (a*)? ()* $');
    });

    it('nested concatenation and alternation keep their parentheses', () => {
      const p: PatternTerm = {
        kind: 'PatternAlternation',
        alternatives: [
          { kind: 'PatternConcat', items: [v('a'), { kind: 'PatternConcat', items: [v('b'), v('c')] }] },
          { kind: 'PatternAlternation', alternatives: [v('d'), v('e')] },
        ],
      };
      expect(printPattern(p)).to.equal('a (b c) | (d | e)');
    });

    it('every clause', () => {
      const mr: MatchRecognize = {
        kind: 'MatchRecognize',
        input: table('ticker'),
        partitionBy: [col('symbol')],
        orderBy: [{ expr: col('ts') }],
        measures: [
          { expr: col('a', 'price'), alias: id('start_price') },
          { expr: { kind: 'NavigationSemantics', semantics: 'FINAL', expr: call('last', [col('b', 'price')]) }, alias: id('bottom') },
        ],
        rowsPerMatch: { kind: 'AllRows', emptyMatches: 'OMIT' },
        afterMatch: { kind: 'ToLast', variable: id('b') },
        pattern: { kind: 'PatternConcat', items: [v('a'), q(v('b'), '+', 1)] },
        subsets: [{ name: id('u'), variables: [id('a'), id('b')] }],
        within: { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } },
        define: [{ variable: id('b'), condition: bin('<', col('b', 'price'), call('prev', [col('b', 'price')])) }],
        alias: { name: id('mr') },
      };
      expect(printQuery(query(select({ items: [star], from: [mr] })))).to.equal([
        'SELECT *',
        'FROM ticker MATCH_RECOGNIZE (',
        '  PARTITION BY symbol',
        '  ORDER BY ts',
        '  MEASURES',
        '    a.price AS start_price,',
        '    FINAL LAST(b.price) AS bottom',
        '  ALL ROWS PER MATCH OMIT EMPTY MATCHES',
        '  AFTER MATCH SKIP TO LAST b',
        '  PATTERN (a b+)',
        "  WITHIN INTERVAL '1' HOUR",
        '  SUBSET u = (a, b)',
        '  DEFINE',
        '    b AS b.price < PREV(b.price)',
        ') AS mr',
      ].join('\n'));
    });
  });

  describe('statements', () => {
    const cases: [string, Statement, string][] = [
      ['CREATE TABLE', {
        kind: 'CreateTable', temporary: false, ifNotExists: true, name: [id('bids')],
        columns: [
          { kind: 'PhysicalColumn', name: id('id'), type: type('BIGINT'), notNull: true },
          { kind: 'PhysicalColumn', name: id('price'), type: type('DECIMAL', 10, 2), notNull: false, comment: 'in cents' },
          { kind: 'PhysicalColumn', name: id('ts'), type: type('TIMESTAMP', 3), notNull: false },
          { kind: 'ComputedColumn', name: id('pt'), expr: call('proctime', []) },
          { kind: 'MetadataColumn', name: id('off'), type: type('BIGINT'), from: 'offset', virtual: true },
        ],
        watermark: { column: id('ts'), expr: bin('-', col('ts'), { kind: 'IntervalLiteral', value: '5', negative: false, qualifier: { from: 'SECOND' } }) },
        primaryKey: { columns: [id('id')], enforced: false },
        options: [{ key: 'connector', value: 'kafka' }, { key: 'topic', value: "it's" }],
      }, [
        'CREATE TABLE IF NOT EXISTS bids (',
        '  id BIGINT NOT NULL,',
        "  price DECIMAL(10, 2) COMMENT 'in cents',",
        '  ts TIMESTAMP(3),',
        '  pt AS PROCTIME(),',
        "  off BIGINT METADATA FROM 'offset' VIRTUAL,",
        "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,",
        '  PRIMARY KEY (id) NOT ENFORCED',
        ')',
        'WITH (',
        "  'connector' = 'kafka',",
        "  'topic' = 'it''s'",
        ')',
      ].join('\n')],
      ['CREATE MATERIALIZED VIEW', {
        kind: 'CreateView', materialized: true, orReplace: true, temporary: false, ifNotExists: false, name: [id('s'), id('mv')],
        columns: [id('n')], options: [], query: query(select({ items: [item(call('count', [], { star: true }))], from: [table('t')] })),
      }, 'CREATE OR REPLACE MATERIALIZED VIEW s.mv (n) AS\nSELECT COUNT(*)\nFROM t'],
      ['INSERT VALUES', {
        kind: 'Insert', overwrite: false, table: [id('t')], columns: [id('a'), id('b')],
        source: query({ kind: 'Values', rows: [[num('1'), str('x')]] }),
      }, "INSERT INTO t (a, b)\nVALUES (1, 'x')"],
      ['UPDATE', {
        kind: 'Update', table: [id('t')], alias: id('u'),
        assignments: [{ column: id('a'), value: bin('+', a, num('1')) }], where: bin('=', b, num('2')),
      }, 'UPDATE t AS u\nSET a = a + 1\nWHERE b = 2'],
      ['DELETE', { kind: 'Delete', table: [id('t')], where: bin('=', b, num('2')) }, 'DELETE FROM t\nWHERE b = 2'],
      ['DROP', { kind: 'Drop', objectType: 'MATERIALIZED VIEW', ifExists: true, names: [[id('a')], [id('b')]], cascade: true },
        'DROP MATERIALIZED VIEW IF EXISTS a, b CASCADE'],
      ['DROP JOB', { kind: 'DropJob', ifExists: false, job: 'j1' }, "DROP JOB 'j1'"],
      ['EXPLAIN', { kind: 'Explain', mode: 'CHANGELOG_MODE', statement: query(select({ items: [star], from: [table('t')] })) },
        'EXPLAIN CHANGELOG_MODE SELECT *\nFROM t'],
      ['SHOW', { kind: 'ShowObjects', objectType: 'MATERIALIZED VIEWS' }, 'SHOW MATERIALIZED VIEWS'],
      ['SHOW CREATE', { kind: 'ShowCreate', objectType: 'TABLE', name: [id('t')] }, 'SHOW CREATE TABLE t'],
      ['DESCRIBE', { kind: 'Describe', name: [id('t')] }, 'DESCRIBE t'],
      ['SUBSCRIBE', { kind: 'Subscribe', target: { kind: 'SubscribeName', name: [id('mv')] }, options: [{ key: 'snapshot', value: 'false' }] },
        'SUBSCRIBE mv WITH (snapshot = false)'],
      ['CHECKPOINT', { kind: 'Checkpoint' }, 'CHECKPOINT'],
      ['ROLLBACK', { kind: 'Transaction', action: 'ROLLBACK' }, 'ROLLBACK'],
      ['CLOSE ALL', { kind: 'CloseCursor' }, 'CLOSE ALL'],
    ];
    for (const [name, stmt, text] of cases) {
      it(name, () => expect(printStatement(stmt)).to.equal(text));
    }
  });

  describe('parsed SQL', () => {
    // Each input is parsed and printed; the expected text must also print as itself.
    const expressions: [string, string][] = [
      ['(a+b)*c', '(a + b) * c'],
      ['a-(b-c)', 'a - (b - c)'],
      ['a - b - c', 'a - b - c'],
      ['not (a and b)', 'NOT (a AND b)'],
      ['(a or b) and c', '(a OR b) AND c'],
      ['a or b and c', 'a OR b AND c'],
      ['-(-x)', '-(-x)'],
      ['- -x', '-(-x)'],
      ['-2 ^ 2', '-2 ^ 2'],
      ['-(2 ^ 2)', '-(2 ^ 2)'],
      ['x::int + 1', 'CAST(x AS INT) + 1'],
      ['(a + b)::bigint', 'CAST(a + b AS BIGINT)'],
      ['-x::int', '-CAST(x AS INT)'],
      ['a = b = c', '(a = b) = c'],
      ['a < b is null', 'a < b IS NULL'],
      ['not a = b', 'NOT a = b'],
      ['a between 1 and 2 and c', 'a BETWEEN 1 AND 2 AND c'],
      ['x not between symmetric a+1 and b || c', 'x NOT BETWEEN SYMMETRIC a + 1 AND b || c'],
      ['a != b', 'a <> b'],
      ['x isnull or y notnull', 'x IS NULL OR y IS NOT NULL'],
      ["x not like 'a%' escape '!'", "x NOT LIKE 'a%' ESCAPE '!'"],
      ['(a).b', '(a).b'],
      ['a.b', 'a.b'],
      ['arr[i + 1][2]', 'arr[i + 1][2]'],
      ["e'tab\\there' || $$it's$$", "E'tab\\there' || 'it''s'"],
      ['interval 10 minutes', "INTERVAL '10' MINUTE"],
      ["INTERVAL '2-3' YEARS TO MONTHS", "INTERVAL '2-3' YEAR TO MONTH"],
      ['cast(ts as timestamp(3) with local time zone)', 'CAST(ts AS TIMESTAMP_LTZ(3))'],
      ['cast(x as double precision)', 'CAST(x AS DOUBLE)'],
      ['count(*) filter (where x > 0)', 'COUNT(*) FILTER (WHERE x > 0)'],
      ['"My Col" + "select"', '"My Col" + "select"'],
      ['case when a then 1 else 2 end * 3', 'CASE WHEN a THEN 1 ELSE 2 END * 3'],
    ];
    for (const [input, text] of expressions) {
      it(`expression ${input}`, () => {
        expect(printExpr(parseExpression(input))).to.equal(text);
        expect(printExpr(parseExpression(text))).to.equal(text);
      });
    }

    const statements: [string, string][] = [
      ['select a, b from t where x = 1 order by a limit 3',
        'SELECT a, b\nFROM t\nWHERE x = 1\nORDER BY a\nLIMIT 3'],
      ['select * from a join (b join c on b.k = c.k) on a.k = b.k',
        'SELECT *\nFROM a\nJOIN (b JOIN c ON b.k = c.k) ON a.k = b.k'],
      ['select * from (a join b on a.k = b.k) left join c using (k)',
        'SELECT *\nFROM a\nJOIN b ON a.k = b.k\nLEFT JOIN c USING (k)'],
      ['select 1 union (select 2 union all select 3) intersect select 4',
        'SELECT 1\nUNION\n(\n  SELECT 2\n  UNION ALL\n  SELECT 3\n)\nINTERSECT\nSELECT 4'],
      ['select * from (select a from (select a from t) x) y where a in (select b from u)', [
        'SELECT *',
        'FROM (',
        '  SELECT a',
        '  FROM (',
        '    SELECT a',
        '    FROM t',
        '  ) AS x',
        ') AS y',
        'WHERE a IN (',
        '  SELECT b',
        '  FROM u',
        ')',
      ].join('\n')],
      ["select * from ticker match_recognize (partition by s order by ts measures a.p as ap, final last(b.p) as lp "
        + "one row per match after match skip to next row pattern (a b+? (c | d){2,} e{,3}) within interval '1' hour "
        + 'define b as b.p < prev(b.p)) as m', [
        'SELECT *',
        'FROM ticker MATCH_RECOGNIZE (',
        '  PARTITION BY s',
        '  ORDER BY ts',
        '  MEASURES',
        '    a.p AS ap,',
        '    FINAL LAST(b.p) AS lp',
        '  ONE ROW PER MATCH',
        '  AFTER MATCH SKIP TO NEXT ROW',
        '  PATTERN (a b+? (c | d){2,} e{0,3})',
        "  WITHIN INTERVAL '1' HOUR",
        '  DEFINE',
        '    b AS b.p < PREV(b.p)',
        ') AS m',
      ].join('\n')],
      ["create table t (id int not null, ts timestamp(3), watermark for ts as ts - interval '5' second) with ('connector' = 'x')",
        "CREATE TABLE t (\n  id INT NOT NULL,\n  ts TIMESTAMP(3),\n  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n)\nWITH (\n  'connector' = 'x'\n)"],
      ['insert into t values (1), (2)', 'INSERT INTO t\nVALUES\n  (1),\n  (2)'],
      ['copy t from stdin with csv header', 'COPY t FROM STDIN WITH (csv, header)'],
      ["set search_path to a, b", "SET search_path = 'a, b'"],
      ["set 'table.exec.mini-batch.enabled' = 'true'", "SET 'table.exec.mini-batch.enabled' = 'true'"],
      ['fetch all in c with (timeout = 1)', 'FETCH ALL FROM c WITH (timeout = 1)'],
      ['explain changelog_mode select 1', 'EXPLAIN CHANGELOG_MODE SELECT 1'],
    ];
    for (const [input, text] of statements) {
      it(`statement ${input.split('\n')[0]}`, () => {
        expect(printStatement(parseStatement(input))).to.equal(text);
        expect(printStatement(parseStatement(text))).to.equal(text);
      });
    }
  });
});
