// Micro-benchmark of durability: checkpoint duration and throughput loss on a large state, recovery time, INSERT acknowledgement latency.
//
// 1. Throughput with and without checkpoints: a table feeding a GROUP BY over
//    `keys` keys (so the state holds `keys` groups plus the view's `keys` rows),
//    loaded, then updated with batches of random keys for `seconds`, with
//    checkpoints off and every second, alternately (two runs of each, so load
//    on the machine hits both alike). Batches go through the table as a
//    statement does (log, rows, propagation), without parsing SQL, and wait for
//    durability every ten batches.
// 2. Recovery: the engine crashes right after, and opens again (restores the
//    checkpoint, replays the log after it); then the first full read of the view.
// 3. INSERT acknowledgement latency through SQL, one row per statement, from 1,
//    16 and 64 sessions at once: statements in flight share a sync (group commit).

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
  /** Seconds of each throughput phase. */
  readonly seconds: number;
  /** Seconds of each latency run. */
  readonly latencySeconds: number;
  readonly batch: number;
}

export interface CheckpointBenchResult {
  readonly keys: number;
  readonly loadSeconds: number;
  readonly ratesOff: readonly Rate[];
  readonly ratesOn: readonly Rate[];
  readonly checkpoints: readonly CheckpointOutcome[];
  /** Of the checkpoints in the phases with checkpoints: how many wrote a log, how many compacted the logs into one, how many merged them into the tree. */
  readonly logs: number;
  readonly compactions: number;
  readonly merges: number;
  readonly recoveryOpenSeconds: number;
  /** State entries the recovery replayed from checkpoint logs. */
  readonly replayedEntries: number;
  readonly firstReadSeconds: number;
  readonly replayedWrites: number;
  /** 1-minute load average before and after the run. */
  readonly load: readonly number[];
  readonly latency: readonly { sessions: number; statements: number; perSecond: number; p50: number; p99: number }[];
}

const VIEW = 'SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k';

/** Rows per second of one phase: by the wall clock, and per CPU-second of the process (LMDB's write thread and GC threads included). */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Updates random keys for `seconds`; with `untilMerge`, then on until the next merge or
 * compaction of the checkpoint logs has committed. A phase that starts just after a merge and
 * ends just after a merge or compaction counts whole cycles of logs and what replaces them: no
 * merge's or compaction's cost is left out or counted twice.
 */
