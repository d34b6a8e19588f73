// The expression compiler: a BoundExpr becomes a tree of closures, built once, run per row.
//
// Each call is specialised when compiled (by arity and operand types, see functions/), calls with
// constant arguments are folded, and no code is generated from SQL text. NULL follows
// three-valued logic: AND/OR short-circuit on FALSE/TRUE and otherwise let NULL win over the
// neutral value; a predicate holds only when the condition is TRUE.

import type { TimeZone } from '../../common/datetime.js';
import { getTimeZone, UTC } from '../../common/datetime.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import type { BoundCall, BoundCase, BoundCast, BoundExpr } from '../../planner/bound/expr.js';
import { isScalarFunctionDeterministic } from '../../planner/functions/index.js';
import { compileCast, isDataError } from './cast.js';
import { functionTable } from './functions/index.js';
import type { CallSite, EvalContext, Evaluator } from './functions/index.js';

export interface CompileOptions {
  /** The clock for CURRENT_TIMESTAMP, NOW(), ...: microseconds since the epoch, or a function giving them. Default: the system clock. */
  readonly now?: number | (() => number);
  /** Session time zone (name or zone) for TIMESTAMP_LTZ fields and conversions. Default UTC. */
  readonly timeZone?: string | TimeZone;
  /** Source of RAND() without a seed. Default Math.random. */
  readonly random?: () => number;
}

interface Compiled {
  readonly fn: Evaluator;
  /** Set when the expression has the same value for every row. */
  readonly constant?: { readonly value: Value };
}

function makeContext(options: CompileOptions): EvalContext {
  const now = options.now;
  const clock = now === undefined ? () => Date.now() * 1000 : typeof now === 'number' ? () => now : now;
  const tz = options.timeZone === undefined ? UTC : typeof options.timeZone === 'string' ? getTimeZone(options.timeZone) : options.timeZone;
  return { now: clock, timeZone: tz, random: options.random ?? Math.random };
}

function constant(value: Value): Compiled {
  return { fn: () => value, constant: { value } };
}

class ExprCompiler {
  constructor(readonly params: readonly Value[] | undefined, readonly ctx: EvalContext) {}

  compile(e: BoundExpr): Compiled {
    switch (e.kind) {
      case 'Literal': return constant(e.value);
      case 'InputRef': {
        const i = e.index;
        return { fn: (row) => row[i] as Value };
      }
      case 'ParamRef': {
        const params = this.params;
        if (params === undefined || e.index >= params.length) {
          throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${e.index + 1}`);
        }
        return constant(params[e.index] as Value);
      }
      case 'Call': return this.call(e);
      case 'Cast': return this.cast(e);
      case 'Case': return this.caseExpr(e);
      case 'CorrelatedRef': throw internalError('correlated reference reached the expression compiler (decorrelation should have removed it)');
      case 'Subquery': throw internalError('subquery reached the expression compiler (decorrelation should have removed it)');
      default: {
        const never: never = e;
        throw internalError(`unknown expression kind ${(never as { kind: string }).kind}`);
      }
    }
  }

  private call(e: BoundCall): Compiled {
    const impl = functionTable().get(e.fn);
    if (impl === undefined) throw internalError(`function "${e.fn}" has no implementation`);
    const compiled = e.args.map((a) => this.compile(a));
    const site: CallSite = {
      fn: e.fn,
      args: e.args,
      evals: compiled.map((c) => c.fn),
      consts: compiled.map((c) => c.constant),
      type: e.type,
      ctx: this.ctx,
    };
    const fn = impl(site);
    // PROCTIME() reads the clock for each row: never folded.
    if (compiled.every((c) => c.constant !== undefined) && isScalarFunctionDeterministic(e.fn) && e.fn !== 'proctime') {
      // Fold; an error is left for evaluation time (the call may sit in a branch never taken).
      try {
        return constant(fn([]));
      } catch {
        return { fn };
      }
    }
    return { fn };
  }

  private cast(e: BoundCast): Compiled {
    const operand = this.compile(e.operand);
    const conv = compileCast(e.operand.type, e.type, this.ctx.timeZone);
    const inner = operand.fn;
    let fn: Evaluator;
    if (e.try) {
      fn = (row) => {
        const v = inner(row);
        if (v === null) return null;
        try {
          return conv(v);
        } catch (err) {
          if (isDataError(err)) return null;
          throw err;
        }
      };
    } else {
      fn = (row) => {
        const v = inner(row);
        return v === null ? null : conv(v);
      };
    }
    if (operand.constant !== undefined) {
      try {
        return constant(fn([]));
      } catch {
        return { fn };
      }
    }
    return { fn };
  }

  private caseExpr(e: BoundCase): Compiled {
    const whens: { when: Evaluator; then: Evaluator }[] = [];
    for (const w of e.whens) {
      const cond = this.compile(w.when);
      const then = this.compile(w.then);
      if (cond.constant !== undefined) {
        if (cond.constant.value !== true) continue; // a branch never taken
        if (whens.length === 0) return then;
        whens.push({ when: () => true, then: then.fn });
        break;
      }
      whens.push({ when: cond.fn, then: then.fn });
    }
    const otherwise = this.compile(e.else);
    if (whens.length === 0) return otherwise;
    const elseFn = otherwise.fn;
    if (whens.length === 1) {
      const { when, then } = whens[0]!;
      return { fn: (row) => (when(row) === true ? then(row) : elseFn(row)) };
    }
    const n = whens.length;
    return {
      fn: (row) => {
        for (let i = 0; i < n; i++) {
          const w = whens[i]!;
          if (w.when(row) === true) return w.then(row);
        }
        return elseFn(row);
      },
    };
  }
}

/**
 * Compiles a scalar expression into a function of the input row. `params` are the values of
 * `$1`, `$2`, ... (0-based ParamRef indexes).
 *
 * @example
 *   const f = compileScalar({ kind: 'Call', fn: '+', type: Types.int,
 *     args: [{ kind: 'InputRef', index: 0, type: Types.int }, { kind: 'Literal', value: 1, type: Types.int }] });
 *   f([41]) // 42
 */
export function compileScalar(expr: BoundExpr, params?: readonly Value[], options: CompileOptions = {}): (row: Row) => Value {
  return new ExprCompiler(params, makeContext(options)).compile(expr).fn;
}

/** Compiles a condition: true only when it evaluates to TRUE (FALSE and NULL reject the row). */
export function compilePredicate(expr: BoundExpr, params?: readonly Value[], options: CompileOptions = {}): (row: Row) => boolean {
  const c = new ExprCompiler(params, makeContext(options)).compile(expr);
  if (c.constant !== undefined) {
    const v = c.constant.value === true;
    return () => v;
  }
  const f = c.fn;
  return (row) => f(row) === true;
}

/** Compiles a list of expressions into one function building the output row. */
export function compileProjection(exprs: readonly BoundExpr[], params?: readonly Value[], options: CompileOptions = {}): (row: Row) => Value[] {
  const compiler = new ExprCompiler(params, makeContext(options));
  const fns = exprs.map((e) => compiler.compile(e).fn);
  const n = fns.length;
  return (row) => {
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) out[i] = fns[i]!(row);
    return out;
  };
}

/** Evaluates an expression that reads no input columns (the binder folds literals with it). */
export function evaluateConstant(expr: BoundExpr, params?: readonly Value[], options: CompileOptions = {}): Value {
  return compileScalar(expr, params, options)([]);
}
