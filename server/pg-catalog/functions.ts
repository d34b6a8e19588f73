// Functions catalog queries call: system information (version(), current_user,
// current_setting), catalog helpers psql and drivers use (format_type,
// pg_get_userbyid, pg_table_is_visible, pg_get_indexdef ...), a few string and
// array functions, aggregates, and set-returning functions for FROM.

import { SqlError, SqlState } from '../../common/errors.js';
import type { CValue } from './ast.js';
import {
  CatalogCache, indexDefinition, namespaceName, quoteIdent, ROLE_DATABASE_OWNER, ROLE_SUPERUSER, type CatalogContext, type RelationInfo,
} from './tables.js';
import { formatType } from './types.js';
import { compareValues, textOf, toNumber, truthy, type OidNames } from './values.js';

/** What a function call can see. */
export interface FunctionEnv {
  readonly ctx: CatalogContext;
  readonly cache: CatalogCache;
  readonly names: OidNames;
  readonly serverVersion: string;
  /** Sets a session setting (set_config). */
  setSetting(name: string, value: string): void;
}

export interface ScalarFunction {
  /** Result type: fixed, or from the argument types. */
  readonly ret: string | ((argTypes: readonly string[]) => string);
  /** Called with NULL arguments too unless `strict`. */
  readonly strict?: boolean;
  call(args: readonly CValue[], env: FunctionEnv): CValue;
}

export interface AggregateFunction {
  readonly ret: string | ((argTypes: readonly string[]) => string);
  /** `rows`: the argument values of each input row of the group. */
  call(rows: readonly (readonly CValue[])[], distinct: boolean): CValue;
}

const always = (ret: string, value: CValue): ScalarFunction => ({ ret, call: () => value });

function relationByOid(cache: CatalogCache, oid: CValue): RelationInfo | undefined {
  if (oid === null) return undefined;
  const n = typeof oid === 'number' ? oid : Number(oid);
  return cache.relations().find((r) => r.oid === n);
}

function roleName(env: FunctionEnv, oid: CValue): string | null {
  const n = Number(oid);
  if (n === ROLE_SUPERUSER) return env.ctx.user;
  if (n === ROLE_DATABASE_OWNER) return 'pg_database_owner';
  return `unknown (OID=${n})`;
}

function likeToRegex(pattern: string, flags: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, flags);
}

export function matchLike(value: string, pattern: string, caseInsensitive: boolean): boolean {
  return likeToRegex(pattern, caseInsensitive ? 'i' : '').test(value);
}

export function matchRegex(value: string, pattern: string, caseInsensitive: boolean): boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern, caseInsensitive ? 'i' : '');
  } catch {
    throw new SqlError(SqlState.invalidRegularExpression, `invalid regular expression: ${pattern}`);
  }
  return re.test(value);
}

function arrayArg(v: CValue): readonly CValue[] {
  if (Array.isArray(v)) return v;
  throw new SqlError(SqlState.datatypeMismatch, 'argument is not an array');
}

const text = 'text';

