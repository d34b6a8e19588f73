// CST -> AST for expressions: operator precedence, primaries, literals and special forms.

import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { BinaryOperator, Expr, FunctionCall, Ident, Literal, TypeName } from '../ast/index.js';
import {
  checkUescape, decodeDollarString, decodeEscapeString, decodeHexString, decodePlainString,
  decodeUnicodeString,
} from '../lexer/literals.js';
import { K, T } from '../lexer/tokens.js';
import {
  child, children, decodeLiteral, endOf, errorNear, has, ident, idents, nodeSpan, optChild, optToken,
  span, startOf, syntaxError, token, tokens, tokenSpan, type Mutable,
} from './cst.js';
import { visitQuery } from './queries.js';
import { timeUnit, visitIntervalQualifier, visitTypeName } from './types.js';
import { visitOrderBy, visitWindowSpec } from './windows.js';

// ---- Precedence ----------------------------------------------------------------------
// PostgreSQL's table, loosest first. Postfix `::`, `[]` and `.` bind tighter
// than everything and are applied while reading an operand.

const OR = 1;
const AND = 2;
const NOT = 3;
const IS = 4;
const COMPARISON = 5;
const PREDICATE = 6; // BETWEEN, IN, LIKE, ILIKE, SIMILAR TO
const OTHER = 7; // ||
const ADDITIVE = 8;
const MULTIPLICATIVE = 9;
const POWER = 10;
const UNARY = 11;

const BINARY: ReadonlyMap<TokenType, { readonly op: BinaryOperator; readonly prec: number }> = new Map([
  [K.OR, { op: 'OR', prec: OR }],
  [K.AND, { op: 'AND', prec: AND }],
  [T.Eq, { op: '=', prec: COMPARISON }],
  [T.Neq, { op: '<>', prec: COMPARISON }],
  [T.BangEq, { op: '<>', prec: COMPARISON }],
  [T.Lt, { op: '<', prec: COMPARISON }],
  [T.Le, { op: '<=', prec: COMPARISON }],
  [T.Gt, { op: '>', prec: COMPARISON }],
  [T.Ge, { op: '>=', prec: COMPARISON }],
  [T.Concat, { op: '||', prec: OTHER }],
  [T.Plus, { op: '+', prec: ADDITIVE }],
  [T.Minus, { op: '-', prec: ADDITIVE }],
  [T.Star, { op: '*', prec: MULTIPLICATIVE }],
  [T.Slash, { op: '/', prec: MULTIPLICATIVE }],
  [T.Percent, { op: '%', prec: MULTIPLICATIVE }],
  [T.Caret, { op: '^', prec: POWER }],
] as const);

/** One element of the flat operator sequence read from the CST. */
type Item =
  | { readonly t: 'prefix'; readonly op: '-' | '+' | 'NOT'; readonly start: number }
  | { readonly t: 'atom'; readonly expr: Expr; readonly start: number; readonly end: number }
  | { readonly t: 'binary'; readonly op: BinaryOperator | 'DISTINCT' | 'NOT DISTINCT'; readonly prec: number }
  | { readonly t: 'postfix'; readonly node: CstNode; readonly prec: number; readonly end: number };

interface Built {
  readonly expr: Expr;
  readonly start: number;
  readonly end: number;
}

/** An `expression` or `boundExpr` node as an Expr. */
export function visitExpression(node: CstNode): Expr {
  const tails = node.children['exprTail'] ?? node.children['boundTail'];
  const prefixes = node.children['PrefixOp'];
  if (tails === undefined && prefixes === undefined) {
    // The common case: a lone operand.
    return operandAtom(node).expr;
  }
  const items: Item[] = [];
  pushOperand(items, node);
  for (const tail of (tails ?? []) as CstNode[]) pushTail(items, tail);
  const cursor = { items, pos: 0 };
  return climb(cursor, 0).expr;
}

function pushOperand(items: Item[], node: CstNode): void {
  for (const t of tokens(node, 'PrefixOp')) {
    const op = t.tokenType === T.Minus ? '-' : t.tokenType === T.Plus ? '+' : 'NOT';
    items.push({ t: 'prefix', op, start: t.startOffset });
  }
  const atom = operandAtom(node);
  items.push({ t: 'atom', expr: atom.expr, start: atom.start, end: atom.end });
}

