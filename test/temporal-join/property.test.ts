// Property: for random rate histories (updates, deletions, disorder within the delay) and orders, the event-time temporal join equals DuckDB's ASOF JOIN once all watermarks have passed.

import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';
import { rng } from '../operators/harness.js';

const CURRENCIES = ['EUR', 'USD', 'JPY', 'GBP'];
/** Seeds run by `npm test`; EDDY_TEMPORAL_SEEDS=n runs seeds 1..n instead (for a longer search). */
const seeds = process.env['EDDY_TEMPORAL_SEEDS'] === undefined
  ? [1, 2, 3]
  : Array.from({ length: Number(process.env['EDDY_TEMPORAL_SEEDS']) }, (_, i) => i + 1);
const RATES_DELAY = 5;
const ORDERS_DELAY = 3;

/** One write, in arrival order. Times are seconds after 2024-01-01 00:00:00. */
type Write =
  | { readonly kind: 'rate'; readonly cur: string; readonly rate: number; readonly t: number }
  | { readonly kind: 'delete'; readonly cur: string }
  | { readonly kind: 'order'; readonly id: number; readonly cur: string | null; readonly price: number; readonly t: number };

/**
 * Rates and orders over `span` seconds, interleaved in arrival order. Each stream's
 * arrivals are at most its watermark delay out of order, so nothing is late; a rate's
 * time is unique within its currency (two versions at one time would make "the"
 * version ambiguous). Some writes delete a currency's row.
 */
function history(seed: number, rates: number, orders: number, span: number): Write[] {
  const r = rng(seed);
  const timed: { w: Write; at: number }[] = [];
  const used = new Set<string>();
  for (let i = 0; i < rates; i++) {
    const cur = CURRENCIES[Math.floor(r() * CURRENCIES.length)] as string;
    let t = Math.floor(r() * span);
    while (used.has(`${cur}@${t}`)) t = Math.floor(r() * span);
    used.add(`${cur}@${t}`);
    const w: Write = r() < 0.08 ? { kind: 'delete', cur } : { kind: 'rate', cur, rate: 1 + Math.floor(r() * 100), t };
    timed.push({ w, at: t + r() * RATES_DELAY });
  }
  for (let id = 0; id < orders; id++) {
    const t = Math.floor(r() * span);
    const cur = r() < 0.05 ? null : r() < 0.1 ? 'CHF' : (CURRENCIES[Math.floor(r() * CURRENCIES.length)] as string);
    timed.push({ w: { kind: 'order', id, cur, price: 1 + Math.floor(r() * 10), t }, at: t + r() * ORDERS_DELAY });
  }
  timed.sort((a, b) => a.at - b.at);
  return timed.map((x) => x.w);
}

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error('expected rows');
  return [...last.rows];
}

function ts(seconds: number): string {
  return `TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '${seconds}' SECOND`;
}

function normal(rows: readonly (readonly unknown[])[]): string[] {
  return rows.map((r) => r.map((v) => (v === null ? 'NULL' : typeof v === 'bigint' ? String(Number(v)) : String(v))).join(' ')).sort();
}

/**
 * The versions the join should see, replayed from the writes as the engine applies them:
 * a rate row is a version at its time; a DELETE ends the currency's validity at the
 * rates' watermark then (max time written minus the delay), or at the deleted row's own
 * time if later. A later version at the same time replaces an earlier one.
 */
function versionsOf(writes: readonly Write[]): { cur: string; t: number; rate: number | null }[] {
  const versions = new Map<string, { cur: string; t: number; rate: number | null }>();
  const current = new Map<string, number>();
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const w of writes) {
    if (w.kind === 'rate') {
      versions.set(`${w.cur}@${w.t}`, { cur: w.cur, t: w.t, rate: w.rate });
      current.set(w.cur, w.t);
      maxTime = Math.max(maxTime, w.t);
    } else if (w.kind === 'delete') {
      const own = current.get(w.cur);
      if (own === undefined) continue;
      current.delete(w.cur);
      const at = Math.max(maxTime - RATES_DELAY, own);
      versions.set(`${w.cur}@${at}`, { cur: w.cur, t: at, rate: null });
    }
  }
  return [...versions.values()];
}

/** The versioned view's versions: each row that was the latest of its currency by time when it arrived. */
function viewVersionsOf(writes: readonly Write[]): { cur: string; t: number; rate: number | null }[] {
  const latest = new Map<string, number>();
  const out: { cur: string; t: number; rate: number | null }[] = [];
  for (const w of writes) {
    if (w.kind !== 'rate') continue;
    const last = latest.get(w.cur);
    if (last !== undefined && w.t < last) continue;
    latest.set(w.cur, w.t);
    out.push({ cur: w.cur, t: w.t, rate: w.rate });
  }
  return out;
}

