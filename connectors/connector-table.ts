// A table backed by a connector: a source that jobs pull from on a schedule, and/or a sink that INSERT jobs write into.
//
// The table holds no rows. A job scanning it subscribes, which opens the job's own
// reader from the beginning and pumps batches into it: one batch per turn of the
// event loop (so writes, reads and timers interleave with a long backfill), or after
// the reader's retry delay when nothing is available yet. After each batch the
// table's WATERMARK (max over the rows seen, minus its delay) is pushed when it rose;
// a bounded source that is exhausted pushes the end of time, closing every window.
// A one-shot SELECT reads a fresh unthrottled reader to its end instead.

import { SqlError, SqlState } from '../common/errors.js';
import { projectedKey, rowKey } from '../common/key.js';
import type { Row, Value } from '../common/value.js';
import { ChangeBatch, INSERT } from '../executor/change.js';
import type { ChangeSource } from '../executor/change-source.js';
import type { Output } from '../executor/operator.js';
import type { LookupFunction, LookupSource } from './lookup.js';
import type { Sink } from './sink.js';
import { SourceErrorLog } from './source-errors.js';
import { END_OF_TIME, type Source, type SourceReader, type SourceSubscription, type SubscriptionOffset } from './source.js';

/** What a subscription pushes into: a job's port, plus how to fail the job when the source itself fails. */
export interface SourceFollower extends Output {
  fail?(error: unknown): void;
}

export interface SubscribeOptions {
  /** Start here (a checkpoint's offset) instead of the beginning. */
  readonly from?: SubscriptionOffset;
  /** Rows (or generator events) per batch. */
  readonly batchSize?: number;
}

export interface ConnectorTableOptions {
  /** The WATERMARK expression over a stored row. */
  readonly watermark?: (row: Row) => Value;
  /** Rows per batch a subscription pulls (default 4096). */
  readonly batchSize?: number;
  /** How long a lookup join's copy of the table is used before it is read again (ms; 0: never again). */
  readonly lookupTtlMs?: number;
  /** Wall clock in microseconds, for that reload. */
  readonly now?: () => number;
}

export const DEFAULT_BATCH_SIZE = 4096;
/**
 * How long one batch should take through a job, in milliseconds. A pump halves its
 * batch when one takes much longer (so a heavy job still lets clients, reads and
 * checkpoints in every few tens of milliseconds) and doubles it back when batches are
 * quick (so a light job pays the per-batch cost rarely).
 */
const BATCH_MS = 20;
const MIN_BATCH = 64;

export class ConnectorTable implements ChangeSource {
  /** A job follows it through its own reader, with no backfill from `contents()`. */
  readonly pulled = true;
  readonly subscriptions = new Set<SourcePump>();
  /** Rows skipped with 'format.ignore-parse-errors' (eddy_source_errors). */
  readonly errors: SourceErrorLog;
  private readonly watermarkOf: ((row: Row) => Value) | undefined;
  private readonly batchSize: number;
  private readonly lookupTtl: number;
  private readonly now: () => number;
  private readWatermark: number | undefined;

  constructor(
    readonly name: string,
    readonly connector: string,
    readonly source: Source | undefined,
    readonly sink: Sink | undefined,
    errors: SourceErrorLog,
    options: ConnectorTableOptions = {},
  ) {
    this.errors = errors;
    this.watermarkOf = options.watermark;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.lookupTtl = (options.lookupTtlMs ?? 0) * 1000;
    this.now = options.now ?? (() => Date.now() * 1000);
  }

  private readable(): Source {
    if (this.source) return this.source;
    throw new SqlError('42809', `table "${this.name}" is a ${this.connector} sink and cannot be read`, {
      hint: 'Write into it with INSERT INTO ... SELECT; read from a table with a source connector.',
    });
  }

  /** A one-shot read: everything a bounded source holds, or what a continuous one holds now. */
  contents(): Iterable<Row> {
    const source = this.readable();
    if (source.boundedness === 'endless') {
      throw new SqlError(SqlState.featureNotSupported, `table "${this.name}" is an endless ${source.connector} source: a one-shot read of it would not end`, {
        hint: source.connector === 'nexmark'
          ? "Set 'events.num' to make it bounded, or read it with SUBSCRIBE, a materialized view or INSERT INTO ... SELECT."
          : "Set 'number-of-rows' to make it bounded, or read it with SUBSCRIBE, a materialized view or INSERT INTO ... SELECT.",
      });
    }
    const reader = source.open({ throttle: false });
    const rows: Row[] = [];
    let watermark = Number.NEGATIVE_INFINITY;
    try {
      for (;;) {
        const read = reader.read(this.batchSize);
        for (const row of read.rows) {
          rows.push(row);
          if (this.watermarkOf !== undefined) {
            const w = this.watermarkOf(row);
            if (typeof w === 'number' && w > watermark) watermark = w;
          }
        }
        if (read.status !== 'more') {
          // Bounded input that ended closes every window, as it would in a job.
          if (read.status === 'end') watermark = END_OF_TIME;
          break;
        }
      }
    } finally {
      reader.close();
    }
    this.readWatermark = watermark === Number.NEGATIVE_INFINITY ? undefined : watermark;
    return rows;
  }