/** The primary of an inline operand with its postfix operators applied. */
function operandAtom(node: CstNode): Built {
  const primaryNode = child(node, 'primary');
  let expr = visitPrimary(primaryNode);
  const start = startOf(primaryNode);
  let end = endOf(primaryNode);
  for (const p of children(node, 'postfix')) {
    end = endOf(p);
    const s = span(start, end);
    if (has(p, 'DoubleColon')) {
      expr = { kind: 'Cast', operand: expr, type: visitTypeName(child(p, 'typeName')), try: false, span: s };
    } else if (has(p, 'LBracket')) {
      expr = { kind: 'Subscript', operand: expr, index: visitExpression(child(p, 'expression')), span: s };
    } else {
      expr = { kind: 'FieldAccess', operand: expr, field: ident(token(p, 'Ident')), span: s };
    }
  }
  return { expr, start, end };
}

function pushTail(items: Item[], tail: CstNode): void {
  const op = optToken(tail, 'BinOp') ?? optToken(tail, 'ArithOp');
  if (op !== undefined) {
    const binary = BINARY.get(op.tokenType);
    if (binary === undefined) throw syntaxError(op);
    items.push({ t: 'binary', op: binary.op, prec: binary.prec });
    pushOperand(items, tail);
  } else if (has(tail, 'DISTINCT')) {
    items.push({ t: 'binary', op: has(tail, 'NOT') ? 'NOT DISTINCT' : 'DISTINCT', prec: IS });
    pushOperand(items, tail);
  } else {
    const prec = has(tail, 'IS') || has(tail, 'ISNULL') || has(tail, 'NOTNULL') ? IS : PREDICATE;
    items.push({ t: 'postfix', node: tail, prec, end: endOf(tail) });
  }
}

/** Precedence climbing over the flat sequence; all binary operators are left-associative. */
function climb(cursor: { items: Item[]; pos: number }, minPrec: number): Built {
  let left = prefixOrAtom(cursor);
  for (;;) {
    const item = cursor.items[cursor.pos];
    if (item === undefined) return left;
    if (item.t === 'binary') {
      if (item.prec < minPrec) return left;
      cursor.pos++;
      const right = climb(cursor, item.prec + 1);
      const s = span(left.start, right.end);
      const expr: Expr = item.op === 'DISTINCT' || item.op === 'NOT DISTINCT'
        ? { kind: 'IsDistinctFrom', left: left.expr, right: right.expr, negated: item.op === 'NOT DISTINCT', span: s }
        : { kind: 'BinaryOp', op: item.op, left: left.expr, right: right.expr, span: s };
      left = { expr, start: left.start, end: right.end };
    } else if (item.t === 'postfix') {
      if (item.prec < minPrec) return left;
      cursor.pos++;
      left = { expr: applyPredicate(item.node, left.expr, span(left.start, item.end)), start: left.start, end: item.end };
    } else {
      throw new Error('operand where an operator was expected');
    }
  }
}

function prefixOrAtom(cursor: { items: Item[]; pos: number }): Built {
  const item = cursor.items[cursor.pos++];
  if (item === undefined) throw new Error('missing operand');
  if (item.t === 'atom') return item;
  if (item.t !== 'prefix') throw new Error('operator where an operand was expected');
  const operand = climb(cursor, (item.op === 'NOT' ? NOT : UNARY) + 1);
  return {
    expr: { kind: 'UnaryOp', op: item.op, operand: operand.expr, span: span(item.start, operand.end) },
    start: item.start,
    end: operand.end,
  };
}

/** IS ..., ISNULL, NOTNULL, BETWEEN, IN, LIKE / ILIKE / SIMILAR TO applied to `operand`. */
function applyPredicate(tail: CstNode, operand: Expr, s: ReturnType<typeof span>): Expr {
  const negated = has(tail, 'NOT');
  if (has(tail, 'IS')) {
    if (has(tail, 'NULL')) return { kind: 'IsNull', operand, negated, span: s };
    const value = has(tail, 'TRUE') ? true : has(tail, 'FALSE') ? false : null;
    return { kind: 'IsTruth', operand, value, negated, span: s };
  }
  if (has(tail, 'ISNULL')) return { kind: 'IsNull', operand, negated: false, span: s };
  if (has(tail, 'NOTNULL')) return { kind: 'IsNull', operand, negated: true, span: s };
  if (has(tail, 'BETWEEN')) {
    return {
      kind: 'Between', operand,
      low: visitExpression(child(tail, 'low')),
      high: visitExpression(child(tail, 'high')),
      negated, symmetric: has(tail, 'SYMMETRIC'), span: s,
    };
  }
  if (has(tail, 'IN')) {
    const paren = child(tail, 'parenExpr');
    const query = optChild(paren, 'query');
    if (query !== undefined) return { kind: 'InSubquery', operand, query: visitQuery(query), negated, span: s };
    return { kind: 'InList', operand, list: children(paren, 'expression').map(visitExpression), negated, span: s };
  }
  const op = has(tail, 'LIKE') ? 'LIKE' : has(tail, 'ILIKE') ? 'ILIKE' : 'SIMILAR TO';
  const like: Mutable<Extract<Expr, { kind: 'Like' }>> = {
    kind: 'Like', op, operand, pattern: visitExpression(child(tail, 'pattern')), negated, span: s,
  };
  const escape = optChild(tail, 'escape');
  if (escape !== undefined) like.escape = visitExpression(escape);
  return like;
}

