// Arithmetic: integer overflow and division, decimals, floats, dates and intervals.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { parseDate, parseTimestamp } from '../../common/datetime.js';
import { compileScalar } from '../../executor/expr/compile.js';
import { call, col, dbl, dec, decimalText, ev, evRow, int, big, lit, nul } from './helpers.js';

const DAY = 86_400_000_000;

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { sqlstate?: string }).sqlstate;
  }
  return undefined;
}

describe('arithmetic', () => {
  it('adds, subtracts and multiplies integers', () => {
    expect(ev(call('+', int(2), int(3)))).to.equal(5);
    expect(ev(call('-', int(2), int(3)))).to.equal(-1);
    expect(ev(call('*', int(-4), int(3)))).to.equal(-12);
  });

  it('raises 22003 on INT overflow, also when evaluated per row', () => {
    expect(sqlstate(() => evRow('+', [2147483647, 1], [Types.int, Types.int]))).to.equal('22003');
    expect(sqlstate(() => evRow('*', [65536, 65536], [Types.int, Types.int]))).to.equal('22003');
    expect(sqlstate(() => evRow('-', [-2147483648, 1], [Types.int, Types.int]))).to.equal('22003');
    expect(sqlstate(() => evRow('neg', [-2147483648], [Types.int]))).to.equal('22003');
    expect(evRow('+', [2147483647, 1], [Types.int, Types.bigint])).to.equal(2147483648);
  });

  it('raises 22003 when BIGINT leaves the safe integer range', () => {
    expect(sqlstate(() => evRow('+', [Number.MAX_SAFE_INTEGER, 1], [Types.bigint, Types.bigint]))).to.equal('22003');
    expect(sqlstate(() => evRow('*', [4294967296, 4294967296], [Types.bigint, Types.bigint]))).to.equal('22003');
  });

  it('divides integers truncating toward zero (PostgreSQL)', () => {
    expect(ev(call('/', int(7), int(2)))).to.equal(3);
    expect(ev(call('/', int(-7), int(2)))).to.equal(-3);
    expect(ev(call('%', int(-7), int(2)))).to.equal(-1);
    expect(ev(call('%', int(7), int(-2)))).to.equal(1);
    expect(evRow('/', [9007199254740991, 2], [Types.bigint, Types.bigint])).to.equal(4503599627370495);
    expect(sqlstate(() => evRow('/', [-2147483648, -1], [Types.int, Types.int]))).to.equal('22003');
  });

  it('raises 22012 on division by zero for every numeric type', () => {
    expect(sqlstate(() => evRow('/', [1, 0], [Types.int, Types.int]))).to.equal('22012');
    expect(sqlstate(() => evRow('%', [1, 0], [Types.int, Types.int]))).to.equal('22012');
    expect(sqlstate(() => evRow('/', [1, 0], [Types.double, Types.double]))).to.equal('22012');
    expect(sqlstate(() => ev(call('/', dec('1.0'), dec('0.0'))))).to.equal('22012');
  });

  it('propagates NULL', () => {
    expect(ev(call('+', int(1), nul(Types.int)))).to.equal(null);
    expect(ev(call('+', nul(), int(1)))).to.equal(null);
    expect(evRow('/', [null, 0], [Types.int, Types.int])).to.equal(null);
  });

  it('computes exact decimals', () => {
    expect(decimalText(ev(call('+', dec('0.1'), dec('0.2'))))).to.equal('0.3');
    expect(decimalText(ev(call('*', dec('1.25'), dec('2.5'))))).to.equal('3.125');
    expect(decimalText(ev(call('+', dec('12.50'), int(1))))).to.equal('13.50');
    // 1.0 / 3: scale max(6, 1 + 10 + 1) = 12
    expect(decimalText(ev(call('/', dec('1.0'), dec('3', 10, 0))))).to.equal('0.333333333333');
    expect(decimalText(ev(call('/', dec('2.00'), dec('3', 10, 0))))).to.equal('0.6666666666667');
    expect(decimalText(ev(call('%', dec('10.5'), dec('3', 10, 0))))).to.equal('1.5');
    expect(decimalText(ev(call('neg', dec('1.50'))))).to.equal('-1.50');
  });

  it('raises 22003 on decimal overflow', () => {
    const big38 = dec('99999999999999999999999999999999999999', 38, 0);
    expect(sqlstate(() => ev(call('+', big38, big38)))).to.equal('22003');
  });

  it('mixes decimal and double as double', () => {
    expect(ev(call('+', dec('0.5'), dbl(0.25)))).to.equal(0.75);
    expect(ev(call('*', int(3), dbl(0.5)))).to.equal(1.5);
  });

  it('reports float overflow but keeps infinities that come in', () => {
    expect(sqlstate(() => evRow('*', [1e308, 10], [Types.double, Types.double]))).to.equal('22003');
    expect(evRow('+', [Infinity, 1], [Types.double, Types.double])).to.equal(Infinity);
  });

  it('raises power with ^', () => {
    expect(ev(call('^', int(2), int(10)))).to.equal(1024);
    expect(sqlstate(() => ev(call('^', dbl(0), dbl(-1))))).to.equal('2201F');
  });

  it('adds days and intervals to dates', () => {
    const d = lit(parseDate('2026-01-31'), Types.date);
    expect(ev(call('+', d, int(1)))).to.equal(parseDate('2026-02-01'));
    expect(ev(call('+', int(1), d))).to.equal(parseDate('2026-02-01'));
    expect(ev(call('-', d, lit(parseDate('2026-01-01'), Types.date)))).to.equal(30);
    expect(ev(call('+', d, lit(1, Types.intervalYearMonth)))).to.equal(parseDate('2026-02-28'));
    expect(ev(call('+', d, lit(DAY, Types.intervalDayTime)))).to.equal(parseDate('2026-02-01'));
  });

  it('clamps month arithmetic to the month end (PostgreSQL)', () => {
    const ts = lit(parseTimestamp('2024-01-31 10:00:00'), Types.timestamp3);
    expect(ev(call('+', ts, lit(1, Types.intervalYearMonth)))).to.equal(parseTimestamp('2024-02-29 10:00:00'));
    expect(ev(call('-', ts, lit(2, Types.intervalYearMonth)))).to.equal(parseTimestamp('2023-11-30 10:00:00'));
    expect(ev(call('+', lit(12, Types.intervalYearMonth), ts))).to.equal(parseTimestamp('2025-01-31 10:00:00'));
  });

  it('subtracts timestamps into intervals and scales intervals', () => {
    const a = lit(parseTimestamp('2026-01-02 12:00:00'), Types.timestamp3);
    const b = lit(parseTimestamp('2026-01-01 10:00:00'), Types.timestamp3);
    expect(ev(call('-', a, b))).to.equal(DAY + 2 * 3_600_000_000);
    expect(ev(call('*', lit(3_600_000_000, Types.intervalDayTime), int(3)))).to.equal(3 * 3_600_000_000);
    expect(ev(call('*', dbl(1.5), lit(3_600_000_000, Types.intervalDayTime)))).to.equal(5_400_000_000);
    expect(ev(call('/', lit(3_600_000_000, Types.intervalDayTime), int(2)))).to.equal(1_800_000_000);
    expect(ev(call('+', lit(60_000_000, Types.intervalDayTime), lit(1_000_000, Types.intervalDayTime)))).to.equal(61_000_000);
    expect(ev(call('neg', lit(1_000_000, Types.intervalDayTime)))).to.equal(-1_000_000);
  });

  it('wraps TIME plus interval around midnight', () => {
    const t = lit(23 * 3_600_000_000, Types.time);
    expect(ev(call('+', t, lit(2 * 3_600_000_000, Types.intervalDayTime)))).to.equal(3_600_000_000);
  });

  it('evaluates a compiled closure over many rows', () => {
    const e = call('+', col(0, Types.bigint), big(1));
    const f = compileScalar(e);
    let acc = 0;
    for (let i = 0; i < 1000; i++) acc += f([i]) as number;
    expect(acc).to.equal(500500);
  });
});
