// Date/time functions: EXTRACT and its shorthands, DATE_TRUNC, DATE_FORMAT, TO_CHAR, TO_TIMESTAMP,
// TO_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME, TIMESTAMPADD, TIMESTAMPDIFF, DATEDIFF, the clock functions.
//
// TIMESTAMP_LTZ values are instants; every calendar field of one is read in the session time zone.
// Parsing functions return NULL for text that does not fit their pattern (as Flink does).

import type { DataType } from '../../../common/data-type.js';
import {
  addMonthsToDays, addMonthsToMicros, civilFromDays, dayOfWeek, daysFromCivil, daysInMonth, getTimeZone, localToUtc,
  microsOfDay, microsToDays, parseTimestampWithZone, utcToLocal,
} from '../../../common/datetime.js';
import type { TimeZone } from '../../../common/datetime.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Decimal } from '../../../common/decimal.js';
import type { Value } from '../../../common/value.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../../common/value.js';
import { compilePattern, formatTokens, isoWeek, parseTokens } from '../datetime-format.js';
import type { Token } from '../datetime-format.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { outOfRange, strict1, strict2, strict3 } from './table.js';

export type Unit =
  | 'millennium' | 'century' | 'decade' | 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute'
  | 'second' | 'millisecond' | 'microsecond' | 'nanosecond' | 'dow' | 'doy' | 'isodow' | 'isoyear' | 'epoch';

const unitAliases = new Map<string, Unit>([
  ['millennium', 'millennium'], ['millennia', 'millennium'], ['mil', 'millennium'], ['mils', 'millennium'],
  ['century', 'century'], ['centuries', 'century'], ['c', 'century'],
  ['decade', 'decade'], ['decades', 'decade'], ['dec', 'decade'],
  ['year', 'year'], ['years', 'year'], ['y', 'year'], ['yr', 'year'], ['yrs', 'year'],
  ['quarter', 'quarter'], ['quarters', 'quarter'], ['qtr', 'quarter'],
  ['month', 'month'], ['months', 'month'], ['mon', 'month'], ['mons', 'month'],
  ['week', 'week'], ['weeks', 'week'], ['w', 'week'],
  ['day', 'day'], ['days', 'day'], ['d', 'day'],
  ['hour', 'hour'], ['hours', 'hour'], ['h', 'hour'], ['hr', 'hour'], ['hrs', 'hour'],
  ['minute', 'minute'], ['minutes', 'minute'], ['m', 'minute'], ['min', 'minute'], ['mins', 'minute'],
  ['second', 'second'], ['seconds', 'second'], ['s', 'second'], ['sec', 'second'], ['secs', 'second'],
  ['millisecond', 'millisecond'], ['milliseconds', 'millisecond'], ['ms', 'millisecond'], ['msec', 'millisecond'], ['msecs', 'millisecond'],
  ['microsecond', 'microsecond'], ['microseconds', 'microsecond'], ['us', 'microsecond'], ['usec', 'microsecond'], ['usecs', 'microsecond'],
  ['frac_second', 'microsecond'], ['nanosecond', 'nanosecond'], ['nanoseconds', 'nanosecond'],
  ['dow', 'dow'], ['doy', 'doy'], ['isodow', 'isodow'], ['isoyear', 'isoyear'], ['epoch', 'epoch'],
]);

/** A unit written as a string ('day', 'HOURS', 'SQL_TSI_DAY'); 22023 when unknown. */
export function parseUnit(text: string, forType: DataType): Unit {
  const key = text.trim().toLowerCase().replace(/^sql_tsi_/, '');
  const u = unitAliases.get(key);
  if (u === undefined) throw new SqlError(SqlState.invalidParameterValue, `unit "${text}" not recognized for type ${typeWord(forType)}`);
  return u;
}

