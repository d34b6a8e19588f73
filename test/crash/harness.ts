// The crash harness: `eddy serve` as a child process, fed a seeded workload over the wire, killed with SIGKILL at random
// instants, restarted, and checked against a failure-free run of the same acknowledged input.
//
//   node dist/test/crash/harness.js --crashes 200 --seed 1 [--verbose]
//
// Each round picks where to kill: at a random instant while statements stream in
// (ingest), a few milliseconds after a CHECKPOINT was sent (mid-checkpoint), the
// moment an acknowledgement arrives (right after a commit), or once a checkpoint is
// durable but before (or while) the file sink publishes its files (before-publish:
// the server kills itself there, see die-before-publish.ts). After the restart every
// table must hold exactly the acknowledged writes (plus, possibly, the one in flight
// when the process died, which may have become durable without its acknowledgement),
// every view must equal the same view in a reference engine that ran the same
// statements without ever crashing, and so must the rows the file sink published once
// both took a checkpoint.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { formatValue } from '../../common/pg-text.js';
import { Engine } from '../../executor/engine/engine.js';
import { listeningPort } from '../../bench/serve/server-process.js';
import { rng } from '../operators/harness.js';
import { fileSinkSetup, PUBLISHED, RELATIONS, SETUP, Workload } from './workload.js';

export type CrashMode = 'ingest' | 'checkpoint' | 'after-commit' | 'before-publish';

const MODES: readonly CrashMode[] = ['ingest', 'checkpoint', 'after-commit', 'before-publish'];

export interface CrashRunOptions {
  readonly crashes: number;
  readonly seed: number;
  readonly log?: (line: string) => void;
  /** Checkpoint interval the server runs with (SET after each start). */
  readonly interval?: string;
  /** Where to kill: drawn at random (default), or each kind in turn. */
  readonly modes?: 'random' | 'cycle';
}

export interface CrashRunSummary {
  readonly crashes: number;
  readonly byMode: Readonly<Record<CrashMode, number>>;
  /** Statements acknowledged over the run. */
  readonly acknowledged: number;
  /** Statements in flight at a kill that turned out durable anyway. */
  readonly inFlightApplied: number;
  readonly inFlightLost: number;
  /** Before-publish rounds where the server died between a durable checkpoint and its files' publication (the rest: killed after a wait). */
  readonly diedBeforePublish: number;
  /** Checkpoints the server completed, and failed, over the run. */
  readonly checkpoints: number;
  readonly failedCheckpoints: number;
  /** Slowest restart (process start to accepting queries), milliseconds. */
  readonly slowestRestartMs: number;
  /** Mismatches found (empty: the run passed). */
  readonly failures: readonly string[];
}

const root = new URL('../../../', import.meta.url).pathname;
const eddy = join(root, 'bin/eddy.js');
/** Loaded into the server: kills it before a file sink's rename once armed. */
const dieBeforePublish = new URL('./die-before-publish.js', import.meta.url).href;

interface Server {
  readonly child: ChildProcess;
  readonly client: pg.Client;
  readonly stderr: () => string;
}

/** Every value as the server's text (no client-side parsing), so both sides compare as text. */
const asText = { getTypeParser: () => (v: string) => v };

async function startServer(dataDir: string, arm: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', dieBeforePublish, eddy, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EDDY_CRASH_ARM: arm },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const port = await listeningPort(child, 60_000, () => err);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'eddy', database: 'eddy', types: asText });
  // A killed server drops the connection: that surfaces as the failed query, not as an unhandled event.
  client.on('error', () => {});
  await client.connect();
  return { child, client, stderr: () => err };
}

async function kill(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGKILL');
  await exited;
  await server.client.end().catch(() => undefined);
}

/** The reference's rows of `sql` as text, as the wire protocol would send them. */
async function referenceRows(engine: Engine, sql: string): Promise<string[]> {
  const [result] = await engine.execute(sql);
  if (!result || result.kind !== 'rows') throw new Error(`not a query: ${sql}`);
  return result.rows.map((row) => row.map((v, i) => formatValue(v, (result.columns[i] as { type: Parameters<typeof formatValue>[1] }).type) ?? 'NULL').join('|'));
}

