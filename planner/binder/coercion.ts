// Applying the registry's type decisions to bound expressions: calls with their argument casts, casts, boolean checks, unification.

import type { DataType } from '../../common/data-type.js';
import { sameType, Types } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Span } from '../../parser/ast/node.js';
import type { BoundExpr } from '../bound/expr.js';
import { canonicalFunctionName, commonSupertype, functionNames, pgTypeName, resolveScalarFunction } from '../functions/index.js';
import { literal } from './bound-utils.js';
import { mustBeBoolean, nearestName, positionOf, typeMismatch } from './errors-hints.js';

/** `e` converted to `to`: a typed NULL for a NULL literal, a Cast when the types differ, `e` itself otherwise. */
export function castTo(e: BoundExpr, to: DataType): BoundExpr {
  if (sameType(e.type, to)) return e;
  if (e.kind === 'Literal' && e.value === null) return literal(null, to);
  return { kind: 'Cast', operand: e, type: to, try: false };
}

/** Operators as PostgreSQL names them in "operator does not exist" errors. */
const operatorText = new Map<string, string>([
  ['+', '+'], ['-', '-'], ['*', '*'], ['/', '/'], ['%', '%'], ['^', '^'], ['concat', '||'],
  ['=', '='], ['<>', '<>'], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['neg', '-'],
]);

/**
 * A call resolved by the registry, its arguments cast to the parameter types the registry chose.
 * Throws 42883 naming the function (or operator) and the argument types when nothing fits.
 * `display` is the name as the user wrote it, for the message.
 */
export function resolveCall(name: string, args: readonly BoundExpr[], span: Span | undefined, display: string = name): BoundExpr {
  const types = args.map((a) => a.type);
  const consts = args.map((a) => (a.kind === 'Literal' ? a.value : undefined));
  const r = resolveScalarFunction(name, types, consts);
  if (r === undefined) throw undefinedFunction(name, types, span, display);
  const cast = args.map((a, i) => castTo(a, r.argTypes[i] ?? a.type));
  return { kind: 'Call', fn: r.fn, args: cast, type: r.returnType };
}

export function undefinedFunction(name: string, types: readonly DataType[], span: Span | undefined, display: string = name): SqlError {
  const typeList = types.map(pgTypeName);
  const op = operatorText.get(name);
  if (op !== undefined) {
    const text = typeList.length === 1 ? `${op} ${typeList[0]}` : `${typeList[0]} ${op} ${typeList[1]}`;
    return new SqlError(SqlState.undefinedFunction, `operator does not exist: ${text}`, {
      ...positionOf(span),
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const known = canonicalFunctionName(name) !== undefined;
  const near = known ? undefined : nearestName(name, functionNames(), (n) => n);
  const hint = near !== undefined
    ? `Perhaps you meant the function "${near}".`
    : 'No function matches the given name and argument types. You might need to add explicit type casts.';
  return new SqlError(SqlState.undefinedFunction, `function ${display}(${typeList.join(', ')}) does not exist`, { ...positionOf(span), hint });
}

/**
 * A condition (WHERE, HAVING, ON, CASE WHEN, AND/OR/NOT operands, FILTER): BOOLEAN, or a
 * NULL or string literal that becomes one (PostgreSQL's unknown literals); 42804 otherwise.
 */
export function requireBoolean(e: BoundExpr, what: string, span: Span | undefined): BoundExpr {
  if (e.type.kind === 'BOOLEAN') return e;
  if (e.type.kind === 'NULL') return castTo(e, Types.boolean);
  if (e.kind === 'Literal' && typeof e.value === 'string') return castTo(e, Types.boolean);
  throw mustBeBoolean(what, e.type, span);
}

/**
 * The common type of several expressions (CASE branches, VALUES columns, set operation
 * columns), each cast to it. NULL-only lists become VARCHAR, as PostgreSQL resolves
 * unknown to text. `what` names the construct for the 42804 message (`CASE`, `UNION`).
 */
export function unify(exprs: readonly BoundExpr[], what: string, span: Span | undefined): BoundExpr[] {
  const t = unifiedType(exprs.map((e) => e.type), what, span);
  return exprs.map((e) => castTo(e, t));
}

export function unifiedType(types: readonly DataType[], what: string, span: Span | undefined): DataType {
  const t = commonSupertype(types);
  if (t === undefined) {
    const distinct: DataType[] = [];
    for (const x of types) if (x.kind !== 'NULL' && !distinct.some((d) => sameType(d, x))) distinct.push(x);
    const [a, b] = distinct;
    throw typeMismatch(`${what} types ${pgTypeName(a ?? Types.null)} and ${pgTypeName(b ?? Types.null)} cannot be matched`, span);
  }
  return t.kind === 'NULL' ? Types.string : t;
}
