// Binding MATCH_RECOGNIZE: the input, partitioning and event-time order, pattern variables and subsets, the row pattern, WITHIN, and the output table.

import type { Field, Schema } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Ident } from '../../parser/ast/node.js';
import type { MatchRecognize as MatchRecognizeAst, PatternTerm } from '../../parser/ast/match-recognize.js';
import type { TableRef } from '../../parser/ast/query.js';
import type { Expr } from '../../parser/ast/expression.js';
import type { LogicalPlan } from '../logical/index.js';
import type {
  AfterMatchSkip, MatchExpr, MatchMeasure, RowPattern, RowsPerMatch,
} from '../logical/match-recognize.js';
import { matchOutputLayout, matchRecognize } from '../logical/match-recognize.js';
import type { SortKey } from '../logical/sort.js';
import type { QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { invalidColumnReference, notSupported, positionOf, syntaxMisuse, windowingError } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { MatchScope, bindMatchExpr } from './match-recognize-expr.js';
import { Scope } from './scope.js';

export interface MatchFromResult {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

/**
 * `input MATCH_RECOGNIZE (...) [AS alias]`. `bindInput` binds the FROM item the
 * clause reads (from.ts passes its own FROM-item binder).
 */
export function bindMatchRecognize(
  ast: MatchRecognizeAst,
  level: QueryLevel,
  bindInput: (ref: TableRef, level: QueryLevel) => MatchFromResult,
): MatchFromResult {
  const input = bindInput(ast.input, level);
  const inSchema = input.plan.schema;
  const inputCtx = exprContext(level, input.scope, inSchema, 'MATCH_RECOGNIZE');

  const column = (e: Expr, clause: string): number => {
    const b = bindExpr(e, { ...inputCtx, clause });
    if (b.kind !== 'InputRef') throw notSupported(`an expression in ${clause} of MATCH_RECOGNIZE`, e.span, 'Compute it in a subquery and name its column here.');
    return b.index;
  };

  const partitionKeys = ast.partitionBy.map((e) => column(e, 'PARTITION BY'));
  if (ast.orderBy.length === 0) {
    throw windowingError('MATCH_RECOGNIZE must have ORDER BY an event-time attribute', ast.span);
  }
  const orderKeys: SortKey[] = ast.orderBy.map((o, i) => {
    const index = column(o.expr, 'ORDER BY');
    const descending = o.direction === 'DESC';
    if (i === 0) {
      const f = inSchema[index] as Field;
      if (f.timeAttribute !== 'ROWTIME') {
        throw new SqlError('42P20', `MATCH_RECOGNIZE must be ordered first by an event-time attribute, not by "${f.name}"`, {
          ...positionOf(o.expr.span),
          hint: f.timeAttribute === 'PROCTIME'
            ? 'Ordering by a processing-time attribute is not supported yet; order by the column of a WATERMARK FOR clause.'
            : 'Order by the column of the table\'s WATERMARK FOR clause (or a column derived from it unchanged).',
        });
      }
      if (descending) throw windowingError(`MATCH_RECOGNIZE must order by the event-time attribute "${f.name}" ascending`, o.expr.span);
    }
    return { index, descending, nullsFirst: o.nulls === undefined ? descending : o.nulls === 'FIRST' };
  });
  const timeIndex = (orderKeys[0] as SortKey).index;

  // Pattern variables, in order of first appearance in the pattern.
  const variables: string[] = [];
  collectVariables(ast.pattern, variables);
  const scope = new MatchScope(variables, input.scope, inSchema);
  const seenSubsets = new Set<string>();
  const subsets = ast.subsets.map((s) => {
    const name = s.name.value;
    if (variables.includes(name)) throw syntaxMisuse(`SUBSET name "${name}" is already a pattern variable`, s.name.span);
    if (seenSubsets.has(name)) throw syntaxMisuse(`SUBSET "${name}" is defined more than once`, s.name.span);
    seenSubsets.add(name);
    const members = s.variables.map((v) => {
      const at = variables.indexOf(v.value);
      if (at < 0) throw undefinedVariable(v, variables, 'in SUBSET');
      return at;
    });
    scope.addSubset(name, members);
    return { name, variables: members };
  });

  const pattern = toRowPattern(ast.pattern, variables);
  const defines: (MatchExpr | undefined)[] = variables.map(() => undefined);
  for (const d of ast.define) {
    const at = variables.indexOf(d.variable.value);
    if (at < 0) {
      throw syntaxMisuse(`pattern variable "${d.variable.value}" in DEFINE does not occur in PATTERN`, d.variable.span,
        seenSubsets.has(d.variable.value) ? 'A SUBSET cannot be defined; define its variables.' : undefined);
    }
    if (defines[at] !== undefined) throw syntaxMisuse(`pattern variable "${d.variable.value}" is defined more than once`, d.variable.span);
    defines[at] = bindMatchExpr(d.condition, 'DEFINE', scope, level, { timeIndex });
    if ((defines[at] as MatchExpr).expr.type.kind !== 'BOOLEAN') {
      throw new SqlError(SqlState.datatypeMismatch, `argument of DEFINE must be type boolean`, positionOf(d.condition.span));
    }
  }

  const names = new Set<string>();
  const measures: MatchMeasure[] = ast.measures.map((m) => {
    const name = m.alias.value;
    if (names.has(name)) throw new SqlError(SqlState.duplicateColumn, `measure "${name}" is defined more than once`, positionOf(m.alias.span));
    names.add(name);
    return { name, expr: bindMatchExpr(m.expr, 'MEASURES', scope, level, { timeIndex }) };
  });

  const rowsPerMatch: RowsPerMatch = ast.rowsPerMatch?.kind !== 'AllRows'
    ? 'ONE ROW'
    : ast.rowsPerMatch.emptyMatches === 'OMIT' ? 'ALL ROWS OMIT EMPTY'
      : ast.rowsPerMatch.emptyMatches === 'WITH UNMATCHED' ? 'ALL ROWS WITH UNMATCHED' : 'ALL ROWS SHOW EMPTY';
  if (rowsPerMatch === 'ALL ROWS WITH UNMATCHED' && hasExclusion(ast.pattern)) {
    throw syntaxMisuse('ALL ROWS PER MATCH WITH UNMATCHED ROWS cannot be used with a pattern exclusion {- ... -}', ast.span);
  }

  const afterMatch = bindSkip(ast, variables, scope);
  const within = ast.within === undefined ? undefined : bindWithin(ast.within, level);

  const layout = matchOutputLayout(rowsPerMatch, partitionKeys, orderKeys, inSchema.length, measures.length);
  const schema: Schema = layout.map((c): Field => {
    if (c >= 0) {
      // Only MATCH_ROWTIME() is a time attribute of the output.
      const f = inSchema[c] as Field;
      return { name: f.name, type: f.type, nullable: f.nullable || rowsPerMatch === 'ALL ROWS WITH UNMATCHED' };
    }
    const m = measures[-c - 1] as MatchMeasure;
    const rowtime = m.expr.expr.kind === 'InputRef' && m.expr.accesses[m.expr.expr.index]?.kind === 'MatchRowtime';
    return rowtime
      ? { name: m.name, type: m.expr.expr.type, nullable: false, timeAttribute: 'ROWTIME' }
      : { name: m.name, type: m.expr.expr.type, nullable: true };
  });
  if (schema.length === 0) {
    throw syntaxMisuse('MATCH_RECOGNIZE with ONE ROW PER MATCH needs a PARTITION BY column or a measure', ast.span);
  }

  const plan = matchRecognize({
    input: input.plan,
    partitionKeys,
    orderKeys,
    variables,
    subsets,
    pattern,
    defines,
    measures,
    rowsPerMatch,
    afterMatch,
    ...(within === undefined ? {} : { within }),
    schema,
  });

  const qualifier = ast.alias?.name.value;
  const outNames = schema.map((f) => f.name);
  const cols = ast.alias?.columns ?? [];
  if (cols.length > outNames.length) {
    throw invalidColumnReference(`table "${qualifier ?? ''}" has ${outNames.length} columns available but ${cols.length} columns specified`, ast.alias?.name.span);
  }
  cols.forEach((c, i) => {
    outNames[i] = c.value;
  });
  return { plan, scope: Scope.forRelation(qualifier, outNames, schema) };
}

function collectVariables(p: PatternTerm, out: string[]): void {
  switch (p.kind) {
    case 'PatternVariable':
      if (!out.includes(p.name.value)) out.push(p.name.value);
      return;
    case 'PatternConcat':
    case 'PatternPermute':
      for (const i of p.items) collectVariables(i, out);
      return;
    case 'PatternAlternation':
      for (const a of p.alternatives) collectVariables(a, out);
      return;
    case 'PatternQuantified':
    case 'PatternExclusion':
      collectVariables(p.term, out);
      return;
    case 'PatternAnchor':
    case 'PatternEmpty':
      return;
    default: {
      const unreachable: never = p;
      throw internalError(`unknown row pattern ${(unreachable as PatternTerm).kind}`);
    }
  }
}

function hasExclusion(p: PatternTerm): boolean {
  switch (p.kind) {
    case 'PatternExclusion': return true;
    case 'PatternConcat': case 'PatternPermute': return p.items.some(hasExclusion);
    case 'PatternAlternation': return p.alternatives.some(hasExclusion);
    case 'PatternQuantified': return hasExclusion(p.term);
    default: return false;
  }
}

function toRowPattern(p: PatternTerm, variables: readonly string[]): RowPattern {
  switch (p.kind) {
    case 'PatternVariable': return { kind: 'Var', variable: variables.indexOf(p.name.value) };
    case 'PatternConcat': return { kind: 'Concat', items: p.items.map((i) => toRowPattern(i, variables)) };
    case 'PatternAlternation': return { kind: 'Alternation', alternatives: p.alternatives.map((a) => toRowPattern(a, variables)) };
    case 'PatternPermute': return { kind: 'Permute', items: p.items.map((i) => toRowPattern(i, variables)) };
    case 'PatternExclusion': return { kind: 'Exclusion', term: toRowPattern(p.term, variables) };
    case 'PatternAnchor': return { kind: 'Anchor', anchor: p.anchor === '^' ? 'start' : 'end' };
    case 'PatternEmpty': return { kind: 'Empty' };
    case 'PatternQuantified': {
      const max = p.max ?? null;
      if (max !== null && max < p.min) {
        throw syntaxMisuse(`quantifier {${p.min},${max}} has a maximum below its minimum`, undefined);
      }
      return { kind: 'Quantified', term: toRowPattern(p.term, variables), min: p.min, max, reluctant: p.reluctant };
    }
    default: {
      const unreachable: never = p;
      throw internalError(`unknown row pattern ${(unreachable as PatternTerm).kind}`);
    }
  }
}

function undefinedVariable(id: Ident, variables: readonly string[], where: string): SqlError {
  return syntaxMisuse(`pattern variable "${id.value}" ${where} is not defined`, id.span,
    variables.length > 0 ? `The pattern variables are ${variables.map((v) => `"${v}"`).join(', ')}.` : undefined);
}

function bindSkip(ast: MatchRecognizeAst, variables: readonly string[], scope: MatchScope): AfterMatchSkip {
  const skip = ast.afterMatch;
  if (skip === undefined) return { kind: 'PAST LAST ROW' };
  switch (skip.kind) {
    case 'PastLastRow': return { kind: 'PAST LAST ROW' };
    case 'ToNextRow': return { kind: 'TO NEXT ROW' };
    case 'ToFirst':
    case 'ToLast':
    case 'To': {
      const rows = scope.rowsOf(skip.variable.value);
      if (rows === undefined) throw undefinedVariable(skip.variable, variables, 'in AFTER MATCH SKIP');
      return { kind: skip.kind === 'ToFirst' ? 'TO FIRST' : 'TO LAST', rows, name: skip.variable.value };
    }
    default: {
      const unreachable: never = skip;
      throw internalError(`unknown skip mode ${(unreachable as { kind: string }).kind}`);
    }
  }
}

/** WITHIN: a positive day-time interval constant, in microseconds. */
function bindWithin(e: Expr, level: QueryLevel): number {
  const b = bindExpr(e, exprContext(level, Scope.empty(), [], 'WITHIN'));
  if (b.kind !== 'Literal' || b.type.kind !== 'INTERVAL_DAY_TIME') {
    if (b.type.kind === 'INTERVAL_YEAR_MONTH') throw notSupported('WITHIN with a year-month interval', e.span, 'Give the interval in days, hours, minutes or seconds.');
    throw syntaxMisuse('WITHIN takes a constant interval, such as INTERVAL \'10\' MINUTE', e.span);
  }
  const micros = b.value as number;
  if (!(micros > 0)) throw syntaxMisuse('the interval of WITHIN must be positive', e.span);
  return micros;
}
