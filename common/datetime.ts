// Calendar arithmetic, time zones, and parsing/formatting of dates, times, timestamps and intervals.
//
// Representations (see value.ts): DATE = days since 1970-01-01, TIME = microseconds since
// midnight, TIMESTAMP = microseconds since 1970-01-01 00:00:00 (wall clock, no zone),
// TIMESTAMP_LTZ = microseconds since the epoch (an instant), INTERVAL_DAY_TIME = microseconds,
// INTERVAL_YEAR_MONTH = months. Text forms follow PostgreSQL's ISO output style.

import type { DataType } from './data-type.js';
import { SqlError, SqlState } from './errors.js';
import type { IntervalQualifier, TimeUnit } from '../parser/ast/types.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from './value.js';

// ---------------------------------------------------------------- civil calendar (proleptic Gregorian)

/** Days since 1970-01-01 of a calendar date (month 1-12). Valid for any year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date of a day number. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Year of a day number, without building a CivilDate. */
export function yearFromDays(days: number): number {
  return civilFromDays(days).year;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (monthDays[month - 1] as number);
}

/** Floor division of microseconds into whole days (also for times before 1970). */
export function microsToDays(micros: number): number {
  return Math.floor(micros / MICROS_PER_DAY);
}

/** Microseconds since midnight of a timestamp. */
export function microsOfDay(micros: number): number {
  const r = micros % MICROS_PER_DAY;
  return r < 0 ? r + MICROS_PER_DAY : r;
}

/** Day of week, 0 = Sunday (PostgreSQL's DOW). 1970-01-01 was a Thursday. */
export function dayOfWeek(days: number): number {
  const r = (days + 4) % 7;
  return r < 0 ? r + 7 : r;
}

/**
 * Adds months to a day number, clamping the day to the end of the target month
 * (2026-01-31 + 1 month = 2026-02-28), as PostgreSQL does.
 */
export function addMonthsToDays(days: number, months: number): number {
  if (months === 0) return days;
  const c = civilFromDays(days);
  const total = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return daysFromCivil(year, month, Math.min(c.day, daysInMonth(year, month)));
}

/** Adds months to a timestamp (wall-clock micros), keeping the time of day. */
export function addMonthsToMicros(micros: number, months: number): number {
  if (months === 0) return micros;
  const d = microsToDays(micros);
  return addMonthsToDays(d, months) * MICROS_PER_DAY + (micros - d * MICROS_PER_DAY);
}

// ---------------------------------------------------------------- time zones

/** A time zone: the offset (local minus UTC, in microseconds) at an instant. */
export interface TimeZone {
  readonly name: string;
  offsetAt(utcMicros: number): number;
}

const fixedZone = (name: string, offsetMicros: number): TimeZone => ({ name, offsetAt: () => offsetMicros });

export const UTC: TimeZone = fixedZone('UTC', 0);

const zones = new Map<string, TimeZone>();

/**
 * The time zone of a name: `UTC`, `GMT`, `Z`, fixed offsets (`+08:00`, `-0530`, `UTC+8`), or an
 * IANA name (`Europe/Berlin`). Throws 22023 for unknown names.
 */
export function getTimeZone(name: string): TimeZone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  const tz = makeTimeZone(name);
  if (tz === undefined) throw new SqlError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  zones.set(name, tz);
  return tz;
}

