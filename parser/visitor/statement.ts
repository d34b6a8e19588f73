// CST -> AST for a statement: dispatch to the statement families.

import type { CstNode } from 'chevrotain';
import type { Statement } from '../ast/index.js';
import type { RuleName } from '../grammar.js';
import { nodeSpan } from './cst.js';
import { visitAnalyze, visitCreate, visitDrop } from './ddl.js';
import { visitCopy, visitDelete, visitInsert, visitUpdate } from './dml.js';
import { visitQuery } from './queries.js';
import {
  visitClose, visitDeclare, visitDescribe, visitExplain, visitFetch, visitReset, visitSet, visitShow,
  visitSubscribe, visitTransaction,
} from './session.js';

/** The visitor of each alternative of the `statement` rule. */
const STATEMENT_VISITORS: ReadonlyMap<RuleName, (node: CstNode) => Statement> = new Map<RuleName, (node: CstNode) => Statement>([
  ['query', visitQuery],
  ['createStatement', visitCreate],
  ['dropStatement', visitDrop],
  ['insertStatement', visitInsert],
  ['updateStatement', visitUpdate],
  ['deleteStatement', visitDelete],
  ['copyStatement', visitCopy],
  ['setStatement', visitSet],
  ['resetStatement', visitReset],
  ['showStatement', visitShow],
  ['describeStatement', visitDescribe],
  ['explainStatement', visitExplain],
  ['subscribeStatement', visitSubscribe],
  ['declareStatement', visitDeclare],
  ['fetchStatement', visitFetch],
  ['closeStatement', (node) => visitClose(node)],
  ['checkpointStatement', (node) => ({ kind: 'Checkpoint', span: nodeSpan(node) })],
  ['transactionStatement', visitTransaction],
  ['analyzeStatement', visitAnalyze],
]);

export function visitStatement(node: CstNode): Statement {
  for (const key in node.children) {
    const visit = STATEMENT_VISITORS.get(key as RuleName);
    const inner = node.children[key]?.[0];
    if (visit !== undefined && inner !== undefined) return visit(inner as CstNode);
  }
  throw new Error(`unknown statement ${Object.keys(node.children).join(', ')}`);
}
