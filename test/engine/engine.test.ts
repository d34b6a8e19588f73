// The embedded engine end to end: tables, upserts, materialized views kept up
// to date, subscriptions through cursors, drops with dependencies, errors.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlError } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error(`expected rows, got ${last?.kind}`);
  return [...last.rows];
}

async function expectError(p: Promise<unknown>, sqlstate: string, message?: string): Promise<SqlError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(SqlError);
    const err = e as SqlError;
    expect(err.sqlstate, err.message).to.equal(sqlstate);
    if (message) expect(err.message).to.contain(message);
    return err;
  }
  throw new Error(`expected error ${sqlstate}`);
}

describe('engine', () => {
  let dir: string;
  let engine: Engine;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-engine-'));
    engine = await Engine.open({ dataDir: dir });
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inserts into an append-only table and reads it back', async () => {
    await engine.execute('CREATE TABLE t (k INT, v INT)');
    const [ins] = await engine.execute('INSERT INTO t VALUES (1, 10), (2, 20), (1, 5)');
    expect(ins).to.deep.equal({ kind: 'command', tag: 'INSERT 0 3' });
    expect(rowsOf(await engine.execute('SELECT k, v FROM t ORDER BY v'))).to.deep.equal([[1, 5], [1, 10], [2, 20]]);
    // 10 + 20 + 5
    expect(rowsOf(await engine.execute('SELECT sum(v) FROM t'))).to.deep.equal([[35]]);
  });

  it('rejects UPDATE on an append-only table', async () => {
    await engine.execute('CREATE TABLE t (k INT, v INT)');
    await expectError(engine.execute('UPDATE t SET v = 1'), '0A000', 'append-only');
  });

  it('upserts by primary key, updates and deletes', async () => {
    await engine.execute("CREATE TABLE p (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
    await engine.execute("INSERT INTO p VALUES (1, 'a'), (2, 'b')");
    await engine.execute("INSERT INTO p VALUES (1, 'c')");
    expect(rowsOf(await engine.execute('SELECT id, name FROM p ORDER BY id'))).to.deep.equal([[1, 'c'], [2, 'b']]);
    const [upd] = await engine.execute("UPDATE p SET name = name || '!' WHERE id = 2");
    expect(upd).to.deep.equal({ kind: 'command', tag: 'UPDATE 1' });
    const [del] = await engine.execute('DELETE FROM p WHERE id = 1');
    expect(del).to.deep.equal({ kind: 'command', tag: 'DELETE 1' });
    expect(rowsOf(await engine.execute('SELECT id, name FROM p'))).to.deep.equal([[2, 'b!']]);
  });

  it('backfills a materialized view and keeps it up to date', async () => {
    await engine.execute('CREATE TABLE t (k INT, v INT)');
    await engine.execute('INSERT INTO t VALUES (1, 10), (2, 20)');
    await engine.execute('CREATE MATERIALIZED VIEW mv AS SELECT k, count(*) AS c, sum(v) AS s FROM t GROUP BY k');
    expect(rowsOf(await engine.execute('SELECT * FROM mv ORDER BY k'))).to.deep.equal([[1, 1, 10], [2, 1, 20]]);
    await engine.execute('INSERT INTO t VALUES (1, 5), (3, 1)');
    expect(rowsOf(await engine.execute('SELECT * FROM mv ORDER BY k'))).to.deep.equal([[1, 2, 15], [2, 1, 20], [3, 1, 1]]);
  });

  it('streams a view\'s changes through a SUBSCRIBE cursor', async () => {
    await engine.execute("CREATE TABLE p (id INT, grp STRING, PRIMARY KEY (id) NOT ENFORCED)");
    await engine.execute("INSERT INTO p VALUES (1, 'x'), (2, 'x')");
    await engine.execute('CREATE MATERIALIZED VIEW counts AS SELECT grp, count(*) AS n FROM p GROUP BY grp');
    const s = engine.session();
    await s.execute('DECLARE c CURSOR FOR SUBSCRIBE counts WITH (SNAPSHOT = false)');
    // Moving id 2 from x to y: x goes 2 -> 1 (-U/+U), y appears (+I).
    await s.execute("INSERT INTO p VALUES (2, 'y')");
    const changes = rowsOf(await s.execute("FETCH ALL c WITH (timeout = '0s')"));
    expect(changes).to.deep.equal([['-U', 'x', 2], ['+U', 'x', 1], ['+I', 'y', 1]]);
    // Deleting id 1 empties group x: -D.
    await s.execute('DELETE FROM p WHERE id = 1');
    expect(rowsOf(await s.execute("FETCH ALL c WITH (timeout = '0s')"))).to.deep.equal([['-D', 'x', 1]]);
    expect(rowsOf(await s.execute("FETCH ALL c WITH (timeout = '0s')"))).to.deep.equal([]);
    s.close();
  });

  it('a snapshot subscription starts with the current rows as +I', async () => {
    await engine.execute('CREATE TABLE t (k INT)');
    await engine.execute('INSERT INTO t VALUES (7)');
    const s = engine.session();
    await s.execute('DECLARE c CURSOR FOR SUBSCRIBE t');
    expect(rowsOf(await s.execute('FETCH ALL c'))).to.deep.equal([['+I', 7]]);
    s.close();
  });

  it('refuses to drop a table a view depends on, unless CASCADE', async () => {
    await engine.execute('CREATE TABLE t (k INT)');
    await engine.execute('CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t');
    await expectError(engine.execute('DROP TABLE t'), '2BP01', 'cannot drop table t because other objects depend on it');
    await engine.execute('DROP TABLE t CASCADE');
    await expectError(engine.execute('SELECT * FROM mv'), '42P01');
    expect(rowsOf(await engine.execute('SELECT count(*) FROM eddy_jobs'))).to.deep.equal([[0]]);
  });

  it('reports an unknown table with 42P01 and its position', async () => {
    const err = await expectError(engine.execute('SELECT * FROM nope'), '42P01', 'table "nope" does not exist');
    expect(err.position).to.equal(15);
  });
});
