// CST -> AST for queries: WITH, set operations, SELECT, VALUES, FROM items and joins.

import type { CstNode, IToken } from 'chevrotain';
import type {
  CommonTableExpr, Expr, GroupingElement, Ident, JoinType, NamedTable, OrderItem, Query, QueryBody, Select,
  SelectItem, Span, TableAlias, TableFunction, TableFunctionArg, TableFunctionArgValue, TableRef, With,
} from '../ast/index.js';
import {
  child, children, endOf, has, ident, idents, nodeSpan, optChild, optToken, span, startOf,
  syntaxError, token, tokenEnd, tokens, tokenSpan, type Mutable,
} from './cst.js';
import {
  scalarSubqueryOf, visitExpression, visitParenExpr,
} from './expressions.js';
import { visitOrderBy, visitOrderItem, visitWindowSpec } from './windows.js';
import { visitMatchRecognize } from './match-recognize.js';

export function visitQuery(node: CstNode): Query {
  const query: Mutable<Query> = {
    kind: 'Query',
    body: visitQueryBody(node),
    orderBy: has(node, 'orderByClause') ? visitOrderBy(child(node, 'orderByClause')) : [],
    span: nodeSpan(node),
  };
  const withClause = optChild(node, 'withClause');
  if (withClause !== undefined) query.with = visitWith(withClause);
  let sawLimit = false;
  for (const clause of [...children(node, 'limitClause'), ...children(node, 'fetchClause')]) {
    const keyword = optToken(clause, 'LIMIT') ?? token(clause, 'FETCH');
    if (sawLimit) throw syntaxError(keyword, 'multiple LIMIT clauses not allowed');
    sawLimit = true;
    if (has(clause, 'ALL')) continue;
    const count = optChild(clause, 'expression');
    if (count !== undefined) {
      query.limit = visitExpression(count);
      continue;
    }
    const paren = optChild(clause, 'parenExpr');
    const number = optToken(clause, 'Number') ?? optToken(clause, 'Parameter');
    if (paren !== undefined) query.limit = visitParenExpr(paren);
    else if (number !== undefined && number.image.startsWith('$')) query.limit = { kind: 'Parameter', index: Number(number.image.slice(1)), span: tokenSpan(number) };
    else if (number !== undefined) query.limit = { kind: 'Literal', value: { type: 'number', text: number.image }, span: tokenSpan(number) };
    // `FETCH FIRST ROW ONLY`: one row.
    else query.limit = { kind: 'Literal', value: { type: 'number', text: '1' }, span: nodeSpan(clause) };
  }
  const offsets = children(node, 'offsetClause');
  if (offsets.length > 1) throw syntaxError(token(offsets[1] as CstNode, 'OFFSET'), 'multiple OFFSET clauses not allowed');
  if (offsets[0] !== undefined) query.offset = visitExpression(child(offsets[0], 'expression'));
  return query;
}

function visitWith(node: CstNode): With {
  return {
    recursive: has(node, 'RECURSIVE'),
    ctes: children(node, 'commonTableExpr').map((cte) => {
      const result: Mutable<CommonTableExpr> = { name: ident(token(cte, 'Ident')), query: visitQuery(child(cte, 'query')) };
      const columns = optChild(cte, 'identList');
      if (columns !== undefined) result.columns = visitIdentList(columns);
      return result;
    }),
  };
}

export function visitIdentList(node: CstNode): Ident[] {
  return idents(tokens(node, 'Ident'));
}

/** The operands and set operators of a query, INTERSECT binding tighter than UNION and EXCEPT. */
function visitQueryBody(node: CstNode): QueryBody {
  const first = visitOperand(node);
  const tails = children(node, 'setOpTail');
  if (tails.length === 0) return first.body;
  // Fold the INTERSECT runs first, then UNION / EXCEPT left to right.
  const terms: Operand[] = [first];
  const termOps: SetOp[] = [];
  for (const tail of tails) {
    const op: SetOp = {
      op: has(tail, 'UNION') ? 'UNION' : has(tail, 'EXCEPT') ? 'EXCEPT' : 'INTERSECT',
      all: isAll(tail),
    };
    const right = visitOperand(tail);
    if (op.op === 'INTERSECT') {
      terms[terms.length - 1] = setOperation(terms[terms.length - 1] as Operand, op, right);
    } else {
      termOps.push(op);
      terms.push(right);
    }
  }
  let result = terms[0] as Operand;
  termOps.forEach((op, i) => { result = setOperation(result, op, terms[i + 1] as Operand); });
  return result.body;
}

interface Operand {
  readonly body: QueryBody;
  readonly start: number;
  readonly end: number;
}

