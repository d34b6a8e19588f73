// Property: for random event streams with bounded disorder, every window view equals the batch GROUP BY over the same windows computed by DuckDB.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';
import { rng } from '../operators/harness.js';

/** Event times are whole seconds after this instant. */
const BASE_SECONDS = Date.UTC(2024, 0, 1) / 1000;
const SECOND = 1_000_000;

interface Event {
  readonly k: number;
  readonly v: number;
  /** Seconds after BASE. */
  readonly t: number;
}

/**
 * `n` events over about `span` seconds, in an arrival order where no event is more
 * than `disorder` seconds older than the newest one before it: with a watermark
 * `disorder` seconds behind, none is late.
 */
function stream(seed: number, n: number, span: number, disorder: number, keys: number): Event[] {
  const r = rng(seed);
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    events.push({ k: Math.floor(r() * keys), v: Math.floor(r() * 100) - 20, t: Math.floor(r() * span) });
  }
  // Arrival: by time plus a jitter of up to `disorder` seconds; so a later arrival is at most `disorder` older.
  const arrival = events.map((e) => ({ e, at: e.t + r() * disorder }));
  arrival.sort((a, b) => a.at - b.at);
  return arrival.map((a) => a.e);
}

function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error('expected rows');
  return [...last.rows];
}

/** Rows as sorted strings: windows as seconds since the epoch (windows align to it), every value a number. */
function normal(rows: readonly (readonly unknown[])[]): string[] {
  return rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)).join(' ')).sort();
}

interface WindowCase {
  readonly name: string;
  /** The window table function call over `ev`. */
  readonly tvf: string;
  /** DuckDB: each event's windows (ws, we), in seconds since the epoch like its time `t`. */
  readonly duckWindows: string;
}

const cases: readonly WindowCase[] = [
  {
    name: 'TUMBLE 10 s',
    tvf: "TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)",
    duckWindows: 'SELECT k, v, floor(t / 10) * 10 AS ws, floor(t / 10) * 10 + 10 AS we FROM ev',
  },
  {
    name: 'TUMBLE 7 s offset 3 s',
    tvf: "TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '7' SECOND, INTERVAL '3' SECOND)",
    duckWindows: 'SELECT k, v, floor((t - 3) / 7) * 7 + 3 AS ws, floor((t - 3) / 7) * 7 + 10 AS we FROM ev',
  },
  {
    // Each event is in the size/slide = 5 windows starting at the slide points up to it.
    name: 'HOP 10 s / 2 s',
    tvf: "HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)",
    duckWindows: 'SELECT k, v, (floor(t / 2) - j) * 2 AS ws, (floor(t / 2) - j) * 2 + 10 AS we FROM ev, range(0, 5) r(j)',
  },
  {
    // A slide that does not divide the size: windows start every 4 s and last 10 s (ws in (t - 10, t]).
    name: 'HOP 10 s / 4 s',
    tvf: "HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '4' SECOND, INTERVAL '10' SECOND)",
    duckWindows: 'SELECT k, v, (floor(t / 4) - j) * 4 AS ws, (floor(t / 4) - j) * 4 + 10 AS we FROM ev, range(0, 3) r(j) WHERE (floor(t / 4) - j) * 4 > t - 10',
  },
  {
    // Periods of 12 s; an event is in every window of its period ending after it (ends every 3 s).
    name: 'CUMULATE 3 s / 12 s',
    tvf: "CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '3' SECOND, INTERVAL '12' SECOND)",
    duckWindows: 'SELECT k, v, floor(t / 12) * 12 AS ws, floor(t / 12) * 12 + j * 3 AS we FROM ev, range(1, 5) r(j) WHERE floor(t / 12) * 12 + j * 3 > t',
  },
];

/** Sessions of `gap` seconds per key, by hand: sorted times split where the gap exceeds `gap` (touching rows share one). */
function sessions(events: readonly Event[], gap: number): string[] {
  const byKey = new Map<number, Event[]>();
  for (const e of events) {
    const list = byKey.get(e.k) ?? [];
    list.push(e);
    byKey.set(e.k, list);
  }
  const out: string[] = [];
  for (const [k, list] of byKey) {
    list.sort((a, b) => a.t - b.t);
    let start = (list[0] as Event).t;
    let last = start;
    let n = 0;
    let sum = 0;
    for (const e of list) {
      if (e.t > last + gap) {
        out.push([k, start, last + gap, n, sum].join(' '));
        start = e.t;
        n = 0;
        sum = 0;
      }
      last = e.t;
      n++;
      sum += e.v;
    }
    out.push([k, start, last + gap, n, sum].join(' '));
  }
  return out.sort();
}

