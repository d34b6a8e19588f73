// Printing of top-level statements: DDL, DML, session and cursor statements, EXPLAIN.

import type {
  ColumnDef, Copy, CreateTable, CreateView, OptionEntry, SetStatement, Statement, Subscribe,
} from '../ast/index.js';
import { printExpr, unreachable } from './expressions.js';
import {
  isPlainDottedName, printBareOptionList, printIdent, printIdentList, printOptionList, printOptionValue,
  printQualifiedName, printStringLiteral, quoteIdent,
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
      return s.name === undefined ? 'RESET' : `RESET ${printSettingName(s.name, RESET_WORDS)}`;
    case 'ShowObjects':
      return `SHOW ${s.objectType}`;
    case 'ShowCreate':
      return `SHOW CREATE ${s.objectType} ${printQualifiedName(s.name)}`;
    case 'ShowVariable':
      return `SHOW ${s.name === 'all' ? 'ALL' : printSettingName(s.name, SHOW_WORDS)}`;
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
      return `FETCH${count} FROM ${printIdent(s.cursor)}${printWithBareOptions(s.options)}`;
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

/** ` WITH (...)` in Flink's quoted style, or nothing for an empty option list. */
function printWithOptions(options: readonly OptionEntry[]): string {
  return options.length === 0 ? '' : ` WITH ${printOptionList(options)}`;
}

/** ` WITH (...)` in PostgreSQL's bare style (COPY, SUBSCRIBE, FETCH), or nothing. */
function printWithBareOptions(options: readonly OptionEntry[]): string {
  return options.length === 0 ? '' : ` WITH ${printBareOptionList(options)}`;
}

// Words that begin another form of the statement where a setting name may
// stand (`SHOW TABLES`, `RESET ALL`, `SET TIME ZONE`, `SET SESSION x`): a
// name spelled like one of them must not print bare.
const SET_WORDS: ReadonlySet<string> = new Set(['session', 'local', 'time']);
const RESET_WORDS: ReadonlySet<string> = new Set(['all', 'time']);
const SHOW_WORDS: ReadonlySet<string> = new Set([
  'tables', 'views', 'materialized', 'jobs', 'functions', 'cursors', 'create', 'all', 'time', 'transaction',
]);

/** Whether a dotted setting name reads back unchanged when written bare. */
function isPlainSettingName(name: string, words: ReadonlySet<string>): boolean {
  return !words.has(name.split('.')[0] ?? '') && isPlainDottedName(name);
}

/**
 * A setting name of RESET or SHOW: bare when that reads back the same, a
 * string literal otherwise (both forms give the same name).
 */
function printSettingName(name: string, words: ReadonlySet<string>): string {
  return isPlainSettingName(name, words) ? name : printStringLiteral(name);
}

function printSet(s: SetStatement): string {
  if (s.name === undefined) return 'SET';
  if (s.quoted) {
    // Flink's form keeps Flink's quoting.
    return `SET ${s.local ? 'LOCAL ' : ''}${printStringLiteral(s.name)} = ${
      s.value === undefined ? 'DEFAULT' : printStringLiteral(s.value)}`;
  }
  // Unquoted names come from identifiers, so they print as identifiers to keep `quoted` false.
  const name = isPlainSettingName(s.name, SET_WORDS) ? s.name : s.name.split('.').map(quoteIdent).join('.');
  // A list of values is kept joined with ', ': one string literal reads back as the same text.
  const value = s.value === undefined ? 'DEFAULT' : printOptionValue(s.value);
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
  return `SUBSCRIBE ${target}${printWithBareOptions(s.options)}`;
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
  return `COPY ${source} ${s.direction} ${s.target}${printWithBareOptions(s.options)}`;
}
