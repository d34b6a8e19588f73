// Test helpers: terse builders for expected AST shapes (spans left out) and parse-and-strip shortcuts.

import { expect } from 'chai';
import type {
  BinaryOperator, Expr, FunctionCall, Ident, Literal, Query, QueryBody, Select, Statement, TableRef, TypeName,
} from '../../parser/ast/index.js';
import { ParseError, parseExpression, parseStatement } from '../../parser/index.js';
import { stripSpans } from './strip-spans.js';

export const id = (value: string, quoted = false): Ident => ({ kind: 'Ident', value, quoted });
export const col = (...parts: string[]): Expr => ({ kind: 'ColumnRef', parts: parts.map((p) => id(p)) });
export const num = (text: string): Literal => ({ kind: 'Literal', value: { type: 'number', text } });
export const str = (value: string): Literal => ({ kind: 'Literal', value: { type: 'string', value } });
export const bool = (value: boolean): Literal => ({ kind: 'Literal', value: { type: 'boolean', value } });
export const nul: Literal = { kind: 'Literal', value: { type: 'null' } };
export const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: 'BinaryOp', op, left, right });
export const neg = (operand: Expr): Expr => ({ kind: 'UnaryOp', op: '-', operand });
export const not = (operand: Expr): Expr => ({ kind: 'UnaryOp', op: 'NOT', operand });
export const type = (name: string, args: number[] = [], extra: Partial<TypeName> = {}): TypeName =>
  ({ kind: 'TypeName', name, args, ...extra });

export function call(name: string, args: Expr[], extra: Partial<FunctionCall> = {}): FunctionCall {
  return { kind: 'FunctionCall', name: [id(name)], args, distinct: false, star: false, bare: false, ...extra };
}

export const table = (...parts: string[]): TableRef => ({ kind: 'NamedTable', name: parts.map((p) => id(p)) });

/** A Query around a body, with no ORDER BY / LIMIT. */
export function query(body: QueryBody, extra: Partial<Query> = {}): Query {
  return { kind: 'Query', body, orderBy: [], ...extra };
}

/** `SELECT <items> [FROM ...]` with plain expression items. */
export function select(items: Expr[], extra: Partial<Select> = {}): Select {
  return {
    kind: 'Select', distinct: false, items: items.map((expr) => ({ kind: 'SelectExpr', expr })), from: [], ...extra,
  };
}

/** The span-free AST of an expression. */
export function expr(sql: string): Expr {
  return stripSpans(parseExpression(sql));
}

/** The span-free AST of one statement. */
export function stmt(sql: string): Statement {
  return stripSpans(parseStatement(sql));
}

/** The span-free body of `SELECT ...`'s single SELECT. */
export function selectOf(sql: string): Select {
  const s = stmt(sql);
  if (s.kind !== 'Query' || s.body.kind !== 'Select') throw new Error(`not a SELECT: ${sql}`);
  return s.body;
}

/** The expression of the only select item of `SELECT <e>`. */
export function selectExpr(e: string): Expr {
  const item = selectOf(`SELECT ${e}`).items[0];
  if (item?.kind !== 'SelectExpr') throw new Error('not an expression item');
  return item.expr;
}

/**
 * Builds the parser instances (chevrotain's grammar analysis takes a moment)
 * so that the first test of a file is not charged with it.
 */
export function warmUpParser(this: Mocha.Context): void {
  this.timeout(60_000);
  parseStatement('SELECT 1');
  try {
    parseStatement('SELECT FROM');
  } catch {
    // The error path builds the recovering parser.
  }
}

/** Runs `f` and returns the ParseError it throws (failing the test otherwise). */
export function parseErrorOf(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ParseError);
    return e as ParseError;
  }
  expect.fail('expected a ParseError');
}