export const scalarFunctions: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['version', { ret: text, call: (_a, env) => `PostgreSQL 16.0 (Eddy ${env.serverVersion}) on ${process.arch}-${process.platform}, a streaming SQL engine` }],
  ['current_database', { ret: 'name', call: (_a, env) => env.ctx.database }],
  ['current_catalog', { ret: 'name', call: (_a, env) => env.ctx.database }],
  ['current_schema', { ret: 'name', call: () => 'public' }],
  ['current_schemas', { ret: 'name[]', call: (a) => (truthy(a[0] ?? false) ? ['pg_catalog', 'public'] : ['public']) }],
  ['current_user', { ret: 'name', call: (_a, env) => env.ctx.user }],
  ['current_role', { ret: 'name', call: (_a, env) => env.ctx.user }],
  ['session_user', { ret: 'name', call: (_a, env) => env.ctx.user }],
  ['user', { ret: 'name', call: (_a, env) => env.ctx.user }],
  ['pg_backend_pid', { ret: 'int4', call: (_a, env) => env.ctx.pid }],
  ['inet_server_addr', always(text, '127.0.0.1')],
  ['inet_client_addr', always(text, '127.0.0.1')],
  ['inet_server_port', always('int4', null)],
  ['pg_postmaster_start_time', { ret: 'timestamptz', call: (_a, env) => new Date(env.ctx.startedAt).toISOString().replace('T', ' ').replace('Z', '+00') }],
  ['now', { ret: 'timestamptz', call: () => new Date().toISOString().replace('T', ' ').replace('Z', '+00') }],
  ['current_timestamp', { ret: 'timestamptz', call: () => new Date().toISOString().replace('T', ' ').replace('Z', '+00') }],
  ['current_setting', {
    ret: text,
    call: (a, env) => {
      const name = textOf(a[0] ?? null);
      const v = env.ctx.setting(name);
      if (v === undefined) {
        if (a[1] !== undefined && truthy(a[1] ?? null)) return null;
        throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
      }
      return v;
    },
  }],
  ['set_config', {
    ret: text,
    call: (a, env) => {
      const value = a[1] === null || a[1] === undefined ? '' : textOf(a[1]);
      env.setSetting(textOf(a[0] ?? null), value);
      return value;
    },
  }],
  ['pg_table_is_visible', always('bool', true)],
  ['pg_type_is_visible', always('bool', true)],
  ['pg_function_is_visible', always('bool', true)],
  ['pg_collation_is_visible', always('bool', true)],
  ['pg_opclass_is_visible', always('bool', true)],
  ['pg_conversion_is_visible', always('bool', true)],
  ['pg_ts_config_is_visible', always('bool', true)],
  ['pg_statistics_obj_is_visible', always('bool', true)],
  ['has_table_privilege', always('bool', true)],
  ['has_schema_privilege', always('bool', true)],
  ['has_database_privilege', always('bool', true)],
  ['has_column_privilege', always('bool', true)],
  ['has_any_column_privilege', always('bool', true)],
  ['has_function_privilege', always('bool', true)],
  ['has_sequence_privilege', always('bool', true)],
  ['pg_has_role', always('bool', true)],
  ['pg_is_in_recovery', always('bool', false)],
  ['pg_relation_is_publishable', always('bool', false)],
  ['txid_current', always('int8', 1)],
  ['pg_current_xact_id', always('int8', 1)],
  ['pg_get_userbyid', { ret: 'name', strict: true, call: (a, env) => roleName(env, a[0] ?? null) }],
  ['format_type', {
    ret: text,
    call: (a) => (a[0] === null || a[0] === undefined ? null : formatType(Number(a[0]), a[1] === null || a[1] === undefined ? null : Number(a[1]))),
  }],
  // adbin holds an expression's text already (see pg_attrdef).
  ['pg_get_expr', { ret: text, strict: true, call: (a) => (typeof a[0] === 'string' ? a[0] : null) }],
  ['pg_get_triggerdef', always(text, null)],
  ['pg_get_partkeydef', always(text, null)],
  ['pg_get_statisticsobjdef_columns', always(text, null)],
  ['pg_get_serial_sequence', always(text, null)],
  ['pg_get_function_result', always(text, null)],
  ['pg_get_function_arguments', always(text, null)],
  ['pg_get_function_identity_arguments', always(text, null)],
  ['pg_get_ruledef', always(text, null)],
  ['obj_description', always(text, null)],
  ['col_description', always(text, null)],
  ['shobj_description', always(text, null)],
  ['pg_get_indexdef', {
    ret: text,
    strict: true,
    call: (a, env) => {
      const ix = relationByOid(env.cache, a[0] ?? null);
      if (ix === undefined || ix.relkind !== 'i') return null;
      const column = a[1] === undefined ? 0 : Number(a[1]);
      if (column > 0) return ix.columns[column - 1]?.name ?? null;
      return indexDefinition(ix, namespaceName(ix.namespace) ?? 'public');
    },
  }],
  ['pg_get_constraintdef', {
    ret: text,
    strict: true,
    call: (a, env) => {
      const n = Number(a[0]);
      const ix = env.cache.relations().find((r) => r.relkind === 'i' && env.ctx.oids.oid('constraint', r.name) === n);
      return ix === undefined ? null : `PRIMARY KEY (${ix.columns.map((c) => quoteIdent(c.name)).join(', ')})`;
    },
  }],
  ['pg_get_viewdef', {
    ret: text,
    strict: true,
    call: (a, env) => {
      const arg = a[0] ?? null;
      const rel = typeof arg === 'string' && !/^\d+$/.test(arg)
        ? env.cache.relations().find((r) => r.name === arg)
        : relationByOid(env.cache, arg);
      return rel?.definition ?? null;
    },
  }],
  ['pg_encoding_to_char', { ret: 'name', strict: true, call: (a) => (Number(a[0]) === 6 ? 'UTF8' : 'SQL_ASCII') }],
  ['pg_char_to_encoding', { ret: 'int4', strict: true, call: (a) => (textOf(a[0] ?? null).toUpperCase() === 'UTF8' ? 6 : 0) }],
  ['pg_encoding_max_length', always('int4', 4)],
  ['pg_relation_size', always('int8', 0)],
  ['pg_table_size', always('int8', 0)],
  ['pg_total_relation_size', always('int8', 0)],
  ['pg_indexes_size', always('int8', 0)],
  ['pg_database_size', always('int8', 0)],
  ['pg_size_pretty', { ret: text, strict: true, call: (a) => `${toNumber(a[0] ?? 0, 'int8')} bytes` }],
  ['array_to_string', {
    ret: text,
    call: (a) => {
      if (a[0] === null || a[1] === null) return null;
      const nullText = a[2] === undefined || a[2] === null ? undefined : textOf(a[2]);
      const items = arrayArg(a[0] ?? null).flatMap((v) => (v === null ? (nullText === undefined ? [] : [nullText]) : [textOf(v)]));
      return items.join(textOf(a[1] ?? ''));
    },
  }],
  ['array_remove', {
    ret: (types) => types[0] ?? 'text[]',
    call: (a) => {
      if (a[0] === null || a[0] === undefined) return null;
      const drop = a[1] ?? null;
      return arrayArg(a[0]).filter((v) => (drop === null ? v !== null : v === null || compareValues(v, drop) !== 0));
    },
  }],
  ['pg_tablespace_location', always(text, '')],
  ['array_length', { ret: 'int4', strict: true, call: (a) => { const n = arrayArg(a[0] ?? null).length; return n === 0 ? null : n; } }],
  ['array_upper', { ret: 'int4', strict: true, call: (a) => { const n = arrayArg(a[0] ?? null).length; return n === 0 ? null : n; } }],
  ['array_lower', { ret: 'int4', strict: true, call: (a) => (arrayArg(a[0] ?? null).length === 0 ? null : 1) }],
  ['cardinality', { ret: 'int4', strict: true, call: (a) => arrayArg(a[0] ?? null).length }],
  ['lower', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).toLowerCase() }],
  ['upper', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).toUpperCase() }],
  ['length', { ret: 'int4', strict: true, call: (a) => [...textOf(a[0] ?? null)].length }],
  ['char_length', { ret: 'int4', strict: true, call: (a) => [...textOf(a[0] ?? null)].length }],
  ['octet_length', { ret: 'int4', strict: true, call: (a) => Buffer.byteLength(textOf(a[0] ?? null)) }],
  ['substr', {
    ret: text, strict: true,
    call: (a) => {
      const chars = [...textOf(a[0] ?? null)];
      const start = Number(a[1]) - 1;
      const len = a[2] === undefined ? chars.length : Number(a[2]);
      return chars.slice(Math.max(0, start), Math.max(0, start + len)).join('');
    },
  }],
  ['substring', {
    ret: text, strict: true,
    call: (a) => {
      const chars = [...textOf(a[0] ?? null)];
      const start = Number(a[1]) - 1;
      const len = a[2] === undefined ? chars.length : Number(a[2]);
      return chars.slice(Math.max(0, start), Math.max(0, start + len)).join('');
    },
  }],
  ['strpos', { ret: 'int4', strict: true, call: (a) => [...textOf(a[0] ?? null)].join('').indexOf(textOf(a[1] ?? null)) + 1 }],
  ['replace', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).split(textOf(a[1] ?? null)).join(textOf(a[2] ?? null)) }],
  ['split_part', {
    ret: text, strict: true,
    call: (a) => textOf(a[0] ?? null).split(textOf(a[1] ?? null))[Number(a[2]) - 1] ?? '',
  }],
  ['starts_with', { ret: 'bool', strict: true, call: (a) => textOf(a[0] ?? null).startsWith(textOf(a[1] ?? null)) }],
  ['btrim', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).trim() }],
  ['ltrim', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).trimStart() }],
  ['rtrim', { ret: text, strict: true, call: (a) => textOf(a[0] ?? null).trimEnd() }],
  ['left', { ret: text, strict: true, call: (a) => [...textOf(a[0] ?? null)].slice(0, Number(a[1])).join('') }],
  ['right', { ret: text, strict: true, call: (a) => { const c = [...textOf(a[0] ?? null)]; return c.slice(Math.max(0, c.length - Number(a[1]))).join(''); } }],
  ['concat', { ret: text, call: (a) => a.map((v) => (v === null ? '' : textOf(v))).join('') }],
  ['concat_ws', { ret: text, call: (a) => a.slice(1).filter((v) => v !== null).map((v) => textOf(v)).join(textOf(a[0] ?? '')) }],
  ['quote_ident', { ret: text, strict: true, call: (a) => quoteIdent(textOf(a[0] ?? null)) }],
  ['quote_literal', { ret: text, strict: true, call: (a) => `'${textOf(a[0] ?? null).replace(/'/g, "''")}'` }],
  ['regexp_replace', {
    ret: text, strict: true,
    call: (a) => {
      const flags = a[3] === undefined ? '' : textOf(a[3] ?? null);
      const re = new RegExp(textOf(a[1] ?? null), flags.replace(/[^gi]/g, ''));
      return textOf(a[0] ?? null).replace(re, textOf(a[2] ?? null).replace(/\\(\d)/g, '$$$1'));
    },
  }],
  ['coalesce', { ret: (types) => types.find((ty) => ty !== 'unknown') ?? text, call: (a) => a.find((v) => v !== null) ?? null }],
  ['nullif', { ret: (types) => types[0] ?? text, call: (a) => (a[0] !== null && a[1] !== null && compareValues(a[0] as CValue, a[1] as CValue) === 0 ? null : a[0] ?? null) }],
  ['greatest', { ret: (types) => types[0] ?? text, call: (a) => a.filter((v) => v !== null).reduce<CValue>((m, v) => (m === null || compareValues(v, m) > 0 ? v : m), null) }],
  ['least', { ret: (types) => types[0] ?? text, call: (a) => a.filter((v) => v !== null).reduce<CValue>((m, v) => (m === null || compareValues(v, m) < 0 ? v : m), null) }],
  ['pg_typeof', { ret: 'regtype', call: () => null }],
]);