describe('windows: random streams with bounded disorder against DuckDB', function () {
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

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: TUMBLE, HOP, CUMULATE and SESSION views equal the batch GROUP BY once all windows are closed`, async () => {
      const disorder = 5;
      const events = stream(seed, 1500, 600, disorder, 4);
      const dir = mkdtempSync(join(tmpdir(), 'eddy-windows-prop-'));
      const engine = await Engine.open({ dataDir: dir });
      try {
        await engine.execute(`CREATE TABLE ev (k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '${disorder}' SECOND)`);
        // Views are created before the data, so they are maintained incrementally as it arrives.
        for (const [i, c] of cases.entries()) {
          await engine.execute(`CREATE MATERIALIZED VIEW w${i} AS
            SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi
            FROM TABLE(${c.tvf}) WHERE k >= 0 GROUP BY k, window_start, window_end`);
        }
        await engine.execute(`CREATE MATERIALIZED VIEW sess AS
          SELECT k, window_start, window_end, COUNT(*) AS n, SUM(v) AS s
          FROM TABLE(SESSION(TABLE ev PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) WHERE k >= 0 GROUP BY k, window_start, window_end`);
        const r = rng(seed * 7919);
        for (let i = 0; i < events.length;) {
          const n = 1 + Math.floor(r() * 60);
          const batch = events.slice(i, i + n);
          i += n;
          const values = batch.map((e) => `(${e.k}, ${e.v}, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '${e.t}' SECOND)`);
          await engine.execute(`INSERT INTO ev VALUES ${values.join(', ')}`);
        }
        // Nothing was late: the disorder stayed within the watermark's delay.
        expect(rowsOf(await engine.execute('SELECT COUNT(*) FROM eddy_late_rows'))).to.deep.equal([[0]]);
        // A far-future row (key -1, filtered out of the views) closes every window.
        await engine.execute("INSERT INTO ev VALUES (-1, 0, TIMESTAMP '2024-01-02 00:00:00')");

        await conn.run('DROP TABLE IF EXISTS ev');
        await conn.run('CREATE TABLE ev (k INTEGER, v INTEGER, t BIGINT)');
        for (let i = 0; i < events.length; i += 500) {
          const chunk = events.slice(i, i + 500).map((e) => `(${e.k}, ${e.v}, ${BASE_SECONDS + e.t})`);
          await conn.run(`INSERT INTO ev VALUES ${chunk.join(', ')}`);
        }
        for (const [i, c] of cases.entries()) {
          const eddy = rowsOf(await engine.execute(`SELECT k, window_start, window_end, n, s, lo, hi FROM w${i}`))
            .map((row) => [row[0], (row[1] as number) / SECOND, (row[2] as number) / SECOND, row[3], row[4], row[5], row[6]]);
          const expected = (await conn.runAndReadAll(`SELECT k, ws, we, count(*), sum(v), min(v), max(v)
            FROM (${c.duckWindows}) GROUP BY k, ws, we`)).getRows();
          const got = normal(eddy);
          const want = normal(expected);
          const missing = want.filter((x) => !got.includes(x)).slice(0, 5);
          const extra = got.filter((x) => !want.includes(x)).slice(0, 5);
          expect({ missing, extra, count: got.length }, c.name).to.deep.equal({ missing: [], extra: [], count: want.length });
          expect(eddy.length, c.name).to.be.greaterThan(0);
        }
        const eddySessions = rowsOf(await engine.execute('SELECT k, window_start, window_end, n, s FROM sess'))
          .map((row) => [row[0], (row[1] as number) / SECOND - BASE_SECONDS, (row[2] as number) / SECOND - BASE_SECONDS, row[3], row[4]].join(' '));
        expect(eddySessions.sort(), 'SESSION 3 s').to.deep.equal(sessions(events, 3));
      } finally {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
