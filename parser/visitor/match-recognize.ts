// CST -> AST for MATCH_RECOGNIZE: measures, rows per match, skip, row patterns, SUBSET, DEFINE.

import type { CstNode } from 'chevrotain';
import type { AfterMatchSkip, MatchRecognize, PatternTerm, RowsPerMatch, Span, TableRef } from '../ast/index.js';
import { child, children, has, ident, idents, optChild, optToken, syntaxError, token, tokens, type Mutable } from './cst.js';
import { visitExpression } from './expressions.js';
import { integer } from './types.js';
import { visitOrderBy, visitPartitionBy } from './windows.js';
import { visitTableAlias } from './queries.js';

export function visitMatchRecognize(node: CstNode, input: TableRef, s: Span): MatchRecognize {
  const mr: Mutable<MatchRecognize> = {
    kind: 'MatchRecognize',
    input,
    partitionBy: visitPartitionBy(optChild(node, 'partitionByClause')),
    orderBy: has(node, 'orderByClause') ? visitOrderBy(child(node, 'orderByClause')) : [],
    measures: children(node, 'measureItem').map((m) => ({
      expr: visitExpression(child(m, 'expression')),
      alias: ident(token(m, 'Ident')),
    })),
    pattern: visitAlternation(child(node, 'patternAlternation')),
    subsets: children(node, 'subsetItem').map((item) => ({
      name: ident(token(item, 'name')),
      variables: idents(tokens(child(item, 'identList'), 'Ident')),
    })),
    define: children(node, 'defineItem').map((d) => ({
      variable: ident(token(d, 'Ident')),
      condition: visitExpression(child(d, 'expression')),
    })),
    span: s,
  };
  const rows = optChild(node, 'rowsPerMatch');
  if (rows !== undefined) mr.rowsPerMatch = visitRowsPerMatch(rows);
  const skip = optChild(node, 'afterMatchSkip');
  if (skip !== undefined) mr.afterMatch = visitAfterMatchSkip(skip);
  const within = optChild(node, 'within');
  if (within !== undefined) mr.within = visitExpression(within);
  const alias = optChild(node, 'tableAlias');
  if (alias !== undefined) mr.alias = visitTableAlias(alias);
  return mr;
}

function visitRowsPerMatch(node: CstNode): RowsPerMatch {
  if (has(node, 'ONE')) return { kind: 'OneRow' };
  if (has(node, 'SHOW')) return { kind: 'AllRows', emptyMatches: 'SHOW' };
  if (has(node, 'OMIT')) return { kind: 'AllRows', emptyMatches: 'OMIT' };
  if (has(node, 'UNMATCHED')) return { kind: 'AllRows', emptyMatches: 'WITH UNMATCHED' };
  return { kind: 'AllRows' };
}

function visitAfterMatchSkip(node: CstNode): AfterMatchSkip {
  if (has(node, 'PAST')) return { kind: 'PastLastRow' };
  const variable = optToken(node, 'variable');
  if (variable === undefined) return { kind: 'ToNextRow' };
  if (has(node, 'FIRST')) return { kind: 'ToFirst', variable: ident(variable) };
  if (has(node, 'LAST')) return { kind: 'ToLast', variable: ident(variable) };
  return { kind: 'To', variable: ident(variable) };
}

function visitAlternation(node: CstNode): PatternTerm {
  const alternatives = children(node, 'patternConcat').map(visitConcat);
  return alternatives.length === 1 ? (alternatives[0] as PatternTerm) : { kind: 'PatternAlternation', alternatives };
}

function visitConcat(node: CstNode): PatternTerm {
  const items = children(node, 'patternQuantified').map(visitQuantified);
  if (items.length === 0) return { kind: 'PatternEmpty' };
  return items.length === 1 ? (items[0] as PatternTerm) : { kind: 'PatternConcat', items };
}

function visitQuantified(node: CstNode): PatternTerm {
  const term = visitPatternPrimary(child(node, 'patternPrimary'));
  const q = optChild(node, 'patternQuantifier');
  if (q === undefined) return term;
  const reluctant = has(q, 'reluctant');
  if (has(q, 'Star')) return { kind: 'PatternQuantified', term, min: 0, reluctant, form: '*' };
  if (has(q, 'Plus')) return { kind: 'PatternQuantified', term, min: 1, reluctant, form: '+' };
  if (has(q, 'Question')) return { kind: 'PatternQuantified', term, min: 0, max: 1, reluctant, form: '?' };
  const minToken = optToken(q, 'min');
  const maxToken = optToken(q, 'max');
  const min = minToken === undefined ? 0 : integer(minToken);
  const result: Mutable<Extract<PatternTerm, { kind: 'PatternQuantified' }>> = {
    kind: 'PatternQuantified', term, min, reluctant, form: 'braces',
  };
  if (!has(q, 'Comma')) {
    // `{n}`: exactly n; `{}` has no bound at all.
    if (minToken === undefined) throw syntaxError(token(q, 'RBrace'));
    result.max = min;
  } else if (maxToken !== undefined) {
    const max = integer(maxToken);
    if (max < min) throw syntaxError(maxToken, 'the upper bound of a quantifier must not be less than its lower bound');
    result.max = max;
  }
  return result;
}

function visitPatternPrimary(node: CstNode): PatternTerm {
  const variable = optToken(node, 'Ident');
  if (variable !== undefined) return { kind: 'PatternVariable', name: ident(variable) };
  if (has(node, 'PERMUTE')) return { kind: 'PatternPermute', items: children(node, 'patternAlternation').map(visitAlternation) };
  if (has(node, 'LExclusion')) return { kind: 'PatternExclusion', term: visitAlternation(child(node, 'patternAlternation')) };
  if (has(node, 'Caret')) return { kind: 'PatternAnchor', anchor: '^' };
  if (has(node, 'Dollar')) return { kind: 'PatternAnchor', anchor: '$' };
  return visitAlternation(child(node, 'patternAlternation'));
}
