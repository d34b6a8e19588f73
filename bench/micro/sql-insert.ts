// Micro-benchmark end to end through SQL: multi-row INSERT statements into a table feeding a materialized view.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../executor/engine/engine.js';
import { fmtInt } from './filter-project.js';
import { heapUsed, settle, SpanClock, xorshift, type Figure } from './measure.js';

export const SQL_VIEW = 'SELECT k, COUNT(*) AS n, SUM(v) AS s, MAX(v) AS m FROM t GROUP BY k';

/**
 * `rows` rows INSERTed into `t (id BIGINT, k INT, v BIGINT)`, `rowsPerStatement`
 * per statement, with SQL_VIEW materialized over it (10,000 groups). Counts
 * everything a client's INSERT costs: parsing, planning, the table's storage
 * and the view's job.
 */
export async function benchSqlInsert(rows: number, rowsPerStatement: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-'));
  const engine = await Engine.open({ dataDir: dir });
  try {
    await engine.execute('CREATE TABLE t (id BIGINT, k INT, v BIGINT)');
    await engine.execute(`CREATE MATERIALIZED VIEW mv AS ${SQL_VIEW}`);
    const rnd = xorshift(4);
    const clock = new SpanClock();
    settle();
    for (let start = 0; start < rows; start += rowsPerStatement) {
      const end = Math.min(rows, start + rowsPerStatement);
      const values: string[] = [];
      for (let id = start; id < end; id++) values.push(`(${id}, ${Math.floor(rnd() * 10_000)}, ${Math.floor(rnd() * 1_000_000)})`);
      const sql = `INSERT INTO t VALUES ${values.join(', ')}`;
      await clock.timeAsync(() => engine.execute(sql));
    }
    const [check] = await engine.execute('SELECT SUM(n) FROM mv');
    const total = check?.kind === 'rows' ? Number(check.rows[0]?.[0]) : NaN;
    if (total !== rows) throw new Error(`the view counted ${total} rows, ${rows} were inserted`);
    return {
      name: 'SQL INSERT -> materialized view',
      detail: `${fmtInt(rows)} rows, ${fmtInt(rowsPerStatement)} per INSERT; view: GROUP BY k (10,000 groups), COUNT/SUM/MAX`,
      changes: rows,
      wallSeconds: clock.wallSeconds,
      cpuSeconds: clock.cpuSeconds,
      heapBytes: heapUsed(),
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
