// pg_catalog and information_schema as relations computed from Eddy's catalog
// when a query reads them. Columns carry PostgreSQL's names and types; the
// catalogs Eddy has nothing for (policies, publications, triggers...) are empty.

import type { DataType } from '../../common/data-type.js';
import type { Engine } from '../../executor/engine/engine.js';
import type { Expr } from '../../parser/ast/index.js';
import { printExpr } from '../../parser/printer/index.js';
import type { CatalogColumn } from '../../planner/binder/catalog-reader.js';
import { typeModifier, typeOid, typeSize } from '../types.js';
import type { CValue } from './ast.js';
import type { ObjectIds } from './object-ids.js';
import { builtinTypes, formatType } from './types.js';

export const NS_CATALOG = 11;
export const NS_PUBLIC = 2200;
export const NS_INFORMATION_SCHEMA = 13000;
export const ROLE_SUPERUSER = 10;
export const ROLE_DATABASE_OWNER = 6171;
export const DATABASE_OID = 16383;
const AM_HEAP = 2;
const AM_BTREE = 403;

/** What catalog relations are computed from: the engine and the connection asking. */
export interface CatalogContext {
  readonly engine: Engine;
  readonly oids: ObjectIds;
  readonly user: string;
  readonly database: string;
  readonly pid: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  setting(name: string): string | undefined;
  /** Every setting the session can SHOW, with its value. */
  settings(): readonly (readonly [string, string])[];
}

/** A user-visible relation as pg_class describes it. */
export interface RelationInfo {
  readonly oid: number;
  readonly name: string;
  /** pg_class.relkind: r table, v view, m materialized view, i index. */
  readonly relkind: 'r' | 'v' | 'm' | 'i';
  readonly namespace: number;
  readonly columns: readonly CatalogColumn[];
  readonly primaryKey?: readonly number[];
  /** For an index: the table it belongs to. */
  readonly table?: RelationInfo;
  readonly definition?: string;
}

export interface CatalogTable {
  /** Column names and catalog type names. */
  readonly columns: readonly (readonly [string, string])[];
  /** Stub catalogs accept any column name (as a NULL text): tools ask for columns Eddy has no use for. */
  readonly lenient: boolean;
  rows(ctx: CatalogContext, cache: CatalogCache): CValue[][];
}

/** Relations computed once per query. */
export class CatalogCache {
  private relationList: RelationInfo[] | undefined;

  constructor(private readonly ctx: CatalogContext) {}

  relations(): RelationInfo[] {
    this.relationList ??= listRelations(this.ctx);
    return this.relationList;
  }
}

