// The source side of connectors: readers that produce rows from a position, and the offsets that make them resumable.
//
// A connector source holds no rows of its own. Every job that scans it opens its
// own reader and pulls batches from it on a schedule (see `SourcePump`); the
// reader's offset after a batch is exactly the position of the next row the job
// has not seen, so a checkpoint that records it (with the job's operator state)
// can rewind the reader there on recovery and nothing is lost or counted twice.
//
//   const reader = source.open({ throttle: true });
//   const read = reader.read(4096);     // { rows, status: 'more' | 'wait' | 'end' }
//   const at = reader.offset();         // JSON data: store it in a checkpoint
//   reader.seek(at);                    // later, in a fresh reader: resume there

import type { Row } from '../common/value.js';

/** JSON-compatible data: what offsets are made of, so a checkpoint can store them as they are. */
export type OffsetValue = null | boolean | number | string | readonly OffsetValue[] | { readonly [key: string]: OffsetValue };

/**
 * A reader's position, as JSON-compatible data. Its shape belongs to the connector
 * (nexmark: `{ event }`; filesystem: `{ done, file, position, line }`); callers only
 * store it and hand it back to `seek`.
 */
export type SourceOffset = { readonly [key: string]: OffsetValue };

/**
 * What one `read` produced:
 * - `more`: call again at once;
 * - `wait`: nothing is available now (a rate-limited generator ahead of its schedule, a
 *   continuous file source with no new file): call again after `retryMs`;
 * - `end`: a bounded source is exhausted; `rows` are its last.
 */
export interface SourceRead {
  readonly rows: Row[];
  readonly status: 'more' | 'wait' | 'end';
  readonly retryMs?: number;
}

export interface SourceReader {
  /** Up to about `max` rows from the current position (a generator may count events rather than rows). */
  read(max: number): SourceRead;
  /** The position of the next row `read` would return. */
  offset(): SourceOffset;
  /** Moves to `offset` (from `offset()` of a reader of the same source); the next `read` starts there. */
  seek(offset: SourceOffset): void;
  close(): void;
}

export interface ReaderOptions {
  /**
   * Keep to the source's rate (`rows-per-second`, nexmark's `rate.limited`). A one-shot
   * read opens its reader unthrottled: it wants the rows, not the pace.
   */
  readonly throttle: boolean;
}

/**
 * How a source ends, which decides what a one-shot SELECT over it can see:
 * - `bounded`: it reaches an end (a file read once, datagen with `number-of-rows`,
 *   nexmark with `events.num`); a read sees everything, and a job's watermark goes to
 *   the end of time when it is exhausted, so every window closes;
 * - `continuous`: it follows new input as it appears (a watched directory); a read sees
 *   what is there now;
 * - `endless`: it generates forever; only jobs (views, INSERT, SUBSCRIBE) can read it.
 */
export type SourceBoundedness = 'bounded' | 'continuous' | 'endless';

/** A connector's source: a factory of readers over the same rows. */
export interface Source {
  /** The connector name, for messages (`datagen`, `nexmark`, ...). */
  readonly connector: string;
  readonly boundedness: SourceBoundedness;
  /** A reader at the beginning. */
  open(options: ReaderOptions): SourceReader;
}

/**
 * A job's running read of a connector source: one reader, pulled on a schedule, pushing
 * into the job. The checkpoint of a job records `offset()` of each of its subscriptions
 * (between two batches, when no row is in flight), and recovery creates them `from` it.
 */
export interface SourceSubscription {
  /** The scanned table. */
  readonly table: string;
  /** The position after the last row pushed into the job, with the watermark pushed so far. */
  offset(): SubscriptionOffset;
  /** Rewinds (or advances) to `offset`: the next row pushed is the one there. */
  seek(offset: SubscriptionOffset): void;
  /** Resolves when the source is exhausted (bounded), the subscription is stopped, or it failed. */
  readonly done: Promise<void>;
  /** True once the bounded input is exhausted and the end-of-time watermark was pushed. */
  readonly finished: boolean;
  /** Rows pushed so far. */
  readonly rows: number;
  stop(): void;
}

/** A subscription's checkpointable position: the reader's offset and the watermark it had pushed. */
export interface SubscriptionOffset {
  readonly reader: SourceOffset;
  /** Microseconds, or null before the first watermark. */
  readonly watermark: number | null;
}

/** The end of event time: a bounded source that is exhausted closes every window with it (as Flink does). */
export const END_OF_TIME = Number.POSITIVE_INFINITY;
