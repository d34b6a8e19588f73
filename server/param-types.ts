// Parameter types of a prepared statement: declared by the client, or inferred
// from where each `$n` is used; and Bind values decoded into those types.

import type { DataType } from '../common/data-type.js';
import type { TextFormatOptions } from '../common/pg-text.js';
import { parseValue } from '../common/pg-text.js';
import type { Value } from '../common/value.js';
import type { ParamRef } from '../planner/bound/expr.js';
import { bindDelete, bindInsert, bindQuery, bindUpdate, type CatalogReader } from '../planner/binder/index.js';
import { maxParameter } from './sql-lexer.js';
import type { Prepared } from './statements.js';
import { coerceValue, dataTypeOfOid, decodeBinary, typeOid } from './types.js';

const TEXT: DataType = { kind: 'VARCHAR', length: null };

/** Every ParamRef's type in a bound statement (plans and expressions are trees of plain objects). */
function collectParamTypes(root: unknown): DataType[] {
  const out: DataType[] = [];
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    const node = x as { kind?: unknown };
    if (node.kind === 'ParamRef') {
      const p = x as ParamRef;
      out[p.index] ??= p.type;
      return;
    }
    for (const v of Array.isArray(x) ? x : Object.values(x)) visit(v);
  };
  visit(root);
  return out;
}

/**
 * The types of `$1..$n`. Queries take the client's declared types as given and
 * infer the rest; INSERT, UPDATE and DELETE bind their parameters to the target
 * columns (the engine binds them that way), so inference decides there.
 */
export function inferParamTypes(p: Prepared, declared: readonly number[], catalog: CatalogReader): DataType[] {
  const hints: DataType[] = [];
  declared.forEach((oid, i) => {
    const t = dataTypeOfOid(oid);
    if (t !== undefined) hints[i] = t;
  });
  let inferred: readonly (DataType | undefined)[] = [];
  if (p.kind === 'engine') {
    const s = p.statement;
    switch (s.kind) {
      case 'Query': inferred = bindQuery(s, catalog, { paramTypes: hints }).paramTypes; break;
      case 'Insert': inferred = collectParamTypes(bindInsert(s, catalog)); break;
      case 'Update': inferred = collectParamTypes(bindUpdate(s, catalog)); break;
      case 'Delete': inferred = collectParamTypes(bindDelete(s, catalog)); break;
      case 'DeclareCursor':
        if (s.query.kind === 'Query') inferred = bindQuery(s.query, catalog, { paramTypes: hints }).paramTypes;
        break;
      case 'Explain':
        if (s.statement.kind === 'Query') inferred = bindQuery(s.statement, catalog, { paramTypes: hints }).paramTypes;
        break;
      default:
        break;
    }
  }
  const n = Math.max(maxParameter(p.text), declared.length, inferred.length);
  return Array.from({ length: n }, (_, i) => inferred[i] ?? hints[i] ?? TEXT);
}

/** The OIDs a ParameterDescription reports. */
export function parameterOids(types: readonly DataType[], declared: readonly number[]): number[] {
  return types.map((t, i) => {
    const d = declared[i] ?? 0;
    return d !== 0 ? d : typeOid(t);
  });
}

/** One Bind parameter as a value of `type`. */
export function decodeParam(raw: Buffer | null, format: number, declaredOid: number, type: DataType, options: TextFormatOptions): Value {
  if (raw === null) return null;
  if (format === 0) {
    const text = raw.toString('utf8');
    return type.kind === 'VARCHAR' && type.length === null ? text : parseValue(text, type, options);
  }
  const decoded = decodeBinary(raw, declaredOid !== 0 ? declaredOid : typeOid(type));
  return coerceValue(decoded.value, decoded.type, type, options);
}
