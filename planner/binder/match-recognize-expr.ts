// Binding DEFINE conditions and measures: pattern navigation (PREV, NEXT, FIRST, LAST), aggregates over pattern variables, CLASSIFIER, MATCH_NUMBER and MATCH_ROWTIME become accesses; the rest binds as usual over them.
//
// Each access is replaced by a reference to a column of an "access row" (one
// column per access), and the expression is bound over that row; the matcher
// fills the row for each evaluation. Inside an access, `a.price` and `price`
// are columns of the input row, read on the row the navigation picks.

import type { DataType, Field, Schema } from '../../common/data-type.js';
import { Types } from '../../common/data-type.js';
import { internalError, SqlError } from '../../common/errors.js';
import type { ColumnRef, Expr, FunctionCall } from '../../parser/ast/expression.js';
import type { Span } from '../../parser/ast/node.js';
import type { BoundExpr } from '../bound/expr.js';
import { isAggregateFunction, resolveAggregate } from '../functions/index.js';
import type { MatchAccess, MatchExpr, RowSet } from '../logical/match-recognize.js';
import { literal } from './bound-utils.js';
import { castTo, undefinedFunction } from './coercion.js';
import type { ExprContext, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { groupingError, notSupported, positionOf, syntaxMisuse } from './errors-hints.js';
import { bindExpr, callText, functionName, walkExpr } from './expressions.js';
import type { ScopeColumn } from './scope.js';
import { Scope } from './scope.js';

const navigationFunctions = new Set(['prev', 'next', 'first', 'last']);
const matchFunctions = new Set(['classifier', 'match_number', 'match_rowtime']);

/** The names inside MATCH_RECOGNIZE: pattern variables and subsets qualify the input's columns. */
export class MatchScope {
  private readonly rowSets = new Map<string, number[]>();
  private cached: Scope | undefined;

  constructor(readonly variables: readonly string[], private readonly input: Scope, readonly inputSchema: Schema) {
    variables.forEach((v, i) => this.rowSets.set(v, [i]));
  }

  addSubset(name: string, members: readonly number[]): void {
    this.rowSets.set(name, [...members]);
    this.cached = undefined;
  }

  /** The variables a variable or subset name stands for. */
  rowsOf(name: string): number[] | undefined {
    return this.rowSets.get(name);
  }

  names(): string[] {
    return [...this.rowSets.keys()];
  }

  /** Input columns by bare name (the universal row pattern variable) or qualified by a variable or subset. */
  columns(): Scope {
    if (this.cached !== undefined) return this.cached;
    const bare: ScopeColumn[] = this.input.columns
      .filter((c) => c.unqualified)
      .map((c) => ({ name: c.name, index: c.index, type: c.type, unqualified: true }));
    const tables = new Map<string, readonly ScopeColumn[]>();
    for (const name of this.rowSets.keys()) tables.set(name, bare.map((c) => ({ ...c, qualifier: name })));
    this.cached = new Scope(bare, bare, tables);
    return this.cached;
  }
}

export interface MatchExprOptions {
  /** The event-time column (MATCH_ROWTIME's type). */
  readonly timeIndex: number;
}

/** Binds a DEFINE condition or a measure. */
export function bindMatchExpr(ast: Expr, clause: 'DEFINE' | 'MEASURES', scope: MatchScope, level: QueryLevel, options: MatchExprOptions): MatchExpr {
  const binder = new MatchExprBinder(clause, scope, level, options);
  const rewritten = binder.rewrite(ast, undefined);
  const fields: Field[] = binder.accesses.map((a, i) => ({ name: placeholder(i), type: a.type, nullable: true }));
  const outer = Scope.forRelation(undefined, fields.map((f) => f.name), fields);
  const expr = bindExpr(rewritten, exprContext(level, outer, fields, clause));
  return { accesses: binder.accesses, expr };
}

/** The name of access column i: not a name SQL text can write unquoted, and never shown. */
function placeholder(i: number): string {
  return `\u0000match access ${i}`;
}

class MatchExprBinder {
  readonly accesses: MatchAccess[] = [];
  private readonly keys: string[] = [];
  private readonly navCtx: ExprContext;

  constructor(
    private readonly clause: 'DEFINE' | 'MEASURES',
    private readonly scope: MatchScope,
    level: QueryLevel,
    private readonly options: MatchExprOptions,
  ) {
    this.navCtx = exprContext(level, scope.columns(), scope.inputSchema, clause);
  }

  /** `ast` with every access replaced by a reference to its access column. */
  rewrite(ast: Expr, semantics: 'RUNNING' | 'FINAL' | undefined): Expr {
    switch (ast.kind) {
      case 'NavigationSemantics': {
        if (this.clause === 'DEFINE' && ast.semantics === 'FINAL') throw syntaxMisuse('FINAL cannot be used in DEFINE', ast.span, 'Conditions see the rows matched so far: RUNNING semantics.');
        const inner = ast.expr;
        const ok = inner.kind === 'ColumnRef' || (inner.kind === 'FunctionCall' && inner.over === undefined
          && (navigationFunctions.has(functionName(inner)) || isAggregateFunction(functionName(inner)) || functionName(inner) === 'classifier'));
        if (!ok) throw syntaxMisuse(`${ast.semantics} applies to a navigation function, an aggregate or CLASSIFIER()`, ast.span);
        return this.rewrite(inner, ast.semantics);
      }
      case 'ColumnRef':
        return this.replace(this.column(ast, semantics === 'FINAL'), ast.span);
      case 'FunctionCall': {
        const name = functionName(ast);
        if (ast.over !== undefined) throw notSupported(`window function ${name} in MATCH_RECOGNIZE`, ast.span);
        if (navigationFunctions.has(name)) return this.replace(this.navigation(ast, name, semantics === 'FINAL'), ast.span);
        if (name === 'classifier') return this.replace(this.classifier(ast, semantics === 'FINAL'), ast.span);
        if (name === 'match_number') {
          if (ast.args.length > 0) throw syntaxMisuse('MATCH_NUMBER() takes no arguments', ast.span);
          return this.replace({ kind: 'MatchNumber', type: Types.bigint }, ast.span);
        }
        if (name === 'match_rowtime') {
          if (this.clause === 'DEFINE') throw syntaxMisuse('MATCH_ROWTIME() can only be used in MEASURES', ast.span);
          if (ast.args.length > 0) throw syntaxMisuse('MATCH_ROWTIME() takes no arguments', ast.span);
          const t = (this.scope.inputSchema[this.options.timeIndex] as Field).type;
          return this.replace({ kind: 'MatchRowtime', type: t }, ast.span);
        }
        if (isAggregateFunction(name) || name === 'grouping') return this.replace(this.aggregate(ast, name, semantics === 'FINAL'), ast.span);
        return mapChildren(ast, (e) => this.rewrite(e, undefined));
      }
      case 'Exists':
      case 'ScalarSubquery':
      case 'InSubquery':
        throw notSupported(`a subquery in ${this.clause} of MATCH_RECOGNIZE`, ast.span);
      default:
        return mapChildren(ast, (e) => this.rewrite(e, undefined));
    }
  }

  private replace(access: MatchAccess, span: Span | undefined): Expr {
    // The same access written twice reads one column.
    const key = accessKey(access);
    let i = this.keys.indexOf(key);
    if (i < 0) {
      i = this.accesses.length;
      this.accesses.push(access);
      this.keys.push(key);
    }
    const ref: ColumnRef = { kind: 'ColumnRef', parts: [{ kind: 'Ident', value: placeholder(i), quoted: true }], ...(span === undefined ? {} : { span }) };
    return ref;
  }

  /** A plain column reference: the last row of its variable (or the current row) so far. */
  private column(ast: ColumnRef, final: boolean): MatchAccess {
    const rows = this.rowsOfRefs([ast], 'a column reference', false);
    const value = bindExpr(ast, this.navCtx);
    return { kind: 'Navigation', rows, from: 'last', offset: 0, physical: 0, value, final, type: value.type };
  }

  private navigation(ast: FunctionCall, name: string, final: boolean): MatchAccess {
    const upper = name.toUpperCase();
    if (ast.star || ast.distinct || ast.filter !== undefined || (ast.orderBy?.length ?? 0) > 0) throw syntaxMisuse(`invalid call of ${upper}`, ast.span);
    if (ast.args.length < 1 || ast.args.length > 2) throw syntaxMisuse(`${upper} takes a column expression and an optional offset`, ast.span);
    const physical = name === 'prev' || name === 'next';
    const offsetAst = ast.args[1];
    const offset = offsetAst === undefined ? (physical ? 1 : 0) : constantOffset(offsetAst, upper);
    const target = ast.args[0] as Expr;
    if (!physical) {
      const { rows, value } = this.navigated(target, upper);
      return { kind: 'Navigation', rows, from: name === 'first' ? 'first' : 'last', offset, physical: 0, value, final, type: value.type };
    }
    let inner: Expr = target;
    let innerFinal = final;
    if (inner.kind === 'NavigationSemantics') {
      if (this.clause === 'DEFINE' && inner.semantics === 'FINAL') throw syntaxMisuse('FINAL cannot be used in DEFINE', inner.span);
      innerFinal = inner.semantics === 'FINAL';
      inner = inner.expr;
    }
    const step = name === 'prev' ? -offset : offset;
    if (inner.kind === 'FunctionCall' && (functionName(inner) === 'first' || functionName(inner) === 'last')) {
      const logical = this.navigation(inner, functionName(inner), innerFinal);
      if (logical.kind !== 'Navigation') throw internalError('logical navigation bound to something else');
      return { ...logical, physical: step };
    }
    const { rows, value } = this.navigated(target, upper);
    return { kind: 'Navigation', rows, from: 'last', offset: 0, physical: step, value, final, type: value.type };
  }

  /** The argument of a navigation function: columns of one variable (or none: the universal one), no nested accesses. */
  private navigated(target: Expr, fn: string): { rows: RowSet; value: BoundExpr } {
    this.rejectNested(target, fn, false);
    const rows = this.rowsOfRefs(columnRefs(target), `the argument of ${fn}`, false);
    return { rows, value: bindExpr(target, this.navCtx) };
  }

  private aggregate(ast: FunctionCall, name: string, final: boolean): MatchAccess {
    if (name === 'grouping') throw groupingError('GROUPING cannot be used in MATCH_RECOGNIZE', ast.span);
    if (ast.distinct) throw notSupported(`${name}(DISTINCT ...) in MATCH_RECOGNIZE`, ast.span);
    if (ast.filter !== undefined) throw notSupported(`FILTER in an aggregate of MATCH_RECOGNIZE`, ast.filter.span ?? ast.span);
    if ((ast.orderBy?.length ?? 0) > 0) throw notSupported(`ORDER BY in an aggregate of MATCH_RECOGNIZE`, ast.span);
    const argAsts = ast.star ? [] : ast.args;
    for (const a of argAsts) this.rejectNested(a, name, true);
    const refs = argAsts.flatMap(columnRefs);
    const rows = this.rowsOfRefs(refs, `the arguments of ${name}`, true);
    let args = argAsts.map((a) => bindExpr(a, this.navCtx));
    if (name === 'listagg' && args.length === 1) args = [...args, literal(',', Types.string)];
    const r = resolveAggregate(name, args.map((a) => a.type), false);
    if (r === undefined) throw undefinedFunction(name, args.map((a) => a.type), ast.span);
    args = args.map((a, i) => castTo(a, r.argTypes[i] ?? a.type));
    return { kind: 'Aggregate', rows, fn: r.fn, args, final, type: r.returnType, name: callText(ast, name) };
  }

  private classifier(ast: FunctionCall, final: boolean): MatchAccess {
    const type: DataType = Types.string;
    if (ast.args.length === 0) return { kind: 'Classifier', rows: null, final, type };
    const arg = ast.args[0];
    if (ast.args.length > 1 || arg?.kind !== 'ColumnRef' || arg.parts.length !== 1) {
      throw syntaxMisuse('CLASSIFIER takes no argument or the name of a pattern variable or subset', ast.span);
    }
    const id = arg.parts[0] as { value: string; span?: Span };
    const rows = this.scope.rowsOf(id.value);
    if (rows === undefined) throw this.undefinedVariable(id.value, id.span ?? arg.span);
    return { kind: 'Classifier', rows, final, type };
  }

  /**
   * The row set the column references read: all qualified by one variable or
   * subset, or none qualified (the universal row pattern variable).
   */
  private rowsOfRefs(refs: readonly ColumnRef[], what: string, aggregate: boolean): RowSet {
    let qualifier: string | undefined;
    let bare: ColumnRef | undefined;
    let rows: number[] | undefined;
    for (const r of refs) {
      if (r.parts.length > 2) throw syntaxMisuse(`column reference "${r.parts.map((p) => p.value).join('.')}" has too many parts for MATCH_RECOGNIZE`, r.span);
      if (r.parts.length === 1) {
        bare = bare ?? r;
        continue;
      }
      const q = (r.parts[0] as { value: string }).value;
      const set = this.scope.rowsOf(q);
      if (set === undefined) throw this.undefinedVariable(q, r.parts[0]?.span ?? r.span);
      if (qualifier !== undefined && qualifier !== q) throw this.mixed(what, aggregate, r.span);
      qualifier = q;
      rows = set;
    }
    if (qualifier !== undefined && bare !== undefined) throw this.mixed(what, aggregate, bare.span);
    return rows ?? null;
  }

  private mixed(what: string, aggregate: boolean, span: Span | undefined): SqlError {
    const message = `${what} must refer to one pattern variable only`;
    const detail = 'Columns of different pattern variables, or of a variable and of the whole match, cannot be mixed here.';
    return aggregate
      ? new SqlError('42803', message, { ...positionOf(span), detail })
      : new SqlError('42601', message, { ...positionOf(span), detail });
  }

  private undefinedVariable(name: string, span: Span | undefined): SqlError {
    const known = this.scope.names();
    return syntaxMisuse(`pattern variable "${name}" is not defined`, span,
      `Inside MATCH_RECOGNIZE a column is qualified by a pattern variable or subset${known.length > 0 ? ` (${known.map((n) => `"${n}"`).join(', ')})` : ''}, or not at all.`);
  }

  /** Navigation, aggregates and the match functions do not nest (PREV/NEXT around FIRST/LAST is handled before). */
  private rejectNested(e: Expr, fn: string, inAggregate: boolean): void {
    walkExpr(e, (x) => {
      if (x.kind === 'NavigationSemantics') throw syntaxMisuse(`${x.semantics} cannot be used inside ${fn}`, x.span);
      if (x.kind === 'Exists' || x.kind === 'ScalarSubquery' || x.kind === 'InSubquery') throw notSupported(`a subquery in ${this.clause} of MATCH_RECOGNIZE`, x.span);
      if (x.kind !== 'FunctionCall') return;
      const n = functionName(x);
      if (isAggregateFunction(n)) {
        if (inAggregate) throw groupingError('aggregate function calls cannot be nested', x.span);
        throw syntaxMisuse(`an aggregate cannot be used inside ${fn.toUpperCase()}`, x.span);
      }
      if (navigationFunctions.has(n) || matchFunctions.has(n)) {
        throw syntaxMisuse(`${n.toUpperCase()} cannot be used inside ${inAggregate ? `the aggregate ${fn}` : fn}`, x.span,
          navigationFunctions.has(n) && !inAggregate ? 'Only PREV and NEXT may wrap FIRST or LAST, as their whole argument.' : undefined);
      }
    });
  }
}

/** A structural key of an access (bound expressions are plain data; DECIMAL literals hold bigints). */
function accessKey(a: MatchAccess): string {
  return JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** The offset argument of a navigation function: a non-negative integer constant. */
function constantOffset(e: Expr, fn: string): number {
  if (e.kind === 'Literal' && e.value.type === 'number' && /^\d+$/.test(e.value.text)) {
    const n = Number(e.value.text);
    if (Number.isSafeInteger(n)) return n;
  }
  if (e.kind === 'UnaryOp' && e.op === '-' && e.operand.kind === 'Literal' && e.operand.value.type === 'number') {
    throw syntaxMisuse(`the offset of ${fn} must not be negative`, e.span);
  }
  throw syntaxMisuse(`the offset of ${fn} must be a non-negative integer constant`, e.span);
}

function columnRefs(e: Expr): ColumnRef[] {
  const out: ColumnRef[] = [];
  walkExpr(e, (x) => {
    if (x.kind === 'ColumnRef') out.push(x);
  });
  return out;
}

/** `e` with each direct sub-expression passed through `f`. */
function mapChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  const opt = (x: Expr | undefined): Expr | undefined => (x === undefined ? undefined : f(x));
  switch (e.kind) {
    case 'Literal': case 'IntervalLiteral': case 'TypedLiteral': case 'ColumnRef': case 'Parameter':
    case 'Exists': case 'ScalarSubquery':
      return e;
    case 'UnaryOp': return { ...e, operand: f(e.operand) };
    case 'BinaryOp': return { ...e, left: f(e.left), right: f(e.right) };
    case 'IsNull': return { ...e, operand: f(e.operand) };
    case 'IsTruth': return { ...e, operand: f(e.operand) };
    case 'IsDistinctFrom': return { ...e, left: f(e.left), right: f(e.right) };
    case 'Between': return { ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) };
    case 'InList': return { ...e, operand: f(e.operand), list: e.list.map(f) };
    case 'InSubquery': return { ...e, operand: f(e.operand) };
    case 'Like': return { ...e, operand: f(e.operand), pattern: f(e.pattern), ...(e.escape === undefined ? {} : { escape: f(e.escape) }) };
    case 'Case': return {
      ...e,
      ...(e.operand === undefined ? {} : { operand: f(e.operand) }),
      whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })),
      ...(e.else === undefined ? {} : { else: f(e.else) }),
    };
    case 'Cast': return { ...e, operand: f(e.operand) };
    case 'FunctionCall': return { ...e, args: e.args.map(f), ...(e.filter === undefined ? {} : { filter: f(e.filter) }) };
    case 'Extract': return { ...e, source: f(e.source) };
    case 'Trim': return { ...e, source: f(e.source), ...(e.chars === undefined ? {} : { chars: f(e.chars) }) };
    case 'Substring': return { ...e, source: f(e.source), ...(e.from === undefined ? {} : { from: f(e.from) }), ...(e.for === undefined ? {} : { for: f(e.for) }) };
    case 'Position': return { ...e, needle: f(e.needle), haystack: f(e.haystack) };
    case 'Overlay': return { ...e, source: f(e.source), placing: f(e.placing), from: f(e.from), ...(e.for === undefined ? {} : { for: opt(e.for) as Expr }) };
    case 'RowConstructor': return { ...e, items: e.items.map(f) };
    case 'ArrayConstructor': return { ...e, items: e.items.map(f) };
    case 'Subscript': return { ...e, operand: f(e.operand), index: f(e.index) };
    case 'FieldAccess': return { ...e, operand: f(e.operand) };
    case 'NavigationSemantics': return { ...e, expr: f(e.expr) };
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as Expr).kind}`);
    }
  }
}
