// Byte encodings of state for LMDB: order-preserving keys (byte order = compareStateKeys order) and compact values.
//
// Keys: each key part is self-delimiting and starts with a tag that orders the
// kinds as compareValues does (booleans, numbers, strings, bytes, arrays, maps,
// NULL last), so a key that is a prefix of another encodes to a byte prefix of
// it, and LMDB's byte order is the SortedState order:
//   false 0x10 | true 0x11
//   number 0x20 + 8 bytes (IEEE 754 big-endian, sign flipped; -0 as 0, one NaN, after +Infinity)
//   decimal 0x21 + sign (0x7f < 0x80 zero < 0x81) + exponent (4 bytes) + digits (d+1 each) + 0x00,
//     the whole complemented for negatives; canonical, so 1.5 and 1.50 are one key
//   string 0x30 + UTF-16 code units as UTF-8 would write each one (CESU-8, so code-unit order
//     is byte order) with 0x00 escaped as 0x00 0xff, then 0x00 0x00
//   bytes 0x40 + bytes escaped the same way, then 0x00 0x00
//   array 0x50 + parts + 0x00 | map 0x60 + (key, value) parts in insertion order + 0x00
//   NULL 0xf0
// A number and a DECIMAL in the same key position (only a planner bug mixes
// them) order by kind here rather than by value.
//
// Values: a msgpack-like tagged format that keeps every kind of plain data
// state may hold exactly (Decimal and bigint included, -0 and lone surrogates too).

import { Decimal } from '../../common/decimal.js';
import { internalError } from '../../common/errors.js';
import type { Value } from '../../common/value.js';
import type { StateKey } from './state-api.js';

export const TAG_FALSE = 0x10;
export const TAG_TRUE = 0x11;
export const TAG_NUMBER = 0x20;
export const TAG_DECIMAL = 0x21;
export const TAG_STRING = 0x30;
export const TAG_BYTES = 0x40;
export const TAG_ARRAY = 0x50;
export const TAG_MAP = 0x60;
export const TAG_NULL = 0xf0;

/** A growable byte buffer for encoding; `bytes()` copies out what was written. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 256) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  uint32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(n >>> 0, this.pos);
    this.pos += 4;
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A fresh copy of the bytes written so far. */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** A view of the bytes written so far: valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

// ---- keys -------------------------------------------------------------------

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Appends the order-preserving encoding of every part of `key`. */
export function writeKey(w: ByteWriter, key: StateKey): void {
  for (let i = 0; i < key.length; i++) writeKeyPart(w, key[i] as Value);
}

export function writeKeyPart(w: ByteWriter, v: Value): void {
  if (v === null) return w.byte(TAG_NULL);
  switch (typeof v) {
    case 'number': return writeNumberKey(w, v);
    case 'string': return writeStringKey(w, v);
    case 'boolean': return w.byte(v ? TAG_TRUE : TAG_FALSE);
    default: break;
  }
  if (v instanceof Decimal) return writeDecimalKey(w, v);
  if (v instanceof Uint8Array) {
    w.byte(TAG_BYTES);
    return writeEscaped(w, v);
  }
  if (Array.isArray(v)) {
    w.byte(TAG_ARRAY);
    for (const x of v as readonly Value[]) writeKeyPart(w, x);
    return w.byte(0);
  }
  if (v instanceof Map) {
    w.byte(TAG_MAP);
    for (const [k, x] of v as ReadonlyMap<Value, Value>) {
      writeKeyPart(w, k);
      writeKeyPart(w, x);
    }
    return w.byte(0);
  }
  throw internalError(`state key part is not a value: ${typeof v}`);
}

function writeNumberKey(w: ByteWriter, n: number): void {
  // -0 is 0 (they compare equal), and every NaN is one NaN.
  f64[0] = n === 0 ? 0 : Number.isNaN(n) ? Number.NaN : n;
  w.ensure(9);
  const b = w.buf;
  let p = w.pos;
  b[p++] = TAG_NUMBER;
  const negative = ((littleEndian ? f64Bytes[7] : f64Bytes[0]) as number) & 0x80;
  for (let i = 0; i < 8; i++) {
    const byte = f64Bytes[littleEndian ? 7 - i : i] as number;
    // Positive: flip the sign bit so they sort above negatives. Negative: flip every bit so larger magnitudes sort lower.
    b[p++] = negative ? ~byte & 0xff : i === 0 ? byte ^ 0x80 : byte;
  }
  w.pos = p;
}

