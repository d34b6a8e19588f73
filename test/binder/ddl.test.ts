// Binder: CREATE TABLE — column types, NOT NULL and primary keys, computed columns, watermarks, and their errors.

import { expect } from 'chai';
import { createTable, expectSqlError, parse, pos } from './support.js';
import type { CreateTable } from '../../parser/ast/index.js';
import { bindCreateTable } from '../../planner/binder/index.js';
import { catalog } from './support.js';

function ddlError(sql: string, e: { sqlstate: string; message: string; position?: number }): void {
  expectSqlError(() => createTable(sql), e);
}

describe('binder: CREATE TABLE', () => {
  it('builds the catalog relation: types, nullability, primary key, computed columns, watermark', () => {
    const sql = "CREATE TABLE x (k INT, v VARCHAR(10) NOT NULL, ts TIMESTAMP(3), d AS k * 2, PRIMARY KEY (k) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'datagen')";
    const r = createTable(sql);
    expect(r.name).to.equal('x');
    expect(r.kind).to.equal('TABLE');
    expect(r.columns.map((c) => [c.name, c.type, c.nullable, c.computed !== undefined])).to.deep.equal([
      ['k', { kind: 'INT' }, false, false],
      ['v', { kind: 'VARCHAR', length: 10 }, false, false],
      ['ts', { kind: 'TIMESTAMP', precision: 3 }, true, false],
      ['d', { kind: 'INT' }, false, true],
    ]);
    expect(r.primaryKey).to.deep.equal([0]);
    expect(r.watermark?.column).to.equal(2);
    expect(r.options).to.deep.equal([{ key: 'connector', value: 'datagen', span: r.options[0]?.span }]);
  });

  it('accepts a column-level PRIMARY KEY and PROCTIME() computed columns', () => {
    const r = createTable('CREATE TABLE y (id BIGINT PRIMARY KEY, pt AS PROCTIME())');
    expect(r.primaryKey).to.deep.equal([0]);
    expect(r.columns[1]).to.deep.include({ name: 'pt', type: { kind: 'TIMESTAMP_LTZ', precision: 3 }, nullable: false });
  });

  it('reports a name already taken, unless IF NOT EXISTS', () => {
    ddlError('CREATE TABLE t (k INT)', { sqlstate: '42P07', message: 'relation "t" already exists', position: 14 });
    const existing = bindCreateTable(parse('CREATE TABLE IF NOT EXISTS t (k INT)') as CreateTable, catalog());
    expect(existing.columns.map((c) => c.name)).to.deep.equal(['a', 'b', 'c']);
  });

  it('reports duplicate columns and bad keys', () => {
    const dup = 'CREATE TABLE x (k INT, k INT)';
    ddlError(dup, { sqlstate: '42701', message: 'column "k" specified more than once', position: pos(dup, 'k', 2) });
    const pk = 'CREATE TABLE x (k INT, PRIMARY KEY (z) NOT ENFORCED)';
    ddlError(pk, { sqlstate: '42703', message: 'column "z" named in key does not exist', position: pos(pk, 'z') });
    const twice = 'CREATE TABLE x (k INT PRIMARY KEY, PRIMARY KEY (k) NOT ENFORCED)';
    ddlError(twice, { sqlstate: '42P16', message: 'multiple primary keys for table "x" are not allowed' });
  });

  it('checks the watermark column and expression types', () => {
    const col = 'CREATE TABLE x (k INT, WATERMARK FOR k AS k - 1)';
    ddlError(col, { sqlstate: '42804', message: 'watermark column "k" must be of type TIMESTAMP or TIMESTAMP_LTZ, not integer', position: pos(col, 'k AS') });
    const expr = 'CREATE TABLE x (ts TIMESTAMP(3), WATERMARK FOR ts AS 1)';
    ddlError(expr, { sqlstate: '42804', message: 'WATERMARK expression must be of type timestamp, not integer', position: pos(expr, '1') });
    const missing = 'CREATE TABLE x (ts TIMESTAMP(3), WATERMARK FOR tss AS tss)';
    ddlError(missing, { sqlstate: '42703', message: 'column "tss" named in WATERMARK does not exist', position: pos(missing, 'tss') });
  });

  it('binds computed columns over the physical columns', () => {
    const sql = 'CREATE TABLE x (k INT, d AS kk + 1)';
    ddlError(sql, { sqlstate: '42703', message: 'column "kk" does not exist', position: pos(sql, 'kk') });
    ddlError('CREATE TABLE x (k FOO)', { sqlstate: '42704', message: 'type "foo" does not exist', position: 19 });
  });
});
