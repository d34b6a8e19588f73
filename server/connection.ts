// One client connection: framing of its byte stream, the startup handshake, a
// message loop run one message at a time, output with backpressure, and clean
// teardown (its engine session, cursors and subscriptions) however it ends.

import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { getTimeZone, UTC } from '../common/datetime.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { TextFormatOptions } from '../common/pg-text.js';
import type { Engine } from '../executor/engine/engine.js';
import type { EngineSession } from '../executor/engine/session.js';
import { Backend } from './codec/backend.js';
import { FrameDecoder, protocolError, type Frame, type FrontendMessage } from './codec/frontend.js';
import { errorFields, FatalError } from './errors.js';
import { ExtendedProtocol } from './extended-query.js';
import type { CatalogContext, ObjectIds } from './pg-catalog/index.js';
import { simpleQuery } from './simple-query.js';
import type { StatementHost } from './statement-host.js';
import type { Outcome, ServerCommand } from './statements.js';
import { handshake, type AuthConfig } from './startup.js';

/** What every connection of one server shares. */
export interface ServerShared {
  readonly engine: Engine;
  readonly oids: ObjectIds;
  readonly startedAt: number;
  readonly version: string;
  readonly auth: AuthConfig;
  readonly maxMessage: number;
  readonly maxConnections: number;
  /** Live connections by backend pid, for CancelRequest. */
  readonly connections: Map<number, Connection>;
  readonly log: (message: string) => void;
}

/** Settings whose changes are reported to the client with ParameterStatus. */
export const REPORTED_SETTINGS: readonly (readonly [string, string])[] = [
  ['application_name', 'application_name'], ['client_encoding', 'client_encoding'], ['datestyle', 'DateStyle'],
  ['intervalstyle', 'IntervalStyle'], ['timezone', 'TimeZone'], ['standard_conforming_strings', 'standard_conforming_strings'],
];

const OUTPUT_HIGH_WATER = 64 * 1024;
/** How long a closing connection waits for the client to read what is left (its last error) before dropping it. */
const LINGER_MS = 5000;
/** Frames, or bytes of them, queued before reading from the socket pauses. */
const INPUT_HIGH_WATER = 256;
const INPUT_HIGH_WATER_BYTES = 16 * 1024 * 1024;
/** A client must finish startup and authentication within this time (PostgreSQL's authentication_timeout). */
const STARTUP_TIMEOUT_MS = 60_000;

/** Roughly how much memory a queued frame holds. */
function frameBytes(f: Frame): number {
  if (!('message' in f)) return 64;
  const m = f.message;
  switch (m.kind) {
    case 'CopyData': return m.data.length;
    case 'Query': case 'Parse': return m.sql.length * 2;
    case 'Bind': return m.params.reduce((n, p) => n + (p?.length ?? 0), 64);
    default: return 64;
  }
}

let nextPid = 1000 + Math.floor(Math.random() * 1000);

