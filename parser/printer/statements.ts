// Printing of top-level statements: DDL, DML, session and cursor statements, EXPLAIN.

import type {
  ColumnDef, Copy, CreateTable, CreateView, OptionEntry, SetStatement, Statement, Subscribe,
} from '../ast/index.js';
import { printExpr, unreachable } from './expressions.js';
import {
  printIdent, printIdentList, printOptionList, printQualifiedName, printStringLiteral,
} from './identifiers.js';
import { INDENT, printNestedQuery, printQuery } from './queries.js';
import { printTypeName } from './types.js';

/** A statement in canonical form, without the terminating `;`. */
export function printStatement(s: Statement, ind = ''): string {
  switch (s.kind) {
    case 'Query':
      return printQuery(s, ind);
    case 'CreateTable':
      return printCreateTable(s, ind);
    case 'CreateView':
      return printCreateView(s, ind);
    case 'Drop':
      return `DROP ${s.objectType}${s.ifExists ? ' IF EXISTS' : ''} ${s.names.map(printQualifiedName).join(', ')}${
        s.cascade ? ' CASCADE' : ''}`;
    case 'DropJob':
      return `DROP JOB${s.ifExists ? ' IF EXISTS' : ''} ${printStringLiteral(s.job)}`;
    case 'Analyze':
      return s.name === undefined ? 'ANALYZE' : `ANALYZE ${printQualifiedName(s.name)}`;
    case 'Insert': {
      const columns = s.columns === undefined ? '' : ` (${printIdentList(s.columns)})`;
      return `INSERT ${s.overwrite ? 'OVERWRITE' : 'INTO'} ${printQualifiedName(s.table)}${columns}\n${ind}${
        printQuery(s.source, ind)}`;
    }
    case 'Update': {
      const lines = [`UPDATE ${printQualifiedName(s.table)}${s.alias === undefined ? '' : ` AS ${printIdent(s.alias)}`}`];
      lines.push(`SET ${s.assignments.map((a) => `${printIdent(a.column)} = ${printExpr(a.value, ind)}`).join(', ')}`);
      if (s.where !== undefined) lines.push(`WHERE ${printExpr(s.where, ind)}`);
      return lines.join(`\n${ind}`);
    }
    case 'Delete': {
      const lines = [`DELETE FROM ${printQualifiedName(s.table)}${s.alias === undefined ? '' : ` AS ${printIdent(s.alias)}`}`];
      if (s.where !== undefined) lines.push(`WHERE ${printExpr(s.where, ind)}`);
      return lines.join(`\n${ind}`);
    }
    case 'Copy':
      return printCopy(s, ind);
    case 'Set':
      return printSet(s);
    case 'Reset':
      return s.name === undefined ? 'RESET' : `RESET ${printSettingName(s.name)}`;
    case 'ShowObjects':
      return `SHOW ${s.objectType}`;
    case 'ShowCreate':
      return `SHOW CREATE ${s.objectType} ${printQualifiedName(s.name)}`;
    case 'ShowVariable':
      return `SHOW ${s.name === 'all' ? 'ALL' : printSettingName(s.name)}`;
    case 'Describe':
      return `DESCRIBE ${printQualifiedName(s.name)}`;
    case 'Explain': {
      const mode = s.mode === 'PLAN' ? '' : `${s.mode} `;
      return `EXPLAIN ${mode}${printStatement(s.statement, ind)}`;
    }
    case 'Subscribe':
      return printSubscribe(s, ind);
    case 'DeclareCursor': {
      const query = s.query.kind === 'Subscribe' ? printSubscribe(s.query, ind) : printQuery(s.query, ind);
      return `DECLARE ${printIdent(s.name)}${s.binary ? ' BINARY' : ''} CURSOR${s.hold ? ' WITH HOLD' : ''} FOR\n${ind}${query}`;
    }
    case 'Fetch': {
      const count = s.count === undefined ? '' : ` ${s.count}`;
      return `FETCH${count} FROM ${printIdent(s.cursor)}${printWithOptions(s.options)}`;
    }
    case 'CloseCursor':
      return s.cursor === undefined ? 'CLOSE ALL' : `CLOSE ${printIdent(s.cursor)}`;
    case 'Checkpoint':
      return 'CHECKPOINT';
    case 'Transaction':
      return s.action;
    default:
      return unreachable(s);
  }
}

/** ` WITH (...)`, or nothing for an empty option list. */
function printWithOptions(options: readonly OptionEntry[]): string {
  return options.length === 0 ? '' : ` WITH ${printOptionList(options)}`;
}

