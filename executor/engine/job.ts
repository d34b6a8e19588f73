// A continuous job: a dataflow fed by the relations it scans, writing into a
// sink (a materialized view, a table, or a subscription).

import { SqlError, SqlState } from '../../common/errors.js';
import type { BuiltDataflow } from '../../planner/physical/build-dataflow.js';
import { ChangeBatch } from '../change.js';
import type { ChangeSource } from '../change-source.js';
import type { DataflowNode } from '../dataflow.js';
import type { StreamOperator } from '../operator.js';
import type { StateBackend } from '../state/state-api.js';
import { replayable } from './snapshot.js';
import type { SourceSubscription, SubscriptionOffset } from '../../connectors/source.js';
import type { Output } from '../operator.js';
import type { JobCheckpoint } from '../checkpoint/checkpoint-store.js';

export type JobKind = 'MATERIALIZED VIEW' | 'INSERT' | 'SUBSCRIBE';

export class Job {
  status: 'RUNNING' | 'FAILED' | 'STOPPED' = 'RUNNING';
  error: SqlError | undefined;
  /**
   * The job's reads of connector sources, one per scan: their offsets are the job's
   * position in its input (what a checkpoint records, and recovery seeks back to).
   */
  readonly subscriptions: SourceSubscription[] = [];
  private readonly unfollow: (() => void)[] = [];
  /** The backend its operators opened on (a subscription's is not the engine's durable one). */
  private openedOn: StateBackend | undefined;

  constructor(
    readonly id: string,
    readonly kind: JobKind,
    /** The object it maintains or writes (view or table name); empty for subscriptions. */
    readonly target: string,
    readonly sql: string,
    readonly built: BuiltDataflow,
    readonly sink: StreamOperator,
  ) {}

  /** Relation names the job reads. */
  get reads(): string[] {
    return [...new Set(this.built.ports.map((p) => p.object))];
  }

  /**
   * Wires the sink, opens every operator, backfills each port from its
   * source's current contents, then follows the sources' changes.
   */
  start(state: StateBackend, now: () => number, sourceOf: (object: string) => ChangeSource, options: { muteBackfill?: boolean } = {}): void {
    const { dataflow, root, ports, values } = this.built;
    const sinkNode = dataflow.add(this.sink, this.target);
    // A restored INSERT job rebuilds its operator state from its inputs, but
    // its target already holds what that backfill would write: mute it.
    if (!options.muteBackfill) dataflow.connect(root, sinkNode, 0);
    dataflow.open(state, now);
    this.openedOn = state;
    for (const port of ports) {
      const source = sourceOf(port.object);
      // A table replays its log with the watermarks where they were: a row late when written stays late.
      if (replayable(source)) {
        this.guard(() => source.replay({ emit: (b) => port.node.push(0, b), emitWatermark: (w) => port.node.pushWatermark(0, w) }));
        continue;
      }
      // A connector source replays from its beginning into the job when followed (below).
      if (source.pulled) continue;
      const rows = [...source.contents()];
      if (rows.length > 0) this.guard(() => port.node.push(0, ChangeBatch.inserts(rows)));
    }
    // Then where event time stands: windows the contents already closed are emitted now.
    for (const port of ports) {
      const source = sourceOf(port.object);
      if (source.pulled || replayable(source)) continue;
      const w = source.watermark?.();
      if (w !== undefined) this.guard(() => port.node.pushWatermark(0, w));
    }
    for (const v of values) this.guard(() => v.start());
    if (options.muteBackfill) dataflow.connect(root, sinkNode, 0);
    for (const port of ports) {
      const source = sourceOf(port.object);
      const listener = this.listener(port.node);
      if (isSubscribable(source)) {
        const subscription = source.subscribe(listener);
        this.subscriptions.push(subscription);
        this.unfollow.push(() => subscription.stop());
      } else this.unfollow.push(source.follow(listener));
    }
  }

