// End-to-end test support: an in-process server on a free loopback port over a
// fresh data directory, psql runs, and a raw protocol client built from
// pg-protocol's serializer and parser.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { serialize } from 'pg-protocol';
import { Engine } from '../../executor/engine/engine.js';
import { startServer, type EddyServer, type ServerOptions } from '../../server/listen.js';

export interface TestServer {
  readonly engine: Engine;
  readonly server: EddyServer;
  readonly port: number;
  /** Server log lines (unexpected errors). */
  readonly log: string[];
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<Omit<ServerOptions, 'engine'>> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-e2e-'));
  const engine = await Engine.open({ dataDir: dir });
  const log: string[] = [];
  const server = await startServer({ engine, host: '127.0.0.1', port: 0, log: (m) => log.push(m), ...options });
  return {
    engine, server, port: server.port, log,
    close: async () => {
      await server.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rejects when `p` takes longer than `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface PsqlResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs psql against the test server (asynchronously: the server lives in this process). */
export function psql(port: number, args: readonly string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PsqlResult> {
  return new Promise((resolve) => {
    const child = execFile('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'eddy', '-d', 'eddy', '-X', ...args], {
      timeout: options.timeoutMs ?? 10_000,
      env: { ...process.env, PGCONNECT_TIMEOUT: '5', ...options.env },
    }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ stdout, stderr, code });
    });
    child.stdin?.end(options.input ?? '');
  });
}

export function pgClient(port: number, config: pg.ClientConfig = {}): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port, user: 'eddy', database: 'eddy', ...config });
}

/** Anything pg-protocol's parser hands back, with the fields tests read. */
export type Msg = BackendMessage & {
  readonly fields?: unknown[];
  readonly text?: string;
  readonly status?: string;
  readonly code?: string;
  readonly message?: string;
  readonly position?: string;
  readonly where?: string;
  readonly severity?: string;
  readonly processID?: number;
  readonly secretKey?: number;
  readonly chunk?: Buffer;
  readonly dataTypeIDs?: number[];
  readonly columnCount?: number;
  readonly parameterName?: string;
  readonly parameterValue?: string;
};

/**
 * A client speaking the protocol by hand: writes whatever bytes a test wants and
 * collects the server's messages (or, before startup, its raw bytes).
 */
export class RawClient {
  readonly messages: Msg[] = [];
  /** The same messages as raw frames (pg-protocol's parser reads DataRow fields as text only). */
  readonly frames: { readonly type: string; readonly body: Buffer }[] = [];
  raw = Buffer.alloc(0);
  private framing = Buffer.alloc(0);
  private parsing = false;
  private readonly parser = new Parser();
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.parsing) this.take(chunk);
      else this.raw = Buffer.concat([this.raw, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private take(chunk: Buffer): void {
    this.parser.parse(chunk, (m) => this.messages.push(m as Msg));
    this.framing = Buffer.concat([this.framing, chunk]);
    while (this.framing.length >= 5) {
      const len = this.framing.readInt32BE(1);
      if (this.framing.length < len + 1) break;
      this.frames.push({ type: String.fromCharCode(this.framing[0] as number), body: this.framing.subarray(5, len + 1) });
      this.framing = this.framing.subarray(len + 1);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** From now on, parse what arrives as backend messages. */
  parseMessages(): void {
    this.parsing = true;
    if (this.raw.length > 0) {
      const pending = this.raw;
      this.raw = Buffer.alloc(0);
      this.take(pending);
    }
  }

  /** Waits until `done` holds (checked after every arrival), or the socket closes. */
  async until(done: () => boolean, ms = 5000, what = 'the server'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (this.closed) throw new Error(`${what}: connection closed`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: timed out`);
      await within(new Promise<void>((resolve) => this.waiters.push(resolve)), left, what).catch(() => {});
    }
  }

  /** Waits for the socket to close. */
  async closedWithin(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the server did not close the connection');
      await within(new Promise<void>((resolve) => this.waiters.push(resolve)), left, 'close').catch(() => {});
    }
  }

  /** Messages from index `from` on, up to and including the next ReadyForQuery. */
  async untilReady(from = 0, ms = 5000): Promise<Msg[]> {
    let end = -1;
    await this.until(() => {
      end = this.messages.findIndex((m, i) => i >= from && m.name === 'readyForQuery');
      return end >= 0;
    }, ms, 'ReadyForQuery');
    return this.messages.slice(from, end + 1);
  }

  /** Startup as `user`, answering nothing else: for trust authentication. */
  async startup(params: Record<string, string> = {}): Promise<Msg[]> {
    this.parseMessages();
    this.write(serialize.startup({ user: 'eddy', database: 'eddy', ...params }));
    return this.untilReady(0);
  }

  /** Sends a simple Query and returns its messages through ReadyForQuery. */
  async query(sql: string, ms = 5000): Promise<Msg[]> {
    const from = this.messages.length;
    this.write(serialize.query(sql));
    return this.untilReady(from, ms);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The fields of each DataRow frame from index `from` on, as raw bytes (null for NULL). */
export function binaryRows(client: RawClient, from = 0): (Buffer | null)[][] {
  return client.frames.slice(from).filter((f) => f.type === 'D').map((f) => {
    const n = f.body.readInt16BE(0);
    const out: (Buffer | null)[] = [];
    let at = 2;
    for (let i = 0; i < n; i++) {
      const len = f.body.readInt32BE(at);
      at += 4;
      if (len < 0) out.push(null);
      else {
        out.push(f.body.subarray(at, at + len));
        at += len;
      }
    }
    return out;
  });
}

/** The names of messages, for compact assertions. */
export function names(messages: readonly Msg[]): string[] {
  return messages.map((m) => m.name);
}

/** DataRow values of messages. */
export function rows(messages: readonly Msg[]): unknown[][] {
  return messages.filter((m) => m.name === 'dataRow').map((m) => m.fields ?? []);
}
