// Every stateful operator survives snapshot and restore: a view over it is checkpointed mid-stream, the engine crashes and
// opens again on the same directory (fresh operators on a fresh LMDB backend: only what the checkpoint and the input log
// hold), goes on, crashes once more without a checkpoint, and must equal the same view in an engine that never stopped.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import { Engine } from '../../executor/engine/engine.js';
import { formatRow, rng } from '../operators/harness.js';

const TABLES = [
  'CREATE TABLE t (k INT, v INT, PRIMARY KEY (k) NOT ENFORCED)',
  'CREATE TABLE u (k INT, w INT, PRIMARY KEY (k) NOT ENFORCED)',
  "CREATE TABLE ev (id BIGINT, g INT, x BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)",
  "CREATE TABLE ev2 (id BIGINT, g INT, y BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)",
  "CREATE TABLE rates (g INT, rate BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND, PRIMARY KEY (g) NOT ENFORCED)",
];

const TUMBLE = "TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))";

/** Settings a case's view is planned with. */
const SETTINGS: Readonly<Record<string, readonly string[]>> = {
  MiniBatch: ["SET 'table.exec.mini-batch.enabled' = 'true'", "SET 'table.exec.mini-batch.size' = '500'"],
  LocalGroupAggregate: ["SET 'table.exec.mini-batch.enabled' = 'true'", "SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE'"],
};

/** One view per operator (what the planner builds for it is named first). */
const CASES: readonly [string, string][] = [
  ['GroupAggregate (MIN/MAX, DISTINCT, retractions)', 'SELECT k % 5 AS g, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, count(DISTINCT v % 4) AS d FROM t GROUP BY k % 5'],
  ['Join (full outer)', 'SELECT t.k, t.v, u.w FROM t FULL JOIN u ON t.v % 7 = u.w % 7'],
  ['Join (anti)', 'SELECT k FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.k)'],
  ['TopN', 'SELECT * FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k % 3 ORDER BY v DESC, k) AS rn FROM t) WHERE rn <= 2'],
  ['TopN (insert-only input: only the rows that can still rank are kept)', 'SELECT * FROM (SELECT id, g, x, RANK() OVER (PARTITION BY g ORDER BY x DESC) AS r FROM ev) WHERE r <= 3'],
  ['Deduplicate', 'SELECT id, g, x FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY g ORDER BY ts) AS rn FROM ev) WHERE rn = 1'],
  ['SetOp', 'SELECT v % 10 AS x FROM t INTERSECT ALL SELECT w % 10 FROM u'],
  ['WindowAggregate (tumble)', `SELECT window_start, g, count(*) AS n, sum(x) AS s FROM ${TUMBLE} GROUP BY window_start, window_end, g`],
  ['WindowAggregate (hop)', "SELECT window_start, count(*) AS n, max(x) AS m FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND)) GROUP BY window_start, window_end"],
  ['WindowAggregate (cumulate)', "SELECT window_start, window_end, sum(x) AS s FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '20' SECOND)) GROUP BY window_start, window_end"],
  ['SessionWindow', "SELECT window_start, window_end, g, count(*) AS n FROM TABLE(SESSION(TABLE ev PARTITION BY g, DESCRIPTOR(ts), INTERVAL '4' SECOND)) GROUP BY window_start, window_end, g"],
  ['WindowTopN', `SELECT * FROM (SELECT window_start, id, x, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY x DESC, id) AS rn FROM ${TUMBLE}) WHERE rn <= 2`],
  ['WindowDeduplicate', `SELECT * FROM (SELECT window_start, id, g, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, g ORDER BY ts) AS rn FROM ${TUMBLE}) WHERE rn = 1`],
  ['WindowJoin', "SELECT a.window_start, a.id, b.id AS id2 FROM (SELECT * FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))) a JOIN (SELECT * FROM TABLE(TUMBLE(TABLE ev2, DESCRIPTOR(ts), INTERVAL '10' SECOND))) b ON a.g = b.g AND a.window_start = b.window_start AND a.window_end = b.window_end"],
  ['IntervalJoin', "SELECT a.id, b.id AS id2 FROM ev a JOIN ev2 b ON a.g = b.g AND a.ts BETWEEN b.ts - INTERVAL '2' SECOND AND b.ts"],
  ['OverAggregate', "SELECT id, g, sum(x) OVER (PARTITION BY g ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3, count(*) OVER (PARTITION BY g ORDER BY ts RANGE BETWEEN INTERVAL '5' SECOND PRECEDING AND CURRENT ROW) AS n5 FROM ev"],
  ['TemporalJoin', 'SELECT e.id, e.x * r.rate AS y FROM ev AS e JOIN rates FOR SYSTEM_TIME AS OF e.ts AS r ON e.g = r.g'],
  ['MatchRecognize', `SELECT * FROM ev MATCH_RECOGNIZE (PARTITION BY g ORDER BY ts MEASURES FIRST(A.id) AS first_id, LAST(B.id) AS last_id
    AFTER MATCH SKIP PAST LAST ROW PATTERN (A B+) DEFINE A AS A.x < 50, B AS B.x >= 50) MR`],
  ['MiniBatch (rows held across statements, passed on at the barrier)', 'SELECT k % 7 AS g, count(*) AS n, sum(v) AS s, max(v) AS m FROM t GROUP BY k % 7'],
  ['LocalGroupAggregate (two phases)', 'SELECT k % 7 AS g, count(*) AS n, sum(v) AS s FROM t GROUP BY k % 7'],
  ['Materialize over a view', 'SELECT g, n * 2 AS twice FROM (SELECT k % 4 AS g, count(*) AS n FROM t GROUP BY k % 4)'],
];

