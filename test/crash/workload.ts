// The crash harness's workload: a schema of tables feeding aggregations, joins, top-N, deduplication,
// set operations, windows, an INSERT job, a file sink, and a seeded stream of writes into it.

import { rng } from '../operators/harness.js';

/** Run once, before any crash. */
export const SETUP: readonly string[] = [
  'CREATE TABLE acct (id INT, owner INT, balance BIGINT, PRIMARY KEY (id) NOT ENFORCED)',
  'CREATE TABLE owners (owner INT, region STRING, PRIMARY KEY (owner) NOT ENFORCED)',
  'CREATE TABLE events (id BIGINT, acct INT, amount BIGINT)',
  "CREATE TABLE ev (id BIGINT, k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)",
  'CREATE TABLE big_spenders (acct INT, s BIGINT, PRIMARY KEY (acct) NOT ENFORCED)',
  'CREATE MATERIALIZED VIEW by_owner AS SELECT owner, count(*) AS n, sum(balance) AS total, max(balance) AS top, min(balance) AS low FROM acct GROUP BY owner',
  'CREATE MATERIALIZED VIEW by_region AS SELECT o.region, count(*) AS n, sum(a.balance) AS total FROM acct a JOIN owners o ON a.owner = o.owner GROUP BY o.region',
  'CREATE MATERIALIZED VIEW orphans AS SELECT a.id, o.region FROM acct a LEFT JOIN owners o ON a.owner = o.owner WHERE o.region IS NULL',
  'CREATE MATERIALIZED VIEW event_totals AS SELECT acct, count(*) AS n, sum(amount) AS s, count(DISTINCT amount % 7) AS kinds FROM events GROUP BY acct',
  'INSERT INTO big_spenders SELECT acct, s FROM event_totals WHERE s > 2000',
  'CREATE MATERIALIZED VIEW spenders AS SELECT count(*) AS n, sum(s) AS total FROM big_spenders',
  'CREATE MATERIALIZED VIEW top3 AS SELECT id, balance, rn FROM (SELECT id, balance, ROW_NUMBER() OVER (ORDER BY balance DESC, id) AS rn FROM acct) WHERE rn <= 3',
  'CREATE MATERIALIZED VIEW first_event AS SELECT acct, id, amount FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY acct ORDER BY id) AS rn FROM events) WHERE rn = 1',
  'CREATE MATERIALIZED VIEW quiet_owners AS SELECT owner FROM owners EXCEPT SELECT owner FROM acct',
  "CREATE MATERIALIZED VIEW windows AS SELECT window_start, window_end, count(*) AS n, sum(k) AS s FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
];

/**
 * Run once, after SETUP: a partitioned file sink at `path` fed by an INSERT job over `events`. Each engine writes
 * its own directory; what is compared is what the files published at a checkpoint hold.
 */
export function fileSinkSetup(path: string): string[] {
  return [
    `CREATE TABLE events_out (id BIGINT, amount BIGINT, bucket INT) PARTITIONED BY (bucket) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'csv')`,
    'INSERT INTO events_out SELECT id, amount, acct % 4 FROM events',
  ];
}

/** The file sink's published rows, compared once both engines took a checkpoint (which publishes everything written). */
export const PUBLISHED = 'SELECT * FROM events_out ORDER BY id';

/** What is compared after each restart: every table and view, in a total order. */
export const RELATIONS: readonly string[] = [
  'SELECT * FROM acct ORDER BY id',
  'SELECT * FROM owners ORDER BY owner',
  'SELECT * FROM events ORDER BY id',
  'SELECT * FROM ev ORDER BY id',
  'SELECT * FROM big_spenders ORDER BY acct',
  'SELECT * FROM by_owner ORDER BY owner',
  'SELECT * FROM by_region ORDER BY region',
  'SELECT * FROM orphans ORDER BY id',
  'SELECT * FROM event_totals ORDER BY acct',
  'SELECT * FROM spenders',
  'SELECT * FROM top3 ORDER BY rn',
  'SELECT * FROM first_event ORDER BY acct',
  'SELECT * FROM quiet_owners ORDER BY owner',
  'SELECT * FROM windows ORDER BY window_start',
];

/**
 * A deterministic stream of writes: upserts, updates and deletes of accounts
 * and owners, appends of events, and event-time rows mostly in order (some
 * late, some raising the watermark).
 */
export class Workload {
  private readonly r: () => number;
  private eventId = 0;
  private evId = 0;
  private evTime = 0;
  /** Statements produced so far. */
  count = 0;

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  /** An append to `events` (what the file sink writes). */
  events(): string {
    this.count++;
    const rows = Array.from({ length: 1 + this.int(8) }, () => `(${++this.eventId}, ${this.int(40)}, ${this.int(300)})`);
    return `INSERT INTO events VALUES ${rows.join(', ')}`;
  }

  next(): string {
    this.count++;
    const p = this.r();
    if (p < 0.3) {
      const rows = Array.from({ length: 1 + this.int(5) }, () => `(${this.int(120)}, ${this.int(15)}, ${this.int(1000) - 100})`);
      return `INSERT INTO acct VALUES ${rows.join(', ')}`;
    }
    if (p < 0.42) return `UPDATE acct SET balance = balance + ${this.int(50) - 20} WHERE id % ${2 + this.int(9)} = ${this.int(2)}`;
    if (p < 0.48) return `UPDATE acct SET owner = ${this.int(15)} WHERE id = ${this.int(120)}`;
    if (p < 0.55) return `DELETE FROM acct WHERE id BETWEEN ${this.int(120)} AND ${this.int(120)}`;
    if (p < 0.62) return `INSERT INTO owners VALUES (${this.int(15)}, 'r${this.int(4)}')`;
    if (p < 0.65) return `DELETE FROM owners WHERE owner = ${this.int(15)}`;
    if (p < 0.85) {
      this.count--;
      return this.events();
    }
    const rows = Array.from({ length: 1 + this.int(4) }, () => {
      // Mostly forward in time; now and then a row from up to 12 s back (late once the watermark passed its window).
      this.evTime += this.int(1500);
      const t = Math.max(0, this.evTime - (this.r() < 0.15 ? this.int(12_000) : 0));
      return `(${++this.evId}, ${this.int(10)}, TIMESTAMP '${timestamp(t)}')`;
    });
    return `INSERT INTO ev VALUES ${rows.join(', ')}`;
  }
}

function timestamp(ms: number): string {
  return new Date(Date.UTC(2024, 0, 1) + ms).toISOString().replace('T', ' ').replace('Z', '');
}
