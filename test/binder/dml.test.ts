// Binder: INSERT (target columns, assignment casts, NULL defaults), UPDATE and DELETE (predicates over the stored row).

import { expect } from 'chai';
import { typeToSql } from '../../common/data-type.js';
import type { Insert } from '../../parser/ast/index.js';
import { bindInsert } from '../../planner/binder/index.js';
import { explainLogical } from '../../planner/explain.js';
import { catalog, del, expectSqlError, insert, lines, parse, pos, update } from './support.js';

describe('binder: INSERT', () => {
  it('writes VALUES in the table column types', () => {
    const r = insert("INSERT INTO t VALUES (1, 2, 'x'), (3, NULL, NULL)");
    expect(r.table).to.equal('t');
    expect(explainLogical(r.plan)).to.equal("Values((1, 2, 'x'), (3, CAST(NULL AS INT), CAST(NULL AS STRING)))");
  });

  it('fills columns left out of the column list with NULL, in table order', () => {
    expect(explainLogical(insert("INSERT INTO t (c, a) VALUES ('x', 1)").plan)).to.equal(lines(
      'Project(column2 AS a, CAST(NULL AS INT) AS b, column1 AS c)',
      "  Values(('x', 1))",
    ));
  });

  it('casts a query to the table types when the registry allows the assignment', () => {
    const r = insert('INSERT INTO u SELECT a, b FROM t');
    expect(explainLogical(r.plan)).to.equal(lines(
      'Project(a, CAST(b AS DOUBLE) AS d)',
      '  Project(a, b)',
      '    Scan(t)',
    ));
    expect(r.plan.schema.map((f) => typeToSql(f.type))).to.deep.equal(['INT', 'DOUBLE']);
  });

  it('writes stored columns only: computed columns are the table\'s', () => {
    expect(explainLogical(insert('INSERT INTO orders VALUES (1, 2, 3.5)').plan)).to.equal(lines(
      'Project(column1 AS id, column2 AS qty, CAST(column3 AS DECIMAL(10, 2)) AS price)',
      '  Values((1, 2, 3.5))',
    ));
    const sql = 'INSERT INTO orders (id, total) VALUES (1, 2)';
    expectSqlError(() => insert(sql), { sqlstate: '428C9', message: 'cannot insert a non-DEFAULT value into column "total"', position: pos(sql, 'total') });
  });

  it('types parameters by their target column', () => {
    const r = bindInsert(parse('INSERT INTO t VALUES ($1, $2, $3)') as Insert, catalog());
    expect(r.plan.kind === 'Values' && r.plan.rows[0]?.map((e) => typeToSql(e.type))).to.deep.equal(['INT', 'INT', 'STRING']);
  });

  it('reports type mismatches, wrong counts, NOT NULL columns left out and non-table targets', () => {
    const type = "INSERT INTO t VALUES (DATE '2020-01-01', 1, 'x')";
    expectSqlError(() => insert(type), {
      sqlstate: '42804', message: 'column "a" is of type integer but expression is of type date', position: pos(type, 'DATE'),
    });
    const many = "INSERT INTO t VALUES (1, 2, 'x', 4)";
    expectSqlError(() => insert(many), { sqlstate: '42601', message: 'INSERT has more expressions than target columns', position: pos(many, '4') });
    const few = 'INSERT INTO t (a, b) VALUES (1)';
    expectSqlError(() => insert(few), { sqlstate: '42601', message: 'INSERT has more target columns than expressions', position: pos(few, 'b') });
    const nn = 'INSERT INTO nn (x) VALUES (1)';
    expectSqlError(() => insert(nn), { sqlstate: '23502', message: 'null value in column "y" of relation "nn" violates not-null constraint', position: pos(nn, 'x') });
    expectSqlError(() => insert('INSERT INTO expensive VALUES (1, 2)'), { sqlstate: '42809', message: 'cannot insert into view "expensive"', position: 13 });
    expectSqlError(() => insert('INSERT INTO counts VALUES (1, 2)'), { sqlstate: '42809', message: 'cannot insert into materialized view "counts"' });
    expectSqlError(() => insert('INSERT INTO nope VALUES (1)'), { sqlstate: '42P01', message: 'table "nope" does not exist', position: 13 });
    const col = 'INSERT INTO t (zz) VALUES (1)';
    expectSqlError(() => insert(col), { sqlstate: '42703', message: 'column "zz" of relation "t" does not exist', position: pos(col, 'zz') });
  });
});

