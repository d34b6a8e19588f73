// Syntax errors: PostgreSQL's 42601 with every error of the input and its position.

import { SqlError, SqlState } from '../common/errors.js';

/** One syntax error: where it is and what the parser expected there. */
export interface SyntaxErrorDetail {
  /** `syntax error at or near "FROM"`, `syntax error at end of input`, `unterminated quoted string at or near "'ab"`. */
  readonly message: string;
  /** 0-based offset into the parsed text. */
  readonly offset: number;
  /** 1-based line and column of `offset`. */
  readonly line: number;
  readonly column: number;
  /** The offending token as written; '' at end of input. */
  readonly token: string;
  /** What would have been accepted instead (keywords upper-case, punctuation quoted); may be empty. */
  readonly expected: readonly string[];
}

/**
 * A syntax error (SQLSTATE 42601). The message and position are the first
 * error's; `errors` lists every error found, in order.
 *
 * @example
 *   try { parseStatement('SELECT FROM WHERE') } catch (e) {
 *     if (e instanceof ParseError) console.log(e.message, e.position, e.errors.length);
 *   }
 */
export class ParseError extends SqlError {
  readonly errors: readonly SyntaxErrorDetail[];

  constructor(errors: readonly SyntaxErrorDetail[], fields: { detail?: string; hint?: string } = {}) {
    const first = errors[0];
    if (first === undefined) throw new Error('ParseError needs at least one error');
    super(SqlState.syntaxError, first.message, { ...fields, position: first.offset + 1 });
    this.name = 'ParseError';
    this.errors = errors;
  }
}

/** `syntax error at or near "x"`, or `... at end of input` for an empty token. */
export function syntaxErrorMessage(token: string): string {
  return token === '' ? 'syntax error at end of input' : `syntax error at or near "${token}"`;
}
