// One Nexmark query in this process: run at full speed and measured, or run small and its final result kept for checking.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataType } from '../../common/data-type.js';
import { typeToSql } from '../../common/data-type.js';
import { SqlError } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';
import type { Job } from '../../executor/engine/job.js';
import type { CheckpointOutcome } from '../../executor/checkpoint/checkpoint-store.js';
import { ConnectorSinkOperator } from '../../connectors/sink-operator.js';
import { parseStatements } from '../../parser/index.js';
import type { Insert } from '../../parser/ast/index.js';
import { printQuery } from '../../parser/printer/index.js';
import { objectName } from '../../planner/planner.js';
import { inputShortfall, querySql, sideInputCsv, sourceDdl, type QueryPaths, type SourceOptions } from './queries.js';

/** What one measured run of a query gives (the JSON fields of the report). */
export interface QueryFigures {
  readonly query: string;
  readonly events: number;
  /** 'ok'; 'unsupported' when the engine cannot run the query yet; 'failed' when it failed running. */
  readonly status: 'ok' | 'unsupported' | 'failed';
  readonly error?: string;
  readonly seconds: number | null;
  readonly events_per_second: number | null;
  readonly cpu_seconds: number | null;
  readonly peak_rss_bytes: number | null;
  readonly state_bytes: number | null;
  readonly checkpoints: number | null;
  readonly avg_checkpoint_ms: number | null;
  correct: boolean | null;
  correct_detail?: string;
  /** Why the figures are over fewer events than asked for. */
  note?: string;
  /** Rows each source table of the measured job read ('bid', or 'bid#2' for a second read of it). */
  source_rows?: Record<string, number>;
  /** The commit the figures were measured at. */
  commit?: string;
  /** The command that measured them. */
  command?: string;
  /** The machine's 1-minute load average when the measurement ended. */
  load_average?: number;
}

/** The final result of a query over a small stream, with its column types. */
export interface QueryResult {
  readonly types: readonly DataType[];
  readonly rows: readonly Row[];
}

function scratch(): { dir: string; paths: QueryPaths } {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-nexmark-'));
  const sideInput = join(dir, 'side_input.csv');
  writeFileSync(sideInput, sideInputCsv());
  mkdirSync(join(dir, 'output'));
  return { dir, paths: { output: join(dir, 'output'), sideInput } };
}

function rowsOf(results: StatementResult[]): { rows: Row[]; types: DataType[] } {
  const last = results[results.length - 1];
  if (last?.kind !== 'rows') throw new Error('expected rows');
  return { rows: [...last.rows], types: last.columns.map((c) => c.type) };
}

/**
 * Waits until the job's sources are exhausted, then throws its error if it failed, or if
 * a source stopped before its end (a figure over part of the stream would be wrong).
 */
async function finished(job: Job): Promise<void> {
  if (job.subscriptions.length === 0) throw new Error(`job ${job.id} reads no nexmark table`);
  await Promise.all(job.subscriptions.map((s) => s.done));
  job.checkHealthy();
  const short = job.subscriptions.find((s) => !s.finished);
  if (short !== undefined) throw new Error(`job ${job.id} stopped reading "${short.table}" before its end (${short.rows} rows read)`);
}

function newestJob(engine: Engine): Job {
  const jobs = [...engine.jobs.values()];
  const job = jobs[jobs.length - 1];
  if (job === undefined) throw new Error('the INSERT started no job');
  return job;
}

/**
 * Collects the checkpoints completed since `wallMs` while a job runs: the store keeps only
 * its last 100 outcomes, so a long run is polled (every 5 s; checkpoints are at least 1 s apart).
 */
function checkpointWatch(engine: Engine, wallMs: number): { stop(): CheckpointOutcome[] } {
  const seen = new Map<number, CheckpointOutcome>();
  const poll = (): void => {
    for (const c of engine.checkpointStore.history()) if (c.started >= wallMs && c.status === 'COMPLETED') seen.set(c.id, c);
  };
  const timer = setInterval(poll, 5000);
  return {
    stop: () => {
      clearInterval(timer);
      poll();
      return [...seen.values()];
    },
  };
}

/** Errors that mean "the engine does not do this yet" rather than "the query broke". */
function unsupported(e: unknown): boolean {
  return e instanceof SqlError && (e.sqlstate === '0A000' || e.sqlstate === '42804' || e.sqlstate === '42883');
}

function message(e: unknown): string {
  return e instanceof SqlError ? `${e.sqlstate}: ${e.message}` : e instanceof Error ? e.message : String(e);
}

/**
 * Runs `query` over `source.events` events into its own sink, measuring the INSERT job
 * from its start until its sources are exhausted (every row through every operator).
 */
