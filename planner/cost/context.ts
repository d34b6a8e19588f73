// What cost-based planning reads besides the plan: statistics, changelog modes of scanned relations, the optimizer settings.

import { SqlError, SqlState } from '../../common/errors.js';
import type { ModeContext } from '../physical/changelog-mode.js';
import { snapshotReader, type StatsReader, type StatsSnapshot } from '../stats/statistics-catalog.js';
import type { RelationStats } from '../stats/table-stats.js';

/** 'table.optimizer.agg-phase-strategy' (Flink's name and values). */
export type AggPhaseStrategy = 'AUTO' | 'ONE_PHASE' | 'TWO_PHASE';

export interface MiniBatchSettings {
  /** 'table.exec.mini-batch.enabled' */
  readonly enabled: boolean;
  /** 'table.exec.mini-batch.size': rows a bundle holds before it is processed. */
  readonly size: number;
  /** 'table.exec.mini-batch.allow-latency' in microseconds: how long a bundle may wait. */
  readonly allowLatency: number;
}

export interface OptimizerSettings {
  /** 'table.optimizer.join-reorder-enabled' */
  readonly joinReorder: boolean;
  readonly aggPhaseStrategy: AggPhaseStrategy;
  /** 'table.optimizer.distinct-agg.split.enabled' */
  readonly splitDistinct: boolean;
  /** 'table.optimizer.distinct-agg.split.bucket-num' */
  readonly splitDistinctBuckets: number;
  readonly miniBatch: MiniBatchSettings;
  /** 'table.optimizer.shared-state.enabled': joins of materialized views read shared arrangements. */
  readonly sharedState: boolean;
}

export const defaultOptimizerSettings: OptimizerSettings = {
  joinReorder: true,
  aggPhaseStrategy: 'AUTO',
  splitDistinct: false,
  splitDistinctBuckets: 1024,
  miniBatch: { enabled: false, size: 1000, allowLatency: 0 },
  sharedState: true,
};

/** The setting names, as SET and SHOW know them. */
export const optimizerSettingNames = {
  joinReorder: 'table.optimizer.join-reorder-enabled',
  aggPhaseStrategy: 'table.optimizer.agg-phase-strategy',
  splitDistinct: 'table.optimizer.distinct-agg.split.enabled',
  splitDistinctBuckets: 'table.optimizer.distinct-agg.split.bucket-num',
  miniBatchEnabled: 'table.exec.mini-batch.enabled',
  miniBatchSize: 'table.exec.mini-batch.size',
  miniBatchLatency: 'table.exec.mini-batch.allow-latency',
  sharedState: 'table.optimizer.shared-state.enabled',
} as const;

/**
 * Everything cost-based rules consult. `notes` collects, in order, what the cost-based
 * choices decided and why; EXPLAIN prints them under the plan.
 */
export interface OptimizerContext {
  readonly stats: StatsReader;
  readonly modes: ModeContext;
  readonly settings: OptimizerSettings;
  readonly notes: string[];
  /**
   * Planning a materialized view's job: which scanned relations its joins may read
   * from arrangements shared with other jobs (SQL-fed tables and materialized views;
   * a connector table is read by each job on its own). Absent: no sharing.
   */
  readonly sharing?: { shareable(object: string): boolean };
  /**
   * Planning a continuous job that checkpoints (a materialized view, an INSERT job): only
   * there may mini-batches hold rows back, since a checkpoint barrier (and any read of the
   * results) passes them on. One-shot reads and subscriptions run unbundled.
   */
  readonly continuous?: boolean;
}

/** A context without statistics: defaults everywhere (tests, plans of relations nothing is known about). */
export function defaultOptimizerContext(modes: ModeContext, settings: Partial<OptimizerSettings> = {}): OptimizerContext {
  return { stats: { relation: () => undefined }, modes, settings: { ...defaultOptimizerSettings, ...settings }, notes: [] };
}

/**
 * The optimizer settings from a session's values (`get` returns a setting or undefined);
 * `durationMs` parses a duration such as '2s'. A bad value is an error naming the setting.
 */
export function readOptimizerSettings(get: (name: string) => string | undefined, durationMs: (text: string, what: string) => number): OptimizerSettings {
  const n = optimizerSettingNames;
  const bool = (name: string, fallback: boolean): boolean => {
    const v = get(name)?.trim().toLowerCase();
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === 'on' || v === '1') return true;
    if (v === 'false' || v === 'off' || v === '0') return false;
    throw new SqlError(SqlState.invalidParameterValue, `invalid value for "${name}": "${get(name) ?? ''}"`, { hint: 'Use true or false.' });
  };
  const int = (name: string, fallback: number): number => {
    const v = get(name)?.trim();
    if (v === undefined || v === '') return fallback;
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new SqlError(SqlState.invalidParameterValue, `invalid value for "${name}": "${v}"`, { hint: 'Use a whole number, 1 or more.' });
    return x;
  };
  const strategy = (get(n.aggPhaseStrategy) ?? 'AUTO').trim().toUpperCase();
  if (strategy !== 'AUTO' && strategy !== 'ONE_PHASE' && strategy !== 'TWO_PHASE') {
    throw new SqlError(SqlState.invalidParameterValue, `invalid value for "${n.aggPhaseStrategy}": "${get(n.aggPhaseStrategy) ?? ''}"`, {
      hint: 'Use AUTO, ONE_PHASE or TWO_PHASE.',
    });
  }
  const latency = get(n.miniBatchLatency);
  const d = defaultOptimizerSettings;
  return {
    joinReorder: bool(n.joinReorder, d.joinReorder),
    aggPhaseStrategy: strategy,
    splitDistinct: bool(n.splitDistinct, d.splitDistinct),
    splitDistinctBuckets: int(n.splitDistinctBuckets, d.splitDistinctBuckets),
    miniBatch: {
      enabled: bool(n.miniBatchEnabled, d.miniBatch.enabled),
      size: int(n.miniBatchSize, d.miniBatch.size),
      allowLatency: latency === undefined || latency.trim() === '' ? d.miniBatch.allowLatency : durationMs(latency, `value for "${n.miniBatchLatency}"`) * 1000,
    },
    sharedState: bool(n.sharedState, d.sharedState),
  };
}

/**
 * What a continuous job's plan was made from: the statistics the optimizer read and
 * the settings it followed. Kept with the job so that planning it again when the
 * engine reopens makes the same choices (its operator state is laid out by them).
 */
export interface PlanningRecord {
  readonly stats: StatsSnapshot;
  readonly settings: OptimizerSettings;
}

/** A statistics reader that remembers each answer, the first one per relation, for a PlanningRecord. */
export class RecordingStatsReader implements StatsReader {
  private readonly seen = new Map<string, RelationStats | undefined>();

  constructor(private readonly inner: StatsReader) {}

  relation(name: string): RelationStats | undefined {
    if (this.seen.has(name)) return this.seen.get(name);
    const r = this.inner.relation(name);
    this.seen.set(name, r);
    return r;
  }

  snapshot(): StatsSnapshot {
    const relations: [string, RelationStats][] = [];
    for (const [name, r] of [...this.seen].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) if (r !== undefined) relations.push([name, r]);
    return { relations };
  }
}

/** A context that plans as the record says. */
export function contextFromRecord(record: PlanningRecord, modes: ModeContext): OptimizerContext {
  return { stats: snapshotReader(record.stats), modes, settings: { ...defaultOptimizerSettings, ...record.settings }, notes: [] };
}
