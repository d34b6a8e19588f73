// Random schemas for the differential test: 2-3 keyed tables of INT / VARCHAR / DOUBLE columns over small shared domains.

import type { Random } from './random.js';

export type ColumnType = 'INT' | 'VARCHAR' | 'DOUBLE';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export interface Table {
  readonly name: string;
  /** `id INT` first (the primary key), then the data columns in a random order. */
  readonly columns: readonly Column[];
}

/**
 * One seed's tables and value domains. Domains are small and shared by every
 * table so joins, groups and set operations collide often.
 */
export interface Schema {
  readonly tables: readonly Table[];
  /** Primary keys are drawn from 1..keyCount: upserts hit existing rows often. */
  readonly keyCount: number;
  /** INT values are drawn from 0..intCount-1. */
  readonly intCount: number;
  readonly strings: readonly string[];
  /**
   * Multiples of 1/4 of small magnitude: sums of them are exact in binary
   * floating point whatever the order, so SUM over DOUBLE matches exactly.
   */
  readonly doubles: readonly number[];
  /** Probability that a data value is NULL. */
  readonly nullRate: number;
}

export const TABLE_NAMES: readonly string[] = ['ta', 'tb', 'tc'];
// '' and an upper-case letter: both systems compare strings by code point.
const ALL_STRINGS = ['a', 'b', 'c', 'ab', 'B', ''];
const ALL_DOUBLES = [-1.5, 0, 0.25, 1, 2.5, 3.75, 10];

export function generateSchema(r: Random): Schema {
  const tableCount = r.chance(0.5) ? 2 : 3;
  const tables: Table[] = [];
  for (let t = 0; t < tableCount; t++) {
    // At least one column of each type, plus up to two more.
    const types: ColumnType[] = ['INT', 'VARCHAR', 'DOUBLE'];
    const extra = r.int(3);
    for (let i = 0; i < extra; i++) types.push(r.pick<ColumnType>(['INT', 'INT', 'VARCHAR', 'DOUBLE']));
    const counters: Record<ColumnType, number> = { INT: 0, VARCHAR: 0, DOUBLE: 0 };
    const prefix: Record<ColumnType, string> = { INT: 'i', VARCHAR: 's', DOUBLE: 'd' };
    const data = types.map((type) => ({ name: `${prefix[type]}${++counters[type]}`, type }));
    tables.push({ name: TABLE_NAMES[t] as string, columns: [{ name: 'id', type: 'INT' }, ...r.shuffle(data)] });
  }
  return {
    tables,
    // Now and then bigger tables: longer top-N partitions, more join fan-out.
    keyCount: r.chance(0.25) ? r.between(20, 40) : r.between(4, 16),
    intCount: r.between(2, 6),
    strings: r.sample(ALL_STRINGS, r.between(2, 5)),
    doubles: r.sample(ALL_DOUBLES, r.between(2, 6)),
    nullRate: r.pick([0, 0.1, 0.2, 0.35]),
  };
}

/** Eddy's DDL: a changelog table keyed by id (INSERT upserts). */
export function eddyCreateTable(t: Table): string {
  const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  return `CREATE TABLE ${t.name} (${cols}, PRIMARY KEY (id) NOT ENFORCED)`;
}

/**
 * DuckDB's DDL: no key constraint. The workload turns an upsert into a
 * DELETE of the keys then an INSERT, which is exactly Eddy's upsert, without
 * DuckDB's index restrictions on rows deleted and re-inserted.
 */
export function duckCreateTable(t: Table): string {
  const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  return `CREATE TABLE ${t.name} (${cols})`;
}

export function columnsOf(t: Table, type: ColumnType, includeId = false): Column[] {
  return t.columns.filter((c) => c.type === type && (includeId || c.name !== 'id'));
}

/** A SQL literal of a random value of `type` from the schema's domain (NULL at the schema's rate when nullable). */
export function literal(s: Schema, r: Random, type: ColumnType, nullable = true): string {
  if (nullable && r.chance(s.nullRate)) return 'NULL';
  switch (type) {
    case 'INT': return String(r.int(s.intCount));
    case 'VARCHAR': return `'${r.pick(s.strings)}'`;
    case 'DOUBLE': return doubleLiteral(r.pick(s.doubles));
  }
}

/** A DOUBLE literal both systems read as DOUBLE (a plain `1.5` is a DECIMAL in both). */
export function doubleLiteral(x: number): string {
  return `CAST(${x} AS DOUBLE)`;
}
