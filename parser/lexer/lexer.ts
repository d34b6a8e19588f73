// The SQL lexer: chevrotain's Lexer over a few patterns, then keywords re-typed from identifiers.

import { Lexer, type IToken, type TokenType } from 'chevrotain';
import { syntaxErrorMessage, type SyntaxErrorDetail } from '../errors.js';
import type { LineIndex } from './line-index.js';
import { KEYWORDS_BY_TEXT, LEXER_TOKENS, T } from './tokens.js';

const sqlLexer = new Lexer(LEXER_TOKENS, {
  positionTracking: 'onlyOffset',
  // Line numbers are computed only where a span or an error needs them (LineIndex).
  ensureOptimizations: false,
});

export interface LexResult {
  readonly tokens: IToken[];
  readonly errors: SyntaxErrorDetail[];
}

const unterminatedMessages: ReadonlyMap<TokenType, (image: string) => string> = new Map<TokenType, (image: string) => string>([
  [T.UnterminatedString, (image: string) =>
    /^[xX]/.test(image) ? 'unterminated hexadecimal string literal' : 'unterminated quoted string'],
  [T.UnterminatedIdentifier, () => 'unterminated quoted identifier'],
  [T.UnterminatedComment, () => 'unterminated /* comment'],
]);

/**
 * Splits SQL text (or the part of it from `start` to `end`) into tokens whose
 * offsets are into the whole text. Identifiers spelling a keyword get the
 * keyword's token type; a lexical error (an unterminated string or comment, a
 * character that starts no token) is reported as PostgreSQL words it.
 */
export function tokenize(sql: string, lines: LineIndex, start = 0, end = sql.length): LexResult {
  const result = sqlLexer.tokenize(start === 0 && end === sql.length ? sql : sql.slice(start, end));
  const errors: SyntaxErrorDetail[] = [];
  const tokens = result.tokens;
  const identifierIdx = T.Identifier.tokenTypeIdx;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as IToken;
    token.startOffset += start;
    // Offset-only tokens carry no end; the parser's node locations need it.
    token.endOffset = token.startOffset + token.image.length - 1;
    if (token.tokenTypeIdx === identifierIdx) {
      const keyword = KEYWORDS_BY_TEXT.get(token.image.toLowerCase());
      if (keyword !== undefined) {
        token.tokenType = keyword;
        token.tokenTypeIdx = keyword.tokenTypeIdx as number;
      }
    }
  }
  // An unterminated string, identifier or comment runs to the end: it can only be the last token.
  const last = tokens[tokens.length - 1];
  const unterminated = last === undefined ? undefined : unterminatedMessages.get(last.tokenType);
  if (last !== undefined && unterminated !== undefined) {
    tokens.pop();
    errors.push(lexError(`${unterminated(last.image)} at or near "${last.image}"`, last.startOffset, last.image, lines));
  }
  for (const error of result.errors) {
    const offset = error.offset + start;
    const image = sql.substr(offset, error.length);
    errors.push(lexError(syntaxErrorMessage(image), offset, image, lines));
  }
  errors.sort((a, b) => a.offset - b.offset);
  return { tokens, errors };
}

function lexError(message: string, offset: number, token: string, lines: LineIndex): SyntaxErrorDetail {
  const line = lines.line(offset);
  return { message, offset, line, column: lines.column(offset, line), token, expected: [] };
}
