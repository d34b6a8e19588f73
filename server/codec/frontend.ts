// Frontend (client → server) messages: framing with length checks before any
// allocation, and decoding of each message's fields with pg-protocol's BufferReader.

import { BufferReader } from 'pg-protocol/dist/buffer-reader.js';
import { SqlError, SqlState } from '../../common/errors.js';

/** The largest startup packet accepted (PostgreSQL's own limit). */
export const MAX_STARTUP_PACKET = 10_000;
/** The default cap on one message. */
export const DEFAULT_MAX_MESSAGE = 64 * 1024 * 1024;

export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

export type StartupFrame =
  | { readonly kind: 'SSLRequest' }
  | { readonly kind: 'GSSENCRequest' }
  | { readonly kind: 'CancelRequest'; readonly pid: number; readonly secret: number }
  | { readonly kind: 'Startup'; readonly major: number; readonly minor: number; readonly params: ReadonlyMap<string, string> };

export type FrontendMessage =
  | { readonly kind: 'Query'; readonly sql: string }
  | { readonly kind: 'Parse'; readonly name: string; readonly sql: string; readonly paramOids: readonly number[] }
  | {
    readonly kind: 'Bind'; readonly portal: string; readonly statement: string;
    readonly paramFormats: readonly number[]; readonly params: readonly (Buffer | null)[]; readonly resultFormats: readonly number[];
  }
  | { readonly kind: 'Describe'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'Execute'; readonly portal: string; readonly maxRows: number }
  | { readonly kind: 'Close'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'Flush' }
  | { readonly kind: 'Sync' }
  | { readonly kind: 'Terminate' }
  | { readonly kind: 'CopyData'; readonly data: Buffer }
  | { readonly kind: 'CopyDone' }
  | { readonly kind: 'CopyFail'; readonly message: string }
  /** `p`: a password, SASLInitialResponse or SASLResponse; which one depends on where authentication is. */
  | { readonly kind: 'Password'; readonly body: Buffer }
  | { readonly kind: 'FunctionCall' };

export type Frame = { readonly startup: StartupFrame } | { readonly message: FrontendMessage };

/** A protocol violation: answered with 08P01 and the connection closed. */
export function protocolError(message: string): SqlError {
  return new SqlError(SqlState.protocolViolation, message);
}

/**
 * Splits the byte stream into frames. Before the startup message, packets have
 * no type byte; after it, every message does. Lengths are validated before the
 * body is waited for, so a huge length is rejected at once, not buffered.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private startupDone = false;

  constructor(private readonly maxMessage = DEFAULT_MAX_MESSAGE) {}

  /** Bytes received but not yet framed. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Appends bytes and returns every complete frame; throws 08P01 on a bad length or message. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.nextFrame();
      if (frame === undefined) break;
      frames.push(frame);
    }
    return frames;
  }

  private peek(n: number): Buffer | undefined {
    if (this.buffered < n) return undefined;
    if (this.chunks[0]!.length < n) {
      this.chunks = [Buffer.concat(this.chunks)];
    }
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const head = this.peek(n) as Buffer;
    const first = this.chunks[0]!;
    // Copy so that a message never pins the (possibly large) socket chunk it arrived in.
    const out = Buffer.from(head);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }

  private nextFrame(): Frame | undefined {
    if (!this.startupDone) {
      const header = this.peek(4);
      if (header === undefined) return undefined;
      const length = header.readInt32BE(0);
      if (length < 8 || length > MAX_STARTUP_PACKET) throw protocolError(`invalid length of startup packet: ${length}`);
      if (this.buffered < length) return undefined;
      const packet = this.take(length);
      const startup = decodeStartup(packet);
      if (startup.kind === 'Startup') this.startupDone = true;
      return { startup };
    }
    const header = this.peek(5);
    if (header === undefined) return undefined;
    const type = header[0] as number;
    const length = header.readInt32BE(1);
    if (length < 4 || length > this.maxMessage) {
      throw protocolError(`invalid message length ${length} for message type "${String.fromCharCode(type)}"`);
    }
    if (this.buffered < length + 1) return undefined;
    const body = this.take(length + 1).subarray(5);
    return { message: decodeMessage(type, body) };
  }
}

/** Reads fields of one message body, failing with 08P01 instead of reading past its end. */
class FieldReader {
  private readonly reader = new BufferReader();
  private offset = 0;

  constructor(private readonly body: Buffer, private readonly what: string) {
    this.reader.setBuffer(0, body);
  }

  private ensure(n: number): void {
    if (n < 0 || this.offset + n > this.body.length) throw protocolError(`invalid ${this.what} message format`);
    this.offset += n;
  }

  int16(): number {
    this.ensure(2);
    return this.reader.int16();
  }

  int32(): number {
    this.ensure(4);
    return this.reader.int32();
  }

