// SHOW TABLES / VIEWS / MATERIALIZED VIEWS / JOBS, SHOW CREATE, SHOW name, DESCRIBE.

import { typeToSql } from '../../../common/data-type.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Row } from '../../../common/value.js';
import { parseStatement } from '../../../parser/index.js';
import type { Describe, ShowCreate, ShowObjects, ShowVariable } from '../../../parser/ast/index.js';
import { printExpr, printStatement } from '../../../parser/printer/index.js';
import type { RelationKind } from '../../../planner/binder/catalog-reader.js';
import { objectName } from '../../../planner/planner.js';
import type { StatementResult } from '../api.js';
import type { StatementContext } from '../session.js';
import { textColumn } from './common.js';

const listed: Partial<Record<ShowObjects['objectType'], RelationKind>> = {
  TABLES: 'TABLE',
  VIEWS: 'VIEW',
  'MATERIALIZED VIEWS': 'MATERIALIZED VIEW',
};

export function runShowObjects(ctx: StatementContext<ShowObjects>): StatementResult {
  const { engine, statement } = ctx;
  if (statement.objectType === 'JOBS') {
    const rows: Row[] = [...engine.jobs.values()].map((j) => [Number(j.id), j.kind, j.target, j.status, j.sql]);
    return {
      kind: 'rows',
      columns: [{ name: 'job', type: { kind: 'BIGINT' } }, textColumn('kind'), textColumn('target'), textColumn('status'), textColumn('sql')],
      rows,
      tag: `SHOW ${rows.length}`,
    };
  }
  if (statement.objectType === 'CURSORS') {
    const rows: Row[] = [...ctx.session.cursors.keys()].sort().map((n) => [n]);
    return { kind: 'rows', columns: [textColumn('cursor name')], rows, tag: `SHOW ${rows.length}` };
  }
  const kind = listed[statement.objectType];
  if (!kind) throw new SqlError(SqlState.featureNotSupported, `SHOW ${statement.objectType} is not supported yet`);
  const rows: Row[] = [...engine.catalog.all()]
    .filter((e) => e.relation.kind === kind)
    .map((e) => e.relation.name)
    .sort()
    .map((n) => [n]);
  const header = kind === 'TABLE' ? 'table name' : kind === 'VIEW' ? 'view name' : 'materialized view name';
  return { kind: 'rows', columns: [textColumn(header)], rows, tag: `SHOW ${rows.length}` };
}

export function runShowCreate(ctx: StatementContext<ShowCreate>): StatementResult {
  const name = objectName(ctx.statement.name);
  const entry = ctx.engine.catalog.entry(name);
  const what = ctx.statement.objectType.toLowerCase();
  if (!entry || entry.relation.kind !== ctx.statement.objectType) {
    throw new SqlError(SqlState.undefinedTable, `${what} "${name}" does not exist`);
  }
  const text = `${printStatement(parseStatement(entry.createSql))};`;
  return { kind: 'rows', columns: [textColumn('create statement')], rows: [[text]], tag: 'SHOW' };
}

export function runShowVariable(ctx: StatementContext<ShowVariable>): StatementResult {
  const name = ctx.statement.name.toLowerCase();
  if (name === 'all') {
    const keys = new Set([...ctx.engine.settings.keys(), ...ctx.session.settings.keys()]);
    const rows: Row[] = [...keys].sort().map((k) => [k, ctx.session.setting(k) ?? '']);
    return { kind: 'rows', columns: [textColumn('name'), textColumn('setting')], rows, tag: `SHOW ${rows.length}` };
  }
  const key = name === 'time zone' ? 'timezone' : name;
  const value = ctx.session.setting(key);
  if (value === undefined) {
    throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${ctx.statement.name}"`);
  }
  return { kind: 'rows', columns: [textColumn(key)], rows: [[value]], tag: 'SHOW' };
}

export function runDescribe(ctx: StatementContext<Describe>): StatementResult {
  const name = objectName(ctx.statement.name);
  const rel = ctx.engine.catalog.relation(name);
  if (!rel) throw new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`);
  const pk = new Set(rel.primaryKey ?? []);
  const pkNames = (rel.primaryKey ?? []).map((i) => rel.columns[i]?.name).join(', ');
  const rows: Row[] = rel.columns.map((c, i) => {
    const rowtime = rel.watermark?.column === i;
    const proctime = c.computed?.kind === 'FunctionCall' && c.computed.name.at(-1)?.value === 'proctime';
    const type = typeToSql(c.type) + (rowtime ? ' *ROWTIME*' : proctime ? ' *PROCTIME*' : '');
    return [
      c.name,
      type,
      c.nullable,
      pk.has(i) ? `PRI(${pkNames})` : null,
      c.computed ? `AS ${printExpr(c.computed)}` : null,
      rowtime && rel.watermark ? printExpr(rel.watermark.expr) : null,
    ];
  });
  return {
    kind: 'rows',
    columns: [textColumn('name'), textColumn('type'), { name: 'null', type: { kind: 'BOOLEAN' } }, textColumn('key'), textColumn('extras'), textColumn('watermark')],
    rows,
    tag: `DESCRIBE ${rows.length}`,
  };
}