function viewDefinition(createSql: string): string | undefined {
  const m = /^\s*CREATE\s+(?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")*"|`[^`]*`|[\w.]+)\s*(?:\([^)]*\)\s*)?(?:WITH\s*\([^)]*\)\s*)?AS\s+([\s\S]*)$/i.exec(createSql);
  if (!m) return undefined;
  return ` ${(m[1] as string).trim().replace(/;\s*$/, '')};`;
}

function listRelations(ctx: CatalogContext): RelationInfo[] {
  const out: RelationInfo[] = [];
  for (const entry of ctx.engine.catalog.all()) {
    const r = entry.relation;
    const relkind = r.kind === 'VIEW' ? 'v' : r.kind === 'MATERIALIZED VIEW' ? 'm' : 'r';
    const namespace = r.kind === 'SYSTEM TABLE' ? NS_CATALOG : NS_PUBLIC;
    const definition = relkind === 'r' ? undefined : viewDefinition(entry.createSql);
    const info: RelationInfo = {
      oid: ctx.oids.oid('relation', r.name), name: r.name, relkind, namespace, columns: r.columns,
      ...(r.primaryKey && r.primaryKey.length > 0 ? { primaryKey: r.primaryKey } : {}),
      ...(definition !== undefined ? { definition } : {}),
    };
    out.push(info);
    if (info.primaryKey) {
      const name = `${r.name}_pkey`;
      out.push({ oid: ctx.oids.oid('index', name), name, relkind: 'i', namespace, columns: info.primaryKey.map((i) => r.columns[i] as CatalogColumn), table: info });
    }
  }
  return out;
}

/** The column list of an index, as pg_get_indexdef prints it. */
export function indexDefinition(index: RelationInfo, schema: string): string {
  const table = index.table as RelationInfo;
  const cols = index.columns.map((c) => quoteIdent(c.name)).join(', ');
  return `CREATE UNIQUE INDEX ${quoteIdent(index.name)} ON ${schema}.${quoteIdent(table.name)} USING btree (${cols})`;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function namespaceName(oid: number): string | undefined {
  return oid === NS_CATALOG ? 'pg_catalog' : oid === NS_PUBLIC ? 'public' : oid === NS_INFORMATION_SCHEMA ? 'information_schema' : undefined;
}

const t = (cols: string): (readonly [string, string])[] => cols.trim().split(/\s*,\s*/).map((c) => {
  const [name, type] = c.split(/\s+/);
  return [name as string, type ?? 'text'] as const;
});

const empty = (cols: string): CatalogTable => ({ columns: t(cols), lenient: true, rows: () => [] });

function attributesOf(rel: RelationInfo): { rel: RelationInfo; col: CatalogColumn; num: number }[] {
  return rel.columns.map((col, i) => ({ rel, col, num: i + 1 }));
}

function dataTypeName(type: DataType): string {
  return formatType(typeOid(type), typeModifier(type)) ?? 'text';
}

function tableType(rel: RelationInfo): string {
  return rel.relkind === 'v' ? 'VIEW' : rel.namespace === NS_CATALOG ? 'SYSTEM TABLE' : rel.relkind === 'm' ? 'MATERIALIZED VIEW' : 'BASE TABLE';
}

const visible = (cache: CatalogCache): RelationInfo[] => cache.relations();

export const catalogTables: ReadonlyMap<string, CatalogTable> = new Map<string, CatalogTable>([
  ['pg_catalog.pg_namespace', {
    columns: t('oid oid, nspname name, nspowner oid, nspacl aclitem[]'),
    lenient: false,
    rows: () => [
      [NS_CATALOG, 'pg_catalog', ROLE_SUPERUSER, null],
      [NS_PUBLIC, 'public', ROLE_DATABASE_OWNER, null],
      [NS_INFORMATION_SCHEMA, 'information_schema', ROLE_SUPERUSER, null],
    ],
  }],
  ['pg_catalog.pg_class', {
    columns: t(`oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid,
      relfilenode oid, reltablespace oid, relpages int4, reltuples float4, relallvisible int4, reltoastrelid oid,
      relhasindex bool, relisshared bool, relpersistence char, relkind char, relnatts int2, relchecks int2,
      relhasrules bool, relhastriggers bool, relhassubclass bool, relrowsecurity bool, relforcerowsecurity bool,
      relispopulated bool, relreplident char, relispartition bool, relrewrite oid, relfrozenxid xid, relminmxid xid,
      relacl aclitem[], reloptions text[], relpartbound pg_node_tree`),
    lenient: false,
    rows: (_ctx, cache) => visible(cache).map((r) => [
      r.oid, r.name, r.namespace, 0, 0, ROLE_SUPERUSER, r.relkind === 'v' ? 0 : r.relkind === 'i' ? AM_BTREE : AM_HEAP,
      r.oid, 0, 0, -1, 0, 0,
      r.primaryKey !== undefined, false, 'p', r.relkind, r.columns.length, 0,
      false, false, false, false, false,
      true, r.relkind === 'v' || r.relkind === 'i' ? 'n' : 'd', false, 0, 0, 0,
      null, null, null,
    ]),
  }],
  ['pg_catalog.pg_attribute', {
    columns: t(`attrelid oid, attname name, atttypid oid, attstattarget int4, attlen int2, attnum int2, attndims int4,
      attcacheoff int4, atttypmod int4, attbyval bool, attalign char, attstorage char, attcompression char,
      attnotnull bool, atthasdef bool, atthasmissing bool, attidentity char, attgenerated char, attisdropped bool,
      attislocal bool, attinhcount int4, attcollation oid, attacl aclitem[], attoptions text[], attfdwoptions text[],
      attmissingval anyarray`),
    lenient: false,
    rows: (_ctx, cache) => visible(cache).flatMap(attributesOf).map(({ rel, col, num }) => {
      const oid = typeOid(col.type);
      return [
        rel.oid, col.name, oid, -1, typeSize(oid), num, col.type.kind === 'ARRAY' ? 1 : 0,
        -1, typeModifier(col.type), typeSize(oid) > 0 && typeSize(oid) <= 8, 'i', typeSize(oid) > 0 ? 'p' : 'x', '',
        !col.nullable, col.computed !== undefined, false, '', col.computed !== undefined ? 's' : '', false,
        true, 0, 0, null, null, null, null,
      ];
    }),
  }],
  ['pg_catalog.pg_type', {
    columns: t(`oid oid, typname name, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype char,
      typcategory char, typispreferred bool, typisdefined bool, typdelim char, typrelid oid, typsubscript regproc,
      typelem oid, typarray oid, typinput regproc, typoutput regproc, typreceive regproc, typsend regproc,
      typmodin regproc, typmodout regproc, typanalyze regproc, typalign char, typstorage char, typnotnull bool,
      typbasetype oid, typtypmod int4, typndims int4, typcollation oid, typdefaultbin pg_node_tree, typdefault text,
      typacl aclitem[]`),
    lenient: false,
    rows: (ctx) => builtinTypes.map((ty) => {
      const proc = (suffix: string): number => ctx.oids.oid('proc', ty.category === 'A' ? `array_${suffix}` : `${ty.name}${suffix}`);
      return [
      ty.oid, ty.name, NS_CATALOG, ROLE_SUPERUSER, ty.len, ty.len > 0 && ty.len <= 8, ty.typtype,
      ty.category, false, true, ',', 0, 0,
      ty.elem, ty.array, proc('in'), proc('out'), proc('recv'), proc('send'),
      0, 0, 0, ty.len === 8 ? 'd' : ty.len === 2 ? 's' : ty.len === 1 ? 'c' : 'i', ty.len > 0 ? 'p' : 'x', false,
      0, -1, 0, ty.category === 'S' ? 100 : 0, null, null, null,
      ];
    }),
  }],
  ['pg_catalog.pg_database', {
    columns: t(`oid oid, datname name, datdba oid, encoding int4, datlocprovider char, datistemplate bool,
      datallowconn bool, datconnlimit int4, datfrozenxid xid, datminmxid xid, dattablespace oid, datcollate text,
      datctype text, daticulocale text, datcollversion text, datacl aclitem[]`),
    lenient: false,
    rows: (ctx) => [[DATABASE_OID, ctx.database, ROLE_SUPERUSER, 6, 'c', false, true, -1, 0, 0, 1663, 'C.UTF-8', 'C.UTF-8', null, null, null]],
  }],
  ['pg_catalog.pg_roles', {
    columns: t(`rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool, rolcanlogin bool,
      rolreplication bool, rolconnlimit int4, rolpassword text, rolvaliduntil timestamptz, rolbypassrls bool,
      rolconfig text[], oid oid`),
    lenient: false,
    rows: (ctx) => [
      [ctx.user, true, true, true, true, true, true, -1, '********', null, true, null, ROLE_SUPERUSER],
      ['pg_database_owner', false, true, false, false, false, false, -1, '********', null, false, null, ROLE_DATABASE_OWNER],
    ],
  }],
  ['pg_catalog.pg_authid', {
    columns: t(`oid oid, rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool,
      rolcanlogin bool, rolreplication bool, rolbypassrls bool, rolconnlimit int4, rolpassword text, rolvaliduntil timestamptz`),
    lenient: false,
    rows: (ctx) => [
      [ROLE_SUPERUSER, ctx.user, true, true, true, true, true, true, true, -1, null, null],
      [ROLE_DATABASE_OWNER, 'pg_database_owner', false, true, false, false, false, false, false, -1, null, null],
    ],
  }],
  ['pg_catalog.pg_user', {
    columns: t(`usename name, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, usebypassrls bool,
      passwd text, valuntil timestamptz, useconfig text[]`),
    lenient: false,
    rows: (ctx) => [[ctx.user, ROLE_SUPERUSER, true, true, true, true, '********', null, null]],
  }],
  ['pg_catalog.pg_am', {
    columns: t('oid oid, amname name, amhandler regproc, amtype char'),
    lenient: false,
    rows: () => [[AM_HEAP, 'heap', 0, 't'], [AM_BTREE, 'btree', 0, 'i']],
  }],
  ['pg_catalog.pg_index', {
    columns: t(`indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool, indisprimary bool,
      indisexclusion bool, indimmediate bool, indisclustered bool, indisvalid bool, indcheckxmin bool, indisready bool,
      indislive bool, indisreplident bool, indkey int2vector, indcollation oidvector, indclass oidvector,
      indoption int2vector, indexprs pg_node_tree, indpred pg_node_tree`),
    lenient: false,
    rows: (_ctx, cache) => visible(cache).filter((r) => r.relkind === 'i').map((ix) => {
      const table = ix.table as RelationInfo;
      const keys = (table.primaryKey ?? []).map((i) => i + 1);
      return [
        ix.oid, table.oid, keys.length, keys.length, true, true,
        false, true, false, true, false, true,
        true, false, keys, keys.map(() => 0), keys.map(() => 0),
        keys.map(() => 0), null, null,
      ];
    }),
  }],
  ['pg_catalog.pg_constraint', {
    columns: t(`oid oid, conname name, connamespace oid, contype char, condeferrable bool, condeferred bool,
      convalidated bool, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, confupdtype char,
      confdeltype char, confmatchtype char, conislocal bool, coninhcount int4, connoinherit bool, conkey int2[],
      confkey int2[], conpfeqop oid[], conppeqop oid[], conffeqop oid[], confdelsetcols int2[], conexclop oid[],
      conbin pg_node_tree`),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'i').map((ix) => {
      const table = ix.table as RelationInfo;
      return [
        ctx.oids.oid('constraint', ix.name), ix.name, table.namespace, 'p', false, false,
        true, table.oid, 0, ix.oid, 0, 0, ' ',
        ' ', ' ', true, 0, true, (table.primaryKey ?? []).map((i) => i + 1),
        null, null, null, null, null, null, null,
      ];
    }),
  }],
  ['pg_catalog.pg_description', { columns: t('objoid oid, classoid oid, objsubid int4, description text'), lenient: false, rows: () => [] }],
  ['pg_catalog.pg_shdescription', { columns: t('objoid oid, classoid oid, description text'), lenient: false, rows: () => [] }],
  ['pg_catalog.pg_attrdef', {
    columns: t('oid oid, adrelid oid, adnum int2, adbin pg_node_tree'),
    lenient: false,
    // Computed columns, as generated columns: adbin holds the expression's text, which pg_get_expr returns.
    rows: (ctx, cache) => visible(cache).flatMap(attributesOf).filter(({ col }) => col.computed !== undefined).map(({ rel, col, num }) => [
      ctx.oids.oid('attrdef', `${rel.name}.${col.name}`), rel.oid, num, printExpr(col.computed as Expr),
    ]),
  }],
  ['pg_catalog.pg_collation', {
    columns: t(`oid oid, collname name, collnamespace oid, collowner oid, collprovider char, collisdeterministic bool,
      collencoding int4, collcollate text, collctype text, colliculocale text, collversion text`),
    lenient: false,
    rows: () => [[100, 'default', NS_CATALOG, ROLE_SUPERUSER, 'd', true, -1, null, null, null, null]],
  }],
  ['pg_catalog.pg_proc', {
    columns: t(`oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost float4, prorows float4,
      provariadic oid, prosupport regproc, prokind char, prosecdef bool, proleakproof bool, proisstrict bool,
      proretset bool, provolatile char, proparallel char, pronargs int2, pronargdefaults int2, prorettype oid,
      proargtypes oidvector, proallargtypes oid[], proargmodes char[], proargnames text[], proargdefaults pg_node_tree,
      protrftypes oid[], prosrc text, probin text, prosqlbody pg_node_tree, proconfig text[], proacl aclitem[]`),
    lenient: false,
    rows: () => [],
  }],
  ['pg_catalog.pg_settings', {
    columns: t(`name text, setting text, unit text, category text, short_desc text, extra_desc text, context text,
      vartype text, source text, min_val text, max_val text, enumvals text[], boot_val text, reset_val text,
      sourcefile text, sourceline int4, pending_restart bool`),
    lenient: false,
    rows: (ctx) => ctx.settings().map(([name, value]) => [
      name, value, null, 'Eddy', '', null, 'user', 'string', 'default', null, null, null, value, value, null, null, false,
    ]),
  }],
  ['pg_catalog.pg_tables', {
    columns: t('schemaname name, tablename name, tableowner name, tablespace name, hasindexes bool, hasrules bool, hastriggers bool, rowsecurity bool'),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'r').map((r) => [
      namespaceName(r.namespace) ?? 'public', r.name, ctx.user, null, r.primaryKey !== undefined, false, false, false,
    ]),
  }],
  ['pg_catalog.pg_views', {
    columns: t('schemaname name, viewname name, viewowner name, definition text'),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'v').map((r) => ['public', r.name, ctx.user, r.definition ?? null]),
  }],
  ['pg_catalog.pg_matviews', {
    columns: t('schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes bool, ispopulated bool, definition text'),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'm').map((r) => ['public', r.name, ctx.user, null, false, true, r.definition ?? null]),
  }],
  ['pg_catalog.pg_tablespace', {
    columns: t('oid oid, spcname name, spcowner oid, spcacl aclitem[], spcoptions text[]'),
    lenient: false,
    rows: () => [[1663, 'pg_default', ROLE_SUPERUSER, null, null], [1664, 'pg_global', ROLE_SUPERUSER, null, null]],
  }],
  ['pg_catalog.pg_extension', empty('oid oid, extname name, extowner oid, extnamespace oid, extrelocatable bool, extversion text')],
  ['pg_catalog.pg_inherits', empty('inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool')],
  ['pg_catalog.pg_policy', empty('oid oid, polname name, polrelid oid, polcmd char, polpermissive bool, polroles oid[], polqual pg_node_tree, polwithcheck pg_node_tree')],
  ['pg_catalog.pg_statistic_ext', empty('oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget int4, stxkeys int2vector, stxkind char[]')],
  ['pg_catalog.pg_publication', empty('oid oid, pubname name, pubowner oid, puballtables bool, pubinsert bool, pubupdate bool, pubdelete bool, pubtruncate bool, pubviaroot bool')],
  ['pg_catalog.pg_publication_namespace', empty('oid oid, pnpubid oid, pnnspid oid')],
  ['pg_catalog.pg_publication_rel', empty('oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector')],
  ['pg_catalog.pg_trigger', empty('oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype int2, tgenabled char, tgisinternal bool')],
  ['pg_catalog.pg_rewrite', empty('oid oid, rulename name, ev_class oid, ev_type char, ev_enabled char, is_instead bool')],
  ['pg_catalog.pg_depend', empty('classid oid, objid oid, objsubid int4, refclassid oid, refobjid oid, refobjsubid int4, deptype char')],
  ['pg_catalog.pg_foreign_table', empty('ftrelid oid, ftserver oid, ftoptions text[]')],
  ['pg_catalog.pg_foreign_server', empty('oid oid, srvname name, srvowner oid, srvfdw oid')],
  ['pg_catalog.pg_foreign_data_wrapper', empty('oid oid, fdwname name, fdwowner oid')],
  ['pg_catalog.pg_enum', empty('oid oid, enumtypid oid, enumsortorder float4, enumlabel name')],
  ['pg_catalog.pg_range', empty('rngtypid oid, rngsubtype oid, rngmultitypid oid')],
  ['pg_catalog.pg_sequence', empty('seqrelid oid, seqtypid oid, seqstart int8, seqincrement int8, seqmax int8, seqmin int8, seqcache int8, seqcycle bool')],
  ['pg_catalog.pg_event_trigger', empty('oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid, evtenabled char')],
  ['pg_catalog.pg_opclass', empty('oid oid, opcmethod oid, opcname name, opcnamespace oid, opcowner oid, opcfamily oid, opcintype oid, opcdefault bool')],
  ['pg_catalog.pg_opfamily', empty('oid oid, opfmethod oid, opfname name, opfnamespace oid, opfowner oid')],
  ['pg_catalog.pg_conversion', empty('oid oid, conname name, connamespace oid, conowner oid, conforencoding int4, contoencoding int4, conproc regproc, condefault bool')],
  ['pg_catalog.pg_ts_config', empty('oid oid, cfgname name, cfgnamespace oid, cfgowner oid, cfgparser oid')],
  ['pg_catalog.pg_ts_dict', empty('oid oid, dictname name, dictnamespace oid, dictowner oid, dicttemplate oid')],
  ['pg_catalog.pg_ts_parser', empty('oid oid, prsname name, prsnamespace oid')],
  ['pg_catalog.pg_ts_template', empty('oid oid, tmplname name, tmplnamespace oid')],
  ['pg_catalog.pg_user_mapping', empty('oid oid, umuser oid, umserver oid, umoptions text[]')],
  ['pg_catalog.pg_default_acl', empty('oid oid, defaclrole oid, defaclnamespace oid, defaclobjtype char, defaclacl aclitem[]')],
  ['pg_catalog.pg_init_privs', empty('objoid oid, classoid oid, objsubid int4, privtype char, initprivs aclitem[]')],
  ['pg_catalog.pg_largeobject_metadata', empty('oid oid, lomowner oid, lomacl aclitem[]')],
  ['pg_catalog.pg_subscription', empty('oid oid, subdbid oid, subname name, subowner oid, subenabled bool')],
  ['pg_catalog.pg_transform', empty('oid oid, trftype oid, trflang oid, trffromsql regproc, trftosql regproc')],
  ['pg_catalog.pg_aggregate', empty('aggfnoid regproc, aggkind char, aggnumdirectargs int2, aggtransfn regproc, aggfinalfn regproc')],
  ['pg_catalog.pg_cast', empty('oid oid, castsource oid, casttarget oid, castfunc oid, castcontext char, castmethod char')],
  ['pg_catalog.pg_operator', empty('oid oid, oprname name, oprnamespace oid, oprowner oid, oprkind char, oprleft oid, oprright oid, oprresult oid')],
  ['pg_catalog.pg_language', empty('oid oid, lanname name, lanowner oid, lanispl bool, lanpltrusted bool')],
  ['pg_catalog.pg_auth_members', empty('oid oid, roleid oid, member oid, grantor oid, admin_option bool')],
  ['pg_catalog.pg_statistic_ext_data', empty('stxoid oid')],
  ['pg_catalog.pg_partitioned_table', empty('partrelid oid, partstrat char, partnatts int2')],
  ['pg_catalog.pg_stat_activity', {
    columns: t(`datid oid, datname name, pid int4, usesysid oid, usename name, application_name text, client_addr text,
      client_port int4, backend_start timestamptz, state text, query text, backend_type text`),
    lenient: true,
    rows: (ctx) => [[DATABASE_OID, ctx.database, ctx.pid, ROLE_SUPERUSER, ctx.user, ctx.setting('application_name') ?? '', '127.0.0.1', null, null, 'active', null, 'client backend']],
  }],
  ['information_schema.schemata', {
    columns: t('catalog_name name, schema_name name, schema_owner name, default_character_set_catalog name, default_character_set_schema name, default_character_set_name name, sql_path text'),
    lenient: false,
    rows: (ctx) => ['pg_catalog', 'public', 'information_schema'].map((s) => [ctx.database, s, ctx.user, null, null, null, null]),
  }],
  ['information_schema.tables', {
    columns: t(`table_catalog name, table_schema name, table_name name, table_type text, self_referencing_column_name name,
      reference_generation text, user_defined_type_catalog name, user_defined_type_schema name, user_defined_type_name name,
      is_insertable_into text, is_typed text, commit_action text`),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind !== 'i').map((r) => [
      ctx.database, namespaceName(r.namespace) ?? 'public', r.name, tableType(r), null, null, null, null, null,
      r.relkind === 'r' && r.namespace === NS_PUBLIC ? 'YES' : 'NO', 'NO', null,
    ]),
  }],
  ['information_schema.views', {
    columns: t('table_catalog name, table_schema name, table_name name, view_definition text, check_option text, is_updatable text, is_insertable_into text, is_trigger_updatable text, is_trigger_deletable text, is_trigger_insertable_into text'),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'v').map((r) => [
      ctx.database, 'public', r.name, r.definition ?? null, 'NONE', 'NO', 'NO', 'NO', 'NO', 'NO',
    ]),
  }],
  ['information_schema.columns', {
    columns: t(`table_catalog name, table_schema name, table_name name, column_name name, ordinal_position int4,
      column_default text, is_nullable text, data_type text, character_maximum_length int4, character_octet_length int4,
      numeric_precision int4, numeric_precision_radix int4, numeric_scale int4, datetime_precision int4,
      interval_type text, interval_precision int4, udt_catalog name, udt_schema name, udt_name name,
      is_identity text, is_generated text, generation_expression text, is_updatable text`),
    lenient: true,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind !== 'i').flatMap(attributesOf).map(({ rel, col, num }) => {
      const ty = col.type;
      const oid = typeOid(ty);
      const udt = builtinTypes.find((b) => b.oid === oid)?.name ?? 'text';
      const charLen = ty.kind === 'VARCHAR' || ty.kind === 'CHAR' ? ty.length : null;
      const numeric = numericFacts(ty);
      return [
        ctx.database, namespaceName(rel.namespace) ?? 'public', rel.name, col.name, num,
        null, col.nullable ? 'YES' : 'NO', informationSchemaType(ty), charLen, charLen === null ? (ty.kind === 'VARCHAR' ? 1073741824 : null) : charLen * 4,
        numeric.precision, numeric.radix, numeric.scale, ty.kind === 'TIME' || ty.kind === 'TIMESTAMP' || ty.kind === 'TIMESTAMP_LTZ' ? ty.precision : ty.kind === 'DATE' ? 0 : null,
        null, null, ctx.database, 'pg_catalog', udt,
        'NO', col.computed !== undefined ? 'ALWAYS' : 'NEVER', null, rel.relkind === 'r' && col.computed === undefined ? 'YES' : 'NO',
      ];
    }),
  }],
  ['information_schema.table_constraints', {
    columns: t(`constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name, table_schema name,
      table_name name, constraint_type text, is_deferrable text, initially_deferred text, enforced text, nulls_distinct text`),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'i').map((ix) => [
      ctx.database, 'public', ix.name, ctx.database, 'public', (ix.table as RelationInfo).name, 'PRIMARY KEY', 'NO', 'NO', 'NO', null,
    ]),
  }],
  ['information_schema.key_column_usage', {
    columns: t(`constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name, table_schema name,
      table_name name, column_name name, ordinal_position int4, position_in_unique_constraint int4`),
    lenient: false,
    rows: (ctx, cache) => visible(cache).filter((r) => r.relkind === 'i').flatMap((ix) => ix.columns.map((c, i) => [
      ctx.database, 'public', ix.name, ctx.database, 'public', (ix.table as RelationInfo).name, c.name, i + 1, null,
    ])),
  }],
  ['information_schema.routines', empty('specific_catalog name, specific_schema name, specific_name name, routine_catalog name, routine_schema name, routine_name name, routine_type text, data_type text')],
  ['information_schema.referential_constraints', empty('constraint_catalog name, constraint_schema name, constraint_name name, unique_constraint_catalog name, unique_constraint_schema name, unique_constraint_name name, match_option text, update_rule text, delete_rule text')],
]);

/** information_schema's data_type: the SQL-standard spelling. */
function informationSchemaType(type: DataType): string {
  switch (type.kind) {
    case 'ARRAY': return 'ARRAY';
    case 'ROW': return 'record';
    case 'MAP': return 'text';
    case 'VARCHAR': return type.length === null ? 'text' : 'character varying';
    case 'CHAR': return 'character';
    case 'DECIMAL': return 'numeric';
    default: return dataTypeName(type).replace(/\(\d+(,\d+)?\)/, '');
  }
}

function numericFacts(type: DataType): { precision: number | null; radix: number | null; scale: number | null } {
  switch (type.kind) {
    case 'TINYINT': case 'SMALLINT': return { precision: 16, radix: 2, scale: 0 };
    case 'INT': return { precision: 32, radix: 2, scale: 0 };
    case 'BIGINT': return { precision: 64, radix: 2, scale: 0 };
    case 'FLOAT': return { precision: 24, radix: 2, scale: null };
    case 'DOUBLE': return { precision: 53, radix: 2, scale: null };
    case 'DECIMAL': return { precision: type.precision, radix: 10, scale: type.scale };
    default: return { precision: null, radix: null, scale: null };
  }
}

/** The catalog table for `schema.name`; unqualified pg_* names are found in pg_catalog as PostgreSQL's search path does. */
export function findCatalogTable(schema: string | undefined, name: string): { key: string; table: CatalogTable } | undefined {
  const candidates = schema !== undefined ? [`${schema}.${name}`] : [`pg_catalog.${name}`];
  for (const key of candidates) {
    const table = catalogTables.get(key);
    if (table) return { key, table };
  }
  return undefined;
}