function typeWord(t: DataType): string {
  switch (t.kind) {
    case 'DATE': return 'date';
    case 'TIME': return 'time without time zone';
    case 'TIMESTAMP': return 'timestamp without time zone';
    case 'TIMESTAMP_LTZ': return 'timestamp with time zone';
    default: return 'interval';
  }
}

function unsupportedUnit(unit: string, t: DataType): SqlError {
  return new SqlError(SqlState.featureNotSupported, `unit "${unit}" not supported for type ${typeWord(t)}`);
}

/** PostgreSQL's year numbering for BC (no year 0): proleptic year 0 is 1 BC = -1. */
function pgYear(y: number): number {
  return y <= 0 ? y - 1 : y;
}

/**
 * A field of a wall-clock timestamp (micros). `fractional` gives PostgreSQL's date_part values
 * (seconds with fraction); otherwise whole numbers (Flink's EXTRACT: BIGINT).
 */
function timestampField(unit: Unit, local: number, epochMicros: number, fractional: boolean): number {
  const days = microsToDays(local);
  const tod = local - days * MICROS_PER_DAY;
  switch (unit) {
    case 'hour': return Math.floor(tod / MICROS_PER_HOUR);
    case 'minute': return Math.floor((tod % MICROS_PER_HOUR) / MICROS_PER_MINUTE);
    case 'second': {
      const us = tod % MICROS_PER_MINUTE;
      return fractional ? us / MICROS_PER_SECOND : Math.floor(us / MICROS_PER_SECOND);
    }
    case 'millisecond': {
      const us = tod % MICROS_PER_MINUTE;
      return fractional ? us / 1000 : Math.floor(us / 1000);
    }
    case 'microsecond': return tod % MICROS_PER_MINUTE;
    case 'nanosecond': return (tod % MICROS_PER_MINUTE) * 1000;
    case 'epoch': return fractional ? epochMicros / MICROS_PER_SECOND : Math.floor(epochMicros / MICROS_PER_SECOND);
    case 'dow': return dayOfWeek(days);
    case 'isodow': {
      const d = dayOfWeek(days);
      return d === 0 ? 7 : d;
    }
    case 'week': return isoWeek(days).week;
    case 'isoyear': return isoWeek(days).year;
    default: break;
  }
  const c = civilFromDays(days);
  const y = pgYear(c.year);
  switch (unit) {
    case 'year': return y;
    case 'month': return c.month;
    case 'day': return c.day;
    case 'quarter': return Math.floor((c.month - 1) / 3) + 1;
    case 'doy': return days - daysFromCivil(c.year, 1, 1) + 1;
    case 'decade': return Math.floor(y / 10);
    case 'century': return y > 0 ? Math.floor((y + 99) / 100) : -Math.floor((99 - y - 1) / 100);
    case 'millennium': return y > 0 ? Math.floor((y + 999) / 1000) : -Math.floor((999 - y - 1) / 1000);
    default: return 0;
  }
}

function intervalField(unit: Unit, kind: string, v: number, fractional: boolean): number {
  if (kind === 'INTERVAL_YEAR_MONTH') {
    const years = Math.trunc(v / 12);
    switch (unit) {
      case 'year': return years;
      case 'month': return v % 12 + 0;
      case 'quarter': return Math.floor((v % 12) / 3) + 1;
      case 'decade': return Math.trunc(years / 10);
      case 'century': return Math.trunc(years / 100);
      case 'millennium': return Math.trunc(years / 1000);
      case 'epoch': return years * 365.25 * 86400 + (v % 12) * 30 * 86400;
      default: return 0;
    }
  }
  const sign = v < 0 ? -1 : 1;
  const a = Math.abs(v);
  const r = (x: number) => sign * x + 0;
  switch (unit) {
    case 'day': return r(Math.floor(a / MICROS_PER_DAY));
    case 'hour': return r(Math.floor((a % MICROS_PER_DAY) / MICROS_PER_HOUR));
    case 'minute': return r(Math.floor((a % MICROS_PER_HOUR) / MICROS_PER_MINUTE));
    case 'second': return r(fractional ? (a % MICROS_PER_MINUTE) / MICROS_PER_SECOND : Math.floor((a % MICROS_PER_MINUTE) / MICROS_PER_SECOND));
    case 'millisecond': return r(fractional ? (a % MICROS_PER_MINUTE) / 1000 : Math.floor((a % MICROS_PER_MINUTE) / 1000));
    case 'microsecond': return r(a % MICROS_PER_MINUTE);
    case 'nanosecond': return r((a % MICROS_PER_MINUTE) * 1000);
    case 'epoch': return fractional ? v / MICROS_PER_SECOND : r(Math.floor(a / MICROS_PER_SECOND));
    case 'year': case 'month': case 'quarter': case 'decade': case 'century': case 'millennium': return 0;
    default: throw unsupportedUnit(unit, { kind: 'INTERVAL_DAY_TIME' });
  }
}

