// One SELECT: FROM, WHERE, GROUP BY (grouping sets), HAVING, window functions, QUALIFY, the SELECT list, DISTINCT, and its ORDER BY keys.

import type { Field } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Expr, FunctionCall } from '../../parser/ast/expression.js';
import type { Span } from '../../parser/ast/node.js';
import type { GroupingElement, OrderItem, Select, WindowSpec } from '../../parser/ast/query.js';
import { printExpr } from '../../parser/printer/index.js';
import type { BoundExpr } from '../bound/expr.js';
import { exprText } from '../explain.js';
import type { LogicalPlan, SortKey } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { filter } from '../logical/filter.js';
import { project } from '../logical/project.js';
import { values } from '../logical/values.js';
import { Grouping } from './aggregates.js';
import { containsSubquery, exprEquals, fieldFor, inputRef, inputRefsOf } from './bound-utils.js';
import { requireBoolean } from './coercion.js';
import type { ExprContext, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import {
  invalidColumnReference, missingFromEntry, notSupported, positionOf, syntaxMisuse, windowingError,
} from './errors-hints.js';
import {
  bindExpr, bindScopeColumn, containsAggregate, functionName, ordinalOf, outputName, positionNotInSelectList,
} from './expressions.js';
import { bindFrom } from './from.js';
import type { Scope, ScopeColumn } from './scope.js';
import { WindowCollector } from './windows.js';
import { bindGroupWindow, type GroupWindow } from './window-tvf.js';
import { windowTableFunction } from '../logical/window-table-function.js';

/** A bound SELECT. Its row is the visible columns, then `hidden` sort-only columns at the end. */
export interface SelectResult {
  readonly plan: LogicalPlan;
  readonly names: readonly string[];
  /** ORDER BY of the enclosing query, as keys into this plan's row. */
  readonly sortKeys: readonly SortKey[];
  readonly hidden: number;
}

/** A SELECT item after `*` expansion. */
type Item =
  | { readonly kind: 'expr'; readonly ast: Expr; readonly name: string; readonly span: Span | undefined }
  | { readonly kind: 'column'; readonly column: ScopeColumn; readonly name: string; readonly span: Span | undefined };

export function bindSelect(sel: Select, level: QueryLevel, orderBy: readonly OrderItem[]): SelectResult {
  const from = bindFrom(sel.from, level);
  const { scope } = from;
  const schema = from.plan.schema;
  let plan = from.plan;

  if (sel.where !== undefined) {
    const ctx = exprContext(level, scope, schema, 'WHERE');
    plan = filter(plan, requireBoolean(bindExpr(sel.where, ctx), 'WHERE', sel.where.span));
  }

  const items = expandItems(sel, scope);
  const aggregated = sel.groupBy !== undefined || sel.having !== undefined
    || items.some((i) => i.kind === 'expr' && containsAggregate(i.ast))
    || orderBy.some((o) => containsAggregate(o.expr))
    || (sel.qualify !== undefined && containsAggregate(sel.qualify));

  // GROUP BY TUMBLE(ts, size): the rows are windowed first, and the window's columns become group keys.
  const groupWindowCall = sel.groupBy === undefined ? undefined : findGroupWindow(sel.groupBy.items);
  let groupWindow: GroupWindow | undefined;
  if (groupWindowCall !== undefined) {
    groupWindow = bindGroupWindow(groupWindowCall.call, groupWindowCall.kind, exprContext(level, scope, schema, 'GROUP BY'));
    plan = windowTableFunction(plan, groupWindow.spec);
  }
  const inputCtx: ExprContext = exprContext(level, scope, plan.schema, 'GROUP BY');
  const grouping = aggregated ? new Grouping(inputCtx) : undefined;
  if (grouping !== undefined && groupWindow !== undefined) {
    const w = schema.length;
    const keys: [number, number, number] = [
      grouping.addKey(inputRef(w, plan.schema), 'window_start'),
      grouping.addKey(inputRef(w + 1, plan.schema), 'window_end'),
      grouping.addKey(inputRef(w + 2, plan.schema), 'window_time'),
    ];
    grouping.window = { group: groupWindow, keys };
  }
  if (grouping !== undefined && sel.groupBy !== undefined) bindGroupBy(sel.groupBy.items, items, grouping, inputCtx);

  const named = new Map<string, WindowSpec>();
  for (const w of sel.windows ?? []) {
    if (named.has(w.name.value)) throw windowDefinedTwice(w.name.value, w.name.span);
    named.set(w.name.value, w.spec);
  }
  const windows = new WindowCollector(named);
  const selectCtx: ExprContext = {
    level, scope, schema, clause: 'SELECT', aggregates: aggregated, windows,
    ...(grouping === undefined ? {} : { grouping }),
  };

  const exprs: BoundExpr[] = items.map((item) => (item.kind === 'column'
    ? bindScopeColumn(item.column, selectCtx, item.span)
    : bindExpr(item.ast, selectCtx)));
  const names = items.map((i) => i.name);

  let having: BoundExpr | undefined;
  if (sel.having !== undefined) {
    const ctx: ExprContext = { ...selectCtx, clause: 'HAVING', windows: undefined };
    having = requireBoolean(bindExpr(sel.having, ctx), 'HAVING', sel.having.span);
  }

  let qualify: BoundExpr | undefined;
  if (sel.qualify !== undefined) {
    qualify = requireBoolean(bindExpr(sel.qualify, { ...selectCtx, clause: 'QUALIFY' }), 'QUALIFY', sel.qualify.span);
  }

  // ORDER BY: an output column by position or name, else an expression, kept as a hidden column when not in the list.
  const hidden: BoundExpr[] = [];
  const sortKeys: SortKey[] = orderBy.map((o) => {
    const descending = o.direction === 'DESC';
    const nullsFirst = o.nulls === undefined ? descending : o.nulls === 'FIRST';
    let index = outputColumnFor(o.expr, items, exprs);
    if (index === undefined) {
      const e = bindExpr(o.expr, { ...selectCtx, clause: 'ORDER BY' });
      index = exprs.findIndex((x) => exprEquals(x, e));
      if (index < 0) {
        if (sel.distinct) throw invalidColumnReference('for SELECT DISTINCT, ORDER BY expressions must appear in select list', o.expr.span);
        let h = hidden.findIndex((x) => exprEquals(x, e));
        if (h < 0) {
          hidden.push(e);
          h = hidden.length - 1;
        }
        index = items.length + h;
      }
    }
    return { index, descending, nullsFirst };
  });

  if (grouping !== undefined) {
    plan = grouping.build(plan);
    if (having !== undefined) plan = filter(plan, having);
  }
  let finalExprs = [...exprs, ...hidden];
  if (windows.used) {
    const built = windows.build(plan);
    plan = built.plan;
    finalExprs = finalExprs.map(built.remap);
    if (qualify !== undefined) qualify = built.remap(qualify);
  }
  if (qualify !== undefined) plan = filter(plan, qualify);

  const inSchema = plan.schema;
  // Sort-only columns are named by their text over the row they read, as EXPLAIN shows them.
  const fields: Field[] = finalExprs.map((e, i) => fieldFor(i < names.length ? (names[i] as string) : exprText(e, inSchema), e, inSchema));
  const constantRow = sel.from.length === 0 && sel.where === undefined && grouping === undefined && !windows.used && qualify === undefined
    && finalExprs.every((e) => !containsSubquery(e) && inputRefsOf(e).size === 0);
  plan = constantRow ? values([finalExprs], fields) : project(plan, finalExprs, fields);

  if (sel.distinct) {
    const keys = finalExprs.map((_, i) => i);
    const distinctSchema: Field[] = plan.schema.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
    plan = aggregate(plan, keys, [], distinctSchema);
  }
  return { plan, names, sortKeys, hidden: hidden.length };
}

function windowDefinedTwice(name: string, span: Span | undefined): Error {
  return windowingError(`window "${name}" is already defined`, span);
}

/** `*` and `t.*` expanded, in PostgreSQL's order. */
function expandItems(sel: Select, scope: Scope): Item[] {
  const out: Item[] = [];
  for (const item of sel.items) {
    if (item.kind === 'SelectExpr') {
      out.push({ kind: 'expr', ast: item.expr, name: item.alias?.value ?? outputName(item.expr), span: item.expr.span });
      continue;
    }
    let cols: readonly ScopeColumn[];
    if (item.qualifier === undefined) {
      if (sel.from.length === 0) throw syntaxMisuse('SELECT * with no tables specified is not valid', item.span);
      cols = scope.star;
    } else {
      const q = item.qualifier.map((p) => p.value);
      const found = scope.tables.get(q.join('.')) ?? scope.tables.get(q[q.length - 1] as string);
      if (found === undefined) throw missingFromEntry(q.join('.'), item.span);
      cols = found;
    }
    for (const c of cols) out.push({ kind: 'column', column: c, name: c.name, span: item.span });
  }
  return out;
}

/**
 * An ORDER BY item that names an output column: an integer position, or a bare name
 * equal to an output column's name (output names win over input columns, as PostgreSQL).
 */
function outputColumnFor(ast: Expr, items: readonly Item[], exprs: readonly BoundExpr[]): number | undefined {
  const ord = ordinalOf(ast);
  if (ord !== undefined) {
    if (ord < 1 || ord > items.length) throw positionNotInSelectList('ORDER BY', ord, ast.span);
    return ord - 1;
  }
  if (ast.kind !== 'ColumnRef' || ast.parts.length !== 1) return undefined;
  const name = ast.parts[0]?.value;
  let hit: number | undefined;
  items.forEach((item, i) => {
    if (item.name !== name) return;
    if (hit !== undefined && !exprEquals(exprs[hit] as BoundExpr, exprs[i] as BoundExpr)) {
      throw new SqlError(SqlState.ambiguousColumn, `ORDER BY "${name}" is ambiguous`, positionOf(ast.span));
    }
    hit ??= i;
  });
  return hit;
}

/**
 * GROUP BY into group keys and grouping sets. An item may be a SELECT position, an
 * output alias (when no input column has that name, as PostgreSQL), or an expression
 * over the FROM row. The elements' sets are crossed: `GROUP BY a, ROLLUP(b)` is
 * the sets (a, b) and (a).
 */
function bindGroupBy(elements: readonly GroupingElement[], items: readonly Item[], g: Grouping, ctx: ExprContext): void {
  const key = (e: Expr): number => {
    const ord = ordinalOf(e);
    if (ord !== undefined) {
      const item = items[ord - 1];
      if (item === undefined) throw positionNotInSelectList('GROUP BY', ord, e.span);
      return itemKey(item);
    }
    if (e.kind === 'ColumnRef' && e.parts.length === 1) {
      const name = e.parts[0]?.value as string;
      if (ctx.scope.resolveBare(name, e.span) === undefined) {
        const item = items.find((i) => i.name === name && i.kind === 'expr');
        if (item !== undefined) return itemKey(item);
      }
    }
    return g.addKey(bindExpr(e, ctx), e.kind === 'ColumnRef' ? (e.parts[e.parts.length - 1]?.value ?? '') : printExpr(e));
  };
  const itemKey = (item: Item): number => {
    if (item.kind === 'column') return g.addKey(bindScopeColumn(item.column, ctx, item.span), item.column.name);
    return g.addKey(bindExpr(item.ast, ctx), item.ast.kind === 'ColumnRef' ? item.name : printExpr(item.ast));
  };
  const list = (exprs: readonly Expr[]): number[] => {
    const out: number[] = [];
    for (const e of exprs) {
      // `(a, b)` inside GROUP BY is a list of keys, not a row value.
      const parts = e.kind === 'RowConstructor' && !e.explicit ? e.items : [e];
      for (const p of parts) {
        // The group window stands for its three window columns.
        const ks = g.window !== undefined && p === g.window.group.ast ? g.window.keys : [key(p)];
        for (const k of ks) if (!out.includes(k)) out.push(k);
      }
    }
    return out;
  };
  const setsOf = (el: GroupingElement): number[][] => {
    switch (el.kind) {
      case 'GroupExpr': return [list([el.expr])];
      case 'EmptyGroup': return [[]];
      case 'Rollup': {
        const parts = el.items.map(list);
        const out: number[][] = [];
        for (let n = parts.length; n >= 0; n--) out.push(union(parts.slice(0, n)));
        return out;
      }
      case 'Cube': {
        const parts = el.items.map(list);
        const out: number[][] = [];
        // PostgreSQL's order: the full set first, then sets with later elements dropped first.
        for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) {
          out.push(union(parts.filter((_, i) => (mask & (1 << (parts.length - 1 - i))) !== 0)));
        }
        return out;
      }
      case 'GroupingSets': return el.sets.flatMap(setsOf);
      default: {
        const unreachable: never = el;
        throw internalError(`unknown grouping element ${JSON.stringify(unreachable)}`);
      }
    }
  };
  let sets: number[][] = [[]];
  let plain = true;
  for (const el of elements) {
    if (el.kind !== 'GroupExpr') plain = false;
    const mine = setsOf(el);
    const next: number[][] = [];
    for (const a of sets) for (const b of mine) next.push(union([a, b]));
    sets = next;
  }
  const all = g.keys.map((_, i) => i);
  const single = sets.length === 1 && (sets[0] as number[]).length === all.length;
  g.sets = plain || single ? undefined : sets;
}

