// Typed access to CST children, source spans, identifiers, and errors raised while building the AST.

import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Ident, Span } from '../ast/index.js';
import { ParseError, syntaxErrorMessage } from '../errors.js';
import type { RuleName } from '../grammar.js';
import type { LineIndex } from '../lexer/line-index.js';
import { decodeQuotedIdentifier, LiteralError } from '../lexer/literals.js';
import { T, type TokenName } from '../lexer/tokens.js';

/** Labels given to children in the grammar (`{ LABEL: ... }`). */
export type Label =
  | 'alias' | 'arg' | 'args' | 'arraySuffix' | 'base' | 'chars' | 'comment' | 'constraint' | 'count'
  | 'cursor' | 'else' | 'end' | 'escape' | 'filter' | 'first' | 'for' | 'from' | 'fromPrecision'
  | 'having' | 'haystack' | 'high' | 'job' | 'key' | 'low' | 'max' | 'min' | 'name' | 'navigated' | 'needle'
  | 'operand' | 'pattern' | 'placing' | 'qualify' | 'reluctant' | 'source' | 'start' | 'then' | 'to'
  | 'toPrecision' | 'typedValue' | 'uescape' | 'value' | 'variable' | 'watermark' | 'watermarkColumn' | 'when'
  | 'where' | 'windowName' | 'within' | 'withinGroup';

/** A key of a CST node's children: a rule name, a token (or category) name, or a label. */
export type ChildKey = RuleName | TokenName | Label;

function elements(node: CstNode, key: ChildKey): CstElement[] | undefined {
  return node.children[key];
}

export function has(node: CstNode, key: ChildKey): boolean {
  return node.children[key] !== undefined;
}

/** The first sub-node under `key`, which the grammar guarantees. */
export function child(node: CstNode, key: ChildKey): CstNode {
  const found = elements(node, key)?.[0];
  if (found === undefined) throw new Error(`CST node ${node.name} has no ${key}`);
  return found as CstNode;
}

export function optChild(node: CstNode, key: ChildKey): CstNode | undefined {
  return elements(node, key)?.[0] as CstNode | undefined;
}

export function children(node: CstNode, key: ChildKey): CstNode[] {
  return (elements(node, key) ?? []) as CstNode[];
}

export function token(node: CstNode, key: ChildKey): IToken {
  const found = elements(node, key)?.[0];
  if (found === undefined) throw new Error(`CST node ${node.name} has no token ${key}`);
  return found as IToken;
}

export function optToken(node: CstNode, key: ChildKey): IToken | undefined {
  return elements(node, key)?.[0] as IToken | undefined;
}

export function tokens(node: CstNode, key: ChildKey): IToken[] {
  return (elements(node, key) ?? []) as IToken[];
}

// ---- Spans ------------------------------------------------------------------------
// The visitor runs synchronously over one input at a time, so the line index
// of that input is kept here rather than passed to every function.

let lines: LineIndex | undefined;
let inputLength = 0;

/** Sets the text the following spans and errors refer to. */
export function beginInput(index: LineIndex, length: number): void {
  lines = index;
  inputLength = length;
}

export function span(start: number, end: number): Span {
  const index = lines as LineIndex;
  const line = index.line(start);
  return { start, end, line, column: index.column(start, line) };
}

/** Offset one past the last character of a token. */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

export function tokenSpan(t: IToken): Span {
  return span(t.startOffset, tokenEnd(t));
}

/** Start offset of a node (offsets come from chevrotain's node location tracking). */
export function startOf(node: CstNode): number {
  return (node.location as { startOffset: number }).startOffset;
}

/** Offset one past the end of a node. */
export function endOf(node: CstNode): number {
  const location = node.location as { startOffset: number; endOffset: number };
  // An empty rule (e.g. `()` in a pattern) ends before it starts.
  return Math.max(location.endOffset + 1, location.startOffset);
}

export function nodeSpan(node: CstNode): Span {
  return span(startOf(node), endOf(node));
}

// ---- Identifiers ------------------------------------------------------------------

/** An identifier token as an Ident: unquoted names fold to lower case. */
export function ident(t: IToken): Ident {
  if (t.tokenType === T.QuotedIdentifier || t.tokenType === T.BacktickIdentifier) {
    return { kind: 'Ident', value: decodeLiteral(t, decodeQuotedIdentifier), quoted: true, span: tokenSpan(t) };
  }
  return { kind: 'Ident', value: t.image.toLowerCase(), quoted: false, span: tokenSpan(t) };
}

export function idents(ts: readonly IToken[]): Ident[] {
  return ts.map(ident);
}

// ---- Errors -----------------------------------------------------------------------

/** A syntax error found while building the AST, at a token (or at an offset). */
export function syntaxError(at: IToken | number, message?: string): ParseError {
  const offset = typeof at === 'number' ? at : at.startOffset;
  const image = typeof at === 'number' ? '' : at.image;
  const index = lines as LineIndex;
  const line = index.line(offset);
  return new ParseError([{
    message: message ?? syntaxErrorMessage(image),
    offset,
    line,
    column: index.column(offset, line),
    token: image,
    expected: [],
  }]);
}

/** `message at or near "token"`, as PostgreSQL words errors about a token. */
export function errorNear(at: IToken, message: string): ParseError {
  return syntaxError(at, `${message} at or near "${at.image}"`);
}

/** Decodes a literal token, turning a decoding error into a syntax error at the right offset. */
export function decodeLiteral<R>(t: IToken, decode: (image: string) => R): R {
  try {
    return decode(t.image);
  } catch (e) {
    if (e instanceof LiteralError) {
      const index = lines as LineIndex;
      const offset = t.startOffset + e.offset;
      const line = index.line(offset);
      throw new ParseError([{
        message: `${e.message} at or near "${t.image}"`,
        offset,
        line,
        column: index.column(offset, line),
        token: t.image,
        expected: [],
      }]);
    }
    throw e;
  }
}

/** The offset of the end of the input (for errors at end of input). */
export function endOfInput(): number {
  return inputLength;
}

/** A writable view of a readonly AST type, for building nodes field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
