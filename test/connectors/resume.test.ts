// Connector sources and sinks across a crash: a job resumes its readers from the checkpoint's offsets (datagen, a
// continuous file source), a file sink publishes every row once, print and blackhole sinks are restored, not rebuilt.

import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../executor/engine/engine.js';
import type { SubscriptionOffset } from '../../connectors/source.js';
import { drained, query } from './helpers.js';

/** Waits until `engine`'s connector reads have pushed at least `rows` rows. */
async function readAtLeast(engine: Engine, rows: number): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    let n = 0;
    for (const t of engine.connectors.values()) for (const s of t.subscriptions) n += s.rows;
    if (n >= rows) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`fewer than ${rows} rows were read`);
}

describe('connectors across a crash', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-resume-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const source = `CREATE TABLE g (id BIGINT, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3000', 'rows-per-second' = '20000',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '3000', 'fields.v.min' = '0', 'fields.v.max' = '9')`;

  it('a view over a datagen table resumes from the checkpoint and counts every row once', async () => {
    let engine = await Engine.open({ dataDir: join(dir, 'data') });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(source);
    await engine.execute('CREATE MATERIALIZED VIEW s AS SELECT v, count(*) AS n, sum(id) AS total FROM g GROUP BY v');
    await readAtLeast(engine, 500);
    await engine.execute('CHECKPOINT');
    await readAtLeast(engine, 1500);
    await engine.crash();
    engine = await Engine.open({ dataDir: join(dir, 'data') });
    try {
      await drained(engine);
      expect(await query(engine, 'SELECT sum(n), sum(total) FROM s')).to.deep.equal([[3000, 4_501_500]]);
      expect(await query(engine, 'SELECT * FROM s ORDER BY v')).to.deep.equal(await query(engine, 'SELECT v, count(*), sum(id) FROM g GROUP BY v ORDER BY v'));
    } finally {
      await engine.close();
    }
  });

  it('a file sink fed by a datagen table publishes every row once across a crash', async () => {
    const out = join(dir, 'out');
    let engine = await Engine.open({ dataDir: join(dir, 'data') });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(source);
    await engine.execute(`CREATE TABLE f (id BIGINT, v INT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv')`);
    await engine.execute('INSERT INTO f SELECT id, v FROM g');
    await readAtLeast(engine, 500);
    await engine.execute('CHECKPOINT');
    await readAtLeast(engine, 1500);
    // Rows after the checkpoint sit in an in-progress file the crash leaves unpublished.
    await engine.crash();
    engine = await Engine.open({ dataDir: join(dir, 'data') });
    try {
      await drained(engine);
      await engine.execute('CHECKPOINT');
      expect(await query(engine, 'SELECT count(*), count(DISTINCT id), sum(id) FROM f')).to.deep.equal([[3000, 3000, 4_501_500]]);
    } finally {
      await engine.close();
    }
  });
  it('a print sink is restored from the checkpoint: what came after it is printed again, nothing before it', async () => {
    const log = join(dir, 'print.log');
    let engine = await Engine.open({ dataDir: join(dir, 'data') });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute('CREATE TABLE t (id INT)');
    await engine.execute(`CREATE TABLE p (id INT) WITH ('connector' = 'print', 'path' = '${log}')`);
    await engine.execute('INSERT INTO p SELECT id FROM t');
    await engine.execute('INSERT INTO t VALUES (1), (2), (3)');
    await engine.execute('CHECKPOINT');
    await engine.execute('INSERT INTO t VALUES (4), (5)');
    await engine.crash();
    engine = await Engine.open({ dataDir: join(dir, 'data') });
    try {
      await engine.execute('INSERT INTO t VALUES (6)');
      // Printing is at-least-once: the replay of the log after the checkpoint prints 4 and 5 again; a rebuilt job
      // would have printed 1 to 5 again.
      expect(readFileSync(log, 'utf8').split('\n')).to.deep.equal(['+I[1]', '+I[2]', '+I[3]', '+I[4]', '+I[5]', '+I[4]', '+I[5]', '+I[6]', '']);
    } finally {
      await engine.close();
    }
  });

  it('a blackhole job resumes its reader from the checkpoint and takes only the rows after it', async () => {
    let engine = await Engine.open({ dataDir: join(dir, 'data') });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(source);
    await engine.execute("CREATE TABLE b (id BIGINT, v INT) WITH ('connector' = 'blackhole')");
    await engine.execute('INSERT INTO b SELECT id, v FROM g');
    await readAtLeast(engine, 500);
    await engine.execute('CHECKPOINT');
    const offset = engine.checkpointStore.latest()?.jobs[0]?.subscriptions[0] as SubscriptionOffset | undefined;
    const at = (offset?.reader as { row?: number } | undefined)?.row;
    expect(at).to.be.a('number').and.within(500, 3000);
    await readAtLeast(engine, 1500);
    await engine.crash();
    engine = await Engine.open({ dataDir: join(dir, 'data') });
    try {
      await drained(engine);
      expect(await query(engine, 'SELECT kind, status FROM eddy_jobs')).to.deep.equal([['INSERT', 'RUNNING']]);
      expect(await query(engine, "SELECT rows_in FROM eddy_operator_stats WHERE kind = 'Sink(blackhole)'")).to.deep.equal([[3000 - (at as number)]]);
    } finally {
      await engine.close();
    }
  });

  it('a continuous file source resumes from the checkpoint: files read after it are read again, each row counted once', async () => {
    const files = join(dir, 'in');
    mkdirSync(files);
    writeFileSync(join(files, 'a.csv'), '1\n2\n');
    let engine = await Engine.open({ dataDir: join(dir, 'data') });
    const until = async (n: number): Promise<void> => {
      for (let i = 0; i < 500; i++) {
        if ((await query(engine, 'SELECT n FROM s'))[0]?.[0] === n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the view did not reach ${n} rows`);
    };
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${files}', 'format' = 'csv', 'source.monitor-interval' = '10 ms')`);
    await engine.execute('CREATE MATERIALIZED VIEW s AS SELECT count(*) AS n, sum(id) AS total FROM f');
    await until(2);
    await engine.execute('CHECKPOINT');
    writeFileSync(join(files, 'b.csv'), '3\n4\n5\n');
    await until(5);
    await engine.crash();
    writeFileSync(join(files, 'c.csv'), '6\n');
    engine = await Engine.open({ dataDir: join(dir, 'data') });
    try {
      await until(6);
      expect(await query(engine, 'SELECT n, total FROM s')).to.deep.equal([[6, 21]]);
      writeFileSync(join(files, 'd.csv'), '7\n');
      await until(7);
      expect(await query(engine, 'SELECT n, total FROM s')).to.deep.equal([[7, 28]]);
    } finally {
      await engine.close();
    }
  });
});
