// Arithmetic operators: + - * / % ^ and negation over numbers, decimals, dates, timestamps and intervals.
//
// Integer results are checked against their type's range (22003); BIGINT is limited to the
// safe-integer range, so one range compare after the float operation catches every overflow
// (rounding is monotone: an exact result past 2^53 - 1 never rounds back inside).

import type { DataType } from '../../../common/data-type.js';
import type { Decimal } from '../../../common/decimal.js';
import {
  checkDecimalPrecision, decimalAdd, decimalDivide, decimalModulo, decimalMultiply, decimalNegate, decimalSubtract,
} from '../../../common/decimal-math.js';
import { addMonthsToDays, addMonthsToMicros, localToUtc, utcToLocal } from '../../../common/datetime.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import { MICROS_PER_DAY } from '../../../common/value.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { divisionByZero, integerRange, outOfRange, strict1, strict2 } from './table.js';

type Num2 = (x: number, y: number) => number;

const TWO_52 = 4503599627370496;

function isIntegerKind(t: DataType): boolean {
  return t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT';
}

/** Float results: infinite from finite inputs is an overflow (as PostgreSQL's float8 operators). */
function checkedFloat(site: CallSite, op: Num2): Evaluator {
  const single = site.type.kind === 'FLOAT';
  const err = outOfRange(site.type);
  return strict2(site, (x: number, y: number) => {
    let r = op(x, y);
    if (single) r = Math.fround(r);
    if (r - r !== 0 && x - x === 0 && y - y === 0 && r === r) throw err;
    return r;
  });
}

function checkedInt(site: CallSite, op: Num2): Evaluator {
  const [min, max] = integerRange(site.type);
  const err = outOfRange(site.type);
  return strict2(site, (x: number, y: number) => {
    const r = op(x, y);
    if (r > max || r < min) throw err;
    return r;
  });
}

function decimalOp(site: CallSite, op: (a: Decimal, b: Decimal, scale: number) => Decimal): Evaluator {
  const t = site.type as { precision: number; scale: number };
  const { precision, scale } = t;
  return strict2(site, (a: Decimal, b: Decimal) => checkDecimalPrecision(op(a, b, scale), precision));
}

function intervalOp(site: CallSite, op: Num2): Evaluator {
  const err = new SqlError(SqlState.numericValueOutOfRange, 'interval out of range');
  return strict2(site, (x: number, y: number) => {
    const r = op(x, y);
    if (!Number.isSafeInteger(r)) throw err;
    return r;
  });
}

const add: Num2 = (x, y) => x + y;
const sub: Num2 = (x, y) => x - y;
const mul: Num2 = (x, y) => x * y;

function plus(site: CallSite): Evaluator {
  const k = site.type.kind;
  if (isIntegerKind(site.type)) return checkedInt(site, add);
  if (k === 'FLOAT' || k === 'DOUBLE') return checkedFloat(site, add);
  if (k === 'DECIMAL') return decimalOp(site, decimalAdd);
  return intervalOp(site, add);
}

function minus(site: CallSite): Evaluator {
  const k = site.type.kind;
  if (isIntegerKind(site.type)) return checkedInt(site, sub);
  if (k === 'FLOAT' || k === 'DOUBLE') return checkedFloat(site, sub);
  if (k === 'DECIMAL') return decimalOp(site, decimalSubtract);
  return intervalOp(site, sub);
}

function times(site: CallSite): Evaluator {
  const k = site.type.kind;
  if (isIntegerKind(site.type)) return checkedInt(site, (x, y) => x * y + 0);
  if (k === 'FLOAT' || k === 'DOUBLE') return checkedFloat(site, mul);
  return decimalOp(site, decimalMultiply);
}

/** Integer division truncating toward zero (PostgreSQL), exact for the whole BIGINT range. */
function intDivide(x: number, y: number): number {
  if (x <= TWO_52 && x >= -TWO_52) return Math.trunc(x / y) + 0;
  return Number(BigInt(x) / BigInt(y));
}

function divide(site: CallSite): Evaluator {
  const k = site.type.kind;
  if (isIntegerKind(site.type)) {
    const [min, max] = integerRange(site.type);
    const err = outOfRange(site.type);
    return strict2(site, (x: number, y: number) => {
      if (y === 0) throw divisionByZero();
      const r = intDivide(x, y);
      if (r > max || r < min) throw err;
      return r;
    });
  }
  if (k === 'FLOAT' || k === 'DOUBLE') {
    return checkedFloat(site, (x, y) => {
      if (y === 0) throw divisionByZero();
      return x / y;
    });
  }
  return decimalOp(site, decimalDivide);
}

function modulo(site: CallSite): Evaluator {
  const k = site.type.kind;
  if (isIntegerKind(site.type)) {
    return strict2(site, (x: number, y: number) => {
      if (y === 0) throw divisionByZero();
      return (x % y) + 0;
    });
  }
  if (k === 'FLOAT' || k === 'DOUBLE') {
    return strict2(site, (x: number, y: number) => {
      if (y === 0) throw divisionByZero();
      return x % y;
    });
  }
  return decimalOp(site, decimalModulo);
}