// ---- Primaries ---------------------------------------------------------------------

function visitPrimary(node: CstNode): Expr {
  const c = node.children;
  if (c['Ident'] !== undefined) return visitName(node);
  const number = c['Number'];
  if (number !== undefined) {
    const t = number[0] as IToken;
    return { kind: 'Literal', value: { type: 'number', text: t.image }, span: tokenSpan(t) };
  }
  const string = c['StringLit'];
  if (string !== undefined) {
    const t = string[0] as IToken;
    const escape = optToken(node, 'uescape');
    let value: string;
    if (escape !== undefined) {
      if (t.tokenType !== T.UString) throw errorNear(token(node, 'UESCAPE'), 'UESCAPE must follow a U& string');
      const e = decodeLiteral(escape, (image) => {
        const character = decodePlainString(image);
        checkUescape(character);
        return character;
      });
      value = decodeLiteral(t, (image) => decodeUnicodeString(image, e));
    } else {
      value = decodeString(t);
    }
    return { kind: 'Literal', value: { type: 'string', value }, span: span(t.startOffset, endOf(node)) };
  }
  if (c['parenExpr'] !== undefined) return visitParenExpr(child(node, 'parenExpr'));
  const simple = c['TRUE'] ?? c['FALSE'] ?? c['NULL'];
  if (simple !== undefined) {
    const t = simple[0] as IToken;
    const value: Literal['value'] = t.tokenType === K.NULL
      ? { type: 'null' }
      : { type: 'boolean', value: t.tokenType === K.TRUE };
    return { kind: 'Literal', value, span: tokenSpan(t) };
  }
  const x = c['XString'];
  if (x !== undefined) {
    const t = x[0] as IToken;
    return { kind: 'Literal', value: { type: 'bytes', hex: decodeLiteral(t, decodeHexString) }, span: tokenSpan(t) };
  }
  const param = c['Parameter'];
  if (param !== undefined) {
    const t = param[0] as IToken;
    return { kind: 'Parameter', index: Number(t.image.slice(1)), span: tokenSpan(t) };
  }
  if (c['caseExpr'] !== undefined) return visitCase(child(node, 'caseExpr'));
  if (c['castExpr'] !== undefined) return visitCast(child(node, 'castExpr'));
  if (c['intervalExpr'] !== undefined) return visitInterval(child(node, 'intervalExpr'));
  if (c['extractExpr'] !== undefined) return visitExtract(child(node, 'extractExpr'));
  if (c['trimExpr'] !== undefined) return visitTrim(child(node, 'trimExpr'));
  if (c['substringExpr'] !== undefined) return visitSubstring(child(node, 'substringExpr'));
  if (c['positionExpr'] !== undefined) {
    const p = child(node, 'positionExpr');
    return {
      kind: 'Position',
      needle: visitExpression(child(p, 'needle')),
      haystack: visitExpression(child(p, 'haystack')),
      span: nodeSpan(p),
    };
  }
  if (c['overlayExpr'] !== undefined) return visitOverlay(child(node, 'overlayExpr'));
  if (c['existsExpr'] !== undefined) {
    const e = child(node, 'existsExpr');
    return { kind: 'Exists', query: visitQuery(child(e, 'query')), span: nodeSpan(e) };
  }
  if (c['rowExpr'] !== undefined) {
    const r = child(node, 'rowExpr');
    return { kind: 'RowConstructor', items: children(r, 'expression').map(visitExpression), explicit: true, span: nodeSpan(r) };
  }
  if (c['arrayExpr'] !== undefined) {
    const a = child(node, 'arrayExpr');
    return { kind: 'ArrayConstructor', items: children(a, 'expression').map(visitExpression), span: nodeSpan(a) };
  }
  const keywordCall = optToken(node, 'Niladic') ?? optToken(node, 'KeywordFunction');
  if (keywordCall !== undefined) {
    const name: Ident = { kind: 'Ident', value: keywordCall.image.toLowerCase(), quoted: false, span: tokenSpan(keywordCall) };
    const tail = optChild(node, 'functionCallTail');
    if (tail === undefined) {
      return { kind: 'FunctionCall', name: [name], args: [], distinct: false, star: false, bare: true, span: tokenSpan(keywordCall) };
    }
    return functionCall([name], tail, nodeSpan(node));
  }
  throw new Error(`unexpected primary ${Object.keys(c).join(', ')}`);
}

