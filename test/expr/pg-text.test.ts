// PostgreSQL text format: output exactly as psql -A shows values, and input parsing.

import { expect } from 'chai';
import type { DataType } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { getTimeZone, parseDate, parseTimestamp } from '../../common/datetime.js';
import { Decimal } from '../../common/decimal.js';
import { formatDouble, formatFloat, formatValue, parseValue } from '../../common/pg-text.js';

const dec = (p: number, s: number): DataType => ({ kind: 'DECIMAL', precision: p, scale: s });
const HOUR = 3_600_000_000;

function err(f: () => unknown): { sqlstate?: string; message?: string } {
  try {
    f();
  } catch (e) {
    return e as { sqlstate?: string; message?: string };
  }
  return {};
}

describe('PostgreSQL text output', () => {
  it('prints float8 with shortest round-trip digits', () => {
    expect(formatDouble(0.1)).to.equal('0.1');
    expect(formatDouble(1e100)).to.equal('1e+100');
    expect(formatDouble(100)).to.equal('100');
    expect(formatDouble(-2.5)).to.equal('-2.5');
    expect(formatDouble(123456789012345)).to.equal('123456789012345');
    expect(formatDouble(1e15)).to.equal('1e+15');
    expect(formatDouble(1.5e15)).to.equal('1.5e+15');
    expect(formatDouble(123456789012345678)).to.equal('1.2345678901234568e+17');
    expect(formatDouble(0.0001)).to.equal('0.0001');
    expect(formatDouble(0.00001)).to.equal('1e-05');
    expect(formatDouble(1 / 3)).to.equal('0.3333333333333333');
    expect(formatDouble(0.1 + 0.2)).to.equal('0.30000000000000004');
    expect(formatDouble(Infinity)).to.equal('Infinity');
    expect(formatDouble(-Infinity)).to.equal('-Infinity');
    expect(formatDouble(NaN)).to.equal('NaN');
    expect(formatDouble(0)).to.equal('0');
    expect(formatDouble(5e-324)).to.equal('5e-324');
  });

  it('prints float4 with float4 digits', () => {
    expect(formatFloat(Math.fround(0.1))).to.equal('0.1');
    expect(formatFloat(1e6)).to.equal('1e+06');
    expect(formatFloat(123456)).to.equal('123456');
    expect(formatFloat(1234567)).to.equal('1.234567e+06');
    expect(formatFloat(Math.fround(3.4028235e38))).to.equal('3.4028235e+38');
    expect(formatFloat(Math.fround(1.1))).to.equal('1.1');
  });

  it('prints scalars', () => {
    expect(formatValue(true, Types.boolean)).to.equal('t');
    expect(formatValue(false, Types.boolean)).to.equal('f');
    expect(formatValue(42, Types.int)).to.equal('42');
    expect(formatValue(null, Types.int)).to.equal(null);
    expect(formatValue(new Decimal(1250n, 2), dec(10, 2))).to.equal('12.50');
    expect(formatValue(new Decimal(-5n, 3), dec(10, 3))).to.equal('-0.005');
    expect(formatValue('', Types.string)).to.equal('');
    expect(formatValue(new Uint8Array([10, 255]), Types.bytes)).to.equal('\\x0aff');
  });

  it('prints dates, times and timestamps', () => {
    expect(formatValue(parseDate('2026-01-01'), Types.date)).to.equal('2026-01-01');
    expect(formatValue(10 * HOUR, Types.time)).to.equal('10:00:00');
    expect(formatValue(10 * HOUR + 500_000, Types.time)).to.equal('10:00:00.5');
    expect(formatValue(parseTimestamp('2026-01-01 10:10:00'), Types.timestamp3)).to.equal('2026-01-01 10:10:00');
    expect(formatValue(parseTimestamp('2026-01-01 10:10:00.5'), Types.timestamp3)).to.equal('2026-01-01 10:10:00.5');
    expect(formatValue(parseTimestamp('2026-01-01 10:10:00.123456'), Types.timestamp3)).to.equal('2026-01-01 10:10:00.123456');
    expect(formatValue(parseTimestamp('1960-06-30 23:59:59'), Types.timestamp3)).to.equal('1960-06-30 23:59:59');
    const instant = parseTimestamp('2026-01-01 10:10:00');
    expect(formatValue(instant, Types.timestampLtz3)).to.equal('2026-01-01 10:10:00+00');
    expect(formatValue(instant, Types.timestampLtz3, { timeZone: getTimeZone('Asia/Kolkata') })).to.equal('2026-01-01 15:40:00+05:30');
    expect(formatValue(instant, Types.timestampLtz3, { timeZone: getTimeZone('America/New_York') })).to.equal('2026-01-01 05:10:00-05');
    expect(formatValue(parseTimestamp('2026-07-01 10:10:00'), Types.timestampLtz3, { timeZone: getTimeZone('Europe/Berlin') })).to.equal('2026-07-01 12:10:00+02');
  });

  it('prints intervals', () => {
    expect(formatValue(HOUR, Types.intervalDayTime)).to.equal('01:00:00');
    expect(formatValue(26 * HOUR, Types.intervalDayTime)).to.equal('1 day 02:00:00');
    expect(formatValue(14, Types.intervalYearMonth)).to.equal('1 year 2 mons');
    expect(formatValue(-1_000_000, Types.intervalDayTime)).to.equal('-00:00:01');
  });

  it('prints arrays and rows', () => {
    expect(formatValue([1, 2, 3], { kind: 'ARRAY', element: Types.int })).to.equal('{1,2,3}');
    expect(formatValue(['a b', null, 'x"y', '', 'NULL', 'plain'], { kind: 'ARRAY', element: Types.string })).to.equal('{"a b",NULL,"x\\"y","","NULL",plain}');
    expect(formatValue([[1, 2], [3, 4]], { kind: 'ARRAY', element: { kind: 'ARRAY', element: Types.int } })).to.equal('{{1,2},{3,4}}');
    const row: DataType = { kind: 'ROW', fields: [
      { name: 'a', type: Types.int, nullable: true }, { name: 'b', type: Types.string, nullable: true }, { name: 'c', type: Types.string, nullable: true },
    ] };
    expect(formatValue([1, 'a b', null], row)).to.equal('(1,"a b",)');
  });
});

