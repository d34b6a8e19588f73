// CST -> AST for SET, RESET, SHOW, DESCRIBE, EXPLAIN, SUBSCRIBE, cursors, CHECKPOINT and transactions.

import type { CstNode, IToken } from 'chevrotain';
import type { Fetch, SetStatement, Statement, Subscribe } from '../ast/index.js';
import { child, children, has, ident, nodeSpan, optChild, optToken, token, tokens, type Mutable } from './cst.js';
import { decodeString } from './expressions.js';
import { integer } from './types.js';
import { optionValueText, visitOptionList } from './options.js';
import { visitQualifiedName, visitQuery } from './queries.js';
import { visitStatement } from './statement.js';

/** `a.b.c` as written (identifiers folded). */
function settingName(node: CstNode): string {
  return tokens(node, 'Ident').map((t) => ident(t).value).join('.');
}

/** The text of a SET value; undefined for DEFAULT (and for LOCAL in SET TIME ZONE). */
function setValueText(node: CstNode): string | undefined {
  if (has(node, 'DEFAULT')) return undefined;
  return optionValueText(optChild(node, 'optionValue'));
}

export function visitSet(node: CstNode): Statement {
  const set: Mutable<SetStatement> = { kind: 'Set', quoted: false, local: has(node, 'LOCAL'), span: nodeSpan(node) };
  const values = children(node, 'setValue');
  const key = optToken(node, 'key');
  let value: string | undefined;
  if (key !== undefined) {
    set.name = decodeString(key);
    set.quoted = true;
    value = setValueText(values[0] as CstNode);
  } else if (has(node, 'ZONE')) {
    set.name = 'timezone';
    value = setValueText(values[0] as CstNode);
    if (value === 'local') value = undefined;
  } else if (has(node, 'settingName')) {
    set.name = settingName(child(node, 'settingName'));
    const texts = values.map(setValueText);
    value = texts.includes(undefined) ? undefined : texts.join(', ');
  }
  if (value !== undefined) set.value = value;
  return set;
}

export function visitReset(node: CstNode): Statement {
  const s = nodeSpan(node);
  const key = optToken(node, 'StringLit');
  if (key !== undefined) return { kind: 'Reset', name: decodeString(key), span: s };
  if (has(node, 'ZONE')) return { kind: 'Reset', name: 'timezone', span: s };
  const name = optChild(node, 'settingName');
  if (name !== undefined) return { kind: 'Reset', name: settingName(name), span: s };
  return { kind: 'Reset', span: s };
}

export function visitShow(node: CstNode): Statement {
  const s = nodeSpan(node);
  if (has(node, 'CREATE')) {
    return {
      kind: 'ShowCreate',
      objectType: has(node, 'TABLE') ? 'TABLE' : has(node, 'MATERIALIZED') ? 'MATERIALIZED VIEW' : 'VIEW',
      name: visitQualifiedName(child(node, 'qualifiedName')),
      span: s,
    };
  }
  if (has(node, 'TABLES')) return { kind: 'ShowObjects', objectType: 'TABLES', span: s };
  if (has(node, 'VIEWS')) return { kind: 'ShowObjects', objectType: has(node, 'MATERIALIZED') ? 'MATERIALIZED VIEWS' : 'VIEWS', span: s };
  if (has(node, 'JOBS')) return { kind: 'ShowObjects', objectType: 'JOBS', span: s };
  if (has(node, 'FUNCTIONS')) return { kind: 'ShowObjects', objectType: 'FUNCTIONS', span: s };
  if (has(node, 'CURSORS')) return { kind: 'ShowObjects', objectType: 'CURSORS', span: s };
  if (has(node, 'ALL')) return { kind: 'ShowVariable', name: 'all', span: s };
  if (has(node, 'ZONE')) return { kind: 'ShowVariable', name: 'timezone', span: s };
  if (has(node, 'TRANSACTION')) return { kind: 'ShowVariable', name: 'transaction_isolation', span: s };
  const key = optToken(node, 'StringLit');
  if (key !== undefined) return { kind: 'ShowVariable', name: decodeString(key), span: s };
  return { kind: 'ShowVariable', name: settingName(child(node, 'settingName')), span: s };
}

export function visitDescribe(node: CstNode): Statement {
  return { kind: 'Describe', name: visitQualifiedName(child(node, 'qualifiedName')), span: nodeSpan(node) };
}

export function visitExplain(node: CstNode): Statement {
  const mode = has(node, 'CHANGELOG_MODE') ? 'CHANGELOG_MODE'
    : has(node, 'ESTIMATED_COST') ? 'ESTIMATED_COST'
      : has(node, 'ANALYZE') ? 'ANALYZE' : 'PLAN';
  return { kind: 'Explain', mode, statement: visitStatement(child(node, 'statement')), span: nodeSpan(node) };
}

export function visitSubscribe(node: CstNode): Subscribe {
  const query = optChild(node, 'query');
  return {
    kind: 'Subscribe',
    target: query !== undefined
      ? { kind: 'SubscribeQuery', query: visitQuery(query) }
      : { kind: 'SubscribeName', name: visitQualifiedName(child(node, 'qualifiedName')) },
    options: visitOptionList(optChild(node, 'optionList')),
    span: nodeSpan(node),
  };
}

export function visitDeclare(node: CstNode): Statement {
  const subscribe = optChild(node, 'subscribeStatement');
  return {
    kind: 'DeclareCursor',
    name: ident(token(node, 'name')),
    binary: has(node, 'BINARY'),
    hold: has(node, 'WITH'),
    query: subscribe !== undefined ? visitSubscribe(subscribe) : visitQuery(child(node, 'query')),
    span: nodeSpan(node),
  };
}

export function visitFetch(node: CstNode): Statement {
  const fetch: Mutable<Fetch> = {
    kind: 'Fetch',
    cursor: ident(token(node, 'cursor')),
    options: visitOptionList(optChild(node, 'optionList')),
    span: nodeSpan(node),
  };
  const count = optToken(node, 'count');
  if (count !== undefined) fetch.count = integer(count);
  else if (has(node, 'ALL')) fetch.count = 'ALL';
  return fetch;
}

export function visitClose(node: CstNode): Statement {
  const cursor: IToken | undefined = optToken(node, 'Ident');
  return cursor === undefined
    ? { kind: 'CloseCursor', span: nodeSpan(node) }
    : { kind: 'CloseCursor', cursor: ident(cursor), span: nodeSpan(node) };
}

export function visitTransaction(node: CstNode): Statement {
  const action = has(node, 'BEGIN') || has(node, 'START') ? 'BEGIN'
    : has(node, 'COMMIT') || has(node, 'END') ? 'COMMIT' : 'ROLLBACK';
  return { kind: 'Transaction', action, span: nodeSpan(node) };
}
