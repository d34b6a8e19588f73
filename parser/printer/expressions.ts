// Printing of scalar expressions with minimal parentheses placed from PostgreSQL's precedence table.

import type {
  BinaryOperator, Expr, FrameBound, FunctionCall, Literal, OrderItem, WindowFrame, WindowSpec,
} from '../ast/index.js';
import { printFunctionName, printIdent, printQualifiedName, printStringLiteral } from './identifiers.js';
import { printNestedQuery } from './queries.js';
import { printIntervalQualifier, printTypeName } from './types.js';

/**
 * Binding strength, loosest first, as in PostgreSQL's operator precedence
 * table. `::` has no level: casts always print as `CAST(x AS t)`, which is an
 * atom like a function call.
 */
export const Prec = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  comparison: 5,
  /** BETWEEN, IN, LIKE, ILIKE, SIMILAR TO. */
  predicate: 6,
  /** Every other operator; here only `||`. */
  other: 7,
  additive: 8,
  multiplicative: 9,
  exponent: 10,
  unary: 11,
  subscript: 12,
  field: 13,
  atom: 14,
} as const;

type Level = (typeof Prec)[keyof typeof Prec];

const BINARY_LEVEL: Readonly<Record<BinaryOperator, Level>> = {
  'OR': Prec.or,
  'AND': Prec.and,
  '=': Prec.comparison,
  '<>': Prec.comparison,
  '<': Prec.comparison,
  '<=': Prec.comparison,
  '>': Prec.comparison,
  '>=': Prec.comparison,
  '||': Prec.other,
  '+': Prec.additive,
  '-': Prec.additive,
  '*': Prec.multiplicative,
  '/': Prec.multiplicative,
  '%': Prec.multiplicative,
  '^': Prec.exponent,
};

// Comparisons, the IS family and BETWEEN/IN/LIKE do not associate in
// PostgreSQL (`a = b = c` is an error), so an operand at the same level gets
// parentheses on either side; the other binary levels associate to the left.
const NON_ASSOCIATIVE: ReadonlySet<Level> = new Set<Level>([Prec.comparison, Prec.predicate, Prec.is]);

/** The level at which an expression binds, i.e. how it behaves as an operand. */
export function precedence(e: Expr): Level {
  switch (e.kind) {
    case 'BinaryOp':
      return BINARY_LEVEL[e.op];
    case 'UnaryOp':
      return e.op === 'NOT' ? Prec.not : Prec.unary;
    case 'IsNull':
    case 'IsTruth':
    case 'IsDistinctFrom':
      return Prec.is;
    case 'Between':
    case 'InList':
    case 'InSubquery':
    case 'Like':
      return Prec.predicate;
    case 'Subscript':
      return Prec.subscript;
    case 'FieldAccess':
      return Prec.field;
    // A prefix keyword like unary minus: `FINAL x` binds its operand as `-x` does.
    case 'NavigationSemantics':
      return Prec.unary;
    case 'Literal':
    case 'IntervalLiteral':
    case 'TypedLiteral':
    case 'ColumnRef':
    case 'Parameter':
    case 'Exists':
    case 'ScalarSubquery':
    case 'Case':
    case 'Cast':
    case 'FunctionCall':
    case 'Extract':
    case 'Trim':
    case 'Substring':
    case 'Position':
    case 'Overlay':
    case 'RowConstructor':
    case 'ArrayConstructor':
      return Prec.atom;
    default:
      return unreachable(e);
  }
}

/** Reports a node kind the printer does not know; the `never` parameter makes that a compile error. */
export function unreachable(x: never): never {
  throw new Error(`cannot print node ${JSON.stringify(x)}`);
}

/**
 * Prints `e` as an operand that must bind at least as tightly as `min`,
 * adding parentheses when it does not. `ind` is the indentation of the line the
 * expression starts on, used by nested queries.
 */
function operand(e: Expr, min: number, ind: string): string {
  const text = printExprAt(e, ind);
  return precedence(e) >= min ? text : `(${text})`;
}

/** One expression on one line, except for subqueries, which open an indented block. */
export function printExpr(e: Expr, ind = ''): string {
  return printExprAt(e, ind);
}

