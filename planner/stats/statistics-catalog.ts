// The engine's statistics: per relation (tables, materialized views, connector tables), gathered as changes flow,
// recomputed by ANALYZE, declared by 'stats.*' options; persisted in their own LMDB database beside the catalog.

import type { DataType } from '../../common/data-type.js';
import type { Row } from '../../common/value.js';
import type { OptionEntry } from '../../parser/ast/node.js';
import { declaredRelationStats, declaredStats, type DeclaredStats } from './hints.js';
import { TableStatistics, type EncodedTableStats, type RelationStats } from './table-stats.js';

/** The part of an LMDB database statistics use (keys are arrays). */
export interface StatsDatabase {
  get(key: (string | number)[]): unknown;
  put(key: (string | number)[], value: unknown): unknown;
  remove(key: (string | number)[]): unknown;
}

/** What planning reads: a relation's statistics by catalog name. */
export interface StatsReader {
  relation(name: string): RelationStats | undefined;
}

/**
 * The statistics one plan was made with, as plain data. A continuous job keeps
 * the snapshot it was planned with, so that re-planning it when the engine
 * opens again makes the same choices (its operator state is laid out by them).
 */
export interface StatsSnapshot {
  readonly relations: readonly (readonly [string, RelationStats])[];
}

export function snapshotReader(snapshot: StatsSnapshot): StatsReader {
  const byName = new Map(snapshot.relations);
  return { relation: (name) => byName.get(name) };
}

/** A column of a tracked relation's scan. */
export interface TrackedColumn {
  readonly name: string;
  readonly type: DataType;
}

interface Tracked {
  readonly columns: readonly TrackedColumn[];
  /** The relation's exact live row count, where it knows it (tables and views do). */
  readonly rowCount: (() => number) | undefined;
  readonly declared: DeclaredStats;
  readonly stats: TableStatistics;
  dirty: boolean;
  /** Rows observed since the last save. */
  unsaved: number;
}

/** Observed statistics are written back after this many changes (and on ANALYZE, planning and drop). */
const SAVE_EVERY_CHANGES = 65_536;

const TABLE_KEY = 't';
const JOB_KEY = 'j';

/**
 * @example
 *   const stats = new StatisticsCatalog(storage.stats, () => Date.now() * 1000);
 *   stats.track('bids', columns, relation.options);
 *   table.follow(stats.follower('bids'));
 *   stats.relation('bids'); // { rows, changes, columns: [{ ndv, topShare, ... }], source: 'observed' }
 */
export class StatisticsCatalog implements StatsReader {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly db: StatsDatabase | undefined, private readonly now: () => number) {}

  /**
   * Starts keeping statistics of `name` (scan columns `columns`), picking up what
   * was stored for it. `options` may declare figures ('stats.*'); they are checked
   * here, so a bad one fails the CREATE that gives it. `rowCount` gives the exact live
   * row count when the relation knows it. Returns whether figures were stored for it.
   */
  track(name: string, columns: readonly TrackedColumn[], options: readonly OptionEntry[] = [], rowCount?: () => number): boolean {
    const declared = declaredStats(options, columns.map((c) => c.name));
    const stored = this.db?.get([TABLE_KEY, name]) as EncodedTableStats | undefined;
    const stats = stored === undefined ? new TableStatistics(columns) : TableStatistics.decode(stored, columns);
    this.tracked.set(name, { columns, rowCount, declared, stats, dirty: false, unsaved: 0 });
    return stored !== undefined;
  }

  /** Checks `stats.*` options without tracking anything (a CREATE about to run). */
  static check(options: readonly OptionEntry[], columns: readonly string[]): void {
    declaredStats(options, columns);
  }

  has(name: string): boolean {
    return this.tracked.has(name);
  }

  /** The follower that feeds `name`'s statistics: give it to the relation's `follow`. */
  follower(name: string): { emit(batch: { readonly kinds: readonly number[]; readonly rows: readonly Row[] }): void; emitWatermark(w: number): void } {
    return {
      emit: (batch) => this.observe(name, batch.kinds, batch.rows),
      emitWatermark: () => {},
    };
  }

  observe(name: string, kinds: readonly number[], rows: readonly Row[]): void {
    const t = this.tracked.get(name);
    if (t === undefined) return;
    t.stats.observe(kinds, rows, this.now());
    t.dirty = true;
    t.unsaved += rows.length;
    if (t.unsaved >= SAVE_EVERY_CHANGES) this.save(name, t);
  }

  /** ANALYZE: recomputes `name`'s figures over its contents and stores them. */
  analyze(name: string, contents: Iterable<Row>): RelationStats | undefined {
    const t = this.tracked.get(name);
    if (t === undefined) return undefined;
    t.stats.analyze(contents);
    this.save(name, t);
    return t.stats.summary();
  }

  /**
   * What planning knows of `name`: observed or analyzed figures once the relation
   * has held rows or been analyzed; declared ones for a source still empty (or one
   * never observed, like a connector table); undefined when nothing is known.
   */
  relation(name: string): RelationStats | undefined {
    const t = this.tracked.get(name);
    if (t === undefined) return undefined;
    // A replayed log after a restart is seen again: the relation's own count is the exact one.
    if (t.rowCount !== undefined) t.stats.resetRows(t.rowCount());
    const observed = t.stats.inserts > 0 || t.stats.analyzed;
    if (observed && !(t.stats.rows === 0 && t.declared.rows !== undefined)) return t.stats.summary();
    const declared = declaredRelationStats(t.declared, t.columns.map((c) => c.name));
    if (declared !== undefined) return declared;
    return observed ? t.stats.summary() : undefined;
  }

  /** Every tracked relation's name. */
  names(): string[] {
    return [...this.tracked.keys()];
  }

  /** The figures of the relations `names` (the ones a plan reads), for a job to keep. */
  snapshot(names: Iterable<string>): StatsSnapshot {
    const relations: [string, RelationStats][] = [];
    for (const name of [...new Set(names)].sort()) {
      const r = this.relation(name);
      if (r !== undefined) relations.push([name, r]);
    }
    return { relations };
  }

  /** Keeps what job `jobId` was planned with (plain data: statistics and settings, see planner/cost/context.ts). */
  saveJobPlanning(jobId: string, record: object): void {
    this.db?.put([JOB_KEY, jobId], JSON.stringify(record));
  }

  /** What job `jobId` was planned with, if it was planned with a record. */
  jobPlanning(jobId: string): unknown {
    const text = this.db?.get([JOB_KEY, jobId]);
    return typeof text === 'string' ? JSON.parse(text) as unknown : undefined;
  }

  dropJobPlanning(jobId: string): void {
    this.db?.remove([JOB_KEY, jobId]);
  }

  /** DROP: forgets `name` and its stored figures. */
  drop(name: string): void {
    this.tracked.delete(name);
    this.db?.remove([TABLE_KEY, name]);
  }

  /** Writes back every relation's figures that changed since last written. */
  saveAll(): void {
    for (const [name, t] of this.tracked) if (t.dirty) this.save(name, t);
  }

  private save(name: string, t: Tracked): void {
    t.dirty = false;
    t.unsaved = 0;
    this.db?.put([TABLE_KEY, name], t.stats.encode());
  }
}
