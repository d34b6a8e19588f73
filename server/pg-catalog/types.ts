// The built-in types pg_type lists, and format_type(): how PostgreSQL names a type with its modifier.

import { Oid } from '../types.js';

export interface BuiltinType {
  readonly oid: number;
  readonly name: string;
  readonly len: number;
  readonly category: string;
  readonly typtype: string;
  readonly elem: number;
  readonly array: number;
  /** What format_type prints without a modifier. */
  readonly display: string;
}

const base: readonly (readonly [number, string, number, string, string])[] = [
  [Oid.bool, 'bool', 1, 'B', 'boolean'], [Oid.bytea, 'bytea', -1, 'U', 'bytea'], [Oid.char, 'char', 1, 'Z', '"char"'],
  [Oid.name, 'name', 64, 'S', 'name'], [Oid.int8, 'int8', 8, 'N', 'bigint'], [Oid.int2, 'int2', 2, 'N', 'smallint'],
  [Oid.int2vector, 'int2vector', -1, 'A', 'int2vector'], [Oid.int4, 'int4', 4, 'N', 'integer'],
  [Oid.regproc, 'regproc', 4, 'N', 'regproc'], [Oid.text, 'text', -1, 'S', 'text'], [Oid.oid, 'oid', 4, 'N', 'oid'],
  [Oid.xid, 'xid', 4, 'U', 'xid'], [Oid.oidvector, 'oidvector', -1, 'A', 'oidvector'], [Oid.json, 'json', -1, 'U', 'json'],
  [Oid.pgNodeTree, 'pg_node_tree', -1, 'Z', 'pg_node_tree'],
  [Oid.float4, 'float4', 4, 'N', 'real'], [Oid.float8, 'float8', 8, 'N', 'double precision'],
  [Oid.unknown, 'unknown', -2, 'X', 'unknown'], [Oid.aclitem, 'aclitem', 12, 'U', 'aclitem'],
  [Oid.bpchar, 'bpchar', -1, 'S', 'character'], [Oid.varchar, 'varchar', -1, 'S', 'character varying'],
  [Oid.date, 'date', 4, 'D', 'date'], [Oid.time, 'time', 8, 'D', 'time without time zone'],
  [Oid.timestamp, 'timestamp', 8, 'D', 'timestamp without time zone'],
  [Oid.timestamptz, 'timestamptz', 8, 'D', 'timestamp with time zone'], [Oid.interval, 'interval', 16, 'T', 'interval'],
  [Oid.numeric, 'numeric', -1, 'N', 'numeric'], [Oid.regclass, 'regclass', 4, 'N', 'regclass'],
  [Oid.regtype, 'regtype', 4, 'N', 'regtype'], [Oid.regnamespace, 'regnamespace', 4, 'N', 'regnamespace'],
  [Oid.record, 'record', -1, 'P', 'record'], [Oid.void, 'void', 4, 'P', 'void'], [Oid.anyarray, 'anyarray', -1, 'P', 'anyarray'],
];

const arrays: readonly (readonly [number, number])[] = [
  [Oid.boolArray, Oid.bool], [Oid.byteaArray, Oid.bytea], [Oid.charArray, Oid.char], [Oid.nameArray, Oid.name],
  [Oid.int2Array, Oid.int2], [Oid.int4Array, Oid.int4], [Oid.textArray, Oid.text], [Oid.bpcharArray, Oid.bpchar],
  [Oid.varcharArray, Oid.varchar], [Oid.int8Array, Oid.int8], [Oid.float4Array, Oid.float4], [Oid.float8Array, Oid.float8],
  [Oid.oidArray, Oid.oid], [Oid.aclitemArray, Oid.aclitem], [Oid.dateArray, Oid.date], [Oid.timeArray, Oid.time],
  [Oid.timestampArray, Oid.timestamp], [Oid.timestamptzArray, Oid.timestamptz], [Oid.intervalArray, Oid.interval],
  [Oid.numericArray, Oid.numeric], [Oid.recordArray, Oid.record],
];

function build(): BuiltinType[] {
  const arrayOf = new Map(arrays.map(([a, e]) => [e, a]));
  const out: BuiltinType[] = base.map(([oid, name, len, category, display]) => ({
    oid, name, len, category, display, typtype: category === 'P' ? 'p' : 'b', elem: 0, array: arrayOf.get(oid) ?? 0,
  }));
  const byOid = new Map(out.map((t) => [t.oid, t]));
  for (const [oid, elem] of arrays) {
    const e = byOid.get(elem) as BuiltinType;
    out.push({ oid, name: `_${e.name}`, len: -1, category: 'A', typtype: 'b', elem, array: 0, display: `${e.display}[]` });
  }
  return out;
}

export const builtinTypes: readonly BuiltinType[] = build();
export const builtinTypeByOid: ReadonlyMap<number, BuiltinType> = new Map(builtinTypes.map((t) => [t.oid, t]));
export const builtinTypeByName: ReadonlyMap<string, BuiltinType> = new Map(builtinTypes.map((t) => [t.name, t]));

/** format_type(oid, typmod): `integer`, `character varying(10)`, `numeric(10,2)`, `timestamp(3) without time zone`. */
export function formatType(oid: number, typmod: number | null): string | null {
  const t = builtinTypeByOid.get(oid);
  if (t === undefined) return '???';
  if (t.category === 'A' && t.elem !== 0) {
    const e = formatType(t.elem, typmod);
    return e === null ? null : `${e}[]`;
  }
  const mod = typmod ?? -1;
  switch (oid) {
    case Oid.varchar: return mod >= 4 ? `character varying(${mod - 4})` : 'character varying';
    case Oid.bpchar: return mod >= 4 ? `character(${mod - 4})` : 'bpchar';
    case Oid.numeric: return mod >= 4 ? `numeric(${((mod - 4) >> 16) & 0xffff},${(mod - 4) & 0xffff})` : 'numeric';
    case Oid.time: return mod >= 0 ? `time(${mod}) without time zone` : t.display;
    case Oid.timestamp: return mod >= 0 ? `timestamp(${mod}) without time zone` : t.display;
    case Oid.timestamptz: return mod >= 0 ? `timestamp(${mod}) with time zone` : t.display;
    default: return t.display;
  }
}
