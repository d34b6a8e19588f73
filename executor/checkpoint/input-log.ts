// The durable input log of SQL-fed tables: every change a table passes on, under a log position, before anyone sees it.
//
// INSERT / UPDATE / DELETE / COPY FROM, and the writes INSERT jobs make into
// tables, append their changes (+I/-U/+U/-D) and the watermark they raised, in
// the order the followers receive them. The entry is written in the same
// LMDB transaction as the table's rows, and a statement is acknowledged only
// once that transaction is durable. Positions are the offsets checkpoints
// record: recovery restores the jobs' state of the last checkpoint and hands
// them every entry after its position again. Entries a complete checkpoint
// covers are truncated.

import type { Database } from 'lmdb';
import { decodeRow, encodeRow } from '../../common/row-codec.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, type ChangeKind } from '../change.js';

interface StoredEntry {
  /** Table id. */
  readonly t: number;
  readonly k: Uint8Array;
  readonly r: unknown[];
  /** The watermark the write raised, if any. */
  readonly w?: number;
}

/** One logged write. */
export interface LoggedWrite {
  readonly position: number;
  readonly tableId: number;
  readonly changes: ChangeBatch;
  readonly watermark: number | undefined;
}

export class InputLog {
  private last: number;

  constructor(private readonly db: Database, private readonly track: (write: Promise<unknown>) => void) {
    let last = 0;
    for (const key of db.getKeys({ reverse: true, limit: 1 })) last = key as number;
    this.last = last;
  }

  /** The position of the last entry appended (0 before the first). */
  get position(): number {
    return this.last;
  }

  /** Continues after `position` (a checkpoint's) when the log has been truncated past its own end. */
  advanceTo(position: number): void {
    if (position > this.last) this.last = position;
  }

  /** Appends a write of table `tableId`; returns its position. */
  append(tableId: number, changes: ChangeBatch, watermark: number | undefined): number {
    const position = ++this.last;
    const rows: unknown[] = new Array(changes.length);
    for (let i = 0; i < changes.length; i++) rows[i] = encodeRow(changes.rows[i] as Row);
    const entry: StoredEntry = watermark === undefined
      ? { t: tableId, k: Uint8Array.from(changes.kinds), r: rows }
      : { t: tableId, k: Uint8Array.from(changes.kinds), r: rows, w: watermark };
    this.track(this.db.put(position, entry));
    return position;
  }

  /** A function that logs the writes of table `tableId` (what a SqlTable calls). */
  writer(tableId: number): (changes: ChangeBatch, watermark: number | undefined) => void {
    return (changes, watermark) => {
      this.append(tableId, changes, watermark);
    };
  }

  /** Entries after `position`, in order. */
  *after(position: number): IterableIterator<LoggedWrite> {
    for (const { key, value } of this.db.getRange({ start: position + 1 })) {
      const e = value as StoredEntry;
      const changes = new ChangeBatch();
      for (let i = 0; i < e.k.length; i++) changes.push(e.k[i] as ChangeKind, decodeRow(e.r[i]));
      yield { position: key as number, tableId: e.t, changes, watermark: e.w };
    }
  }

  /** How many entries follow `position`. */
  countAfter(position: number): number {
    return this.db.getCount({ start: position + 1 });
  }

  /** Removes the entries up to `position` (a complete checkpoint covers them). */
  truncate(position: number): void {
    let last: Promise<unknown> | undefined;
    for (const key of this.db.getKeys({ end: position + 1 })) {
      const removed = this.db.remove(key);
      // One promise per batch: a failed removal only leaves entries a later truncation removes.
      if (removed !== last) removed.then(undefined, () => {});
      last = removed;
    }
  }
}
