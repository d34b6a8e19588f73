// Runs one seed of the differential test: the same tables, views and DML in Eddy and in DuckDB, compared after every batch.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';
import { diffRows, duckRows, eddyRows, formatRow, type CellRow, type RowDiff } from './compare.js';
import type { Shape } from './queries.js';
import { Random } from './random.js';
import { duckCreateTable, eddyCreateTable, generateSchema } from './schema.js';
import { generateBatches } from './workload.js';

/** What the base tables are checked under (their contents after the DML, not a view). */
export const TABLES_CHECK = 'base-tables';

export interface Failure {
  readonly seed: number;
  /** The shape's name, or TABLES_CHECK. */
  readonly shape: string;
  /** The view's query (or the table read). */
  readonly sql: string;
  /** Batches applied when it was found (0: none yet, views just created on empty tables). */
  readonly batch: number;
  /** Eddy rejected the query or a read failed; otherwise the rows differ. */
  readonly error?: string;
  readonly diff?: RowDiff;
  /** An Eddy SQL script that replays the seed up to the failure (for `eddy run`). */
  readonly script: string;
}

/** One shape's query for a seed: the query (inlined, as DuckDB runs it) and Eddy's statements creating it as view `name`. */
export interface ViewPlan {
  readonly shape: Shape;
  readonly sql: string;
  readonly create: (name: string) => string[];
}

export interface SeedOptions {
  readonly shapes: readonly Shape[];
  readonly batches: number;
}

/** FNV-1a: per-shape random streams, so adding a shape does not change the others' queries. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The differential runner: a fresh Eddy engine and a fresh DuckDB database
 * per seed, so a seed replays alone exactly as it ran among others.
 */
export class DifferentialRunner {
  private readonly dir = mkdtempSync(join(tmpdir(), 'eddy-diff-'));

  /** The query each shape builds for `seed` (what a replay runs). */
  static queries(seed: number, shapes: readonly Shape[]): ViewPlan[] {
    const schema = generateSchema(new Random(seed));
    return shapes.map((shape) => {
      const q = shape.generate(schema, new Random(hash(`${seed}/${shape.name}`)));
      if (typeof q === 'string') return { shape, sql: q, create: (name) => [`CREATE MATERIALIZED VIEW ${name} AS ${q}`] };
      return {
        shape,
        sql: q.outer(`(${q.inner}) base`),
        create: (name) => [`CREATE MATERIALIZED VIEW ${name}_base AS ${q.inner}`, `CREATE MATERIALIZED VIEW ${name} AS ${q.outer(`${name}_base`)}`],
      };
    });
  }

