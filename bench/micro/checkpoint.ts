// Micro-benchmark of durability: checkpoint duration and throughput loss on a large state, recovery time, INSERT acknowledgement latency.
//
// 1. Throughput with and without checkpoints: two processes at once, each a table feeding a
//    GROUP BY over `keys` keys (so the state holds `keys` groups plus the view's `keys` rows),
//    loaded, then updated with batches of random keys: one with checkpoints off, one with a
//    checkpoint every second. Running both at once, on the machine's two cores, exposes them to
//    the same drift of the machine's pace (one half-minute to the next differed by as much as
//    the effect measured, when the two ran one after the other). Batches go through the table as
//    a statement does (log, rows, propagation), without parsing SQL, and wait for durability
//    every ten batches. Two such pairs, one after the other.
// 2. Recovery: the process with checkpoints then crashes, and opens again (restores the
//    checkpoint, replays the log after it); then the first full read of the view.
// 3. INSERT acknowledgement latency through SQL, one row per statement, from 1,
//    16 and 64 sessions at once: statements in flight share a sync (group commit).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import type { CheckpointOutcome } from '../../executor/checkpoint/checkpoint-store.js';
import { Engine } from '../../executor/engine/engine.js';
import { fmtInt } from './filter-project.js';
import { xorshift } from './measure.js';
import { machine, replaceGeneratedBlock } from './report.js';

export interface CheckpointBenchOptions {
  readonly keys: number;
  /** Seconds the process with checkpoints runs at least (then on until its logs are next compacted or merged). */
  readonly seconds: number;
  /** Pairs of processes, one after the other. */
  readonly pairs: number;
  /** Seconds of each latency run. */
  readonly latencySeconds: number;
  readonly batch: number;
}

export interface CheckpointBenchResult {
  readonly keys: number;
  /** Per pair: the process without checkpoints, and the one with. */
  readonly pairs: readonly { readonly off: WorkerResult; readonly on: WorkerResult }[];
  readonly recoveryOpenSeconds: number;
  /** State entries the recovery replayed from checkpoint logs. */
  readonly replayedEntries: number;
  readonly firstReadSeconds: number;
  readonly replayedWrites: number;
  /** 1-minute load average before and after the run. */
  readonly load: readonly number[];
  readonly latency: readonly { sessions: number; statements: number; perSecond: number; p50: number; p99: number }[];
}

/** What one process of a pair measured. */
export interface WorkerResult {
  readonly loadSeconds: number;
  readonly rows: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** The checkpoints taken while it measured, and what they did. */
  readonly checkpoints: readonly CheckpointOutcome[];
  readonly logs: number;
  readonly compactions: number;
  /** Logs those compactions replaced (a compaction leaves the logs whose writes are mostly live). */
  readonly compactedLogs: number;
  readonly merges: number;
  /** The process with checkpoints: its crash and recovery after measuring. */
  readonly recovery?: { readonly openSeconds: number; readonly replayedEntries: number; readonly firstReadSeconds: number; readonly replayedWrites: number };
}

const VIEW = 'SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k';
const MARK = '@@checkpoint ';
const ROOT = new URL('../../../', import.meta.url).pathname;

/** The merges and compactions of the checkpoint logs so far: each ends a cycle of logs. */
function cycles(engine: Engine): number {
  const c = engine.stateBackend.counters;
  return c.merges + c.compactions;
}

/**
 * Updates random keys until `stop` says so (asked before each batch). With `untilCycle`, once
 * `stop` says so, on until the next merge or compaction of the checkpoint logs has committed: a
 * phase that starts just after a merge and ends just after a merge or compaction counts whole
 * cycles of logs and what replaces them, so no merge's or compaction's cost is left out.
 */