function printExprAt(e: Expr, ind: string): string {
  switch (e.kind) {
    case 'Literal':
      return printLiteral(e);
    case 'IntervalLiteral':
      return `INTERVAL ${e.negative ? '-' : ''}${printStringLiteral(e.value)}${
        e.qualifier === undefined ? '' : ` ${printIntervalQualifier(e.qualifier)}`}`;
    case 'TypedLiteral':
      return `${e.type} ${printStringLiteral(e.value)}`;
    case 'ColumnRef':
      return printQualifiedName(e.parts);
    case 'Parameter':
      return `$${e.index}`;
    case 'UnaryOp': {
      if (e.op === 'NOT') return `NOT ${operand(e.operand, Prec.not, ind)}`;
      // A signed operand is always parenthesized: `- -x` would be legal but
      // `--x` starts a comment, and `-(-x)` says plainly what is meant.
      const signed = e.operand.kind === 'UnaryOp' && e.operand.op !== 'NOT';
      return e.op + (signed ? `(${printExprAt(e.operand, ind)})` : operand(e.operand, Prec.unary, ind));
    }
    case 'BinaryOp': {
      const level = BINARY_LEVEL[e.op];
      const nonAssoc = NON_ASSOCIATIVE.has(level);
      return `${operand(e.left, nonAssoc ? level + 1 : level, ind)} ${e.op} ${operand(e.right, level + 1, ind)}`;
    }
    case 'IsNull':
      return `${operand(e.operand, Prec.is + 1, ind)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'IsTruth':
      return `${operand(e.operand, Prec.is + 1, ind)} IS ${e.negated ? 'NOT ' : ''}${
        e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE'}`;
    case 'IsDistinctFrom':
      return `${operand(e.left, Prec.is + 1, ind)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${
        operand(e.right, Prec.is + 1, ind)}`;
    case 'Between':
      // The bounds are kept above the predicate level so that the AND between
      // them can never be read as a boolean AND inside a bound.
      return `${operand(e.operand, Prec.predicate + 1, ind)} ${e.negated ? 'NOT ' : ''}BETWEEN ${
        e.symmetric ? 'SYMMETRIC ' : ''}${operand(e.low, Prec.predicate + 1, ind)} AND ${
        operand(e.high, Prec.predicate + 1, ind)}`;
    case 'InList':
      return `${operand(e.operand, Prec.predicate + 1, ind)} ${e.negated ? 'NOT ' : ''}IN (${
        e.list.map((x) => printExprAt(x, ind)).join(', ')})`;
    case 'InSubquery':
      return `${operand(e.operand, Prec.predicate + 1, ind)} ${e.negated ? 'NOT ' : ''}IN ${
        printNestedQuery(e.query, ind)}`;
    case 'Like':
      return `${operand(e.operand, Prec.predicate + 1, ind)} ${e.negated ? 'NOT ' : ''}${e.op} ${
        operand(e.pattern, Prec.predicate + 1, ind)}${
        e.escape === undefined ? '' : ` ESCAPE ${operand(e.escape, Prec.predicate + 1, ind)}`}`;
    case 'Exists':
      return `EXISTS ${printNestedQuery(e.query, ind)}`;
    case 'ScalarSubquery':
      return printNestedQuery(e.query, ind);
    case 'Case': {
      let out = 'CASE';
      if (e.operand !== undefined) out += ` ${printExprAt(e.operand, ind)}`;
      for (const w of e.whens) out += ` WHEN ${printExprAt(w.when, ind)} THEN ${printExprAt(w.then, ind)}`;
      if (e.else !== undefined) out += ` ELSE ${printExprAt(e.else, ind)}`;
      return `${out} END`;
    }
    case 'Cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${printExprAt(e.operand, ind)} AS ${printTypeName(e.type)})`;
    case 'FunctionCall':
      return printFunctionCall(e, ind);
    case 'Extract':
      return `EXTRACT(${e.field} FROM ${printExprAt(e.source, ind)})`;
    case 'Trim': {
      // `TRIM(s)` is the parser's spelling of `TRIM(BOTH FROM s)`; keep the short form.
      if (e.where === 'BOTH' && e.chars === undefined) return `TRIM(${printExprAt(e.source, ind)})`;
      const chars = e.chars === undefined ? '' : ` ${printExprAt(e.chars, ind)}`;
      return `TRIM(${e.where}${chars} FROM ${printExprAt(e.source, ind)})`;
    }
    case 'Substring': {
      let out = `SUBSTRING(${printExprAt(e.source, ind)}`;
      if (e.from !== undefined) out += ` FROM ${printExprAt(e.from, ind)}`;
      if (e.for !== undefined) out += ` FOR ${printExprAt(e.for, ind)}`;
      return `${out})`;
    }
    case 'Position':
      // Both sides sit above the IN level so the separating IN is unambiguous.
      return `POSITION(${operand(e.needle, Prec.predicate + 1, ind)} IN ${operand(e.haystack, Prec.predicate + 1, ind)})`;
    case 'Overlay': {
      let out = `OVERLAY(${printExprAt(e.source, ind)} PLACING ${printExprAt(e.placing, ind)} FROM ${
        printExprAt(e.from, ind)}`;
      if (e.for !== undefined) out += ` FOR ${printExprAt(e.for, ind)}`;
      return `${out})`;
    }
    case 'RowConstructor': {
      const items = e.items.map((x) => printExprAt(x, ind)).join(', ');
      // Without ROW, one item in parentheses would just be a parenthesized expression.
      return e.explicit || e.items.length < 2 ? `ROW(${items})` : `(${items})`;
    }
    case 'ArrayConstructor':
      return `ARRAY[${e.items.map((x) => printExprAt(x, ind)).join(', ')}]`;
    case 'Subscript':
      return `${operand(e.operand, Prec.subscript, ind)}[${printExprAt(e.index, ind)}]`;
    case 'FieldAccess':
      // Always parenthesized: `(a).b` is a field of column a, while `a.b` is column b of table a.
      return `(${printExprAt(e.operand, ind)}).${printIdent(e.field)}`;
    case 'NavigationSemantics':
      return `${e.semantics} ${operand(e.expr, Prec.unary, ind)}`;
    default:
      return unreachable(e);
  }
}

function printLiteral(e: Literal): string {
  const v = e.value;
  switch (v.type) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
    case 'number':
      return v.text;
    case 'string':
      return printStringLiteral(v.value);
    case 'bytes':
      return `X'${v.hex}'`;
    default:
      return unreachable(v);
  }
}

