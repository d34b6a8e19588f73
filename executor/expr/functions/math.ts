// Math functions: ABS, SIGN, ROUND, TRUNCATE, FLOOR, CEIL, SQRT, EXP, LN, LOG, trigonometry, RAND.
//
// ROUND rounds half away from zero for every type (Flink's HALF_UP). For doubles it works on the
// shortest decimal form of the value, so ROUND(2.675, 2) is 2.68, as Flink's BigDecimal-based
// rounding gives, not 2.67 from the binary value 2.67499999....

import { Decimal } from '../../../common/decimal.js';
import { decimalFloor, decimalRound } from '../../../common/decimal-math.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { divisionByZero, integerRange, outOfRange, strict1, strict2 } from './table.js';

function isIntKind(k: string): boolean {
  return k === 'TINYINT' || k === 'SMALLINT' || k === 'INT' || k === 'BIGINT';
}

function abs(site: CallSite): Evaluator {
  const t = site.type;
  if (isIntKind(t.kind)) {
    const [min] = integerRange(t);
    const err = outOfRange(t);
    return strict1(site, (x: number) => {
      if (x === min && t.kind !== 'BIGINT') throw err;
      return Math.abs(x);
    });
  }
  if (t.kind === 'DECIMAL') return strict1(site, (x: Decimal) => (x.unscaled < 0n ? new Decimal(-x.unscaled, x.scale) : x));
  return strict1(site, (x: number) => Math.abs(x));
}

function sign(site: CallSite): Evaluator {
  if (site.type.kind === 'DECIMAL') {
    return strict1(site, (x: Decimal) => new Decimal(x.unscaled > 0n ? 1n : x.unscaled < 0n ? -1n : 0n, 0));
  }
  return strict1(site, (x: number) => Math.sign(x) + 0);
}

/** Rounds a double to `digits` decimal places, half away from zero, via its shortest decimal form. */
export function roundDouble(x: number, digits: number, truncate: boolean): number {
  if (!Number.isFinite(x)) return x;
  const d = Decimal.parse(x.toExponential());
  if (d === undefined) return x;
  const r = decimalRound(d, digits, Math.max(digits, 0), truncate);
  return Number(r.toString());
}

function rounding(truncate: boolean) {
  return (site: CallSite): Evaluator => {
    const t = site.type;
    const inType = site.args[0]!.type;
    if (inType.kind === 'DECIMAL') {
      const scale = (t as { scale: number }).scale;
      if (site.evals.length === 1) return strict1(site, (x: Decimal) => decimalRound(x, 0, scale, truncate));
      return strict2(site, (x: Decimal, n: number) => decimalRound(x, n, scale, truncate));
    }
    if (isIntKind(inType.kind)) {
      const [min, max] = integerRange(t);
      const err = outOfRange(t);
      const roundInt = (x: number, n: number): number => {
        if (n >= 0) return x;
        if (n < -18) return 0;
        const f = 10 ** -n;
        const q = truncate ? Math.trunc(x / f) : Math.sign(x) * Math.round(Math.abs(x) / f);
        const r = q * f + 0;
        if (r > max || r < min) throw err;
        return r;
      };
      if (site.evals.length === 1) return strict1(site, (x: number) => x);
      return strict2(site, roundInt);
    }
    const single = t.kind === 'FLOAT';
    const fix = (v: number) => (single ? Math.fround(v) : v);
    if (site.evals.length === 1) {
      return strict1(site, truncate ? (x: number) => Math.trunc(x) + 0 : (x: number) => fix(Math.sign(x) * Math.round(Math.abs(x)) + 0));
    }
    return strict2(site, (x: number, n: number) => fix(roundDouble(x, n, truncate)));
  };
}

function floorCeil(ceil: boolean) {
  return (site: CallSite): Evaluator => {
    const t = site.type;
    if (t.kind === 'DECIMAL') return strict1(site, (x: Decimal) => decimalFloor(x, t.scale, ceil));
    if (isIntKind(t.kind)) return strict1(site, (x: number) => x);
    return strict1(site, ceil ? (x: number) => Math.ceil(x) + 0 : (x: number) => Math.floor(x));
  };
}

function invalidArg(message: string): SqlError {
  return new SqlError('2201F', message);
}

