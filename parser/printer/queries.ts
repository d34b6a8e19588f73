// Printing of queries: one clause a line, nested queries indented two spaces inside their parentheses.

import type {
  Expr, GroupingElement, Join, Query, QueryBody, Select, SelectItem, TableAlias, TableFunctionArg, TableRef, With,
} from '../ast/index.js';
import { printExpr, printExprList, printOrderItems, printWindowSpec, unreachable } from './expressions.js';
import { printFunctionName, printIdent, printIdentList, printQualifiedName } from './identifiers.js';
import { printMatchRecognize } from './match-recognize.js';

/** One level of indentation for a nested block. */
export const INDENT = '  ';

/**
 * A query with one clause a line. `ind` is the indentation of the line the
 * query starts on; every further line of it starts with `ind`.
 */
export function printQuery(q: Query, ind = ''): string {
  const lines: string[] = [];
  if (q.with !== undefined) lines.push(printWith(q.with, ind));
  lines.push(printBody(q.body, ind));
  if (q.orderBy.length > 0) lines.push(`ORDER BY ${printOrderItems(q.orderBy, ind)}`);
  if (q.limit !== undefined) lines.push(`LIMIT ${printExpr(q.limit, ind)}`);
  if (q.offset !== undefined) lines.push(`OFFSET ${printExpr(q.offset, ind)}`);
  return lines.join(`\n${ind}`);
}

/** `(` newline, the query indented one level, newline, `)` at the current indentation. */
export function printNestedQuery(q: Query, ind: string): string {
  return block(printQuery(q, ind + INDENT), ind);
}

function block(inner: string, ind: string): string {
  return `(\n${ind}${INDENT}${inner}\n${ind})`;
}

function printWith(w: With, ind: string): string {
  const ctes = w.ctes.map((c) => {
    const columns = c.columns === undefined ? '' : ` (${printIdentList(c.columns)})`;
    return `${printIdent(c.name)}${columns} AS ${printNestedQuery(c.query, ind)}`;
  });
  return `WITH ${w.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')}`;
}

// INTERSECT binds tighter than UNION and EXCEPT; all three associate to the left.
function setLevel(b: QueryBody): number {
  if (b.kind !== 'SetOperation') return 3;
  return b.op === 'INTERSECT' ? 2 : 1;
}

function printBody(b: QueryBody, ind: string): string {
  switch (b.kind) {
    case 'Select':
      return printSelect(b, ind);
    case 'Values':
      return printValues(b.rows, ind);
    case 'NestedQuery':
      return printNestedQuery(b.query, ind);
    case 'SetOperation': {
      const level = setLevel(b);
      const side = (operand: QueryBody, min: number): string =>
        setLevel(operand) >= min ? printBody(operand, ind) : block(printBody(operand, ind + INDENT), ind);
      const op = `${b.op}${b.all ? ' ALL' : ''}`;
      return `${side(b.left, level)}\n${ind}${op}\n${ind}${side(b.right, level + 1)}`;
    }
    default:
      return unreachable(b);
  }
}

/** `VALUES (1, 'a')` on one line; several rows one a line below the keyword. */
function printValues(rows: readonly (readonly Expr[])[], ind: string): string {
  const only = rows.length === 1 ? rows[0] : undefined;
  if (only !== undefined) return `VALUES (${printExprList(only, ind)})`;
  const printed = rows.map((r) => `(${printExprList(r, ind + INDENT)})`);
  return `VALUES\n${ind}${INDENT}${printed.join(`,\n${ind}${INDENT}`)}`;
}

function printSelect(s: Select, ind: string): string {
  const lines = [`SELECT${s.distinct ? ' DISTINCT' : ''}${s.items.length > 0 ? ' ' : ''}${
    s.items.map((i) => printSelectItem(i, ind)).join(', ')}`];
  if (s.from.length === 1 && s.from[0] !== undefined) {
    lines.push(`FROM ${printTableRef(s.from[0], ind, true)}`);
  } else if (s.from.length > 1) {
    lines.push(`FROM ${s.from.map((t) => printTableRef(t, ind, false)).join(', ')}`);
  }
  if (s.where !== undefined) lines.push(`WHERE ${printExpr(s.where, ind)}`);
  if (s.groupBy !== undefined) {
    lines.push(`GROUP BY ${s.groupBy.items.map((g) => printGroupingElement(g, ind)).join(', ')}`);
  }
  if (s.having !== undefined) lines.push(`HAVING ${printExpr(s.having, ind)}`);
  if (s.windows !== undefined && s.windows.length > 0) {
    lines.push(`WINDOW ${s.windows.map((w) => `${printIdent(w.name)} AS (${printWindowSpec(w.spec, ind)})`).join(', ')}`);
  }
  if (s.qualify !== undefined) lines.push(`QUALIFY ${printExpr(s.qualify, ind)}`);
  return lines.join(`\n${ind}`);
}

