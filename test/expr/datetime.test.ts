// Date/time: literals, EXTRACT, DATE_TRUNC, formatting and parsing functions, the injectable clock.

import { expect } from 'chai';
import type { DataType } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import {
  formatInterval, formatTimestamp, parseDate, parseIntervalLiteral, parseTime, parseTimestamp, parseTimestampLtz, getTimeZone,
} from '../../common/datetime.js';
import { call, dbl, ev, evRow, int, big, lit, str } from './helpers.js';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;
const ts = (s: string) => lit(parseTimestamp(s), Types.timestamp3);
const ltz = (s: string) => lit(parseTimestampLtz(s), Types.timestampLtz3);
const date = (s: string) => lit(parseDate(s), Types.date);
const fmtTs = (v: unknown) => formatTimestamp(v as number);

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { sqlstate?: string }).sqlstate;
  }
  return undefined;
}

describe('date/time literals', () => {
  it('parses dates, times and timestamps', () => {
    expect(parseDate('1970-01-02')).to.equal(1);
    expect(parseDate('1969-12-31')).to.equal(-1);
    expect(parseDate('2000-02-29')).to.equal(11016);
    expect(parseTime('10:00:05.5')).to.equal(10 * HOUR + 5_500_000);
    expect(parseTimestamp('1970-01-01 01:00:00')).to.equal(HOUR);
    expect(parseTimestamp('1970-01-01T01:00')).to.equal(HOUR);
    expect(parseTimestamp('1970-01-02')).to.equal(DAY);
    expect(parseTimestampLtz('1970-01-01 02:00:00+02')).to.equal(0);
    expect(parseTimestampLtz('1970-01-01 00:00:00', getTimeZone('+01:00'))).to.equal(-HOUR);
  });

  it('rejects bad input with PostgreSQL errors', () => {
    expect(sqlstate(() => parseDate('2026-13-01'))).to.equal('22008');
    expect(sqlstate(() => parseDate('2026-02-30'))).to.equal('22008');
    expect(sqlstate(() => parseDate('yesterday-ish'))).to.equal('22007');
    expect(() => parseDate('x')).to.throw('invalid input syntax for type date: "x"');
  });

  it('parses interval literals with and without qualifiers', () => {
    expect(parseIntervalLiteral('1', { from: 'HOUR' })).to.deep.equal({ type: Types.intervalDayTime, value: HOUR });
    expect(parseIntervalLiteral('10', { from: 'MINUTE' }).value).to.equal(600_000_000);
    expect(parseIntervalLiteral('2-3', { from: 'YEAR', to: 'MONTH' })).to.deep.equal({ type: Types.intervalYearMonth, value: 27 });
    expect(parseIntervalLiteral('1 10:00:00', { from: 'DAY', to: 'SECOND' }).value).to.equal(DAY + 10 * HOUR);
    expect(parseIntervalLiteral('1.5', { from: 'SECOND' }).value).to.equal(1_500_000);
    expect(parseIntervalLiteral('-1', { from: 'DAY' }).value).to.equal(-DAY);
    expect(parseIntervalLiteral('1 hour 30 minutes').value).to.equal(HOUR + 1_800_000_000);
    expect(parseIntervalLiteral('2 days 01:00:00').value).to.equal(2 * DAY + HOUR);
    expect(parseIntervalLiteral('1 year 2 mons')).to.deep.equal({ type: Types.intervalYearMonth, value: 14 });
    expect(parseIntervalLiteral('3 weeks ago').value).to.equal(-21 * DAY);
    expect(parseIntervalLiteral('P1DT2H').value).to.equal(DAY + 2 * HOUR);
    expect(parseIntervalLiteral('1 day', { from: 'DAY' }).value).to.equal(DAY);
    expect(sqlstate(() => parseIntervalLiteral('1 month 1 day'))).to.equal('0A000');
    expect(sqlstate(() => parseIntervalLiteral('soon'))).to.equal('22007');
  });

  it('formats intervals in the postgres style', () => {
    expect(formatInterval(HOUR, 'INTERVAL_DAY_TIME')).to.equal('01:00:00');
    expect(formatInterval(DAY + 2 * HOUR, 'INTERVAL_DAY_TIME')).to.equal('1 day 02:00:00');
    expect(formatInterval(3 * DAY, 'INTERVAL_DAY_TIME')).to.equal('3 days');
    expect(formatInterval(-1_000_000, 'INTERVAL_DAY_TIME')).to.equal('-00:00:01');
    expect(formatInterval(-(DAY + 2 * HOUR), 'INTERVAL_DAY_TIME')).to.equal('-1 days -02:00:00');
    expect(formatInterval(1_500_000, 'INTERVAL_DAY_TIME')).to.equal('00:00:01.5');
    expect(formatInterval(0, 'INTERVAL_DAY_TIME')).to.equal('00:00:00');
    expect(formatInterval(14, 'INTERVAL_YEAR_MONTH')).to.equal('1 year 2 mons');
    expect(formatInterval(-14, 'INTERVAL_YEAR_MONTH')).to.equal('-1 years -2 mons');
    expect(formatInterval(1, 'INTERVAL_YEAR_MONTH')).to.equal('1 mon');
  });
});