function writeStringKey(w: ByteWriter, s: string): void {
  w.ensure(3 * s.length + 3);
  const b = w.buf;
  let p = w.pos;
  b[p++] = TAG_STRING;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) {
        b[p++] = 0;
        b[p++] = 0xff;
      } else b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      // Surrogates too, one by one: UTF-16 code-unit order is what compareValues uses.
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  b[p++] = 0;
  b[p++] = 0;
  w.pos = p;
}

function writeEscaped(w: ByteWriter, bytes: Uint8Array): void {
  w.ensure(2 * bytes.length + 2);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i] as number;
    b[p++] = x;
    if (x === 0) b[p++] = 0xff;
  }
  b[p++] = 0;
  b[p++] = 0;
  w.pos = p;
}

function writeDecimalKey(w: ByteWriter, d: Decimal): void {
  w.byte(TAG_DECIMAL);
  if (d.unscaled === 0n) return w.byte(0x80);
  const negative = d.unscaled < 0n;
  let digits = (negative ? -d.unscaled : d.unscaled).toString();
  // value = 0.digits * 10^exponent, digits without trailing zeros.
  const exponent = digits.length - d.scale;
  digits = digits.replace(/0+$/, '');
  const flip = negative ? 0xff : 0;
  w.ensure(6 + digits.length);
  const b = w.buf;
  let p = w.pos;
  b[p++] = negative ? 0x7f : 0x81;
  const e = (exponent + 0x80000000) >>> 0;
  b[p++] = ((e >>> 24) & 0xff) ^ flip;
  b[p++] = ((e >>> 16) & 0xff) ^ flip;
  b[p++] = ((e >>> 8) & 0xff) ^ flip;
  b[p++] = (e & 0xff) ^ flip;
  for (let i = 0; i < digits.length; i++) b[p++] = (digits.charCodeAt(i) - 47) ^ flip;
  b[p++] = flip;
  w.pos = p;
}

/** Reads key parts from `buf[start, end)`. */
export function readKey(buf: Uint8Array, start: number, end: number): Value[] {
  const r = { pos: start };
  const out: Value[] = [];
  while (r.pos < end) out.push(readKeyPart(buf, r));
  return out;
}

/** Reads one key part at `r.pos`, advancing it. */
export function readKeyPart(buf: Uint8Array, r: { pos: number }): Value {
  const tag = buf[r.pos++] as number;
  switch (tag) {
    case TAG_NULL: return null;
    case TAG_FALSE: return false;
    case TAG_TRUE: return true;
    case TAG_NUMBER: {
      const negative = ((buf[r.pos] as number) & 0x80) === 0;
      for (let i = 0; i < 8; i++) {
        const byte = buf[r.pos + i] as number;
        f64Bytes[littleEndian ? 7 - i : i] = negative ? ~byte & 0xff : i === 0 ? byte ^ 0x80 : byte;
      }
      r.pos += 8;
      return f64[0] as number;
    }
    case TAG_DECIMAL: return readDecimalKey(buf, r);
    case TAG_STRING: return readStringKey(buf, r);
    case TAG_BYTES: return readEscaped(buf, r);
    case TAG_ARRAY: {
      const out: Value[] = [];
      while (buf[r.pos] !== 0) out.push(readKeyPart(buf, r));
      r.pos++;
      return out;
    }
    case TAG_MAP: {
      const out = new Map<Value, Value>();
      while (buf[r.pos] !== 0) {
        const k = readKeyPart(buf, r);
        out.set(k, readKeyPart(buf, r));
      }
      r.pos++;
      return out;
    }
    default: throw internalError(`stored state key has an unknown tag ${tag}`);
  }
}