  async runSeed(seed: number, options: SeedOptions): Promise<Failure[]> {
    // One thread: the queries are tiny, and hand-offs between threads cost more than they save.
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const duck = await instance.connect();
    // The oracle takes its simplest plans: DuckDB 1.5's top-N rewrites (a
    // dynamic filter pushed into the scan, window top-N elimination) have
    // returned wrong rows for ORDER BY .. NULLS LAST LIMIT in a long run.
    await duck.run(`SET disabled_optimizers = 'top_n,top_n_window_elimination'`);
    const schema = generateSchema(new Random(seed));
    const workload = new Random(hash(`${seed}/workload`));
    const batches = generateBatches(schema, workload, options.batches);
    const preload = workload.chance(0.5);
    const views = DifferentialRunner.queries(seed, options.shapes);

    const failures: Failure[] = [];
    // The replay script: DDL and DML in order, each view's CREATE where it happened;
    // statements on tables the failing query does not read are left out.
    const log: { sql: string; table?: string; view?: number }[] = [];
    const script = (view: number | undefined, read: string): string => {
      const query = view === undefined ? read : (views[view]?.sql ?? '');
      const reads = (table: string): boolean => new RegExp(`\\b${table}\\b`).test(query);
      const kept = log.filter((l) => (l.view === undefined ? l.table === undefined || reads(l.table) : l.view === view));
      return [...kept.map((l) => l.sql), ...(read ? [read] : [])].map((l) => `${l};`).join('\n');
    };

    const dataDir = join(this.dir, String(seed));
    const engine = await Engine.open({ dataDir });
    try {
      await duck.run(schema.tables.map(duckCreateTable).join('; '));
      for (const t of schema.tables) {
        await engine.execute(eddyCreateTable(t));
        log.push({ sql: eddyCreateTable(t), table: t.name });
      }

      let applied = 0;
      const applyBatch = async (): Promise<void> => {
        const batch = batches[applied] ?? [];
        applied++;
        // DuckDB in one call (one round trip), Eddy statement by statement (as clients send them).
        if (batch.length > 0) await duck.run(batch.flatMap((stmt) => stmt.duck).join('; '));
        for (const stmt of batch) {
          log.push({ sql: stmt.eddy, table: stmt.table });
          await engine.execute(stmt.eddy);
        }
      };
      if (preload) await applyBatch();

      // Most views start before the batches; some start later, so their backfill reads non-trivial contents.
      const startAt = views.map(({ shape }) => {
        const r = new Random(hash(`${seed}/${shape.name}/start`));
        return r.chance(0.25) ? r.between(applied + 1, batches.length) : applied;
      });
      const live = views.map(() => false);
      const startViews = async (): Promise<void> => {
        for (let v = 0; v < views.length; v++) {
          if (startAt[v] !== applied) continue;
          const { shape, sql, create } = views[v] as ViewPlan;
          try {
            for (const statement of create(`v${v}`)) {
              log.push({ sql: statement, view: v });
              await engine.execute(statement);
            }
            live[v] = true;
          } catch (err) {
            failures.push({ seed, shape: shape.name, sql, batch: applied, error: message(err), script: script(v, '') });
          }
        }
      };
      await startViews();

      const check = async (): Promise<void> => {
        const reads: Read[] = [];
        for (const t of schema.tables) {
          const read = `SELECT * FROM ${t.name}`;
          reads.push({ shape: TABLES_CHECK, sql: read, eddyRead: read, duckQuery: read });
        }
        for (let v = 0; v < views.length; v++) {
          if (!live[v]) continue;
          const { shape, sql } = views[v] as ViewPlan;
          reads.push({ shape: shape.name, sql, eddyRead: `SELECT * FROM v${v}`, duckQuery: sql, view: v });
        }
        const expected = await duckResults(duck, reads.map((r) => r.duckQuery));
        for (const [i, read] of reads.entries()) {
          const f = await compare(engine, read.eddyRead, expected[i] as CellRow[] | Error);
          if (!f) continue;
          // One failure per view and seed: after it the view's state has diverged.
          if (read.view !== undefined) live[read.view] = false;
          failures.push({ seed, shape: read.shape, sql: read.sql, batch: applied, ...f, script: script(read.view, read.eddyRead) });
        }
      };

      await check();
      while (applied < batches.length) {
        try {
          await applyBatch();
          await startViews();
        } catch (err) {
          failures.push({ seed, shape: TABLES_CHECK, sql: log[log.length - 1]?.sql ?? '', batch: applied, error: `DML failed: ${message(err)}`, script: script(undefined, '') });
          break;
        }
        await check();
      }
    } finally {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
      duck.closeSync();
      instance.closeSync();
    }
    return failures;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Read {
  readonly shape: string;
  readonly sql: string;
  readonly eddyRead: string;
  readonly duckQuery: string;
  readonly view?: number;
}

/** DuckDB's answers to `queries`; a query DuckDB rejects gets its error (a bug in the shape, not in Eddy). */
async function duckResults(duck: DuckDBConnection, queries: readonly string[]): Promise<(CellRow[] | Error)[]> {
  const out: (CellRow[] | Error)[] = [];
  for (const q of queries) {
    try {
      out.push(duckRows((await duck.runAndReadAll(q)).getRows()));
    } catch (err) {
      out.push(new Error(`DuckDB rejected the query: ${message(err)}`));
    }
  }
  return out;
}

/** Compares Eddy's `eddyRead` with DuckDB's rows; undefined when they agree. */
async function compare(engine: Engine, eddyRead: string, expected: CellRow[] | Error): Promise<{ error: string } | { diff: RowDiff } | undefined> {
  if (expected instanceof Error) return { error: expected.message };
  let results: StatementResult[];
  try {
    results = await engine.execute(eddyRead);
  } catch (err) {
    return { error: message(err) };
  }
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') return { error: `expected rows from "${eddyRead}"` };
  const diff = diffRows(eddyRows(last.rows), expected);
  return diff.eddyOnly.length === 0 && diff.duckOnly.length === 0 ? undefined : { diff };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A failure as the test reports it: enough to replay and to file a bug. */
export function describeFailure(f: Failure): string {
  const lines = [
    `seed ${f.seed}, after batch ${f.batch} (replay: EDDY_DIFF_SEED=${f.seed} EDDY_DIFF_SHAPES=${f.shape})`,
    `query: ${f.sql}`,
  ];
  if (f.error !== undefined) lines.push(`error: ${f.error}`);
  if (f.diff) {
    lines.push(`rows only in Eddy (${f.diff.eddyOnly.length}):`, ...f.diff.eddyOnly.map((r) => `  ${formatRow(r)}`));
    lines.push(`rows only in DuckDB (${f.diff.duckOnly.length}):`, ...f.diff.duckOnly.map((r) => `  ${formatRow(r)}`));
  }
  lines.push('script:', ...f.script.split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}
