// Parser tests: source spans of nodes and the text and span of each statement of a script.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Span } from '../../parser/ast/index.js';
import { parseExpression, parseStatement, parseStatements } from '../../parser/index.js';
import { warmUpParser } from './ast-builders.js';

/** The text a span covers. */
function text(sql: string, span: Span | undefined): string {
  if (span === undefined) throw new Error('no span');
  return sql.slice(span.start, span.end);
}

describe('parser: spans', () => {
  before(warmUpParser);

  it('statements of a script: text without the semicolon, offsets into the script', () => {
    const sql = '  SELECT 1;;\n-- a comment\nCREATE VIEW v AS SELECT 2 ;\nSHOW TABLES';
    const parsed = parseStatements(sql);
    expect(parsed.map((p) => p.text)).to.deep.equal(['SELECT 1', 'CREATE VIEW v AS SELECT 2', 'SHOW TABLES']);
    expect(parsed.map((p) => p.span)).to.deep.equal([
      { start: 2, end: 10, line: 1, column: 3 },
      { start: 26, end: 51, line: 3, column: 1 },
      { start: 54, end: 65, line: 4, column: 1 },
    ]);
    expect(parsed[1]?.statement.span).to.deep.equal(parsed[1]?.span);
  });

  it('an empty script has no statements', () => {
    expect(parseStatements('')).to.deep.equal([]);
    expect(parseStatements(' ; ; -- nothing\n')).to.deep.equal([]);
  });

  it('identifiers, column references, literals and function calls', () => {
    const sql = 'SELECT t.col, 42, f(x, \'s\') AS y FROM s.t';
    const q = parseStatement(sql);
    if (q.kind !== 'Query' || q.body.kind !== 'Select') throw new Error('not a select');
    const [first, second, third] = q.body.items;
    if (first?.kind !== 'SelectExpr' || second?.kind !== 'SelectExpr' || third?.kind !== 'SelectExpr') throw new Error('items');
    expect(text(sql, first.expr.span)).to.equal('t.col');
    if (first.expr.kind === 'ColumnRef') {
      expect(text(sql, first.expr.parts[0]?.span)).to.equal('t');
      expect(text(sql, first.expr.parts[1]?.span)).to.equal('col');
    }
    expect(text(sql, second.expr.span)).to.equal('42');
    expect(text(sql, third.expr.span)).to.equal("f(x, 's')");
    expect(text(sql, third.span)).to.equal("f(x, 's') AS y");
    expect(text(sql, third.alias?.span)).to.equal('y');
    if (third.expr.kind === 'FunctionCall') {
      expect(text(sql, third.expr.name[0]?.span)).to.equal('f');
      expect(text(sql, third.expr.args[1]?.span)).to.equal("'s'");
    }
    expect(text(sql, q.body.from[0]?.span)).to.equal('s.t');
    expect(text(sql, q.body.span)).to.equal(sql);
    expect(text(sql, q.span)).to.equal(sql);
  });

  it('binary operators cover both operands, parentheses included', () => {
    const sql = '(a + b) * c - -d';
    const e = parseExpression(sql);
    expect(text(sql, e.span)).to.equal(sql);
    if (e.kind === 'BinaryOp') {
      expect(text(sql, e.left.span)).to.equal('(a + b) * c');
      expect(text(sql, e.right.span)).to.equal('-d');
      if (e.left.kind === 'BinaryOp') expect(text(sql, e.left.left.span)).to.equal('a + b');
    }
  });

  it('predicates, casts and intervals', () => {
    const cases = ['x BETWEEN 1 AND 2', 'x IS NOT NULL', "x LIKE 'a%' ESCAPE '!'", 'x::int', "INTERVAL '1' HOUR", 'x IN (1, 2)', 'CAST(x AS INT)'];
    for (const sql of cases) expect(text(sql, parseExpression(sql).span), sql).to.equal(sql);
  });

  it('lines and columns on later lines', () => {
    const sql = 'SELECT\n  a,\n    b\nFROM t';
    const q = parseStatement(sql);
    if (q.kind !== 'Query' || q.body.kind !== 'Select') throw new Error('not a select');
    const b = q.body.items[1];
    expect(b?.kind === 'SelectExpr' && b.expr.span).to.deep.equal({ start: 16, end: 17, line: 3, column: 5 });
    expect(q.body.from[0]?.span).to.deep.equal({ start: 23, end: 24, line: 4, column: 6 });
  });

  it('table references: aliases, joins, table functions', () => {
    const sql = 'SELECT 1 FROM a AS x JOIN TABLE(f(TABLE b, DESCRIPTOR(ts))) y ON TRUE';
    const q = parseStatement(sql);
    if (q.kind !== 'Query' || q.body.kind !== 'Select') throw new Error('not a select');
    const join = q.body.from[0];
    expect(text(sql, join?.span)).to.equal('a AS x JOIN TABLE(f(TABLE b, DESCRIPTOR(ts))) y ON TRUE');
    if (join?.kind === 'Join') {
      expect(text(sql, join.left.span)).to.equal('a AS x');
      expect(text(sql, join.right.span)).to.equal('TABLE(f(TABLE b, DESCRIPTOR(ts))) y');
    }
  });

  it('DDL pieces', () => {
    const sql = 'CREATE TABLE t (a INT NOT NULL, WATERMARK FOR a AS a - 1, PRIMARY KEY (a) NOT ENFORCED)';
    const s = parseStatement(sql);
    if (s.kind !== 'CreateTable') throw new Error('not a create table');
    expect(text(sql, s.columns[0]?.span)).to.equal('a INT NOT NULL');
    if (s.columns[0]?.kind === 'PhysicalColumn') expect(text(sql, s.columns[0].type.span)).to.equal('INT');
    expect(text(sql, s.watermark?.span)).to.equal('WATERMARK FOR a AS a - 1');
    expect(text(sql, s.primaryKey?.span)).to.equal('PRIMARY KEY (a) NOT ENFORCED');
    expect(text(sql, s.span)).to.equal(sql);
  });
});

