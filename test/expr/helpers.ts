// Builders for bound expressions in tests: calls are resolved through the registry, with casts inserted as the binder would.

import type { DataType } from '../../common/data-type.js';
import { sameType, Types } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import type { Row, Value } from '../../common/value.js';
import type { BoundExpr } from '../../planner/bound/expr.js';
import { resolveScalarFunction } from '../../planner/functions/index.js';
import type { CompileOptions } from '../../executor/expr/compile.js';
import { compileScalar } from '../../executor/expr/compile.js';

export function lit(value: Value, type: DataType): BoundExpr {
  return { kind: 'Literal', value, type };
}

export const int = (v: number | null): BoundExpr => lit(v, Types.int);
export const big = (v: number | null): BoundExpr => lit(v, Types.bigint);
export const dbl = (v: number | null): BoundExpr => lit(v, Types.double);
export const str = (v: string | null): BoundExpr => lit(v, Types.string);
export const bool = (v: boolean | null): BoundExpr => lit(v, Types.boolean);
export const nul = (t: DataType = Types.null): BoundExpr => lit(null, t);
export const dec = (text: string, precision = 10, scale?: number): BoundExpr => {
  const d = Decimal.parse(text)!;
  const s = scale ?? d.scale;
  return lit(d.rescale(s), { kind: 'DECIMAL', precision, scale: s });
};

export function col(index: number, type: DataType): BoundExpr {
  return { kind: 'InputRef', index, type };
}

export function cast(operand: BoundExpr, type: DataType, tryCast = false): BoundExpr {
  return { kind: 'Cast', operand, type, try: tryCast };
}

/** A call resolved through the registry, arguments cast to the types it asks for. */
export function call(name: string, ...args: BoundExpr[]): BoundExpr {
  const consts = args.map((a) => (a.kind === 'Literal' ? a.value : undefined));
  const r = resolveScalarFunction(name, args.map((a) => a.type), consts);
  if (r === undefined) throw new Error(`no signature for ${name}(${args.map((a) => a.type.kind).join(', ')})`);
  const cargs = args.map((a, i) => (sameType(a.type, r.argTypes[i]!) ? a : cast(a, r.argTypes[i]!)));
  return { kind: 'Call', fn: r.fn, args: cargs, type: r.returnType };
}

export function caseWhen(whens: [BoundExpr, BoundExpr][], otherwise: BoundExpr, type: DataType): BoundExpr {
  return { kind: 'Case', whens: whens.map(([when, then]) => ({ when, then })), else: otherwise, type };
}

/** Evaluates against a row (default: empty). */
export function ev(e: BoundExpr, row: Row = [], options: CompileOptions = {}): Value {
  return compileScalar(e, [], options)(row);
}

/** Evaluates, also with constant folding defeated by reading the arguments from a row. */
export function evRow(name: string, values: readonly Value[], types: readonly DataType[], options: CompileOptions = {}): Value {
  const e = call(name, ...types.map((t, i) => col(i, t)));
  return compileScalar(e, [], options)(values);
}

export function decimalText(v: Value): string | null {
  return v === null ? null : (v as Decimal).toString();
}
