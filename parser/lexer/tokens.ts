// Token types of the SQL lexer: categories, keywords, literals, operators.

import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from 'chevrotain';
import {
  NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS, TIME_UNIT_KEYWORDS, type Keyword,
} from './keywords.js';

// ---- Categories -----------------------------------------------------------
// A category matches any of its member token types in the grammar, so one
// CONSUME covers e.g. every word that may serve as an identifier.

/** Anything usable as an identifier: plain and quoted identifiers, non-reserved keywords. */
const Ident = createToken({ name: 'Ident', pattern: Lexer.NA, label: 'identifier' });
/** Interval qualifier units and EXTRACT fields. */
const TimeUnit = createToken({ name: 'TimeUnit', pattern: Lexer.NA, label: 'time unit' });
/** Binary operators of the flat expression grammar (precedence is applied in the visitor). */
const BinOp = createToken({ name: 'BinOp', pattern: Lexer.NA, label: 'operator' });
/** The operators allowed in the operands of BETWEEN, LIKE and POSITION (PostgreSQL's b_expr). */
const ArithOp = createToken({ name: 'ArithOp', pattern: Lexer.NA, label: 'operator' });
/** Prefix operators: `+`, `-`, `NOT`. */
const PrefixOp = createToken({ name: 'PrefixOp', pattern: Lexer.NA, label: 'operator' });
/** Character string literals in their different spellings. */
const StringLit = createToken({ name: 'StringLit', pattern: Lexer.NA, label: 'string' });
/** Niladic functions written without parentheses: CURRENT_TIMESTAMP, LOCALTIME, ... */
const Niladic = createToken({ name: 'Niladic', pattern: Lexer.NA, label: 'function' });
/** Reserved words that are also function names when followed by `(`: LEFT, RIGHT, GROUPING. */
const KeywordFunction = createToken({ name: 'KeywordFunction', pattern: Lexer.NA, label: 'function' });

// ---- Whitespace and comments ----------------------------------------------

/** White space, and a byte-order mark that editors may leave at the start of a file. */
const WhiteSpace = createToken({
  name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true,
});
const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });

/** `/* ... *\/` with nesting, as PostgreSQL allows. */
function matchBlockComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  let depth = 1;
  let i = offset + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 42 && text.charCodeAt(i + 1) === 47) {
      i += 2;
      if (--depth === 0) return [text.slice(offset, i)];
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      i += 2;
      depth++;
    } else {
      i++;
    }
  }
  return null;
}
const BlockComment = createToken({
  name: 'BlockComment', pattern: { exec: matchBlockComment }, start_chars_hint: ['/'],
  group: Lexer.SKIPPED, line_breaks: true,
});

// ---- Literals ---------------------------------------------------------------

/** `E'...'` with backslash escapes. */
const EString = createToken({
  name: 'EString', pattern: /[eE]'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'/, categories: [StringLit],
  line_breaks: true, label: 'string',
});
/** `U&'...'` with Unicode escapes (optionally followed by UESCAPE). */
const UString = createToken({
  name: 'UString', pattern: /[uU]&'[^']*(?:''[^']*)*'/, categories: [StringLit], line_breaks: true,
  label: 'string',
});
/** `X'0AFF'` */
const XString = createToken({ name: 'XString', pattern: /[xX]'[^']*'/, line_breaks: true, label: 'string' });
const StringToken = createToken({
  name: 'String', pattern: /'[^']*(?:''[^']*)*'/, categories: [StringLit], line_breaks: true,
  label: 'string',
});

/** `$$...$$` and `$tag$...$tag$` */
function matchDollarString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 36) return null;
  const tagEnd = text.indexOf('$', offset + 1);
  if (tagEnd < 0) return null;
  const tag = text.slice(offset, tagEnd + 1);
  if (tag.length > 2 && !/^\$[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*\$$/.test(tag)) return null;
  const close = text.indexOf(tag, tagEnd + 1);
  if (close < 0) return null;
  return [text.slice(offset, close + tag.length)];
}
const DollarString = createToken({
  name: 'DollarString', pattern: { exec: matchDollarString }, start_chars_hint: ['$'],
  categories: [StringLit], line_breaks: true, label: 'string',
});

/**
 * What is left when a string, quoted identifier or comment has no end: the
 * lexer turns these into PostgreSQL's "unterminated ..." errors.
 */
const UnterminatedString = createToken({
  name: 'UnterminatedString', pattern: /(?:[eE]|[uU]&|[xX])?'[\s\S]*/, line_breaks: true,
});
const UnterminatedIdentifier = createToken({ name: 'UnterminatedIdentifier', pattern: /["`][\s\S]*/, line_breaks: true });
const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });

const NumberToken = createToken({
  name: 'Number', pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/, label: 'number',
});
const Parameter = createToken({ name: 'Parameter', pattern: /\$\d+/, label: 'parameter' });

const Identifier = createToken({
  name: 'Identifier', pattern: /[A-Za-z_\u0080-\uffff][A-Za-z_0-9$\u0080-\uffff]*/, categories: [Ident],
  label: 'identifier',
});
const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier', pattern: /"[^"]*(?:""[^"]*)*"/, categories: [Ident], line_breaks: true,
  label: 'identifier',
});
/** Flink's quoting with backticks (a doubled backtick inside stands for one). */
const BacktickIdentifier = createToken({
  name: 'BacktickIdentifier', pattern: /`[^`]*(?:``[^`]*)*`/, categories: [Ident], line_breaks: true,
  label: 'identifier',
});

// ---- Operators and punctuation ----------------------------------------------

function op(name: string, pattern: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, categories, label: `'${pattern}'` });
}

