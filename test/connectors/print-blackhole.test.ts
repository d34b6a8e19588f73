// print and blackhole sinks: every change with its kind, as Flink prints it; INSERT jobs into them.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { drained, openEngine, query, type TestEngine } from './helpers.js';

describe('print and blackhole connectors', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await openEngine();
  });

  afterEach(async () => {
    await t.close();
  });

  it('prints inserts, updates and deletes with their kind to a log file', async () => {
    const log = t.path('print.log');
    await t.engine.execute('CREATE TABLE t (k STRING PRIMARY KEY NOT ENFORCED, v INT)');
    await t.engine.execute(`CREATE TABLE p (k STRING, n BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'counts', 'path' = '${log}')`);
    await t.engine.execute('INSERT INTO p SELECT k, count(*) FROM t GROUP BY k');
    await t.engine.execute("INSERT INTO t VALUES ('a', 1), ('b', 2)");
    await t.engine.execute("DELETE FROM t WHERE k = 'a'");
    await t.engine.execute("INSERT INTO t VALUES ('b', NULL)");
    expect(readFileSync(log, 'utf8')).to.equal('counts> +I[a, 1]\ncounts> +I[b, 1]\ncounts> -D[a, 1]\n');
    await t.engine.execute(`CREATE TABLE q (k STRING, v INT) WITH ('connector' = 'print', 'path' = '${t.path('q.log')}')`);
    await t.engine.execute('INSERT INTO q SELECT k, v FROM t');
    expect(readFileSync(t.path('q.log'), 'utf8')).to.equal('+I[b, null]\n');
  });

  it('runs INSERT INTO a blackhole from a bounded source as a job that reads it all', async () => {
    await t.engine.execute("CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '10000', 'rows-per-second' = '1000000000')");
    await t.engine.execute("CREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole')");
    const [result] = await t.engine.execute('INSERT INTO b SELECT id FROM g WHERE id > 0');
    expect(result).to.deep.equal({ kind: 'command', tag: 'INSERT 0 0' });
    await drained(t.engine);
    const [[kind, status]] = await query(t.engine, 'SELECT kind, status FROM eddy_jobs') as [[string, string]];
    expect([kind, status]).to.deep.equal(['INSERT', 'RUNNING']);
    const stats = await query(t.engine, "SELECT rows_in FROM eddy_operator_stats WHERE kind = 'Sink(blackhole)'");
    expect(stats).to.have.length(1);
    expect(stats[0]?.[0]).to.be.a('number').and.above(0);
  });

  it('stops a job reading an endless source when the job is dropped', async () => {
    await t.engine.execute("CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100000')");
    await t.engine.execute("CREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole')");
    await t.engine.execute('INSERT INTO b SELECT id FROM g');
    await new Promise((r) => setTimeout(r, 30));
    const table = t.engine.connectors.get('g');
    expect(table?.subscriptions.size).to.equal(1);
    const [[job]] = await query(t.engine, 'SELECT job FROM eddy_jobs') as [[number]];
    await t.engine.execute(`DROP JOB '${job}'`);
    expect(table?.subscriptions.size).to.equal(0);
  });
});