async function serverRows(server: Server, sql: string): Promise<string[]> {
  const r = await server.client.query({ text: sql, rowMode: 'array' });
  return (r.rows as (string | null)[][]).map((row) => row.map((v) => v ?? 'NULL').join('|'));
}

/** The first difference between two row lists, or undefined. */
function diff(got: readonly string[], want: readonly string[]): string | undefined {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) return `row ${i + 1}: got ${got[i] ?? '(none)'}, want ${want[i] ?? '(none)'} (${got.length} rows, want ${want.length})`;
  }
  return undefined;
}

/** Queries that differ between the server and the reference, with how. */
async function compare(server: Server, reference: Engine, queries: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const q of queries) {
    const d = diff(await serverRows(server, q), await referenceRows(reference, q));
    if (d !== undefined) out.push(`${q}: ${d}`);
  }
  return out;
}

const TABLES = RELATIONS.filter((q) => / FROM (acct|owners|events|ev|big_spenders) /.test(`${q} `));

export async function runCrashTest(options: CrashRunOptions): Promise<CrashRunSummary> {
  const log = options.log ?? (() => {});
  const r = rng(options.seed * 7919 + 1);
  const workload = new Workload(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'eddy-crash-'));
  const dataDir = join(dir, 'server');
  const reference = await Engine.open({ dataDir: join(dir, 'reference') });
  await reference.execute("SET 'execution.checkpointing.interval' = 'off'");
  const interval = options.interval ?? '100ms';
  const byMode: Record<CrashMode, number> = { ingest: 0, checkpoint: 0, 'after-commit': 0, 'before-publish': 0 };
  const arm = join(dir, 'arm');
  let diedBeforePublish = 0;
  const failures: string[] = [];
  let acknowledged = 0;
  let inFlightApplied = 0;
  let inFlightLost = 0;
  let slowestRestartMs = 0;
  let server = await startServer(dataDir, arm);
  try {
    for (const sql of SETUP) {
      await server.client.query(sql);
      await reference.execute(sql);
    }
    // Each engine's file sink writes its own directory (made now: a read of a missing path fails).
    for (const [sink, run] of [[join(dir, 'server-out'), (q: string) => server.client.query(q)], [join(dir, 'reference-out'), (q: string) => reference.execute(q)]] as const) {
      mkdirSync(sink);
      for (const sql of fileSinkSetup(sink)) await run(sql);
    }
    for (let crash = 1; crash <= options.crashes && failures.length === 0; crash++) {
      await server.client.query(`SET 'execution.checkpointing.interval' = '${interval}'`);
      const pick = Math.floor(r() * MODES.length);
      const mode = MODES[options.modes === 'cycle' ? (crash - 1) % MODES.length : pick] as CrashMode;
      byMode[mode]++;
      const planned = 3 + Math.floor(r() * 40);
      const killDelayMs = mode === 'ingest' ? 10 + Math.floor(r() * 300) : Math.floor(r() * 15);
      let inFlight: string | undefined;
      let killed = false;
      const killNow = (): void => {
        if (killed) return;
        killed = true;
        server.child.kill('SIGKILL');
      };
      const timer = mode === 'ingest' ? setTimeout(killNow, killDelayMs) : undefined;
      try {
        for (let i = 0; !killed; i++) {
          if (mode !== 'ingest' && i === planned) {
            if (mode === 'after-commit') {
              killNow();
              break;
            }
            if (mode === 'before-publish') {
              // Armed: the first checkpoint with files to publish kills the server before its first rename, or after one.
              writeFileSync(arm, String(r() < 0.5 ? 0 : 1));
              const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
              const events = workload.events();
              inFlight = events;
              await server.client.query(events);
              inFlight = undefined;
              acknowledged++;
              await reference.execute(events);
              void server.client.query('CHECKPOINT').catch(() => undefined);
              await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
              if (server.child.signalCode === 'SIGKILL') diedBeforePublish++;
              killNow();
              break;
            }
            // Mid-checkpoint: the kill lands while the checkpoint is being written or synced.
            void server.client.query('CHECKPOINT').catch(() => undefined);
            await new Promise((resolve) => setTimeout(resolve, killDelayMs));
            killNow();
            break;
          }
          const sql = workload.next();
          inFlight = sql;
          await server.client.query(sql);
          // Acknowledged: from here on the write must survive.
          inFlight = undefined;
          acknowledged++;
          await reference.execute(sql);
        }
      } catch {
        // The connection died with the process.
      }
      if (timer !== undefined) clearTimeout(timer);
      if (!killed) killNow();
      await kill(server);
      // A kill point not reached is not carried into the next round.
      rmSync(arm, { force: true });

      const started = Date.now();
      server = await startServer(dataDir, arm);
      slowestRestartMs = Math.max(slowestRestartMs, Date.now() - started);

      let tableDiffs = await compare(server, reference, TABLES);
      if (tableDiffs.length > 0 && inFlight !== undefined) {
        // The statement in flight may have become durable before the kill, unacknowledged: then it counts.
        await reference.execute(inFlight);
        tableDiffs = await compare(server, reference, TABLES);
        if (tableDiffs.length === 0) inFlightApplied++;
      } else if (inFlight !== undefined) inFlightLost++;
      if (tableDiffs.length === 0) {
        // A checkpoint on both sides publishes everything their file sinks were given.
        await server.client.query('CHECKPOINT');
        await reference.execute('CHECKPOINT');
      }
      const viewDiffs = tableDiffs.length > 0 ? [] : await compare(server, reference, [...RELATIONS.filter((q) => !TABLES.includes(q)), PUBLISHED]);
      const problems = [...tableDiffs, ...viewDiffs];
      log(`crash ${crash}/${options.crashes} (${mode}${mode === 'ingest' ? ` after ${killDelayMs} ms` : ''}): ${acknowledged} acknowledged, ` +
        `restart ${Date.now() - started} ms, ${problems.length === 0 ? 'ok' : `${problems.length} mismatches`}`);
      for (const p of problems) failures.push(`crash ${crash} (${mode}, seed ${options.seed}): ${p}`);
      if (problems.length > 0) log(server.stderr());
    }
    const history = await serverRows(server, 'SELECT status FROM eddy_checkpoints');
    const checkpoints = history.filter((s) => s === 'COMPLETED').length;
    const failedCheckpoints = history.filter((s) => s === 'FAILED').length;
    return {
      crashes: byMode.ingest + byMode.checkpoint + byMode['after-commit'] + byMode['before-publish'], byMode, acknowledged, inFlightApplied, inFlightLost, diedBeforePublish,
      checkpoints, failedCheckpoints, slowestRestartMs, failures,
    };
  } finally {
    await kill(server);
    await reference.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
}

