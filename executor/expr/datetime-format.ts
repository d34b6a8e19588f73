// Date/time patterns: Java-style (`yyyy-MM-dd HH:mm:ss`, Flink's DATE_FORMAT / TO_TIMESTAMP) and
// PostgreSQL templates (`YYYY-MM-DD HH24:MI:SS`, TO_CHAR / TO_TIMESTAMP), compiled once per pattern
// into token lists for formatting and parsing.

import {
  civilFromDays, dayOfWeek, daysFromCivil, daysInMonth, formatOffset, microsToDays,
} from '../../common/datetime.js';
import { SqlError, SqlState } from '../../common/errors.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../common/value.js';

/** Broken-down wall-clock time. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** 0 = Sunday */
  dow: number;
  /** 1-based day of the year */
  doy: number;
}

export function fieldsOf(localMicros: number): Fields {
  const days = microsToDays(localMicros);
  const c = civilFromDays(days);
  let rest = localMicros - days * MICROS_PER_DAY;
  const hour = Math.floor(rest / MICROS_PER_HOUR);
  rest -= hour * MICROS_PER_HOUR;
  const minute = Math.floor(rest / MICROS_PER_MINUTE);
  rest -= minute * MICROS_PER_MINUTE;
  const second = Math.floor(rest / MICROS_PER_SECOND);
  const micros = rest - second * MICROS_PER_SECOND;
  return {
    year: c.year, month: c.month, day: c.day, hour, minute, second, micros,
    dow: dayOfWeek(days), doy: days - daysFromCivil(c.year, 1, 1) + 1,
  };
}

/** ISO 8601 week number and week-based year of a day number. */
export function isoWeek(days: number): { week: number; year: number } {
  const isoDow = ((dayOfWeek(days) + 6) % 7) + 1; // 1 = Monday
  const thursday = days + 4 - isoDow;
  const y = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
  return { week, year: y };
}

export const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
}

function badPattern(pattern: string, why: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `invalid datetime pattern "${pattern}": ${why}`);
}

// ---------------------------------------------------------------- tokens

/** A pattern element: a field (letter + width, Java style) or literal text. */
export type Token =
  | { readonly kind: 'field'; readonly letter: string; readonly count: number; readonly upper?: 'upper' | 'lower' | 'cap'; readonly fill?: boolean }
  | { readonly kind: 'literal'; readonly text: string };

const javaLetters = new Set('GyYMLdDEuaHkKhmsSzZXwWFQqn'.split(''));

/** Tokenizes a Java DateTimeFormatter / SimpleDateFormat pattern. */
export function javaTokens(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = '';
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j];
        j++;
      }
      out.push({ kind: 'literal', text });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      if (!javaLetters.has(c)) throw badPattern(pattern, `unknown pattern letter "${c}"`);
      let j = i;
      while (pattern[j] === c) j++;
      out.push({ kind: 'field', letter: c, count: j - i });
      i = j;
      continue;
    }
    out.push({ kind: 'literal', text: c });
    i++;
  }
  return out;
}

/** PostgreSQL template patterns, longest first, mapped to Java-style field letters. */
const pgPatterns: readonly [string, string, number][] = [
  ['HH24', 'H', 2], ['HH12', 'h', 2], ['HH', 'h', 2], ['MI', 'm', 2], ['SS', 's', 2], ['MS', 'S', 3], ['US', 'S', 6],
  ['FF1', 'S', 1], ['FF2', 'S', 2], ['FF3', 'S', 3], ['FF4', 'S', 4], ['FF5', 'S', 5], ['FF6', 'S', 6],
  ['AM', 'a', 1], ['PM', 'a', 1], ['A.M.', 'a', 2], ['P.M.', 'a', 2],
  ['YYYY', 'y', 4], ['YYY', 'y', 3], ['YY', 'y', 2], ['Y', 'y', 1], ['IYYY', 'Y', 4],
  ['MONTH', 'M', 4], ['MON', 'M', 3], ['MM', 'M', 2],
  ['DAY', 'E', 4], ['DY', 'E', 3], ['DDD', 'D', 3], ['DD', 'd', 2], ['ID', 'u', 1], ['D', 'e', 1],
  ['IW', 'w', 2], ['WW', 'V', 2], ['Q', 'Q', 1], ['TZH', 'X', 1], ['TZM', 'x', 1], ['TZ', 'z', 1], ['OF', 'X', 3],
];