// Configuration names: a plain (possibly dotted) lower-case name prints bare,
// anything else as a string literal, which the parser accepts in the same places.
function printSettingName(name: string): string {
  return /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(name) ? name : printStringLiteral(name);
}

function printSet(s: SetStatement): string {
  if (s.name === undefined) return 'SET';
  const name = s.quoted ? printStringLiteral(s.name) : printSettingName(s.name);
  const value = s.value === undefined ? 'DEFAULT' : printStringLiteral(s.value);
  return `SET ${s.local ? 'LOCAL ' : ''}${name} = ${value}`;
}

function printColumn(c: ColumnDef): string {
  switch (c.kind) {
    case 'PhysicalColumn': {
      let out = `${printIdent(c.name)} ${printTypeName(c.type)}`;
      if (c.notNull) out += ' NOT NULL';
      if (c.primaryKey === true) out += ' PRIMARY KEY NOT ENFORCED';
      if (c.comment !== undefined) out += ` COMMENT ${printStringLiteral(c.comment)}`;
      return out;
    }
    case 'ComputedColumn': {
      let out = `${printIdent(c.name)} AS ${printExpr(c.expr)}`;
      if (c.comment !== undefined) out += ` COMMENT ${printStringLiteral(c.comment)}`;
      return out;
    }
    case 'MetadataColumn': {
      let out = `${printIdent(c.name)} ${printTypeName(c.type)} METADATA`;
      if (c.from !== undefined) out += ` FROM ${printStringLiteral(c.from)}`;
      if (c.virtual) out += ' VIRTUAL';
      return out;
    }
    default:
      return unreachable(c);
  }
}

/** A parenthesized list, one entry a line, indented one level. */
function printBlockList(entries: readonly string[], ind: string): string {
  return `(\n${ind}${INDENT}${entries.join(`,\n${ind}${INDENT}`)}\n${ind})`;
}

function printCreateTable(s: CreateTable, ind: string): string {
  const elements = s.columns.map(printColumn);
  if (s.watermark !== undefined) {
    elements.push(`WATERMARK FOR ${printIdent(s.watermark.column)} AS ${printExpr(s.watermark.expr, ind + INDENT)}`);
  }
  if (s.primaryKey !== undefined) {
    elements.push(`PRIMARY KEY (${printIdentList(s.primaryKey.columns)})${s.primaryKey.enforced ? '' : ' NOT ENFORCED'}`);
  }
  let out = `CREATE ${s.temporary ? 'TEMPORARY ' : ''}TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${
    printQualifiedName(s.name)} ${elements.length === 0 ? '()' : printBlockList(elements, ind)}`;
  if (s.comment !== undefined) out += `\n${ind}COMMENT ${printStringLiteral(s.comment)}`;
  if (s.partitionedBy !== undefined) out += `\n${ind}PARTITIONED BY (${printIdentList(s.partitionedBy)})`;
  if (s.options.length > 0) {
    out += `\n${ind}WITH ${printBlockList(s.options.map((o) => `${printStringLiteral(o.key)} = ${printStringLiteral(o.value)}`), ind)}`;
  }
  return out;
}

function printCreateView(s: CreateView, ind: string): string {
  let out = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.temporary ? 'TEMPORARY ' : ''}${
    s.materialized ? 'MATERIALIZED ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${printQualifiedName(s.name)}`;
  if (s.columns !== undefined) out += ` (${printIdentList(s.columns)})`;
  out += printWithOptions(s.options);
  return `${out} AS\n${ind}${printQuery(s.query, ind)}`;
}

function printSubscribe(s: Subscribe, ind: string): string {
  const target = s.target.kind === 'SubscribeName'
    ? printQualifiedName(s.target.name)
    : printNestedQuery(s.target.query, ind);
  return `SUBSCRIBE ${target}${printWithOptions(s.options)}`;
}

function printCopy(s: Copy, ind: string): string {
  let source: string;
  switch (s.source.kind) {
    case 'CopyTable':
      source = printQualifiedName(s.source.table) +
        (s.source.columns === undefined ? '' : ` (${printIdentList(s.source.columns)})`);
      break;
    case 'CopyQuery':
      source = printNestedQuery(s.source.query, ind);
      break;
    case 'CopySubscribe':
      source = `(${printSubscribe(s.source.subscribe, ind)})`;
      break;
    default:
      return unreachable(s.source);
  }
  return `COPY ${source} ${s.direction} ${s.target}${printWithOptions(s.options)}`;
}
