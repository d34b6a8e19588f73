// The last operator of an INSERT INTO <connector table> job: hands the job's changes to the table's sink writer.

import { SqlError, SqlState } from '../common/errors.js';
import { INSERT, type ChangeBatch } from '../executor/change.js';
import type { OperatorContext, StreamOperator } from '../executor/operator.js';
import type { ValueState } from '../executor/state/state-api.js';
import type { Sink, SinkWriter } from './sink.js';
import { END_OF_TIME } from './source.js';

/** What a checkpoint keeps of the sink: the barrier's checkpoint and the writer's pending commit. */
interface SinkCheckpoint {
  readonly checkpoint: number;
  readonly pending: unknown;
}

/** The one key of the sink's state. */
const KEY = ['commit'];

/**
 * Writes every batch; a checkpoint barrier (`snapshot`) prepares the writer's commit and
 * `commit` (called once the checkpoint is durable) publishes it.
 *
 * Until its job takes a checkpoint, the operator commits on its own: `commitEveryMs`
 * after the first batch since the last commit (the checkpoint interval), between two
 * batches, everything at the end of time (every input ended), and what is left when the
 * job stops. In an engine that recovers jobs (`requestCheckpoint` given), the end of
 * time asks for a checkpoint instead, whose commit publishes: rows published before any
 * checkpoint covered them would be written again by a recovery that rebuilds the job.
 * From the first checkpoint barrier on, only checkpoints commit: rows written after the
 * last one are published by the next, or, if the job stops or crashes first, never (a
 * recovery writes them again), so nothing is published twice.
 *
 * The barrier's pending commit goes into the checkpoint with the operator state. A job
 * restored from a checkpoint hands it back to its writer when it opens, which completes
 * the commit a crash may have cut short (between the checkpoint's durability and
 * `commit`) and discards what later barriers staged; it follows checkpoints from then on.
 */
export class ConnectorSinkOperator implements StreamOperator {
  readonly name: string;
  private readonly writer: SinkWriter;
  private finished = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private commits = 0;
  /** Set by the first checkpoint barrier: commits follow checkpoints from then on. */
  private checkpointed = false;
  /** Where the barrier's pending commit goes (absent until opened). */
  private pending: ValueState<SinkCheckpoint> | undefined;

  constructor(
    readonly table: string,
    private readonly sink: Sink,
    job: string,
    private readonly commitEveryMs?: number,
    /** Asks for a checkpoint soon (not from inside this call: the job is mid-push). */
    private readonly requestCheckpoint?: () => void,
  ) {
    this.name = `Sink(${sink.connector})`;
    this.writer = sink.open(job);
  }

  /** True once checkpoints commit this sink: what it wrote is published by the next one. */
  get followsCheckpoints(): boolean {
    return this.checkpointed || (this.finished && this.requestCheckpoint !== undefined);
  }

  private scheduleCommit(): void {
    if (this.commitEveryMs === undefined || this.timer !== undefined || this.finished || this.checkpointed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const id = ++this.commits;
      this.writer.prepareCommit(id);
      this.writer.commit(id);
    }, this.commitEveryMs);
    // A pending commit does not keep the process alive: closing the job publishes what is left.
    this.timer.unref();
  }

  /** Drops the scheduled commit, if any. */
  private cancelCommit(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  open(context: OperatorContext): void {
    this.pending = context.state.value<SinkCheckpoint>('pending-commit');
    const saved = this.pending.get(KEY);
    if (saved === undefined) return;
    // Restored from a checkpoint: it covers what the job wrote up to its barrier, and only checkpoints commit from here.
    this.checkpointed = true;
    this.writer.recover?.(saved.pending);
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (!this.sink.acceptsRetractions) {
      for (let i = 0; i < batch.length; i++) {
        if (batch.kinds[i] !== INSERT) {
          throw new SqlError(SqlState.featureNotSupported, `table "${this.table}" is a ${this.sink.connector} sink that takes inserts only, and the query retracted a row`, {
            hint: 'Write an append-only query into it (no updating aggregation or join), or use a print or blackhole sink.',
          });
        }
      }
    }
    this.writer.write(batch);
    this.scheduleCommit();
  }

  processWatermark(_input: number, watermark: number): void {
    if (watermark === END_OF_TIME && !this.finished && !this.checkpointed) {
      this.finished = true;
      this.cancelCommit();
      if (this.requestCheckpoint !== undefined) this.requestCheckpoint();
      else this.writer.finish();
    }
  }

  snapshot(checkpointId: number): void {
    if (!this.checkpointed) {
      this.checkpointed = true;
      this.cancelCommit();
    }
    this.writer.prepareCommit(checkpointId);
    this.pending?.put(KEY, { checkpoint: checkpointId, pending: this.writer.pendingCommit?.() ?? null });
  }

  /** Checkpoint `checkpointId` is durable: publish what its barrier prepared. */
  commit(checkpointId: number): void {
    this.writer.commit(checkpointId);
  }

  close(): void {
    this.cancelCommit();
    if (this.checkpointed) this.writer.abort();
    else this.writer.close();
  }
}