async function updates(engine: Engine, keys: number, batch: number, seed: number, stop: () => boolean, untilCycle = false): Promise<number> {
  const table = engine.tables.get('t');
  if (!table) throw new Error('no table t');
  const rnd = xorshift(seed);
  let seen = cycles(engine);
  let rows = 0;
  for (let i = 0; ; i++) {
    if (stop()) {
      if (!untilCycle || cycles(engine) > seen) break;
    } else {
      seen = cycles(engine);
    }
    const out: Row[] = new Array(batch);
    for (let j = 0; j < batch; j++) out[j] = [Math.floor(rnd() * keys), Math.floor(rnd() * 1000)];
    table.insert(out);
    rows += batch;
    // Durable every ten batches; in between, a turn of the event loop so the checkpoint timer can fire.
    if (i % 10 === 9) await engine.storage.flushed();
    else await new Promise((resolve) => setImmediate(resolve));
  }
  await engine.storage.flushed();
  return rows;
}

/** Resolves when stdin has given a line `word`. */
function heard(word: string): { promise: Promise<void>; got: () => boolean } {
  let got = false;
  let buffered = '';
  const promise = new Promise<void>((resolve) => {
    const onData = (d: Buffer): void => {
      buffered += d.toString();
      if (!buffered.split('\n').includes(word)) return;
      got = true;
      process.stdin.off('data', onData);
      resolve();
    };
    process.stdin.on('data', onData);
  });
  return { promise, got: () => got };
}

/**
 * One process of a pair (`eddy bench micro --worker checkpoint-on|checkpoint-off`): loads the
 * state, warms up, says it is ready, and on "go" from its parent measures: with checkpoints,
 * for `seconds` and then to the end of the cycle it is in; without, until "stop". Prints its
 * result as a marked JSON line.
 */
