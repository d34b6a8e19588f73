// The SQL printer: canonical text for any AST the parser produces, such that parsing it gives the same AST back.

import type { Expr, PatternTerm, Query, Statement, TypeName } from '../ast/index.js';
import { printExpr as printExprAt } from './expressions.js';
import { printPattern as printPatternTerm } from './match-recognize.js';
import { printQuery as printQueryAt } from './queries.js';
import { printStatement as printStatementAt } from './statements.js';
import { printTypeName as printType } from './types.js';

/**
 * A statement in canonical form, without the terminating `;`: keywords in
 * upper case, one clause a line, nested queries indented.
 *
 * @example
 *   printStatement(parseStatement('select a from t where x=1'))
 *   // 'SELECT a\nFROM t\nWHERE x = 1'
 */
export function printStatement(s: Statement): string {
  return printStatementAt(s, '');
}

/**
 * A query in canonical form.
 *
 * @example
 *   printQuery(parseStatement('select 1 union select 2') as Query)  // 'SELECT 1\nUNION\nSELECT 2'
 */
export function printQuery(q: Query): string {
  return printQueryAt(q, '');
}

/**
 * An expression with the fewest parentheses that keep its tree.
 *
 * @example
 *   printExpr(parseExpression('(a+b)*c'))  // '(a + b) * c'
 */
export function printExpr(e: Expr): string {
  return printExprAt(e, '');
}

/**
 * A type name.
 *
 * @example
 *   printTypeName(castNode.type)  // 'DECIMAL(10, 2)'
 */
export function printTypeName(t: TypeName): string {
  return printType(t);
}

/**
 * A MATCH_RECOGNIZE row pattern, as written inside `PATTERN (...)`.
 *
 * @example
 *   printPattern(mr.pattern)  // 'a b+? (c | d){2,3}'
 */
export function printPattern(p: PatternTerm): string {
  return printPatternTerm(p);
}