function makeTimeZone(name: string): TimeZone | undefined {
  const upper = name.trim().toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'Z' || upper === 'ZULU' || upper === 'ETC/UTC' || upper === 'UCT') return fixedZone(name, 0);
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(upper);
  if (m) {
    const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    if (secs > 15 * 3600 + 59 * 60) return undefined;
    return fixedZone(name, (m[1] === '-' ? -secs : secs) * MICROS_PER_SECOND);
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
  } catch {
    return undefined;
  }
  // Offsets only change on quarter-hour boundaries in practice: cache per 15-minute bucket.
  const cache = new Map<number, number>();
  return {
    name,
    offsetAt(utcMicros: number): number {
      const bucket = Math.floor(utcMicros / (15 * MICROS_PER_MINUTE));
      const hit = cache.get(bucket);
      if (hit !== undefined) return hit;
      const ms = bucket * 15 * 60_000;
      let y = 0; let mo = 1; let d = 1; let h = 0; let mi = 0; let s = 0; let bc = false;
      for (const p of fmt.formatToParts(new Date(ms))) {
        switch (p.type) {
          case 'year': y = Number(p.value); break;
          case 'month': mo = Number(p.value); break;
          case 'day': d = Number(p.value); break;
          case 'hour': h = Number(p.value); break;
          case 'minute': mi = Number(p.value); break;
          case 'second': s = Number(p.value); break;
          case 'era': bc = p.value.startsWith('B'); break;
          default: break;
        }
      }
      if (bc) y = 1 - y;
      const local = (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000;
      const off = (local - ms) * 1000;
      if (cache.size > 4096) cache.clear();
      cache.set(bucket, off);
      return off;
    },
  };
}

/** Wall-clock micros of an instant in a zone. */
export function utcToLocal(utcMicros: number, zone: TimeZone): number {
  return utcMicros + zone.offsetAt(utcMicros);
}

/**
 * The instant a wall-clock time denotes in a zone. In a gap (spring forward) the time is read
 * with the offset before the transition; in an overlap the earlier instant wins (as PostgreSQL).
 */
export function localToUtc(localMicros: number, zone: TimeZone): number {
  const o1 = zone.offsetAt(localMicros);
  const u1 = localMicros - o1;
  const o2 = zone.offsetAt(u1);
  if (o1 === o2) return u1;
  const u2 = localMicros - o2;
  if (zone.offsetAt(u2) === o2) return Math.min(u1, u2);
  return localMicros - Math.max(o1, o2);
}

// ---------------------------------------------------------------- parsing