export async function checkpointWorker(kind: string, keys: number, seconds: number, batch: number): Promise<void> {
  if (kind !== 'checkpoint-on' && kind !== 'checkpoint-off') throw new Error(`unknown worker "${kind}"`);
  const on = kind === 'checkpoint-on';
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-checkpoint-'));
  try {
    const dataDir = join(dir, 'state');
    // The whole state fits the cache here: this measures checkpoints, not a spilling cache.
    let engine = await Engine.open({ dataDir, memoryLimit: 8 * 1024 ** 3 });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute('CREATE TABLE t (k INT, v BIGINT)');
    await engine.execute(`CREATE MATERIALIZED VIEW agg AS ${VIEW}`);
    const table = engine.tables.get('t');
    if (!table) throw new Error('no table t');
    const loadStart = Date.now();
    for (let k = 0; k < keys; k += 10_000) {
      const rows: Row[] = [];
      for (let j = k; j < Math.min(keys, k + 10_000); j++) rows.push([j, j % 1000]);
      table.insert(rows);
      await engine.storage.flushed();
    }
    await engine.execute('CHECKPOINT');
    const loadSeconds = (Date.now() - loadStart) / 1000;
    // The warm-up, the same in both processes: updates with a checkpoint every second until
    // the second compaction of their logs (V8 compiles the code of checkpoints and compactions,
    // which runs once a second or once in a cycle; the heap grows to its working size; and the
    // buffers a compaction keeps for the next grow to the state's size: the first compactions
    // of a process allocate them anew, hundreds of MB that bring a full collection of the heap
    // sooner), then ten seconds of updates without checkpoints, and a checkpoint of what they
    // dirtied: most of the state's keys, so it merges. The measured phase starts just after that merge.
    await engine.execute("SET 'execution.checkpointing.interval' = '1s'");
    const cyclesBefore = cycles(engine);
    const warmed = Date.now() + 10_000;
    // (At most three minutes: a state the cache cannot keep merges its logs instead, and one that gets few changes may not get there.)
    const given = Date.now() + 180_000;
    await updates(engine, keys, batch, 3, () => (Date.now() >= warmed && cycles(engine) >= cyclesBefore + 2) || Date.now() >= given);
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    // At least ten seconds, and at least keys / 2 rows: then about 40 % of the groups (and as many
    // view rows) are dirty, over the quarter of the stored entries that makes a checkpoint merge.
    const warm = Date.now() + 10_000;
    let warmBatches = 0;
    // (Asked once before each batch: the rows so far are the batches asked before times the batch.)
    await updates(engine, keys, batch, 5, () => warmBatches++ * batch >= keys / 2 && Date.now() >= warm);
    const merges = engine.stateBackend.counters.merges;
    await engine.execute('CHECKPOINT');
    if (engine.stateBackend.counters.merges !== merges + 1) throw new Error('the checkpoint after the warm-up did not merge');
    const go = heard('go');
    const stop = heard('stop');
    process.stdout.write(`${MARK}ready\n`);
    await go.promise;
    const before = engine.checkpointStore.history().length;
    const counted = { ...engine.stateBackend.counters };
    if (on) await engine.execute("SET 'execution.checkpointing.interval' = '1s'");
    const end = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    const rows = await updates(engine, keys, batch, 21, on ? () => Date.now() >= end : stop.got, on);
    const cpu = process.cpuUsage(cpuStarted);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const c = engine.stateBackend.counters;
    const result: WorkerResult = {
      loadSeconds,
      rows,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds,
      checkpoints: engine.checkpointStore.history().slice(before),
      logs: c.logs - counted.logs,
      compactions: c.compactions - counted.compactions,
      compactedLogs: c.compactedLogs - counted.compactedLogs,
      merges: c.merges - counted.merges,
    };
    if (!on) {
      process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
      await engine.close();
      return;
    }
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    // A second of writes after the last checkpoint, for the recovery to replay.
    const second = Date.now() + 1000;
    await updates(engine, keys, batch, 99, () => Date.now() >= second);
    const replayedWrites = engine.inputLog.position - (engine.checkpointStore.latest()?.position ?? 0);
    await engine.crash();
    const openStart = process.hrtime.bigint();
    engine = await Engine.open({ dataDir, memoryLimit: 8 * 1024 ** 3 });
    const openSeconds = Number(process.hrtime.bigint() - openStart) / 1e9;
    const replayedEntries = engine.stateBackend.counters.replayedEntries;
    const readStart = process.hrtime.bigint();
    const [count] = await engine.execute('SELECT count(*) FROM agg');
    const firstReadSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
    const n = count?.kind === 'rows' ? Number(count.rows[0]?.[0]) : NaN;
    if (n !== keys) throw new Error(`the view holds ${n} groups after recovery, ${keys} were written`);
    await engine.close();
    process.stdout.write(`${MARK}${JSON.stringify({ ...result, recovery: { openSeconds, replayedEntries, firstReadSeconds, replayedWrites } })}\n`);
  } finally {
    // Nothing more to hear from the parent: stdin would keep the process alive.
    process.stdin.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A worker process: its lines as they come (`ready`, then its result), and its stdin. */
function startWorker(kind: string, options: CheckpointBenchOptions): { send: (line: string) => void; next: () => Promise<string>; done: Promise<void> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/eddy.js'), 'bench', 'micro', '--worker', kind, '--keys', String(options.keys), '--worker-seconds', String(options.seconds), '--batch', String(options.batch)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stdout = '';
  let stderr = '';
  let failed: Error | undefined;
  const fail = (e: Error): void => {
    failed = e;
    for (const w of waiting.splice(0)) w('');
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    let nl: number;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      if (!line.startsWith(MARK)) continue;
      const w = waiting.shift();
      if (w) w(line.slice(MARK.length));
      else lines.push(line.slice(MARK.length));
    }
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  // A line sent to a worker that has exited is of no use to it.
  child.stdin.on('error', () => {});
  const done = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      if (code !== 0) fail(new Error(`the ${kind} process exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      resolve();
    });
  });
  return {
    send: (line) => child.stdin.write(`${line}\n`),
    next: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (failed) return Promise.reject(failed);
      return new Promise<string>((resolve, reject) => waiting.push((l) => (failed ? reject(failed) : resolve(l))));
    },
    done,
  };
}

/** One pair: both processes load and warm up; on "go" both measure, until the one with checkpoints is done. */
async function pair(options: CheckpointBenchOptions): Promise<{ off: WorkerResult; on: WorkerResult }> {
  const off = startWorker('checkpoint-off', options);
  const on = startWorker('checkpoint-on', options);
  try {
    const ready = await Promise.all([off.next(), on.next()]);
    if (ready.some((l) => l !== 'ready')) throw new Error(`a worker did not get ready: ${ready.join(', ')}`);
    off.send('go');
    on.send('go');
    const onResult = JSON.parse(await on.next()) as WorkerResult;
    off.send('stop');
    const offResult = JSON.parse(await off.next()) as WorkerResult;
    return { off: offResult, on: onResult };
  } finally {
    off.send('stop');
    await Promise.all([off.done, on.done]);
  }
}

/** Rows per CPU-second of a process (its LMDB write thread and GC threads included). */
function cpuRate(r: WorkerResult): number {
  return r.rows / r.cpuSeconds;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function latency(dir: string, sessions: number, seconds: number): Promise<{ sessions: number; statements: number; perSecond: number; p50: number; p99: number }> {
  const engine = await Engine.open({ dataDir: dir });
  try {
    await engine.execute('CREATE TABLE IF NOT EXISTS e (id BIGINT, k INT, v BIGINT)');
    await engine.execute('CREATE MATERIALIZED VIEW IF NOT EXISTS ev AS SELECT k, count(*) AS n FROM e GROUP BY k');
    const times: number[] = [];
    const end = Date.now() + seconds * 1000;
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: sessions }, async () => {
      const s = engine.session();
      while (Date.now() < end) {
        const id = next++;
        const t0 = process.hrtime.bigint();
        await s.execute(`INSERT INTO e VALUES (${id}, ${id % 100}, ${id})`);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      s.close();
    }));
    const elapsed = (Date.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return { sessions, statements: times.length, perSecond: times.length / elapsed, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  } finally {
    await engine.close();
  }
}

export async function benchCheckpoint(options: CheckpointBenchOptions, log: (line: string) => void = () => {}): Promise<CheckpointBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-checkpoint-'));
  const loadBefore = loadavg()[0] as number;
  try {
    const pairs: { off: WorkerResult; on: WorkerResult }[] = [];
    for (let i = 0; i < options.pairs; i++) {
      const p = await pair(options);
      pairs.push(p);
      log(`  pair ${i + 1}: no checkpoints ${fmtInt(Math.round(cpuRate(p.off)))} rows/CPU-s, checkpoints every second ${fmtInt(Math.round(cpuRate(p.on)))} rows/CPU-s (loss ${(100 * (1 - cpuRate(p.on) / cpuRate(p.off))).toFixed(1)} %; ${p.on.logs} logs, ${p.on.compactions} compactions replacing ${p.on.compactedLogs} logs, ${p.on.merges} merges)`);
    }
    const recovery = pairs[pairs.length - 1]?.on.recovery;
    if (recovery === undefined) throw new Error('no recovery was measured');
    log(`  recovery: open ${recovery.openSeconds.toFixed(2)} s (${fmtInt(recovery.replayedEntries)} state entries replayed from checkpoint logs, ${fmtInt(recovery.replayedWrites)} logged writes replayed), first full read ${recovery.firstReadSeconds.toFixed(2)} s`);
    const latencyRuns = [];
    for (const sessions of [1, 16, 64]) {
      const r = await latency(join(dir, 'latency'), sessions, options.latencySeconds);
      log(`  INSERT from ${sessions} sessions: ${fmtInt(Math.round(r.perSecond))} statements/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
      latencyRuns.push(r);
    }
    return {
      keys: options.keys,
      pairs,
      recoveryOpenSeconds: recovery.openSeconds,
      replayedEntries: recovery.replayedEntries,
      firstReadSeconds: recovery.firstReadSeconds,
      replayedWrites: recovery.replayedWrites,
      load: [loadBefore, loadavg()[0] as number],
      latency: latencyRuns,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECTION_TITLE = '## Checkpoints and recovery';
const BEGIN = '<!-- checkpoint benchmark: generated by `eddy bench micro checkpoint --write`; edit outside these markers -->';
const END = '<!-- end of checkpoint benchmark -->';

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** The result as markdown: the throughput table, the checkpoints, recovery and latency. */
export function checkpointMarkdown(r: CheckpointBenchResult, command: string): string {
  const m = machine();
  const losses = r.pairs.map((p) => 1 - cpuRate(p.on) / cpuRate(p.off));
  const loss = mean(losses);
  const all = r.pairs.flatMap((p) => p.on.checkpoints);
  const done = all.filter((c) => c.status === 'COMPLETED');
  const durations = done.map((c) => c.durationMs).sort((a, b) => a - b);
  const bytes = done.map((c) => c.bytes);
  const sum = (f: (w: WorkerResult) => number): number => r.pairs.reduce((t, p) => t + f(p.on), 0);
  const rate = (x: number): string => fmtInt(Math.round(x));
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  return [
    BEGIN,
    `Machine: ${m.cores} cores (\`nproc\`), ${m.cpu}; Node ${m.node}; commit ${m.commit}; ${m.date}; load average ${r.load.map((l) => l.toFixed(1)).join(' before, ')} after.`,
    `Command: \`${command}\`. State: \`${VIEW}\` over ${fmtInt(r.keys)} keys (${fmtInt(r.keys)} groups and ${fmtInt(r.keys)} view rows), loaded in ${r.pairs.map((p) => p.on.loadSeconds.toFixed(1)).join(', ')} s. Each pair is two processes run at the same time, one on each core, each with its own copy of the state: one without checkpoints, one with a checkpoint every second. Both start just after a merge of the checkpoint logs; the one with checkpoints runs until the first compaction or merge of its logs after its time is up (so it counts whole cycles of logs and what replaces them), and the other stops with it. Rates per CPU-second count the whole process (user + system time: LMDB's write thread and V8's helper threads included); the loss is judged on them, since the wall clock on a shared machine also counts waiting for a core.`,
    '',
    '| figure | value | target |',
    '|---|---:|---|',
    `| updates per CPU-second, no checkpoints (per pair) | ${r.pairs.map((p) => rate(cpuRate(p.off))).join(', ')} | |`,
    `| updates per CPU-second, a checkpoint every second (per pair) | ${r.pairs.map((p) => rate(cpuRate(p.on))).join(', ')} | |`,
    `| throughput loss with 1 s checkpoints (CPU time), per pair | ${losses.map(pct).join(', ')} | |`,
    `| throughput loss with 1 s checkpoints (CPU time), mean | ${pct(loss)} | at most 10 %: ${loss <= 0.1 ? 'met' : 'not met'} |`,
    `| measured seconds with checkpoints (per pair) | ${r.pairs.map((p) => p.on.wallSeconds.toFixed(1)).join(', ')} | |`,
    `| checkpoints in those runs | ${done.length} completed (${sum((w) => w.logs)} logs, ${sum((w) => w.compactions)} compactions replacing ${sum((w) => w.compactedLogs)} of the logs, ${sum((w) => w.merges)} merges into the tree), ${all.length - done.length} failed | |`,
    `| checkpoint duration (start to durable), median / max | ${percentile(durations, 0.5)} ms / ${durations[durations.length - 1] ?? 0} ms | |`,
    `| state written per checkpoint, mean | ${(mean(bytes) / 1e6).toFixed(1)} MB | |`,
    `| recovery: open (restore ${fmtInt(r.keys)} keys' checkpoint, replaying ${fmtInt(r.replayedEntries)} state entries from its logs, then ${fmtInt(r.replayedWrites)} logged writes) | ${r.recoveryOpenSeconds.toFixed(2)} s | |`,
    `| recovery: then the first full read of the view (every key read back from LMDB) | ${r.firstReadSeconds.toFixed(2)} s | |`,
    ...r.latency.map((l) => `| INSERT acknowledgement, ${l.sessions} session${l.sessions === 1 ? '' : 's'} (one row per statement) | p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, ${rate(l.perSecond)} statements/s | |`),
    END,
  ].join('\n');
}

export function writeCheckpointResults(file: string, r: CheckpointBenchResult, command: string): void {
  const block = checkpointMarkdown(r, command);
  replaceGeneratedBlock(file, SECTION_TITLE, BEGIN, END, block);
}
