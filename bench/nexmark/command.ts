// `eddy bench nexmark`: the Nexmark queries over the nexmark generator, measured one by one and checked against DuckDB.
//
// Every query runs in a process of its own (so peak RSS, JIT and garbage are its
// own): first over --events events at full speed into its sink, measured; then,
// unless --no-check, over a small stream whose final result is compared with
// DuckDB's batch evaluation of the same query. The generator is measured alone too.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { EddyCommand } from '../../bin/commands/command.js';
import { machine } from '../micro/report.js';
import { compareResults, duckdbResult } from './correctness.js';
import { ALL_QUERIES, DEFAULT_QUERIES, duckdbSql, ROOT, type SourceOptions } from './queries.js';
import { mergeReports, readReport, textTable, writeResults, type NexmarkReport } from './report.js';
import { errorMessage, isUnsupported, measureGenerator, measureQuery, resultOf, type QueryFigures } from './run-query.js';

const MARK = '@@nexmark ';
/** The fewest events a query that times out is measured again over. */
const MIN_EVENTS = 10_000;

function positive(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1) throw new Error(`--${name} must be a positive number, got ${String(v)}`);
  return Math.floor(n);
}

interface CheckVerdict {
  readonly correct: boolean | null;
  readonly detail: string;
}

/** The worker side: one measurement or one check, printed as a marked JSON line. */
async function work(kind: string, query: string, source: SourceOptions, checkpointInterval: string | undefined): Promise<void> {
  let out: unknown;
  if (kind === 'generator') out = await measureGenerator(source);
  else if (kind === 'measure') out = await measureQuery(query, source, checkpointInterval);
  else if (kind === 'check') {
    let verdict: CheckVerdict;
    try {
      const { result, events } = await resultOf(query, source, duckdbSql(query).eddy);
      const expected = await duckdbResult(query, events);
      verdict = expected === undefined
        ? { correct: null, detail: '@duckdb/node-api is not installed' }
        : compareResults(result, expected);
    } catch (e) {
      verdict = { correct: null, detail: `${isUnsupported(e) ? 'does not run yet' : 'failed'}: ${errorMessage(e)}` };
    }
    out = verdict;
  } else throw new Error(`unknown worker "${kind}"`);
  process.stdout.write(`${MARK}${JSON.stringify(out)}\n`);
}

/** Runs a worker in a fresh process; resolves to what it printed, or an error after `timeoutSeconds`. */
function inChild(args: readonly string[], timeoutSeconds: number): Promise<{ value?: unknown; error?: string; timedOut?: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/eddy.js'), 'bench', 'nexmark', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (line !== undefined) resolve({ value: JSON.parse(line.slice(MARK.length)) as unknown });
      else if (signal === 'SIGKILL') resolve({ error: `did not finish within ${timeoutSeconds} s`, timedOut: true });
      else resolve({ error: `exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' ')}` });
    });
  });
}

function failedFigures(query: string, events: number, error: string): QueryFigures {
  return {
    query, events, status: 'failed', error, seconds: null, events_per_second: null, cpu_seconds: null, peak_rss_bytes: null,
    state_bytes: null, checkpoints: null, avg_checkpoint_ms: null, correct: null,
  };
}