describe('binder: UPDATE and DELETE', () => {
  it('binds assignments and the predicate over the stored row', () => {
    const r = update("UPDATE t SET b = b + 1, c = 'z' WHERE a = 1");
    expect(r.table).to.equal('t');
    expect(r.assignments.map((a) => a.column)).to.deep.equal([1, 2]);
    expect(r.assignments[0]?.value).to.deep.equal({
      kind: 'Call', fn: '+', type: { kind: 'INT' },
      args: [{ kind: 'InputRef', index: 1, type: { kind: 'INT' } }, { kind: 'Literal', value: 1, type: { kind: 'INT' } }],
    });
    expect(r.predicate).to.deep.equal({
      kind: 'Call', fn: '=', type: { kind: 'BOOLEAN' },
      args: [{ kind: 'InputRef', index: 0, type: { kind: 'INT' } }, { kind: 'Literal', value: 1, type: { kind: 'INT' } }],
    });
  });

  it('rewrites computed columns in predicates over the stored columns', () => {
    const r = update('UPDATE orders SET qty = 3 WHERE total > 10');
    expect(r.assignments).to.deep.equal([{ column: 1, value: { kind: 'Literal', value: 3, type: { kind: 'INT' } } }]);
    const p = r.predicate;
    expect(p?.kind === 'Call' && p.args[0]?.kind === 'Call' && p.args[0].fn).to.equal('*');
  });

  it('allows assigning a primary key column', () => {
    expect(update('UPDATE auctions SET id = id + 1 WHERE id = 1').assignments[0]?.column).to.equal(0);
  });

  it('reports bad targets and assignments', () => {
    const col = 'UPDATE t SET zz = 1';
    expectSqlError(() => update(col), { sqlstate: '42703', message: 'column "zz" of relation "t" does not exist', position: pos(col, 'zz') });
    const twice = 'UPDATE t SET a = 1, a = 2';
    expectSqlError(() => update(twice), { sqlstate: '42601', message: 'multiple assignments to same column "a"', position: pos(twice, 'a', 2) });
    expectSqlError(() => update('UPDATE orders SET total = 1'), { sqlstate: '428C9', message: 'column "total" can only be updated to DEFAULT' });
    const type = "UPDATE t SET a = DATE '2020-01-01'";
    expectSqlError(() => update(type), { sqlstate: '42804', message: 'column "a" is of type integer but expression is of type date', position: pos(type, "DATE '") });
    expectSqlError(() => update('UPDATE counts SET n = 1'), { sqlstate: '42809', message: 'cannot update materialized view "counts"' });
    const sub = 'UPDATE t SET b = 1 WHERE a IN (SELECT a FROM u)';
    expectSqlError(() => update(sub), { sqlstate: '0A000', message: 'a subquery in UPDATE is not supported yet', position: pos(sub, 'a IN') });
  });

  it('binds DELETE with or without a predicate', () => {
    expect(del('DELETE FROM t').predicate).to.equal(null);
    expect(del("DELETE FROM t x WHERE x.c = 'x'").predicate).to.deep.equal({
      kind: 'Call', fn: '=', type: { kind: 'BOOLEAN' },
      args: [{ kind: 'InputRef', index: 2, type: { kind: 'VARCHAR', length: null } }, { kind: 'Literal', value: 'x', type: { kind: 'VARCHAR', length: null } }],
    });
    const where = 'DELETE FROM t WHERE a';
    expectSqlError(() => del(where), { sqlstate: '42804', message: 'argument of WHERE must be type boolean, not type integer', position: pos(where, 'a') });
  });
});