/** Whether a pattern reads as a PostgreSQL template rather than a Java pattern. */
export function looksLikePgTemplate(pattern: string): boolean {
  return /YYYY|HH24|HH12|MI|MON|FM/.test(pattern);
}

/** Tokenizes a PostgreSQL template (`FM` fill mode, `"quoted text"`, case of MONTH/Month/month kept). */
export function pgTokens(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let fill = false;
  outer: while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < pattern.length && pattern[j] !== '"') {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        text += pattern[j];
        j++;
      }
      out.push({ kind: 'literal', text });
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < pattern.length) {
      out.push({ kind: 'literal', text: pattern[i + 1]! });
      i += 2;
      continue;
    }
    const rest = pattern.slice(i);
    if (/^FM/i.test(rest)) {
      fill = true;
      i += 2;
      continue;
    }
    for (const [pg, letter, count] of pgPatterns) {
      if (rest.length >= pg.length && rest.slice(0, pg.length).toUpperCase() === pg) {
        const written = rest.slice(0, pg.length);
        let upper: 'upper' | 'lower' | 'cap' = 'upper';
        if (written === written.toLowerCase()) upper = 'lower';
        else if (written[0] === written[0]!.toUpperCase() && written.slice(1) === written.slice(1).toLowerCase() && written.length > 1) upper = 'cap';
        out.push({ kind: 'field', letter, count, upper, fill });
        fill = false;
        i += pg.length;
        continue outer;
      }
    }
    out.push({ kind: 'literal', text: c });
    i++;
  }
  return out;
}

// ---------------------------------------------------------------- formatting

function cased(s: string, upper: 'upper' | 'lower' | 'cap' | undefined): string {
  if (upper === 'upper') return s.toUpperCase();
  if (upper === 'lower') return s.toLowerCase();
  return s;
}

/**
 * Formats wall-clock micros with tokens. `pg` selects PostgreSQL's spellings (names padded to
 * nine characters unless FM, `AM`/`A.M.` by case); `offsetMicros` is the zone offset for X/Z/z.
 */
export function formatTokens(tokens: readonly Token[], localMicros: number, pg: boolean, offsetMicros = 0, zoneName = 'UTC'): string {
  const f = fieldsOf(localMicros);
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'literal') {
      out += t.text;
      continue;
    }
    const n = pg && t.fill ? 1 : t.count;
    switch (t.letter) {
      case 'G': out += f.year > 0 ? 'AD' : 'BC'; break;
      case 'y': {
        const y = f.year > 0 ? f.year : 1 - f.year;
        if (t.count === 2) out += pad(y % 100, 2);
        else if (pg && t.count === 3) out += pad(y % 1000, 3);
        else if (pg && t.count === 1) out += String(y % 10);
        else out += pad(y, n);
        break;
      }
      case 'Y': out += pad(isoWeek(microsToDays(localMicros)).year, n); break;
      case 'M': case 'L':
        if (t.count >= 4) {
          const name = cased(monthNames[f.month - 1]!, t.upper);
          out += pg && !t.fill ? name.padEnd(9, ' ') : name;
        } else if (t.count === 3) out += cased(monthNames[f.month - 1]!.slice(0, 3), t.upper);
        else out += pad(f.month, n);
        break;
      case 'd': out += pad(f.day, n); break;
      case 'D': out += pad(f.doy, n); break;
      case 'E':
        if (t.count >= 4) {
          const name = cased(dayNames[f.dow]!, t.upper);
          out += pg && !t.fill ? name.padEnd(9, ' ') : name;
        } else out += cased(dayNames[f.dow]!.slice(0, 3), t.upper);
        break;
      case 'u': out += String(f.dow === 0 ? 7 : f.dow); break;
      case 'e': out += String(f.dow + 1); break;
      case 'a': {
        const am = f.hour < 12;
        const s = t.count === 2 ? (am ? 'A.M.' : 'P.M.') : am ? 'AM' : 'PM';
        out += t.upper === 'lower' ? s.toLowerCase() : s;
        break;
      }
      case 'H': out += pad(f.hour, n); break;
      case 'k': out += pad(f.hour === 0 ? 24 : f.hour, n); break;
      case 'K': out += pad(f.hour % 12, n); break;
      case 'h': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n); break;
      case 'm': out += pad(f.minute, n); break;
      case 's': out += pad(f.second, n); break;
      case 'S': out += String(f.micros).padStart(6, '0').padEnd(9, '0').slice(0, Math.min(t.count, 9)); break;
      case 'n': out += String(f.micros * 1000); break;
      case 'w': out += pad(isoWeek(microsToDays(localMicros)).week, n); break;
      case 'V': out += pad(Math.floor((f.doy - 1) / 7) + 1, n); break;
      case 'W': case 'F': out += String(Math.floor((f.day - 1) / 7) + 1); break;
      case 'Q': case 'q': out += String(Math.floor((f.month - 1) / 3) + 1); break;
      case 'z': out += pg ? cased(zoneName, t.upper) : zoneName; break;
      case 'Z': {
        const o = formatOffset(offsetMicros);
        const [hh, mm = '00'] = o.slice(1).split(':');
        out += t.count >= 4 ? `GMT${o}` : `${o[0]}${hh}${mm}`;
        break;
      }
      case 'X': {
        if (pg) {
          out += t.count === 3 ? formatOffset(offsetMicros) : formatOffset(offsetMicros).slice(0, 3);
          break;
        }
        if (offsetMicros === 0) { out += 'Z'; break; }
        const o = formatOffset(offsetMicros);
        const [hh, mm = '00'] = o.slice(1).split(':');
        out += t.count === 1 ? `${o[0]}${hh}${mm === '00' ? '' : mm}` : t.count === 2 ? `${o[0]}${hh}${mm}` : `${o[0]}${hh}:${mm}`;
        break;
      }
      case 'x': out += pad(Math.abs(Math.round(offsetMicros / MICROS_PER_MINUTE)) % 60, 2); break;
      default: break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- parsing

