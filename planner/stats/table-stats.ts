// Statistics of one relation, gathered as its changes flow (sketches fed a bounded sample of each batch) or by ANALYZE over its contents.

import type { DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import type { Row, Value } from '../../common/value.js';
import { HeavyHitters } from './heavy-hitters.js';
import { HyperLogLog } from './hyperloglog.js';
import { hashValue } from './value-hash.js';

/** Rows of one batch fed to the sketches; larger batches are sampled at an even stride. */
export const SKETCH_ROWS_PER_BATCH = 1024;

/** Where a relation's figures come from, shown by EXPLAIN and eddy_table_stats. */
export type StatsSource = 'observed' | 'analyzed' | 'declared' | 'default';

/** What the planner knows of one column. */
export interface ColumnSummary {
  readonly name: string;
  /** Distinct non-NULL values (undefined: unknown). */
  readonly ndv: number | undefined;
  readonly nullFraction: number;
  /** Share of the non-NULL rows the most frequent value holds (0..1): 1/ndv when uniform, near 1 when one key is hot. */
  readonly topShare: number | undefined;
  /** Average bytes of a value. */
  readonly avgBytes: number | undefined;
  /** Time columns: how far behind the largest time seen rows arrived (microseconds), and the share of rows that did. */
  readonly disorder?: { readonly maxLateness: number; readonly outOfOrderFraction: number };
}

/** What the planner knows of one relation. */
export interface RelationStats {
  /** Live rows now. */
  readonly rows: number;
  /** Changes seen since statistics began (each insert, retraction and update half counts one): the relation's relative update volume. */
  readonly changes: number;
  /** Changes seen that took a row back (-U, -D). */
  readonly retractions: number;
  /** Changes per second over the time they were seen, when known. */
  readonly updateRate: number | undefined;
  /** One per column of the relation's scan, in order. */
  readonly columns: readonly ColumnSummary[];
  readonly source: StatsSource;
}

interface ColumnCollector {
  readonly name: string;
  readonly time: boolean;
  hll: HyperLogLog;
  heavy: HeavyHitters;
  /** Values fed to the sketches, NULL included. */
  sampled: number;
  nulls: number;
  bytes: number;
  maxSeen: number;
  maxLateness: number;
  outOfOrder: number;
}

/** The stored form of a TableStatistics (plain data for LMDB). */
export interface EncodedTableStats {
  readonly rows: number;
  readonly inserts: number;
  readonly retractions: number;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  readonly analyzed: boolean;
  readonly columns: readonly {
    readonly name: string;
    readonly time: boolean;
    readonly hll: string;
    readonly heavy: [number[], number];
    readonly sampled: number;
    readonly nulls: number;
    readonly bytes: number;
    readonly maxSeen: number;
    readonly maxLateness: number;
    readonly outOfOrder: number;
  }[];
}

const hashes = new Uint32Array(2);

/**
 * Collects a relation's statistics. `observe` is called with every batch of
 * changes the relation emits: row and change counts are exact; distinct counts
 * (HyperLogLog), frequent values (Misra-Gries), widths and time disorder come
 * from at most SKETCH_ROWS_PER_BATCH added rows of each batch, so a bulk load
 * costs a bounded amount per batch. Retractions are counted but cannot be
 * taken out of a sketch: distinct counts may run high after many deletes until
 * ANALYZE recomputes them.
 *
 * @example
 *   const s = new TableStatistics([{ name: 'k', type: { kind: 'INT' } }]);
 *   s.observe(ChangeBatch.inserts([[1], [2], [2]]), now());
 *   s.summary().columns[0].ndv; // 2
 */
export class TableStatistics {
  rows = 0;
  inserts = 0;
  retractions = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** Computed by ANALYZE over the whole contents (else observed as changes flowed). */
  analyzed = false;
  private columns: ColumnCollector[];
  /** The sampler's state: deterministic, so the same writes give the same figures. */
  private seed = 0x9e3779b9;

  constructor(columns: readonly { readonly name: string; readonly type: DataType }[]) {
    this.columns = columns.map((c) => newColumn(c.name, c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ'));
  }

  /** Counts a batch of changes (`kinds` 1 and 3 take rows back) seen at `now` (microseconds). */
  observe(kinds: readonly number[], rows: readonly Row[], now: number): void {
    const n = rows.length;
    if (n === 0) return;
    let added = 0;
    for (let i = 0; i < n; i++) {
      const k = kinds[i];
      if (k === 1 || k === 3) this.retractions++;
      else added++;
    }
    this.inserts += added;
    this.rows = Math.max(0, this.rows + added - (n - added));
    this.firstAt ??= now;
    this.lastAt = now;
    if (added === 0) return;
    if (added <= SKETCH_ROWS_PER_BATCH) {
      for (let i = 0; i < n; i++) {
        const k = kinds[i];
        if (k !== 1 && k !== 3) this.sketch(rows[i] as Row);
      }
      return;
    }
    // One row at a pseudo-random place in each stride: an even stride would alias with periodic data.
    const stride = Math.ceil(n / SKETCH_ROWS_PER_BATCH);
    for (let start = 0; start < n; start += stride) {
      this.seed = (Math.imul(this.seed ^ (this.seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      const i = start + (this.seed % Math.min(stride, n - start));
      const k = kinds[i];
      if (k !== 1 && k !== 3) this.sketch(rows[i] as Row);
    }
  }

  /** Replaces everything with figures over `contents`, every row sketched (ANALYZE). Change counts stay. */
  analyze(contents: Iterable<Row>): void {
    this.columns = this.columns.map((c) => newColumn(c.name, c.time));
    let rows = 0;
    for (const row of contents) {
      rows++;
      this.sketch(row);
    }
    this.rows = rows;
    this.analyzed = true;
  }

  /** Sets the live row count from the relation itself (it knows it exactly when it opens). */
  resetRows(rows: number): void {
    this.rows = rows;
  }

  private sketch(row: Row): void {
    const cols = this.columns;
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c] as ColumnCollector;
      const v = row[c] as Value | undefined;
      col.sampled++;
      if (v === null || v === undefined) {
        col.nulls++;
        continue;
      }
      hashValue(v, hashes);
      col.hll.addHash(hashes[0] as number, hashes[1] as number);
      col.heavy.add(hashes[0] as number);
      col.bytes += valueBytes(v);
      if (col.time && typeof v === 'number') {
        if (v < col.maxSeen) {
          col.outOfOrder++;
          if (col.maxSeen - v > col.maxLateness) col.maxLateness = col.maxSeen - v;
        } else col.maxSeen = v;
      }
    }
  }

  summary(source: StatsSource = this.analyzed ? 'analyzed' : 'observed'): RelationStats {
    const changes = this.inserts + this.retractions;
    const span = this.firstAt !== undefined && this.lastAt !== undefined ? (this.lastAt - this.firstAt) / 1_000_000 : 0;
    return {
      rows: this.rows,
      changes,
      retractions: this.retractions,
      updateRate: span > 0 ? changes / span : undefined,
      columns: this.columns.map((c) => this.columnSummary(c)),
      source,
    };
  }

  private columnSummary(c: ColumnCollector): ColumnSummary {
    const nonNull = c.sampled - c.nulls;
    if (c.sampled === 0) return { name: c.name, ndv: undefined, nullFraction: 0, topShare: undefined, avgBytes: undefined };
    let ndv = c.hll.estimate();
    // A sample that is (nearly) all distinct says the column is: scale up to the rows it stood for.
    const seen = Math.max(this.inserts, this.rows);
    if (nonNull > 0 && seen > c.sampled && ndv >= 0.9 * nonNull) ndv = Math.round(ndv * (seen / c.sampled));
    const liveNonNull = Math.max(1, Math.round(this.rows * (nonNull / c.sampled)));
    ndv = Math.max(nonNull > 0 ? 1 : 0, Math.min(ndv, liveNonNull));
    const summary: ColumnSummary = {
      name: c.name,
      ndv,
      nullFraction: c.nulls / c.sampled,
      topShare: nonNull > 0 ? Math.max(c.heavy.topShare(), ndv > 0 ? 1 / ndv : 0) : undefined,
      avgBytes: nonNull > 0 ? c.bytes / nonNull : undefined,
    };
    if (!c.time || nonNull === 0) return summary;
    return { ...summary, disorder: { maxLateness: c.maxLateness, outOfOrderFraction: c.outOfOrder / nonNull } };
  }

  encode(): EncodedTableStats {
    return {
      rows: this.rows,
      inserts: this.inserts,
      retractions: this.retractions,
      firstAt: this.firstAt ?? null,
      lastAt: this.lastAt ?? null,
      analyzed: this.analyzed,
      columns: this.columns.map((c) => ({
        name: c.name, time: c.time, hll: c.hll.encode(), heavy: c.heavy.encode(), sampled: c.sampled, nulls: c.nulls,
        bytes: c.bytes, maxSeen: Number.isFinite(c.maxSeen) ? c.maxSeen : -1e300, maxLateness: c.maxLateness, outOfOrder: c.outOfOrder,
      })),
    };
  }

  /** Stored figures for the same columns (by name: a stored sketch of a column that is gone is dropped). */
  static decode(data: EncodedTableStats, columns: readonly { readonly name: string; readonly type: DataType }[]): TableStatistics {
    const s = new TableStatistics(columns);
    s.rows = data.rows;
    s.inserts = data.inserts;
    s.retractions = data.retractions;
    s.firstAt = data.firstAt ?? undefined;
    s.lastAt = data.lastAt ?? undefined;
    s.analyzed = data.analyzed;
    s.columns = s.columns.map((c) => {
      const d = data.columns.find((x) => x.name === c.name);
      if (d === undefined) return c;
      return {
        name: c.name, time: c.time, hll: HyperLogLog.decode(d.hll), heavy: HeavyHitters.decode(d.heavy), sampled: d.sampled, nulls: d.nulls,
        bytes: d.bytes, maxSeen: d.maxSeen <= -1e300 ? Number.NEGATIVE_INFINITY : d.maxSeen, maxLateness: d.maxLateness, outOfOrder: d.outOfOrder,
      };
    });
    return s;
  }
}

function newColumn(name: string, time: boolean): ColumnCollector {
  return {
    name, time, hll: new HyperLogLog(), heavy: new HeavyHitters(), sampled: 0, nulls: 0, bytes: 0,
    maxSeen: Number.NEGATIVE_INFINITY, maxLateness: 0, outOfOrder: 0,
  };
}

/** Roughly what a value takes stored (the state codec's sizes: small integers in a few bytes, strings by their characters). */
export function valueBytes(v: Value): number {
  if (v === null) return 1;
  switch (typeof v) {
    case 'number': return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 3 : 9;
    case 'boolean': return 1;
    case 'string': return 2 + v.length;
    default: break;
  }
  if (v instanceof Decimal) return 10;
  if (v instanceof Uint8Array) return 2 + v.length;
  if (Array.isArray(v)) return 2 + (v as readonly Value[]).reduce<number>((s, x) => s + valueBytes(x), 0);
  return 32;
}
