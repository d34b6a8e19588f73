// `eddy bench serve`: the wire server under load (many pg clients inserting, reading and subscribing), on loopback.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { EddyCommand } from '../../bin/commands/command.js';
import { summarizeRss, textReport, writeResults, type MachineLoad } from './report.js';
import { RssSampler, startServerProcess } from './server-process.js';
import { runLoad } from './workload.js';

/** Microseconds some task has waited for a CPU since boot (Linux pressure stall information), if available. */
function cpuStallMicros(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

function positive(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${String(v)}`);
  return n;
}

export const serveBenchCommand: EddyCommand = {
  command: 'serve',
  describe: 'load test of `eddy serve`: concurrent pg clients mixing INSERTs, SELECTs and subscriptions',
  builder: (y: Argv) => y
    .option('seconds', { type: 'number', default: 60, describe: 'length of the run: half at peak (closed loop), half paced at half of the peak rates' })
    .option('clients', { type: 'number', default: 200, describe: 'concurrent connections (a tenth subscribe, the rest half insert and half read)' })
    .option('slots', { type: 'number', default: 10_000, describe: 'rows of the table (INSERTs upsert into them, so state stays bounded)' })
    .option('keys', { type: 'number', default: 1_000, describe: 'groups of the materialized view' })
    .option('write', { type: 'string', describe: 'update the serving section of this markdown file (e.g. bench/RESULTS.md)' })
    .example('$0 bench serve --seconds 10 --clients 50', 'a quick run')
    .example('$0 bench serve --write bench/RESULTS.md', 'the full run, recorded'),
  run: async (args: ArgumentsCamelCase) => {
    const seconds = positive('seconds', args['seconds']);
    const clients = Math.max(4, Math.floor(positive('clients', args['clients'])));
    const slots = Math.floor(positive('slots', args['slots']));
    const keys = Math.floor(positive('keys', args['keys']));
    const tty = process.stderr.isTTY === true;
    const loadBefore = loadavg()[0] ?? 0;
    const stall0 = cpuStallMicros();
    const wall0 = performance.now();
    const server = await startServerProcess();
    const idleRss = server.rss();
    let sampler: RssSampler | undefined;
    // Ctrl-C ends the phases early; the drain, the report and stopping the server still happen.
    const abort = new AbortController();
    const onInt = (): void => abort.abort();
    process.once('SIGINT', onInt);
    let result;
    let dataBytes: number | undefined;
    try {
      result = await runLoad({
        port: server.port, clients, seconds, slots, keys, signal: abort.signal, serverCpuSeconds: () => server.cpuSeconds(),
        onLoadStart: () => {
          sampler = new RssSampler(() => server.rss());
        },
        ...(tty ? { progress: (line: string) => process.stderr.write(`\r\x1b[K${line}`) } : {}),
      });
    } finally {
      if (tty) process.stderr.write('\r\x1b[K');
      sampler?.stop();
      dataBytes = server.dataBytes();
      process.removeListener('SIGINT', onInt);
      await server.stop();
    }
    const stall1 = cpuStallMicros();
    const load: MachineLoad = {
      before: loadBefore, after: loadavg()[0] ?? 0,
      ...(stall0 !== undefined && stall1 !== undefined ? { cpuStalled: (stall1 - stall0) / 1000 / (performance.now() - wall0) } : {}),
    };
    const memory = summarizeRss(sampler?.samples ?? [], idleRss, dataBytes);
    process.stdout.write(`${textReport(result, memory, load)}\n`);
    const log = server.stderr().trim();
    if (log !== '') process.stderr.write(`server log:\n${log.slice(0, 4000)}\n`);
    const file = args['write'];
    if (typeof file === 'string' && file !== '') {
      const command = `eddy bench serve ${process.argv.slice(4).join(' ')}`.trim();
      writeResults(file, result, memory, command, load);
      process.stdout.write(`results written to ${file}\n`);
    }
    const ok = result.errors === 0 && result.missing === 0 && result.duplicates === 0 && result.viewMismatches === 0;
    return ok ? 0 : 1;
  },
};