const timeUnits: ReadonlySet<Unit> = new Set<Unit>(['hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond', 'epoch']);

/** An extractor for values of type `t`: (value) => field. */
export function fieldExtractor(unit: Unit, t: DataType, tz: TimeZone, fractional: boolean): (v: number) => number {
  switch (t.kind) {
    case 'DATE':
      if (timeUnits.has(unit) && unit !== 'epoch') throw unsupportedUnit(unit, t);
      return (d) => timestampField(unit, d * MICROS_PER_DAY, d * MICROS_PER_DAY, fractional);
    case 'TIME':
      if (!timeUnits.has(unit)) throw unsupportedUnit(unit, t);
      return (us) => timestampField(unit, us, us, fractional);
    case 'TIMESTAMP':
      return (ts) => timestampField(unit, ts, ts, fractional);
    case 'TIMESTAMP_LTZ':
      return (ts) => timestampField(unit, utcToLocal(ts, tz), ts, fractional);
    default:
      return (v) => intervalField(unit, t.kind, v, fractional);
  }
}

function extract(unit: Unit) {
  return (site: CallSite): Evaluator => {
    const f = fieldExtractor(unit, site.args[0]!.type, site.ctx.timeZone, false);
    return strict1(site, f);
  };
}

function datePart(site: CallSite): Evaluator {
  const t = site.args[1]!.type;
  const tz = site.ctx.timeZone;
  const c = site.consts[0];
  if (c !== undefined && c.value !== null) {
    const f = fieldExtractor(parseUnit(c.value as string, t), t, tz, true);
    return strict2(site, (_u: string, v: number) => f(v));
  }
  return strict2(site, (u: string, v: number) => fieldExtractor(parseUnit(u, t), t, tz, true)(v));
}

// ---------------------------------------------------------------- truncation