function badDatetime(type: string, text: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type ${type}: "${text}"`);
}

function outOfRange(text: string): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
}

const dateRe = /^\s*(\d{1,6})-(\d{1,2})-(\d{1,2})(\s*BC)?/i;
const compactDateRe = /^\s*(\d{4})(\d{2})(\d{2})/;

/** Parses `2026-01-31` (also `20260131`, and `... BC`) to a day number; 22007 / 22008 on bad input. */
export function parseDate(text: string): number {
  const r = parseDatePrefix(text, 'date');
  const rest = text.slice(r.end);
  if (/^\s*$/.test(rest)) return r.days;
  // A timestamp whose time is dropped: PostgreSQL accepts `2026-01-01 10:00:00` as a date.
  if (/^(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?)?\s*(?:Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i.test(rest)) return r.days;
  throw badDatetime('date', text);
}

function parseDatePrefix(text: string, type: string): { days: number; end: number } {
  let m = dateRe.exec(text);
  let bcGroup = true;
  if (!m) {
    m = compactDateRe.exec(text);
    bcGroup = false;
  }
  if (!m) throw badDatetime(type, text);
  let year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (bcGroup && m[4] !== undefined) year = 1 - year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || (year === 0 && !(bcGroup && m[4]))) throw outOfRange(text);
  return { days: daysFromCivil(year, month, day), end: m[0].length };
}

const timeRe = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?/;

/** Fraction digits `5` / `123456789` to microseconds, rounding past the sixth digit. */
function fractionMicros(frac: string | undefined): number {
  if (frac === undefined || frac === '') return 0;
  if (frac.length <= 6) return Number(frac.padEnd(6, '0'));
  const us = Number(frac.slice(0, 6));
  return (frac.charCodeAt(6) >= 53 /* '5' */) ? us + 1 : us;
}

function parseTimePrefix(text: string, from: number, type: string, whole: string): { micros: number; end: number } {
  const m = timeRe.exec(text.slice(from));
  if (!m) throw badDatetime(type, whole);
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const micros = h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE + s * MICROS_PER_SECOND + fractionMicros(m[4]);
  if (mi > 59 || s > 60 || micros > MICROS_PER_DAY) throw outOfRange(whole);
  return { micros, end: from + m[0].length };
}

/** Parses `10:00`, `10:00:05`, `10:00:05.123456` to microseconds since midnight (24:00:00 allowed). */
export function parseTime(text: string): number {
  const r = parseTimePrefix(text, 0, 'time', text);
  const rest = text.slice(r.end);
  if (/^\s*(?:(?:Z|[+-]\d{1,2}(?::?\d{2})?))?\s*$/i.test(rest)) return r.micros;
  throw badDatetime('time', text);
}

export interface ParsedTimestamp {
  /** Wall-clock microseconds as written. */
  readonly micros: number;
  /** Zone offset written in the text (`+02`, `Z`, ` UTC`), in microseconds; undefined if none. */
  readonly offset: number | undefined;
}

const zoneSuffixRe = /^\s*(?:(Z|UTC|GMT)|([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?|([A-Za-z][A-Za-z0-9_/+-]*))?\s*$/i;

/** Parses `2026-01-01 10:00:00[.f][+02:00]`, `2026-01-01T10:00`, `2026-01-01` with its written zone. */
export function parseTimestampWithZone(text: string, type = 'timestamp'): ParsedTimestamp {
  const d = parseDatePrefix(text, type);
  let micros = d.days * MICROS_PER_DAY;
  let pos = d.end;
  const sep = /^(?:[ T]|\s+)(?=\d)/.exec(text.slice(pos));
  if (sep) {
    const t = parseTimePrefix(text, pos + sep[0].length, type, text);
    micros += t.micros;
    pos = t.end;
  }
  let rest = text.slice(pos);
  const bc = /^\s*BC\b/i.exec(rest);
  if (bc) {
    const c = civilFromDays(d.days);
    micros = daysFromCivil(1 - c.year, c.month, c.day) * MICROS_PER_DAY + (micros - d.days * MICROS_PER_DAY);
    rest = rest.slice(bc[0].length);
  }
  const z = zoneSuffixRe.exec(rest);
  if (!z) throw badDatetime(type, text);
  let offset: number | undefined;
  if (z[1] !== undefined) offset = 0;
  else if (z[2] !== undefined) {
    const secs = Number(z[3]) * 3600 + Number(z[4] ?? 0) * 60 + Number(z[5] ?? 0);
    offset = (z[2] === '-' ? -secs : secs) * MICROS_PER_SECOND;
  } else if (z[6] !== undefined) {
    const tz = getTimeZone(z[6]);
    offset = tz.offsetAt(micros - tz.offsetAt(micros));
  }
  return { micros, offset };
}

/** Parses a TIMESTAMP literal to wall-clock microseconds (a written zone is ignored, as PostgreSQL). */
export function parseTimestamp(text: string): number {
  return parseTimestampWithZone(text).micros;
}

/** Parses a TIMESTAMP_LTZ literal to an instant: its written zone, else `zone`. */
export function parseTimestampLtz(text: string, zone: TimeZone = UTC): number {
  const p = parseTimestampWithZone(text, 'timestamp with time zone');
  return p.offset === undefined ? localToUtc(p.micros, zone) : p.micros - p.offset;
}

// ---------------------------------------------------------------- formatting

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function formatYear(y: number): string {
  const abs = y <= 0 ? 1 - y : y;
  return abs < 1000 ? String(abs).padStart(4, '0') : String(abs);
}

/** `2026-01-31` (`0044-03-15 BC` before year 1). */
export function formatDate(days: number): string {
  const c = civilFromDays(days);
  return `${formatYear(c.year)}-${pad2(c.month)}-${pad2(c.day)}${c.year <= 0 ? ' BC' : ''}`;
}

/** `10:00:05` with `.5` / `.123456` only when the fraction is non-zero, trailing zeros trimmed. */
export function formatTime(micros: number): string {
  const secs = Math.floor(micros / MICROS_PER_SECOND);
  const frac = micros - secs * MICROS_PER_SECOND;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}${formatFraction(frac)}`;
}