async function updates(engine: Engine, keys: number, batch: number, seconds: number, seed: number, untilMerge = false): Promise<Rate> {
  const table = engine.tables.get('t');
  if (!table) throw new Error('no table t');
  const rnd = xorshift(seed);
  const end = Date.now() + seconds * 1000;
  const counters = engine.stateBackend.counters;
  const cycles = (): number => counters.merges + counters.compactions;
  let merges = cycles();
  let rows = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (let i = 0; ; i++) {
    if (Date.now() >= end) {
      if (!untilMerge || cycles() > merges) break;
    } else {
      merges = cycles();
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
  const cpu = process.cpuUsage(cpuStarted);
  return { wall: rows / (Number(process.hrtime.bigint() - started) / 1e9), cpu: rows / ((cpu.user + cpu.system) / 1e6) };
}

function fmtRate(r: Rate): string {
  return `${fmtInt(Math.round(r.wall))} rows/s, ${fmtInt(Math.round(r.cpu))} rows/CPU-s`;
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
    const dataDir = join(dir, 'state');
    // The whole state fits the cache here: this measures checkpoints, not a spilling cache.
    let engine = await Engine.open({ dataDir, memoryLimit: 8 * 1024 ** 3 });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute('CREATE TABLE t (k INT, v BIGINT)');
    await engine.execute(`CREATE MATERIALIZED VIEW agg AS ${VIEW}`);
    const table = engine.tables.get('t');
    if (!table) throw new Error('no table t');
    const loadStart = Date.now();
    for (let k = 0; k < options.keys; k += 10_000) {
      const rows: Row[] = [];
      for (let j = k; j < Math.min(options.keys, k + 10_000); j++) rows.push([j, j % 1000]);
      table.insert(rows);
      await engine.storage.flushed();
    }
    await engine.execute('CHECKPOINT');
    const loadSeconds = (Date.now() - loadStart) / 1000;
    log(`  loaded ${fmtInt(options.keys)} keys and checkpointed them in ${loadSeconds.toFixed(1)} s`);

    const ratesOff: Rate[] = [];
    const ratesOn: Rate[] = [];
    const checkpoints: CheckpointOutcome[] = [];
    let logs = 0;
    let compactions = 0;
    let merges = 0;
    // Phases without and with checkpoints alternate, three of each: the machine's pace drifts
    // from one half-minute to the next by as much as the effect measured.
    for (let round = 0; round < 3; round++) {
      await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
      ratesOff.push(await updates(engine, options.keys, options.batch, options.seconds, 11 + round));
      log(`  no checkpoints: ${fmtRate(ratesOff[round] as Rate)}`);
      // The first checkpoint of the phase writes what the phase without checkpoints dirtied: not counted.
      // Those are most of the state's keys, so it merges (the logs taken so far with them): the phase
      // starts just after a merge, and runs on until the merge or compaction after its time is up.
      const mergesBefore = engine.stateBackend.counters.merges;
      await engine.execute('CHECKPOINT');
      if (engine.stateBackend.counters.merges !== mergesBefore + 1) throw new Error('the checkpoint after the phase without checkpoints did not merge');
      const before = engine.checkpointStore.history().length;
      const counted = { ...engine.stateBackend.counters };
      await engine.execute("SET 'execution.checkpointing.interval' = '1s'");
      ratesOn.push(await updates(engine, options.keys, options.batch, options.seconds, 21 + round, true));
      checkpoints.push(...engine.checkpointStore.history().slice(before));
      logs += engine.stateBackend.counters.logs - counted.logs;
      compactions += engine.stateBackend.counters.compactions - counted.compactions;
      merges += engine.stateBackend.counters.merges - counted.merges;
      log(`  checkpoints every second: ${fmtRate(ratesOn[round] as Rate)}`);
    }
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    // A second of writes after the last checkpoint, for the recovery to replay.
    await updates(engine, options.keys, options.batch, 1, 99);
    const replayedWrites = engine.inputLog.position - (engine.checkpointStore.latest()?.position ?? 0);
    await engine.crash();

    const openStart = process.hrtime.bigint();
    engine = await Engine.open({ dataDir, memoryLimit: 8 * 1024 ** 3 });
    const recoveryOpenSeconds = Number(process.hrtime.bigint() - openStart) / 1e9;
    const replayedEntries = engine.stateBackend.counters.replayedEntries;
    const readStart = process.hrtime.bigint();
    const [count] = await engine.execute('SELECT count(*) FROM agg');
    const firstReadSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
    const n = count?.kind === 'rows' ? Number(count.rows[0]?.[0]) : NaN;
    if (n !== options.keys) throw new Error(`the view holds ${n} groups after recovery, ${options.keys} were written`);
    log(`  recovery: open ${recoveryOpenSeconds.toFixed(2)} s (${fmtInt(replayedEntries)} state entries replayed from checkpoint logs, ${fmtInt(replayedWrites)} logged writes replayed), first full read ${firstReadSeconds.toFixed(2)} s`);
    await engine.close();

    const latencyRuns = [];
    for (const sessions of [1, 16, 64]) {
      const r = await latency(join(dir, 'latency'), sessions, options.latencySeconds);
      log(`  INSERT from ${sessions} sessions: ${fmtInt(Math.round(r.perSecond))} statements/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
      latencyRuns.push(r);
    }
    return { keys: options.keys, loadSeconds, ratesOff, ratesOn, checkpoints, logs, compactions, merges, recoveryOpenSeconds, replayedEntries, firstReadSeconds, replayedWrites, load: [loadBefore, loadavg()[0] as number], latency: latencyRuns };
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
  const offWall = mean(r.ratesOff.map((x) => x.wall));
  const onWall = mean(r.ratesOn.map((x) => x.wall));
  const offCpu = mean(r.ratesOff.map((x) => x.cpu));
  const onCpu = mean(r.ratesOn.map((x) => x.cpu));
  const done = r.checkpoints.filter((c) => c.status === 'COMPLETED');
  const durations = done.map((c) => c.durationMs).sort((a, b) => a - b);
  const bytes = done.map((c) => c.bytes);
  const rate = (x: number): string => fmtInt(Math.round(x));
  const loss = 1 - onCpu / offCpu;
  return [
    BEGIN,
    `Machine: ${m.cores} cores (\`nproc\`), ${m.cpu}; Node ${m.node}; commit ${m.commit}; ${m.date}; load average ${r.load.map((l) => l.toFixed(1)).join(' before, ')} after.`,
    `Command: \`${command}\`. State: \`${VIEW}\` over ${fmtInt(r.keys)} keys (${fmtInt(r.keys)} groups and ${fmtInt(r.keys)} view rows), loaded in ${r.loadSeconds.toFixed(1)} s. Rates per CPU-second count the whole process (user + system time: LMDB's write thread and V8's helper threads included); the loss is judged on them, since the wall clock on a shared machine also counts waiting for a core. A phase with checkpoints starts just after a merge of the checkpoint logs and runs until the first merge or compaction of the logs after its time is up, so it counts whole cycles of logs and what replaces them.`,
    '',
    '| figure | value | target |',
    '|---|---:|---|',
    `| updates per CPU-second, no checkpoints | ${r.ratesOff.map((x) => rate(x.cpu)).join(', ')} (mean ${rate(offCpu)}) | |`,
    `| updates per CPU-second, a checkpoint every second | ${r.ratesOn.map((x) => rate(x.cpu)).join(', ')} (mean ${rate(onCpu)}) | |`,
    `| throughput loss with 1 s checkpoints (CPU time) | ${(100 * loss).toFixed(1)} % | at most 10 %: ${loss <= 0.1 ? 'met' : 'not met'} |`,
    `| updates/s (wall clock), no checkpoints / every second | ${r.ratesOff.map((x) => rate(x.wall)).join(', ')} / ${r.ratesOn.map((x) => rate(x.wall)).join(', ')} (loss ${(100 * (1 - onWall / offWall)).toFixed(1)} %) | |`,
    `| checkpoints in those runs | ${done.length} completed (${r.logs} logs, ${r.compactions} compactions of the logs, ${r.merges} merges into the tree), ${r.checkpoints.length - done.length} failed | |`,
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
