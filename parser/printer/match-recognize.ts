// Printing of MATCH_RECOGNIZE: its clauses one a line inside the parentheses, and row patterns.

import type { AfterMatchSkip, MatchRecognize, PatternTerm, RowsPerMatch } from '../ast/index.js';
import { printExpr, printExprList, printOrderItems, unreachable } from './expressions.js';
import { printIdent, printIdentList } from './identifiers.js';
import { INDENT, printAlias, printTableRef } from './queries.js';

/**
 * `input MATCH_RECOGNIZE (` then one clause a line, one level deeper, then
 * `) AS alias`. Optional clauses print only when present in the AST, even
 * when they spell the default, so that their presence survives a round trip.
 */
export function printMatchRecognize(m: MatchRecognize, ind: string): string {
  const inner = ind + INDENT;
  const item = inner + INDENT;
  const lines: string[] = [];
  if (m.partitionBy.length > 0) lines.push(`PARTITION BY ${printExprList(m.partitionBy, inner)}`);
  if (m.orderBy.length > 0) lines.push(`ORDER BY ${printOrderItems(m.orderBy, inner)}`);
  if (m.measures.length > 0) {
    const measures = m.measures.map((x) => `${printExpr(x.expr, item)} AS ${printIdent(x.alias)}`);
    lines.push(`MEASURES\n${item}${measures.join(`,\n${item}`)}`);
  }
  if (m.rowsPerMatch !== undefined) lines.push(printRowsPerMatch(m.rowsPerMatch));
  if (m.afterMatch !== undefined) lines.push(`AFTER MATCH SKIP ${printAfterMatch(m.afterMatch)}`);
  lines.push(`PATTERN (${printPattern(m.pattern)})`);
  // Flink's place for WITHIN, right after PATTERN; the standard's (after SUBSET) is accepted too.
  if (m.within !== undefined) lines.push(`WITHIN ${printExpr(m.within, inner)}`);
  if (m.subsets.length > 0) {
    lines.push(`SUBSET ${m.subsets.map((s) => `${printIdent(s.name)} = (${printIdentList(s.variables)})`).join(', ')}`);
  }
  if (m.define.length > 0) {
    const defines = m.define.map((d) => `${printIdent(d.variable)} AS ${printExpr(d.condition, item)}`);
    lines.push(`DEFINE\n${item}${defines.join(`,\n${item}`)}`);
  }
  // A join as the input must be parenthesized: MATCH_RECOGNIZE applies to the nearest FROM item.
  const input = m.input.kind === 'Join' ? `(${printTableRef(m.input, ind, false)})` : printTableRef(m.input, ind, false);
  return `${input} MATCH_RECOGNIZE (\n${inner}${lines.join(`\n${inner}`)}\n${ind})${printAlias(m.alias)}`;
}

function printRowsPerMatch(r: RowsPerMatch): string {
  switch (r.kind) {
    case 'OneRow':
      return 'ONE ROW PER MATCH';
    case 'AllRows':
      switch (r.emptyMatches) {
        case undefined:
          return 'ALL ROWS PER MATCH';
        case 'SHOW':
          return 'ALL ROWS PER MATCH SHOW EMPTY MATCHES';
        case 'OMIT':
          return 'ALL ROWS PER MATCH OMIT EMPTY MATCHES';
        case 'WITH UNMATCHED':
          return 'ALL ROWS PER MATCH WITH UNMATCHED ROWS';
        default:
          return unreachable(r.emptyMatches);
      }
    default:
      return unreachable(r);
  }
}

function printAfterMatch(a: AfterMatchSkip): string {
  switch (a.kind) {
    case 'PastLastRow':
      return 'PAST LAST ROW';
    case 'ToNextRow':
      return 'TO NEXT ROW';
    case 'ToFirst':
      return `TO FIRST ${printIdent(a.variable)}`;
    case 'ToLast':
      return `TO LAST ${printIdent(a.variable)}`;
    case 'To':
      return `TO ${printIdent(a.variable)}`;
    default:
      return unreachable(a);
  }
}

// Pattern operators, loosest first: alternation, concatenation, quantifier.
// Parentheses leave no node, so a nested concatenation or alternation keeps
// its own parentheses to come back as the same tree.
function patternLevel(p: PatternTerm): number {
  switch (p.kind) {
    case 'PatternAlternation':
      return 1;
    case 'PatternConcat':
      return 2;
    case 'PatternQuantified':
      return 3;
    case 'PatternVariable':
    case 'PatternPermute':
    case 'PatternExclusion':
    case 'PatternAnchor':
    case 'PatternEmpty':
      return 4;
    default:
      return unreachable(p);
  }
}

function patternOperand(p: PatternTerm, min: number): string {
  const text = printPattern(p);
  return patternLevel(p) >= min ? text : `(${text})`;
}

/** `A B+? (C | D){2,3} PERMUTE(X, Y) {- F -}` */
export function printPattern(p: PatternTerm): string {
  switch (p.kind) {
    case 'PatternVariable':
      return printIdent(p.name);
    case 'PatternConcat':
      return p.items.map((x) => patternOperand(x, 3)).join(' ');
    case 'PatternAlternation':
      return p.alternatives.map((x) => patternOperand(x, 2)).join(' | ');
    case 'PatternQuantified':
      // A quantified term is parenthesized before another quantifier: `(A*)?` is not `A*?`.
      return patternOperand(p.term, 4) + printQuantifier(p) + (p.reluctant ? '?' : '');
    case 'PatternPermute':
      return `PERMUTE(${p.items.map(printPattern).join(', ')})`;
    case 'PatternExclusion':
      return `{- ${printPattern(p.term)} -}`;
    case 'PatternAnchor':
      return p.anchor;
    case 'PatternEmpty':
      return '()';
    default:
      return unreachable(p);
  }
}

function printQuantifier(q: Extract<PatternTerm, { kind: 'PatternQuantified' }>): string {
  switch (q.form) {
    case '*':
      return '*';
    case '+':
      return '+';
    case '?':
      return '?';
    case 'braces':
      if (q.max === undefined) return `{${q.min},}`;
      return q.min === q.max ? `{${q.min}}` : `{${q.min},${q.max}}`;
    default:
      return unreachable(q.form);
  }
}
