// The engine's checkpoints: a barrier through every job, then one durable transaction of state, offsets and watermarks.
//
// Operators are synchronous and push every change through before a
// statement's handler returns, so between two turns of the event loop every
// job is quiescent: the barrier is aligned by construction. A checkpoint
// then (1) calls `snapshot(id)` on every operator of every durable job, so
// those that buffer write their buffers into state, (2) records where each
// job stands (the input log position, connector offsets, the watermark each
// port has seen, its status), (3) collects the dirty operator state, and
// (4) commits all of it, with the pointer to the new checkpoint, in one LMDB
// transaction. Steps 1-3 run without yielding. Once the transaction is
// durable, sinks publish what the barrier prepared, spilled-state undo
// records and log entries the checkpoint covers are removed.

import { SqlError, SqlState } from '../../common/errors.js';
import type { Engine } from '../engine/engine.js';
import type { Job } from '../engine/job.js';
import { parseDuration } from '../engine/statements/common.js';
import type { CheckpointFault, CheckpointMeta, CheckpointOutcome, JobCheckpoint } from './checkpoint-store.js';

/** The setting that paces checkpoints ('0' or 'off': only CHECKPOINT takes them). */
export const CHECKPOINT_INTERVAL = 'execution.checkpointing.interval';

/** Milliseconds between checkpoints for a value of the setting (0: none on a timer); throws on a bad value. */
export function checkpointInterval(value: string): number {
  if (/^\s*(off|false|none)\s*$/i.test(value)) return 0;
  return parseDuration(value, `value for "${CHECKPOINT_INTERVAL}"`);
}

/** An operator that publishes something once a checkpoint is durable (a two-phase-commit sink). */
interface CommitsOnCheckpoint {
  commit(checkpointId: number): void;
}

function commitsOnCheckpoint(op: object): op is CommitsOnCheckpoint {
  return typeof (op as Partial<CommitsOnCheckpoint>).commit === 'function';
}

