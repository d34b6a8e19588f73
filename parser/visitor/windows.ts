// CST -> AST for ORDER BY items, PARTITION BY lists, window specifications and frames.

import type { CstNode } from 'chevrotain';
import type { Expr, FrameBound, Ident, OrderItem, WindowFrame, WindowSpec } from '../ast/index.js';
import { child, children, has, ident, nodeSpan, optChild, optToken, syntaxError, type Mutable } from './cst.js';
import { visitExpression } from './expressions.js';

export function visitOrderBy(node: CstNode): OrderItem[] {
  return children(node, 'orderItem').map(visitOrderItem);
}

export function visitOrderItem(node: CstNode): OrderItem {
  const item: Mutable<OrderItem> = { expr: visitExpression(child(node, 'expression')) };
  if (has(node, 'ASC')) item.direction = 'ASC';
  else if (has(node, 'DESC')) item.direction = 'DESC';
  if (has(node, 'NULLS')) item.nulls = has(node, 'FIRST') ? 'FIRST' : 'LAST';
  return item;
}

export function visitPartitionBy(node: CstNode | undefined): Expr[] {
  return node === undefined ? [] : children(node, 'expression').map(visitExpression);
}

export function visitWindowSpec(node: CstNode): WindowSpec {
  const spec: Mutable<WindowSpec> = {
    kind: 'WindowSpec',
    partitionBy: visitPartitionBy(optChild(node, 'partitionByClause')),
    orderBy: has(node, 'orderByClause') ? visitOrderBy(child(node, 'orderByClause')) : [],
    span: nodeSpan(node),
  };
  const base = optToken(node, 'base');
  if (base !== undefined) spec.base = ident(base);
  const frame = optChild(node, 'frameClause');
  if (frame !== undefined) spec.frame = visitFrame(frame);
  return spec;
}

function visitFrame(node: CstNode): WindowFrame {
  const units = has(node, 'ROWS') ? 'ROWS' : has(node, 'RANGE') ? 'RANGE' : 'GROUPS';
  const frame: Mutable<WindowFrame> = { units, start: visitFrameBound(child(node, 'start')) };
  const end = optChild(node, 'end');
  if (end !== undefined) frame.end = visitFrameBound(end);
  if (has(node, 'EXCLUDE')) {
    frame.exclude = has(node, 'CURRENT') ? 'CURRENT ROW' : has(node, 'GROUP') ? 'GROUP' : has(node, 'TIES') ? 'TIES' : 'NO OTHERS';
  }
  return frame;
}

/** A bare unquoted name written as the whole expression (`UNBOUNDED`, `CURRENT`). */
function bareWord(expr: Expr): string | undefined {
  if (expr.kind !== 'ColumnRef' || expr.parts.length !== 1) return undefined;
  const part = expr.parts[0] as Ident;
  return part.quoted ? undefined : part.value;
}

function visitFrameBound(node: CstNode): FrameBound {
  const expr = visitExpression(child(node, 'expression'));
  const word = bareWord(expr);
  const row = optToken(node, 'ROW');
  if (row !== undefined) {
    if (word !== 'current') throw syntaxError(row);
    return { kind: 'CurrentRow' };
  }
  const preceding = has(node, 'PRECEDING');
  if (word === 'unbounded') return { kind: preceding ? 'UnboundedPreceding' : 'UnboundedFollowing' };
  return preceding ? { kind: 'Preceding', offset: expr } : { kind: 'Following', offset: expr };
}
