// Result sets as the wire sees them: columns with type OIDs and encoders for the
// text and binary formats, from engine results and from catalog results alike.

import type { DataType } from '../common/data-type.js';
import { Decimal } from '../common/decimal.js';
import { SqlError, SqlState } from '../common/errors.js';
import { formatValue, type TextFormatOptions } from '../common/pg-text.js';
import type { Value } from '../common/value.js';
import type { ResultColumn } from '../executor/engine/api.js';
import { Backend, type FieldDescription } from './codec/backend.js';
import type { CValue } from './pg-catalog/ast.js';
import type { CatalogColumnOut } from './pg-catalog/evaluate.js';
import { catalogTypeOid, catalogTypeSize, formatCatalogValue, type OidNames } from './pg-catalog/values.js';
import { encodeBinary, typeModifier, typeOid, typeSize } from './types.js';

/** One result column: its description and how its values travel. */
export interface WireColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeModifier: number;
  text(value: unknown): string | null;
  binary(value: unknown): Buffer | null;
}

/** Rows ready to send. */
export interface RowSet {
  readonly columns: readonly WireColumn[];
  readonly rows: readonly (readonly unknown[])[];
  readonly tag: string;
}

export function engineColumns(columns: readonly ResultColumn[], options: TextFormatOptions): WireColumn[] {
  return columns.map((c) => engineColumn(c.name, c.type, options));
}

export function engineColumn(name: string, type: DataType, options: TextFormatOptions): WireColumn {
  const oid = typeOid(type);
  return {
    name,
    typeOid: oid,
    typeSize: typeSize(oid),
    typeModifier: typeModifier(type),
    text: (v) => (v === null || v === undefined ? null : formatValue(v as Value, type, options)),
    binary: (v) => (v === null || v === undefined ? null : encodeBinary(v as Value, type, options)),
  };
}

/** The Eddy type whose binary encoding matches a catalog type's, where one does. */
function binaryTypeOf(type: string): DataType | 'oid' | undefined {
  switch (type) {
    case 'bool': return { kind: 'BOOLEAN' };
    case 'int2': return { kind: 'SMALLINT' };
    case 'int4': return { kind: 'INT' };
    case 'int8': return { kind: 'BIGINT' };
    case 'float4': return { kind: 'FLOAT' };
    case 'float8': return { kind: 'DOUBLE' };
    case 'oid': case 'regclass': case 'regtype': case 'regproc': case 'regnamespace': case 'xid': return 'oid';
    default: return undefined;
  }
}

function catalogBinary(v: CValue, type: string, names: OidNames): Buffer | null {
  if (v === null) return null;
  const t = binaryTypeOf(type);
  if (t === 'oid') {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(Number(v) >>> 0);
    return b;
  }
  if (t !== undefined && !Array.isArray(v)) return encodeBinary(typeof v === 'string' && t.kind !== 'BOOLEAN' ? Number(v) : v as Value, t);
  if (type === 'numeric') {
    const d = Decimal.parse(String(v)) ?? new Decimal(0n, 0);
    return encodeBinary(d, { kind: 'DECIMAL', precision: 38, scale: d.scale });
  }
  if (Array.isArray(v) || type.endsWith('[]')) {
    throw new SqlError(SqlState.featureNotSupported, `binary output of catalog type ${type} is not supported`, { hint: 'Ask for the text format.' });
  }
  return Buffer.from(formatCatalogValue(v, type, names) ?? '', 'utf8');
}

export function catalogColumns(columns: readonly CatalogColumnOut[], names: OidNames): WireColumn[] {
  return columns.map((c) => {
    const type = c.type === 'unknown' ? 'text' : c.type;
    return {
      name: c.name,
      typeOid: catalogTypeOid(type),
      typeSize: catalogTypeSize(type),
      typeModifier: -1,
      text: (v) => formatCatalogValue(v as CValue, type, names),
      binary: (v) => catalogBinary(v as CValue, type, names),
    };
  });
}

/** RowDescription fields for columns sent in `formats` (one code for all, or one per column). */
export function fieldDescriptions(columns: readonly WireColumn[], formats: readonly number[] = []): FieldDescription[] {
  return columns.map((c, i) => ({
    name: c.name, tableOid: 0, columnNumber: 0, typeOid: c.typeOid, typeSize: c.typeSize, typeModifier: c.typeModifier,
    format: formatFor(formats, i),
  }));
}

export function formatFor(formats: readonly number[], i: number): number {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0] as number;
  return formats[i] ?? 0;
}

/** One DataRow message. */
export function dataRow(columns: readonly WireColumn[], row: readonly unknown[], formats: readonly number[] = []): Buffer {
  return Backend.dataRow(columns.map((c, i) => {
    const v = row[i];
    return formatFor(formats, i) === 1 ? c.binary(v) : c.text(v);
  }));
}
