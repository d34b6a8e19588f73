// The optimizer context a statement plans with: the session's optimizer settings and the engine's statistics
// (live for reads; for a continuous job, kept with the job so that it plans the same way when the engine reopens).

import {
  RecordingStatsReader, contextFromRecord, readOptimizerSettings, type OptimizerContext, type OptimizerSettings, type PlanningRecord,
} from '../../../planner/cost/context.js';
import type { StatementContext } from '../session.js';
import { parseDuration } from './common.js';

/** SET of an optimizer setting: its value is checked now, not when a plan next reads it (22023 naming it). */
export function checkOptimizerSetting(key: string, value: string | undefined): void {
  if (value !== undefined) readOptimizerSettings((name) => (name === key ? value : undefined), parseDuration);
}

export function optimizerSettings(ctx: StatementContext): OptimizerSettings {
  return readOptimizerSettings((name) => ctx.session.setting(name), parseDuration);
}

/** Relations whose join inputs materialized views may share: tables fed by SQL and materialized views. */
function sharing(ctx: StatementContext): NonNullable<OptimizerContext['sharing']> {
  const { engine } = ctx;
  return { shareable: (name) => engine.tables.has(name) || engine.views.has(name) };
}

/**
 * Plans with the statistics as they are now (one-shot reads, subscriptions, EXPLAIN);
 * with `options.sharing`, as a materialized view's job would (EXPLAIN CREATE MATERIALIZED VIEW).
 */
export function liveOptimizer(ctx: StatementContext, options: { sharing?: boolean; continuous?: boolean } = {}): OptimizerContext {
  const base: OptimizerContext = { stats: ctx.engine.statistics, modes: ctx.engine, settings: optimizerSettings(ctx), notes: [], continuous: options.continuous === true };
  return options.sharing === true ? { ...base, sharing: sharing(ctx) } : base;
}

export interface JobOptimizer {
  /** Undefined: plan without cost-based choices (a job stored before they existed). */
  readonly context: OptimizerContext | undefined;
  /** Keeps what the job was planned with, under its id (nothing to keep while recovering). */
  keep(jobId: string): void;
}

/**
 * The optimizer of a continuous job (materialized view, INSERT job). A new job plans
 * with the current statistics, and `keep` stores exactly the figures it read and the
 * settings it followed. A job replayed while the engine opens plans from that record:
 * its operator state was laid out by those choices.
 */
export function jobOptimizer(ctx: StatementContext, options: { sharing?: boolean } = {}): JobOptimizer {
  const { engine } = ctx;
  const jobId = ctx.recovering?.jobId;
  const share = options.sharing === true ? { sharing: sharing(ctx), continuous: true } : { continuous: true };
  if (jobId !== undefined) {
    const record = engine.statistics.jobPlanning(jobId) as PlanningRecord | undefined;
    return { context: record === undefined ? undefined : { ...contextFromRecord(record, engine), ...share }, keep: () => {} };
  }
  const recorder = new RecordingStatsReader(engine.statistics);
  const context: OptimizerContext = { stats: recorder, modes: engine, settings: optimizerSettings(ctx), notes: [], ...share };
  return {
    context,
    keep: (id) => {
      const record: PlanningRecord = { stats: recorder.snapshot(), settings: context.settings };
      engine.statistics.saveJobPlanning(id, record);
    },
  };
}
