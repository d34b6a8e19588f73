// Binding a window function call: its OVER specification (named windows, frames) and the function itself.

import { Types } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Expr, FunctionCall } from '../../parser/ast/expression.js';
import type { Ident, Span } from '../../parser/ast/node.js';
import type { FrameBound, WindowSpec } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import { isAggregateFunction, resolveAggregate } from '../functions/index.js';
import type { OverFrame } from '../logical/over.js';
import { castTo, undefinedFunction } from './coercion.js';
import type { ExprContext } from './context.js';
import { groupingError, notSupported, positionOf, windowingError } from './errors-hints.js';
import { bindExpr, callText, sortKeyOf } from './expressions.js';
import type { PendingWindowCall } from './windows.js';

const rankingFunctions = new Set(['row_number', 'rank', 'dense_rank']);

/** Binds `f(...) OVER (...)`; the call's value is a placeholder column the WindowCollector later places. */
export function bindWindowCall(ast: FunctionCall, name: string, ctx: ExprContext): BoundExpr {
  const windows = ctx.windows;
  if (windows === undefined) {
    if (ctx.nestedIn === 'window') throw windowingError('window function calls cannot be nested', ast.span);
    if (ctx.nestedIn === 'aggregate') throw groupingError('aggregate function calls cannot contain window function calls', ast.span);
    throw windowingError(`window functions are not allowed in ${ctx.clause}`, ast.span);
  }
  const spec = resolveSpec(ast.over as WindowSpec | Ident, windows.named, ast.span);
  const inner: ExprContext = { ...ctx, windows: undefined, nestedIn: 'window' };
  if (ast.distinct) throw notSupported('DISTINCT in a window function', ast.span);
  if (ast.filter !== undefined) throw notSupported('FILTER in a window function', ast.span);
  const partition = spec.partitionBy.map((e) => bindExpr(e, inner));
  const order = spec.orderBy.map((o) => sortKeyOf(o.expr, o.direction, o.nulls, inner));
  const text = callText(ast, name);
  let call: PendingWindowCall;
  if (rankingFunctions.has(name)) {
    if (ast.args.length > 0 || ast.star) throw undefinedFunction(name, ast.args.map((a) => bindExpr(a, inner).type), ast.span);
    call = { fn: name, args: [], partition, order, type: Types.bigint, nullable: false, name: text };
  } else if (name === 'lag' || name === 'lead') {
    if (ast.args.length < 1 || ast.args.length > 3) throw undefinedFunction(name, ast.args.map((a) => bindExpr(a, inner).type), ast.span);
    const value = bindExpr(ast.args[0] as Expr, inner);
    const args: BoundExpr[] = [value];
    if (ast.args.length >= 2) {
      const offset = bindExpr(ast.args[1] as Expr, inner, Types.int);
      if (offset.type.kind !== 'INT' && offset.type.kind !== 'SMALLINT' && offset.type.kind !== 'TINYINT' && offset.type.kind !== 'BIGINT') {
        throw undefinedFunction(name, [value.type, offset.type], ast.span);
      }
      args.push(offset);
    }
    if (ast.args.length === 3) args.push(castTo(bindExpr(ast.args[2] as Expr, inner, value.type), value.type));
    call = { fn: name, args, partition, order, type: value.type, nullable: true, name: text };
  } else if (isAggregateFunction(name)) {
    const bound = ast.star ? [] : ast.args.map((a) => bindExpr(a, inner));
    const r = resolveAggregate(name, bound.map((a) => a.type), false);
    if (r === undefined) throw undefinedFunction(name, bound.map((a) => a.type), ast.span);
    const args = bound.map((a, i) => castTo(a, r.argTypes[i] ?? a.type));
    const frame = frameOf(spec, inner, order.length, ast.span);
    call = { fn: r.fn, args, partition, order, frame, type: r.returnType, nullable: r.nullable, name: text };
  } else {
    throw new SqlError('42809', `OVER specified, but ${name} is not a window function nor an aggregate function`, positionOf(ast.span));
  }
  return windows.add(call);
}