/** Node kinds whose AST type has no span. */
const WITHOUT_SPAN: ReadonlySet<string> = new Set([
  'GroupExpr', 'Rollup', 'Cube', 'GroupingSets', 'EmptyGroup',
  'PatternVariable', 'PatternConcat', 'PatternAlternation', 'PatternQuantified', 'PatternPermute',
  'PatternExclusion', 'PatternAnchor', 'PatternEmpty',
  'OneRow', 'AllRows', 'PastLastRow', 'ToNextRow', 'ToFirst', 'ToLast', 'To',
  'UnboundedPreceding', 'Preceding', 'CurrentRow', 'Following', 'UnboundedFollowing',
  'ScalarArg', 'QueryArg', 'CopyTable', 'CopyQuery', 'CopySubscribe', 'SubscribeName', 'SubscribeQuery',
]);

describe('parser: spans everywhere', () => {
  before(warmUpParser);

  it('every node of the corpus that can carry a span has a valid one', () => {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    const corpus = join(dir, 'test', 'parser', 'corpus');
    let checked = 0;
    for (const file of readdirSync(corpus).filter((f) => f.endsWith('.sql'))) {
      const sql = readFileSync(join(corpus, file), 'utf8');
      const lines = sql.split('\n');
      const check = (value: unknown, path: string): void => {
        if (Array.isArray(value)) {
          value.forEach((v, i) => check(v, `${path}[${i}]`));
          return;
        }
        if (value === null || typeof value !== 'object') return;
        const node = value as Record<string, unknown>;
        const kind = node['kind'];
        if (typeof kind === 'string' && !WITHOUT_SPAN.has(kind)) {
          const s = node['span'] as Span | undefined;
          expect(s, `${file}: ${path} (${kind}) has no span`).to.not.equal(undefined);
          if (s !== undefined) {
            expect(s.start <= s.end && s.end <= sql.length, `${file}: ${path} (${kind}) span ${JSON.stringify(s)}`).to.equal(true);
            const before = sql.slice(0, s.start).split('\n');
            expect([s.line, s.column], `${file}: ${path} (${kind})`).to.deep.equal([before.length, (before[before.length - 1] ?? '').length + 1]);
            expect(s.line <= lines.length).to.equal(true);
            checked++;
          }
        }
        for (const [key, v] of Object.entries(node)) if (key !== 'span') check(v, `${path}.${key}`);
      };
      parseStatements(sql).forEach((p, i) => check(p.statement, `statement ${i + 1}`));
    }
    expect(checked).to.be.greaterThan(5000);
  });
});
