// String functions (Flink and PostgreSQL spellings). Lengths and positions count characters
// (code points), as PostgreSQL does, with fast paths for strings without surrogate pairs.

import { createHash, randomUUID } from 'node:crypto';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Value } from '../../../common/value.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { invalidArgument, strict1, strict2, strict3, strictN } from './table.js';

const surrogate = /[\uD800-\uDFFF]/;

/** Characters of a string as an array (only built when the string has surrogate pairs). */
function chars(s: string): string[] {
  return Array.from(s);
}

export function charLength(s: string): number {
  if (!surrogate.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Characters [from, to) by 0-based character index, clipped to the string. */
function sliceChars(s: string, from: number, to: number): string {
  if (!surrogate.test(s)) return s.slice(Math.max(0, from), Math.max(0, to));
  return chars(s).slice(Math.max(0, from), Math.max(0, to)).join('');
}

/** 1-based character position of a UTF-16 index. */
function charPosition(s: string, unitIndex: number): number {
  if (unitIndex < 0) return 0;
  const prefix = s.slice(0, unitIndex);
  return charLength(prefix) + 1;
}

/** SUBSTRING(s FROM start [FOR count]) with PostgreSQL's rules for starts below 1. */
export function substring(s: string, start: number, count?: number): string {
  if (count === undefined) return sliceChars(s, start - 1, Infinity);
  if (count < 0) throw new SqlError('22011', 'negative substring length not allowed');
  const end = start + count; // exclusive, 1-based
  if (end <= 1) return '';
  return sliceChars(s, Math.max(start, 1) - 1, end - 1);
}

function overlay(s: string, r: string, from: number, count?: number): string {
  const n = count ?? charLength(r);
  if (from < 1) throw new SqlError('22011', 'negative substring length not allowed');
  return substring(s, 1, from - 1) + r + substring(s, from + n);
}

function trimSet(chars: string): (c: string) => boolean {
  if (chars === ' ') return (c) => c === ' ';
  const set = new Set(Array.from(chars));
  return (c) => set.has(c);
}

function trimmer(leading: boolean, trailing: boolean) {
  return (site: CallSite): Evaluator => {
    if (site.evals.length === 1) {
      if (leading && trailing) return strict1(site, (s: string) => trimSpaces(s, true, true));
      return strict1(site, (s: string) => trimSpaces(s, leading, trailing));
    }
    return strict2(site, (s: string, cs: string) => trimChars(s, cs, leading, trailing));
  };
}

function trimSpaces(s: string, leading: boolean, trailing: boolean): string {
  let a = 0;
  let b = s.length;
  if (leading) while (a < b && s.charCodeAt(a) === 32) a++;
  if (trailing) while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function trimChars(s: string, cs: string, leading: boolean, trailing: boolean): string {
  const inSet = trimSet(cs);
  const arr = chars(s);
  let a = 0;
  let b = arr.length;
  if (leading) while (a < b && inSet(arr[a]!)) a++;
  if (trailing) while (b > a && inSet(arr[b - 1]!)) b--;
  return arr.slice(a, b).join('');
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

function translate(s: string, from: string, to: string): string {
  const f = chars(from);
  const t = chars(to);
  const map = new Map<string, string | null>();
  f.forEach((c, i) => {
    if (!map.has(c)) map.set(c, i < t.length ? t[i]! : null);
  });
  let out = '';
  for (const c of s) {
    const m = map.get(c);
    if (m === undefined) out += c;
    else if (m !== null) out += m;
  }
  return out;
}

function splitPart(s: string, delim: string, n: number): string {
  if (n === 0) throw invalidArgument('field position must not be zero');
  if (delim === '') return n === 1 || n === -1 ? s : '';
  const parts = s.split(delim);
  const i = n > 0 ? n - 1 : parts.length + n;
  return i >= 0 && i < parts.length ? parts[i]! : '';
}

/** Flink SPLIT_INDEX: 0-based, NULL when out of range. */
function splitIndex(s: string, sep: string, idx: number): string | null {
  if (idx < 0) return null;
  const parts = sep === '' ? [s] : s.split(sep);
  return idx < parts.length ? parts[idx]! : null;
}

function position(needle: string, haystack: string, from = 1): number {
  if (from < 1) return 0;
  let startUnit = 0;
  if (from > 1) {
    if (surrogate.test(haystack)) {
      const arr = chars(haystack);
      startUnit = arr.slice(0, from - 1).join('').length;
    } else startUnit = from - 1;
    if (startUnit > haystack.length) return 0;
  }
  const i = haystack.indexOf(needle, startUnit);
  return i < 0 ? 0 : charPosition(haystack, i);
}

function left(s: string, n: number): string {
  const len = charLength(s);
  return n >= 0 ? sliceChars(s, 0, n) : sliceChars(s, 0, len + n);
}

function right(s: string, n: number): string {
  const len = charLength(s);
  return n >= 0 ? sliceChars(s, Math.max(0, len - n), len) : sliceChars(s, -n, len);
}

const MAX_STRING = 256 * 1024 * 1024;

function tooLong(): SqlError {
  return new SqlError(SqlState.programLimitExceeded, 'requested length too large');
}

function pad(s: string, len: number, fill: string, atStart: boolean): string {
  if (len <= 0) return '';
  if (len > MAX_STRING) throw tooLong();
  const n = charLength(s);
  if (n >= len) return sliceChars(s, 0, len);
  if (fill === '') return s;
  const need = len - n;
  const f = chars(fill);
  let padding = '';
  for (let i = 0; i < need; i++) padding += f[i % f.length];
  return atStart ? padding + s : s + padding;
}

function repeat(s: string, n: number): string {
  if (n <= 0 || s === '') return '';
  if (s.length * n > MAX_STRING) throw tooLong();
  return s.repeat(n);
}

function reverse(s: string): string {
  if (!surrogate.test(s)) {
    let out = '';
    for (let i = s.length - 1; i >= 0; i--) out += s[i];
    return out;
  }
  return chars(s).reverse().join('');
}

/** Java's String.hashCode (Flink HASH_CODE). */
function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

function digest(algorithm: string) {
  return (site: CallSite): Evaluator =>
    strict1(site, (v: string | Uint8Array) => createHash(algorithm).update(typeof v === 'string' ? Buffer.from(v, 'utf8') : v).digest('hex'));
}

function chr(n: number): string {
  if (n === 0) throw new SqlError(SqlState.programLimitExceeded, 'null character not permitted');
  if (n < 0) throw invalidArgument('character number must be positive');
  if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new SqlError(SqlState.programLimitExceeded, 'requested character too large for encoding: ' + n);
  return String.fromCodePoint(n);
}

/** Two's complement hex of a 64-bit integer, as PostgreSQL's to_hex and Java's Long.toHexString. */
function toRadix(n: number, radix: number): string {
  const v = n >= 0 ? BigInt(n) : (1n << 64n) + BigInt(n);
  return v.toString(radix);
}

function concat(site: CallSite): Evaluator {
  if (site.evals.length === 2) return strict2(site, (a: string, b: string) => a + b);
  return strictN(site, (args: readonly string[]) => args.join(''));
}

/** CONCAT_WS(sep, ...): NULL only when the separator is; NULL arguments are skipped. */
function concatWs(site: CallSite): Evaluator {
  const [sep, ...rest] = site.evals as [Evaluator, ...Evaluator[]];
  return (row) => {
    const s = sep(row);
    if (s === null) return null;
    let out = '';
    let first = true;
    for (const e of rest) {
      const v = e(row);
      if (v === null) continue;
      if (!first) out += s as string;
      out += v as string;
      first = false;
    }
    return out;
  };
}

function lengthOf(bytesFactor: number) {
  return (site: CallSite): Evaluator => {
    const isBytes = site.args[0]!.type.kind === 'BYTES';
    if (isBytes) return strict1(site, (b: Uint8Array) => b.length * bytesFactor);
    if (bytesFactor === 0) return strict1(site, (s: string) => charLength(s));
    return strict1(site, (s: string) => Buffer.byteLength(s, 'utf8') * bytesFactor);
  };
}

export function registerString(t: FunctionTable): void {
  t.set('concat', concat);
  t.set('concat_ws', concatWs);
  t.set('upper', (s) => strict1(s, (x: string) => x.toUpperCase()));
  t.set('lower', (s) => strict1(s, (x: string) => x.toLowerCase()));
  t.set('initcap', (s) => strict1(s, initcap));
  t.set('substring', (s) => (s.evals.length === 2
    ? strict2(s, (x: string, a: number) => substring(x, a))
    : strict3(s, (x: string, a: number, n: number) => substring(x, a, n))));
  t.set('overlay', (s) => (s.evals.length === 3
    ? strict3(s, (x: string, r: string, a: number) => overlay(x, r, a))
    : strictN(s, (args: readonly never[]) => overlay(args[0]!, args[1]!, args[2]!, args[3]!))));
  t.set('btrim', trimmer(true, true));
  t.set('ltrim', trimmer(true, false));
  t.set('rtrim', trimmer(false, true));
  t.set('replace', (s) => strict3(s, (x: string, from: string, to: string) => (from === '' ? x : x.replaceAll(from, () => to))));
  t.set('translate', (s) => strict3(s, translate));
  t.set('split_part', (s) => strict3(s, splitPart));
  t.set('split_index', (s) => strict3(s, splitIndex));
  t.set('char_length', lengthOf(0));
  t.set('octet_length', lengthOf(1));
  t.set('bit_length', lengthOf(8));
  t.set('position', (s) => strict2(s, (needle: string, hay: string) => position(needle, hay)));
  t.set('strpos', (s) => strict2(s, (hay: string, needle: string) => position(needle, hay)));
  t.set('instr', (s) => strict2(s, (hay: string, needle: string) => position(needle, hay)));
  t.set('locate', (s) => (s.evals.length === 2
    ? strict2(s, (needle: string, hay: string) => position(needle, hay))
    : strict3(s, (needle: string, hay: string, from: number) => position(needle, hay, from))));
  t.set('left', (s) => strict2(s, left));
  t.set('right', (s) => strict2(s, right));
  t.set('lpad', (s) => (s.evals.length === 2
    ? strict2(s, (x: string, n: number) => pad(x, n, ' ', true))
    : strict3(s, (x: string, n: number, f: string) => pad(x, n, f, true))));
  t.set('rpad', (s) => (s.evals.length === 2
    ? strict2(s, (x: string, n: number) => pad(x, n, ' ', false))
    : strict3(s, (x: string, n: number, f: string) => pad(x, n, f, false))));
  t.set('repeat', (s) => strict2(s, repeat));
  t.set('reverse', (s) => strict1(s, reverse));
  t.set('starts_with', (s) => strict2(s, (x: string, p: string) => x.startsWith(p)));
  t.set('ends_with', (s) => strict2(s, (x: string, p: string) => x.endsWith(p)));
  t.set('md5', digest('md5'));
  t.set('sha1', digest('sha1'));
  t.set('sha256', digest('sha256'));
  t.set('hash_code', (s) => strict1(s, hashCode));
  t.set('to_base64', (s) => strict1(s, (v: string | Uint8Array) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)).toString('base64')));
  t.set('from_base64', (s) => strict1(s, (v: string) => {
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) throw new SqlError(SqlState.invalidParameterValue, `invalid base64 input: "${v}"`);
    return Buffer.from(v, 'base64').toString('utf8');
  }));
  t.set('ascii', (s) => strict1(s, (x: string) => (x === '' ? 0 : x.codePointAt(0)!)));
  t.set('chr', (s) => strict1(s, chr));
  t.set('to_hex', (s) => strict1(s, (n: number) => toRadix(n, 16)));
  t.set('hex', (s) => (s.args[0]!.type.kind === 'VARCHAR' || s.args[0]!.type.kind === 'CHAR'
    ? strict1(s, (x: string) => Buffer.from(x, 'utf8').toString('hex').toUpperCase())
    : strict1(s, (n: number) => toRadix(n, 16).toUpperCase())));
  t.set('bin', (s) => strict1(s, (n: number) => toRadix(n, 2)));
  t.set('uuid', () => () => randomUUID() as Value);
  t.set('is_alpha', (s) => strict1(s, (x: string) => x !== '' && /^\p{L}+$/u.test(x)));
  t.set('is_digit', (s) => strict1(s, (x: string) => x !== '' && /^[0-9]+$/.test(x)));
  t.set('is_decimal', (s) => strict1(s, (x: string) => /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(x)));
  t.set('string_to_array', (s) => strict2(s, (x: string, sep: string) => (sep === '' ? [x] : x.split(sep))));
  t.set('array_to_string', (s) => {
    const join = (a: readonly Value[], sep: string, nullText: string | null) => {
      const parts: string[] = [];
      for (const v of a) {
        if (v !== null) parts.push(v as string);
        else if (nullText !== null) parts.push(nullText);
      }
      return parts.join(sep);
    };
    if (s.evals.length === 2) return strict2(s, (a: readonly Value[], sep: string) => join(a, sep, null));
    const [a, sep, nt] = s.evals as [Evaluator, Evaluator, Evaluator];
    return (row) => {
      const av = a(row);
      const sv = sep(row);
      if (av === null || sv === null) return null;
      return join(av as readonly Value[], sv as string, nt(row) as string | null);
    };
  });
}
