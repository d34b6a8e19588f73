// Result comparison for the differential test: values normalised across Eddy and DuckDB, rows compared as multisets with a minimal diff.

import { Decimal } from '../../common/decimal.js';
import type { Row, Value } from '../../common/value.js';

/** A value both systems agree on the representation of. */
export type Cell = null | number | string | boolean;
export type CellRow = readonly Cell[];

/** Relative tolerance for DOUBLE results (AVG divides, so its last bits depend on the order of the sum). */
const RELATIVE_TOLERANCE = 1e-9;

export function fromEddy(v: Value): Cell {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (v instanceof Decimal) return v.toNumber();
  throw new Error(`unexpected Eddy value ${String(v)}`);
}

/**
 * DuckDB's values: BIGINT and HUGEINT arrive as bigint, DECIMAL as an object
 * with toDouble(); everything this test produces is one of those or a plain
 * JavaScript scalar.
 */
export function fromDuck(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && 'toDouble' in v && typeof v.toDouble === 'function') return v.toDouble() as number;
  throw new Error(`unexpected DuckDB value ${String(v)}`);
}

export function eddyRows(rows: readonly Row[]): CellRow[] {
  return rows.map((r) => r.map(fromEddy));
}

export function duckRows(rows: readonly (readonly unknown[])[]): CellRow[] {
  return rows.map((r) => r.map(fromDuck));
}

/** A key equal for cells equal up to the tolerance (save rare rounding boundaries, which `sameCell` settles). */
function cellKey(c: Cell): string {
  if (c === null) return 'N';
  if (typeof c === 'number') return Number.isInteger(c) ? `n${c}` : `n${Number(c.toPrecision(10))}`;
  if (typeof c === 'string') return `s${JSON.stringify(c)}`;
  return c ? 'T' : 'F';
}

function rowKey(r: CellRow): string {
  return r.map(cellKey).join('|');
}

function sameCell(a: Cell, b: Cell): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
  return false;
}

function sameRow(a: CellRow, b: CellRow): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameCell(a[i] as Cell, b[i] as Cell)) return false;
  return true;
}

export interface RowDiff {
  /** Rows Eddy has that DuckDB does not (with multiplicity). */
  readonly eddyOnly: CellRow[];
  /** Rows DuckDB has that Eddy does not. */
  readonly duckOnly: CellRow[];
}

/** The multiset difference both ways; empty lists when the results agree. */
export function diffRows(eddy: readonly CellRow[], duck: readonly CellRow[]): RowDiff {
  const counts = new Map<string, { row: CellRow; n: number }>();
  for (const r of eddy) {
    const k = rowKey(r);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { row: r, n: 1 });
  }
  const duckOnly: CellRow[] = [];
  for (const r of duck) {
    const e = counts.get(rowKey(r));
    if (e && e.n > 0) e.n--;
    else duckOnly.push(r);
  }
  const eddyOnly: CellRow[] = [];
  for (const { row, n } of counts.values()) for (let i = 0; i < n; i++) eddyOnly.push(row);
  // Pair leftovers that differ only by float rounding across a key boundary.
  for (let i = eddyOnly.length - 1; i >= 0; i--) {
    const j = duckOnly.findIndex((d) => sameRow(eddyOnly[i] as CellRow, d));
    if (j >= 0) {
      eddyOnly.splice(i, 1);
      duckOnly.splice(j, 1);
    }
  }
  eddyOnly.sort(compareCellRows);
  duckOnly.sort(compareCellRows);
  return { eddyOnly, duckOnly };
}

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareCellRows(a: CellRow, b: CellRow): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareCells(a[i] as Cell, b[i] as Cell);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function formatCell(c: Cell): string {
  if (c === null) return 'NULL';
  if (typeof c === 'string') return `'${c.replace(/'/g, "''")}'`;
  return String(c);
}

export function formatRow(r: CellRow): string {
  return `(${r.map(formatCell).join(', ')})`;
}
