// The runtime side of the function registry: how each registry name compiles to a closure.

import type { DataType } from '../../../common/data-type.js';
import type { TimeZone } from '../../../common/datetime.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { BoundExpr } from '../../../planner/bound/expr.js';

export type Evaluator = (row: Row) => Value;

/** What evaluation needs from outside the row: the clock, the session zone, a random source. */
export interface EvalContext {
  /** The current instant in microseconds since the epoch. */
  readonly now: () => number;
  readonly timeZone: TimeZone;
  /** Uniform in [0, 1) for RAND() without a seed. */
  readonly random: () => number;
}

/** One call to compile: its arguments (expressions, compiled closures, constants) and result type. */
export interface CallSite {
  readonly fn: string;
  readonly args: readonly BoundExpr[];
  readonly evals: readonly Evaluator[];
  /** The constant value of each argument when it is one (after folding), else undefined. */
  readonly consts: readonly ({ readonly value: Value } | undefined)[];
  readonly type: DataType;
  readonly ctx: EvalContext;
}

export type FunctionImpl = (site: CallSite) => Evaluator;

export type FunctionTable = Map<string, FunctionImpl>;

// ---------------------------------------------------------------- null-propagating wrappers by arity

export function strict1(site: CallSite, f: (a: never) => Value): Evaluator {
  const a = site.evals[0]!;
  const g = f as (a: Value) => Value;
  return (row) => {
    const x = a(row);
    return x === null ? null : g(x);
  };
}

export function strict2(site: CallSite, f: (a: never, b: never) => Value): Evaluator {
  const a = site.evals[0]!;
  const b = site.evals[1]!;
  const g = f as (a: Value, b: Value) => Value;
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    return y === null ? null : g(x, y);
  };
}

export function strict3(site: CallSite, f: (a: never, b: never, c: never) => Value): Evaluator {
  const a = site.evals[0]!;
  const b = site.evals[1]!;
  const c = site.evals[2]!;
  const g = f as (a: Value, b: Value, c: Value) => Value;
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    if (y === null) return null;
    const z = c(row);
    return z === null ? null : g(x, y, z);
  };
}

/** Any arity: NULL when any argument is NULL. The argument array is reused between rows. */
export function strictN(site: CallSite, f: (args: readonly never[]) => Value): Evaluator {
  switch (site.evals.length) {
    case 1: return strict1(site, (a) => f([a]));
    case 2: return strict2(site, (a, b) => f([a, b]));
    case 3: return strict3(site, (a, b, c) => f([a, b, c]));
    default: break;
  }
  const evals = site.evals;
  const n = evals.length;
  const buf: Value[] = new Array<Value>(n).fill(null);
  const g = f as (args: readonly Value[]) => Value;
  return (row) => {
    for (let i = 0; i < n; i++) {
      const v = evals[i]!(row);
      if (v === null) return null;
      buf[i] = v;
    }
    return g(buf);
  };
}

/** The constant value of argument i, or undefined when it varies per row. */
export function constArg(site: CallSite, i: number): Value | undefined {
  const c = site.consts[i];
  return c === undefined ? undefined : c.value;
}

// ---------------------------------------------------------------- errors

const intNames: Record<string, string> = { TINYINT: 'tinyint', SMALLINT: 'smallint', INT: 'integer', BIGINT: 'bigint' };

export function outOfRange(type: DataType): SqlError {
  const name = intNames[type.kind];
  if (name !== undefined) return new SqlError(SqlState.numericValueOutOfRange, `${name} out of range`);
  if (type.kind === 'FLOAT' || type.kind === 'DOUBLE') return new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  return new SqlError(SqlState.numericValueOutOfRange, `${type.kind.toLowerCase()} out of range`);
}

export function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

export function invalidArgument(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

/** [min, max] of each integer type (BIGINT: the safe integer range, see value.ts). */
export function integerRange(type: DataType): readonly [number, number] {
  switch (type.kind) {
    case 'TINYINT': return [-128, 127];
    case 'SMALLINT': return [-32768, 32767];
    case 'INT': return [-2147483648, 2147483647];
    default: return [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  }
}