interface SetOp {
  readonly op: 'UNION' | 'EXCEPT' | 'INTERSECT';
  readonly all: boolean;
}

function setOperation(left: Operand, op: SetOp, right: Operand): Operand {
  return {
    body: { kind: 'SetOperation', op: op.op, all: op.all, left: left.body, right: right.body, span: span(left.start, right.end) },
    start: left.start,
    end: right.end,
  };
}

/** The SELECT, VALUES or parenthesized query written directly in `node` (a query or a setOpTail). */
function visitOperand(node: CstNode): Operand {
  const select = optChild(node, 'select');
  if (select !== undefined) return { body: visitSelect(select), start: startOf(select), end: endOf(select) };
  const values = optChild(node, 'values');
  if (values !== undefined) {
    return {
      body: {
        kind: 'Values',
        rows: children(values, 'valuesRow').map((row) => children(row, 'expression').map(visitExpression)),
        span: nodeSpan(values),
      },
      start: startOf(values),
      end: endOf(values),
    };
  }
  const start = token(node, 'LParen').startOffset;
  const end = tokenEnd(token(node, 'RParen'));
  return { body: { kind: 'NestedQuery', query: visitQuery(child(node, 'query')), span: span(start, end) }, start, end };
}

function isAll(node: CstNode): boolean {
  const quantifier = optChild(node, 'setQuantifier');
  return quantifier !== undefined && has(quantifier, 'ALL');
}

function visitSelect(node: CstNode): Select {
  const quantifier = optChild(node, 'setQuantifier');
  const select: Mutable<Select> = {
    kind: 'Select',
    distinct: quantifier !== undefined && has(quantifier, 'DISTINCT'),
    items: children(node, 'selectItem').map(visitSelectItem),
    from: children(node, 'tableRef').map(visitTableRef),
    span: nodeSpan(node),
  };
  const where = optChild(node, 'where');
  if (where !== undefined) select.where = visitExpression(where);
  if (has(node, 'GROUP')) select.groupBy = { items: children(node, 'groupingElement').map(visitGroupingElement) };
  const having = optChild(node, 'having');
  if (having !== undefined) select.having = visitExpression(having);
  if (has(node, 'WINDOW')) {
    select.windows = children(node, 'namedWindow').map((w) => ({
      name: ident(token(w, 'Ident')),
      spec: visitWindowSpec(child(w, 'windowSpec')),
    }));
  }
  const qualify = optChild(node, 'qualify');
  if (qualify !== undefined) select.qualify = visitExpression(qualify);
  return select;
}

function visitSelectItem(node: CstNode): SelectItem {
  const star = optToken(node, 'Star');
  if (star !== undefined) return { kind: 'SelectStar', span: tokenSpan(star) };
  const expression = child(node, 'expression');
  const qualified = qualifiedStar(expression);
  if (qualified !== undefined) {
    const alias = optToken(node, 'alias');
    if (alias !== undefined) throw syntaxError(alias);
    return { kind: 'SelectStar', qualifier: qualified, span: nodeSpan(node) };
  }
  const item: Mutable<Extract<SelectItem, { kind: 'SelectExpr' }>> = {
    kind: 'SelectExpr', expr: visitExpression(expression), span: nodeSpan(node),
  };
  const alias = optToken(node, 'alias');
  if (alias !== undefined) item.alias = ident(alias);
  return item;
}

/** `t.*` / `s.t.*` written as a whole select item: the qualifier; undefined otherwise. */
function qualifiedStar(expression: CstNode): Ident[] | undefined {
  const c = expression.children;
  const name = child(expression, 'primary');
  const star = optToken(name, 'Star');
  if (star === undefined) return undefined;
  const parts = tokens(name, 'Ident');
  const last = parts[parts.length - 1] as IToken;
  // The star must end the name: `t.*.x` and `t.*(...)` are errors.
  if (last.startOffset > star.startOffset) throw syntaxError(star);
  if (has(name, 'functionCallTail') || has(name, 'typedValue') || has(name, 'navigated')) throw syntaxError(star);
  if (c['PrefixOp'] !== undefined || c['postfix'] !== undefined || c['exprTail'] !== undefined) throw syntaxError(star);
  return idents(parts);
}

function visitGroupingElement(node: CstNode): GroupingElement {
  const list = optChild(node, 'groupingList');
  if (list !== undefined) {
    // ROLLUP(a, (b, c)): each element is a list; a parenthesized list is a row expression.
    const items = children(list, 'expression').map((e) => {
      const expr = visitExpression(e);
      return expr.kind === 'RowConstructor' && !expr.explicit ? expr.items : [expr];
    });
    return has(node, 'ROLLUP') ? { kind: 'Rollup', items } : { kind: 'Cube', items };
  }
  if (has(node, 'GROUPING')) return { kind: 'GroupingSets', sets: children(node, 'groupingElement').map(visitGroupingElement) };
  const expression = optChild(node, 'expression');
  if (expression === undefined) return { kind: 'EmptyGroup' };
  return { kind: 'GroupExpr', expr: visitExpression(expression) };
}