export const aggregateFunctions: ReadonlyMap<string, AggregateFunction> = new Map<string, AggregateFunction>([
  ['count', { ret: 'int8', call: (rows, distinct) => distinctRows(rows.filter((r) => r.every((v) => v !== null)), distinct).length }],
  ['sum', {
    ret: (types) => (types[0] === 'float4' || types[0] === 'float8' ? 'float8' : types[0] === 'int8' || types[0] === 'numeric' ? 'numeric' : 'int8'),
    call: (rows, distinct) => {
      const vs = distinctRows(rows, distinct).map((r) => r[0] ?? null).filter((v) => v !== null);
      return vs.length === 0 ? null : vs.reduce<number>((s, v) => s + toNumber(v, 'numeric'), 0);
    },
  }],
  ['avg', {
    ret: 'numeric',
    call: (rows) => {
      const vs = rows.map((r) => r[0] ?? null).filter((v) => v !== null);
      return vs.length === 0 ? null : vs.reduce<number>((s, v) => s + toNumber(v, 'numeric'), 0) / vs.length;
    },
  }],
  ['min', { ret: (types) => types[0] ?? text, call: (rows) => extreme(rows, -1) }],
  ['max', { ret: (types) => types[0] ?? text, call: (rows) => extreme(rows, 1) }],
  ['bool_and', { ret: 'bool', call: (rows) => boolFold(rows, true) }],
  ['every', { ret: 'bool', call: (rows) => boolFold(rows, true) }],
  ['bool_or', { ret: 'bool', call: (rows) => boolFold(rows, false) }],
  ['string_agg', {
    ret: text,
    call: (rows, distinct) => {
      const vs = distinctRows(rows, distinct).filter((r) => r[0] !== null);
      if (vs.length === 0) return null;
      return vs.map((r, i) => (i === 0 ? '' : textOf(r[1] ?? '')) + textOf(r[0] ?? null)).join('');
    },
  }],
  ['array_agg', {
    ret: (types) => `${types[0] === 'unknown' || types[0] === undefined ? 'text' : types[0]}[]`,
    call: (rows, distinct) => (rows.length === 0 ? null : distinctRows(rows, distinct).map((r) => r[0] ?? null)),
  }],
]);