function readStringKey(buf: Uint8Array, r: { pos: number }): string {
  let p = r.pos;
  // Plain ASCII without escapes is the common case: one slice.
  let q = p;
  while ((buf[q] as number) !== 0 && (buf[q] as number) < 0x80) q++;
  if (buf[q] === 0 && buf[q + 1] === 0) {
    r.pos = q + 2;
    return Buffer.from(buf.buffer, buf.byteOffset + p, q - p).toString('latin1');
  }
  const units: number[] = [];
  for (;;) {
    const b = buf[p++] as number;
    if (b === 0) {
      if (buf[p++] === 0) break;
      units.push(0);
    } else if (b < 0x80) units.push(b);
    else if (b < 0xe0) units.push(((b & 0x1f) << 6) | ((buf[p++] as number) & 0x3f));
    else {
      const b1 = buf[p++] as number;
      const b2 = buf[p++] as number;
      units.push(((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
    }
  }
  r.pos = p;
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

function readEscaped(buf: Uint8Array, r: { pos: number }): Uint8Array {
  const out: number[] = [];
  let p = r.pos;
  for (;;) {
    const b = buf[p++] as number;
    if (b === 0) {
      if (buf[p++] === 0) break;
      out.push(0);
    } else out.push(b);
  }
  r.pos = p;
  return Uint8Array.from(out);
}

function readDecimalKey(buf: Uint8Array, r: { pos: number }): Decimal {
  const sign = buf[r.pos++] as number;
  if (sign === 0x80) return new Decimal(0n, 0);
  const flip = sign === 0x7f ? 0xff : 0;
  const e = ((((buf[r.pos] as number) ^ flip) << 24) | (((buf[r.pos + 1] as number) ^ flip) << 16) |
    (((buf[r.pos + 2] as number) ^ flip) << 8) | ((buf[r.pos + 3] as number) ^ flip)) >>> 0;
  r.pos += 4;
  const exponent = e - 0x80000000;
  let digits = '';
  for (;;) {
    const b = (buf[r.pos++] as number) ^ flip;
    if (b === 0) break;
    digits += String.fromCharCode(b + 47);
  }
  const scale = digits.length - exponent;
  let unscaled = BigInt(digits);
  if (flip) unscaled = -unscaled;
  if (scale >= 0) return new Decimal(unscaled, scale);
  return new Decimal(unscaled * 10n ** BigInt(-scale), 0);
}

/** True when decoding `key` from its encoding would not give it back exactly (a DECIMAL with trailing zeros, -0). */
export function keyNeedsOriginal(key: StateKey): boolean {
  for (let i = 0; i < key.length; i++) if (partNeedsOriginal(key[i] as Value)) return true;
  return false;
}

function partNeedsOriginal(v: Value): boolean {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && v === 0 && 1 / v < 0;
  if (v instanceof Decimal) return v.scale > 0 && v.unscaled % 10n === 0n;
  if (Array.isArray(v)) return (v as readonly Value[]).some(partNeedsOriginal);
  if (v instanceof Map) {
    for (const [k, x] of v as ReadonlyMap<Value, Value>) if (partNeedsOriginal(k) || partNeedsOriginal(x)) return true;
  }
  return false;
}

/** The smallest byte string greater than every string starting with `prefix` (undefined: none, all 0xff). */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 0xff) {
      out[i] = (out[i] as number) + 1;
      return out.subarray(0, i + 1);
    }
  }
  return undefined;
}

// ---- values -----------------------------------------------------------------

const V_NULL = 0xc0;
const V_UNDEFINED = 0xc1;
const V_FALSE = 0xc2;
const V_TRUE = 0xc3;
const V_BYTES = 0xc4;
const V_ARRAY = 0xc5;
const V_UTF8 = 0xc6;
const V_UTF16 = 0xc7;
const V_INT32 = 0xc8;
const V_FLOAT64 = 0xc9;
const V_BIGINT = 0xca;
const V_DECIMAL = 0xcb;
const V_MAP = 0xcc;
const V_OBJECT = 0xcd;
// 0x00-0x7f: integers 0..127; 0x80-0x9f: arrays of 0..31; 0xa0-0xbf: UTF-8 strings of 0..31 bytes; 0xe0-0xff: -32..-1.

const surrogate = /[\ud800-\udfff]/;

/** Appends the encoding of a plain-data value. */
export function writeValue(w: ByteWriter, v: unknown): void {
  switch (typeof v) {
    case 'number': {
      w.ensure(9);
      const b = w.buf;
      if ((v | 0) === v && !(v === 0 && 1 / v < 0)) {
        if (v >= 0 && v < 128) b[w.pos++] = v;
        else if (v < 0 && v >= -32) b[w.pos++] = 0x100 + v;
        else {
          let p = w.pos;
          b[p++] = V_INT32;
          b[p++] = v >>> 24;
          b[p++] = (v >>> 16) & 0xff;
          b[p++] = (v >>> 8) & 0xff;
          b[p++] = v & 0xff;
          w.pos = p;
        }
        return;
      }
      // Big-endian IEEE 754, byte by byte (no call into Buffer's writer).
      f64[0] = v;
      let p = w.pos;
      b[p++] = V_FLOAT64;
      if (littleEndian) for (let i = 7; i >= 0; i--) b[p++] = f64Bytes[i] as number;
      else for (let i = 0; i < 8; i++) b[p++] = f64Bytes[i] as number;
      w.pos = p;
      return;
    }
    case 'string': return writeStringValue(w, v);
    case 'boolean': return w.byte(v ? V_TRUE : V_FALSE);
    case 'undefined': return w.byte(V_UNDEFINED);
    case 'bigint': {
      w.byte(V_BIGINT);
      return writeBigInt(w, v);
    }
    case 'object': break;
    default: throw internalError(`state value is not plain data: ${typeof v}`);
  }
  if (v === null) return w.byte(V_NULL);
  if (Array.isArray(v)) {
    if (v.length < 32) w.byte(0x80 + v.length);
    else {
      w.byte(V_ARRAY);
      w.uint32(v.length);
    }
    for (let i = 0; i < v.length; i++) writeValue(w, v[i]);
    return;
  }
  if (v instanceof Decimal) {
    w.byte(V_DECIMAL);
    w.uint32(v.scale);
    return writeBigInt(w, v.unscaled);
  }
  if (v instanceof Uint8Array) {
    w.byte(V_BYTES);
    w.uint32(v.length);
    return w.append(v);
  }
  if (v instanceof Map) {
    w.byte(V_MAP);
    w.uint32(v.size);
    for (const [k, x] of v) {
      writeValue(w, k);
      writeValue(w, x);
    }
    return;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw internalError('state value is not plain data: a class instance');
  // The count is patched in after the properties: no array of keys per object.
  w.byte(V_OBJECT);
  const countAt = w.pos;
  w.uint32(0);
  let count = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    writeStringValue(w, k);
    writeValue(w, (v as Record<string, unknown>)[k]);
    count++;
  }
  w.buf.writeUInt32BE(count, countAt);
}

function writeStringValue(w: ByteWriter, s: string): void {
  const n = s.length;
  if (n <= 4096) {
    // ASCII (names, keys, most strings state holds): written byte by byte, no regular expression or
    // native call; a string that turns out not to be ASCII is written again below.
    const header = n < 32 ? 1 : 5;
    w.ensure(n + header);
    const b = w.buf;
    let p = w.pos + header;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i === n) {
      if (header === 1) b[w.pos] = 0xa0 + n;
      else {
        b[w.pos] = V_UTF8;
        b.writeUInt32BE(n, w.pos + 1);
      }
      w.pos = p;
      return;
    }
  }
  if (surrogate.test(s)) {
    // UTF-8 cannot carry a lone surrogate: keep the code units as they are.
    w.ensure(5 + 2 * s.length);
    w.buf[w.pos++] = V_UTF16;
    w.buf.writeUInt32BE(s.length, w.pos);
    w.pos += 4;
    for (let i = 0; i < s.length; i++) {
      w.buf.writeUInt16BE(s.charCodeAt(i), w.pos);
      w.pos += 2;
    }
    return;
  }
  const max = 3 * s.length;
  w.ensure(max + 5);
  if (max < 32) {
    const written = w.buf.write(s, w.pos + 1, 'utf8');
    w.buf[w.pos] = 0xa0 + written;
    w.pos += 1 + written;
    return;
  }
  const written = w.buf.write(s, w.pos + 5, 'utf8');
  w.buf[w.pos] = V_UTF8;
  w.buf.writeUInt32BE(written, w.pos + 1);
  w.pos += 5 + written;
}