// ---- FROM ----------------------------------------------------------------------------

export function visitTableRef(node: CstNode): TableRef {
  let left = visitTablePrimary(child(node, 'tablePrimary'));
  const start = startOf(node);
  for (const tail of children(node, 'joinTail')) {
    const right = visitTablePrimary(child(tail, 'tablePrimary'));
    const joinType = optChild(tail, 'joinType');
    let type: JoinType = 'INNER';
    if (has(tail, 'CROSS')) type = 'CROSS';
    else if (joinType !== undefined) {
      type = has(joinType, 'LEFT') ? 'LEFT' : has(joinType, 'RIGHT') ? 'RIGHT' : has(joinType, 'FULL') ? 'FULL' : 'INNER';
    }
    const join: Mutable<Extract<TableRef, { kind: 'Join' }>> = {
      kind: 'Join', type, natural: has(tail, 'NATURAL'), left, right, span: span(start, endOf(tail)),
    };
    const on = optChild(tail, 'expression');
    if (on !== undefined) join.on = visitExpression(on);
    const using = optChild(tail, 'identList');
    if (using !== undefined) join.using = visitIdentList(using);
    left = join;
  }
  return left;
}

function visitTablePrimary(node: CstNode): TableRef {
  let ref = tablePrimaryBase(node);
  for (const mr of children(node, 'matchRecognize')) ref = visitMatchRecognize(mr, ref, span(startOf(node), endOf(mr)));
  return ref;
}

function tablePrimaryBase(node: CstNode): TableRef {
  if (has(node, 'Ident')) return visitNamedTable(node);
  const lateral = has(node, 'LATERAL');
  const wrapped = optChild(node, 'wrappedTableFunction');
  if (wrapped !== undefined) {
    const ref = tableFunction(child(wrapped, 'tableFunctionCall'), true, lateral, optChild(wrapped, 'tableAlias'));
    return { ...ref, span: lateral ? span(startOf(node), endOf(wrapped)) : nodeSpan(wrapped) };
  }
  const derived = optChild(node, 'derivedTable');
  if (derived !== undefined) return derivedTable(derived, lateral, span(startOf(node), endOf(derived)));
  const call = optChild(node, 'tableFunctionCall');
  if (call !== undefined) {
    // `LATERAL f(x) [alias]`
    const ref = tableFunction(call, false, true, optChild(node, 'tableAlias'));
    return { ...ref, span: span(startOf(node), ref.span === undefined ? endOf(call) : ref.span.end) };
  }
  const paren = child(node, 'parenTable');
  if (has(paren, 'query')) return derivedTable(paren, false, nodeSpan(paren));
  // A parenthesized join takes no alias (the AST has no place for one).
  const alias = optChild(paren, 'tableAlias');
  if (alias !== undefined) throw syntaxError(optToken(alias, 'AS') ?? token(alias, 'Ident'));
  return visitTableRef(child(paren, 'tableRef'));
}

function derivedTable(node: CstNode, lateral: boolean, s: Span): TableRef {
  const ref: Mutable<Extract<TableRef, { kind: 'DerivedTable' }>> = {
    kind: 'DerivedTable', query: visitQuery(child(node, 'query')), lateral, span: s,
  };
  const alias = optChild(node, 'tableAlias');
  if (alias !== undefined) ref.alias = visitTableAlias(alias);
  return ref;
}

/** `t [FOR SYSTEM_TIME AS OF expr] [alias]` or a bare table function call `f(x) [alias]`, inline in tablePrimary. */
function visitNamedTable(node: CstNode): TableRef {
  const name = idents(tokens(node, 'Ident'));
  const args = optChild(node, 'tableFunctionArgs');
  const aliasNode = optChild(node, 'tableAlias');
  const s = span(startOf(node), aliasNode !== undefined ? endOf(aliasNode) : namedTableEnd(node));
  if (args !== undefined) {
    const forToken = optToken(node, 'FOR');
    if (forToken !== undefined) throw syntaxError(forToken);
    const ref: Mutable<TableFunction> = {
      kind: 'TableFunction', name, args: visitTableFunctionArgs(args), wrapped: false, lateral: false, span: s,
    };
    if (aliasNode !== undefined) ref.alias = visitTableAlias(aliasNode);
    return ref;
  }
  const ref: Mutable<NamedTable> = { kind: 'NamedTable', name, span: s };
  const asOf = optChild(node, 'expression');
  if (asOf !== undefined) ref.asOf = visitExpression(asOf);
  if (aliasNode !== undefined) ref.alias = visitTableAlias(aliasNode);
  return ref;
}