const DoubleColon = op('DoubleColon', '::');
const Arrow = op('Arrow', '=>');
const Le = op('Le', '<=', [BinOp]);
const Ge = op('Ge', '>=', [BinOp]);
const Neq = op('Neq', '<>', [BinOp]);
const BangEq = op('BangEq', '!=', [BinOp]);
const Concat = op('Concat', '||', [BinOp, ArithOp]);
const LExclusion = op('LExclusion', '{-');
const RExclusion = op('RExclusion', '-}');
const LParen = op('LParen', '(');
const RParen = op('RParen', ')');
const LBracket = op('LBracket', '[');
const RBracket = op('RBracket', ']');
const LBrace = op('LBrace', '{');
const RBrace = op('RBrace', '}');
const Comma = op('Comma', ',');
const Semicolon = op('Semicolon', ';');
const Dot = op('Dot', '.');
const Plus = op('Plus', '+', [BinOp, ArithOp, PrefixOp]);
const Minus = op('Minus', '-', [BinOp, ArithOp, PrefixOp]);
const Star = op('Star', '*', [BinOp, ArithOp]);
const Slash = op('Slash', '/', [BinOp, ArithOp]);
const Percent = op('Percent', '%', [BinOp, ArithOp]);
const Caret = op('Caret', '^', [BinOp, ArithOp]);
const Lt = op('Lt', '<', [BinOp]);
const Gt = op('Gt', '>', [BinOp]);
const Eq = op('Eq', '=', [BinOp]);
const Pipe = op('Pipe', '|');
const Question = op('Question', '?');
const Colon = op('Colon', ':');
const Dollar = op('Dollar', '$');

// ---- Keywords -------------------------------------------------------------------
// Keywords are not matched by the lexer: an Identifier whose lower-cased text
// is a keyword is re-typed afterwards (see lexer.ts), which keeps the lexer
// to a handful of patterns.

function categoriesOf(word: Keyword): TokenType[] {
  switch (word) {
    case 'AND': case 'OR': return [BinOp];
    case 'NOT': return [PrefixOp];
    case 'CURRENT_DATE': case 'CURRENT_TIME': case 'CURRENT_TIMESTAMP': case 'LOCALTIME':
    case 'LOCALTIMESTAMP': case 'CURRENT_USER': case 'SESSION_USER': case 'CURRENT_CATALOG':
    case 'CURRENT_SCHEMA':
      return [Niladic];
    case 'LEFT': case 'RIGHT': case 'GROUPING': return [KeywordFunction];
    default: return [];
  }
}

function makeKeywords(): Record<Keyword, TokenType> {
  const result: Partial<Record<Keyword, TokenType>> = {};
  for (const word of RESERVED_KEYWORDS) {
    result[word] = createToken({ name: word, pattern: Lexer.NA, categories: categoriesOf(word), label: word });
  }
  for (const word of NON_RESERVED_KEYWORDS) {
    result[word] = createToken({ name: word, pattern: Lexer.NA, categories: [Ident], label: word });
  }
  for (const word of TIME_UNIT_KEYWORDS) {
    result[word] = createToken({ name: word, pattern: Lexer.NA, categories: [Ident, TimeUnit], label: word });
  }
  return result as Record<Keyword, TokenType>;
}

/** Keyword token types by keyword. */
export const K = makeKeywords();

/** Keyword token types by lower-cased spelling, for the lexer's re-typing pass. */
export const KEYWORDS_BY_TEXT: ReadonlyMap<string, TokenType> = new Map(
  Object.entries(K).map(([word, type]) => [word.toLowerCase(), type]),
);

/** All non-keyword token types by name. */
export const T = {
  Ident, TimeUnit, BinOp, ArithOp, PrefixOp, StringLit, Niladic, KeywordFunction,
  WhiteSpace, LineComment, BlockComment, EString, UString, XString, String: StringToken, DollarString,
  UnterminatedString, UnterminatedIdentifier, UnterminatedComment, Number: NumberToken, Parameter,
  Identifier, QuotedIdentifier, BacktickIdentifier,
  DoubleColon, Arrow, Le, Ge, Neq, BangEq, Concat, LExclusion, RExclusion, LParen, RParen,
  LBracket, RBracket, LBrace, RBrace, Comma, Semicolon, Dot, Plus, Minus, Star, Slash, Percent,
  Caret, Lt, Gt, Eq, Pipe, Question, Colon, Dollar,
} as const;

export type TokenName = keyof typeof T | Keyword;

/** The lexer's patterns, in the order they are tried (longer operators first). */
export const LEXER_TOKENS: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  EString, UString, XString, StringToken, UnterminatedString,
  NumberToken, DollarString, Parameter, Dollar,
  Identifier, QuotedIdentifier, BacktickIdentifier, UnterminatedIdentifier,
  DoubleColon, Arrow, Le, Ge, Neq, BangEq, Concat, LExclusion, RExclusion,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Semicolon, Dot,
  Plus, Minus, Star, Slash, Percent, Caret, Lt, Gt, Eq, Pipe, Question, Colon,
];

/** Every token type the parser knows: the lexer's, the keywords and the categories. */
export const ALL_TOKENS: TokenType[] = [
  Ident, TimeUnit, BinOp, ArithOp, PrefixOp, StringLit, Niladic, KeywordFunction,
  ...LEXER_TOKENS,
  ...Object.values(K),
];