export async function measureQuery(query: string, source: SourceOptions, checkpointInterval?: string): Promise<QueryFigures> {
  const { dir, paths } = scratch();
  const engine = await Engine.open({ dataDir: join(dir, 'data') });
  const empty = { seconds: null, events_per_second: null, cpu_seconds: null, peak_rss_bytes: null, state_bytes: null, checkpoints: null, avg_checkpoint_ms: null, correct: null };
  let figures: QueryFigures | undefined;
  try {
    if (checkpointInterval !== undefined) await engine.execute(`SET 'execution.checkpointing.interval' = '${checkpointInterval.replace(/'/g, "''")}'`);
    for (const ddl of sourceDdl(source)) await engine.execute(ddl);
    for (const st of parseStatements(querySql(query, paths))) {
      if (st.statement.kind !== 'Insert') {
        await engine.execute(st.text);
        continue;
      }
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const watch = checkpointWatch(engine, Date.now());
      let taken: CheckpointOutcome[];
      try {
        await engine.execute(st.text);
        await finished(newestJob(engine));
      } finally {
        taken = watch.stop();
      }
      const job = newestJob(engine);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      let stateBytes = 0;
      for (const s of job.built.dataflow.stats()) stateBytes += s.state.bytes;
      // A figure is only over the whole stream if the job read every event of the kinds it reads.
      const read = job.subscriptions.map((s) => ({ table: s.table, rows: s.rows }));
      const shortfall = inputShortfall(read, source.events);
      const sourceRows: Record<string, number> = {};
      for (const r of read) {
        let key = r.table;
        for (let i = 2; key in sourceRows; i++) key = `${r.table}#${i}`;
        sourceRows[key] = r.rows;
      }
      figures = {
        query,
        events: source.events,
        status: shortfall === undefined ? 'ok' : 'failed',
        ...(shortfall === undefined ? {} : { error: shortfall }),
        seconds,
        events_per_second: source.events / seconds,
        cpu_seconds: (cpu.user + cpu.system) / 1e6,
        peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
        state_bytes: stateBytes,
        checkpoints: taken.length,
        avg_checkpoint_ms: taken.length === 0 ? null : taken.reduce((s, c) => s + c.durationMs, 0) / taken.length,
        correct: null,
        source_rows: sourceRows,
      };
    }
    if (figures === undefined) throw new Error(`${query} has no INSERT`);
  } catch (e) {
    figures = { query, events: source.events, status: unsupported(e) ? 'unsupported' : 'failed', error: message(e), ...empty };
  }
  // Closing takes a last checkpoint; if that fails, the figures stay (they are the job's) but the run is failed.
  try {
    await engine.close();
  } catch (e) {
    if (figures.status === 'ok') figures = { ...figures, status: 'failed', error: `closing the engine after the run failed: ${message(e)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/**
 * The generator alone: every event of the stream made once (each of the three tables'
 * readers, unthrottled, read to the end), with no query behind it.
 */
export async function measureGenerator(source: SourceOptions): Promise<QueryFigures> {
  const { dir } = scratch();
  const engine = await Engine.open({ dataDir: join(dir, 'data') });
  try {
    for (const ddl of sourceDdl(source)) await engine.execute(ddl);
    const tables = ['person', 'auction', 'bid'].map((t) => engine.connectors.get(t) as ConnectorTable);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const t of tables) {
      const reader = t.source?.open({ throttle: false });
      if (reader === undefined) continue;
      while (reader.read(4096).status !== 'end');
      reader.close();
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    return {
      query: 'generator',
      events: source.events,
      status: 'ok',
      seconds,
      events_per_second: source.events / seconds,
      cpu_seconds: (cpu.user + cpu.system) / 1e6,
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      state_bytes: 0,
      checkpoints: null,
      avg_checkpoint_ms: null,
      correct: null,
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The events of a small stream, per table, for the batch evaluation. */
export interface SourceEvents {
  readonly person: readonly Row[];
  readonly auction: readonly Row[];
  readonly bid: readonly Row[];
  readonly sideInput: string;
}

/**
 * Runs `query` over a small stream and returns its final result: the rows of its sink
 * table as a materialized view would hold them (each column cast to the sink column's
 * type, as INSERT does), or, for a filesystem sink, the rows read back from its files.
 * `eddyCheck` replaces the final read (a query over `nexmark_result`).
 */
export async function resultOf(query: string, source: SourceOptions, eddyCheck: string | undefined): Promise<{ result: QueryResult; events: SourceEvents }> {
  const { dir, paths } = scratch();
  const engine = await Engine.open({ dataDir: join(dir, 'data') });
  try {
    for (const ddl of sourceDdl(source)) await engine.execute(ddl);
    let result: QueryResult | undefined;
    for (const st of parseStatements(querySql(query, paths))) {
      if (st.statement.kind !== 'Insert') {
        await engine.execute(st.text);
        continue;
      }
      const insert = st.statement as Insert;
      const sinkName = objectName(insert.table);
      const sink = engine.connectors.get(sinkName);
      const relation = engine.relation(sinkName);
      if (sink === undefined || relation === undefined) throw new Error(`${query} writes into "${sinkName}", which is not a connector table`);
      if (sink.source !== undefined) {
        // A sink that is also a source (filesystem): check what it wrote.
        await engine.execute(st.text);
        const job = newestJob(engine);
        await finished(job);
        // A sink whose commits follow checkpoints publishes at the next one.
        if (job.sink instanceof ConnectorSinkOperator && job.sink.followsCheckpoints) await engine.checkpointer.checkpointOrThrow();
        result = rowsOf(await engine.execute(`SELECT * FROM ${sinkName}`));
        continue;
      }
      const columns = relation.columns.filter((c) => c.computed === undefined);
      const names = columns.map((_, i) => `c${i}`);
      await engine.execute(`CREATE VIEW nexmark_query (${names.join(', ')}) AS ${printQuery(insert.source)}`);
      const casts = columns.map((c, i) => `CAST(c${i} AS ${typeToSql(c.type)}) AS "${c.name}"`);
      await engine.execute(`CREATE MATERIALIZED VIEW nexmark_result AS SELECT ${casts.join(', ')} FROM nexmark_query`);
      await finished(engine.views.get('nexmark_result')?.job as Job);
      result = rowsOf(await engine.execute(eddyCheck ?? 'SELECT * FROM nexmark_result'));
    }
    if (result === undefined) throw new Error(`${query} has no INSERT`);
    const contents = (t: string): Row[] => [...(engine.connectors.get(t) as ConnectorTable).contents()];
    return { result, events: { person: contents('person'), auction: contents('auction'), bid: contents('bid'), sideInput: sideInputCsv() } };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export { message as errorMessage, unsupported as isUnsupported };
