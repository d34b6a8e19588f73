// Values of catalog queries: PostgreSQL type names, comparison, text output and casts.

import { SqlError, SqlState } from '../../common/errors.js';
import { formatDouble } from '../../common/pg-text.js';
import { arrayOid, Oid, typeSize } from '../types.js';
import type { CValue } from './ast.js';

/** Catalog type names to OIDs (array types are `<element>[]`). */
const TYPE_OIDS: Record<string, number> = {
  bool: Oid.bool, bytea: Oid.bytea, char: Oid.char, name: Oid.name, int8: Oid.int8, int2: Oid.int2,
  int2vector: Oid.int2vector, int4: Oid.int4, regproc: Oid.regproc, text: Oid.text, oid: Oid.oid, xid: Oid.xid,
  oidvector: Oid.oidvector, float4: Oid.float4, float8: Oid.float8, unknown: Oid.text, bpchar: Oid.bpchar,
  varchar: Oid.varchar, date: Oid.date, time: Oid.time, timestamp: Oid.timestamp, timestamptz: Oid.timestamptz,
  interval: Oid.interval, numeric: Oid.numeric, regclass: Oid.regclass, regtype: Oid.regtype,
  regnamespace: Oid.regnamespace, regrole: 4096, record: Oid.record, aclitem: Oid.aclitem,
  pg_node_tree: Oid.pgNodeTree, anyarray: Oid.anyarray, void: Oid.void, json: Oid.json,
};

export function catalogTypeOid(type: string): number {
  if (type.endsWith('[]')) {
    const element = catalogTypeOid(type.slice(0, -2));
    return arrayOid.get(element) ?? Oid.textArray;
  }
  return TYPE_OIDS[type] ?? Oid.text;
}

export function catalogTypeSize(type: string): number {
  return type.endsWith('[]') ? -1 : typeSize(catalogTypeOid(type));
}

const NUMERIC_TYPES = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric', 'xid', 'regclass', 'regtype', 'regproc', 'regnamespace', 'regrole']);

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPES.has(type);
}

/** Names behind OIDs, for regclass / regtype / regnamespace output. */
export interface OidNames {
  relationName(oid: number): string | undefined;
  typeName(oid: number): string | undefined;
  namespaceName(oid: number): string | undefined;
  roleName(oid: number): string | undefined;
  procName(oid: number): string | undefined;
}

/** PostgreSQL's text output of a catalog value. */
export function formatCatalogValue(v: CValue, type: string, names: OidNames): string | null {
  if (v === null) return null;
  if (Array.isArray(v)) {
    const element = type.endsWith('[]') ? type.slice(0, -2) : 'text';
    if (type === 'int2vector' || type === 'oidvector') return v.map((x) => String(x)).join(' ');
    return `{${v.map((x) => {
      const s = formatCatalogValue(x as CValue, element, names);
      if (s === null) return 'NULL';
      return s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL' ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
    }).join(',')}}`;
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') {
    switch (type) {
      case 'float4': case 'float8': return formatDouble(v);
      case 'regclass': return names.relationName(v) ?? String(v);
      case 'regtype': return names.typeName(v) ?? String(v);
      case 'regnamespace': return names.namespaceName(v) ?? String(v);
      case 'regrole': return names.roleName(v) ?? String(v);
      case 'regproc': return v === 0 ? '-' : names.procName(v) ?? String(v);
      case 'bool': return v !== 0 ? 't' : 'f';
      default: return Number.isInteger(v) ? String(v) : formatDouble(v);
    }
  }
  return String(v);
}

export function truthy(v: CValue): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return true;
    if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return false;
  }
  throw new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type boolean: "${String(v)}"`);
}

function toNumberOrUndefined(v: CValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Compares two non-null values: numbers numerically (strings that look like numbers too), the rest as text. */
export function compareValues(a: CValue, b: CValue): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumberOrUndefined(a);
    const y = toNumberOrUndefined(b);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const x = truthy(a);
    const y = truthy(b);
    return x === y ? 0 : x ? 1 : -1;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i] as CValue;
      const y = b[i] as CValue;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const c = compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const s = textOf(a);
  const t = textOf(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** Text of a value for string functions (arrays in PostgreSQL's `{...}` form). */
export function textOf(v: CValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `{${v.map((x) => (x === null ? 'NULL' : textOf(x as CValue))).join(',')}}`;
  return String(v);
}

export function toNumber(v: CValue, type: string): number {
  const n = toNumberOrUndefined(v);
  if (n === undefined) {
    const label = type === 'int4' ? 'integer' : type === 'int8' ? 'bigint' : type === 'int2' ? 'smallint' : type;
    throw new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${label}: "${textOf(v)}"`);
  }
  return n;
}

/** Parses PostgreSQL array text `{a,"b c",NULL}` (one dimension). */
export function parseArrayText(text: string): CValue[] {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) {
    throw new SqlError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`);
  }
  const out: CValue[] = [];
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    while (i < end && /\s/.test(s[i] as string)) i++;
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < end && s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i] ?? '';
        i++;
      }
      i++;
      out.push(v);
    } else {
      let j = i;
      while (j < end && s[j] !== ',') j++;
      const raw = s.slice(i, j).trim();
      out.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = j;
    }
    while (i < end && s[i] !== ',') i++;
    i++;
  }
  return out;
}
