// Binder: expressions — operators and functions through the registry, implicit casts, CASE/CAST, literals, parameters, errors.

import { expect } from 'chai';
import { Decimal } from '../../common/decimal.js';
import { typeToSql } from '../../common/data-type.js';
import type { Query } from '../../parser/ast/index.js';
import { bindQuery } from '../../planner/binder/index.js';
import type { BoundExpr } from '../../planner/bound/expr.js';
import { bind, catalog, explain, lines, parse, pos, queryError, types } from './support.js';

/** The expressions of the top Project or Values row. */
function exprs(sql: string): readonly BoundExpr[] {
  const p = bind(sql).plan;
  if (p.kind === 'Project') return p.exprs;
  if (p.kind === 'Values') return p.rows[0] ?? [];
  throw new Error(`no expressions at ${p.kind}`);
}

describe('binder: expressions', () => {
  it('types number literals as PostgreSQL and Flink do', () => {
    expect(types('SELECT 1, 2147483648, -2147483648, 1.50, 1e3, 12345678901234567890')).to.deep.equal(
      ['INT', 'BIGINT', 'INT', 'DECIMAL(3, 2)', 'DOUBLE', 'DECIMAL(20, 0)'],
    );
    const [, , , dec] = exprs('SELECT 1, 2147483648, -2147483648, 1.50');
    expect(dec?.kind === 'Literal' && dec.value instanceof Decimal && dec.value.toString()).to.equal('1.50');
  });

  it('converts typed and interval literals to runtime values', () => {
    const [d, ts, iv, ym] = exprs("SELECT DATE '1970-01-02', TIMESTAMP '1970-01-01 00:00:01.5', INTERVAL '5' MINUTE, INTERVAL '1-2' YEAR TO MONTH");
    expect(d).to.deep.equal({ kind: 'Literal', value: 1, type: { kind: 'DATE' } });
    expect(ts).to.deep.equal({ kind: 'Literal', value: 1_500_000, type: { kind: 'TIMESTAMP', precision: 1 } });
    expect(iv).to.deep.equal({ kind: 'Literal', value: 300_000_000, type: { kind: 'INTERVAL_DAY_TIME' } });
    expect(ym).to.deep.equal({ kind: 'Literal', value: 14, type: { kind: 'INTERVAL_YEAR_MONTH' } });
  });

  it('reports a bad typed literal at its position', () => {
    const sql = "SELECT a FROM t WHERE DATE '2024-13-01' IS NULL";
    queryError(sql, { sqlstate: '22008', message: 'date/time field value out of range: "2024-13-01"', position: pos(sql, 'DATE') });
  });

  it('inserts the implicit casts the registry asks for', () => {
    expect(explain('SELECT a + d, a || c FROM t JOIN u USING (a)')).to.contain('CAST(a#0 AS DOUBLE) + d');
    expect(explain('SELECT a FROM t WHERE a IN (1, 2.5)')).to.contain('Filter(CAST(a AS DECIMAL(11, 1)) IN (CAST(1 AS DECIMAL(11, 1)), CAST(2.5 AS DECIMAL(11, 1))))');
  });

  it('binds BETWEEN, LIKE, IS, IN and NOT forms to registry calls', () => {
    expect(explain("SELECT a NOT BETWEEN 1 AND 5, c NOT LIKE 'a%', c IS NOT NULL, b IS DISTINCT FROM a, a NOT IN (1, 2), (a > 1) IS TRUE FROM t"))
      .to.equal(lines(
        "Project(NOT a BETWEEN 1 AND 5 AS ?column?, NOT c LIKE 'a%' AS ?column?, c IS NOT NULL AS ?column?, "
          + 'b IS DISTINCT FROM a AS ?column?, NOT a IN (1, 2) AS ?column?, (a > 1) IS TRUE AS ?column?)',
        '  Scan(t)',
      ));
  });

  it('binds CASE with unified branch types, a simple CASE as equality tests', () => {
    expect(explain("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS size, CASE b WHEN 1 THEN 1.5 ELSE 2 END FROM t")).to.equal(lines(
      "Project(CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS size, CASE WHEN b = 1 THEN CAST(1.5 AS DECIMAL(11, 1)) ELSE CAST(2 AS DECIMAL(11, 1)) END AS case)",
      '  Scan(t)',
    ));
    const sql = "SELECT CASE WHEN a > 1 THEN 1 ELSE 'x' END FROM t";
    queryError(sql, { sqlstate: '42804', message: 'CASE types integer and character varying cannot be matched', position: pos(sql, 'CASE') });
  });

  it('binds CAST and TRY_CAST, rejecting casts that do not exist', () => {
    expect(explain('SELECT CAST(c AS INT), TRY_CAST(c AS INT), c::text FROM t')).to.equal(lines(
      'Project(CAST(c AS INT) AS c, TRY_CAST(c AS INT) AS c, c)',
      '  Scan(t)',
    ));
    const sql = 'SELECT CAST(ts AS BOOLEAN) FROM bids';
    queryError(sql, { sqlstate: '42846', message: 'cannot cast type timestamp to boolean', position: pos(sql, 'CAST') });
    const bad = 'SELECT CAST(a AS nosuchtype) FROM t';
    queryError(bad, { sqlstate: '42704', message: 'type "nosuchtype" does not exist', position: pos(bad, 'nosuchtype') });
  });

  it('binds EXTRACT, SUBSTRING, POSITION and TRIM to their registry functions', () => {
    expect(explain("SELECT EXTRACT(HOUR FROM ts), substring(channel FROM 2 FOR 3), position('a' IN channel), trim(BOTH 'x' FROM channel) FROM bids"))
      .to.equal(lines(
        "Project(extract_hour(ts) AS extract, substring(channel, CAST(2 AS BIGINT), CAST(3 AS BIGINT)) AS substring, "
          + "position('a', channel) AS position, btrim(channel, 'x') AS btrim)",
        '  Scan(bids)',
      ));
  });

  it('reports unknown functions and operators with PostgreSQL hints', () => {
    const f = 'SELECT upper(a) FROM t';
    queryError(f, {
      sqlstate: '42883', message: 'function upper(integer) does not exist', position: pos(f, 'upper'),
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
    const typo = 'SELECT uper(c) FROM t';
    queryError(typo, { sqlstate: '42883', message: 'function uper(character varying) does not exist', hint: 'Perhaps you meant the function "upper".' });
    const op = 'SELECT a + c FROM t';
    queryError(op, {
      sqlstate: '42883', message: 'operator does not exist: integer + character varying', position: pos(op, 'a +'),
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
    });
  });

  it('reports misuse of aggregate-only syntax on scalar functions', () => {
    queryError('SELECT upper(DISTINCT c) FROM t', { sqlstate: '42809', message: 'DISTINCT specified, but upper is not an aggregate function', position: 8 });
  });

  it('rejects a group window over a column that is not a time attribute with 42804 naming it', () => {
    const sql = "SELECT auction, count(*) FROM bids GROUP BY TUMBLE(price, INTERVAL '1' HOUR), auction";
    queryError(sql, { sqlstate: '42804', message: 'column "price" is not a time attribute, so TUMBLE cannot use it', position: pos(sql, 'price,') });
  });

  it('types parameters from their context, else as VARCHAR', () => {
    const b = bindQuery(parse('SELECT * FROM t WHERE a = $1 AND c LIKE $2 AND $3 > b AND CAST($4 AS DATE) IS NULL') as Query, catalog());
    expect(b.paramTypes.map(typeToSql)).to.deep.equal(['INT', 'STRING', 'INT', 'DATE']);
    const declared = bindQuery(parse('SELECT $1 + a FROM t') as Query, catalog(), { paramTypes: [{ kind: 'BIGINT' }] });
    expect(declared.paramTypes.map(typeToSql)).to.deep.equal(['BIGINT']);
    expect(explain('SELECT upper($1)')).to.equal('Values((upper($1)))');
  });

  it('types niladic date/time functions and keeps them as calls', () => {
    expect(types('SELECT CURRENT_TIMESTAMP, CURRENT_DATE, now()')).to.deep.equal(['TIMESTAMP_LTZ(3)', 'DATE', 'TIMESTAMP_LTZ(3)']);
  });

  it('names output columns as PostgreSQL does', () => {
    expect(bind('SELECT a, t.b, count(*), CAST(c AS INT), a + 1, CASE WHEN a > 0 THEN 1 END, EXISTS (SELECT 1), (SELECT max(d) FROM u) FROM t GROUP BY a, b, c').columnNames)
      .to.deep.equal(['a', 'b', 'count', 'c', '?column?', 'case', 'exists', 'max']);
  });
});
