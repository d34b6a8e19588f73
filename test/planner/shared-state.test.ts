// Shared state: two materialized views over the same join keep one copy of its inputs (arrangements), stay right
// under inserts, updates and deletes, after one of them is dropped, and across a restart; EXPLAIN shows the sharing.

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

// Both read every column of orders (so either view alone keeps whole rows as its join input, shared or not), and
// their aggregates keep one record per group (no per-value state, which MIN and MAX of an updating input keep).
const COUNTS = 'SELECT c.region, count(*) AS n, sum(o.id) AS ids, sum(o.amount) AS total FROM orders o JOIN customers c ON o.cust = c.cust GROUP BY c.region';
const TOTALS = 'SELECT c.region, count(o.id) AS orders, avg(o.amount) AS average FROM orders o JOIN customers c ON o.cust = c.cust GROUP BY c.region';

async function load(engine: Engine): Promise<void> {
  await engine.execute('CREATE TABLE orders (id INT, cust INT, amount INT, PRIMARY KEY (id) NOT ENFORCED)');
  await engine.execute('CREATE TABLE customers (cust INT, region STRING, PRIMARY KEY (cust) NOT ENFORCED)');
  const customers = Array.from({ length: 50 }, (_, i) => `(${i}, 'r${i % 5}')`).join(', ');
  await engine.execute(`INSERT INTO customers VALUES ${customers}`);
  const orders = Array.from({ length: 3000 }, (_, i) => `(${i}, ${(i * 7) % 50}, ${1 + (i % 97)})`).join(', ');
  await engine.execute(`INSERT INTO orders VALUES ${orders}`);
}

async function totalState(engine: Engine): Promise<{ keys: number; bytes: number }> {
  // Entries are weighed by their stored size once a checkpoint has written them.
  await engine.execute('CHECKPOINT');
  const [row] = rowsOf(await engine.execute('SELECT sum(state_keys), sum(state_bytes) FROM eddy_operator_stats'));
  return { keys: Number(row?.[0] ?? 0), bytes: Number(row?.[1] ?? 0) };
}

async function expectViewsRight(engine: Engine, views: readonly ('counts' | 'totals')[]): Promise<void> {
  const sorted = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();
  for (const v of views) {
    const direct = sorted(rowsOf(await engine.execute(v === 'counts' ? COUNTS : TOTALS)));
    expect(sorted(rowsOf(await engine.execute(`SELECT * FROM ${v}`))), v).to.deep.equal(direct);
  }
}

describe('shared state between materialized views', () => {
  const dirs: string[] = [];
  const open = async (): Promise<Engine> => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-shared-'));
    dirs.push(dir);
    return Engine.open({ dataDir: dir });
  };

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps one copy of a join\'s inputs for two views, and stays right through changes, a drop and a restart', async () => {
    let engine = await open();
    const dir = dirs[dirs.length - 1] as string;
    const separate = await open();
    try {
      await load(engine);
      await load(separate);
      await separate.execute("SET 'table.optimizer.shared-state.enabled' = 'false'");

      await engine.execute(`CREATE MATERIALIZED VIEW counts AS ${COUNTS}`);
      const one = await totalState(engine);
      await engine.execute(`CREATE MATERIALIZED VIEW totals AS ${TOTALS}`);
      const two = await totalState(engine);
      await separate.execute(`CREATE MATERIALIZED VIEW counts AS ${COUNTS}`);
      const oneAlone = await totalState(separate);
      await separate.execute(`CREATE MATERIALIZED VIEW totals AS ${TOTALS}`);
      const twoAlone = await totalState(separate);

      // The second view adds its aggregate and its few result rows, not another copy of the join's inputs.
      expect(two.bytes, 'two views sharing').to.be.below(one.bytes * 1.1);
      expect(two.keys, 'two views sharing').to.be.below(one.keys * 1.1);
      // Without sharing, each view keeps its own copy: the state doubles.
      expect(twoAlone.bytes, 'two views each keeping their own').to.be.above(oneAlone.bytes * 1.8);
      if (process.env['EDDY_FIGURES'] !== undefined) console.log({ one, two, oneAlone, twoAlone });
      const arrangements = rowsOf(await engine.execute("SELECT detail FROM eddy_operator_stats WHERE kind = 'Arrangement' ORDER BY detail"));
      expect(arrangements.map((r) => r[0])).to.deep.equal(['customers(cust) for jobs 1, 2', 'orders(cust) for jobs 1, 2']);

      const explain = rowsOf(await engine.execute(`EXPLAIN CHANGELOG_MODE CREATE MATERIALIZED VIEW again AS ${TOTALS}`)).map((r) => r[0]).join('\n');
      expect(explain).to.contain('shared=[left: orders(cust) with jobs 1, 2; right: customers(cust) with jobs 1, 2]');

      await expectViewsRight(engine, ['counts', 'totals']);
      await engine.execute('INSERT INTO orders VALUES (5000, 3, 10), (5001, 3, 20), (5002, 49, 30)');
      await engine.execute("UPDATE customers SET region = 'moved' WHERE cust = 3");
      await engine.execute('DELETE FROM orders WHERE id < 100');
      await engine.execute('INSERT INTO customers VALUES (99, \'new\')');
      await engine.execute('INSERT INTO orders VALUES (5003, 99, 1), (5004, 98, 1)');
      await engine.execute('DELETE FROM customers WHERE cust = 49');
      await expectViewsRight(engine, ['counts', 'totals']);

      await engine.execute('DROP MATERIALIZED VIEW counts');
      await engine.execute('INSERT INTO orders VALUES (6000, 1, 5)');
      await engine.execute('DELETE FROM orders WHERE cust = 2');
      await expectViewsRight(engine, ['totals']);
      const left = rowsOf(await engine.execute("SELECT detail FROM eddy_operator_stats WHERE kind = 'Arrangement' ORDER BY detail"));
      expect(left.map((r) => r[0])).to.deep.equal(['customers(cust) for job 2', 'orders(cust) for job 2']);

      // A restart restores the arrangements with the view that reads them.
      await engine.close();
      engine = await Engine.open({ dataDir: dir });
      await engine.execute('INSERT INTO orders VALUES (7000, 4, 9)');
      await expectViewsRight(engine, ['totals']);

      await engine.execute('DROP MATERIALIZED VIEW totals');
      expect(rowsOf(await engine.execute("SELECT count(*) FROM eddy_operator_stats WHERE kind = 'Arrangement'"))).to.deep.equal([[0]]);
    } finally {
      await engine.close();
      await separate.close();
    }
  });
});
