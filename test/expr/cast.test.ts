// CAST and TRY_CAST across type pairs, with PostgreSQL error codes and messages.

import { expect } from 'chai';
import type { DataType } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { parseDate, parseTimestamp } from '../../common/datetime.js';
import { Decimal } from '../../common/decimal.js';
import { bool, cast, dbl, dec, decimalText, ev, int, big, lit, nul, str } from './helpers.js';

const decT = (p: number, s: number): DataType => ({ kind: 'DECIMAL', precision: p, scale: s });
const HOUR = 3_600_000_000;

function err(f: () => unknown): { sqlstate?: string; message?: string } {
  try {
    f();
  } catch (e) {
    return e as { sqlstate?: string; message?: string };
  }
  return {};
}

describe('casts', () => {
  it('parses strings into numbers with PostgreSQL messages', () => {
    expect(ev(cast(str('42'), Types.int))).to.equal(42);
    expect(ev(cast(str(' -7 '), Types.bigint))).to.equal(-7);
    const e = err(() => ev(cast(str('abc'), Types.int)));
    expect(e.sqlstate).to.equal('22P02');
    expect(e.message).to.equal('invalid input syntax for type integer: "abc"');
    expect(ev(cast(str('1.5'), Types.double))).to.equal(1.5);
    expect(decimalText(ev(cast(str('3.14159'), decT(5, 2))))).to.equal('3.14');
    expect(ev(cast(str('true'), Types.boolean))).to.equal(true);
  });

  it('returns NULL from TRY_CAST on bad input', () => {
    expect(ev(cast(str('abc'), Types.int, true))).to.equal(null);
    expect(ev(cast(str('2026-02-30'), Types.date, true))).to.equal(null);
    expect(ev(cast(str('300'), Types.tinyint, true))).to.equal(null);
    expect(ev(cast(str('12'), Types.int, true))).to.equal(12);
  });

  it('narrows numbers with range checks', () => {
    expect(err(() => ev(cast(big(3_000_000_000), Types.int))).sqlstate).to.equal('22003');
    expect(err(() => ev(cast(big(3_000_000_000), Types.int))).message).to.equal('integer out of range');
    expect(err(() => ev(cast(int(40000), Types.smallint))).message).to.equal('smallint out of range');
    expect(ev(cast(int(100), Types.tinyint))).to.equal(100);
    expect(ev(cast(dbl(2.7), Types.int))).to.equal(2);
    expect(ev(cast(dbl(-2.7), Types.int))).to.equal(-2);
    expect(err(() => ev(cast(dbl(NaN), Types.int))).sqlstate).to.equal('22003');
    expect(ev(cast(dec('-12.99'), Types.int))).to.equal(-12);
    expect(err(() => ev(cast(dec('123.45'), decT(4, 2)))).sqlstate).to.equal('22003');
    expect(decimalText(ev(cast(dec('1.005', 10, 3), decT(10, 2))))).to.equal('1.01');
    expect(decimalText(ev(cast(dbl(0.1), decT(10, 3))))).to.equal('0.100');
    expect(decimalText(ev(cast(int(7), decT(5, 2))))).to.equal('7.00');
    expect(ev(cast(dec('0.1'), Types.double))).to.equal(0.1);
    expect(ev(cast(dbl(0.1), Types.float))).to.equal(Math.fround(0.1));
    expect(err(() => ev(cast(dbl(1e300), Types.float))).sqlstate).to.equal('22003');
  });

  it('converts booleans and numbers', () => {
    expect(ev(cast(bool(true), Types.int))).to.equal(1);
    expect(ev(cast(int(0), Types.boolean))).to.equal(false);
    expect(ev(cast(dec('0.5'), Types.boolean))).to.equal(true);
  });

  it('prints values as strings', () => {
    expect(ev(cast(int(42), Types.string))).to.equal('42');
    expect(ev(cast(dbl(0.1), Types.string))).to.equal('0.1');
    expect(ev(cast(dbl(1e100), Types.string))).to.equal('1e+100');
    expect(ev(cast(bool(true), Types.string))).to.equal('true');
    expect(ev(cast(dec('12.50'), Types.string))).to.equal('12.50');
    expect(ev(cast(lit(parseDate('2026-01-01'), Types.date), Types.string))).to.equal('2026-01-01');
    expect(ev(cast(lit(parseTimestamp('2026-01-01 10:00:00.5'), Types.timestamp3), Types.string))).to.equal('2026-01-01 10:00:00.5');
    expect(ev(cast(lit(HOUR, Types.intervalDayTime), Types.string))).to.equal('01:00:00');
    expect(ev(cast(str('abcdef'), { kind: 'VARCHAR', length: 3 }))).to.equal('abc');
    expect(ev(cast(str('ab'), { kind: 'CHAR', length: 4 }))).to.equal('ab  ');
    expect(ev(cast(lit('ab  ', { kind: 'CHAR', length: 4 }), Types.string))).to.equal('ab');
    expect(ev(cast(lit(new Uint8Array([104, 105]), Types.bytes), Types.string))).to.equal('hi');
    expect(ev(cast(lit([1, null], { kind: 'ARRAY', element: Types.int }), Types.string))).to.equal('{1,NULL}');
  });

  it('parses date/time strings with 22007 / 22008 errors', () => {
    expect(ev(cast(str('2026-01-01'), Types.date))).to.equal(parseDate('2026-01-01'));
    expect(ev(cast(str('2026-01-01 10:00:00.1234'), Types.timestamp3))).to.equal(parseTimestamp('2026-01-01 10:00:00.123'));
    expect(ev(cast(str('10:30'), Types.time))).to.equal(10.5 * HOUR);
    expect(ev(cast(str('1 hour'), Types.intervalDayTime))).to.equal(HOUR);
    const e = err(() => ev(cast(str('20260101x'), Types.date)));
    expect(e.sqlstate).to.equal('22007');
    expect(e.message).to.equal('invalid input syntax for type date: "20260101x"');
    expect(err(() => ev(cast(str('2026-04-31'), Types.date))).sqlstate).to.equal('22008');
  });

  it('converts between dates, timestamps and zones', () => {
    const ts = lit(parseTimestamp('2026-01-01 23:30:00'), Types.timestamp3);
    expect(ev(cast(ts, Types.date))).to.equal(parseDate('2026-01-01'));
    expect(ev(cast(ts, Types.time))).to.equal(23.5 * HOUR);
    expect(ev(cast(lit(parseDate('2026-01-01'), Types.date), Types.timestamp3))).to.equal(parseTimestamp('2026-01-01 00:00:00'));
    // TIMESTAMP -> TIMESTAMP_LTZ reads the wall clock in the session zone.
    expect(ev(cast(ts, Types.timestampLtz3), [], { timeZone: '+01:00' })).to.equal(parseTimestamp('2026-01-01 22:30:00'));
    const instant = lit(parseTimestamp('2026-01-01 23:30:00'), Types.timestampLtz3);
    expect(ev(cast(instant, Types.timestamp3), [], { timeZone: 'Asia/Tokyo' })).to.equal(parseTimestamp('2026-01-02 08:30:00'));
    expect(ev(cast(instant, Types.date), [], { timeZone: 'Asia/Tokyo' })).to.equal(parseDate('2026-01-02'));
    expect(ev(cast(lit(parseTimestamp('2026-01-01 10:00:00.123456'), { kind: 'TIMESTAMP', precision: 6 }), { kind: 'TIMESTAMP', precision: 0 })))
      .to.equal(parseTimestamp('2026-01-01 10:00:00'));
  });

  it('casts arrays element-wise and keeps NULL', () => {
    expect(ev(cast(lit(['1', null, '3'], { kind: 'ARRAY', element: Types.string }), { kind: 'ARRAY', element: Types.int }))).to.deep.equal([1, null, 3]);
    expect(ev(cast(nul(Types.string), Types.int))).to.equal(null);
    expect(ev(cast(nul(), Types.date))).to.equal(null);
  });

  it('rejects impossible pairs at compile time with 42804', () => {
    expect(err(() => ev(cast(lit(parseDate('2026-01-01'), Types.date), Types.int))).sqlstate).to.equal('42804');
  });

  it('keeps decimals exact through double casts of short values', () => {
    expect((ev(cast(dbl(1.1), decT(20, 10))) as Decimal).toString()).to.equal('1.1000000000');
  });
});
