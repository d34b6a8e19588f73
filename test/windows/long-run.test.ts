// Long run: a stream with a steady number of keys over many windows keeps a steady state size in every time operator.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error('expected rows');
  return [...last.rows];
}

describe('windows: a long run with steady keys keeps steady state', function () {
  this.timeout(120_000);

  it('holds the state of the open windows only, window after window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-windows-long-'));
    const engine = await Engine.open({ dataDir: dir });
    try {
      await engine.execute("CREATE TABLE ev (k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)");
      await engine.execute("CREATE TABLE other (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)");
      const views: Record<string, string> = {
        tumble: `SELECT k, window_start, COUNT(*) AS n, MAX(v) AS m FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end`,
        hop: `SELECT k, window_start, SUM(v) AS s FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end`,
        session: `SELECT k, window_start, COUNT(*) AS n FROM TABLE(SESSION(TABLE ev PARTITION BY k, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY k, window_start, window_end`,
        topn: `SELECT * FROM (SELECT k, v, window_start, window_end, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn
               FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE rn <= 3`,
        joined: `SELECT e.k, e.v, o.ts FROM ev e JOIN other o ON e.k = o.k AND o.ts BETWEEN e.ts AND e.ts + INTERVAL '3' SECOND`,
        moving: `SELECT k, ts, AVG(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS a FROM ev`,
      };
      for (const [name, sql] of Object.entries(views)) await engine.execute(`CREATE MATERIALIZED VIEW ${name} AS ${sql}`);

      const keys = 20;
      const windows = 120;
      const samples = new Map<string, number[]>();
      for (let w = 0; w < windows; w++) {
        // Each 10-second window: every key three times (at 1 s, 4 s and 7 s into it), and once on the other side.
        const rows: string[] = [];
        const others: string[] = [];
        for (const offset of [1, 4, 7]) {
          for (let k = 0; k < keys; k++) rows.push(`(${k}, ${(k * 7 + w * 3 + offset) % 50}, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '${w * 10 + offset}' SECOND)`);
        }
        for (let k = 0; k < keys; k++) others.push(`(${k}, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '${w * 10 + 5}' SECOND)`);
        await engine.execute(`INSERT INTO ev VALUES ${rows.join(', ')}`);
        await engine.execute(`INSERT INTO other VALUES ${others.join(', ')}`);
        // State as a checkpoint leaves it: window aggregates and joins write their open windows at checkpoints.
        await engine.execute('CHECKPOINT');
        const stats = rowsOf(await engine.execute(`SELECT j.target, SUM(s.state_keys) FROM eddy_operator_stats s JOIN eddy_jobs j ON s.job = j.job
          WHERE s.kind <> 'Materialize' GROUP BY j.target`));
        for (const [target, n] of stats) {
          const list = samples.get(target as string) ?? [];
          list.push(n as number);
          samples.set(target as string, list);
        }
      }
      expect([...samples.keys()].sort()).to.deep.equal(Object.keys(views).sort());
      for (const [target, list] of samples) {
        // After a few windows the state is the same at the same point of every window: no growth.
        const settled = list.slice(10);
        expect(Math.max(...settled), `${target}: ${settled.join(',')}`).to.equal(Math.min(...settled));
        expect(settled[0], target).to.be.greaterThan(0);
      }
      // And the views saw every window: 20 keys in each of the 119 windows closed so far.
      expect(rowsOf(await engine.execute('SELECT COUNT(*) FROM tumble'))).to.deep.equal([[keys * (windows - 1)]]);
      expect(rowsOf(await engine.execute('SELECT COUNT(*) FROM eddy_late_rows'))).to.deep.equal([[0]]);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
