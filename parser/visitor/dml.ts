// CST -> AST for INSERT, UPDATE, DELETE and COPY.

import type { CstNode } from 'chevrotain';
import type { Copy, Delete, Insert, OptionEntry, Statement, Update } from '../ast/index.js';
import { child, children, has, ident, nodeSpan, optChild, optToken, syntaxError, token, type Mutable } from './cst.js';
import { decodeString, visitExpression } from './expressions.js';
import { optionKey, visitOptionList } from './options.js';
import { visitIdentList, visitQualifiedName, visitQuery } from './queries.js';
import { visitSubscribe } from './session.js';

export function visitInsert(node: CstNode): Statement {
  const insert: Mutable<Insert> = {
    kind: 'Insert',
    overwrite: has(node, 'OVERWRITE'),
    table: visitQualifiedName(child(node, 'qualifiedName')),
    source: visitQuery(child(node, 'query')),
    span: nodeSpan(node),
  };
  const columns = optChild(node, 'identList');
  if (columns !== undefined) insert.columns = visitIdentList(columns);
  return insert;
}

export function visitUpdate(node: CstNode): Statement {
  const update: Mutable<Update> = {
    kind: 'Update',
    table: visitQualifiedName(child(node, 'qualifiedName')),
    assignments: children(node, 'assignment').map((a) => ({
      column: ident(token(a, 'Ident')),
      value: visitExpression(child(a, 'expression')),
    })),
    span: nodeSpan(node),
  };
  const alias = optToken(node, 'alias');
  if (alias !== undefined) update.alias = ident(alias);
  const where = optChild(node, 'where');
  if (where !== undefined) update.where = visitExpression(where);
  return update;
}

export function visitDelete(node: CstNode): Statement {
  const del: Mutable<Delete> = {
    kind: 'Delete',
    table: visitQualifiedName(child(node, 'qualifiedName')),
    span: nodeSpan(node),
  };
  const alias = optToken(node, 'alias');
  if (alias !== undefined) del.alias = ident(alias);
  const where = optChild(node, 'where');
  if (where !== undefined) del.where = visitExpression(where);
  return del;
}

export function visitCopy(node: CstNode): Statement {
  const direction = has(node, 'STDIN') ? 'FROM' : 'TO';
  let source: Copy['source'];
  const subscribe = optChild(node, 'subscribeStatement');
  const query = optChild(node, 'query');
  if (subscribe !== undefined) source = { kind: 'CopySubscribe', subscribe: visitSubscribe(subscribe) };
  else if (query !== undefined) source = { kind: 'CopyQuery', query: visitQuery(query) };
  else {
    const table: Mutable<Extract<Copy['source'], { kind: 'CopyTable' }>> = {
      kind: 'CopyTable', table: visitQualifiedName(child(node, 'qualifiedName')),
    };
    const columns = optChild(node, 'identList');
    if (columns !== undefined) table.columns = visitIdentList(columns);
    source = table;
  }
  // Only a table can be copied from standard input.
  if (direction === 'FROM' && source.kind !== 'CopyTable') throw syntaxError(token(node, 'FROM'));
  const legacy = children(node, 'legacyCopyOption');
  const options: OptionEntry[] = legacy.length > 0
    ? legacy.map((o) => {
      const value = optToken(o, 'value');
      return { key: optionKey([token(o, 'key')]), value: value === undefined ? '' : decodeString(value), span: nodeSpan(o) };
    })
    : visitOptionList(optChild(node, 'optionList'));
  return { kind: 'Copy', source, direction, target: direction === 'FROM' ? 'STDIN' : 'STDOUT', options, span: nodeSpan(node) };
}
