// Event time through the engine with an injected clock: watermarks restored on reopen, idle inputs, processing-time windows, state TTL, the late-row bound.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import { LATE_ROWS_KEPT } from '../../executor/dataflow.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';

/** Microseconds of a UTC wall-clock time on 2024-01-01. */
function at(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return Date.UTC(2024, 0, 1, h, m, s) * 1000;
}

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error(`expected rows, got ${last?.kind}`);
  return [...last.rows];
}

describe('event time in the engine', () => {
  let dir: string;
  let engine: Engine;
  let clock: number;

  const open = async (): Promise<Engine> => Engine.open({ dataDir: dir, now: () => clock });
  const query = async (sql: string): Promise<Row[]> => rowsOf(await engine.execute(sql));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-time-'));
    clock = at('09:00:00');
    engine = await open();
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recomputes a table\'s watermark from its rows when the engine reopens', async () => {
    await engine.execute("CREATE TABLE ev (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)");
    await engine.execute("INSERT INTO ev VALUES ('a', TIMESTAMP '2024-01-01 10:00:00'), ('b', TIMESTAMP '2024-01-01 10:10:30')");
    await engine.close();
    engine = await open();
    // A view created after the reopen starts from the watermark 10:10:29: [10:00, 10:10) is closed.
    await engine.execute(`CREATE MATERIALIZED VIEW c AS SELECT window_start, COUNT(*) AS n
      FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end`);
    expect(await query('SELECT n FROM c')).to.deep.equal([[1]]);
    // A row behind the restored watermark does not lower it: nothing new closes, and it is late.
    await engine.execute("INSERT INTO ev VALUES ('c', TIMESTAMP '2024-01-01 10:05:00')");
    expect(await query('SELECT n FROM c')).to.deep.equal([[1]]);
    expect(await query('SELECT COUNT(*) FROM eddy_late_rows')).to.deep.equal([[1]]);
  });

  it('lets an idle input stop holding back a union after table.exec.source.idle-timeout', async () => {
    await engine.execute("CREATE TABLE a (ts TIMESTAMP(3), WATERMARK FOR ts AS ts)");
    await engine.execute("CREATE TABLE b (ts TIMESTAMP(3), WATERMARK FOR ts AS ts)");
    await engine.execute('CREATE VIEW ab AS SELECT ts FROM a UNION ALL SELECT ts FROM b');
    const view = (name: string): string => `CREATE MATERIALIZED VIEW ${name} AS SELECT window_start, COUNT(*) AS n
      FROM TABLE(TUMBLE(TABLE ab, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end`;
    await engine.execute(view('waits'));
    await engine.execute("SET 'table.exec.source.idle-timeout' = '10 s'");
    await engine.execute(view('moves_on'));

    await engine.execute("INSERT INTO a VALUES (TIMESTAMP '2024-01-01 10:00:10'), (TIMESTAMP '2024-01-01 10:01:05')");
    // b has sent nothing: both views wait for it.
    expect(await query('SELECT * FROM waits')).to.deep.equal([]);
    expect(await query('SELECT * FROM moves_on')).to.deep.equal([]);
    // 5 seconds later b is not idle yet.
    clock += 5_000_000;
    await engine.execute("INSERT INTO a VALUES (TIMESTAMP '2024-01-01 10:01:10')");
    expect(await query('SELECT * FROM moves_on')).to.deep.equal([]);
    // 11 seconds after the view started, b is idle: the view follows a alone.
    clock += 6_000_000;
    await engine.execute("INSERT INTO a VALUES (TIMESTAMP '2024-01-01 10:01:20')");
    expect(await query('SELECT * FROM moves_on')).to.deep.equal([[at('10:00:00'), 1]]);
    expect(await query('SELECT * FROM waits')).to.deep.equal([]);
    // b wakes up behind the watermark: its row is late, the watermark does not go back.
    await engine.execute("INSERT INTO b VALUES (TIMESTAMP '2024-01-01 10:00:30')");
    expect(await query('SELECT * FROM moves_on')).to.deep.equal([[at('10:00:00'), 1]]);
    // The view that never idles b closes [10:00, 10:01) once b's watermark passes it: a's and b's rows.
    await engine.execute("INSERT INTO b VALUES (TIMESTAMP '2024-01-01 10:01:30')");
    expect(await query('SELECT * FROM waits')).to.deep.equal([[at('10:00:00'), 2]]);
  });

  it('closes processing-time windows by the clock', async () => {
    await engine.execute('CREATE TABLE clicks (u STRING, pt AS PROCTIME())');
    await engine.execute(`CREATE MATERIALIZED VIEW per_minute AS
      SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(pt), INTERVAL '1' MINUTE))
      GROUP BY window_start, window_end`);
    await engine.execute(`CREATE MATERIALIZED VIEW per_user AS
      SELECT u, TUMBLE_START(pt, INTERVAL '1' MINUTE) AS s, COUNT(*) AS n FROM clicks GROUP BY TUMBLE(pt, INTERVAL '1' MINUTE), u`);
    clock = at('10:00:10');
    await engine.execute("INSERT INTO clicks VALUES ('x'), ('y')");
    clock = at('10:00:50');
    await engine.execute("INSERT INTO clicks VALUES ('x')");
    expect(await query('SELECT * FROM per_minute')).to.deep.equal([]);
    // The clock passes 10:01; the next row (in the new minute) closes the old one.
    clock = at('10:01:05');
    await engine.execute("INSERT INTO clicks VALUES ('y')");
    expect(await query('SELECT * FROM per_minute')).to.deep.equal([[at('10:00:00'), at('10:01:00'), 3]]);
    expect(await query('SELECT * FROM per_user ORDER BY u')).to.deep.equal([['x', at('10:00:00'), 2], ['y', at('10:00:00'), 1]]);
    // The computed column is a processing-time attribute; a plain column is not.
    await engine.execute('CREATE TABLE plain (u STRING, t TIMESTAMP_LTZ(3))');
    let error: unknown;
    try {
      await engine.execute("SELECT * FROM TABLE(TUMBLE(TABLE plain, DESCRIPTOR(t), INTERVAL '1' MINUTE))");
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('column "t" is not a time attribute');
  });

  it('evaluates OVER and interval joins over processing time as rows arrive', async () => {
    await engine.execute('CREATE TABLE clicks (u STRING, pt AS PROCTIME())');
    await engine.execute('CREATE TABLE buys (u STRING, bt AS PROCTIME())');
    await engine.execute(`CREATE MATERIALIZED VIEW counts AS
      SELECT u, pt, COUNT(*) OVER (PARTITION BY u ORDER BY pt RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS n FROM clicks`);
    await engine.execute(`CREATE MATERIALIZED VIEW bought_after_click AS
      SELECT c.u, c.pt, b.bt FROM clicks c JOIN buys b ON c.u = b.u AND b.bt BETWEEN c.pt AND c.pt + INTERVAL '30' SECOND`);
    clock = at('10:00:00');
    await engine.execute("INSERT INTO clicks VALUES ('x')");
    // Emitted at once: nothing waits for a watermark.
    expect(await query('SELECT u, n FROM counts')).to.deep.equal([['x', 1]]);
    clock = at('10:00:40');
    await engine.execute("INSERT INTO clicks VALUES ('x')");
    clock = at('10:01:20');
    await engine.execute("INSERT INTO clicks VALUES ('x')");
    // The last click's minute holds the clicks at 10:00:40 and 10:01:20.
    expect(await query('SELECT n FROM counts ORDER BY pt')).to.deep.equal([[1], [2], [2]]);
    // A buy at 10:01:30 is within 30 s of the 10:01:20 click only; the older clicks were freed by the clock.
    clock = at('10:01:30');
    await engine.execute("INSERT INTO buys VALUES ('x')");
    expect(await query('SELECT pt, bt FROM bought_after_click')).to.deep.equal([[at('10:01:20'), at('10:01:30')]]);
  });

  it('drops idle groups of a regular aggregation after table.exec.state.ttl', async () => {
    await engine.execute('CREATE TABLE t (k STRING, v INT)');
    await engine.execute("SET 'table.exec.state.ttl' = '1 min'");
    await engine.execute('CREATE MATERIALIZED VIEW sums AS SELECT k, SUM(v) AS s FROM t GROUP BY k');
    const keys = async (): Promise<number> => {
      const rows = await query("SELECT state_keys FROM eddy_operator_stats WHERE kind = 'GroupAggregate'");
      return rows[0]?.[0] as number;
    };
    clock = at('10:00:00');
    await engine.execute("INSERT INTO t VALUES ('a', 1), ('b', 2)");
    const full = await keys();
    clock = at('10:00:30');
    await engine.execute("INSERT INTO t VALUES ('a', 10)");
    expect(await keys()).to.equal(full);
    // 10:01:20: b was last touched at 10:00:00, more than a minute ago; a at 10:00:30.
    clock = at('10:01:20');
    await engine.execute("INSERT INTO t VALUES ('c', 5)");
    // b's group went as c's came (3 groups would be more).
    expect(await keys()).to.equal(full);
    expect(await query('SELECT k, s FROM sums ORDER BY k')).to.deep.equal([['a', 11], ['b', 2], ['c', 5]]);
    // b comes back: its group starts afresh (what was emitted for it stays, as in Flink).
    await engine.execute("INSERT INTO t VALUES ('b', 7)");
    expect(await query("SELECT s FROM sums WHERE k = 'b' ORDER BY s")).to.deep.equal([[2], [7]]);
    // a, untouched for the TTL since 10:00:30, goes at 10:02:00; its sum no longer grows from 11.
    clock = at('10:02:00');
    await engine.execute("INSERT INTO t VALUES ('a', 100)");
    expect(await query("SELECT s FROM sums WHERE k = 'a' ORDER BY s")).to.deep.equal([[11], [100]]);
  });

  it('drops a join key\'s idle rows after table.exec.state.ttl', async () => {
    await engine.execute('CREATE TABLE l (k INT, x STRING)');
    await engine.execute('CREATE TABLE r (k INT, y STRING)');
    await engine.execute("SET 'table.exec.state.ttl' = '10 s'");
    await engine.execute('CREATE MATERIALIZED VIEW j AS SELECT l.x, r.y FROM l JOIN r ON l.k = r.k');
    clock = at('10:00:00');
    await engine.execute("INSERT INTO l VALUES (1, 'old')");
    clock = at('10:00:05');
    await engine.execute("INSERT INTO r VALUES (1, 'soon')");
    clock = at('10:00:20');
    // The left row of key 1 was stored at 10:00:00, more than 10 s ago: gone, the new right row meets nothing.
    await engine.execute("INSERT INTO r VALUES (1, 'late')");
    expect(await query('SELECT * FROM j ORDER BY y')).to.deep.equal([['old', 'soon']]);
  });

  it(`keeps the last ${LATE_ROWS_KEPT} late rows of an operator and counts them all`, async () => {
    await engine.execute("CREATE TABLE ev (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)");
    await engine.execute(`CREATE MATERIALIZED VIEW c AS SELECT window_start, SUM(k) AS s
      FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end`);
    await engine.execute("INSERT INTO ev VALUES (0, TIMESTAMP '2024-01-01 11:00:00')");
    const late: string[] = [];
    for (let i = 1; i <= LATE_ROWS_KEPT + 50; i++) late.push(`(${i}, TIMESTAMP '2024-01-01 10:00:00')`);
    await engine.execute(`INSERT INTO ev VALUES ${late.join(', ')}`);
    expect(await query("SELECT late_rows FROM eddy_operator_stats WHERE kind = 'WindowAggregate'")).to.deep.equal([[LATE_ROWS_KEPT + 50]]);
    // The first 50 were let go (k=1 .. 50): the smallest text kept ends in =100 ('=100' < '=1000' < '=51').
    expect(await query('SELECT COUNT(*), MIN(row_text) FROM eddy_late_rows')).to.deep.equal([[LATE_ROWS_KEPT, 'ts=2024-01-01 10:00:00, CAST(k AS BIGINT)=100']]);
  });
});
