// A subscription's change stream: changes buffered as `(op, columns...)` rows
// until the client fetches them, with a bound so a slow client cannot grow
// memory without limit.

import { SqlError, SqlState } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import { changeKindLabels, type ChangeBatch } from '../change.js';
import type { Output } from '../operator.js';
import type { ChangeStream, ResultColumn } from './api.js';

export class Subscription implements ChangeStream, Output {
  private buffer: Row[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;
  private failure: SqlError | undefined;
  private closedFlag = false;
  private readonly onClose: (() => void)[] = [];

  constructor(readonly columns: readonly ResultColumn[], private readonly maxBuffered = 1_000_000) {}

  /** Called when the stream closes (to stop the job or unfollow the source). */
  whenClosed(f: () => void): void {
    if (this.closedFlag) f();
    else this.onClose.push(f);
  }

  emit(batch: ChangeBatch): void {
    if (this.closedFlag) return;
    for (let i = 0; i < batch.length; i++) {
      this.buffer.push([changeKindLabels[batch.kinds[i] as number] as string, ...(batch.rows[i] as Row)]);
    }
    if (this.buffer.length - this.head > this.maxBuffered) {
      this.failure = new SqlError(SqlState.outOfMemory, 'subscription dropped: the client fell too far behind', {
        detail: `More than ${this.maxBuffered} changes were waiting to be fetched.`,
        hint: 'Fetch more often, or subscribe to a smaller result.',
      });
      this.shutdown();
    }
    this.wake();
  }

  emitWatermark(): void {}

  /** Rows present when the subscription starts (the snapshot), as +I. */
  pushSnapshot(rows: Iterable<Row>): void {
    for (const r of rows) this.buffer.push(['+I', ...r]);
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