function formatFraction(frac: number): string {
  if (frac === 0) return '';
  return `.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

/** `2026-01-01 10:10:00`, `2026-01-01 10:10:00.5` (PostgreSQL's ISO style). */
export function formatTimestamp(micros: number): string {
  const days = microsToDays(micros);
  const c = civilFromDays(days);
  const t = formatTime(micros - days * MICROS_PER_DAY);
  return `${formatYear(c.year)}-${pad2(c.month)}-${pad2(c.day)} ${t}${c.year <= 0 ? ' BC' : ''}`;
}

/** `+00`, `+05:30`, `-08`, `+00:53:28`: a zone offset as PostgreSQL prints it after a timestamptz. */
export function formatOffset(offsetMicros: number): string {
  const total = Math.round(offsetMicros / MICROS_PER_SECOND);
  const abs = Math.abs(total);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  let out = `${total < 0 ? '-' : '+'}${pad2(h)}`;
  if (m !== 0 || s !== 0) out += `:${pad2(m)}`;
  if (s !== 0) out += `:${pad2(s)}`;
  return out;
}

/** `2026-01-01 10:10:00+00`: an instant in a zone with its offset. */
export function formatTimestampLtz(utcMicros: number, zone: TimeZone = UTC): string {
  const off = zone.offsetAt(utcMicros);
  const local = utcMicros + off;
  const base = formatTimestamp(local);
  const bc = base.endsWith(' BC');
  return bc ? `${base.slice(0, -3)}${formatOffset(off)} BC` : base + formatOffset(off);
}

/**
 * An interval in PostgreSQL's default `postgres` style: `1 year 2 mons`, `3 days 04:05:06.5`,
 * `-00:00:01`, `-1 days -02:00:00`, `00:00:00`. Day-time intervals are split into whole days
 * and a time of at most 24 hours.
 */
export function formatInterval(value: number, kind: 'INTERVAL_DAY_TIME' | 'INTERVAL_YEAR_MONTH'): string {
  if (kind === 'INTERVAL_YEAR_MONTH') {
    if (value === 0) return '00:00:00';
    const years = Math.trunc(value / 12);
    const months = value - years * 12;
    const parts: string[] = [];
    if (years !== 0) parts.push(`${years} ${years === 1 ? 'year' : 'years'}`);
    if (months !== 0) parts.push(`${months} ${months === 1 ? 'mon' : 'mons'}`);
    return parts.join(' ');
  }
  const neg = value < 0;
  const abs = Math.abs(value);
  const days = Math.floor(abs / MICROS_PER_DAY);
  const rest = abs - days * MICROS_PER_DAY;
  const parts: string[] = [];
  if (days !== 0) {
    const d = neg ? -days : days;
    parts.push(`${d} ${d === 1 ? 'day' : 'days'}`);
  }
  if (rest !== 0 || days === 0) {
    const secs = Math.floor(rest / MICROS_PER_SECOND);
    const h = Math.floor(secs / 3600);
    const m = Math.floor((secs % 3600) / 60);
    const s = secs % 60;
    parts.push(`${neg && rest !== 0 ? '-' : ''}${pad2(h)}:${pad2(m)}:${pad2(s)}${formatFraction(rest - secs * MICROS_PER_SECOND)}`);
  }
  return parts.join(' ');
}

/** Rounds microseconds to `precision` fractional digits (half away from zero, as PostgreSQL). */
export function roundToPrecision(micros: number, precision: number): number {
  if (precision >= 6) return micros;
  const unit = 10 ** (6 - precision);
  const q = Math.round(Math.abs(micros) / unit) * unit;
  return micros < 0 ? -q : q;
}

// ---------------------------------------------------------------- intervals

export interface IntervalValue {
  readonly type: Extract<DataType, { kind: 'INTERVAL_DAY_TIME' | 'INTERVAL_YEAR_MONTH' }>;
  /** Microseconds (day-time) or months (year-month). */
  readonly value: number;
}

function badInterval(text: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
}

const yearMonthUnits: ReadonlySet<TimeUnit> = new Set<TimeUnit>(['YEAR', 'MONTH', 'QUARTER', 'DECADE', 'CENTURY', 'MILLENNIUM']);

const unitMicros: Partial<Record<TimeUnit, number>> = {
  WEEK: 7 * MICROS_PER_DAY, DAY: MICROS_PER_DAY, HOUR: MICROS_PER_HOUR, MINUTE: MICROS_PER_MINUTE,
  SECOND: MICROS_PER_SECOND, MILLISECOND: 1000, MICROSECOND: 1,
};
const unitMonths: Partial<Record<TimeUnit, number>> = { MILLENNIUM: 12000, CENTURY: 1200, DECADE: 120, YEAR: 12, QUARTER: 3, MONTH: 1 };

/**
 * An interval literal's value and type. With a qualifier, the SQL-standard forms:
 * `'1' HOUR`, `'10' MINUTE`, `'1.5' SECOND`, `'2-3' YEAR TO MONTH`, `'1 10:00:00' DAY TO SECOND`,
 * `'10:30' HOUR TO MINUTE`; without one (or when the text is not in the standard form),
 * PostgreSQL's free form: `'1 hour 30 minutes'`, `'2 days 01:00:00'`, `'1 year 2 mons'`,
 * `'-1 day'`, `'3 weeks ago'`, ISO 8601 `'P1DT2H'`. Months and day-time units cannot be mixed
 * in one value (the two interval types are separate): 0A000.
 *
 * @example parseIntervalLiteral('2-3', { from: 'YEAR', to: 'MONTH' }) // { type: INTERVAL_YEAR_MONTH, value: 27 }
 */
export function parseIntervalLiteral(text: string, qualifier?: IntervalQualifier): IntervalValue {
  if (qualifier !== undefined) {
    const std = parseStandardInterval(text, qualifier);
    if (std !== undefined) return std;
  }
  const free = parseFreeFormInterval(text);
  if (qualifier !== undefined) {
    const wantMonths = yearMonthUnits.has(qualifier.from);
    if (wantMonths && free.type.kind !== 'INTERVAL_YEAR_MONTH' && free.value !== 0) throw badInterval(text);
    if (wantMonths && free.type.kind !== 'INTERVAL_YEAR_MONTH') return { type: { kind: 'INTERVAL_YEAR_MONTH' }, value: 0 };
    if (!wantMonths && free.type.kind === 'INTERVAL_YEAR_MONTH') {
      if (free.value !== 0) throw mixedInterval(text);
      return { type: { kind: 'INTERVAL_DAY_TIME' }, value: 0 };
    }
  }
  return free;
}

function mixedInterval(text: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `interval "${text}" mixes months with days or time`, {
    hint: 'Write the year-month part and the day-time part as two intervals.',
  });
}

const dayTime = { kind: 'INTERVAL_DAY_TIME' } as const;
const yearMonth = { kind: 'INTERVAL_YEAR_MONTH' } as const;

function parseStandardInterval(text: string, q: IntervalQualifier): IntervalValue | undefined {
  const t = text.trim();
  const signMatch = /^([+-]?)\s*(.*)$/.exec(t)!;
  const sign = signMatch[1] === '-' ? -1 : 1;
  const body = signMatch[2]!;
  const from = q.from;
  const to = q.to ?? q.from;
  if (yearMonthUnits.has(from)) {
    if (from === 'YEAR' && to === 'MONTH') {
      const m = /^(\d+)-(\d+)$/.exec(body);
      if (m) return { type: yearMonth, value: sign * (Number(m[1]) * 12 + Number(m[2])) };
      const y = /^(\d+)$/.exec(body);
      if (y) return { type: yearMonth, value: sign * Number(y[1]) * 12 };
      return undefined;
    }
    const n = /^(\d+)$/.exec(body);
    if (!n) return undefined;
    return { type: yearMonth, value: sign * Number(n[1]) * (unitMonths[from] ?? 1) };
  }
  // Day-time: the fields present run from `from` down to `to`.
  const order: TimeUnit[] = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
  if (from === 'WEEK' || from === 'MILLISECOND' || from === 'MICROSECOND') {
    const n = /^(\d+(?:\.\d*)?)$/.exec(body);
    if (!n) return undefined;
    return { type: dayTime, value: sign * Math.round(Number(n[1]) * (unitMicros[from] as number)) };
  }
  const fi = order.indexOf(from);
  const ti = order.indexOf(to);
  if (fi < 0 || ti < fi) return undefined;
  const fields = order.slice(fi, ti + 1);
  let re = '^';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) re += f === 'HOUR' ? '\\s+' : ':';
    re += f === 'SECOND' ? '(\\d+(?:\\.\\d*)?)' : '(\\d+)';
  }
  let m = new RegExp(`${re}$`).exec(body);
  // `'1 10:00:00' DAY TO SECOND` may also leave out trailing fields (`'1 10' DAY TO SECOND` is not
  // standard, but `'10:00' HOUR TO SECOND` means hours and minutes in PostgreSQL).
  if (!m && fields.length > 1) {
    const fewer = fields.slice(0, -1);
    let re2 = '^';
    for (let i = 0; i < fewer.length; i++) {
      const f = fewer[i]!;
      if (i > 0) re2 += f === 'HOUR' ? '\\s+' : ':';
      re2 += '(\\d+)';
    }
    m = new RegExp(`${re2}$`).exec(body);
    if (m) fields.length = fewer.length;
  }
  if (!m) {
    // A single number with a multi-field qualifier counts in the last field (PostgreSQL).
    const n = /^(\d+(?:\.\d*)?)$/.exec(body);
    if (!n) return undefined;
    return { type: dayTime, value: sign * Math.round(Number(n[1]) * (unitMicros[fields.length === 1 ? from : to] as number)) };
  }
  let micros = 0;
  for (let i = 0; i < fields.length; i++) {
    const v = Number(m[i + 1]);
    const f = fields[i]!;
    if (i > 0 && ((f === 'MINUTE' && v > 59) || (f === 'SECOND' && v >= 60) || (f === 'HOUR' && v > 23))) {
      throw new SqlError(SqlState.datetimeFieldOverflow, `interval field value out of range: "${text}"`);
    }
    micros += f === 'SECOND' ? Math.round(v * MICROS_PER_SECOND) : v * (unitMicros[f] as number);
  }
  return { type: dayTime, value: sign * micros };
}

const freeUnits = new Map<string, TimeUnit>([
  ['microsecond', 'MICROSECOND'], ['microseconds', 'MICROSECOND'], ['us', 'MICROSECOND'], ['usec', 'MICROSECOND'], ['usecs', 'MICROSECOND'],
  ['millisecond', 'MILLISECOND'], ['milliseconds', 'MILLISECOND'], ['ms', 'MILLISECOND'], ['msec', 'MILLISECOND'], ['msecs', 'MILLISECOND'],
  ['second', 'SECOND'], ['seconds', 'SECOND'], ['s', 'SECOND'], ['sec', 'SECOND'], ['secs', 'SECOND'],
  ['minute', 'MINUTE'], ['minutes', 'MINUTE'], ['m', 'MINUTE'], ['min', 'MINUTE'], ['mins', 'MINUTE'],
  ['hour', 'HOUR'], ['hours', 'HOUR'], ['h', 'HOUR'], ['hr', 'HOUR'], ['hrs', 'HOUR'],
  ['day', 'DAY'], ['days', 'DAY'], ['d', 'DAY'],
  ['week', 'WEEK'], ['weeks', 'WEEK'], ['w', 'WEEK'],
  ['month', 'MONTH'], ['months', 'MONTH'], ['mon', 'MONTH'], ['mons', 'MONTH'],
  ['quarter', 'QUARTER'], ['quarters', 'QUARTER'],
  ['year', 'YEAR'], ['years', 'YEAR'], ['y', 'YEAR'], ['yr', 'YEAR'], ['yrs', 'YEAR'],
  ['decade', 'DECADE'], ['decades', 'DECADE'], ['century', 'CENTURY'], ['centuries', 'CENTURY'],
  ['millennium', 'MILLENNIUM'], ['millennia', 'MILLENNIUM'], ['millenniums', 'MILLENNIUM'],
]);

function parseFreeFormInterval(text: string): IntervalValue {
  let s = text.trim().toLowerCase();
  if (s === '') throw badInterval(text);
  if (s.startsWith('p')) return parseIsoInterval(text, s);
  let negateAll = false;
  if (s.startsWith('@')) s = s.slice(1).trim();
  if (/\bago$/.test(s)) {
    negateAll = true;
    s = s.slice(0, -3).trim();
  }
  let months = 0;
  let micros = 0;
  let sawMonths = false;
  let sawDayTime = false;
  const tokenRe = /\s*(?:([+-]?)(\d+):(\d+)(?::(\d+(?:\.\d*)?))?|([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*([a-z]+)?)/y;
  let pos = 0;
  let matchedAny = false;
  while (pos < s.length) {
    tokenRe.lastIndex = pos;
    const m = tokenRe.exec(s);
    if (!m || m[0].trim() === '') {
      if (/^\s*$/.test(s.slice(pos))) break;
      throw badInterval(text);
    }
    pos = tokenRe.lastIndex;
    matchedAny = true;
    if (m[2] !== undefined) {
      // h:m[:s] time part
      const t = Number(m[2]) * MICROS_PER_HOUR + Number(m[3]) * MICROS_PER_MINUTE + Math.round(Number(m[4] ?? 0) * MICROS_PER_SECOND);
      micros += m[1] === '-' ? -t : t;
      sawDayTime = true;
      continue;
    }
    const n = Number(m[5]);
    const unitName = m[6];
    if (unitName === undefined) {
      // A bare number is seconds (PostgreSQL).
      micros += Math.round(n * MICROS_PER_SECOND);
      sawDayTime = true;
      continue;
    }
    const unit = freeUnits.get(unitName);
    if (unit === undefined) throw badInterval(text);
    const mo = unitMonths[unit];
    if (mo !== undefined) {
      const total = n * mo;
      const whole = Math.trunc(total);
      months += whole;
      sawMonths = true;
      const frac = total - whole;
      if (Math.abs(frac) > 1e-9) {
        // Fractional months spill into days of 30 (PostgreSQL); that makes a mixed interval.
        micros += Math.round(frac * 30 * MICROS_PER_DAY);
        sawDayTime = true;
      }
    } else {
      micros += Math.round(n * (unitMicros[unit] as number));
      sawDayTime = true;
    }
  }
  if (!matchedAny) throw badInterval(text);
  if (sawMonths && sawDayTime && micros !== 0 && months !== 0) throw mixedInterval(text);
  const sign = negateAll ? -1 : 1;
  if (sawMonths && (!sawDayTime || micros === 0)) return { type: yearMonth, value: sign * months + 0 };
  return { type: dayTime, value: sign * micros + 0 };
}

function parseIsoInterval(text: string, s: string): IntervalValue {
  const m = /^p(?:(\d+(?:\.\d+)?)y)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)w)?(?:(\d+(?:\.\d+)?)d)?(?:t(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?)?$/.exec(s);
  if (!m || s === 'p' || s.endsWith('t')) throw badInterval(text);
  const months = Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0);
  const micros = Math.round(
    Number(m[3] ?? 0) * 7 * MICROS_PER_DAY + Number(m[4] ?? 0) * MICROS_PER_DAY + Number(m[5] ?? 0) * MICROS_PER_HOUR
      + Number(m[6] ?? 0) * MICROS_PER_MINUTE + Number(m[7] ?? 0) * MICROS_PER_SECOND,
  );
  if (months !== 0 && micros !== 0) throw mixedInterval(text);
  if (months !== 0) return { type: yearMonth, value: months };
  return { type: dayTime, value: micros };
}
