// CST -> AST for type names, interval qualifiers and time units.

import type { CstNode, IToken } from 'chevrotain';
import type { IntervalQualifier, Span, TimeUnit, TypeName } from '../ast/index.js';
import {
  child, children, endOf, errorNear, has, ident, nodeSpan, optChild, optToken, span, startOf, syntaxError, token,
  tokenEnd, tokens, type Mutable,
} from './cst.js';

const TIME_UNITS: ReadonlyMap<string, TimeUnit> = new Map<string, TimeUnit>([
  ['millennium', 'MILLENNIUM'], ['millenniums', 'MILLENNIUM'], ['millennia', 'MILLENNIUM'],
  ['century', 'CENTURY'], ['centuries', 'CENTURY'], ['decade', 'DECADE'], ['decades', 'DECADE'],
  ['year', 'YEAR'], ['years', 'YEAR'], ['quarter', 'QUARTER'], ['quarters', 'QUARTER'],
  ['month', 'MONTH'], ['months', 'MONTH'], ['week', 'WEEK'], ['weeks', 'WEEK'], ['day', 'DAY'], ['days', 'DAY'],
  ['hour', 'HOUR'], ['hours', 'HOUR'], ['minute', 'MINUTE'], ['minutes', 'MINUTE'],
  ['second', 'SECOND'], ['seconds', 'SECOND'], ['millisecond', 'MILLISECOND'], ['milliseconds', 'MILLISECOND'],
  ['microsecond', 'MICROSECOND'], ['microseconds', 'MICROSECOND'],
  ['nanosecond', 'NANOSECOND'], ['nanoseconds', 'NANOSECOND'],
  ['dow', 'DOW'], ['doy', 'DOY'], ['isodow', 'ISODOW'], ['isoyear', 'ISOYEAR'], ['epoch', 'EPOCH'],
]);

/** A time unit keyword (plural folded to singular). */
export function timeUnit(t: IToken, text = t.image): TimeUnit {
  const unit = TIME_UNITS.get(text.toLowerCase());
  if (unit === undefined) throw errorNear(t, `unknown time unit "${text}"`);
  return unit;
}

export function visitIntervalQualifier(node: CstNode): IntervalQualifier {
  const result: Mutable<IntervalQualifier> = { from: timeUnit(token(node, 'from')) };
  const fromPrecision = optToken(node, 'fromPrecision');
  if (fromPrecision !== undefined) result.fromPrecision = integer(fromPrecision);
  const to = optToken(node, 'to');
  if (to !== undefined) result.to = timeUnit(to);
  const toPrecision = optToken(node, 'toPrecision');
  if (toPrecision !== undefined) result.toPrecision = integer(toPrecision);
  return result;
}

/** A number token that must be a non-negative integer (type arguments, counts). */
export function integer(t: IToken): number {
  if (!/^\d+$/.test(t.image)) throw syntaxError(t);
  const value = Number(t.image);
  if (!Number.isSafeInteger(value)) throw errorNear(t, 'integer out of range');
  return value;
}

export function visitTypeName(node: CstNode): TypeName {
  let type = baseType(node);
  const suffixes = tokens(node, 'arraySuffix');
  suffixes.forEach((suffix, i) => {
    // Each suffix wraps what comes before it: `INT[][]` is an array of arrays.
    const next = suffixes[i + 1];
    const end = next === undefined ? endOf(node) : lastTokenEndBefore(node, next.startOffset);
    type = { kind: 'TypeName', name: 'ARRAY', args: [], element: type, span: span(startOf(node), end) };
  });
  return type;
}

function baseType(node: CstNode): TypeName {
  if (has(node, 'ARRAY')) {
    return { kind: 'TypeName', name: 'ARRAY', args: [], element: visitNestedType(child(node, 'nestedType')), span: nodeSpanUpTo(node) };
  }
  if (has(node, 'ROW')) {
    return {
      kind: 'TypeName', name: 'ROW', args: [],
      fields: children(node, 'rowField').map((f) => ({
        name: ident(token(f, 'Ident')).value,
        type: visitNestedType(child(f, 'nestedType')),
      })),
      span: nodeSpanUpTo(node),
    };
  }
  if (has(node, 'INTERVAL')) {
    const result: Mutable<TypeName> = { kind: 'TypeName', name: 'INTERVAL', args: [], span: nodeSpanUpTo(node) };
    const qualifier = optChild(node, 'intervalQualifier');
    if (qualifier !== undefined) result.interval = visitIntervalQualifier(qualifier);
    return result;
  }
  const nameToken = token(node, 'name');
  const written = ident(nameToken);
  let name = written.quoted ? written.value : written.value.toUpperCase();
  const precision = optToken(node, 'PRECISION');
  if (precision !== undefined) {
    if (name !== 'DOUBLE') throw syntaxError(precision);
    name = 'DOUBLE';
  }
  const varying = optToken(node, 'VARYING');
  if (varying !== undefined) {
    if (name !== 'CHARACTER' && name !== 'CHAR') throw syntaxError(varying);
    name = 'VARCHAR';
  }
  const zone = optToken(node, 'ZONE');
  if (zone !== undefined) {
    const withZone = has(node, 'WITH');
    const local = optToken(node, 'LOCAL');
    if (name === 'TIMESTAMP') name = withZone ? 'TIMESTAMP_LTZ' : 'TIMESTAMP';
    else if (name === 'TIME' && local === undefined) name = withZone ? 'TIMETZ' : 'TIME';
    else throw syntaxError(optToken(node, 'WITH') ?? token(node, 'WITHOUT'));
    if (local !== undefined && !withZone) throw syntaxError(local);
  }
  if (name === 'TIMESTAMPTZ') name = 'TIMESTAMP_LTZ';
  const result: Mutable<TypeName> = {
    kind: 'TypeName', name, args: tokens(node, 'arg').map(integer), span: nodeSpanUpTo(node),
  };
  const params = children(node, 'nestedType');
  if (params.length > 0) {
    const lt = token(node, 'Lt');
    if (name === 'MAP') {
      if (params.length !== 2) throw errorNear(lt, 'MAP takes a key type and a value type');
      result.element = visitNestedType(params[0] as CstNode);
      result.mapValue = visitNestedType(params[1] as CstNode);
    } else {
      if (params.length !== 1) throw errorNear(lt, `${name} takes one element type`);
      result.element = visitNestedType(params[0] as CstNode);
    }
  }
  return result;
}

/** The span of a type without its `ARRAY` suffixes. */
function nodeSpanUpTo(node: CstNode): Span {
  const suffix = optToken(node, 'arraySuffix');
  return suffix === undefined ? nodeSpan(node) : span(startOf(node), lastTokenEndBefore(node, suffix.startOffset));
}

function lastTokenEndBefore(node: CstNode, offset: number): number {
  let end = startOf(node);
  const visit = (n: CstNode): void => {
    for (const list of Object.values(n.children)) {
      for (const el of list) {
        if ('image' in el) {
          if (el.startOffset < offset) end = Math.max(end, tokenEnd(el));
        } else {
          visit(el);
        }
      }
    }
  };
  visit(node);
  return end;
}

function visitNestedType(node: CstNode): TypeName {
  const type = visitTypeName(child(node, 'typeName'));
  return has(node, 'NOT') ? { ...type, notNull: true } : type;
}