function checked(f: (x: number) => number) {
  return (x: number): number => {
    const r = f(x);
    if (!Number.isFinite(r) && Number.isFinite(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
    return r;
  };
}

function ln(x: number): number {
  if (x === 0) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
  return Math.log(x);
}

function inUnitRange(name: string, f: (x: number) => number) {
  return (x: number): number => {
    if (x < -1 || x > 1) throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range', { detail: `${name} is defined for inputs from -1 to 1.` });
    return f(x);
  };
}

/** java.util.Random, so RAND(seed) gives Flink's sequence for a seed. */
export class JavaRandom {
  private seed: bigint;
  constructor(seed: number) {
    this.seed = (BigInt(Math.trunc(seed)) ^ 0x5deece66dn) & ((1n << 48n) - 1n);
  }
  private next(bits: number): number {
    this.seed = (this.seed * 0x5deece66dn + 0xbn) & ((1n << 48n) - 1n);
    const r = Number(this.seed >> BigInt(48 - bits));
    // Java's int result is signed 32-bit.
    return bits === 32 ? r | 0 : r;
  }
  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) / 9007199254740992;
  }
  nextInt(bound: number): number {
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    for (let u = r; u - (r = u % bound) + m > 2147483647; u = this.next(31));
    return r;
  }
}

function rand(site: CallSite): Evaluator {
  const random = site.ctx.random;
  if (site.evals.length === 0) return () => random();
  const seedEval = site.evals[0]!;
  let gen: JavaRandom | undefined;
  return (row) => {
    const seed = seedEval(row);
    if (seed === null) return random();
    gen ??= new JavaRandom(seed as number);
    return gen.nextDouble();
  };
}

function randInteger(site: CallSite): Evaluator {
  const random = site.ctx.random;
  const checkBound = (n: number) => {
    if (n <= 0) throw new SqlError(SqlState.invalidParameterValue, 'bound must be positive');
  };
  if (site.evals.length === 1) {
    return strict1(site, (n: number) => {
      checkBound(n);
      return Math.floor(random() * n);
    });
  }
  let gen: JavaRandom | undefined;
  return strict2(site, (seed: number, n: number) => {
    checkBound(n);
    gen ??= new JavaRandom(seed);
    return gen.nextInt(n);
  });
}

function unary(f: (x: number) => number) {
  return (site: CallSite): Evaluator => strict1(site, f);
}

export function registerMath(t: FunctionTable): void {
  t.set('abs', abs);
  t.set('sign', sign);
  t.set('round', rounding(false));
  t.set('truncate', rounding(true));
  t.set('floor', floorCeil(false));
  t.set('ceil', floorCeil(true));
  t.set('sqrt', unary((x) => {
    if (x < 0) throw invalidArg('cannot take square root of a negative number');
    return Math.sqrt(x);
  }));
  t.set('cbrt', unary(Math.cbrt));
  t.set('exp', unary(checked(Math.exp)));
  t.set('ln', unary(ln));
  t.set('log10', unary((x) => ln(x) / Math.LN10));
  t.set('log2', unary((x) => ln(x) / Math.LN2));
  t.set('log', (s) => (s.evals.length === 1
    ? strict1(s, ln)
    : strict2(s, (b: number, x: number) => {
      const lb = ln(b);
      if (lb === 0) throw divisionByZero();
      return ln(x) / lb;
    })));
  t.set('sin', unary(Math.sin));
  t.set('cos', unary(Math.cos));
  t.set('tan', unary(Math.tan));
  t.set('cot', unary((x) => {
    const r = 1 / Math.tan(x);
    return r;
  }));
  t.set('asin', unary(inUnitRange('asin', Math.asin)));
  t.set('acos', unary(inUnitRange('acos', Math.acos)));
  t.set('atan', unary(Math.atan));
  t.set('atan2', (s) => strict2(s, (y: number, x: number) => Math.atan2(y, x)));
  t.set('sinh', unary(Math.sinh));
  t.set('cosh', unary(Math.cosh));
  t.set('tanh', unary(Math.tanh));
  t.set('degrees', unary((x) => (x * 180) / Math.PI));
  t.set('radians', unary((x) => (x * Math.PI) / 180));
  t.set('pi', () => () => Math.PI);
  t.set('e', () => () => Math.E);
  t.set('rand', rand);
  t.set('rand_integer', randInteger);
}

