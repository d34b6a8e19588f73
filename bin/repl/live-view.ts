// The live view of a SUBSCRIBE: changes (+I, -U, +U, -D) applied to a multiset of rows, drawn as a table redrawn in place.

import { displayWidth, formatTable, type TableColumn } from '../format/table.js';

type Cells = readonly (string | null)[];

/**
 * The current result of a subscription: each distinct row with how many
 * times it is present. +I and +U add a row, -U and -D take one away.
 *
 * Rows are compared by their text, which is what the view shows: two values
 * that print the same are the same row here.
 */
export class ChangeMultiset {
  private readonly entries = new Map<string, { readonly cells: Cells; count: number }>();
  /** Changes applied so far. */
  changes = 0;
  /** Retractions of rows that were not there (a changelog that does not add up). */
  unmatched = 0;
  private total = 0;

  /** Applies one change: `op` is `+I`, `-U`, `+U` or `-D`. */
  apply(op: string, cells: Cells): void {
    this.changes++;
    const key = JSON.stringify(cells);
    const entry = this.entries.get(key);
    if (op === '+I' || op === '+U') {
      if (entry) entry.count++;
      else this.entries.set(key, { cells, count: 1 });
      this.total++;
      return;
    }
    // A retraction of a row that is absent is counted, not shown as a negative row.
    if (!entry) {
      this.unmatched++;
      return;
    }
    this.total--;
    if (--entry.count === 0) this.entries.delete(key);
  }

  /** Rows present, each as many times as it is. */
  get size(): number {
    return this.total;
  }

  /**
   * The rows in a stable order, so a row keeps its place while others change:
   * by each column in turn, numerically where the column is a number, NULLs last.
   */
  rows(columns: readonly TableColumn[]): Cells[] {
    const out: Cells[] = [];
    for (const e of this.entries.values()) for (let i = 0; i < e.count; i++) out.push(e.cells);
    return out.sort((a, b) => compareRows(a, b, columns));
  }
}

function compareRows(a: Cells, b: Cells, columns: readonly TableColumn[]): number {
  for (let i = 0; i < columns.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (columns[i]!.align === 'right') {
      const d = Number(x) - Number(y);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Cuts a line to `width` terminal columns, so that no line wraps and the line count stays true. */
function clip(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = '';
  let w = 0;
  for (const ch of line) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}>`;
}

export interface LiveViewLayout {
  /** The line above the table (what is subscribed, how many changes, how to stop). */
  readonly title: string;
  /** Terminal columns; lines are cut to fit. */
  readonly width?: number;
  /** Terminal rows; rows that do not fit are counted in the footer instead. */
  readonly height?: number;
}

/**
 * The lines of one frame: the title, then the current rows as psql's aligned
 * table. A frame never takes more than `height - 1` lines, since a redraw can
 * only move the cursor up within the screen.
 */
export function renderLiveView(columns: readonly TableColumn[], rows: ChangeMultiset, layout: LiveViewLayout): string[] {
  const all = rows.rows(columns);
  // Title, header, separator and footer take four lines; one more is the cursor's.
  const room = layout.height === undefined ? all.length : Math.max(1, layout.height - 5);
  const shown = all.length > room ? all.slice(0, room) : all;
  const table = formatTable(columns, shown);
  if (shown.length < all.length) table[table.length - 1] = `(${all.length} rows, ${all.length - shown.length} below the screen)`;
  const lines = [layout.title, ...table];
  return layout.width === undefined ? lines : lines.map((l) => clip(l, layout.width!));
}

/**
 * Draws frames over each other: each frame moves the cursor back up over the
 * previous one and clears to the end of the screen before writing.
 */
export class LiveScreen {
  private drawn = 0;

  /** The text that replaces the previous frame with `lines`. */
  frame(lines: readonly string[]): string {
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '';
    this.drawn = lines.length;
    return `${up}\x1b[J${lines.map((l) => `${l}\n`).join('')}`;
  }
}
