// Changes and batches of changes: the data that flows between operators.

import type { Row } from '../common/value.js';

/** +I insert, -U retract the old row of an update, +U the new row, -D delete. */
export type ChangeKind = 0 | 1 | 2 | 3;

export const INSERT = 0 as const;
export const UPDATE_BEFORE = 1 as const;
export const UPDATE_AFTER = 2 as const;
export const DELETE = 3 as const;

/** How users see a kind: `+I`, `-U`, `+U`, `-D`. */
export const changeKindLabels: readonly string[] = ['+I', '-U', '+U', '-D'];

/** -U and -D take a row away; +I and +U add one. */
export function isRetraction(kind: ChangeKind): boolean {
  return kind === UPDATE_BEFORE || kind === DELETE;
}

/** +1 for additions, -1 for retractions. */
export function weightOf(kind: ChangeKind): 1 | -1 {
  return kind === UPDATE_BEFORE || kind === DELETE ? -1 : 1;
}

/** A batch of changes as two parallel arrays (no object per change). */
export class ChangeBatch {
  readonly kinds: ChangeKind[] = [];
  readonly rows: Row[] = [];

  get length(): number {
    return this.rows.length;
  }

  push(kind: ChangeKind, row: Row): void {
    this.kinds.push(kind);
    this.rows.push(row);
  }

  static of(changes: readonly (readonly [ChangeKind, Row])[]): ChangeBatch {
    const b = new ChangeBatch();
    for (const [k, r] of changes) b.push(k, r);
    return b;
  }

  static inserts(rows: readonly Row[]): ChangeBatch {
    const b = new ChangeBatch();
    for (const r of rows) b.push(INSERT, r);
    return b;
  }
}