function timestamp(ms: number): string {
  return new Date(Date.UTC(2024, 0, 1) + ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** A seeded stream of writes into every table (event times mostly forward, some late). */
function writes(seed: number, count: number): string[] {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  // Every group has a rate from the start, so the temporal join has versions to meet.
  const out: string[] = [`INSERT INTO rates VALUES ${[0, 1, 2, 3].map((g) => `(${g}, ${g + 1}, TIMESTAMP '${timestamp(0)}')`).join(', ')}`];
  let id = 0;
  let time = 0;
  for (let i = 0; i < count; i++) {
    const p = r();
    if (p < 0.25) out.push(`INSERT INTO t VALUES ${Array.from({ length: 1 + int(4) }, () => `(${int(30)}, ${int(100)})`).join(', ')}`);
    else if (p < 0.32) out.push(`UPDATE t SET v = v + ${int(9) - 4} WHERE k % ${2 + int(5)} = 0`);
    else if (p < 0.37) out.push(`DELETE FROM t WHERE k = ${int(30)}`);
    else if (p < 0.47) out.push(`INSERT INTO u VALUES (${int(30)}, ${int(100)})`);
    else if (p < 0.5) out.push(`DELETE FROM u WHERE k = ${int(30)}`);
    else if (p < 0.55) {
      time += int(800);
      out.push(`INSERT INTO rates VALUES (${int(4)}, ${1 + int(5)}, TIMESTAMP '${timestamp(time)}')`);
    } else {
      const table = r() < 0.7 ? 'ev' : 'ev2';
      const rows = Array.from({ length: 1 + int(3) }, () => {
        time += int(900);
        const t = Math.max(0, time - (r() < 0.1 ? int(8000) : 0));
        return `(${++id}, ${int(4)}, ${int(100)}, TIMESTAMP '${timestamp(t)}')`;
      });
      out.push(`INSERT INTO ${table} VALUES ${rows.join(', ')}`);
    }
  }
  return out;
}

async function viewRows(engine: Engine): Promise<string[]> {
  const [r] = await engine.execute('SELECT * FROM v');
  if (!r || r.kind !== 'rows') throw new Error('not rows');
  return r.rows.map((row: Row) => formatRow(row)).sort();
}

describe('operators: snapshot, restore into fresh operators, continue', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const open = async (dir: string): Promise<Engine> => {
    const e = await Engine.open({ dataDir: dir });
    await e.execute("SET 'execution.checkpointing.interval' = 'off'");
    return e;
  };

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  CASES.forEach(([name, query], n) => {
    it(`${name}: equals an uninterrupted run`, async () => {
      const base = mkdtempSync(join(tmpdir(), 'eddy-restore-'));
      dirs.push(base);
      const stream = writes(100 + n, 80);
      const steady = await open(join(base, 'steady'));
      let crashed = await open(join(base, 'crashed'));
      try {
        const operator = name.split(' ')[0] as string;
        for (const sql of [...TABLES, ...(SETTINGS[operator] ?? []), `CREATE MATERIALIZED VIEW v AS ${query}`]) await Promise.all([steady.execute(sql), crashed.execute(sql)]);
        const [kinds] = await steady.execute('SELECT DISTINCT kind FROM eddy_operator_stats');
        expect(kinds?.kind === 'rows' ? kinds.rows.map((r) => r[0]) : [], 'the operator under test').to.include(operator);
        for (let i = 0; i < stream.length; i++) {
          const sql = stream[i] as string;
          await Promise.all([steady.execute(sql), crashed.execute(sql)]);
          if (i === 25 || i === 55) await crashed.execute('CHECKPOINT');
          if (i === 40 || i === 70) {
            // Back to the last checkpoint, then the input log after it.
            await crashed.crash();
            // Restored, not rebuilt: a plan that no longer matched its checkpoint would be reported on stderr.
            const said: string[] = [];
            const write = process.stderr.write.bind(process.stderr);
            process.stderr.write = ((chunk: string) => said.push(chunk) > 0) as typeof process.stderr.write;
            try {
              crashed = await open(join(base, 'crashed'));
            } finally {
              process.stderr.write = write;
            }
            expect(said.join(''), `${name}: restored from the checkpoint`).to.equal('');
            expect(await viewRows(crashed), `${name} after the crash at ${i}`).to.deep.equal(await viewRows(steady));
          }
        }
        expect(await viewRows(crashed)).to.deep.equal(await viewRows(steady));
        expect((await viewRows(steady)).length, `${name} produced rows`).to.be.greaterThan(0);
      } finally {
        await steady.close();
        await crashed.close();
      }
    });
  });
});