/** The decoded value of a string literal token of any spelling. */
export function decodeString(t: IToken): string {
  switch (t.tokenType) {
    case T.String: return decodeLiteral(t, decodePlainString);
    case T.EString: return decodeLiteral(t, decodeEscapeString);
    case T.UString: return decodeLiteral(t, (image) => decodeUnicodeString(image));
    case T.DollarString: return decodeLiteral(t, decodeDollarString);
    default: throw syntaxError(t);
  }
}

const TYPED_LITERALS: ReadonlyMap<string, 'DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ'> = new Map([
  ['date', 'DATE'], ['time', 'TIME'], ['timestamp', 'TIMESTAMP'], ['timestamp_ltz', 'TIMESTAMP_LTZ'],
] as const);

/** A name-led primary: column reference, function call, typed literal, RUNNING / FINAL. */
function visitName(node: CstNode): Expr {
  const s = nodeSpan(node);
  const navigated = optChild(node, 'navigated');
  if (navigated !== undefined) {
    const semantics = token(node, 'Ident').tokenType === K.RUNNING ? 'RUNNING' : 'FINAL';
    return { kind: 'NavigationSemantics', semantics, expr: visitPrimary(navigated), span: s };
  }
  const star = optToken(node, 'Star');
  if (star !== undefined) throw syntaxError(star);
  const parts = idents(tokens(node, 'Ident'));
  const tail = optChild(node, 'functionCallTail');
  if (tail !== undefined) return functionCall(parts, tail, s);
  const literal = optToken(node, 'typedValue');
  if (literal !== undefined) {
    const value = decodeString(literal);
    const first = parts[0] as Ident;
    const typed = parts.length === 1 && !first.quoted ? TYPED_LITERALS.get(first.value) : undefined;
    if (typed !== undefined) return { kind: 'TypedLiteral', type: typed, value, span: s };
    // `int4 '1'`, PostgreSQL's generic typed literal: a cast of the string.
    const type: TypeName = {
      kind: 'TypeName', name: parts.map((p) => (p.quoted ? p.value : p.value.toUpperCase())).join('.'), args: [],
      span: span(startOf(node), literal.startOffset),
    };
    return {
      kind: 'Cast', operand: { kind: 'Literal', value: { type: 'string', value }, span: tokenSpan(literal) },
      type, try: false, span: s,
    };
  }
  return { kind: 'ColumnRef', parts, span: s };
}

function functionCall(name: readonly Ident[], tail: CstNode, s: ReturnType<typeof span>): FunctionCall {
  const star = has(tail, 'Star');
  const call: Mutable<FunctionCall> = {
    kind: 'FunctionCall',
    name,
    args: star ? [] : children(tail, 'expression').map(visitExpression),
    distinct: has(tail, 'DISTINCT'),
    star,
    bare: false,
    span: s,
  };
  const argOrder = optChild(tail, 'orderByClause');
  const withinGroup = optChild(tail, 'withinGroup');
  if (argOrder !== undefined && withinGroup !== undefined) throw syntaxError(token(tail, 'WITHIN'));
  if (argOrder !== undefined) call.orderBy = visitOrderBy(argOrder);
  if (withinGroup !== undefined) {
    call.orderBy = visitOrderBy(withinGroup);
    call.withinGroup = true;
  }
  const filter = optChild(tail, 'filter');
  if (filter !== undefined) call.filter = visitExpression(filter);
  const nulls = children(tail, 'nullTreatment');
  if (nulls.length > 1) throw syntaxError(token(nulls[1] as CstNode, 'NULLS'));
  if (nulls[0] !== undefined) call.nulls = has(nulls[0], 'IGNORE') ? 'IGNORE' : 'RESPECT';
  const windowName = optToken(tail, 'windowName');
  if (windowName !== undefined) call.over = ident(windowName);
  const spec = optChild(tail, 'windowSpec');
  if (spec !== undefined) call.over = visitWindowSpec(spec);
  return call;
}

export function visitParenExpr(node: CstNode): Expr {
  const query = optChild(node, 'query');
  if (query !== undefined) return { kind: 'ScalarSubquery', query: visitQuery(query), span: nodeSpan(node) };
  const items = children(node, 'expression');
  if (items.length === 1) return visitExpression(items[0] as CstNode);
  return { kind: 'RowConstructor', items: items.map(visitExpression), explicit: false, span: nodeSpan(node) };
}