function truncLocal(unit: Unit, local: number, t: DataType): number {
  const days = microsToDays(local);
  switch (unit) {
    case 'microsecond': return local;
    case 'millisecond': return Math.floor(local / 1000) * 1000;
    case 'second': return Math.floor(local / MICROS_PER_SECOND) * MICROS_PER_SECOND;
    case 'minute': return Math.floor(local / MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
    case 'hour': return Math.floor(local / MICROS_PER_HOUR) * MICROS_PER_HOUR;
    case 'day': return days * MICROS_PER_DAY;
    case 'week': return (days - ((dayOfWeek(days) + 6) % 7)) * MICROS_PER_DAY;
    default: break;
  }
  const c = civilFromDays(days);
  let y = c.year;
  let m = 1;
  switch (unit) {
    case 'month': m = c.month; break;
    case 'quarter': m = Math.floor((c.month - 1) / 3) * 3 + 1; break;
    case 'year': break;
    case 'decade': y = Math.floor(y / 10) * 10; break;
    case 'century': y = Math.floor((y - 1) / 100) * 100 + 1; break;
    case 'millennium': y = Math.floor((y - 1) / 1000) * 1000 + 1; break;
    default: throw unsupportedUnit(unit, t);
  }
  return daysFromCivil(y, m, 1) * MICROS_PER_DAY;
}

function truncator(unit: Unit, t: DataType, tz: TimeZone): (v: number) => number {
  switch (t.kind) {
    case 'TIMESTAMP': return (ts) => truncLocal(unit, ts, t);
    case 'TIMESTAMP_LTZ': return (ts) => localToUtc(truncLocal(unit, utcToLocal(ts, tz), t), tz);
    case 'TIME':
      if (!timeUnits.has(unit)) throw unsupportedUnit(unit, t);
      return (us) => truncLocal(unit, us, t);
    default: {
      // Day-time interval: toward zero, by fixed unit lengths.
      const size = unitMicros(unit);
      if (size === undefined) throw unsupportedUnit(unit, t);
      return (v) => Math.trunc(v / size) * size + 0;
    }
  }
}

function unitMicros(unit: Unit): number | undefined {
  switch (unit) {
    case 'week': return 7 * MICROS_PER_DAY;
    case 'day': return MICROS_PER_DAY;
    case 'hour': return MICROS_PER_HOUR;
    case 'minute': return MICROS_PER_MINUTE;
    case 'second': return MICROS_PER_SECOND;
    case 'millisecond': return 1000;
    case 'microsecond': return 1;
    default: return undefined;
  }
}

function unitMonths(unit: Unit): number | undefined {
  switch (unit) {
    case 'year': return 12;
    case 'quarter': return 3;
    case 'month': return 1;
    case 'decade': return 120;
    case 'century': return 1200;
    case 'millennium': return 12000;
    default: return undefined;
  }
}

function dateTrunc(site: CallSite): Evaluator {
  const t = site.args[1]!.type;
  const tz = site.ctx.timeZone;
  const c = site.consts[0];
  if (c !== undefined && c.value !== null) {
    const f = truncator(parseUnit(c.value as string, t), t, tz);
    return strict2(site, (_u: string, v: number) => f(v));
  }
  return strict2(site, (u: string, v: number) => truncator(parseUnit(u, t), t, tz)(v));
}

// ---------------------------------------------------------------- add / diff

function adder(unit: Unit, t: DataType, tz: TimeZone): (n: number, v: number) => number {
  const months = unitMonths(unit);
  const us = unitMicros(unit);
  if (months === undefined && us === undefined) throw unsupportedUnit(unit, t);
  switch (t.kind) {
    case 'DATE':
      if (months !== undefined) return (n, d) => addMonthsToDays(d, n * months);
      return (n, d) => Math.floor((d * MICROS_PER_DAY + n * us!) / MICROS_PER_DAY);
    case 'TIME':
      if (months !== undefined) return (_n, v) => v;
      return (n, v) => {
        const r = (v + n * us!) % MICROS_PER_DAY;
        return r < 0 ? r + MICROS_PER_DAY : r + 0;
      };
    case 'TIMESTAMP':
      if (months !== undefined) return (n, ts) => addMonthsToMicros(ts, n * months);
      return (n, ts) => ts + n * us!;
    default:
      if (months !== undefined) return (n, ts) => localToUtc(addMonthsToMicros(utcToLocal(ts, tz), n * months), tz);
      return (n, ts) => ts + n * us!;
  }
}

function timestampAdd(site: CallSite): Evaluator {
  const t = site.args[2]!.type;
  const tz = site.ctx.timeZone;
  const c = site.consts[0];
  if (c !== undefined && c.value !== null) {
    const f = adder(parseUnit(c.value as string, t), t, tz);
    return strict3(site, (_u: string, n: number, v: number) => f(n, v));
  }
  return strict3(site, (u: string, n: number, v: number) => adder(parseUnit(u, t), t, tz)(n, v));
}

/** Whole months from a to b (wall-clock micros), counting a month only once its day and time are reached. */
function monthsBetween(a: number, b: number): number {
  const da = microsToDays(a);
  const db = microsToDays(b);
  const ca = civilFromDays(da);
  const cb = civilFromDays(db);
  let m = (cb.year - ca.year) * 12 + (cb.month - ca.month);
  const restA = (ca.day - 1) * MICROS_PER_DAY + (a - da * MICROS_PER_DAY);
  const restB = (cb.day - 1) * MICROS_PER_DAY + (b - db * MICROS_PER_DAY);
  if (m > 0 && restB < restA) m--;
  else if (m < 0 && restB > restA) m++;
  return m;
}

function differ(unit: Unit, t: DataType, tz: TimeZone): (a: number, b: number) => number {
  const months = unitMonths(unit);
  const us = unitMicros(unit);
  if (months === undefined && us === undefined) throw unsupportedUnit(unit, t);
  const toLocal = t.kind === 'DATE' ? (d: number) => d * MICROS_PER_DAY : t.kind === 'TIMESTAMP_LTZ' ? (x: number) => utcToLocal(x, tz) : (x: number) => x;
  const toMicros = t.kind === 'DATE' ? (d: number) => d * MICROS_PER_DAY : (x: number) => x;
  if (months !== undefined) return (a, b) => Math.trunc(monthsBetween(toLocal(a), toLocal(b)) / months) + 0;
  return (a, b) => Math.trunc((toMicros(b) - toMicros(a)) / us!) + 0;
}

function timestampDiff(site: CallSite): Evaluator {
  const t = site.args[1]!.type;
  const tz = site.ctx.timeZone;
  const err = outOfRange(site.type);
  const check = (r: number) => {
    if (r > 2147483647 || r < -2147483648) throw err;
    return r;
  };
  const c = site.consts[0];
  if (c !== undefined && c.value !== null) {
    const f = differ(parseUnit(c.value as string, t), t, tz);
    return strict3(site, (_u: string, a: number, b: number) => check(f(a, b)));
  }
  return strict3(site, (u: string, a: number, b: number) => check(differ(parseUnit(u, t), t, tz)(a, b)));
}

// ---------------------------------------------------------------- formatting and parsing

const DEFAULT_JAVA = 'yyyy-MM-dd HH:mm:ss';

/** A compiled pattern argument: constant patterns are compiled once. */
function patternArg(site: CallSite, i: number, forcePg = false): (p: string) => { tokens: Token[]; pg: boolean } {
  const c = site.consts[i];
  if (c !== undefined && c.value !== null) {
    const compiled = compilePattern(c.value as string, forcePg);
    return () => compiled;
  }
  return (p) => compilePattern(p, forcePg);
}

function dateFormat(site: CallSite): Evaluator {
  const tz = site.ctx.timeZone;
  const pat = patternArg(site, 1);
  return strict2(site, (ts: number, p: string) => {
    const { tokens, pg } = pat(p);
    return formatTokens(tokens, ts, pg, tz.offsetAt(localToUtc(ts, tz)), tz.name);
  });
}

/** Parses a timestamp string leniently (ISO forms), or undefined. */
function parseLenient(s: string): { local: number; offset: number | undefined } | undefined {
  try {
    const p = parseTimestampWithZone(s);
    return { local: p.micros, offset: p.offset };
  } catch {
    return undefined;
  }
}

function dateFormatString(site: CallSite): Evaluator {
  const tz = site.ctx.timeZone;
  const pat = patternArg(site, 1);
  return strict2(site, (s: string, p: string) => {
    const parsed = parseLenient(s);
    if (parsed === undefined) return null;
    const { tokens, pg } = pat(p);
    return formatTokens(tokens, parsed.local, pg, tz.offsetAt(localToUtc(parsed.local, tz)), tz.name);
  });
}

/** Parses with an optional pattern; the result is wall-clock micros in the session zone. */
function parser(site: CallSite, patternIndex: number): (s: string, p: string | undefined) => number | undefined {
  const tz = site.ctx.timeZone;
  const pat = site.evals.length > patternIndex ? patternArg(site, patternIndex) : undefined;
  return (s, p) => {
    let r: { local: number; offset: number | undefined } | undefined;
    if (pat === undefined || p === undefined) r = parseLenient(s);
    else {
      const { tokens, pg } = pat(p);
      r = parseTokens(tokens, s.trim(), pg);
    }
    if (r === undefined) return undefined;
    if (r.offset === undefined) return r.local;
    return utcToLocal(r.local - r.offset, tz);
  };
}

function withOptionalPattern(site: CallSite, f: (s: string, p: string | undefined) => Value): Evaluator {
  if (site.evals.length === 1) return strict1(site, (s: string) => f(s, undefined));
  return strict2(site, (s: string, p: string) => f(s, p));
}

function toTimestamp(site: CallSite): Evaluator {
  const parse = parser(site, 1);
  return withOptionalPattern(site, (s, p) => {
    const local = parse(s, p);
    return local === undefined ? null : Math.floor(local / 1000) * 1000;
  });
}

function toDate(site: CallSite): Evaluator {
  const parse = parser(site, 1);
  return withOptionalPattern(site, (s, p) => {
    const local = parse(s, p);
    return local === undefined ? null : microsToDays(local);
  });
}

function toTimestampLtzString(site: CallSite): Evaluator {
  const tz = site.ctx.timeZone;
  const parse = parser(site, 1);
  return withOptionalPattern(site, (s, p) => {
    const local = parse(s, p);
    return local === undefined ? null : Math.floor(localToUtc(local, tz) / 1000) * 1000;
  });
}

function unixTimestamp(site: CallSite): Evaluator {
  const now = site.ctx.now;
  if (site.evals.length === 0) return () => Math.floor(now() / MICROS_PER_SECOND);
  const tz = site.ctx.timeZone;
  const parse = parser(site, 1);
  const defaultTokens = compilePattern(DEFAULT_JAVA);
  return withOptionalPattern(site, (s, p) => {
    let local: number | undefined;
    if (p === undefined) {
      const r = parseTokens(defaultTokens.tokens, s.trim(), false);
      local = r === undefined ? parse(s, undefined) : r.local;
    } else local = parse(s, p);
    return local === undefined ? null : Math.floor(localToUtc(local, tz) / MICROS_PER_SECOND);
  });
}

function fromUnixtime(site: CallSite): Evaluator {
  const tz = site.ctx.timeZone;
  const def = compilePattern(DEFAULT_JAVA);
  const fmt = (secs: number, c: { tokens: Token[]; pg: boolean }) => {
    const utc = secs * MICROS_PER_SECOND;
    return formatTokens(c.tokens, utcToLocal(utc, tz), c.pg, tz.offsetAt(utc), tz.name);
  };
  if (site.evals.length === 1) return strict1(site, (secs: number) => fmt(secs, def));
  const pat = patternArg(site, 1);
  return strict2(site, (secs: number, p: string) => fmt(secs, pat(p)));
}

function toChar(site: CallSite): Evaluator {
  const t = site.args[0]!.type;
  const tz = site.ctx.timeZone;
  const pat = patternArg(site, 1, true);
  switch (t.kind) {
    case 'TIMESTAMP': return strict2(site, (ts: number, p: string) => formatTokens(pat(p).tokens, ts, true, 0, 'UTC'));
    case 'TIMESTAMP_LTZ':
      return strict2(site, (ts: number, p: string) => {
        const off = tz.offsetAt(ts);
        return formatTokens(pat(p).tokens, ts + off, true, off, tz.name);
      });
    case 'INTERVAL_DAY_TIME': return strict2(site, (v: number, p: string) => formatTokens(pat(p).tokens, v, true));
    case 'INTERVAL_YEAR_MONTH': return strict2(site, (v: number, p: string) => formatTokens(pat(p).tokens, addMonthsToMicros(0, v), true));
    default: return strict2(site, (v: number | Decimal, p: string) => formatNumber(v, p));
  }
}

/**
 * TO_CHAR for numbers, PostgreSQL's common template subset: `9` (digit, blank when a leading
 * zero), `0` (digit, zero kept), `.`/`D` (decimal point), `,`/`G` (group separator), `FM` (no
 * padding, trailing zeros of `9` positions dropped), other characters literal. The sign takes
 * one position before the number (blank when positive unless FM). Too few integer positions
 * print `#` in every digit position.
 */
export function formatNumber(v: number | Decimal, fmt: string): string {
  let f = fmt;
  let fm = false;
  if (/^FM/i.test(f)) {
    fm = true;
    f = f.slice(2);
  }
  const items = [...f];
  const point = items.findIndex((c) => c === '.' || c === 'D');
  const intItems = point < 0 ? items : items.slice(0, point);
  const fracItems = point < 0 ? [] : items.slice(point + 1);
  const isDigit = (c: string) => c === '9' || c === '0';
  const intPositions = intItems.filter(isDigit).length;
  const fracPositions = fracItems.filter(isDigit).length;
  const num = typeof v === 'number' ? v : Number(v.toString());
  const neg = num < 0 || Object.is(num, -0);
  const fixed = Math.abs(num).toFixed(fracPositions);
  const [iRaw = '0', fStr = ''] = fixed.split('.');
  const intStr = iRaw === '0' ? '' : iRaw;
  if (intStr.length > intPositions) {
    const hashes = items.map((c) => (isDigit(c) ? '#' : c === 'D' ? '.' : c === 'G' ? ',' : c)).join('');
    return (fm ? '' : ' ') + hashes;
  }
  const firstZero = intItems.indexOf('0');
  let digitIdx = intStr.length - 1;
  let intOut = '';
  // Right to left over the integer items.
  let lastDigitPos = -1;
  for (let i = intItems.length - 1; i >= 0; i--) if (isDigit(intItems[i]!)) { lastDigitPos = i; break; }
  for (let i = intItems.length - 1; i >= 0; i--) {
    const c = intItems[i]!;
    if (isDigit(c)) {
      if (digitIdx >= 0) intOut = intStr[digitIdx--] + intOut;
      else if (firstZero >= 0 && i >= firstZero) intOut = `0${intOut}`;
      else if (i === lastDigitPos && intStr === '' && fracPositions === 0) intOut = `0${intOut}`;
      else intOut = ` ${intOut}`;
    } else if (c === ',' || c === 'G') {
      intOut = (digitIdx >= 0 || (firstZero >= 0 && i > firstZero) ? ',' : ' ') + intOut;
    } else intOut = c + intOut;
  }
  let fracOut = '';
  if (point >= 0) {
    let k = 0;
    const digits: string[] = [];
    for (const c of fracItems) {
      if (isDigit(c)) digits.push(fStr[k++] ?? '0');
      else digits.push(c);
    }
    if (fm) {
      // Trailing zeros of '9' positions go; '0' positions keep theirs.
      for (let i = fracItems.length - 1; i >= 0; i--) {
        if (fracItems[i] === '9' && digits[i] === '0') digits[i] = '';
        else break;
      }
    }
    fracOut = `.${digits.join('')}`;
  }
  const m = /^( *)(.*)$/.exec(intOut)!;
  const padding = fm ? '' : m[1]!;
  const signChar = neg ? '-' : fm ? '' : ' ';
  return padding + signChar + m[2]! + fracOut;
}

// ---------------------------------------------------------------- registration

export function registerDatetime(t: FunctionTable): void {
  for (const unit of new Set(unitAliases.values())) t.set(`extract_${unit}`, extract(unit));
  t.set('dayofweek', (s) => {
    const k = s.args[0]!.type.kind;
    return strict1(s, (v: number) => dayOfWeek(k === 'DATE' ? v : microsToDays(v)) + 1);
  });
  t.set('date_part', datePart);
  t.set('date_trunc', dateTrunc);
  t.set('timestampadd', timestampAdd);
  t.set('timestampdiff', timestampDiff);
  t.set('datediff', (s) => strict2(s, (a: number, b: number) => a - b));
  t.set('date_format', dateFormat);
  t.set('date_format_string', dateFormatString);
  t.set('to_char', toChar);
  t.set('to_timestamp', toTimestamp);
  t.set('to_date', toDate);
  t.set('to_timestamp_ltz_string', toTimestampLtzString);
  t.set('to_timestamp_epoch', (s) => strict1(s, (x: number) => {
    if (!Number.isFinite(x)) throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN or infinite');
    return Math.round(x * MICROS_PER_SECOND);
  }));
  t.set('to_timestamp_ltz', (s) => {
    const scale = (p: number) => (p === 0 ? MICROS_PER_SECOND : p === 3 ? 1000 : p === 6 ? 1 : p === 9 ? 0.001 : NaN);
    const conv = (x: number, p: number) => {
      const f = scale(p);
      if (Number.isNaN(f)) throw new SqlError(SqlState.invalidParameterValue, `precision ${p} is not supported, use 0, 3, 6 or 9`);
      return Math.floor((x * f) / 1000) * 1000;
    };
    if (s.evals.length === 1) return strict1(s, (x: number) => conv(x, 3));
    return strict2(s, conv);
  });
  t.set('unix_timestamp', unixTimestamp);
  t.set('convert_tz', (s) => {
    const def = compilePattern(DEFAULT_JAVA);
    return strict3(s, (text: string, from: string, to: string) => {
      const p = parseLenient(text);
      if (p === undefined) return null;
      const instant = p.offset === undefined ? localToUtc(p.local, getTimeZone(from)) : p.local - p.offset;
      const zone = getTimeZone(to);
      return formatTokens(def.tokens, utcToLocal(instant, zone), false, zone.offsetAt(instant), zone.name);
    });
  });
  t.set('from_unixtime', fromUnixtime);
  t.set('make_date', (s) => strict3(s, (y: number, m: number, d: number) => {
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y === 0) {
      throw new SqlError(SqlState.datetimeFieldOverflow, `date field value out of range: ${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    return daysFromCivil(y < 0 ? y + 1 : y, m, d);
  }));
  t.set('last_day', (s) => {
    const k = s.args[0]!.type.kind;
    return strict1(s, (v: number) => {
      const days = k === 'DATE' ? v : microsToDays(v);
      const c = civilFromDays(days);
      return daysFromCivil(c.year, c.month, daysInMonth(c.year, c.month));
    });
  });
  // The clock: `now()` is the injected instant (micros); precision 3 types are truncated to ms.
  t.set('current_timestamp', (s) => {
    const now = s.ctx.now;
    return () => Math.floor(now() / 1000) * 1000;
  });
  // PROCTIME(): the processing-time attribute, read from the same clock when a row passes (TIMESTAMP_LTZ(3)).
  t.set('proctime', (s) => {
    const now = s.ctx.now;
    return () => Math.floor(now() / 1000) * 1000;
  });
  t.set('localtimestamp', (s) => {
    const { now, timeZone } = s.ctx;
    return () => Math.floor(utcToLocal(now(), timeZone) / 1000) * 1000;
  });
  t.set('current_date', (s) => {
    const { now, timeZone } = s.ctx;
    return () => microsToDays(utcToLocal(now(), timeZone));
  });
  t.set('current_time', (s) => {
    const { now, timeZone } = s.ctx;
    return () => Math.floor(microsOfDay(utcToLocal(now(), timeZone)) / MICROS_PER_SECOND) * MICROS_PER_SECOND;
  });
}

