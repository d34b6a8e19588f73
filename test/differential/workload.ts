// Random DML batches for the differential test: upserts, updates and deletes, written for Eddy and for DuckDB.

import type { Random } from './random.js';
import { columnsOf, literal, type Column, type Schema, type Table } from './schema.js';

/** One statement in both dialects (DuckDB may need several statements for one of Eddy's). */
export interface DmlStatement {
  /** The table it changes. */
  readonly table: string;
  readonly eddy: string;
  readonly duck: readonly string[];
}

export type Batch = readonly DmlStatement[];

/** `count` batches of 1-6 statements each. */
export function generateBatches(s: Schema, r: Random, count: number): Batch[] {
  const batches: Batch[] = [];
  for (let b = 0; b < count; b++) {
    const n = r.between(1, 6);
    const batch: DmlStatement[] = [];
    for (let i = 0; i < n; i++) batch.push(statement(s, r, b === 0));
    batches.push(batch);
  }
  return batches;
}

function statement(s: Schema, r: Random, first: boolean): DmlStatement {
  const t = r.pick(s.tables);
  const roll = r.next();
  // The first batch mostly fills the tables.
  if (first || roll < 0.55) return upsert(s, r, t);
  if (roll < 0.8) return update(s, r, t);
  return del(s, r, t);
}

/** INSERT with distinct keys (a key twice in one statement would be order-dependent in DuckDB). */
function upsert(s: Schema, r: Random, t: Table): DmlStatement {
  const keys = r.sample(Array.from({ length: s.keyCount }, (_, i) => i + 1), r.between(1, 6));
  const rows = keys.map((k) => `(${[String(k), ...t.columns.slice(1).map((c) => literal(s, r, c.type))].join(', ')})`);
  const values = rows.join(', ');
  return {
    table: t.name,
    eddy: `INSERT INTO ${t.name} VALUES ${values}`,
    duck: [`DELETE FROM ${t.name} WHERE id IN (${keys.join(', ')})`, `INSERT INTO ${t.name} VALUES ${values}`],
  };
}

function update(s: Schema, r: Random, t: Table): DmlStatement {
  const data = t.columns.slice(1);
  const targets = r.sample(data, r.between(1, Math.min(2, data.length)));
  const sets = targets.map((c) => `${c.name} = ${newValue(s, r, t, c)}`).join(', ');
  const sql = `UPDATE ${t.name} SET ${sets}${where(s, r, t)}`;
  return { table: t.name, eddy: sql, duck: [sql] };
}

function del(s: Schema, r: Random, t: Table): DmlStatement {
  const sql = `DELETE FROM ${t.name}${where(s, r, t)}`;
  return { table: t.name, eddy: sql, duck: [sql] };
}

/** A new value for `c`: a literal, or an expression over the row that keeps values in the domain's neighbourhood. */
function newValue(s: Schema, r: Random, t: Table, c: Column): string {
  if (r.chance(0.6)) return literal(s, r, c.type);
  switch (c.type) {
    case 'INT': {
      const other = r.pick(columnsOf(t, 'INT', true));
      return r.pick([`${c.name} + 1`, `${c.name} - 1`, `COALESCE(${other.name}, 0) % ${s.intCount}`, `CASE WHEN ${c.name} IS NULL THEN 0 ELSE NULL END`]);
    }
    case 'VARCHAR': return r.pick([`${c.name} || 'b'`, `COALESCE(${c.name}, '${r.pick(s.strings)}')`, 'NULL']);
    case 'DOUBLE': return r.pick([`${c.name} * 2`, `${c.name} + CAST(0.25 AS DOUBLE)`, `-${c.name}`, 'NULL']);
  }
}

/** A WHERE clause (or none: the statement then hits every row). */
function where(s: Schema, r: Random, t: Table): string {
  if (r.chance(0.08)) return '';
  const roll = r.next();
  if (roll < 0.35) return ` WHERE id = ${r.between(1, s.keyCount)}`;
  if (roll < 0.5) {
    const ids = r.sample(Array.from({ length: s.keyCount }, (_, i) => i + 1), r.between(1, 3));
    return ` WHERE id IN (${ids.join(', ')})`;
  }
  const c = r.pick(t.columns.slice(1));
  if (roll < 0.6) return ` WHERE ${c.name} IS NULL`;
  const op = c.type === 'VARCHAR' ? r.pick(['=', '<>']) : r.pick(['=', '<', '>=']);
  return ` WHERE ${c.name} ${op} ${literal(s, r, c.type, false)}`;
}
