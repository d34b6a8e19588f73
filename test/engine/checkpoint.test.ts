// Checkpoints and recovery through the engine: jobs come back from their checkpointed state plus the input log after it, never from a backfill.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointMeta } from '../../executor/checkpoint/checkpoint-store.js';
import { Engine } from '../../executor/engine/engine.js';
import { Storage } from '../../executor/engine/storage.js';
import { query } from '../connectors/helpers.js';

/** Rows that went into the source ports of the job maintaining `view` since the engine opened. */
async function portRowsIn(engine: Engine, view: string): Promise<number> {
  const job = engine.views.get(view)?.job;
  if (!job) throw new Error(`no view ${view}`);
  return job.built.ports.reduce((n, p) => n + p.node.rowsIn, 0);
}

describe('engine checkpoints', () => {
  let dir: string;
  // No checkpoints on a timer: each test takes them with CHECKPOINT where it wants them.
  const open = (options: { memoryLimit?: number } = {}): Promise<Engine> => Engine.open({ dataDir: dir, ...options }).then(async (e) => {
    await e.execute("SET 'execution.checkpointing.interval' = 'off'");
    return e;
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores views from the checkpoint and replays only the writes after it', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT, v INT, PRIMARY KEY (k) NOT ENFORCED)');
    await first.execute('CREATE MATERIALIZED VIEW sums AS SELECT k % 3 AS g, sum(v) AS s, count(*) AS n FROM t GROUP BY k % 3');
    for (let i = 0; i < 50; i++) await first.execute(`INSERT INTO t VALUES (${i}, ${i * 10})`);
    await first.execute('CHECKPOINT');
    await first.execute('INSERT INTO t VALUES (100, 1), (101, 2)');
    await first.execute('UPDATE t SET v = v + 1 WHERE k < 5');
    await first.execute('DELETE FROM t WHERE k = 7');
    const expected = await query(first, 'SELECT g, s, n FROM sums ORDER BY g');
    await first.crash();

    const second = await open();
    expect(await query(second, 'SELECT g, s, n FROM sums ORDER BY g')).to.deep.equal(expected);
    // Two inserts, five updates (-U and +U each), one delete: 13 changes replayed, not the 51 rows of a backfill.
    expect(await portRowsIn(second, 'sums')).to.equal(13);
    await second.execute('INSERT INTO t VALUES (200, 5)');
    const [, s] = (await query(second, 'SELECT g, s FROM sums WHERE g = 2'))[0] as [number, number];
    expect(s).to.equal((expected.find((r) => r[0] === 2)?.[1] as number) + 5);
    const statuses = await query(second, 'SELECT status FROM eddy_checkpoints');
    expect(statuses).to.deep.equal([['COMPLETED']]);
    await second.close();
  });

  it('resumes an INSERT job and the view over its table without writing anything twice', async () => {
    const first = await open();
    await first.execute('CREATE TABLE a (k INT, x INT)');
    await first.execute('CREATE TABLE b (k INT, y INT, PRIMARY KEY (k) NOT ENFORCED)');
    await first.execute('CREATE TABLE joined (k INT, x INT, y INT, PRIMARY KEY (k, x) NOT ENFORCED)');
    await first.execute('INSERT INTO joined SELECT a.k, a.x, b.y FROM a JOIN b ON a.k = b.k');
    await first.execute('CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(y) AS s FROM joined');
    await first.execute('CREATE MATERIALIZED VIEW over_total AS SELECT n * 2 AS twice FROM total');
    await first.execute('INSERT INTO a VALUES (1, 10), (2, 20)');
    await first.execute('INSERT INTO b VALUES (1, 100)');
    await first.execute('CHECKPOINT');
    await first.execute('INSERT INTO b VALUES (2, 200), (1, 101)');
    await first.execute('INSERT INTO a VALUES (1, 11)');
    const joined = await query(first, 'SELECT * FROM joined ORDER BY k, x');
    const total = await query(first, 'SELECT * FROM total');
    await first.crash();

    const second = await open();
    expect(await query(second, 'SELECT * FROM joined ORDER BY k, x')).to.deep.equal(joined);
    expect(await query(second, 'SELECT * FROM total')).to.deep.equal(total);
    expect(await query(second, 'SELECT * FROM over_total')).to.deep.equal([[(total[0]?.[0] as number) * 2]]);
    // The join's state came back: a new row on either side meets the old ones.
    await second.execute('INSERT INTO a VALUES (2, 21)');
    expect(await query(second, 'SELECT k, x, y FROM joined WHERE k = 2 ORDER BY x')).to.deep.equal([[2, 20, 200], [2, 21, 200]]);
    expect(await query(second, 'SELECT n FROM total')).to.deep.equal([[4]]);
    await second.close();
  });

  it('reports a failed checkpoint and recovers from the one before it', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('CREATE MATERIALIZED VIEW c AS SELECT count(*) AS n, count(DISTINCT k) AS d FROM t');
    await first.execute('INSERT INTO t VALUES (1), (2)');
    await first.execute('CHECKPOINT');
    await first.execute('INSERT INTO t VALUES (2), (3)');
    first.checkpointer.fault = 'commit';
    let error: unknown;
    try {
      await first.execute('CHECKPOINT');
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/checkpoint 2 failed/);
    first.checkpointer.fault = 'prepare';
    await first.execute('CHECKPOINT').catch(() => undefined);
    await first.execute('INSERT INTO t VALUES (4)');
    expect(await query(first, 'SELECT status FROM eddy_checkpoints ORDER BY id')).to.deep.equal([['COMPLETED'], ['FAILED'], ['FAILED']]);
    await first.crash();

    const second = await open();
    expect(await query(second, 'SELECT n, d FROM c')).to.deep.equal([[5, 4]]);
    expect(await portRowsIn(second, 'c')).to.equal(3);
    await second.close();
  });

  it('drops the state of a job dropped after the checkpoint, and never reuses its id', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('CREATE MATERIALIZED VIEW v1 AS SELECT count(*) AS n FROM t');
    await first.execute('INSERT INTO t VALUES (1)');
    await first.execute('CHECKPOINT');
    await first.execute('DROP MATERIALIZED VIEW v1');
    await first.crash();

    const second = await open();
    expect(second.stateBackend.operatorIds()).to.deep.equal([]);
    await second.execute('CREATE MATERIALIZED VIEW v2 AS SELECT count(*) + 10 AS n FROM t');
    expect(await query(second, 'SELECT n FROM v2')).to.deep.equal([[11]]);
    expect(await query(second, 'SELECT job FROM eddy_jobs')).to.deep.equal([[2]]);
    await second.close();
  });

  it('replays nothing after a clean close, which takes a last checkpoint', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('CREATE MATERIALIZED VIEW c AS SELECT count(*) AS n FROM t');
    await first.execute('INSERT INTO t VALUES (1), (2), (3)');
    await first.close();
    const second = await open();
    expect(await query(second, 'SELECT n FROM c')).to.deep.equal([[3]]);
    expect(await portRowsIn(second, 'c')).to.equal(0);
    await second.close();
  });

  it('keeps a view created after the checkpoint, built from the current contents', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('CREATE MATERIALIZED VIEW before AS SELECT count(*) AS n FROM t');
    await first.execute('INSERT INTO t VALUES (1)');
    await first.execute('CHECKPOINT');
    await first.execute('INSERT INTO t VALUES (2)');
    await first.execute('CREATE MATERIALIZED VIEW after AS SELECT count(*) AS n FROM before');
    await first.execute('CREATE TABLE u (k INT)');
    await first.execute('INSERT INTO t VALUES (3)');
    await first.execute('INSERT INTO u VALUES (3)');
    await first.crash();

    const second = await open();
    expect(await query(second, 'SELECT n FROM before')).to.deep.equal([[3]]);
    expect(await query(second, 'SELECT n FROM after')).to.deep.equal([[1]]);
    expect(await query(second, 'SELECT count(*) FROM u')).to.deep.equal([[1]]);
    await second.close();
  });

  it('rebuilds every job from its inputs when a plan no longer matches its checkpoint', async () => {
    const first = await open();
    await first.execute('CREATE TABLE t (k INT)');
    await first.execute('CREATE MATERIALIZED VIEW c AS SELECT k, count(*) AS n FROM t GROUP BY k');
    await first.execute('CREATE MATERIALIZED VIEW d AS SELECT sum(n) AS total FROM c');
    await first.execute('INSERT INTO t VALUES (1), (2), (2)');
    await first.execute('CHECKPOINT');
    await first.execute('INSERT INTO t VALUES (3)');
    await first.crash();
    // As if the planner had built view c differently this time.
    const storage = Storage.open(dir);
    const latest = storage.checkpoints.get('latest') as CheckpointMeta;
    await storage.checkpoints.put('latest', { ...latest, jobs: latest.jobs.map((j) => (j.id === '1' ? { ...j, plan: 'Other()' } : j)) });
    await storage.close();
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(chunk) > 0) as typeof process.stderr.write;
    let second: Engine;
    try {
      second = await open();
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).to.match(/plan of job 1 differs/);
    expect(await query(second, 'SELECT k, n FROM c ORDER BY k')).to.deep.equal([[1, 1], [2, 2], [3, 1]]);
    expect(await query(second, 'SELECT total FROM d')).to.deep.equal([[4]]);
    await second.close();
  });

  it('runs a group aggregation over more keys than its cache holds, and recovers it', async () => {
    const first = await open({ memoryLimit: 128 * 1024 });
    await first.execute('CREATE TABLE t (k INT, v INT)');
    await first.execute('CREATE MATERIALIZED VIEW agg AS SELECT k, count(*) AS n, sum(v) AS s, max(v) AS m FROM t GROUP BY k');
    const keys = 10_000;
    const expected = new Map<number, [number, number, number]>();
    for (let round = 0; round < 3; round++) {
      for (let start = 0; start < keys; start += 1000) {
        const values: string[] = [];
        for (let k = start; k < start + 1000; k++) {
          const v = (k * 7 + round * 13) % 1000;
          values.push(`(${k}, ${v})`);
          const [n, s, m] = expected.get(k) ?? [0, 0, Number.NEGATIVE_INFINITY];
          expected.set(k, [n + 1, s + v, Math.max(m, v)]);
        }
        await first.execute(`INSERT INTO t VALUES ${values.join(', ')}`);
      }
      if (round === 1) await first.execute('CHECKPOINT');
    }
    // Far more groups than the cache holds (two states: the groups and the view's rows).
    expect(first.stateBackend.cacheBytes).to.be.lessThan(keys * 100);
    expect(first.stateBackend.counters.loads).to.be.greaterThan(keys);
    const check = async (engine: Engine): Promise<void> => {
      const rows = await query(engine, 'SELECT k, n, s, m FROM agg');
      expect(rows.length).to.equal(keys);
      for (const [k, n, s, m] of rows as [number, number, number, number][]) expect([n, s, m], `group ${k}`).to.deep.equal(expected.get(k));
    };
    await check(first);
    await first.crash();
    const second = await open({ memoryLimit: 128 * 1024 });
    await check(second);
    await second.close();
  });
});