function printFunctionCall(e: FunctionCall, ind: string): string {
  const name = printFunctionName(e.name);
  if (e.bare) return name;
  let args = e.star ? '*' : e.args.map((x) => printExprAt(x, ind)).join(', ');
  if (e.distinct) args = `DISTINCT ${args}`;
  if (e.orderBy !== undefined && e.withinGroup !== true) args += ` ORDER BY ${printOrderItems(e.orderBy, ind)}`;
  let out = `${name}(${args})`;
  if (e.orderBy !== undefined && e.withinGroup === true) out += ` WITHIN GROUP (ORDER BY ${printOrderItems(e.orderBy, ind)})`;
  if (e.filter !== undefined) out += ` FILTER (WHERE ${printExprAt(e.filter, ind)})`;
  if (e.nulls !== undefined) out += ` ${e.nulls} NULLS`;
  if (e.over !== undefined) {
    out += e.over.kind === 'Ident' ? ` OVER ${printIdent(e.over)}` : ` OVER (${printWindowSpec(e.over, ind)})`;
  }
  return out;
}

/** `a DESC NULLS LAST, b` */
export function printOrderItems(items: readonly OrderItem[], ind: string): string {
  return items.map((o) => printOrderItem(o, ind)).join(', ');
}

function printOrderItem(o: OrderItem, ind: string): string {
  let out = printExprAt(o.expr, ind);
  if (o.direction !== undefined) out += ` ${o.direction}`;
  if (o.nulls !== undefined) out += ` NULLS ${o.nulls}`;
  return out;
}

/** The inside of `OVER (...)` or `WINDOW w AS (...)`. */
export function printWindowSpec(w: WindowSpec, ind: string): string {
  const parts: string[] = [];
  if (w.base !== undefined) parts.push(printIdent(w.base));
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map((x) => printExprAt(x, ind)).join(', ')}`);
  if (w.orderBy.length > 0) parts.push(`ORDER BY ${printOrderItems(w.orderBy, ind)}`);
  if (w.frame !== undefined) parts.push(printWindowFrame(w.frame, ind));
  return parts.join(' ');
}

function printWindowFrame(f: WindowFrame, ind: string): string {
  let out = f.end === undefined
    ? `${f.units} ${printFrameBound(f.start, ind)}`
    : `${f.units} BETWEEN ${printFrameBound(f.start, ind)} AND ${printFrameBound(f.end, ind)}`;
  if (f.exclude !== undefined) out += ` EXCLUDE ${f.exclude}`;
  return out;
}

function printFrameBound(b: FrameBound, ind: string): string {
  switch (b.kind) {
    case 'UnboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'UnboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'CurrentRow':
      return 'CURRENT ROW';
    // The offset sits between BETWEEN and AND, so it is kept above the predicate level.
    case 'Preceding':
      return `${operand(b.offset, Prec.predicate + 1, ind)} PRECEDING`;
    case 'Following':
      return `${operand(b.offset, Prec.predicate + 1, ind)} FOLLOWING`;
    default:
      return unreachable(b);
  }
}

/** Expressions separated by commas, e.g. a PARTITION BY or GROUP BY list. */
export function printExprList(items: readonly Expr[], ind: string): string {
  return items.map((x) => printExprAt(x, ind)).join(', ');
}
