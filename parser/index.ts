// The SQL parser's public API: text in, typed AST out, every syntax error reported with its position.
//
// Pipeline: lexer/split.ts cuts a script at its statement-ending semicolons;
// lexer/lexer.ts tokenizes one statement (keywords re-typed from identifiers);
// the chevrotain grammar (grammar*.ts) builds a CST, re-parsing with error
// recovery only when there is an error; visitor/*.ts turns the CST into the AST
// of ast/*.ts, applying operator precedence to the flat expression lists.
//
// Dialect decisions worth knowing:
// - Reserved words are those of lexer/keywords.ts; every other keyword is also
//   an identifier. EXTRACT, POSITION, SUBSTRING, TRIM, OVERLAY, CAST, INTERVAL,
//   ROW, GROUPING, CUBE, ROLLUP, FILTER, OVER, ESCAPE, DESCRIPTOR and QUALIFY are
//   reserved here, so a column with such a name must be quoted.
// - Identifiers may be quoted with "..." (PostgreSQL) or `...` (Flink).
// - Comparison operators associate to the left (PostgreSQL rejects `a = b = c`).
// - A `$` ending a name is part of it (`A$`), as in PostgreSQL: write `A $` for
//   the end anchor of a MATCH_RECOGNIZE pattern.
// - Nesting deeper than a few hundred levels fails with 54001.

import type { IRecognitionException, IToken } from 'chevrotain';
import type { Expr, Span, Statement } from './ast/index.js';
import { SqlError } from '../common/errors.js';
import { ParseError, syntaxErrorMessage, type SyntaxErrorDetail } from './errors.js';
import type { EncodedError } from './grammar-errors.js';
import { fastParser, recoveringParser, type SqlGrammar } from './grammar.js';
import { tokenize } from './lexer/lexer.js';
import { LineIndex } from './lexer/line-index.js';
import { splitStatements } from './lexer/split.js';
import { T } from './lexer/tokens.js';
import { beginInput, child, span, tokenEnd } from './visitor/cst.js';
import { visitExpression } from './visitor/expressions.js';
import { visitStatement } from './visitor/statement.js';

export type * from './ast/index.js';
export { ParseError, type SyntaxErrorDetail } from './errors.js';

/** One statement of a script, with its text (without the terminating `;`) and where it is. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: Span;
}

/**
 * Parses a script of statements separated by `;` (empty statements are
 * skipped). Spans are offsets into `sql`. Throws a ParseError listing every
 * syntax error of every statement.
 *
 * @example
 *   parseStatements('SET a = 1; SELECT * FROM t;').map((s) => s.statement.kind)  // ['Set', 'Query']
 */
export function parseStatements(sql: string): ParsedStatement[] {
  const lines = new LineIndex(sql);
  beginInput(lines, sql.length);
  const results: ParsedStatement[] = [];
  const errors: SyntaxErrorDetail[] = [];
  // Each statement is lexed and parsed on its own, from its first token
  // through its `;`: an error in one statement does not hide the errors of
  // the next, and a statement's tokens and CST are garbage once it is done.
  for (const range of splitStatements(sql)) {
    const lexed = tokenize(sql, lines, range.start, range.end);
    // A statement holding a lexical error is not parsed: the lexer's error says it all.
    if (lexed.errors.length > 0) {
      errors.push(...lexed.errors);
      continue;
    }
    const tokens = lexed.tokens;
    const last = tokens[tokens.length - 1];
    if (last === undefined) continue;
    const end = last.tokenType === T.Semicolon ? tokens[tokens.length - 2] : last;
    if (end === undefined) continue;
    const statement = guardDepth(() => parseChunk(tokens, sql, lines, errors));
    if (statement !== undefined) {
      const first = tokens[0] as IToken;
      const stop = tokenEnd(end);
      results.push({ statement, text: sql.slice(first.startOffset, stop), span: span(first.startOffset, stop) });
    }
  }
  if (errors.length > 0) throw new ParseError(sortErrors(errors));
  return results;
}

/**
 * Parses exactly one statement (a trailing `;` is allowed).
 *
 * @example
 *   parseStatement('SELECT 1').kind  // 'Query'
 */