describe('date/time functions', () => {
  const t = ts('2026-03-15 10:20:30.456');

  it('extracts fields', () => {
    const ex = (unit: string, e = t) => ev(call(`extract_${unit}`, e));
    expect(ex('year')).to.equal(2026);
    expect(ex('quarter')).to.equal(1);
    expect(ex('month')).to.equal(3);
    expect(ex('day')).to.equal(15);
    expect(ex('hour')).to.equal(10);
    expect(ex('minute')).to.equal(20);
    expect(ex('second')).to.equal(30);
    expect(ex('millisecond')).to.equal(30456);
    expect(ex('dow')).to.equal(0); // a Sunday
    expect(ex('isodow')).to.equal(7);
    expect(ex('doy')).to.equal(74);
    expect(ex('week')).to.equal(11);
    expect(ex('century')).to.equal(21);
    expect(ex('epoch', ts('1970-01-02 00:00:00'))).to.equal(86400);
    expect(ex('year', date('2024-02-29'))).to.equal(2024);
    expect(ex('hour', lit(DAY + 3 * HOUR, Types.intervalDayTime))).to.equal(3);
    expect(ex('day', lit(DAY + 3 * HOUR, Types.intervalDayTime))).to.equal(1);
    expect(ex('month', lit(14, Types.intervalYearMonth))).to.equal(2);
    expect(ev(call('year', date('2001-02-03')))).to.equal(2001);
    expect(ev(call('dayofweek', date('2026-03-15')))).to.equal(1);
    expect(ev(call('dayofmonth', t))).to.equal(15);
    expect(ev(call('date_part', str('second'), t))).to.equal(30.456);
  });

  it('reads TIMESTAMP_LTZ fields in the session time zone', () => {
    const v = ltz('2026-01-01 23:30:00+00');
    expect(ev(call('extract_hour', v), [], { timeZone: 'Asia/Tokyo' })).to.equal(8);
    expect(ev(call('extract_day', v), [], { timeZone: 'Asia/Tokyo' })).to.equal(2);
    expect(ev(call('extract_hour', v))).to.equal(23);
  });

  it('truncates', () => {
    const tr = (unit: string, e = t) => fmtTs(ev(call('date_trunc', str(unit), e)));
    expect(tr('hour')).to.equal('2026-03-15 10:00:00');
    expect(tr('day')).to.equal('2026-03-15 00:00:00');
    expect(tr('week')).to.equal('2026-03-09 00:00:00');
    expect(tr('month')).to.equal('2026-03-01 00:00:00');
    expect(tr('quarter')).to.equal('2026-01-01 00:00:00');
    expect(tr('year')).to.equal('2026-01-01 00:00:00');
    expect(tr('second')).to.equal('2026-03-15 10:20:30');
    expect(tr('month', date('2026-03-15'))).to.equal('2026-03-01 00:00:00');
    expect(sqlstate(() => ev(call('date_trunc', str('fortnight'), t)))).to.equal('22023');
  });

  it('formats with Java patterns (DATE_FORMAT) and PostgreSQL templates (TO_CHAR)', () => {
    expect(ev(call('date_format', t, str('yyyy-MM-dd HH:mm:ss')))).to.equal('2026-03-15 10:20:30');
    expect(ev(call('date_format', t, str('yyyy/MM/dd HH:mm:ss.SSS')))).to.equal('2026/03/15 10:20:30.456');
    expect(ev(call('date_format', t, str("EEE, d MMM yyyy h:mm a 'at' z")))).to.equal('Sun, 15 Mar 2026 10:20 AM at UTC');
    expect(ev(call('date_format', str('2026-03-15 10:20:30'), str('yyyyMMdd')))).to.equal('20260315');
    expect(ev(call('to_char', t, str('YYYY-MM-DD HH24:MI:SS.MS')))).to.equal('2026-03-15 10:20:30.456');
    expect(ev(call('to_char', t, str('Day, DD Month YYYY')))).to.equal('Sunday   , 15 March     2026');
    expect(ev(call('to_char', t, str('FMDay, FMDD FMMonth YYYY HH12 am')))).to.equal('Sunday, 15 March 2026 10 am');
    expect(ev(call('to_char', date('2026-01-05'), str('Dy Mon DD')))).to.equal('Mon Jan 05');
  });

  it('formats numbers with TO_CHAR', () => {
    expect(ev(call('to_char', int(123), str('99999')))).to.equal('   123');
    expect(ev(call('to_char', int(-123), str('99999')))).to.equal('  -123');
    expect(ev(call('to_char', dbl(3.14159), str('9.99')))).to.equal(' 3.14');
    expect(ev(call('to_char', int(42), str('00000')))).to.equal(' 00042');
    expect(ev(call('to_char', dbl(1234.5), str('FM9,999.00')))).to.equal('1,234.50');
    expect(ev(call('to_char', dbl(1.5), str('FM999.999')))).to.equal('1.5');
    expect(ev(call('to_char', int(12345), str('999')))).to.equal(' ###');
  });

  it('parses with TO_TIMESTAMP and TO_DATE, NULL when the text does not fit', () => {
    expect(fmtTs(ev(call('to_timestamp', str('2026-03-15 10:20:30'))))).to.equal('2026-03-15 10:20:30');
    expect(fmtTs(ev(call('to_timestamp', str('15/03/2026 10:20'), str('dd/MM/yyyy HH:mm'))))).to.equal('2026-03-15 10:20:00');
    expect(fmtTs(ev(call('to_timestamp', str('20260315102030'), str('yyyyMMddHHmmss'))))).to.equal('2026-03-15 10:20:30');
    expect(fmtTs(ev(call('to_timestamp', str('2026-03-15 10:20:30.123456'), str('yyyy-MM-dd HH:mm:ss.SSSSSS'))))).to.equal('2026-03-15 10:20:30.123');
    expect(fmtTs(ev(call('to_timestamp', str('15 Mar 2026 2:05 PM'), str('d MMM yyyy h:mm a'))))).to.equal('2026-03-15 14:05:00');
    expect(fmtTs(ev(call('to_timestamp', str('2026-03-15 22:05:01'), str('YYYY-MM-DD HH24:MI:SS'))))).to.equal('2026-03-15 22:05:01');
    expect(ev(call('to_timestamp', str('nope'), str('yyyy-MM-dd')))).to.equal(null);
    expect(ev(call('to_timestamp', str('2026-02-30'), str('yyyy-MM-dd')))).to.equal(null);
    expect(ev(call('to_date', str('2026-03-15')))).to.equal(parseDate('2026-03-15'));
    expect(ev(call('to_date', str('03/15/2026'), str('MM/dd/yyyy')))).to.equal(parseDate('2026-03-15'));
    expect(ev(call('to_timestamp', dbl(86400.5)))).to.equal(86_400_500_000);
  });

  it('converts unix seconds', () => {
    expect(ev(call('from_unixtime', big(0)))).to.equal('1970-01-01 00:00:00');
    expect(ev(call('from_unixtime', big(3600), str('HH:mm')), [], { timeZone: '+02:00' })).to.equal('03:00');
    expect(ev(call('unix_timestamp', str('1970-01-01 01:00:00')))).to.equal(3600);
    expect(ev(call('unix_timestamp', str('1970-01-01 01:00:00')), [], { timeZone: '+01:00' })).to.equal(0);
    expect(ev(call('unix_timestamp'), [], { now: 5_500_000 })).to.equal(5);
    expect(ev(call('to_timestamp_ltz', big(1000), int(3)))).to.equal(1_000_000);
    expect(ev(call('convert_tz', str('2026-01-01 10:00:00'), str('UTC'), str('Asia/Tokyo')))).to.equal('2026-01-01 19:00:00');
    expect(ev(call('convert_tz', str('2026-07-01 12:00:00'), str('Europe/Berlin'), str('UTC')))).to.equal('2026-07-01 10:00:00');
  });

  it('adds and diffs in units', () => {
    expect(fmtTs(ev(call('timestampadd', str('MONTH'), int(1), ts('2026-01-31 08:00:00'))))).to.equal('2026-02-28 08:00:00');
    expect(fmtTs(ev(call('timestampadd', str('HOUR'), int(-2), ts('2026-01-01 01:00:00'))))).to.equal('2025-12-31 23:00:00');
    expect(ev(call('timestampadd', str('DAY'), int(1), date('2026-01-31')))).to.equal(parseDate('2026-02-01'));
    expect(ev(call('timestampdiff', str('DAY'), ts('2026-01-01 00:00:00'), ts('2026-01-03 12:00:00')))).to.equal(2);
    expect(ev(call('timestampdiff', str('HOUR'), ts('2026-01-03 12:00:00'), ts('2026-01-01 00:00:00')))).to.equal(-60);
    expect(ev(call('timestampdiff', str('MONTH'), ts('2026-01-31 00:00:00'), ts('2026-02-28 00:00:00')))).to.equal(0);
    expect(ev(call('timestampdiff', str('MONTH'), ts('2026-01-15 00:00:00'), ts('2027-02-15 00:00:00')))).to.equal(13);
    expect(ev(call('timestampdiff', str('YEAR'), date('2020-06-01'), date('2026-05-31')))).to.equal(5);
    expect(ev(call('datediff', date('2009-03-01'), date('2009-02-27')))).to.equal(2);
    expect(ev(call('datediff', str('2009-03-01'), str('2009-02-27')))).to.equal(2);
    expect(ev(call('make_date', int(2024), int(2), int(29)))).to.equal(parseDate('2024-02-29'));
    expect(sqlstate(() => ev(call('make_date', int(2023), int(2), int(29))))).to.equal('22008');
    expect(ev(call('last_day', date('2024-02-10')))).to.equal(parseDate('2024-02-29'));
  });

  it('reads the clock from the compile options', () => {
    const now = parseTimestamp('2026-05-01 23:30:00.123456');
    const opts = { now };
    expect(fmtTs(ev(call('current_timestamp'), [], opts))).to.equal('2026-05-01 23:30:00.123');
    expect(fmtTs(ev(call('now'), [], opts))).to.equal('2026-05-01 23:30:00.123');
    expect(ev(call('current_date'), [], opts)).to.equal(parseDate('2026-05-01'));
    expect(ev(call('current_date'), [], { now, timeZone: 'Europe/Berlin' })).to.equal(parseDate('2026-05-02'));
    expect(fmtTs(ev(call('localtimestamp'), [], { now, timeZone: '+02:00' }))).to.equal('2026-05-02 01:30:00.123');
    expect(ev(call('current_time'), [], opts)).to.equal(23 * HOUR + 30 * 60_000_000);
  });

  it('evaluates per row', () => {
    const types: DataType[] = [Types.timestamp3];
    expect(evRow('extract_year', [parseTimestamp('1999-12-31 23:59:59')], types)).to.equal(1999);
  });
});