/** The sub-query of a `(SELECT ...)` expression, if that is what the node holds (for table function arguments). */
export function scalarSubqueryOf(expression: CstNode): CstNode | undefined {
  const c = expression.children;
  if (c['PrefixOp'] !== undefined || c['postfix'] !== undefined || c['exprTail'] !== undefined) return undefined;
  const paren = optChild(child(expression, 'primary'), 'parenExpr');
  return paren === undefined ? undefined : optChild(paren, 'query');
}

function visitCase(node: CstNode): Expr {
  const result: Mutable<Extract<Expr, { kind: 'Case' }>> = {
    kind: 'Case',
    whens: children(node, 'whenClause').map((w) => ({
      when: visitExpression(child(w, 'when')),
      then: visitExpression(child(w, 'then')),
    })),
    span: nodeSpan(node),
  };
  const operand = optChild(node, 'operand');
  if (operand !== undefined) result.operand = visitExpression(operand);
  const otherwise = optChild(node, 'else');
  if (otherwise !== undefined) result.else = visitExpression(otherwise);
  return result;
}

function visitCast(node: CstNode): Expr {
  return {
    kind: 'Cast',
    operand: visitExpression(child(node, 'expression')),
    type: visitTypeName(child(node, 'typeName')),
    try: has(node, 'TRY_CAST'),
    span: nodeSpan(node),
  };
}

function visitExtract(node: CstNode): Expr {
  const unitToken = optToken(node, 'TimeUnit');
  const stringToken = optToken(node, 'StringLit');
  const field = unitToken !== undefined
    ? timeUnit(unitToken)
    : timeUnit(stringToken as IToken, decodeString(stringToken as IToken));
  return { kind: 'Extract', field, source: visitExpression(child(node, 'expression')), span: nodeSpan(node) };
}

function visitTrim(node: CstNode): Expr {
  const where = has(node, 'LEADING') ? 'LEADING' : has(node, 'TRAILING') ? 'TRAILING' : 'BOTH';
  const first = optChild(node, 'first');
  const source = optChild(node, 'source');
  const chars = optChild(node, 'chars');
  const result: Mutable<Extract<Expr, { kind: 'Trim' }>> = {
    kind: 'Trim', where, source: visitExpression((source ?? first) as CstNode), span: nodeSpan(node),
  };
  // `TRIM('x' FROM s)`: the first expression is the characters.
  if (first !== undefined && source !== undefined) result.chars = visitExpression(first);
  else if (chars !== undefined) result.chars = visitExpression(chars);
  return result;
}

function visitSubstring(node: CstNode): Expr {
  const source = visitExpression(child(node, 'source'));
  const from = optChild(node, 'from');
  const forLength = optChild(node, 'for');
  if (from === undefined && forLength === undefined) {
    const keyword = token(node, 'SUBSTRING');
    return {
      kind: 'FunctionCall',
      name: [{ kind: 'Ident', value: 'substring', quoted: false, span: tokenSpan(keyword) }],
      args: [source, ...children(node, 'args').map(visitExpression)],
      distinct: false, star: false, bare: false, span: nodeSpan(node),
    };
  }
  const result: Mutable<Extract<Expr, { kind: 'Substring' }>> = { kind: 'Substring', source, span: nodeSpan(node) };
  if (from !== undefined) result.from = visitExpression(from);
  if (forLength !== undefined) result.for = visitExpression(forLength);
  return result;
}

function visitOverlay(node: CstNode): Expr {
  const result: Mutable<Extract<Expr, { kind: 'Overlay' }>> = {
    kind: 'Overlay',
    source: visitExpression(child(node, 'source')),
    placing: visitExpression(child(node, 'placing')),
    from: visitExpression(child(node, 'from')),
    span: nodeSpan(node),
  };
  const forLength = optChild(node, 'for');
  if (forLength !== undefined) result.for = visitExpression(forLength);
  return result;
}

function visitInterval(node: CstNode): Expr {
  const str = optToken(node, 'StringLit');
  const result: Mutable<Extract<Expr, { kind: 'IntervalLiteral' }>> = {
    kind: 'IntervalLiteral',
    value: str !== undefined ? decodeString(str) : token(node, 'Number').image,
    negative: has(node, 'Minus'),
    span: nodeSpan(node),
  };
  const qualifier = optChild(node, 'intervalQualifier');
  if (qualifier !== undefined) result.qualifier = visitIntervalQualifier(qualifier);
  return result;
}
