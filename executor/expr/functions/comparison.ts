// Comparison operators, IS [NOT] DISTINCT FROM, IN and BETWEEN, specialised by operand type.
//
// Floats follow PostgreSQL: NaN equals NaN and sorts above every other number. Strings compare
// by UTF-16 code units (binary order, like the C collation for the Basic Multilingual Plane).

import type { DataType } from '../../../common/data-type.js';
import { compareValues } from '../../../common/compare.js';
import type { Decimal } from '../../../common/decimal.js';
import { decimalCompare } from '../../../common/decimal-math.js';
import type { Value } from '../../../common/value.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { strict2 } from './table.js';

type Cmp = (a: Value, b: Value) => number;
type Eq = (a: Value, b: Value) => boolean;

/** Kinds whose runtime values are plain numbers ordered by `<` (no NaN). */
function isPlainNumberKind(t: DataType): boolean {
  switch (t.kind) {
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': case 'DATE': case 'TIME': case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': case 'INTERVAL_DAY_TIME': case 'INTERVAL_YEAR_MONTH':
      return true;
    default:
      return false;
  }
}

function floatCmp(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

/** A total order for non-NULL values of `type` (-1, 0, 1). */
export function comparatorFor(type: DataType): Cmp {
  if (isPlainNumberKind(type)) return ((a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0)) as Cmp;
  switch (type.kind) {
    case 'FLOAT': case 'DOUBLE': return floatCmp as Cmp;
    case 'VARCHAR': case 'CHAR': return ((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)) as Cmp;
    case 'BOOLEAN': return ((a: boolean, b: boolean) => (a === b ? 0 : a ? 1 : -1)) as Cmp;
    case 'DECIMAL': return ((a: Decimal, b: Decimal) => decimalCompare(a, b)) as Cmp;
    default: return compareValues;
  }
}

/** Equality for non-NULL values of `type`. */
export function equalsFor(type: DataType): Eq {
  if (isPlainNumberKind(type)) return (a, b) => a === b;
  switch (type.kind) {
    case 'FLOAT': case 'DOUBLE': return ((a: number, b: number) => a === b || (a !== a && b !== b)) as Eq;
    case 'VARCHAR': case 'CHAR': case 'BOOLEAN': return (a, b) => a === b;
    case 'DECIMAL': return ((a: Decimal, b: Decimal) => decimalCompare(a, b) === 0) as Eq;
    default: return (a, b) => compareValues(a, b) === 0;
  }
}

type Op = '=' | '<>' | '<' | '<=' | '>' | '>=';

function compareOp(op: Op) {
  return (site: CallSite): Evaluator => {
    const t = site.args[0]!.type;
    // Direct operators where JavaScript's agree with SQL's: no comparator call per row.
    if (isPlainNumberKind(t) || t.kind === 'VARCHAR' || t.kind === 'CHAR') {
      const k = site.consts[1];
      if (k !== undefined) {
        // `column <op> constant`, the common filter shape: one closure, no second call.
        const c = k.value;
        const a = site.evals[0]!;
        if (c === null) return () => null;
        switch (op) {
          case '=': return (row) => { const x = a(row); return x === null ? null : x === c; };
          case '<>': return (row) => { const x = a(row); return x === null ? null : x !== c; };
          case '<': return (row) => { const x = a(row); return x === null ? null : (x as number) < (c as number); };
          case '<=': return (row) => { const x = a(row); return x === null ? null : (x as number) <= (c as number); };
          case '>': return (row) => { const x = a(row); return x === null ? null : (x as number) > (c as number); };
          case '>=': return (row) => { const x = a(row); return x === null ? null : (x as number) >= (c as number); };
        }
      }
      switch (op) {
        case '=': return strict2(site, (a: number, b: number) => a === b);
        case '<>': return strict2(site, (a: number, b: number) => a !== b);
        case '<': return strict2(site, (a: number, b: number) => a < b);
        case '<=': return strict2(site, (a: number, b: number) => a <= b);
        case '>': return strict2(site, (a: number, b: number) => a > b);
        case '>=': return strict2(site, (a: number, b: number) => a >= b);
      }
    }
    if (op === '=' || op === '<>') {
      const eq = equalsFor(t);
      return op === '=' ? strict2(site, (a: Value, b: Value) => eq(a, b)) : strict2(site, (a: Value, b: Value) => !eq(a, b));
    }
    const cmp = comparatorFor(t);
    switch (op) {
      case '<': return strict2(site, (a: Value, b: Value) => cmp(a, b) < 0);
      case '<=': return strict2(site, (a: Value, b: Value) => cmp(a, b) <= 0);
      case '>': return strict2(site, (a: Value, b: Value) => cmp(a, b) > 0);
      default: return strict2(site, (a: Value, b: Value) => cmp(a, b) >= 0);
    }
  };
}

function distinctFrom(negated: boolean) {
  return (site: CallSite): Evaluator => {
    const eq = equalsFor(site.args[0]!.type);
    const a = site.evals[0]!;
    const b = site.evals[1]!;
    return (row) => {
      const x = a(row);
      const y = b(row);
      const same = x === null ? y === null : y !== null && eq(x, y);
      return negated ? same : !same;
    };
  };
}

/** Values a JavaScript Set can hold with SQL equality (SameValueZero: NaN = NaN, 0 = -0). */
function isSetKeyable(t: DataType): boolean {
  return isPlainNumberKind(t) || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'VARCHAR' || t.kind === 'CHAR' || t.kind === 'BOOLEAN';
}

/** `in(x, v1, ..., vn)`: TRUE if some vi = x; else NULL if x or some vi is NULL; else FALSE. */
function inList(site: CallSite): Evaluator {
  const t = site.args[0]!.type;
  const operand = site.evals[0]!;
  const items = site.evals.slice(1);
  const consts = site.consts.slice(1);
  if (isSetKeyable(t) && consts.every((c) => c !== undefined)) {
    const set = new Set<Value>();
    let hasNull = false;
    for (const c of consts) {
      if (c!.value === null) hasNull = true;
      else set.add(c!.value);
    }
    return (row) => {
      const x = operand(row);
      if (x === null) return null;
      if (set.has(x)) return true;
      return hasNull ? null : false;
    };
  }
  const eq = equalsFor(t);
  const n = items.length;
  return (row) => {
    const x = operand(row);
    if (x === null) return null;
    let sawNull = false;
    for (let i = 0; i < n; i++) {
      const v = items[i]!(row);
      if (v === null) sawNull = true;
      else if (eq(x, v)) return true;
    }
    return sawNull ? null : false;
  };
}

/** x BETWEEN lo AND hi = x >= lo AND x <= hi, with three-valued AND. */
function between(symmetric: boolean) {
  return (site: CallSite): Evaluator => {
    const cmp = comparatorFor(site.args[0]!.type);
    const [x, lo, hi] = site.evals as [Evaluator, Evaluator, Evaluator];
    const test = (v: Value, l: Value, h: Value): boolean | null => {
      const c1 = l === null ? null : cmp(v, l) >= 0;
      if (c1 === false) return false;
      const c2 = h === null ? null : cmp(v, h) <= 0;
      if (c2 === false) return false;
      return c1 === null || c2 === null ? null : true;
    };
    return (row) => {
      const v = x(row);
      if (v === null) return null;
      const l = lo(row);
      const h = hi(row);
      const r = test(v, l, h);
      if (!symmetric || r === true) return r;
      const r2 = test(v, h, l);
      if (r2 === true) return true;
      return r === null || r2 === null ? null : false;
    };
  };
}

export function registerComparison(t: FunctionTable): void {
  for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) t.set(op, compareOp(op));
  t.set('is_distinct_from', distinctFrom(false));
  t.set('is_not_distinct_from', distinctFrom(true));
  t.set('in', inList);
  t.set('between', between(false));
  t.set('between_symmetric', between(true));
}
