// A subscription's change stream: changes buffered as `(op, columns...)` rows
// until the client fetches them, with a bound so a slow client cannot grow
// memory without limit.
//
// Changes reach a subscription synchronously, while the write that caused them
// runs, before that write's LMDB transaction is synced. They are held back
// (staged) until it is: a client sees a change only once a crash can no longer
// take it back, at the same moment the writer's acknowledgement is sent (both
// wait for the same group-commit sync). If that commit fails, the subscription
// fails instead of delivering changes that were never made durable.

import { SqlError, SqlState } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import { changeKindLabels, type ChangeBatch } from '../change.js';
import type { Output } from '../operator.js';
import type { ChangeStream, ResultColumn } from './api.js';

/** A promise that settles once every write issued so far is durable (rejects if one failed to commit). */
export type DurabilityWatch = () => Promise<void>;

/**
 * Watches an LMDB environment: resolves once the transaction holding the writes issued
 * so far has committed and been synced, rejects if it failed to commit. Both thenables
 * are read synchronously, so they belong to the transaction the caller's writes went into.
 */
export function durabilityWatch(root: { readonly committed: PromiseLike<unknown>; readonly flushed: PromiseLike<unknown> }): DurabilityWatch {
  return () => {
    const committed = new Promise<unknown>((resolve, reject) => { root.committed.then(resolve, reject); });
    const flushed = new Promise<unknown>((resolve, reject) => { root.flushed.then(resolve, reject); });
    return Promise.all([committed, flushed]).then(() => undefined);
  };
}

/** Changes are visible at once (nothing to wait for: a subscription that no durable write feeds). */
export const alreadyDurable: DurabilityWatch = () => Promise.resolve();

export class Subscription implements ChangeStream, Output {
  /** Changes the client can fetch (from `head`). */
  private buffer: Row[] = [];
  private head = 0;
  /** Changes waiting for their write to be durable, in arrival order; `stagedBase` counts those released before. */
  private staged: Row[] = [];
  private stagedBase = 0;
  /** Settles once everything staged so far is released (or the subscription failed). */
  private lastStaged: Promise<void> = Promise.resolve();
  private waiter: (() => void) | undefined;
  private failure: SqlError | undefined;
  private closedFlag = false;
  private readonly onClose: (() => void)[] = [];

  constructor(
    readonly columns: readonly ResultColumn[],
    private readonly maxBuffered = 1_000_000,
    private readonly durable: DurabilityWatch = alreadyDurable,
  ) {}

  /** Called when the stream closes (to stop the job or unfollow the source). */
  whenClosed(f: () => void): void {
    if (this.closedFlag) f();
    else this.onClose.push(f);
  }

  emit(batch: ChangeBatch): void {
    if (this.closedFlag || batch.length === 0) return;
    for (let i = 0; i < batch.length; i++) {
      this.staged.push([changeKindLabels[batch.kinds[i] as number] as string, ...(batch.rows[i] as Row)]);
    }
    this.stageEnded();
  }

  emitWatermark(): void {}

  /**
   * Rows present when the subscription starts (the snapshot), as +I. They may hold
   * writes not yet durable, so they wait like changes do.
   */
  pushSnapshot(rows: Iterable<Row>): void {
    if (this.closedFlag) return;
    for (const r of rows) this.staged.push(['+I', ...r]);
    this.stageEnded();
  }

  /** Releases what is staged so far once the writes behind it are durable. */
  private stageEnded(): void {
    if (this.pending + this.staged.length > this.maxBuffered) {
      this.fail(new SqlError(SqlState.outOfMemory, 'subscription dropped: the client fell too far behind', {
        detail: `More than ${this.maxBuffered} changes were waiting to be fetched.`,
        hint: 'Fetch more often, or subscribe to a smaller result.',
      }));
      return;
    }
    const mark = this.stagedBase + this.staged.length;
    this.lastStaged = this.durable().then(() => this.release(mark), (e: unknown) => {
      this.fail(new SqlError('58030', 'subscription dropped: a change it would have delivered was not made durable', {
        detail: `Committing the write failed: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'Subscribe again; the writer was told its statement failed.',
      }));
    });
  }

  /**
   * Resolves once every change received so far can be fetched (or the subscription failed):
   * a cursor's snapshot is waited for before DECLARE returns.
   */
  settled(): Promise<void> {
    return this.lastStaged;
  }

  /** Makes the staged changes up to `mark` (counted from the first ever staged) fetchable. */
  private release(mark: number): void {
    const n = mark - this.stagedBase;
    if (n <= 0 || this.closedFlag) return;
    const ready = n === this.staged.length ? this.staged : this.staged.slice(0, n);
    this.staged = n === this.staged.length ? [] : this.staged.slice(n);
    this.stagedBase = mark;
    for (const r of ready) this.buffer.push(r);
    this.wake();
  }

  private fail(failure: SqlError): void {
    if (this.closedFlag) return;
    this.failure = failure;
    this.staged = [];
    this.shutdown();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get pending(): number {
    return this.buffer.length - this.head;
  }

  async next(max = Number.POSITIVE_INFINITY, timeoutMs?: number, signal?: AbortSignal): Promise<Row[]> {
    if (this.pending === 0 && !this.closedFlag && timeoutMs !== 0) {
      await this.wait(timeoutMs, signal);
    }
    if (this.pending === 0 && this.failure) throw this.failure;
    const n = Math.min(max, this.pending);
    const out = this.buffer.slice(this.head, this.head + n);
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  close(): void {
    this.shutdown();
    this.buffer = [];
    this.head = 0;
    this.staged = [];
  }

  private shutdown(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const f of this.onClose.splice(0)) f();
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private wait(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        if (timer) clearTimeout(timer);
        this.waiter = undefined;
        reject(new SqlError(SqlState.queryCanceled, 'canceling statement due to user request'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
      this.waiter = done;
    });
  }
}