export function parseStatement(sql: string): Statement {
  const statements = parseStatements(sql);
  const second = statements[1];
  if (second !== undefined) {
    const lines = new LineIndex(sql);
    throw new ParseError([detail('cannot insert multiple commands into a prepared statement', second.span.start, lines, '', [])]);
  }
  const only = statements[0];
  if (only === undefined) throw new ParseError([detail(syntaxErrorMessage(''), sql.length, new LineIndex(sql), '', [])]);
  return only.statement;
}

/**
 * Parses one scalar expression.
 *
 * @example
 *   parseExpression('a + 1').kind  // 'BinaryOp'
 */
export function parseExpression(sql: string): Expr {
  return guardDepth(() => parseExpressionText(sql));
}

function parseExpressionText(sql: string): Expr {
  const lines = new LineIndex(sql);
  beginInput(lines, sql.length);
  const { tokens, errors } = tokenize(sql, lines);
  if (errors.length > 0) throw new ParseError(errors);
  const parser = fastParser();
  parser.input = tokens;
  const cst = parser.expressionEntry();
  if (parser.errors.length > 0) {
    const recovering = recoveringParser();
    recovering.input = tokens;
    recovering.expressionEntry();
    throw new ParseError(sortErrors(convertErrors(recovering, parser, sql.length, lines)));
  }
  return visitExpression(child(cst, 'expression'));
}

/**
 * Runs a parse, turning a JavaScript stack overflow (thousands of nested
 * parentheses) into PostgreSQL's error for the same thing.
 */
function guardDepth<R>(parse: () => R): R {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) {
      throw new SqlError('54001', 'stack depth limit exceeded', {
        hint: 'The statement nests too deeply; simplify it or split it up.',
      });
    }
    throw e;
  }
}

/** Parses one statement's tokens; on errors, adds them to `errors` and returns undefined. */
function parseChunk(chunk: IToken[], sql: string, lines: LineIndex, errors: SyntaxErrorDetail[]): Statement | undefined {
  const parser = fastParser();
  parser.input = chunk;
  const cst = parser.statementEntry();
  if (parser.errors.length === 0) {
    try {
      return visitStatement(child(cst, 'statement'));
    } catch (e) {
      if (e instanceof ParseError) {
        errors.push(...e.errors);
        return undefined;
      }
      throw e;
    }
  }
  // Re-parse with error recovery to find every error of the statement.
  const recovering = recoveringParser();
  recovering.input = chunk;
  recovering.statementEntry();
  errors.push(...convertErrors(recovering, parser, sql.length, lines));
  return undefined;
}

function convertErrors(recovering: SqlGrammar, fast: SqlGrammar, end: number, lines: LineIndex): SyntaxErrorDetail[] {
  const found = recovering.errors.length > 0 ? recovering.errors : fast.errors;
  const seen = new Set<number>();
  const result: SyntaxErrorDetail[] = [];
  for (const e of found) {
    const converted = convertError(e, end, lines);
    if (seen.has(converted.offset)) continue;
    seen.add(converted.offset);
    result.push(converted);
  }
  return result;
}

/** A chevrotain error as a SyntaxErrorDetail; `end` is the offset of the end of input. */
function convertError(e: IRecognitionException, end: number, lines: LineIndex): SyntaxErrorDetail {
  let encoded: EncodedError;
  try {
    encoded = JSON.parse(e.message) as EncodedError;
  } catch {
    const t = e.token;
    encoded = { offset: Number.isNaN(t.startOffset) ? -1 : t.startOffset, image: t.image, expected: [] };
  }
  const offset = encoded.offset < 0 ? end : encoded.offset;
  return detail(syntaxErrorMessage(encoded.image), offset, lines, encoded.image, encoded.expected);
}

function detail(message: string, offset: number, lines: LineIndex, token: string, expected: readonly string[]): SyntaxErrorDetail {
  const line = lines.line(offset);
  return { message, offset, line, column: lines.column(offset, line), token, expected };
}

function sortErrors(errors: SyntaxErrorDetail[]): SyntaxErrorDetail[] {
  return [...errors].sort((a, b) => a.offset - b.offset);
}
