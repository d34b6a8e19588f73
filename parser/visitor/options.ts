// CST -> AST for WITH (...) option lists and option values, shared by DDL, COPY, SUBSCRIBE, FETCH and SET.

import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { OptionEntry } from '../ast/index.js';
import { children, ident, nodeSpan, optChild, optToken, tokens } from './cst.js';
import { decodeString } from './expressions.js';
import { T } from '../lexer/tokens.js';

const STRING_TOKENS: ReadonlySet<TokenType> = new Set([T.String, T.EString, T.UString, T.DollarString]);

/** Whether a token is a character string literal of any spelling. */
export function isStringToken(t: IToken): boolean {
  return STRING_TOKENS.has(t.tokenType);
}

export function visitOptionList(node: CstNode | undefined): OptionEntry[] {
  if (node === undefined) return [];
  return children(node, 'optionEntry').map((entry) => ({
    key: optionKey(tokens(entry, 'key')),
    value: optionValueText(optChild(entry, 'optionValue')) ?? '',
    span: nodeSpan(entry),
  }));
}

/** `'scan.startup.mode'`, `format`, `a.b`, or one of the reserved words NULL / DEFAULT / ESCAPE. */
export function optionKey(parts: readonly IToken[]): string {
  const first = parts[0] as IToken;
  if (isStringToken(first)) return decodeString(first);
  return parts.map((p) => ident(p).value).join('.');
}

/** The text of an option value as written: strings decoded, words lower-cased, numbers with their sign. */
export function optionValueText(node: CstNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const str = optToken(node, 'StringLit');
  if (str !== undefined) return decodeString(str);
  const number = optToken(node, 'Number');
  if (number !== undefined) return (optToken(node, 'Minus') !== undefined ? '-' : '') + number.image;
  const word = optToken(node, 'Ident');
  if (word !== undefined) return ident(word).value;
  const keyword = optToken(node, 'TRUE') ?? optToken(node, 'FALSE') ?? optToken(node, 'ON') ?? optToken(node, 'NULL');
  return keyword === undefined ? undefined : keyword.image.toLowerCase();
}