function printSelectItem(item: SelectItem, ind: string): string {
  switch (item.kind) {
    case 'SelectExpr':
      return printExpr(item.expr, ind) + (item.alias === undefined ? '' : ` AS ${printIdent(item.alias)}`);
    case 'SelectStar':
      return item.qualifier === undefined ? '*' : `${printQualifiedName(item.qualifier)}.*`;
    default:
      return unreachable(item);
  }
}

function printGroupingElement(g: GroupingElement, ind: string): string {
  switch (g.kind) {
    case 'GroupExpr':
      return printExpr(g.expr, ind);
    case 'Rollup':
      return `ROLLUP(${g.items.map((set) => printGroupingList(set, ind)).join(', ')})`;
    case 'Cube':
      return `CUBE(${g.items.map((set) => printGroupingList(set, ind)).join(', ')})`;
    case 'GroupingSets':
      return `GROUPING SETS (${g.sets.map((x) => printGroupingElement(x, ind)).join(', ')})`;
    case 'EmptyGroup':
      return '()';
    default:
      return unreachable(g);
  }
}

/** One element of ROLLUP/CUBE: `a` alone, `(b, c)` or `()` otherwise. */
function printGroupingList(set: readonly Expr[], ind: string): string {
  const only = set.length === 1 ? set[0] : undefined;
  return only !== undefined ? printExpr(only, ind) : `(${printExprList(set, ind)})`;
}

/** ` AS x` or ` AS x (a, b)` */
export function printAlias(alias: TableAlias | undefined): string {
  if (alias === undefined) return '';
  const columns = alias.columns === undefined ? '' : ` (${printIdentList(alias.columns)})`;
  return ` AS ${printIdent(alias.name)}${columns}`;
}

/**
 * A FROM item. With `lines` set, a left-deep chain of joins puts each join on
 * a line of its own; a join nested on the right is parenthesized and inline.
 */
export function printTableRef(t: TableRef, ind: string, lines: boolean): string {
  switch (t.kind) {
    case 'NamedTable': {
      const asOf = t.asOf === undefined ? '' : ` FOR SYSTEM_TIME AS OF ${printExpr(t.asOf, ind)}`;
      return `${printQualifiedName(t.name)}${asOf}${printAlias(t.alias)}`;
    }
    case 'DerivedTable':
      return `${t.lateral ? 'LATERAL ' : ''}${printNestedQuery(t.query, ind)}${printAlias(t.alias)}`;
    case 'TableFunction': {
      const call = `${printFunctionName(t.name)}(${t.args.map((a) => printTableFunctionArg(a, ind)).join(', ')})`;
      return `${t.lateral ? 'LATERAL ' : ''}${t.wrapped ? `TABLE(${call})` : call}${printAlias(t.alias)}`;
    }
    case 'Join':
      return printJoin(t, ind, lines);
    case 'MatchRecognize':
      return printMatchRecognize(t, ind);
    default:
      return unreachable(t);
  }
}

function joinKeyword(j: Join): string {
  const type = j.type === 'INNER' ? 'JOIN' : `${j.type} JOIN`;
  return j.natural ? `NATURAL ${type}` : type;
}

function printJoin(j: Join, ind: string, lines: boolean): string {
  const left = printTableRef(j.left, ind, lines);
  // Joins associate to the left, so only a join on the right needs parentheses.
  const right = j.right.kind === 'Join' ? `(${printTableRef(j.right, ind, false)})` : printTableRef(j.right, ind, false);
  let out = `${left}${lines ? `\n${ind}` : ' '}${joinKeyword(j)} ${right}`;
  if (j.on !== undefined) out += ` ON ${printExpr(j.on, ind)}`;
  if (j.using !== undefined) out += ` USING (${printIdentList(j.using)})`;
  return out;
}

/**
 * ` PARTITION BY k` or ` PARTITION BY (a, b)`: inside a function's arguments a
 * comma separates arguments, so several keys are parenthesized (Flink's syntax).
 */
function printArgPartition(keys: readonly Expr[], ind: string): string {
  if (keys.length === 0) return '';
  const only = keys.length === 1 ? keys[0] : undefined;
  return ` PARTITION BY ${only !== undefined ? printExpr(only, ind) : `(${printExprList(keys, ind)})`}`;
}

function printTableFunctionArg(a: TableFunctionArg, ind: string): string {
  const name = a.name === undefined ? '' : `${printIdent(a.name)} => `;
  const v = a.value;
  switch (v.kind) {
    case 'ScalarArg':
      return name + printExpr(v.expr, ind);
    case 'TableArg': {
      let out = `${name}TABLE ${printQualifiedName(v.table)}${printArgPartition(v.partitionBy, ind)}`;
      if (v.orderBy.length > 0) {
        const only = v.orderBy.length === 1 ? v.orderBy[0] : undefined;
        out += ` ORDER BY ${only !== undefined ? printOrderItems([only], ind) : `(${printOrderItems(v.orderBy, ind)})`}`;
      }
      return out;
    }
    case 'QueryArg':
      return name + printNestedQuery(v.query, ind) + printArgPartition(v.partitionBy, ind);
    case 'DescriptorArg':
      return `${name}DESCRIPTOR(${printIdentList(v.columns)})`;
    default:
      return unreachable(v);
  }
}
