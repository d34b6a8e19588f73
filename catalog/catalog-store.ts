// The catalog on disk: the statements that created every live table, view,
// materialized view and INSERT job, replayed in order when the engine opens.

import type { Database } from 'lmdb';

export type StoredKind = 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW' | 'JOB';

export interface StoredCatalogEntry {
  readonly seq: number;
  readonly kind: StoredKind;
  /** Relation name, or the job id for jobs. */
  readonly name: string;
  readonly sql: string;
  /** Storage id of a table's rows. */
  readonly tableId?: number;
  /** Id of the job maintaining a materialized view or running an INSERT. */
  readonly jobId?: string;
  /** Parameter values the statement ran with (encoded as a stored row). */
  readonly params?: unknown;
}

export class CatalogStore {
  private readonly entries = new Map<number, StoredCatalogEntry>();
  private nextSeq = 1;

  constructor(private readonly db: Database) {
    for (const { value } of db.getRange({})) {
      const e = value as StoredCatalogEntry;
      this.entries.set(e.seq, e);
      this.nextSeq = Math.max(this.nextSeq, e.seq + 1);
    }
  }

  /** Live entries in creation order. */
  list(): StoredCatalogEntry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq);
  }

  add(entry: Omit<StoredCatalogEntry, 'seq'>): void {
    const stored: StoredCatalogEntry = { ...entry, seq: this.nextSeq++ };
    this.entries.set(stored.seq, stored);
    this.db.put([stored.seq], stored);
  }

  remove(kind: StoredKind, name: string): void {
    for (const e of [...this.entries.values()]) {
      const sameKind = kind === 'JOB' ? e.kind === 'JOB' : e.kind !== 'JOB';
      if (sameKind && e.name === name) {
        this.entries.delete(e.seq);
        this.db.remove([e.seq]);
      }
    }
  }

  /** One more than the largest table storage id in use. */
  nextTableId(): number {
    let max = 0;
    for (const e of this.entries.values()) if (e.tableId !== undefined && e.tableId > max) max = e.tableId;
    return max + 1;
  }

  /** One more than the largest job id in use. */
  nextJobId(): number {
    let max = 0;
    for (const e of this.entries.values()) if (e.jobId !== undefined) max = Math.max(max, Number(e.jobId));
    return max + 1;
  }
}
