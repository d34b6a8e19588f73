// Which statements are catalog queries, and running them: the entry point the
// connection uses for pg_catalog / information_schema reads and system functions.

import { tokenize } from '../sql-lexer.js';
import type { CBody, CExpr, CFrom, CQuery, CValue } from './ast.js';
import { CatalogEvaluator, type CatalogResult } from './evaluate.js';
import { CatalogSyntaxError, parseCatalogQuery } from './parser.js';
import { findCatalogTable, type CatalogContext } from './tables.js';

export type { CatalogContext } from './tables.js';
export type { CatalogResult } from './evaluate.js';
export { ObjectIds } from './object-ids.js';

/** System functions whose presence makes a SELECT a catalog query even without pg_ names. */
const SYSTEM_FUNCTIONS = new Set([
  'version', 'current_database', 'current_schema', 'current_schemas', 'current_user', 'session_user', 'current_role',
  'current_catalog', 'current_setting', 'set_config', 'has_table_privilege', 'has_schema_privilege',
  'has_database_privilege', 'obj_description', 'col_description', 'format_type', 'inet_server_addr', 'txid_current',
]);

/**
 * A statement the server answers from its computed catalogs, or undefined when it
 * is not one (it then goes to the engine).
 */
export function catalogQuery(sql: string): CQuery | undefined {
  let mentions = false;
  try {
    const tokens = tokenize(sql);
    const first = tokens[0];
    if (first === undefined || !(first.value === 'select' || first.value === 'with' || first.value === '(')) return undefined;
    mentions = tokens.some((t) => t.kind === 'ident'
      && (t.value === 'pg_catalog' || t.value === 'information_schema' || t.value.startsWith('pg_') || SYSTEM_FUNCTIONS.has(t.value)));
  } catch {
    return undefined;
  }
  if (!mentions) return undefined;
  let q: CQuery;
  try {
    q = parseCatalogQuery(sql);
  } catch (e) {
    if (e instanceof CatalogSyntaxError) return undefined;
    throw e;
  }
  return readsOnlyCatalogs(q, new Set()) ? q : undefined;
}

function readsOnlyCatalogs(q: CQuery, ctes: ReadonlySet<string>): boolean {
  const names = new Set([...ctes, ...q.with.map((w) => w.name)]);
  return q.with.every((w) => readsOnlyCatalogs(w.q, names)) && bodyOk(q.body, names) && q.orderBy.every((o) => exprOk(o.e, names));
}

function bodyOk(b: CBody, ctes: ReadonlySet<string>): boolean {
  switch (b.k) {
    case 'query': return readsOnlyCatalogs(b, ctes);
    case 'setop': return bodyOk(b.l, ctes) && bodyOk(b.r, ctes);
    case 'values': return b.rows.every((r) => r.every((e) => exprOk(e, ctes)));
    case 'select':
      return b.from.every((f) => fromOk(f, ctes))
        && b.items.every((i) => i.e.k === 'star' || exprOk(i.e, ctes))
        && (b.where === undefined || exprOk(b.where, ctes));
  }
}

function fromOk(f: CFrom, ctes: ReadonlySet<string>): boolean {
  switch (f.k) {
    case 'table': return (f.schema === undefined && ctes.has(f.name)) || findCatalogTable(f.schema, f.name) !== undefined;
    case 'sub': return readsOnlyCatalogs(f.q, ctes);
    case 'func': return true;
    case 'join': return fromOk(f.l, ctes) && fromOk(f.r, ctes);
  }
}

/** Subqueries in expressions must read catalogs too. */
function exprOk(e: CExpr, ctes: ReadonlySet<string>): boolean {
  switch (e.k) {
    case 'subquery': case 'exists': case 'arrayq': return readsOnlyCatalogs(e.q, ctes);
    case 'in': return exprOk(e.e, ctes) && (e.query === undefined || readsOnlyCatalogs(e.query, ctes)) && (e.list ?? []).every((x) => exprOk(x, ctes));
    case 'any': return exprOk(e.l, ctes) && (e.query === undefined || readsOnlyCatalogs(e.query, ctes));
    case 'bin': case 'distinct': return exprOk(e.l, ctes) && exprOk(e.r, ctes);
    case 'unary': case 'isnull': case 'istruth': case 'cast': case 'field': return exprOk(e.e, ctes);
    case 'call': return e.args.every((a) => exprOk(a, ctes));
    case 'case': return e.whens.every(([w, r]) => exprOk(w, ctes) && exprOk(r, ctes)) && (e.else === undefined || exprOk(e.else, ctes));
    default: return true;
  }
}

/** Runs a catalog query; `params` are text parameter values. */
export function runCatalogQuery(
  q: CQuery, ctx: CatalogContext, params: readonly CValue[], serverVersion: string, setSetting: (name: string, value: string) => void,
): { result: CatalogResult; evaluator: CatalogEvaluator } {
  const evaluator = new CatalogEvaluator(ctx, params, serverVersion, setSetting);
  return { result: evaluator.run(q), evaluator };
}