export class Connection implements StatementHost {
  readonly pid = nextPid++;
  /** The cancel key: unguessable, so only this client can cancel its statements. */
  readonly secret = randomBytes(4).readInt32BE(0);
  user = '';
  database = '';
  private sessionRef: EngineSession | undefined;
  private readonly decoder: FrameDecoder;
  private readonly frames: Frame[] = [];
  private queuedBytes = 0;
  private frameWaiter: (() => void) | undefined;
  private inputEnded = false;
  private closedFlag = false;
  private paused = false;
  private out: Buffer[] = [];
  private outBytes = 0;
  private current: AbortController | undefined;
  private readonly idleSignal = new AbortController().signal;
  /** An error inside BEGIN ... until ROLLBACK (transaction status E). */
  txFailed = false;
  readonly extended: ExtendedProtocol;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(readonly socket: Socket, readonly shared: ServerShared) {
    this.decoder = new FrameDecoder(shared.maxMessage);
    this.extended = new ExtendedProtocol(this);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.endInput());
    socket.on('close', () => {
      this.closedFlag = true;
      this.endInput();
      this.wakeDrain();
    });
    socket.on('error', () => {
      // ECONNRESET and the like: 'close' follows and ends the connection.
    });
    socket.on('drain', () => this.wakeDrain());
  }

  get session(): EngineSession {
    if (this.sessionRef === undefined) throw new SqlError(SqlState.internalError, 'no session before startup');
    return this.sessionRef;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Runs the connection to its end; never rejects. */
  async run(): Promise<void> {
    // A client that never completes startup is dropped, as PostgreSQL's authentication_timeout does.
    const startupTimer = setTimeout(() => this.socket.destroy(), STARTUP_TIMEOUT_MS);
    startupTimer.unref();
    try {
      const ok = await handshake(this);
      clearTimeout(startupTimer);
      if (!ok) return;
      this.sessionRef = this.shared.engine.session();
      this.shared.connections.set(this.pid, this);
      this.applyStartupOptions();
      await this.sendStartupReply();
      await this.messageLoop();
    } catch (err) {
      if (!this.closedFlag) {
        const fields = errorFields(err);
        if (!(err instanceof SqlError)) this.shared.log(`connection ${this.pid}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        this.send(Backend.errorResponse({ ...fields, severity: 'FATAL' }));
        this.flush();
      }
    } finally {
      clearTimeout(startupTimer);
      this.teardown();
    }
  }

  private teardown(): void {
    this.shared.connections.delete(this.pid);
    this.current?.abort();
    // Whatever fails while closing is logged: the rest must still be released.
    for (const release of [() => this.extended.closeAll(), () => this.sessionRef?.close()]) {
      try {
        release();
      } catch (err) {
        this.shared.log(`closing connection ${this.pid}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }
    this.closedFlag = true;
    if (!this.socket.destroyed) this.socket.end(() => this.socket.destroy());
    // A client that never reads would keep the socket half-open: give up after a while.
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  private async sendStartupReply(): Promise<void> {
    this.send(Backend.authenticationOk());
    const statuses: [string, string][] = [
      ['server_version', this.session.setting('server_version') ?? '16.0'],
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', this.session.setting('datestyle') ?? 'ISO, MDY'],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', this.session.setting('timezone') ?? 'UTC'],
      ['IntervalStyle', 'postgres'],
      ['application_name', this.session.setting('application_name') ?? ''],
      ['is_superuser', 'on'],
      ['session_authorization', this.user],
      ['default_transaction_read_only', 'off'],
      ['in_hot_standby', 'off'],
    ];
    for (const [k, v] of statuses) this.send(Backend.parameterStatus(k, v));
    this.send(Backend.backendKeyData(this.pid, this.secret));
    this.send(Backend.readyForQuery('I'));
    await this.flushAndDrain();
  }

  /** Startup-packet parameters, kept until the session exists. */
  startupParams: ReadonlyMap<string, string> = new Map();

  /** Applies startup-packet options (application_name, TimeZone, `-c name=value`...) to the session. */
  private applyStartupOptions(): void {
    const params = this.startupParams;
    const set = (k: string, v: string): void => {
      this.session.settings.set(k.toLowerCase(), v);
    };
    for (const [k, v] of params) {
      if (k === 'user' || k === 'database' || k === 'replication' || k.startsWith('_pq_.')) continue;
      if (k === 'options') {
        // `-c name=value` or `--name=value`, as libpq's PGOPTIONS passes them.
        for (const m of v.matchAll(/(?:-c\s*|--)([\w.]+)=((?:\\ |\S)+)/g)) set(m[1] as string, (m[2] as string).replace(/\\ /g, ' '));
        continue;
      }
      if (k === 'client_encoding') continue;
      set(k, v);
    }
  }

  private async messageLoop(): Promise<void> {
    for (;;) {
      const frame = await this.nextFrame();
      if (frame === undefined) return;
      if ('startup' in frame) throw new FatalError(SqlState.protocolViolation, 'unexpected startup packet');
      const m = frame.message;
      if (m.kind === 'Terminate') return;
      await this.dispatch(m);
      if (this.closedFlag) return;
    }
  }

  private async dispatch(m: FrontendMessage): Promise<void> {
    if (this.extended.skipping && m.kind !== 'Sync') return;
    switch (m.kind) {
      case 'Query':
        await simpleQuery(this, m.sql);
        await this.flushAndDrain();
        return;
      case 'Parse': case 'Bind': case 'Describe': case 'Execute': case 'Close':
        await this.extended.handle(m);
        if (this.outBytes > OUTPUT_HIGH_WATER) await this.flushAndDrain();
        return;
      case 'Flush':
        await this.flushAndDrain();
        return;
      case 'Sync':
        this.extended.sync();
        this.send(Backend.readyForQuery(this.status()));
        await this.flushAndDrain();
        return;
      case 'CopyData': case 'CopyDone': case 'CopyFail':
        // Left over from a COPY FROM that failed: the client is still sending its data.
        return;
      case 'FunctionCall':
        this.sendError(new SqlError(SqlState.featureNotSupported, 'the function call protocol is not supported'));
        this.send(Backend.readyForQuery(this.status()));
        await this.flushAndDrain();
        return;
      case 'Password':
        throw new FatalError(SqlState.protocolViolation, 'unexpected password message');
      case 'Terminate':
        return;
    }
  }

  status(): 'I' | 'T' | 'E' {
    if (this.txFailed) return 'E';
    return this.sessionRef?.inTransaction ? 'T' : 'I';
  }

  // ------------------------------------------------------------ input

  private onData(chunk: Buffer): void {
    if (this.closedFlag) return;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      // A bad length or malformed message: report and close; other clients are unaffected.
      this.send(Backend.errorResponse({ ...errorFields(err), severity: 'FATAL' }));
      this.flush();
      this.closedFlag = true;
      this.current?.abort();
      this.endInput();
      this.socket.end(() => this.socket.destroy());
      return;
    }
    for (const f of frames) {
      this.frames.push(f);
      this.queuedBytes += frameBytes(f);
    }
    if ((this.frames.length > INPUT_HIGH_WATER || this.queuedBytes > INPUT_HIGH_WATER_BYTES) && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    if (frames.length > 0) this.wakeFrames();
  }

  private endInput(): void {
    this.inputEnded = true;
    this.current?.abort();
    this.wakeFrames();
  }

  private wakeFrames(): void {
    const w = this.frameWaiter;
    this.frameWaiter = undefined;
    w?.();
  }

  /** The next frame, or undefined once the client is gone. */
  async nextFrame(): Promise<Frame | undefined> {
    for (;;) {
      const f = this.frames.shift();
      if (f !== undefined) {
        this.queuedBytes -= frameBytes(f);
        if (this.paused && this.frames.length < INPUT_HIGH_WATER / 2 && this.queuedBytes < INPUT_HIGH_WATER_BYTES / 2) {
          this.paused = false;
          this.socket.resume();
        }
        return f;
      }
      if (this.inputEnded || this.closedFlag) return undefined;
      await new Promise<void>((resolve) => {
        this.frameWaiter = resolve;
      });
    }
  }

  /** The next message after startup (COPY FROM reads its data this way). */
  async nextMessage(): Promise<FrontendMessage | undefined> {
    const f = await this.nextFrame();
    if (f === undefined) return undefined;
    if ('startup' in f) throw protocolError('unexpected startup packet');
    return f.message;
  }

  // ------------------------------------------------------------ output

  send(message: Buffer): void {
    if (this.closedFlag && this.socket.destroyed) return;
    this.out.push(message);
    this.outBytes += message.length;
  }

  /** Writes what is queued; false when the socket asks to wait for 'drain'. */
  flush(): boolean {
    if (this.out.length === 0 || this.socket.destroyed) return !this.socket.writableNeedDrain;
    const data = this.out.length === 1 ? this.out[0] as Buffer : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    return this.socket.write(data);
  }

  /** Writes what is queued and waits while the client is not reading. */
  async flushAndDrain(): Promise<void> {
    if (!this.flush()) await this.drained();
  }

  /** Queues a message and, past the high-water mark, writes and waits for the client to read. */
  async sendPaced(message: Buffer): Promise<void> {
    this.send(message);
    if (this.outBytes >= OUTPUT_HIGH_WATER) await this.flushAndDrain();
  }

  /** Resolves when the socket can take more, or is gone. */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.socket.destroyed || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrain(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }

  sendError(err: unknown, offset = 0): void {
    if (!(err instanceof SqlError)) this.shared.log(`connection ${this.pid}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    this.send(Backend.errorResponse(errorFields(err, offset)));
  }

  // ------------------------------------------------------------ statements

  /** Starts a cancellable statement. */
  beginStatement(): void {
    this.current = new AbortController();
    if (this.closedFlag) this.current.abort();
  }

  endStatement(): void {
    this.current = undefined;
  }

  get signal(): AbortSignal {
    return this.current?.signal ?? this.idleSignal;
  }

  /** A CancelRequest with this connection's key: aborts the running statement, if any. */
  cancel(): void {
    this.current?.abort();
  }

  get serverVersion(): string {
    return this.shared.version;
  }

  formatOptions(): TextFormatOptions {
    const tz = this.sessionRef?.setting('timezone');
    if (tz === undefined) return { timeZone: UTC };
    try {
      return { timeZone: getTimeZone(tz) };
    } catch {
      return { timeZone: UTC };
    }
  }

  catalogContext(): CatalogContext {
    const session = this.session;
    return {
      engine: this.shared.engine,
      oids: this.shared.oids,
      user: this.user,
      database: this.database,
      pid: this.pid,
      startedAt: this.shared.startedAt,
      setting: (name) => session.setting(name),
      settings: () => {
        const keys = new Set([...this.shared.engine.settings.keys(), ...session.settings.keys()]);
        return [...keys].sort().map((k) => [k, session.setting(k) ?? ''] as const);
      },
    };
  }

  serverCommand(command: ServerCommand): Outcome {
    switch (command.kind) {
      case 'discard':
        this.session.settings.clear();
        for (const c of this.session.cursors.values()) if (c.kind === 'stream') c.stream.close();
        this.session.cursors.clear();
        this.extended.closeAll();
        return { kind: 'command', tag: 'DISCARD ALL' };
      case 'deallocate':
        if (command.name === undefined) {
          this.extended.deallocateAll();
          return { kind: 'command', tag: 'DEALLOCATE ALL' };
        }
        if (!this.extended.deallocate(command.name)) {
          throw new SqlError('26000', `prepared statement "${command.name}" does not exist`);
        }
        return { kind: 'command', tag: 'DEALLOCATE' };
      case 'noop':
        return { kind: 'command', tag: command.tag };
      case 'rewrite':
        throw new SqlError(SqlState.internalError, 'a rewritten statement reached the server');
    }
  }

  /** Values of the reported settings, to send ParameterStatus for the ones a statement changed. */
  reportedSettings(): string[] {
    return REPORTED_SETTINGS.map(([k]) => this.session.setting(k) ?? '');
  }

  reportChanges(before: readonly string[]): void {
    const after = this.reportedSettings();
    REPORTED_SETTINGS.forEach(([, shown], i) => {
      if (after[i] !== before[i]) this.send(Backend.parameterStatus(shown, after[i] as string));
    });
  }
}