/** The one TUMBLE / HOP / SESSION call among the GROUP BY items, if any. */
function findGroupWindow(elements: readonly GroupingElement[]): { call: FunctionCall; kind: 'TUMBLE' | 'HOP' | 'SESSION' } | undefined {
  let found: { call: FunctionCall; kind: 'TUMBLE' | 'HOP' | 'SESSION' } | undefined;
  const visit = (e: Expr): void => {
    const parts = e.kind === 'RowConstructor' && !e.explicit ? e.items : [e];
    for (const p of parts) {
      if (p.kind !== 'FunctionCall' || p.over !== undefined) continue;
      const name = functionName(p);
      if (name !== 'tumble' && name !== 'hop' && name !== 'session') continue;
      if (found !== undefined) throw notSupported('more than one group window in GROUP BY', p.span);
      found = { call: p, kind: name.toUpperCase() as 'TUMBLE' | 'HOP' | 'SESSION' };
    }
  };
  const walk = (el: GroupingElement): void => {
    switch (el.kind) {
      case 'GroupExpr': visit(el.expr); return;
      case 'Rollup':
      case 'Cube': el.items.forEach((list) => list.forEach(visit)); return;
      case 'GroupingSets': el.sets.forEach(walk); return;
      case 'EmptyGroup': return;
      default: {
        const unreachable: never = el;
        throw internalError(`unknown grouping element ${JSON.stringify(unreachable)}`);
      }
    }
  };
  elements.forEach(walk);
  return found;
}

function union(parts: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (const p of parts) for (const k of p) if (!out.includes(k)) out.push(k);
  return out;
}
