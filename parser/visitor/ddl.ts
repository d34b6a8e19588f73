// CST -> AST for CREATE TABLE / VIEW / MATERIALIZED VIEW, DROP, DROP JOB and ANALYZE.

import type { CstNode, IToken } from 'chevrotain';
import type { ColumnDef, CreateTable, CreateView, Statement, WatermarkDef } from '../ast/index.js';
import {
  child, children, errorNear, has, ident, nodeSpan, optChild, optToken, syntaxError, token, type Mutable,
} from './cst.js';
import { decodeString, visitExpression } from './expressions.js';
import { visitTypeName } from './types.js';
import { isStringToken, visitOptionList } from './options.js';
import { T } from '../lexer/tokens.js';
import { visitIdentList, visitQualifiedName, visitQuery } from './queries.js';

export function visitCreate(node: CstNode): Statement {
  const temporary = has(node, 'temporary');
  const table = optChild(node, 'createTableBody');
  if (table !== undefined) return visitCreateTable(table, temporary, nodeSpan(node));
  const body = child(node, 'createViewBody');
  const view: Mutable<CreateView> = {
    kind: 'CreateView',
    materialized: has(node, 'MATERIALIZED'),
    orReplace: has(node, 'REPLACE'),
    temporary,
    ifNotExists: has(body, 'ifNotExists'),
    name: visitQualifiedName(child(body, 'qualifiedName')),
    options: visitOptionList(optChild(body, 'optionList')),
    query: visitQuery(child(body, 'query')),
    span: nodeSpan(node),
  };
  const columns = optChild(body, 'identList');
  if (columns !== undefined) view.columns = visitIdentList(columns);
  if (view.orReplace && view.ifNotExists) throw syntaxError(token(child(body, 'ifNotExists'), 'IF'));
  return view;
}

function visitCreateTable(node: CstNode, temporary: boolean, span: CreateTable['span']): CreateTable {
  const name = visitQualifiedName(child(node, 'qualifiedName'));
  const table: Mutable<CreateTable> = {
    kind: 'CreateTable',
    temporary,
    ifNotExists: has(node, 'ifNotExists'),
    name,
    columns: [],
    options: visitOptionList(optChild(node, 'optionList')),
    span,
  };
  const columns: ColumnDef[] = [];
  for (const element of children(node, 'tableElement')) {
    const column = optChild(element, 'columnDef');
    if (column === undefined) {
      const keyword = token(element, 'PRIMARY');
      if (table.primaryKey !== undefined) {
        throw errorNear(keyword, `multiple primary keys for table "${name.map((p) => p.value).join('.')}" are not allowed`);
      }
      table.primaryKey = { columns: visitIdentList(child(element, 'identList')), enforced: !has(element, 'ENFORCED'), span: nodeSpan(element) };
      continue;
    }
    if (has(column, 'watermark')) {
      const watermark = visitWatermark(column);
      if (table.watermark !== undefined) throw errorNear(token(column, 'Ident'), 'multiple WATERMARK definitions are not allowed');
      table.watermark = watermark;
      continue;
    }
    columns.push(visitColumnDef(column));
  }
  table.columns = columns;
  const comment = optToken(node, 'comment');
  if (comment !== undefined) table.comment = decodeString(comment);
  if (has(node, 'PARTITIONED')) table.partitionedBy = visitIdentList(child(node, 'identList'));
  return table;
}

function visitWatermark(node: CstNode): WatermarkDef {
  const keyword = token(node, 'Ident');
  const name = ident(keyword);
  // Parsed as a column named WATERMARK followed by FOR: check it was the keyword.
  if (name.quoted || name.value !== 'watermark') throw syntaxError(token(node, 'FOR'));
  return { column: ident(token(node, 'watermarkColumn')), expr: visitExpression(child(node, 'watermark')), span: nodeSpan(node) };
}

function visitColumnDef(node: CstNode): ColumnDef {
  const name = ident(token(node, 'Ident'));
  const span = nodeSpan(node);
  const expression = optChild(node, 'expression');
  if (expression !== undefined) {
    const computed: Mutable<Extract<ColumnDef, { kind: 'ComputedColumn' }>> = {
      kind: 'ComputedColumn', name, expr: visitExpression(expression), span,
    };
    const comment = optToken(node, 'comment');
    if (comment !== undefined) computed.comment = decodeString(comment);
    return computed;
  }
  const type = visitTypeName(child(node, 'typeName'));
  if (has(node, 'METADATA')) {
    const metadata: Mutable<Extract<ColumnDef, { kind: 'MetadataColumn' }>> = {
      kind: 'MetadataColumn', name, type, virtual: has(node, 'VIRTUAL'), span,
    };
    const from = optToken(node, 'from');
    if (from !== undefined) metadata.from = decodeString(from);
    return metadata;
  }
  const physical: Mutable<Extract<ColumnDef, { kind: 'PhysicalColumn' }>> = { kind: 'PhysicalColumn', name, type, notNull: false, span };
  for (const constraint of children(node, 'columnConstraint')) {
    if (has(constraint, 'PRIMARY')) physical.primaryKey = true;
    else if (has(constraint, 'NOT')) physical.notNull = true;
    else if (has(constraint, 'COMMENT')) physical.comment = decodeString(token(constraint, 'StringLit'));
  }
  return physical;
}

export function visitDrop(node: CstNode): Statement {
  if (has(node, 'JOB')) {
    const job = token(node, 'job');
    return {
      kind: 'DropJob',
      ifExists: has(node, 'ifExists'),
      job: jobText(job),
      span: nodeSpan(node),
    };
  }
  const targets = child(node, 'dropTargets');
  return {
    kind: 'Drop',
    objectType: has(node, 'TABLE') ? 'TABLE' : has(node, 'MATERIALIZED') ? 'MATERIALIZED VIEW' : 'VIEW',
    ifExists: has(targets, 'ifExists'),
    names: children(targets, 'qualifiedName').map(visitQualifiedName),
    cascade: has(targets, 'CASCADE'),
    span: nodeSpan(node),
  };
}

function jobText(t: IToken): string {
  if (isStringToken(t)) return decodeString(t);
  if (t.tokenType === T.Number) return t.image;
  return ident(t).value;
}

export function visitAnalyze(node: CstNode): Statement {
  const name = optChild(node, 'qualifiedName');
  return name === undefined
    ? { kind: 'Analyze', span: nodeSpan(node) }
    : { kind: 'Analyze', name: visitQualifiedName(name), span: nodeSpan(node) };
}