export class Checkpointer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<CheckpointOutcome> | undefined;
  private stopped = false;
  /** Closing: no checkpoint may start any more. */
  private sealed = false;
  /** A fault the next checkpoint runs into (tests). */
  fault: CheckpointFault | undefined;

  constructor(private readonly engine: Engine) {}

  /** Milliseconds between checkpoints, from the engine's setting (0: none on a timer). */
  interval(): number {
    return checkpointInterval(this.engine.settings.get(CHECKPOINT_INTERVAL) ?? '1s');
  }

  /** Starts taking checkpoints on the interval. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Re-reads the interval (after SET) and restarts the timer. */
  reschedule(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    let ms: number;
    try {
      ms = this.interval();
    } catch {
      ms = 1000;
    }
    // Entries are encoded as they change only while checkpoints come on a timer.
    this.engine.stateBackend.eager = ms > 0;
    if (ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.checkpoint().then((o) => {
        if (o.status === 'FAILED') process.stderr.write(`eddy: checkpoint ${o.id} failed: ${o.error ?? 'unknown error'}\n`);
      }, () => {}).finally(() => this.schedule());
    }, ms);
    // A pending checkpoint does not keep the process alive.
    this.timer.unref();
  }

  /**
   * Refuses every later checkpoint and waits until none runs: what the engine does
   * last before closing its storage (a checkpoint asked for by a job a moment
   * earlier may still be queued behind the final one).
   */
  async seal(): Promise<void> {
    this.sealed = true;
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Stops the timer and waits for a checkpoint in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.engine.stateBackend.eager = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
  }

  /**
   * Takes a checkpoint now (after the one in flight, if any) and resolves with
   * its outcome once it is durable or failed.
   */
  async checkpoint(): Promise<CheckpointOutcome> {
    while (this.running) await this.running.catch(() => undefined);
    if (this.sealed) throw new SqlError(SqlState.internalError, 'the engine is closed: no more checkpoints');
    const run = this.run();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  /** Runs CHECKPOINT: fails with the reason when the checkpoint fails. */
  async checkpointOrThrow(): Promise<CheckpointOutcome> {
    const outcome = await this.checkpoint();
    if (outcome.status === 'FAILED') {
      throw new SqlError('58030', `checkpoint ${outcome.id} failed`, {
        detail: outcome.error ?? undefined,
        hint: 'The previous checkpoint is still the one a restart recovers from.',
      });
    }
    return outcome;
  }

  private async run(): Promise<CheckpointOutcome> {
    const { engine } = this;
    const store = engine.checkpointStore;
    const id = store.nextId();
    const started = Date.now();
    const fault = this.fault;
    this.fault = undefined;
    let meta: CheckpointMeta;
    let state;
    // Everything up to the commit runs without yielding: no batch moves meanwhile.
    try {
      if (fault === 'prepare') throw new Error('injected failure: the checkpoint could not be prepared');
      // The barrier: every operator writes what it holds into state. Jobs are in creation order, so one
      // reading a view comes after the view's job and sees what that one passes on at its barrier. A
      // job whose barrier writes into a table (an INSERT job) can feed one created before it: the
      // barrier goes round again until no table changes, so nothing is left held past the checkpoint.
      for (let round = 0; ; round++) {
        const before = engine.inputLog.position;
        for (const job of engine.jobs.values()) {
          if (job.kind !== 'SUBSCRIBE' && job.status === 'RUNNING') job.built.dataflow.snapshot(id);
        }
        if (engine.inputLog.position === before) break;
        if (round >= 100) throw new Error('the barrier did not settle: jobs kept writing into tables');
      }
      const position = engine.inputLog.position;
      const jobs: JobCheckpoint[] = [];
      for (const job of engine.jobs.values()) {
        if (job.kind === 'SUBSCRIBE') continue;
        jobs.push({
          id: job.id,
          plan: planSignature(job),
          kind: job.kind,
          status: job.status,
          error: job.error?.message ?? null,
          ports: job.built.ports.map((p) => ({ object: p.object, offset: position, watermark: portWatermark(engine, p.object) })),
          subscriptions: job.subscriptions.map((s) => s.offset()),
          late: job.built.dataflow.nodes.filter((n) => n.lateCount > 0).map((n) => ({ node: n.id, count: n.lateCount, rows: [...n.lateRows] })),
        });
      }
      const catalog = engine.catalogStore.list();
      meta = {
        id,
        started,
        position,
        jobs,
        tables: catalog.filter((e) => e.kind === 'TABLE' && e.tableId !== undefined)
          .map((e) => ({ tableId: e.tableId as number, watermark: engine.tables.get(e.name)?.watermark() ?? null })),
        catalog: catalog.map((e) => e.seq),
      };
      state = engine.stateBackend.collectCheckpoint(id);
    } catch (e) {
      return store.recordFailure(id, started, e instanceof Error ? e.message : String(e));
    }
    const outcome = await store.commit(meta, state, fault);
    if (outcome.status !== 'COMPLETED') return outcome;
    engine.stateBackend.purgeUndo(id);
    engine.inputLog.truncate(meta.position);
    // Sinks publish what this checkpoint's barrier prepared.
    for (const job of engine.jobs.values()) {
      if (job.kind === 'SUBSCRIBE') continue;
      for (const node of job.built.dataflow.nodes) if (commitsOnCheckpoint(node.operator)) node.operator.commit(id);
    }
    return outcome;
  }
}

/**
 * The operators of a job's dataflow (its sink left out), in node order. Operator
 * state is keyed by node: it can only be restored into the same graph, so a
 * plan that came out differently on open (another planner) is not restored.
 */
export function planSignature(job: Job): string {
  return job.built.dataflow.nodes.filter((n) => n.operator !== job.sink).map((n) => `${n.operator.name}(${n.detail})`).join(' ');
}

/** The watermark a scan of `object` has seen (null: none yet). */
function portWatermark(engine: Engine, object: string): number | null {
  try {
    return engine.source(object).watermark?.() ?? null;
  } catch {
    return null;
  }
}