/** The end of a named table without alias, before any MATCH_RECOGNIZE that follows it. */
function namedTableEnd(node: CstNode): number {
  const asOf = optChild(node, 'expression');
  if (asOf !== undefined) return endOf(asOf);
  const args = optChild(node, 'tableFunctionArgs');
  if (args !== undefined) return endOf(args);
  const parts = tokens(node, 'Ident');
  return tokenEnd(parts[parts.length - 1] as IToken);
}

function tableFunction(call: CstNode, wrapped: boolean, lateral: boolean, aliasNode: CstNode | undefined): TableFunction {
  const ref: Mutable<TableFunction> = {
    kind: 'TableFunction',
    name: idents(tokens(child(call, 'qualifiedName'), 'Ident')),
    args: visitTableFunctionArgs(child(call, 'tableFunctionArgs')),
    wrapped,
    lateral,
    span: aliasNode === undefined ? nodeSpan(call) : span(startOf(call), endOf(aliasNode)),
  };
  if (aliasNode !== undefined) ref.alias = visitTableAlias(aliasNode);
  return ref;
}

function visitTableFunctionArgs(node: CstNode): TableFunctionArg[] {
  return children(node, 'tableFunctionArg').map(visitTableFunctionArg);
}

function visitTableFunctionArg(node: CstNode): TableFunctionArg {
  const expression = optChild(node, 'expression');
  if (expression === undefined || !has(node, 'Arrow')) return { value: tableArgValue(node, expression) };
  // `name => value`: the name was parsed as an expression and must be a plain name.
  const name = visitExpression(expression);
  if (name.kind !== 'ColumnRef' || name.parts.length !== 1) throw syntaxError(token(node, 'Arrow'));
  return { name: name.parts[0] as Ident, value: tableArgValue(node, optChild(node, 'value')) };
}

function tableArgValue(node: CstNode, expression: CstNode | undefined): TableFunctionArgValue {
  const table = optChild(node, 'tableArgTable');
  if (table !== undefined) {
    const order = optChild(table, 'orderItem');
    const query = optChild(table, 'query');
    if (query !== undefined) {
      if (order !== undefined) throw syntaxError(token(table, 'ORDER'));
      return { kind: 'QueryArg', query: visitQuery(query), partitionBy: tableArgPartition(optChild(table, 'tableArgPartition')) };
    }
    return {
      kind: 'TableArg',
      table: idents(tokens(child(table, 'qualifiedName'), 'Ident')),
      partitionBy: tableArgPartition(optChild(table, 'tableArgPartition')),
      orderBy: order === undefined ? [] : spreadOrderItem(visitOrderItem(order)),
      span: nodeSpan(table),
    };
  }
  const descriptor = optChild(node, 'tableArgDescriptor');
  if (descriptor !== undefined) {
    return { kind: 'DescriptorArg', columns: visitIdentList(child(descriptor, 'identList')), span: nodeSpan(descriptor) };
  }
  const partition = optChild(node, 'tableArgPartition');
  const subquery = scalarSubqueryOf(expression as CstNode);
  if (subquery !== undefined) return { kind: 'QueryArg', query: visitQuery(subquery), partitionBy: tableArgPartition(partition) };
  if (partition !== undefined) throw syntaxError(token(partition, 'PARTITION'));
  return { kind: 'ScalarArg', expr: visitExpression(expression as CstNode) };
}

/** `PARTITION BY k` -> [k]; `PARTITION BY (a, b)` -> [a, b]. */
function tableArgPartition(node: CstNode | undefined): Expr[] {
  if (node === undefined) return [];
  const expr = visitExpression(child(node, 'expression'));
  return expr.kind === 'RowConstructor' && !expr.explicit ? [...expr.items] : [expr];
}

/** `ORDER BY (a, b)` inside table function arguments is a list of keys. */
function spreadOrderItem(item: OrderItem): OrderItem[] {
  const expr = item.expr;
  if (expr.kind !== 'RowConstructor' || expr.explicit || item.direction !== undefined || item.nulls !== undefined) return [item];
  return expr.items.map((e) => ({ expr: e }));
}

export function visitTableAlias(node: CstNode): TableAlias {
  const alias: Mutable<TableAlias> = { name: ident(token(node, 'Ident')) };
  const columns = optChild(node, 'identList');
  if (columns !== undefined) alias.columns = visitIdentList(columns);
  return alias;
}

/** Tokens of a qualified name as Idents. */
export function visitQualifiedName(node: CstNode): Ident[] {
  return idents(tokens(node, 'Ident'));
}
