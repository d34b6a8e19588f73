// Reopening a data directory: tables come back with their rows, views and
// INSERT jobs are rebuilt from them without counting anything twice.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error(`expected rows, got ${last?.kind}`);
  return [...last.rows];
}

describe('engine recovery', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-recovery-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores tables, upserted rows and materialized views after a crash', async () => {
    const first = await Engine.open({ dataDir: dir });
    await first.execute('CREATE TABLE p (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED)');
    await first.execute('CREATE TABLE log (x DECIMAL(10, 2))');
    await first.execute('INSERT INTO p VALUES (1, 10), (2, 20)');
    await first.execute('INSERT INTO p VALUES (1, 11)');
    await first.execute('DELETE FROM p WHERE id = 2');
    await first.execute('INSERT INTO log VALUES (1.50), (2.25)');
    await first.execute('CREATE MATERIALIZED VIEW total AS SELECT sum(v) AS s, count(*) AS n FROM p');
    await first.crash();

    const second = await Engine.open({ dataDir: dir });
    expect(rowsOf(await second.execute('SELECT id, v FROM p'))).to.deep.equal([[1, 11]]);
    expect(rowsOf(await second.execute('SELECT CAST(sum(x) AS VARCHAR) FROM log'))).to.deep.equal([['3.75']]);
    expect(rowsOf(await second.execute('SELECT s, n FROM total'))).to.deep.equal([[11, 1]]);
    await second.execute('INSERT INTO p VALUES (3, 30)');
    expect(rowsOf(await second.execute('SELECT s, n FROM total'))).to.deep.equal([[41, 2]]);
    await second.close();
  });

  it('resumes an INSERT ... SELECT join job without writing its output twice', async () => {
    const first = await Engine.open({ dataDir: dir });
    await first.execute('CREATE TABLE a (k INT, x INT)');
    await first.execute('CREATE TABLE b (k INT, y INT)');
    await first.execute('CREATE TABLE joined (k INT, x INT, y INT)');
    await first.execute('INSERT INTO a VALUES (1, 10)');
    await first.execute('INSERT INTO b VALUES (1, 100)');
    await first.execute('INSERT INTO joined SELECT a.k, a.x, b.y FROM a JOIN b ON a.k = b.k');
    expect(rowsOf(await first.execute('SELECT * FROM joined'))).to.deep.equal([[1, 10, 100]]);
    await first.crash();

    const second = await Engine.open({ dataDir: dir });
    // Still one row: the restored job rebuilt its join state without re-emitting.
    expect(rowsOf(await second.execute('SELECT * FROM joined'))).to.deep.equal([[1, 10, 100]]);
    // The rebuilt state still knows a's row: a new b row joins with it.
    await second.execute('INSERT INTO b VALUES (1, 200)');
    expect(rowsOf(await second.execute('SELECT * FROM joined ORDER BY y'))).to.deep.equal([[1, 10, 100], [1, 10, 200]]);
    expect(rowsOf(await second.execute('SELECT count(*) FROM eddy_jobs'))).to.deep.equal([[1]]);
    await second.close();
  });

  it('forgets dropped objects', async () => {
    const first = await Engine.open({ dataDir: dir });
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('INSERT INTO t VALUES (1)');
    await first.execute('DROP TABLE t');
    await first.execute('CREATE TABLE t (k INT)');
    await first.close();
    const second = await Engine.open({ dataDir: dir });
    expect(rowsOf(await second.execute('SELECT count(*) FROM t'))).to.deep.equal([[0]]);
    await second.close();
  });
});
