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
 * Splits SQL text into tokens. Identifiers spelling a keyword get the keyword's
 * token type; a lexical error (an unterminated string or comment, a character
 * that starts no token) is reported as PostgreSQL words it.
 */
export function tokenize(sql: string, lines: LineIndex): LexResult {
  const result = sqlLexer.tokenize(sql);
  const errors: SyntaxErrorDetail[] = [];
  const tokens = result.tokens;
  const identifierIdx = T.Identifier.tokenTypeIdx;
  let keep = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as IToken;
    // Offset-only tokens carry no end; the parser's node locations need it.
    token.endOffset = token.startOffset + token.image.length - 1;
    if (token.tokenTypeIdx === identifierIdx) {
      const keyword = KEYWORDS_BY_TEXT.get(token.image.toLowerCase());
      if (keyword !== undefined) {
        token.tokenType = keyword;
        token.tokenTypeIdx = keyword.tokenTypeIdx as number;
      }
    } else {
      const unterminated = unterminatedMessages.get(token.tokenType);
      if (unterminated !== undefined) {
        errors.push(lexError(`${unterminated(token.image)} at or near "${token.image}"`, token.startOffset, token.image, lines));
        continue;
      }
    }
    tokens[keep++] = token;
  }
  tokens.length = keep;
  for (const error of result.errors) {
    const image = sql.substr(error.offset, error.length);
    errors.push(lexError(syntaxErrorMessage(image), error.offset, image, lines));
  }
  errors.sort((a, b) => a.offset - b.offset);
  return { tokens, errors };
}

function lexError(message: string, offset: number, token: string, lines: LineIndex): SyntaxErrorDetail {
  const line = lines.line(offset);
  return { message, offset, line, column: lines.column(offset, line), token, expected: [] };
}