function distinctRows(rows: readonly (readonly CValue[])[], distinct: boolean): (readonly CValue[])[] {
  if (!distinct) return [...rows];
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function extreme(rows: readonly (readonly CValue[])[], sign: number): CValue {
  let best: CValue = null;
  for (const r of rows) {
    const v = r[0] ?? null;
    if (v !== null && (best === null || compareValues(v, best) * sign > 0)) best = v;
  }
  return best;
}

function boolFold(rows: readonly (readonly CValue[])[], all: boolean): CValue {
  let out: boolean | null = null;
  for (const r of rows) {
    const v = truthy(r[0] ?? null);
    if (v === null) continue;
    out = out === null ? v : all ? out && v : out || v;
  }
  return out;
}

/** A set-returning function in FROM: its rows (one column) and the column's type. */
export function tableFunction(name: string, args: readonly CValue[], argTypes: readonly string[]): { rows: CValue[][]; type: string } {
  switch (name) {
    case 'generate_series': {
      if (args.some((a) => a === null)) return { rows: [], type: 'int4' };
      const start = toNumber(args[0] ?? null, 'int4');
      const stop = toNumber(args[1] ?? null, 'int4');
      const step = args[2] === undefined ? 1 : toNumber(args[2], 'int4');
      if (step === 0) throw new SqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
      const rows: CValue[][] = [];
      for (let i = start; step > 0 ? i <= stop : i >= stop; i += step) {
        rows.push([i]);
        if (rows.length > 1_000_000) throw new SqlError(SqlState.programLimitExceeded, 'generate_series produces too many rows for a catalog query');
      }
      return { rows, type: argTypes[0] === 'int8' ? 'int8' : 'int4' };
    }
    case 'unnest': {
      const arr = args[0] ?? null;
      if (arr === null) return { rows: [], type: 'text' };
      const type = argTypes[0]?.endsWith('[]') ? argTypes[0].slice(0, -2) : 'text';
      return { rows: arrayArg(arr).map((v) => [v]), type };
    }
    case 'pg_get_keywords':
      return { rows: [], type: 'text' };
    default:
      throw new SqlError(SqlState.undefinedFunction, `function ${name}() does not exist`, {
        hint: 'No function matches the given name and argument types.',
      });
  }
}