/** `OVER w` and `OVER (w ORDER BY ...)` resolved against the SELECT's WINDOW clause. */
function resolveSpec(over: WindowSpec | Ident, named: ReadonlyMap<string, WindowSpec>, span: Span | undefined): WindowSpec {
  if (over.kind === 'Ident') return namedWindow(over, named);
  if (over.base === undefined) return over;
  const base = namedWindow(over.base, named);
  if (over.partitionBy.length > 0) throw windowingError(`cannot override PARTITION BY clause of window "${over.base.value}"`, over.span ?? span);
  if (base.orderBy.length > 0 && over.orderBy.length > 0) throw windowingError(`cannot override ORDER BY clause of window "${over.base.value}"`, over.span ?? span);
  if (base.frame !== undefined) throw windowingError(`cannot copy window "${over.base.value}" because it has a frame clause`, over.span ?? span);
  return {
    kind: 'WindowSpec',
    partitionBy: base.partitionBy,
    orderBy: over.orderBy.length > 0 ? over.orderBy : base.orderBy,
    ...(over.frame === undefined ? {} : { frame: over.frame }),
    ...(over.span === undefined ? {} : { span: over.span }),
  };
}

function namedWindow(id: Ident, named: ReadonlyMap<string, WindowSpec>): WindowSpec {
  const w = named.get(id.value);
  if (w === undefined) throw new SqlError(SqlState.undefinedObject, `window "${id.value}" does not exist`, positionOf(id.span));
  return w.base === undefined ? w : resolveSpec(w, named, id.span);
}

/**
 * The frame of an aggregate OVER a window. Without a frame clause: with ORDER BY, from the
 * partition's start to the current row's last peer (RANGE); without, the whole partition.
 * Frames must contain the current row: they start at or before it and end at or after it.
 */
function frameOf(spec: WindowSpec, ctx: ExprContext, orderKeys: number, span: Span | undefined): OverFrame {
  const f = spec.frame;
  if (f === undefined) return orderKeys > 0 ? { units: 'RANGE', preceding: null, following: 0 } : { units: 'ROWS', preceding: null, following: null };
  if (f.units === 'GROUPS') throw notSupported('GROUPS frames', spec.span ?? span);
  if (f.exclude !== undefined && f.exclude !== 'NO OTHERS') throw notSupported(`EXCLUDE ${f.exclude} in a window frame`, spec.span ?? span);
  const units = f.units;
  const offset = (b: FrameBound & { offset: Expr }): number => {
    const e = bindExpr(b.offset, { ...ctx, aggregates: false });
    if (units === 'RANGE' && orderKeys !== 1) {
      throw windowingError('RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', b.offset.span ?? span);
    }
    let n: number | undefined;
    if (e.kind === 'Literal') {
      if (typeof e.value === 'number') n = e.value;
      else if (e.value instanceof Decimal) n = e.value.toNumber();
    }
    if (n === undefined) throw notSupported('a window frame offset that is not a constant', b.offset.span ?? span);
    if (n < 0) throw new SqlError('22013', 'frame starting offset must not be negative', positionOf(b.offset.span ?? span));
    if (units === 'ROWS' && !Number.isInteger(n)) throw new SqlError(SqlState.datatypeMismatch, 'argument of ROWS must be type integer', positionOf(b.offset.span ?? span));
    return n;
  };
  let preceding: number | null;
  switch (f.start.kind) {
    case 'UnboundedPreceding': preceding = null; break;
    case 'Preceding': preceding = offset(f.start); break;
    case 'CurrentRow': preceding = 0; break;
    case 'Following':
    case 'UnboundedFollowing':
      throw notSupported('a window frame that starts after the current row', spec.span ?? span);
    default: {
      const unreachable: never = f.start;
      throw internalError(`unknown frame bound ${JSON.stringify(unreachable)}`);
    }
  }
  let following: number | null;
  const end: FrameBound = f.end ?? { kind: 'CurrentRow' };
  switch (end.kind) {
    case 'CurrentRow': following = 0; break;
    case 'Following': following = offset(end); break;
    case 'UnboundedFollowing': following = null; break;
    case 'UnboundedPreceding':
      throw windowingError('frame end cannot be UNBOUNDED PRECEDING', spec.span ?? span);
    case 'Preceding':
      throw notSupported('a window frame that ends before the current row', spec.span ?? span);
    default: {
      const unreachable: never = end;
      throw internalError(`unknown frame bound ${JSON.stringify(unreachable)}`);
    }
  }
  return { units, preceding, following };
}