function negate(site: CallSite): Evaluator {
  const t = site.type;
  if (isIntegerKind(t)) {
    const [min] = integerRange(t);
    const err = outOfRange(t);
    return strict1(site, (x: number) => {
      if (x === min && t.kind !== 'BIGINT') throw err;
      return 0 - x;
    });
  }
  if (t.kind === 'DECIMAL') return strict1(site, (x: Decimal) => decimalNegate(x));
  if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') return strict1(site, (x: number) => 0 - x);
  return strict1(site, (x: number) => -x);
}

/** PostgreSQL's `^` / POWER on doubles, with its errors for undefined and complex results. */
export function power(x: number, y: number): number {
  if (x === 0 && y < 0) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  if (x < 0 && !Number.isInteger(y)) throw new SqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  return r;
}

// ---------------------------------------------------------------- dates, timestamps, intervals

const dateOverflow = () => new SqlError(SqlState.datetimeFieldOverflow, 'date out of range');

function checkedDate(d: number): number {
  if (d > 2_100_000_000 || d < -2_100_000_000) throw dateOverflow();
  return d;
}

/** `x + interval` for a DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ x; `sign` -1 subtracts. */
function datetimePlusInterval(site: CallSite, left: number, right: number, sign: 1 | -1): Evaluator {
  const xt = site.args[left]!.type;
  const it = site.args[right]!.type;
  const months = it.kind === 'INTERVAL_YEAR_MONTH';
  const tz = site.ctx.timeZone;
  let op: Num2;
  switch (xt.kind) {
    case 'DATE':
      op = months
        ? (d, m) => checkedDate(addMonthsToDays(d, sign * m))
        : (d, us) => checkedDate(Math.floor((d * MICROS_PER_DAY + sign * us) / MICROS_PER_DAY));
      break;
    case 'TIME':
      op = (t, us) => {
        const r = (t + sign * us) % MICROS_PER_DAY;
        return r < 0 ? r + MICROS_PER_DAY : r + 0;
      };
      break;
    case 'TIMESTAMP':
      op = months ? (ts, m) => addMonthsToMicros(ts, sign * m) : (ts, us) => ts + sign * us;
      break;
    default:
      // TIMESTAMP_LTZ: months move the wall clock in the session zone (PostgreSQL).
      op = months ? (ts, m) => localToUtc(addMonthsToMicros(utcToLocal(ts, tz), sign * m), tz) : (ts, us) => ts + sign * us;
  }
  if (left === 0) return strict2(site, op as (a: never, b: never) => number);
  return strict2(site, ((iv: number, x: number) => op(x, iv)) as (a: never, b: never) => number);
}

function intervalMultiply(site: CallSite): Evaluator {
  const ivFirst = site.args[0]!.type.kind.startsWith('INTERVAL');
  const err = new SqlError(SqlState.numericValueOutOfRange, 'interval out of range');
  const f = (iv: number, n: number) => {
    const r = Math.round(iv * n) + 0;
    if (!Number.isSafeInteger(r)) throw err;
    return r;
  };
  return ivFirst ? strict2(site, f) : strict2(site, (n: number, iv: number) => f(iv, n));
}

export function registerArithmetic(t: FunctionTable): void {
  t.set('+', plus);
  t.set('-', minus);
  t.set('*', times);
  t.set('/', divide);
  t.set('%', modulo);
  t.set('neg', negate);
  t.set('^', (s) => strict2(s, power));
  t.set('date_plus_days', (s) => strict2(s, (d: number, n: number) => checkedDate(d + n)));
  t.set('days_plus_date', (s) => strict2(s, (n: number, d: number) => checkedDate(d + n)));
  t.set('date_minus_days', (s) => strict2(s, (d: number, n: number) => checkedDate(d - n)));
  t.set('date_diff_days', (s) => strict2(s, (a: number, b: number) => a - b));
  t.set('date_plus_time', (s) => strict2(s, (d: number, tm: number) => d * MICROS_PER_DAY + tm));
  t.set('time_plus_date', (s) => strict2(s, (tm: number, d: number) => d * MICROS_PER_DAY + tm));
  t.set('datetime_plus_interval', (s) => datetimePlusInterval(s, 0, 1, 1));
  t.set('interval_plus_datetime', (s) => datetimePlusInterval(s, 1, 0, 1));
  t.set('datetime_minus_interval', (s) => datetimePlusInterval(s, 0, 1, -1));
  t.set('timestamp_diff', (s) => strict2(s, (a: number, b: number) => a - b));
  t.set('interval_multiply', intervalMultiply);
  t.set('interval_divide', (s) => strict2(s, (iv: number, n: number) => {
    if (n === 0) throw divisionByZero();
    return Math.round(iv / n) + 0;
  }));
}