export interface ParsedDateTime {
  /** Wall-clock micros as written. */
  readonly local: number;
  /** Offset written in the text, if any. */
  readonly offset: number | undefined;
}

function isNumericToken(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'field' && 'yYMdDHkKhmsSuwV'.includes(t.letter) && !(t.letter === 'M' && t.count >= 3);
}

/**
 * Parses text with tokens; undefined when it does not fit (the callers decide between NULL and an
 * error). Numeric fields followed directly by another numeric field take exactly their width
 * (`yyyyMMdd`); otherwise they take all digits. PostgreSQL templates (`pg`) match any separator
 * character against any other.
 */
export function parseTokens(tokens: readonly Token[], text: string, pg: boolean): ParsedDateTime | undefined {
  let pos = 0;
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micros = 0;
  let pm: boolean | undefined;
  let hour12 = false;
  let doy: number | undefined;
  let offset: number | undefined;
  const n = text.length;
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti]!;
    if (t.kind === 'literal') {
      if (pg) {
        for (const ch of t.text) {
          if (/\s/.test(ch)) {
            while (pos < n && /\s/.test(text[pos]!)) pos++;
          } else if (/[A-Za-z0-9]/.test(ch)) {
            if (text[pos] !== ch) return undefined;
            pos++;
          } else if (pos < n && !/[A-Za-z0-9]/.test(text[pos]!)) pos++;
        }
        continue;
      }
      if (!text.startsWith(t.text, pos)) return undefined;
      pos += t.text.length;
      continue;
    }
    if (pg) while (pos < n && text[pos] === ' ') pos++;
    const fixed = isNumericToken(tokens[ti + 1]);
    const readInt = (maxDigits: number): number | undefined => {
      let j = pos;
      let sign = 1;
      if ((t.letter === 'y' || t.letter === 'Y') && (text[j] === '-' || text[j] === '+') && !fixed) {
        sign = text[j] === '-' ? -1 : 1;
        j++;
      }
      const start = j;
      const limit = fixed ? Math.max(t.count, 1) : maxDigits;
      while (j < n && j - start < limit && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      if (j === start) return undefined;
      const v = Number(text.slice(start, j));
      pos = j;
      return sign * v;
    };
    const readName = (names: readonly string[]): number | undefined => {
      const rest = text.slice(pos).toLowerCase();
      for (let k = 0; k < names.length; k++) {
        const full = names[k]!.toLowerCase();
        if (rest.startsWith(full)) { pos += full.length; return k; }
      }
      // Abbreviations are accepted for full-name fields too (lenient, like Java's parser).
      for (let k = 0; k < names.length; k++) {
        const ab = names[k]!.slice(0, 3).toLowerCase();
        if (rest.startsWith(ab)) { pos += 3; return k; }
      }
      return undefined;
    };
    let v: number | undefined;
    switch (t.letter) {
      case 'y': case 'Y':
        v = readInt(t.count === 2 ? 2 : 9);
        if (v === undefined) return undefined;
        year = t.count === 2 && v < 100 ? (v < 70 ? 2000 + v : 1900 + v) : v;
        break;
      case 'M': case 'L':
        if (t.count >= 3) {
          v = readName(monthNames);
          if (v === undefined) return undefined;
          month = v + 1;
        } else {
          v = readInt(2);
          if (v === undefined) return undefined;
          month = v;
        }
        break;
      case 'd': v = readInt(2); if (v === undefined) return undefined; day = v; break;
      case 'D': v = readInt(3); if (v === undefined) return undefined; doy = v; break;
      case 'H': case 'k': v = readInt(2); if (v === undefined) return undefined; hour = t.letter === 'k' && v === 24 ? 0 : v; break;
      case 'h': case 'K': v = readInt(2); if (v === undefined) return undefined; hour = v; hour12 = true; break;
      case 'm': v = readInt(2); if (v === undefined) return undefined; minute = v; break;
      case 's': v = readInt(2); if (v === undefined) return undefined; second = v; break;
      case 'S': {
        const start = pos;
        const limit = fixed ? t.count : 9;
        while (pos < n && pos - start < limit && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
        if (pos === start) return undefined;
        const digits = text.slice(start, pos);
        micros = Number(digits.padEnd(6, '0').slice(0, 6));
        break;
      }
      case 'a': {
        const rest = text.slice(pos).toUpperCase();
        if (rest.startsWith('AM') || rest.startsWith('A.M.')) { pm = false; pos += rest.startsWith('A.M.') ? 4 : 2; }
        else if (rest.startsWith('PM') || rest.startsWith('P.M.')) { pm = true; pos += rest.startsWith('P.M.') ? 4 : 2; }
        else return undefined;
        break;
      }
      case 'E':
        if (readName(dayNames) === undefined) return undefined;
        break;
      case 'u': case 'e': case 'w': case 'V': case 'W': case 'F': case 'Q': case 'q':
        if (readInt(2) === undefined) return undefined;
        break;
      case 'G':
        if (/^(AD|BC)/i.test(text.slice(pos))) {
          if (/^BC/i.test(text.slice(pos))) year = 1 - year;
          pos += 2;
        } else return undefined;
        break;
      case 'X': case 'Z': case 'z': case 'x': {
        const m = /^(?:Z|UTC|GMT|([+-])(\d{2}):?(\d{2})?)/i.exec(text.slice(pos));
        if (!m) return undefined;
        pos += m[0].length;
        offset = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) * MICROS_PER_SECOND;
        break;
      }
      default:
        return undefined;
    }
  }
  if (pg) while (pos < n && text[pos] === ' ') pos++;
  if (pos !== n) return undefined;
  if (hour12) {
    if (hour < 1 || hour > 12) return undefined;
    if (pm === true && hour < 12) hour += 12;
    if (pm === false && hour === 12) hour = 0;
  } else if (pm === true && hour < 12) hour += 12;
  let days: number;
  if (doy !== undefined) {
    days = daysFromCivil(year, 1, 1) + doy - 1;
  } else {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    days = daysFromCivil(year, month, day);
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { local: days * MICROS_PER_DAY + hour * MICROS_PER_HOUR + minute * MICROS_PER_MINUTE + second * MICROS_PER_SECOND + micros, offset };
}

const patternCache = new Map<string, { tokens: Token[]; pg: boolean }>();

/** Tokens of a pattern, Java-style unless it reads as a PostgreSQL template; cached. */
export function compilePattern(pattern: string, forcePg = false): { tokens: Token[]; pg: boolean } {
  const key = (forcePg ? 'pg:' : 'auto:') + pattern;
  let hit = patternCache.get(key);
  if (hit === undefined) {
    const pg = forcePg || looksLikePgTemplate(pattern);
    hit = { tokens: pg ? pgTokens(pattern) : javaTokens(pattern), pg };
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(key, hit);
  }
  return hit;
}
