// LIKE / ILIKE matching in linear time: literal segments between `%`, matched greedily left to right.
//
// A pattern is split at `%` into segments of literal characters and `_` (one character). The
// first segment is anchored at the start, the last at the end, and each middle segment is taken
// at its leftmost occurrence: taking the earliest occurrence never prevents a later segment from
// matching, so there is no backtracking. Cost: O(input length x segment length).

import { SqlError, SqlState } from '../../../common/errors.js';

/** One element of a segment: a literal UTF-16 unit or -1 for `_` (any one character). */
type Segment = Int32Array;

const ANY = -1;

function invalidEscape(): SqlError {
  return new SqlError(SqlState.invalidEscapeSequence, 'LIKE pattern must not end with escape character');
}

/**
 * Compiles a LIKE pattern. `escape` is the escape character ('' disables escaping); the default
 * is backslash, as in PostgreSQL.
 *
 * @example compileLike('a%b_')('axxbc') // true
 */
export function compileLike(pattern: string, escape = '\\', caseInsensitive = false): (s: string) => boolean {
  if (escape.length > 1 && [...escape].length > 1) {
    throw new SqlError(SqlState.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  }
  const pat = caseInsensitive ? pattern.toLowerCase() : pattern;
  const segments: Segment[] = [];
  let cur: number[] = [];
  let leadingPercent = false;
  let trailingPercent = false;
  let sawPercent = false;
  for (let i = 0; i < pat.length; i++) {
    const ch = pat[i]!;
    if (escape !== '' && ch === escape) {
      i++;
      if (i >= pat.length) throw invalidEscape();
      cur.push(pat.charCodeAt(i));
      trailingPercent = false;
      continue;
    }
    if (ch === '%') {
      if (i === 0) leadingPercent = true;
      sawPercent = true;
      segments.push(Int32Array.from(cur));
      cur = [];
      trailingPercent = true;
      continue;
    }
    trailingPercent = false;
    cur.push(ch === '_' ? ANY : pat.charCodeAt(i));
  }
  segments.push(Int32Array.from(cur));
  const lower = caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s;

  if (!sawPercent) {
    const only = segments[0]!;
    if (!only.includes(ANY)) {
      const lit = String.fromCharCode(...only);
      return caseInsensitive ? (s) => s.toLowerCase() === lit : (s) => s === lit;
    }
    return (s) => matchAt(only, lower(s), 0) === s.length;
  }
  // Fast paths for the common shapes: 'abc%', '%abc', '%abc%'.
  const nonEmpty = segments.filter((seg) => seg.length > 0);
  const allLiteral = nonEmpty.every((seg) => !seg.includes(ANY));
  if (allLiteral && nonEmpty.length === 1) {
    const lit = String.fromCharCode(...nonEmpty[0]!);
    if (!leadingPercent && trailingPercent && segments.length === 2) return (s) => lower(s).startsWith(lit);
    if (leadingPercent && !trailingPercent && segments.length === 2) return (s) => lower(s).endsWith(lit);
    if (leadingPercent && trailingPercent && segments.length === 3) return (s) => lower(s).includes(lit);
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((seg) => seg.length > 0);
  return (input) => {
    const s = lower(input);
    let pos = 0;
    if (first.length > 0) {
      pos = matchAt(first, s, 0);
      if (pos < 0) return false;
    }
    for (const seg of middle) {
      const found = findFrom(seg, s, pos);
      if (found < 0) return false;
      pos = found;
    }
    if (last.length === 0) return true;
    const start = matchEndingAt(last, s, s.length);
    return start >= pos;
  };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Matches a segment starting at `pos`; returns the end position or -1. `_` takes one code point. */
function matchAt(seg: Segment, s: string, pos: number): number {
  const n = s.length;
  for (let i = 0; i < seg.length; i++) {
    if (pos >= n) return -1;
    const c = seg[i]!;
    if (c === ANY) {
      pos += isHigh(s.charCodeAt(pos)) && pos + 1 < n && isLow(s.charCodeAt(pos + 1)) ? 2 : 1;
    } else {
      if (s.charCodeAt(pos) !== c) return -1;
      pos++;
    }
  }
  return pos;
}

/** Matches a segment ending exactly at `end`; returns its start or -1. */
function matchEndingAt(seg: Segment, s: string, end: number): number {
  let pos = end;
  for (let i = seg.length - 1; i >= 0; i--) {
    if (pos <= 0) return -1;
    const c = seg[i]!;
    if (c === ANY) {
      pos -= isLow(s.charCodeAt(pos - 1)) && pos >= 2 && isHigh(s.charCodeAt(pos - 2)) ? 2 : 1;
    } else {
      if (s.charCodeAt(pos - 1) !== c) return -1;
      pos--;
    }
  }
  return pos;
}

/** The end of the leftmost occurrence of a segment at or after `from`, or -1. */
function findFrom(seg: Segment, s: string, from: number): number {
  const n = s.length;
  for (let p = from; p < n; p++) {
    // Never start inside a surrogate pair.
    if (isLow(s.charCodeAt(p)) && p > 0 && isHigh(s.charCodeAt(p - 1))) continue;
    const e = matchAt(seg, s, p);
    if (e >= 0) return e;
  }
  return -1;
}