  /**
   * Restores the job from a checkpoint: its operators open on their
   * checkpointed state, each port is told the watermark it had seen (operators
   * with several inputs track them per input), connector reads seek to their
   * offsets, and the job follows its sources. No backfill: what it had read is
   * in its state, and recovery replays the input log after the checkpoint.
   */
  restore(state: StateBackend, now: () => number, sourceOf: (object: string) => ChangeSource, checkpoint: JobCheckpoint): void {
    const { dataflow, root, ports } = this.built;
    const sinkNode = dataflow.add(this.sink, this.target);
    dataflow.connect(root, sinkNode, 0);
    dataflow.open(state, now);
    this.openedOn = state;
    for (const l of checkpoint.late ?? []) {
      const node = dataflow.nodes[l.node];
      if (node === undefined) continue;
      node.lateCount = l.count;
      node.lateRows.push(...l.rows);
    }
    if (checkpoint.status === 'FAILED') {
      // It had failed before the checkpoint, and stays failed (following nothing), as it would have without the crash.
      this.status = 'FAILED';
      this.error = new SqlError(SqlState.internalError, checkpoint.error ?? 'failed before the last checkpoint');
      return;
    }
    const offsets = checkpoint.subscriptions as readonly SubscriptionOffset[];
    let next = 0;
    ports.forEach((port, i) => {
      const source = sourceOf(port.object);
      const offset = isSubscribable(source) ? offsets[next++] : undefined;
      const w = offset !== undefined ? offset.watermark : checkpoint.ports[i]?.watermark;
      if (w !== null && w !== undefined) this.guard(() => port.node.pushWatermark(0, w));
      const listener = this.listener(port.node);
      if (isSubscribable(source)) {
        const subscription = source.subscribe(listener);
        if (offset !== undefined) subscription.seek(offset);
        this.subscriptions.push(subscription);
        this.unfollow.push(() => subscription.stop());
      } else this.unfollow.push(source.follow(listener));
    });
  }

  private listener(node: DataflowNode): { emit: (b: ChangeBatch) => void; emitWatermark: (w: number) => void; fail: (e: unknown) => void } {
    return {
      emit: (batch) => this.guard(() => node.push(0, batch)),
      emitWatermark: (w) => this.guard(() => node.pushWatermark(0, w)),
      // A connector source that fails (a bad row, a missing file) fails the job.
      fail: (e) => this.guard(() => {
        throw e;
      }),
    };
  }

  /**
   * An error inside a running job fails the job (as in Flink), not the
   * statement that fed its source: the write itself is already accepted.
   */
  private guard(f: () => void): void {
    if (this.status !== 'RUNNING') return;
    try {
      f();
    } catch (e) {
      this.status = 'FAILED';
      this.error = e instanceof SqlError ? e : new SqlError(SqlState.internalError, String(e instanceof Error ? e.message : e));
      this.detach();
    }
  }

  /** Stops following the sources (the state stays until `stop`). */
  private detach(): void {
    for (const u of this.unfollow.splice(0)) u();
  }

  /** Stops the job; with `state`, its operators' state is dropped too (DROP), else it stays (close, crash). */
  stop(state?: StateBackend): void {
    this.detach();
    if (this.status === 'RUNNING') this.status = 'STOPPED';
    this.built.dataflow.close(state === undefined ? undefined : (this.openedOn ?? state));
  }

  /**
   * Stops following the sources and leaves the operators as they are, unclosed:
   * what a crash does (a sink publishes nothing it had not published).
   */
  abandon(): void {
    this.detach();
    if (this.status === 'RUNNING') this.status = 'STOPPED';
  }

  /** Operators holding rows back (mini-batches) pass them on, before a read; a failure fails the job, not the read. */
  passOnHeld(): void {
    this.guard(() => this.built.dataflow.passOnHeld());
  }

  /** Throws the job's error if it failed. */
  checkHealthy(): void {
    if (this.status === 'FAILED' && this.error) {
      throw new SqlError(this.error.sqlstate, `job ${this.id} (${this.target || this.kind.toLowerCase()}) failed: ${this.error.message}`, {
        hint: 'Drop and recreate it once the cause is fixed.',
      });
    }
  }
}

/** A connector table: a source that hands out a subscription for each reader it opens. */
interface Subscribable extends ChangeSource {
  subscribe(follower: Output & { fail?(e: unknown): void }): SourceSubscription;
}

function isSubscribable(source: ChangeSource): source is Subscribable {
  return source.pulled === true && typeof (source as Partial<Subscribable>).subscribe === 'function';
}