export const nexmarkBenchCommand: EddyCommand = {
  command: 'nexmark',
  describe: 'the Nexmark queries q0-q22 over the nexmark generator: throughput, CPU, memory, and results checked against DuckDB',
  builder: (y: Argv) => y
    .option('queries', { type: 'string', describe: `comma-separated queries (default: all of ${ALL_QUERIES[0]}-${ALL_QUERIES[ALL_QUERIES.length - 1]})` })
    .option('events', { type: 'number', default: 10_000_000, describe: 'events in the measured stream (all kinds)' })
    .option('rate', { type: 'number', default: 10_000_000, describe: "the stream's events per second of event time ('first-event.rate')" })
    .option('seed', { type: 'number', default: 0, describe: 'the generator seed' })
    .option('checkpoint-interval', { type: 'string', describe: "checkpoint interval of the measured jobs ('execution.checkpointing.interval')" })
    .option('check', { type: 'boolean', default: true, describe: 'check each result against DuckDB at a small N (--no-check to skip)' })
    .option('check-events', { type: 'number', default: 20_000, describe: 'events of the stream the results are checked on' })
    .option('check-rate', { type: 'number', default: 200, describe: 'events per second of that stream (low, so windows, sessions and auctions span many events)' })
    .option('timeout', { type: 'number', default: 1800, describe: 'seconds a query may run before it is stopped' })
    .option('out', { type: 'string', describe: 'write the results as JSON to this file' })
    .option('write', { type: 'string', describe: 'update the Nexmark section of this markdown file (e.g. bench/RESULTS.md)' })
    .option('merge', { type: 'string', array: true, describe: 'earlier --out files: their rows, with the queries run now in place of theirs, make the report (--queries "" runs none)' })
    .option('worker', { type: 'string', hidden: true })
    .option('query', { type: 'string', hidden: true })
    .example('$0 bench nexmark --queries q0,q3 --events 1000000', 'two queries over a million events')
    .example('$0 bench nexmark --out results.json --write bench/RESULTS.md', 'the default set, recorded')
    .example('$0 bench nexmark --queries q5,q7 --merge bench/nexmark-results.json --out bench/nexmark-results.json --write bench/RESULTS.md', 'two queries re-measured, the rest of the table kept'),
  run: async (args: ArgumentsCamelCase) => {
    const events = positive('events', args['events']);
    const source: SourceOptions = { events, rate: positive('rate', args['rate']), seed: Math.floor(Number(args['seed'] ?? 0)) };
    const worker = args['worker'];
    if (typeof worker === 'string') {
      const ci = args['checkpointInterval'];
      await work(worker, String(args['query'] ?? ''), source, typeof ci === 'string' ? ci : undefined);
      return 0;
    }
    const queries = typeof args['queries'] === 'string' ? args['queries'].split(',').map((s) => s.trim()).filter((s) => s !== '') : [...DEFAULT_QUERIES];
    for (const q of queries) if (!ALL_QUERIES.includes(q)) throw new Error(`unknown query "${q}"; choose from ${ALL_QUERIES.join(', ')}`);
    const timeout = positive('timeout', args['timeout']);
    const checkEvents = positive('check-events', args['checkEvents']);
    const checkRate = positive('check-rate', args['checkRate']);
    const common = ['--rate', String(source.rate), '--seed', String(source.seed)];
    const interval = args['checkpointInterval'];
    if (typeof interval === 'string') common.push('--checkpoint-interval', interval);

    // Earlier results read first, so a bad --merge file fails before anything is measured.
    const merge = (args['merge'] as string[] | undefined ?? []).filter((f) => f !== '');
    const earlier = merge.map((f) => readReport(f));

    const commit = machine().commit;
    const command = `eddy bench nexmark ${process.argv.slice(4).join(' ')}`.trim();
    let generator: QueryFigures | undefined;
    if (queries.length > 0) {
      process.stderr.write(`generator: ${events.toLocaleString('en-US')} events\n`);
      const gen = await inChild(['--worker', 'generator', '--events', String(events), ...common], timeout);
      generator = (gen.value as QueryFigures | undefined) ?? failedFigures('generator', events, gen.error ?? 'no result');
      generator.commit = commit;
      generator.command = command;
      generator.load_average = loadavg()[0];
    }

    const results: QueryFigures[] = [];
    const out = args['out'];
    const reportOf = (): NexmarkReport => earlier.reduceRight<NexmarkReport>(
      (later, e) => mergeReports(e, later),
      { machine: { ...machine(), command }, generator, queries: results },
    );
    for (const q of queries) {
      // A query that does not finish in time is measured again over a tenth of the events (and says so).
      let n = events;
      let figures: QueryFigures;
      const notes: string[] = [];
      for (;;) {
        process.stderr.write(`${q}: measuring over ${n.toLocaleString('en-US')} events\n`);
        const m = await inChild(['--worker', 'measure', '--query', q, '--events', String(n), ...common], timeout);
        figures = (m.value as QueryFigures | undefined) ?? failedFigures(q, n, m.error ?? 'no result');
        if (m.timedOut !== true || n / 10 < MIN_EVENTS) break;
        notes.push(`${n.toLocaleString('en-US')} events did not finish within ${timeout} s`);
        n = Math.floor(n / 10);
      }
      if (notes.length > 0) figures.note = notes.join('; ');
      figures.commit = commit;
      figures.command = command;
      figures.load_average = loadavg()[0];
      if (args['check'] !== false) {
        process.stderr.write(`${q}: checking against DuckDB over ${checkEvents.toLocaleString('en-US')} events\n`);
        const c = await inChild(['--worker', 'check', '--query', q, '--events', String(checkEvents), '--rate', String(checkRate), '--seed', String(source.seed)], timeout);
        const verdict = (c.value as CheckVerdict | undefined) ?? { correct: null, detail: c.error ?? 'no result' };
        figures.correct = figures.status === 'ok' ? verdict.correct : null;
        figures.correct_detail = verdict.detail;
      }
      results.push(figures);
      // The results so far, so a long run stopped part-way still leaves every finished query's figures.
      if (typeof out === 'string' && out !== '') writeFileSync(out, `${JSON.stringify(reportOf(), null, 2)}\n`);
      process.stderr.write(`${q}: ${figures.status}${figures.events_per_second === null ? '' : `, ${Math.round(figures.events_per_second).toLocaleString('en-US')} events/s`}${figures.correct === null ? '' : figures.correct ? ', correct' : ', WRONG'}\n`);
    }
    const report = reportOf();
    process.stdout.write(`${textTable(report)}\n`);
    if (typeof out === 'string' && out !== '') {
      writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`results written to ${out}\n`);
    }
    const md = args['write'];
    if (typeof md === 'string' && md !== '') {
      writeResults(md, report);
      process.stdout.write(`results written to ${md}\n`);
    }
    return report.queries.some((r) => r.correct === false) ? 1 : 0;
  },
};