  /** The watermark of the last one-shot read (a read asks for it right after `contents()`). */
  watermark(): number | undefined {
    return this.readWatermark;
  }

  follow(listener: Output): () => void {
    const s = this.subscribe(listener);
    return () => s.stop();
  }

  /** A job's read: its own reader, pulled from the next turn of the event loop on. */
  subscribe(follower: SourceFollower, options: SubscribeOptions = {}): SourcePump {
    const source = this.readable();
    const pump = new SourcePump(this, source.open({ throttle: true }), follower, options.batchSize ?? this.batchSize, this.watermarkOf, () => this.subscriptions.delete(pump));
    if (options.from !== undefined) pump.seek(options.from);
    this.subscriptions.add(pump);
    pump.start();
    return pump;
  }

  /**
   * The table as a lookup join's right side (q13's side input): a bounded or continuous
   * source is read whole into a hash index by the looked-up columns at the first lookup,
   * and read again once the copy is older than 'lookup.join.cache.ttl', as Flink's
   * filesystem lookup does. An endless source cannot be looked up.
   */
  lookupSource(): LookupSource | undefined {
    if (this.source === undefined || this.source.boundedness === 'endless') return undefined;
    return {
      table: this.name,
      prepare: (columns: readonly number[]): LookupFunction => {
        let index: Map<string, Row[]> | undefined;
        let loadedAt = 0;
        return (values) => {
          for (const v of values) if (v === null) return [];
          const t = this.lookupTtl > 0 ? this.now() : 0;
          if (index === undefined || (this.lookupTtl > 0 && t - loadedAt >= this.lookupTtl)) {
            index = new Map();
            for (const row of this.contents()) {
              const k = projectedKey(row, columns);
              const rows = index.get(k);
              if (rows === undefined) index.set(k, [row]);
              else rows.push(row);
            }
            loadedAt = t;
          }
          return index.get(rowKey(values)) ?? [];
        };
      },
    };
  }

  /** Resolves once every current subscription is done (its bounded input exhausted, or stopped). */
  async drained(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.done));
  }

  /** DROP TABLE: stop every read. */
  drop(): void {
    for (const s of [...this.subscriptions]) s.stop();
  }
}

/** One job's read of a connector source, pumped on a schedule. */
export class SourcePump implements SourceSubscription {
  rows = 0;
  finished = false;
  /** Set when the source failed (a bad row, a missing file). */
  error: unknown;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private stopped = false;
  private watermark = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private batchSize: number;

  constructor(
    private readonly owner: ConnectorTable,
    private readonly reader: SourceReader,
    private readonly follower: SourceFollower,
    private readonly maxBatch: number,
    private readonly watermarkOf: ((row: Row) => Value) | undefined,
    private readonly onDone: () => void,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.batchSize = maxBatch;
  }

  get table(): string {
    return this.owner.name;
  }

  start(): void {
    this.immediate = setImmediate(this.step);
  }

  offset(): SubscriptionOffset {
    return { reader: this.reader.offset(), watermark: this.watermark === Number.NEGATIVE_INFINITY ? null : this.watermark };
  }

  seek(offset: SubscriptionOffset): void {
    this.reader.seek(offset.reader);
    this.watermark = offset.watermark ?? Number.NEGATIVE_INFINITY;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.reader.close();
    this.onDone();
    this.resolveDone();
  }

  private readonly step = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    let read;
    try {
      read = this.reader.read(this.batchSize);
    } catch (e) {
      this.error = e;
      this.follower.fail?.(e);
      this.stop();
      return;
    }
    const rows = read.rows;
    if (rows.length > 0) {
      this.rows += rows.length;
      const batch = new ChangeBatch();
      for (let i = 0; i < rows.length; i++) batch.push(INSERT, rows[i] as Row);
      const started = performance.now();
      this.follower.emit(batch);
      this.adapt(performance.now() - started);
      // The job may have failed (and stopped this pump) while processing the batch.
      if (this.stopped) return;
      const f = this.watermarkOf;
      if (f !== undefined) {
        let max = this.watermark;
        for (let i = 0; i < rows.length; i++) {
          const w = f(rows[i] as Row);
          if (typeof w === 'number' && w > max) max = w;
        }
        if (max > this.watermark) {
          this.watermark = max;
          this.follower.emitWatermark(max);
          if (this.stopped) return;
        }
      }
    }
    if (read.status === 'end') {
      this.finished = true;
      this.watermark = END_OF_TIME;
      this.follower.emitWatermark(END_OF_TIME);
      this.stop();
      return;
    }
    if (read.status === 'wait') this.timer = setTimeout(this.step, Math.max(1, read.retryMs ?? 100));
    else this.immediate = setImmediate(this.step);
  };

  /** Sizes the next batch by how long this one took through the job. */
  private adapt(ms: number): void {
    if (ms > 2 * BATCH_MS && this.batchSize > MIN_BATCH) this.batchSize = Math.max(MIN_BATCH, this.batchSize >> 1);
    else if (ms < BATCH_MS / 2 && this.batchSize < this.maxBatch) this.batchSize = Math.min(this.maxBatch, this.batchSize * 2);
  }
}
