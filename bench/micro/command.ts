// `eddy bench micro`: the engine-core micro-benchmarks (filter + project, group aggregate, join, SQL end to end).

import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { EddyCommand } from '../../bin/commands/command.js';
import { benchFilterProject } from './filter-project.js';
import { benchGroupAggregate } from './group-aggregate.js';
import { benchJoin } from './join.js';
import type { Figure } from './measure.js';
import { textTable, writeResults } from './report.js';
import { benchSqlInsert } from './sql-insert.js';
import { benchWindows, writeWindowResults } from './windows.js';
import { benchMatchRecognize, writeMatchRecognizeResults } from './match-recognize.js';
import { benchTemporalJoin, writeTemporalJoinResults } from './temporal-join.js';
import { benchCheckpoint, checkpointWorker, writeCheckpointResults } from './checkpoint.js';

const SUITES = ['filter', 'aggregate', 'join', 'sql', 'windows', 'match-recognize', 'temporal-join', 'checkpoint'] as const;
type Suite = (typeof SUITES)[number];

function positive(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1) throw new Error(`--${name} must be a positive number, got ${String(v)}`);
  return Math.floor(n);
}

export const microBenchCommand: EddyCommand = {
  command: 'micro [suites..]',
  describe: 'engine-core micro-benchmarks: operators on in-memory state, and INSERT through SQL',
  builder: (y: Argv) => y
    .positional('suites', { type: 'string', array: true, describe: `run only these (as --only): ${SUITES.join(', ')}` })
    .option('rows', { type: 'number', default: 10_000_000, describe: 'rows through filter + project' })
    .option('keys', { type: 'number', default: 1_000_000, describe: 'aggregate keys, and rows per join side' })
    // 10 M updates is the figure's definition, but at today's rate it alone takes
    // about ten minutes on a 2-core machine: the default keeps a full run to a few.
    .option('updates', { type: 'number', default: 1_000_000, describe: 'updates (-U/+U pairs) into the aggregate' })
    .option('join-updates', { type: 'number', default: 0.1, describe: 'fraction of each join side updated after the load' })
    .option('sql-rows', { type: 'number', default: 200_000, describe: 'rows INSERTed through SQL' })
    .option('sql-batch', { type: 'number', default: 1_000, describe: 'rows per INSERT statement' })
    .option('batch', { type: 'number', default: 1_000, describe: 'changes per batch pushed into an operator' })
    .option('window-events', { type: 'number', default: 2_000_000, describe: 'events through each window aggregation (TUMBLE, HOP, SESSION)' })
    .option('window-keys', { type: 'number', default: 10_000, describe: 'keys of the window aggregations' })
    .option('mr-ticks', { type: 'number', default: 10_000_000, describe: 'ticks through MATCH_RECOGNIZE (V shape)' })
    .option('mr-symbols', { type: 'number', default: 1_000, describe: 'symbols (partitions) of the MATCH_RECOGNIZE ticks' })
    .option('tj-keys', { type: 'number', default: 100_000, describe: 'keys of the versioned table in the temporal join' })
    .option('tj-probes', { type: 'number', default: 10_000_000, describe: 'probe rows (orders) through the temporal join' })
    .option('only', { type: 'string', describe: `comma-separated subset of ${SUITES.join(', ')}` })
    .option('write', { type: 'string', describe: 'update the micro-benchmark section of this markdown file (e.g. bench/RESULTS.md)' })
    .option('checkpoint-pairs', { type: 'number', default: 2, describe: 'checkpoint benchmark: pairs of processes (without and with checkpoints) run at once' })
    .option('checkpoint-seconds', { type: 'number', default: 60, describe: 'checkpoint benchmark: seconds the process with checkpoints runs at least' })
    .option('worker', { type: 'string', hidden: true })
    .option('worker-seconds', { type: 'number', hidden: true })
    .example('$0 bench micro --rows 1e6 --keys 1e5 --updates 2e5 --sql-rows 2e4', 'a quick run')
    .example('$0 bench micro --only aggregate --updates 1e7', 'the aggregate with 10 M updates')
    .example('$0 bench micro --write bench/RESULTS.md', 'the full run, recorded'),
  run: async (args: ArgumentsCamelCase) => {
    const worker = args['worker'];
    if (typeof worker === 'string') {
      await checkpointWorker(worker, positive('keys', args['keys']), positive('worker-seconds', args['workerSeconds']), positive('batch', args['batch']));
      return 0;
    }
    const rows = positive('rows', args['rows']);
    const keys = positive('keys', args['keys']);
    const updates = positive('updates', args['updates']);
    const batch = positive('batch', args['batch']);
    const sqlRows = positive('sql-rows', args['sqlRows']);
    const sqlBatch = positive('sql-batch', args['sqlBatch']);
    const ratio = Number(args['joinUpdates']);
    if (!(ratio > 0 && ratio <= 1)) throw new Error('--join-updates must be in (0, 1]');
    const named = Array.isArray(args['suites']) ? (args['suites'] as unknown[]).map(String) : [];
    const only = named.length > 0 ? named : typeof args['only'] === 'string' ? args['only'].split(',').map((s) => s.trim()) : [...SUITES];
    for (const s of only) if (!(SUITES as readonly string[]).includes(s)) throw new Error(`unknown benchmark "${s}"; choose from ${SUITES.join(', ')}`);
    const selected = (s: Suite): boolean => only.includes(s);

    const figures: Figure[] = [];
    const report = (f: Figure): void => {
      figures.push(f);
      process.stderr.write(`  ${f.name}: ${f.wallSeconds.toFixed(2)} s\n`);
    };
    if (selected('filter')) report(await benchFilterProject(rows, batch));
    if (selected('aggregate')) benchGroupAggregate(keys, updates, batch).forEach(report);
    if (selected('join')) benchJoin(keys, ratio, batch).forEach(report);
    if (selected('sql')) report(await benchSqlInsert(sqlRows, sqlBatch));
    // Window figures go to a section of their own in RESULTS.md.
    const windowFigures = selected('windows') ? benchWindows(positive('window-events', args['windowEvents']), positive('window-keys', args['windowKeys']), batch) : [];
    windowFigures.forEach((f) => process.stderr.write(`  ${f.name}: ${f.wallSeconds.toFixed(2)} s\n`));
    const mrFigures = selected('match-recognize') ? [benchMatchRecognize(positive('mr-ticks', args['mrTicks']), positive('mr-symbols', args['mrSymbols']), batch)] : [];
    mrFigures.forEach((f) => process.stderr.write(`  ${f.name}: ${f.wallSeconds.toFixed(2)} s\n`));
    const tjFigures = selected('temporal-join') ? benchTemporalJoin(positive('tj-keys', args['tjKeys']), positive('tj-probes', args['tjProbes']), 0.1, batch) : [];
    tjFigures.forEach((f) => process.stderr.write(`  ${f.name}: ${f.wallSeconds.toFixed(2)} s\n`));
    // Checkpoints on a state of `keys` keys, recovery, INSERT acknowledgement latency: a section of their own.
    const checkpointOptions = { keys, seconds: positive('checkpoint-seconds', args['checkpointSeconds']), pairs: positive('checkpoint-pairs', args['checkpointPairs']), latencySeconds: 5, batch };
    const checkpoint = selected('checkpoint') ? await benchCheckpoint(checkpointOptions, (l) => process.stderr.write(`${l}\n`)) : undefined;

    process.stdout.write(`${textTable([...figures, ...windowFigures, ...mrFigures, ...tjFigures])}\n`);
    const file = args['write'];
    if (typeof file === 'string' && file !== '') {
      const command = `eddy bench micro ${process.argv.slice(4).join(' ')}`.trim();
      if (figures.length > 0) writeResults(file, figures, command);
      if (windowFigures.length > 0) writeWindowResults(file, windowFigures, command);
      if (mrFigures.length > 0) writeMatchRecognizeResults(file, mrFigures, command);
      if (tjFigures.length > 0) writeTemporalJoinResults(file, tjFigures, command);
      if (checkpoint) writeCheckpointResults(file, checkpoint, command);
      process.stdout.write(`results written to ${file}\n`);
    }
    return 0;
  },
};