function writeBigInt(w: ByteWriter, n: bigint): void {
  const negative = n < 0n;
  let hex = (negative ? -n : n).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  w.byte(negative ? 1 : 0);
  w.uint32(bytes.length);
  w.append(bytes);
}

/** Decodes a value written by writeValue from `buf` at `r.pos`, advancing it. */
export function readValue(buf: Buffer, r: { pos: number }): unknown {
  const tag = buf[r.pos++] as number;
  if (tag < 0x80) return tag;
  if (tag >= 0xe0) return tag - 0x100;
  if (tag < 0xa0) {
    const n = tag - 0x80;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = readValue(buf, r);
    return out;
  }
  if (tag < 0xc0) {
    const n = tag - 0xa0;
    const s = buf.toString('utf8', r.pos, r.pos + n);
    r.pos += n;
    return s;
  }
  switch (tag) {
    case V_NULL: return null;
    case V_UNDEFINED: return undefined;
    case V_FALSE: return false;
    case V_TRUE: return true;
    case V_INT32: {
      const v = buf.readInt32BE(r.pos);
      r.pos += 4;
      return v;
    }
    case V_FLOAT64: {
      const v = buf.readDoubleBE(r.pos);
      r.pos += 8;
      return v;
    }
    case V_UTF8: {
      const n = buf.readUInt32BE(r.pos);
      const s = buf.toString('utf8', r.pos + 4, r.pos + 4 + n);
      r.pos += 4 + n;
      return s;
    }
    case V_UTF16: {
      const n = buf.readUInt32BE(r.pos);
      r.pos += 4;
      let s = '';
      for (let i = 0; i < n; i++) {
        s += String.fromCharCode(buf.readUInt16BE(r.pos));
        r.pos += 2;
      }
      return s;
    }
    case V_ARRAY: {
      const n = buf.readUInt32BE(r.pos);
      r.pos += 4;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = readValue(buf, r);
      return out;
    }
    case V_BYTES: {
      const n = buf.readUInt32BE(r.pos);
      const out = new Uint8Array(n);
      out.set(buf.subarray(r.pos + 4, r.pos + 4 + n));
      r.pos += 4 + n;
      return out;
    }
    case V_BIGINT: return readBigInt(buf, r);
    case V_DECIMAL: {
      const scale = buf.readUInt32BE(r.pos);
      r.pos += 4;
      return new Decimal(readBigInt(buf, r), scale);
    }
    case V_MAP: {
      const n = buf.readUInt32BE(r.pos);
      r.pos += 4;
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = readValue(buf, r);
        out.set(k, readValue(buf, r));
      }
      return out;
    }
    case V_OBJECT: {
      const n = buf.readUInt32BE(r.pos);
      r.pos += 4;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = readValue(buf, r) as string;
        // Defined as an own property, so a key such as __proto__ stays data.
        Object.defineProperty(out, k, { value: readValue(buf, r), writable: true, enumerable: true, configurable: true });
      }
      return out;
    }
    default: throw internalError(`stored state value has an unknown tag ${tag}`);
  }
}

function readBigInt(buf: Buffer, r: { pos: number }): bigint {
  const negative = buf[r.pos] === 1;
  const n = buf.readUInt32BE(r.pos + 1);
  const hex = buf.toString('hex', r.pos + 5, r.pos + 5 + n);
  r.pos += 5 + n;
  const v = n === 0 ? 0n : BigInt(`0x${hex}`);
  return negative ? -v : v;
}

const scratch = new ByteWriter(1024);

/** The encoding of a value, as a fresh buffer. */
export function encodeValue(v: unknown): Buffer {
  writeValue(scratch.reset(), v);
  return scratch.bytes();
}

export function decodeValue(buf: Buffer): unknown {
  return readValue(buf, { pos: 0 });
}