// Run on its own: node dist/test/crash/harness.js --crashes 200 --seed 1
if (process.argv[1] !== undefined && import.meta.url === new URL(process.argv[1], 'file://').href) {
  const crashes = argument('crashes', 50);
  const seed = argument('seed', 1);
  const verbose = process.argv.includes('--verbose');
  const started = Date.now();
  runCrashTest({ crashes, seed, log: verbose ? (l) => process.stdout.write(`${l}\n`) : () => {} }).then((s) => {
    process.stdout.write(`${s.crashes} crashes (ingest ${s.byMode.ingest}, mid-checkpoint ${s.byMode.checkpoint}, after a commit ${s.byMode['after-commit']}, ` +
      `between a durable checkpoint and the file sink's publication ${s.byMode['before-publish']} (${s.diedBeforePublish} died there)), ` +
      `${s.acknowledged} acknowledged statements, in flight at the kill: ${s.inFlightApplied} durable, ${s.inFlightLost} not; ` +
      `eddy_checkpoints (its last 100): ${s.checkpoints} completed, ${s.failedCheckpoints} failed; slowest restart ${s.slowestRestartMs} ms; ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    if (s.failures.length === 0) process.stdout.write('0 lost, 0 duplicated: every table and view matched the failure-free run after every crash\n');
    for (const f of s.failures) process.stdout.write(`FAIL ${f}\n`);
    process.exitCode = s.failures.length === 0 ? 0 : 1;
  }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