describe('PostgreSQL text input', () => {
  it('parses integers with PostgreSQL errors', () => {
    expect(parseValue(' 42 ', Types.int)).to.equal(42);
    expect(parseValue('-7', Types.bigint)).to.equal(-7);
    const e = err(() => parseValue('abc', Types.int));
    expect(e.sqlstate).to.equal('22P02');
    expect(e.message).to.equal('invalid input syntax for type integer: "abc"');
    const o = err(() => parseValue('3000000000', Types.int));
    expect(o.sqlstate).to.equal('22003');
    expect(o.message).to.equal('value "3000000000" is out of range for type integer');
    expect(err(() => parseValue('1.5', Types.int)).sqlstate).to.equal('22P02');
  });

  it('parses booleans, floats and decimals', () => {
    expect(parseValue('yes', Types.boolean)).to.equal(true);
    expect(parseValue('f', Types.boolean)).to.equal(false);
    expect(parseValue('TRUE', Types.boolean)).to.equal(true);
    expect(err(() => parseValue('maybe', Types.boolean)).message).to.equal('invalid input syntax for type boolean: "maybe"');
    expect(parseValue('1e3', Types.double)).to.equal(1000);
    expect(parseValue('-Infinity', Types.double)).to.equal(-Infinity);
    expect(Number.isNaN(parseValue('NaN', Types.double))).to.equal(true);
    expect(err(() => parseValue('1,5', Types.double)).message).to.equal('invalid input syntax for type double precision: "1,5"');
    expect((parseValue('12.345', dec(5, 2)) as Decimal).toString()).to.equal('12.35');
    expect(err(() => parseValue('1000', dec(5, 2))).sqlstate).to.equal('22003');
    expect(err(() => parseValue('x', dec(5, 2))).message).to.equal('invalid input syntax for type numeric: "x"');
  });

  it('parses temporal values, bytes and arrays', () => {
    expect(parseValue('2026-01-01', Types.date)).to.equal(parseDate('2026-01-01'));
    expect(parseValue('2026-01-01 12:00:00+02', Types.timestampLtz3)).to.equal(parseTimestamp('2026-01-01 10:00:00'));
    expect(parseValue('1 day', Types.intervalDayTime)).to.equal(24 * HOUR);
    expect(parseValue('\\x0aff', Types.bytes)).to.deep.equal(new Uint8Array([10, 255]));
    expect(parseValue('{1,2,NULL}', { kind: 'ARRAY', element: Types.int })).to.deep.equal([1, 2, null]);
    expect(parseValue('{"a,b",c}', { kind: 'ARRAY', element: Types.string })).to.deep.equal(['a,b', 'c']);
    expect(err(() => parseValue('{1,2', { kind: 'ARRAY', element: Types.int })).sqlstate).to.equal('22P02');
    expect(err(() => parseValue('abc', { kind: 'VARCHAR', length: 2 })).sqlstate).to.equal('22001');
    expect(parseValue('ab', { kind: 'CHAR', length: 4 })).to.equal('ab  ');
  });

  it('round-trips values through text', () => {
    const cases: [unknown, DataType][] = [
      [1.5, Types.double], [parseTimestamp('2026-01-01 10:10:00.25'), Types.timestamp3], [26 * HOUR + 1, Types.intervalDayTime],
      [-14, Types.intervalYearMonth], [parseDate('1999-12-31'), Types.date],
    ];
    for (const [v, t] of cases) expect(parseValue(formatValue(v as number, t)!, t)).to.equal(v);
  });
});