  byte(): number {
    this.ensure(1);
    return this.reader.byte();
  }

  bytes(n: number): Buffer {
    this.ensure(n);
    return this.reader.bytes(n);
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    if (end < 0) throw protocolError(`invalid ${this.what} message format`);
    this.offset = end + 1;
    return this.reader.cstring();
  }

  /** A count of following items, each at least `minSize` bytes: rejects counts the body cannot hold. */
  count(minSize: number): number {
    const n = this.int16();
    if (n < 0 || n * minSize > this.remaining) throw protocolError(`invalid ${this.what} message format`);
    return n;
  }

  get remaining(): number {
    return this.body.length - this.offset;
  }

  end(): void {
    if (this.offset !== this.body.length) throw protocolError(`invalid ${this.what} message format`);
  }
}

function decodeStartup(packet: Buffer): StartupFrame {
  const r = new FieldReader(packet, 'startup packet');
  r.int32();
  const code = r.int32();
  if (code === SSL_REQUEST_CODE) return { kind: 'SSLRequest' };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'GSSENCRequest' };
  if (code === CANCEL_REQUEST_CODE) {
    const pid = r.int32();
    const secret = r.int32();
    return { kind: 'CancelRequest', pid, secret };
  }
  const major = code >> 16;
  const minor = code & 0xffff;
  const params = new Map<string, string>();
  if (major === 3) {
    for (;;) {
      const key = r.cstring();
      if (key === '') break;
      params.set(key, r.cstring());
    }
  }
  return { kind: 'Startup', major, minor, params };
}

function decodeMessage(type: number, body: Buffer): FrontendMessage {
  switch (String.fromCharCode(type)) {
    case 'Q': {
      const r = new FieldReader(body, 'Query');
      const sql = r.cstring();
      r.end();
      return { kind: 'Query', sql };
    }
    case 'P': {
      const r = new FieldReader(body, 'Parse');
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.count(4);
      const paramOids: number[] = [];
      for (let i = 0; i < n; i++) paramOids.push(r.int32() >>> 0);
      r.end();
      return { kind: 'Parse', name, sql, paramOids };
    }
    case 'B': {
      const r = new FieldReader(body, 'Bind');
      const portal = r.cstring();
      const statement = r.cstring();
      const nf = r.count(2);
      const paramFormats: number[] = [];
      for (let i = 0; i < nf; i++) paramFormats.push(r.int16());
      const np = r.count(4);
      const params: (Buffer | null)[] = [];
      for (let i = 0; i < np; i++) {
        const len = r.int32();
        if (len === -1) params.push(null);
        else if (len < 0) throw protocolError('invalid Bind message format');
        else params.push(r.bytes(len));
      }
      const nr = r.count(2);
      const resultFormats: number[] = [];
      for (let i = 0; i < nr; i++) resultFormats.push(r.int16());
      r.end();
      return { kind: 'Bind', portal, statement, paramFormats, params, resultFormats };
    }
    case 'D': case 'C': {
      const what = type === 0x44 ? 'Describe' : 'Close';
      const r = new FieldReader(body, what);
      const target = String.fromCharCode(r.byte());
      if (target !== 'S' && target !== 'P') throw protocolError(`invalid ${what} message subtype ${JSON.stringify(target)}`);
      const name = r.cstring();
      r.end();
      return { kind: what, target, name };
    }
    case 'E': {
      const r = new FieldReader(body, 'Execute');
      const portal = r.cstring();
      const maxRows = r.int32();
      r.end();
      return { kind: 'Execute', portal, maxRows: maxRows <= 0 ? 0 : maxRows };
    }
    case 'H': return { kind: 'Flush' };
    case 'S': return { kind: 'Sync' };
    case 'X': return { kind: 'Terminate' };
    case 'd': return { kind: 'CopyData', data: body };
    case 'c': return { kind: 'CopyDone' };
    case 'f': {
      const r = new FieldReader(body, 'CopyFail');
      return { kind: 'CopyFail', message: r.cstring() };
    }
    case 'p': return { kind: 'Password', body };
    case 'F': return { kind: 'FunctionCall' };
    default:
      throw protocolError(`invalid frontend message type ${type}`);
  }
}

/** The fields of a SASLInitialResponse: mechanism and the client's first message. */
export function decodeSaslInitial(body: Buffer): { mechanism: string; data: Buffer } {
  const r = new FieldReader(body, 'SASLInitialResponse');
  const mechanism = r.cstring();
  const len = r.int32();
  const data = len < 0 ? Buffer.alloc(0) : r.bytes(len);
  r.end();
  return { mechanism, data };
}

/** The text of a cleartext PasswordMessage. */
export function decodePassword(body: Buffer): string {
  const r = new FieldReader(body, 'PasswordMessage');
  const password = r.cstring();
  r.end();
  return password;
}
