// Math functions: rounding rules, logarithms, trigonometry, RAND with seed.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { call, dbl, dec, decimalText, ev, evRow, int, big, nul } from './helpers.js';

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { sqlstate?: string }).sqlstate;
  }
  return undefined;
}

describe('math functions', () => {
  it('takes absolute values and signs', () => {
    expect(ev(call('abs', int(-3)))).to.equal(3);
    expect(decimalText(ev(call('abs', dec('-1.50'))))).to.equal('1.50');
    expect(sqlstate(() => evRow('abs', [-2147483648], [Types.int]))).to.equal('22003');
    expect(ev(call('sign', dbl(-2.5)))).to.equal(-1);
    expect(decimalText(ev(call('sign', dec('0.00'))))).to.equal('0');
  });

  it('rounds half away from zero', () => {
    expect(ev(call('round', dbl(2.5)))).to.equal(3);
    expect(ev(call('round', dbl(-2.5)))).to.equal(-3);
    expect(ev(call('round', dbl(2.675), int(2)))).to.equal(2.68);
    expect(ev(call('round', dbl(1234.5), int(-2)))).to.equal(1200);
    expect(decimalText(ev(call('round', dec('12.345', 10, 3), int(2))))).to.equal('12.35');
    expect(decimalText(ev(call('round', dec('-12.345', 10, 3), int(2))))).to.equal('-12.35');
    expect(decimalText(ev(call('round', dec('12.5', 10, 1))))).to.equal('13');
    expect(ev(call('round', int(1250), int(-2)))).to.equal(1300);
    expect(ev(call('round', int(-1250), int(-2)))).to.equal(-1300);
    expect(decimalText(ev(call('round', dec('155.5', 10, 1), int(-1))))).to.equal('160');
  });

  it('truncates, floors and ceils', () => {
    expect(ev(call('truncate', dbl(2.79), int(1)))).to.equal(2.7);
    expect(ev(call('trunc', dbl(-2.7)))).to.equal(-2);
    expect(decimalText(ev(call('truncate', dec('-12.349', 10, 3), int(2))))).to.equal('-12.34');
    expect(ev(call('floor', dbl(-1.5)))).to.equal(-2);
    expect(ev(call('ceil', dbl(-1.5)))).to.equal(-1);
    expect(ev(call('ceiling', dbl(1.2)))).to.equal(2);
    expect(decimalText(ev(call('floor', dec('-1.50'))))).to.equal('-2');
    expect(decimalText(ev(call('ceil', dec('1.01'))))).to.equal('2');
    expect(ev(call('floor', int(7)))).to.equal(7);
  });

  it('computes powers, roots and logarithms with PostgreSQL errors', () => {
    expect(ev(call('power', int(2), int(3)))).to.equal(8);
    expect(ev(call('sqrt', dbl(16)))).to.equal(4);
    expect(sqlstate(() => ev(call('sqrt', dbl(-1))))).to.equal('2201F');
    expect(ev(call('ln', dbl(Math.E)))).to.equal(1);
    expect(ev(call('log10', dbl(1000)))).to.be.closeTo(3, 1e-12);
    expect(ev(call('log', dbl(2), dbl(8)))).to.be.closeTo(3, 1e-12);
    expect(ev(call('log', dbl(Math.E)))).to.equal(1);
    expect(sqlstate(() => ev(call('ln', dbl(0))))).to.equal('2201E');
    expect(sqlstate(() => ev(call('ln', dbl(-1))))).to.equal('2201E');
    expect(ev(call('exp', dbl(0)))).to.equal(1);
    expect(sqlstate(() => ev(call('exp', dbl(1000))))).to.equal('22003');
    expect(ev(call('mod', int(7), int(3)))).to.equal(1);
  });

  it('does trigonometry', () => {
    expect(ev(call('pi'))).to.equal(Math.PI);
    expect(ev(call('degrees', dbl(Math.PI)))).to.equal(180);
    expect(ev(call('radians', dbl(180)))).to.equal(Math.PI);
    expect(ev(call('sin', dbl(0)))).to.equal(0);
    expect(ev(call('atan2', dbl(1), dbl(1)))).to.equal(Math.PI / 4);
    expect(sqlstate(() => ev(call('asin', dbl(2))))).to.equal('22003');
  });

  it('gives RAND(seed) a deterministic sequence (java.util.Random)', () => {
    const e = call('rand', big(42));
    // new java.util.Random(42).nextDouble() = 0.7275636800328681
    expect(ev(e)).to.equal(0.7275636800328681);
    expect(ev(call('rand_integer', big(42), int(10)))).to.equal(0);
    const r = ev(call('rand')) as number;
    expect(r).to.be.at.least(0).and.below(1);
    expect(ev(call('abs', nul(Types.int)))).to.equal(null);
  });
});
