// The sink side of connectors: writers that take a job's changes and make them visible at checkpoint commits.
//
// A sink that writes files must not publish rows a recovery would write again. So a
// writer stages what it gets in in-progress files and publishes them in two steps
// tied to checkpoints, as Flink's two-phase commit sinks do:
//
//   writer.write(batch)             // rows into in-progress files
//   writer.prepareCommit(7)         // checkpoint 7's barrier: close the files it covers
//   ... checkpoint 7 is durable ...
//   writer.commit(7)                // publish (rename) them; idempotent
//
// What a barrier staged is part of the checkpoint (`pendingCommit`, kept in the sink
// operator's state): if the process dies after checkpoint 7 is durable but before
// `commit(7)` ran, the recovery from 7 hands it back (`recover`), which publishes it
// and discards what was staged for later checkpoints that never became durable.
//
// In the engine an INSERT job publishes only through checkpoints (the end of its input
// asks for one). Without checkpoints (a writer used on its own, INSERT ... VALUES),
// `finish` at the end of the input prepares and commits everything at once, and
// `close` publishes what is left.

import type { ChangeBatch } from '../executor/change.js';

export interface SinkWriter {
  /** Takes a batch of the job's changes. Append-only sinks reject retractions with a clear error. */
  write(batch: ChangeBatch): void;
  /**
   * A checkpoint barrier: everything written so far belongs to `checkpointId`. Files are
   * closed and kept in progress until `commit(checkpointId)`.
   */
  prepareCommit(checkpointId: number): void;
  /** Publishes what `prepareCommit` staged for checkpoints up to `checkpointId`. Calling it again is harmless. */
  commit(checkpointId: number): void;
  /**
   * What a checkpoint keeps of the writer, right after its barrier's `prepareCommit`: what is
   * staged and not yet published (plain data). Absent: the writer stages nothing.
   */
  pendingCommit?(): unknown;
  /**
   * Recovery from a checkpoint whose barrier kept `pending`: publish it (idempotent: what is
   * published already stays as it is), and discard what was staged after it, for checkpoints
   * that never became durable. The writer then goes on from where that checkpoint left it.
   */
  recover?(pending: unknown): void;
  /** The input ended: publish everything written. */
  finish(): void;
  /** The job stops: publish what was written (a clean stop), then release files and handles. */
  close(): void;
  /**
   * The job stops at a point no checkpoint covers (a crash, or a stop after checkpoints
   * took over the commits): release files and handles, publish nothing. A recovery
   * rewinds to the last checkpoint and writes those rows again.
   */
  abort(): void;
}

/** A connector's sink: a factory of writers, one per job writing into the table. */
export interface Sink {
  readonly connector: string;
  /** Whether it takes -U/-D changes (print does; file formats and blackhole take inserts only, or count). */
  readonly acceptsRetractions: boolean;
  open(job: string): SinkWriter;
}
