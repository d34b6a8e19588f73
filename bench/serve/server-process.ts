// `eddy serve` as a child process on a free loopback port over a temporary data directory, with its RSS sampled.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The CLI shim, from dist/bench/serve/ (or bench/serve/ under tsx): the repository root is three levels up either way. */
const EDDY = new URL('../../../bin/eddy.js', import.meta.url).pathname;
const EDDY_FROM_SOURCE = new URL('../../bin/eddy.js', import.meta.url).pathname;

/** The server's resident memory, in bytes. */
export interface Rss {
  readonly total: number;
  /** Anonymous memory: the JavaScript heap, buffers, native allocations. */
  readonly anon: number;
  /** Pages of mapped files resident now: mostly the LMDB map, which the kernel can drop at will. */
  readonly file: number;
}

/** One RSS reading of the server. */
export interface RssSample extends Rss {
  /** Seconds since sampling started. */
  readonly at: number;
}

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  /** What the server wrote to stderr (unexpected errors are logged there). */
  readonly stderr: () => string;
  /** The server's resident set size now (undefined where /proc is missing or the process is gone). */
  rss(): Rss | undefined;
  /** Bytes of the files in the server's data directory. */
  dataBytes(): number;
  /** CPU seconds (user + system, all threads) the server has used so far (undefined without /proc). */
  cpuSeconds(): number | undefined;
  /** Stops the server: SIGTERM, then SIGKILL after `graceMs`; removes the data directory. Safe to call twice. */
  stop(graceMs?: number): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function rssOf(pid: number): Rss | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number | undefined => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
  };
  const total = kb('VmRSS');
  if (total === undefined) return undefined;
  return { total, anon: kb('RssAnon') ?? total, file: kb('RssFile') ?? 0 };
}

function bytesUnder(dir: string): number {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      n += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
    }
  } catch {
    // Gone or unreadable: counts as empty.
  }
  return n;
}

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux Node supports (USER_HZ). */
const USER_HZ = 100;

function cpuOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state) on: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * The port an `eddy serve --port 0` child listens on, read from its stdout. Rejects
 * when it exits first or does not listen within `startMs`, with `log()` (its stderr)
 * in the message.
 */
export function listeningPort(child: ChildProcess, startMs: number, log: () => string): Promise<number> {
  let out = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`eddy serve did not start within ${startMs} ms: ${log()}`)), startMs);
    child.stdout?.on('data', (d: Buffer) => {
      if (out.length < 4096) out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`eddy serve exited with ${String(code)} before listening: ${log()}`));
    });
  });
}

/**
 * Starts `eddy serve --port 0` on 127.0.0.1 and resolves once it prints where
 * it listens (rejecting after `startMs`). Until `stop()` the child is also
 * killed when this process exits, so no run leaves a server behind.
 */
export async function startServerProcess(extraArgs: readonly string[] = [], startMs = 15_000): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-serve-'));
  const eddy = existsSync(EDDY) ? EDDY : EDDY_FROM_SOURCE;
  const child = spawn(process.execPath, [eddy, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(dir, 'data'), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    // Only the start of the log is kept: a failing server must not fill memory here.
    if (err.length < 64 * 1024) err += d.toString();
  });
  let stopped: Promise<number | null> | undefined;
  const stop = (graceMs = 5000): Promise<number | null> => {
    stopped ??= (async () => {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const code = await Promise.race([exited(child), late]);
      clearTimeout(timer);
      let result: number | null;
      if (code === 'late') {
        child.kill('SIGKILL');
        await exited(child);
        result = null;
      } else result = code;
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
      return result;
    })();
    return stopped;
  };
  try {
    const port = await listeningPort(child, startMs, () => err);
    if (child.pid === undefined) throw new Error('eddy serve has no process id');
    const pid = child.pid;
    return { port, pid, stderr: () => err, rss: () => rssOf(pid), dataBytes: () => bytesUnder(dir), cpuSeconds: () => cpuOf(pid), stop };
  } catch (e) {
    await stop(1000);
    throw e;
  }
}

/** Samples `read` every `everyMs` until stopped; readings that fail are skipped. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();

  constructor(private readonly read: () => Rss | undefined, everyMs = 1000, private readonly maxSamples = 100_000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    if (this.samples.length >= this.maxSamples) return;
    const rss = this.read();
    if (rss !== undefined) this.samples.push({ at: (performance.now() - this.started) / 1000, ...rss });
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
