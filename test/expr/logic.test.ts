// Three-valued logic, comparisons, IN, BETWEEN, CASE and conditional functions.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { parseDate } from '../../common/datetime.js';
import { compilePredicate, compileScalar } from '../../executor/expr/compile.js';
import { bool, call, caseWhen, col, dbl, dec, ev, evRow, int, lit, nul, str } from './helpers.js';

const T = bool(true);
const F = bool(false);
const N = nul(Types.boolean);

describe('logic and comparison', () => {
  it('follows three-valued AND / OR / NOT', () => {
    expect(ev(call('and', T, N))).to.equal(null);
    expect(ev(call('and', F, N))).to.equal(false);
    expect(ev(call('and', N, F))).to.equal(false);
    expect(ev(call('or', T, N))).to.equal(true);
    expect(ev(call('or', N, F))).to.equal(null);
    expect(ev(call('not', N))).to.equal(null);
    expect(ev(call('and', T, T, N))).to.equal(null);
    expect(ev(call('or', F, F, T))).to.equal(true);
  });

  it('short-circuits AND on FALSE before an erroring operand', () => {
    const boom = call('=', call('/', col(0, Types.int), int(0)), int(1));
    const e = call('and', call('=', col(1, Types.int), int(0)), boom);
    expect(compileScalar(e)([1, 1])).to.equal(false);
  });

  it('tests truth values', () => {
    expect(ev(call('is_true', N))).to.equal(false);
    expect(ev(call('is_not_true', N))).to.equal(true);
    expect(ev(call('is_false', F))).to.equal(true);
    expect(ev(call('is_not_false', N))).to.equal(true);
    expect(ev(call('is_unknown', N))).to.equal(true);
    expect(ev(call('is_not_unknown', T))).to.equal(true);
    expect(ev(call('is_null', int(1)))).to.equal(false);
    expect(ev(call('is_not_null', nul(Types.int)))).to.equal(false);
  });

  it('compares with NULL as unknown', () => {
    expect(ev(call('=', int(1), nul(Types.int)))).to.equal(null);
    expect(ev(call('<', int(1), int(2)))).to.equal(true);
    expect(ev(call('>=', str('b'), str('a')))).to.equal(true);
    expect(ev(call('<>', dec('1.50'), dec('1.5')))).to.equal(false);
    expect(ev(call('=', int(1), dbl(1)))).to.equal(true);
  });

  it('treats NaN as equal to itself and above every number (PostgreSQL)', () => {
    expect(evRow('=', [NaN, NaN], [Types.double, Types.double])).to.equal(true);
    expect(evRow('>', [NaN, Infinity], [Types.double, Types.double])).to.equal(true);
    expect(evRow('<', [1, NaN], [Types.double, Types.double])).to.equal(true);
  });

  it('compares a string with a date by casting the string', () => {
    const d = lit(parseDate('2026-01-02'), Types.date);
    expect(ev(call('>', d, str('2026-01-01')))).to.equal(true);
  });

  it('handles IS [NOT] DISTINCT FROM', () => {
    expect(ev(call('is_distinct_from', nul(Types.int), nul(Types.int)))).to.equal(false);
    expect(ev(call('is_distinct_from', int(1), nul(Types.int)))).to.equal(true);
    expect(ev(call('is_not_distinct_from', int(1), int(1)))).to.equal(true);
  });

  it('evaluates IN with NULL semantics', () => {
    expect(ev(call('in', int(2), int(1), int(2), int(3)))).to.equal(true);
    expect(ev(call('in', int(4), int(1), int(2)))).to.equal(false);
    expect(ev(call('in', int(4), int(1), nul(Types.int)))).to.equal(null);
    expect(ev(call('in', int(1), int(1), nul(Types.int)))).to.equal(true);
    expect(ev(call('in', nul(Types.int), int(1)))).to.equal(null);
    expect(ev(call('not', call('in', int(4), int(1), nul(Types.int))))).to.equal(null);
    expect(evRow('in', [3, 1, 3], [Types.int, Types.int, Types.int])).to.equal(true);
    expect(compileScalar(call('in', col(0, Types.string), str('a'), str('b')))(['b'])).to.equal(true);
  });

  it('evaluates BETWEEN and BETWEEN SYMMETRIC', () => {
    expect(ev(call('between', int(2), int(1), int(3)))).to.equal(true);
    expect(ev(call('between', int(2), int(3), int(1)))).to.equal(false);
    expect(ev(call('between_symmetric', int(2), int(3), int(1)))).to.equal(true);
    expect(ev(call('between', int(5), nul(Types.int), int(3)))).to.equal(false);
    expect(ev(call('between', int(2), nul(Types.int), int(3)))).to.equal(null);
  });

  it('evaluates CASE, COALESCE, NULLIF, IF, GREATEST, LEAST', () => {
    const c = caseWhen([[call('>', col(0, Types.int), int(10)), str('big')], [call('>', col(0, Types.int), int(0)), str('small')]], str('none'), Types.string);
    const f = compileScalar(c);
    expect([f([20]), f([5]), f([-1]), f([null])]).to.deep.equal(['big', 'small', 'none', 'none']);
    expect(ev(call('coalesce', nul(Types.int), int(2), int(3)))).to.equal(2);
    expect(ev(call('coalesce', nul(Types.int), nul(Types.int)))).to.equal(null);
    expect(ev(call('ifnull', nul(Types.string), str('x')))).to.equal('x');
    expect(ev(call('nullif', int(1), int(1)))).to.equal(null);
    expect(ev(call('nullif', int(1), int(2)))).to.equal(1);
    expect(ev(call('if', N, int(1), int(2)))).to.equal(2);
    expect(ev(call('greatest', int(1), int(5), int(3)))).to.equal(5);
    expect(ev(call('least', str('b'), str('a')))).to.equal('a');
    expect(ev(call('greatest', int(1), nul(Types.int)))).to.equal(null);
  });

  it('does not fail at compile time for an erroring branch never taken', () => {
    const c = caseWhen([[F, call('/', int(1), int(0))]], int(7), Types.int);
    expect(ev(c)).to.equal(7);
  });

  it('accepts a row only when the predicate is TRUE', () => {
    const p = compilePredicate(call('>', col(0, Types.int), int(1)));
    expect([p([2]), p([1]), p([null])]).to.deep.equal([true, false, false]);
  });

  it('builds arrays and rows and reads items', () => {
    const arr = call('array', int(1), int(2), int(3));
    expect(ev(arr)).to.deep.equal([1, 2, 3]);
    expect(ev(call('item', arr, int(2)))).to.equal(2);
    expect(ev(call('item', arr, int(4)))).to.equal(null);
    expect(ev(call('cardinality', arr))).to.equal(3);
    expect(ev(call('array_contains', arr, int(3)))).to.equal(true);
    expect(ev(call('field_access', call('row', int(1), str('a')), int(1)))).to.equal('a');
  });
});