describe('temporal join: random rate histories against DuckDB ASOF JOIN', function () {
  this.timeout(120_000);
  let duck: DuckDBInstance;
  let conn: DuckDBConnection;

  before(async () => {
    duck = await DuckDBInstance.create(':memory:', { threads: '1' });
    conn = await duck.connect();
  });

  after(() => {
    conn.closeSync();
  });

  async function loadReference(writes: readonly Write[]): Promise<void> {
    await conn.run('DROP TABLE IF EXISTS orders');
    await conn.run('DROP TABLE IF EXISTS versions');
    await conn.run('DROP TABLE IF EXISTS view_versions');
    await conn.run('CREATE TABLE orders (id INTEGER, cur VARCHAR, price DOUBLE, t BIGINT)');
    await conn.run('CREATE TABLE versions (cur VARCHAR, t BIGINT, rate DOUBLE, deleted BOOLEAN)');
    await conn.run('CREATE TABLE view_versions (cur VARCHAR, t BIGINT, rate DOUBLE, deleted BOOLEAN)');
    const orders = writes.filter((w): w is Extract<Write, { kind: 'order' }> => w.kind === 'order');
    for (let i = 0; i < orders.length; i += 500) {
      const chunk = orders.slice(i, i + 500).map((o) => `(${o.id}, ${o.cur === null ? 'NULL' : `'${o.cur}'`}, ${o.price}, ${o.t})`);
      await conn.run(`INSERT INTO orders VALUES ${chunk.join(', ')}`);
    }
    for (const [table, versions] of [['versions', versionsOf(writes)], ['view_versions', viewVersionsOf(writes)]] as const) {
      for (let i = 0; i < versions.length; i += 500) {
        const chunk = versions.slice(i, i + 500).map((v) => `('${v.cur}', ${v.t}, ${v.rate ?? 'NULL'}, ${v.rate === null})`);
        if (chunk.length > 0) await conn.run(`INSERT INTO ${table} VALUES ${chunk.join(', ')}`);
      }
    }
  }

  async function reference(sql: string): Promise<string[]> {
    return normal((await conn.runAndReadAll(sql)).getRows());
  }

  for (const seed of seeds) {
    it(`seed ${seed}: INNER, LEFT, LEFT with a residual, and over a versioned view`, async () => {
      const writes = history(seed, 250, 500, 600);
      // In memory where the system has it: every statement waits for its commit to be durable.
      const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'eddy-temporal-prop-'));
      const engine = await Engine.open({ dataDir: dir });
      try {
        await engine.execute(`CREATE TABLE rates (cur VARCHAR, rate DOUBLE, ts TIMESTAMP(3),
          WATERMARK FOR ts AS ts - INTERVAL '${RATES_DELAY}' SECOND, PRIMARY KEY (cur) NOT ENFORCED)`);
        await engine.execute(`CREATE TABLE rates_log (cur VARCHAR, rate DOUBLE, ts TIMESTAMP(3),
          WATERMARK FOR ts AS ts - INTERVAL '${RATES_DELAY}' SECOND)`);
        await engine.execute(`CREATE TABLE orders (id INT, cur VARCHAR, price DOUBLE, ts TIMESTAMP(3),
          WATERMARK FOR ts AS ts - INTERVAL '${ORDERS_DELAY}' SECOND)`);
        await engine.execute(`CREATE VIEW versioned AS SELECT cur, rate, ts FROM (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY cur ORDER BY ts DESC) AS rn FROM rates_log) WHERE rn = 1`);
        // Views first, so they follow every write as it comes.
        const joins = {
          inner: 'FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur',
          left: 'FROM orders AS o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur',
          residual: 'FROM orders AS o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur AND r.rate > 50',
          view: 'FROM orders AS o JOIN versioned FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur',
        };
        for (const [name, from] of Object.entries(joins)) {
          await engine.execute(`CREATE MATERIALIZED VIEW j_${name} AS SELECT o.id, r.rate, o.price * r.rate AS amount ${from} WHERE o.id >= 0`);
        }
        // Writes go in as statements of up to 40 rows: each chunk's rates and its orders,
        // in a random order of the two. That keeps each stream in its own order, so its
        // disorder stays within its delay, and a DELETE where it was among the rates.
        const r = rng(seed * 7919);
        const rateRows: string[] = [];
        const orderRows: string[] = [];
        const flush = async (): Promise<void> => {
          const ratesFirst = r() < 0.5;
          const insertRates = async (): Promise<void> => {
            if (rateRows.length === 0) return;
            await engine.execute(`INSERT INTO rates VALUES ${rateRows.join(', ')}`);
            await engine.execute(`INSERT INTO rates_log VALUES ${rateRows.join(', ')}`);
          };
          const insertOrders = async (): Promise<void> => {
            if (orderRows.length > 0) await engine.execute(`INSERT INTO orders VALUES ${orderRows.join(', ')}`);
          };
          if (ratesFirst) await insertRates();
          await insertOrders();
          if (!ratesFirst) await insertRates();
          rateRows.length = 0;
          orderRows.length = 0;
        };
        let chunk = 1 + Math.floor(r() * 40);
        for (const w of writes) {
          if (w.kind === 'delete') {
            await flush();
            await engine.execute(`DELETE FROM rates WHERE cur = '${w.cur}'`);
            continue;
          }
          if (w.kind === 'rate') rateRows.push(`('${w.cur}', ${w.rate}, ${ts(w.t)})`);
          else orderRows.push(`(${w.id}, ${w.cur === null ? 'NULL' : `'${w.cur}'`}, ${w.price}, ${ts(w.t)})`);
          if (--chunk === 0) {
            await flush();
            chunk = 1 + Math.floor(r() * 40);
          }
        }
        await flush();
        // Disorder stayed within the delays: nothing was late.
        expect(rowsOf(await engine.execute('SELECT COUNT(*) FROM eddy_late_rows'))).to.deep.equal([[0]]);
        // Far-future rows (an order filtered out of the views, a rate of another currency) move both watermarks past everything.
        await engine.execute(`INSERT INTO orders VALUES (-1, 'ZZZ', 0, ${ts(100_000)})`);
        await engine.execute(`INSERT INTO rates VALUES ('ZZZ', 1, ${ts(100_000)})`);
        await engine.execute(`INSERT INTO rates_log VALUES ('ZZZ', 1, ${ts(100_000)})`);

        await loadReference(writes);
        const asof = (versions: string, kind: 'INNER' | 'LEFT', residual: string): string => `
          SELECT o.id, CASE WHEN v.deleted OR NOT (${residual}) THEN NULL ELSE v.rate END AS rate,
                 CASE WHEN v.deleted OR NOT (${residual}) THEN NULL ELSE o.price * v.rate END AS amount
          FROM orders o ASOF ${kind === 'LEFT' ? 'LEFT ' : ''}JOIN ${versions} v ON o.cur = v.cur AND o.t >= v.t
          ${kind === 'INNER' ? `WHERE NOT v.deleted AND (${residual})` : ''}`;
        const expected: Record<keyof typeof joins, string> = {
          inner: asof('versions', 'INNER', 'true'),
          left: asof('versions', 'LEFT', 'true'),
          residual: asof('versions', 'LEFT', 'v.rate > 50'),
          view: asof('view_versions', 'INNER', 'true'),
        };
        for (const name of Object.keys(joins) as (keyof typeof joins)[]) {
          const got = normal(rowsOf(await engine.execute(`SELECT * FROM j_${name}`)));
          const want = await reference(expected[name]);
          const missing = want.filter((x) => !got.includes(x)).slice(0, 5);
          const extra = got.filter((x) => !want.includes(x)).slice(0, 5);
          expect({ missing, extra, count: got.length }, name).to.deep.equal({ missing: [], extra: [], count: want.length });
        }
        // Every order came out of the LEFT join; the INNER join matched some and not all.
        const orders = writes.filter((w) => w.kind === 'order').length;
        expect(rowsOf(await engine.execute('SELECT COUNT(*) FROM j_left'))).to.deep.equal([[orders]]);
        const inner = rowsOf(await engine.execute('SELECT COUNT(*) FROM j_inner'))[0]?.[0] as number;
        expect(inner).to.be.within(1, orders - 1);
        // With the watermark past every version, each join keeps at most one version per
        // currency, the far-future rate with its expiry entry, its progress and its order
        // counter (the far-future order is filtered out before the join).
        const states = rowsOf(await engine.execute("SELECT state_keys FROM eddy_operator_stats WHERE kind = 'TemporalJoin'"));
        expect(states.length).to.equal(4);
        for (const [keys] of states) expect(keys as number).to.be.at.most(CURRENCIES.length + 1 + 1 + 1 + 1);
      } finally {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
