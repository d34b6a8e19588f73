// Lookup sources: tables a join reads by key when a row arrives (a lookup join), with an optional cache of what was read.
//
//   const find = sqlTableLookup(rates).prepare([0]);   // by column 0 (currency)
//   find(['EUR']);                                      // the rows whose currency is 'EUR' now
//   const cached = cachedLookup(find, { maxRows: 1000, ttl: 60_000_000 }, now);

import { projectedKey, rowKey } from '../common/key.js';
import type { Row, Value } from '../common/value.js';
import type { SqlTable } from './sql-table/sql-table.js';

/** Finds the rows whose looked-up columns equal `values` (none when a value is NULL: SQL equality). */
export type LookupFunction = (values: readonly Value[]) => readonly Row[];

/** A table that can be read by the values of some of its columns. */
export interface LookupSource {
  /** The table's name, for messages. */
  readonly table: string;
  /**
   * A lookup by `columns` (indexes into the table's stored row). A source decides here
   * how it answers: by its key when the columns are its primary key, else otherwise.
   */
  prepare(columns: readonly number[]): LookupFunction;
}

/**
 * A SQL-fed table as a lookup source. By exactly its primary key, a lookup is one hash
 * probe into the table's current rows; by other columns it scans them (a dimension
 * table looked up by a non-key column is expected to be small).
 */
export function sqlTableLookup(table: SqlTable): LookupSource {
  return {
    table: table.name,
    prepare(columns: readonly number[]): LookupFunction {
      const pk = table.layout.primaryKey;
      if (pk !== undefined && pk.length === columns.length && pk.every((c) => columns.includes(c))) {
        // The key string is built in primary-key order, whatever order the join lists the columns in.
        const at = pk.map((c) => columns.indexOf(c));
        const ordered = new Array<Value>(pk.length);
        return (values) => {
          for (let i = 0; i < at.length; i++) {
            const v = values[at[i] as number] as Value;
            if (v === null) return [];
            ordered[i] = v;
          }
          const row = table.rowByKey(rowKey(ordered));
          return row === undefined ? [] : [row];
        };
      }
      return (values) => {
        if (values.some((v) => v === null)) return [];
        const want = rowKey(values);
        const out: Row[] = [];
        for (const row of table.contents()) if (projectedKey(row, columns) === want) out.push(row);
        return out;
      };
    },
  };
}

export interface LookupCacheOptions {
  /** Distinct lookups kept; the least recently used goes first. */
  readonly maxRows: number;
  /** Microseconds an entry may be served after it was read (0: until evicted). */
  readonly ttl: number;
}

/**
 * A lookup that remembers what it read, up to `maxRows` lookups (least recently used
 * evicted) and for at most `ttl`, as Flink's partial lookup cache does: a row changed in
 * the table is seen once its cached copy expires. The cache holds copies of table rows,
 * never anything a job computed, so it is not operator state: a job recovering starts
 * with it empty and reads the table afresh, which the same TTL allows.
 */
export function cachedLookup(lookup: LookupFunction, options: LookupCacheOptions, now: () => number): LookupFunction {
  const entries = new Map<string, { rows: readonly Row[]; at: number }>();
  return (values) => {
    const k = rowKey(values);
    const hit = entries.get(k);
    const t = options.ttl > 0 ? now() : 0;
    if (hit !== undefined) {
      entries.delete(k);
      if (options.ttl <= 0 || t - hit.at < options.ttl) {
        entries.set(k, hit); // most recently used last
        return hit.rows;
      }
    }
    const rows = lookup(values);
    entries.set(k, { rows, at: t });
    if (entries.size > options.maxRows) entries.delete(entries.keys().next().value as string);
    return rows;
  };
}
