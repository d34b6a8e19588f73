// Where checkpoints are recorded: the last complete one (what recovery loads) and the outcome of each.
//
// A checkpoint commits in ONE LMDB transaction: the operator state it writes
// and the pointer to it with its metadata (source offsets, watermarks,
// catalog), issued together as one conditional block of asynchronous writes
// (lmdb-js's write thread applies them, off the main thread; the condition lets
// a test make the block fail as a whole). It completes once that transaction is
// durable. Until then the previous checkpoint is the one `latest()` returns,
// and stays loadable.

import type { Database, RootDatabase } from 'lmdb';
import type { LateRow } from '../dataflow.js';
import type { StateCheckpoint } from '../state/lmdb-backend.js';

/** Where one port of a job was at a checkpoint. */
export interface PortCheckpoint {
  /** The relation the port scans. */
  readonly object: string;
  /** The input log position the port had consumed (a SQL-fed table), or the connector's offset. */
  readonly offset: unknown;
  /** The watermark the source had passed on, if any. */
  readonly watermark: number | null;
}

export interface JobCheckpoint {
  readonly id: string;
  /** The operators of its dataflow, in node order: a job is restored only into the same graph. */
  readonly plan: string;
  readonly kind: string;
  readonly status: string;
  readonly error: string | null;
  readonly ports: readonly PortCheckpoint[];
  /** Connector reads of the job (connectors/source.ts): their offsets, in order. */
  readonly subscriptions: readonly unknown[];
  /** Late rows its operators had counted and kept (eddy_late_rows), by node. */
  readonly late?: readonly { readonly node: number; readonly count: number; readonly rows: readonly LateRow[] }[];
}

/** What a complete checkpoint records beside the operator state. */
export interface CheckpointMeta {
  readonly id: number;
  /** Milliseconds since the epoch. */
  readonly started: number;
  /** The last input log position every job had consumed. */
  readonly position: number;
  readonly jobs: readonly JobCheckpoint[];
  /** The watermark of each SQL-fed table, by table id. */
  readonly tables: readonly { readonly tableId: number; readonly watermark: number | null }[];
  /** Catalog entries live at the checkpoint (their sequence numbers). */
  readonly catalog: readonly number[];
}

export type CheckpointStatus = 'COMPLETED' | 'FAILED';

/** One row of eddy_checkpoints. */
export interface CheckpointOutcome {
  readonly id: number;
  readonly started: number;
  readonly durationMs: number;
  readonly bytes: number;
  readonly status: CheckpointStatus;
  readonly error: string | null;
}

/** A fault to inject into the next checkpoint (tests): before anything is written, or inside its transaction. */
export type CheckpointFault = 'prepare' | 'commit';

const LATEST = 'latest';
/** While this key exists, checkpoint writes are refused (an injected failed commit). */
const REFUSE = 'refuse-checkpoints';
// Outcomes kept for eddy_checkpoints.
const KEEP_OUTCOMES = 100;

export class CheckpointStore {
  private readonly outcomes: CheckpointOutcome[] = [];
  private lastId = 0;

  constructor(private readonly root: RootDatabase, private readonly db: Database) {
    for (const { key, value } of db.getRange({ start: ['o'], end: ['p'] })) {
      const outcome = value as CheckpointOutcome;
      this.outcomes.push(outcome);
      this.lastId = Math.max(this.lastId, (key as [string, number])[1]);
    }
    this.lastId = Math.max(this.lastId, this.latest()?.id ?? 0);
  }

  /** The last complete checkpoint, if any. */
  latest(): CheckpointMeta | undefined {
    return this.db.get(LATEST) as CheckpointMeta | undefined;
  }

  /** The next checkpoint's id (ids only grow, failed checkpoints included). */
  nextId(): number {
    return ++this.lastId;
  }

  /** Outcomes, oldest first. */
  history(): readonly CheckpointOutcome[] {
    return this.outcomes;
  }

  /**
   * Commits checkpoint `meta` with the operator state it writes; resolves with
   * its outcome once it is durable, or failed (the previous one stays the latest).
   */
  async commit(meta: CheckpointMeta, state: StateCheckpoint, fault?: CheckpointFault): Promise<CheckpointOutcome> {
    const outcome = (status: CheckpointStatus, error: string | null): CheckpointOutcome => ({
      id: meta.id, started: meta.started, durationMs: Date.now() - meta.started, bytes: state.bytes, status, error,
    });
    try {
      // Issued at once (no await before): spills after this must commit after it, and they are queued in order.
      if (fault === 'commit') this.db.put(REFUSE, true).then(undefined, () => {});
      const written = this.db.ifNoExists(REFUSE, () => {
        state.write();
        this.db.put(LATEST, meta).then(undefined, () => {});
      });
      if (fault === 'commit') this.db.remove(REFUSE).then(undefined, () => {});
      if (!(await written)) throw new Error('injected failure: the checkpoint transaction did not commit');
      state.committed();
      await this.root.flushed;
      state.durable();
    } catch (e) {
      // Not durable (or not even committed): what it wrote is written again by the next one.
      state.failed();
      const failed = outcome('FAILED', e instanceof Error ? e.message : String(e));
      this.record(failed);
      return failed;
    }
    const done = outcome('COMPLETED', null);
    this.record(done);
    return done;
  }

  /** Records the outcome of a checkpoint that failed before it wrote anything. */
  recordFailure(id: number, started: number, error: string): CheckpointOutcome {
    const failed: CheckpointOutcome = { id, started, durationMs: Date.now() - started, bytes: 0, status: 'FAILED', error };
    this.record(failed);
    return failed;
  }

  private record(o: CheckpointOutcome): void {
    this.outcomes.push(o);
    this.db.put(['o', o.id], o).then(undefined, () => {});
    while (this.outcomes.length > KEEP_OUTCOMES) {
      const old = this.outcomes.shift() as CheckpointOutcome;
      this.db.remove(['o', old.id]).then(undefined, () => {});
    }
  }
}
