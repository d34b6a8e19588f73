// Results as psql prints them: an aligned table with a centered header, a separator and a `(N rows)` footer.

import type { DataType } from '../../common/data-type.js';
import { isNumeric } from '../../common/data-type.js';

export interface TableColumn {
  readonly name: string;
  /** psql right-aligns numbers and left-aligns everything else. */
  readonly align: 'left' | 'right';
}

/** How psql aligns a column of this type. */
export function alignFor(type: DataType): 'left' | 'right' {
  return isNumeric(type) ? 'right' : 'left';
}

// Characters that take two columns on a terminal (CJK, Hangul, full-width forms, emoji)
// or none (combining marks), so that columns line up as psql lines them up.
function charWidth(code: number): number {
  if (code === 0 || (code >= 0x300 && code <= 0x36f) || code === 0x200b) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Columns a string takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

const spaces = (n: number): string => ' '.repeat(Math.max(0, n));

/**
 * The lines psql's aligned format prints for a result (without the blank line
 * after it). Cells are text already; `null` shows as `nullDisplay` (psql's
 * default is empty). A cell with line breaks spans several lines, with `+`
 * marking where it continues.
 *
 * @example
 *   formatTable([{ name: 'id', align: 'right' }, { name: 'name', align: 'left' }], [['1', 'alice']])
 *   // [' id | name  ', '----+-------', '  1 | alice', '(1 row)']
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly (string | null)[])[],
  options: { readonly nullDisplay?: string } = {},
): string[] {
  const nullDisplay = options.nullDisplay ?? '';
  const cellLines = rows.map((row) => columns.map((_, i) => (row[i] ?? nullDisplay).split('\n')));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.name), ...cellLines.map((row) => Math.max(...row[i]!.map(displayWidth)))),
  );
  const out: string[] = [];
  const last = columns.length - 1;

  // Header: each title centered, the extra space on the right, with a trailing border space.
  out.push(
    columns
      .map((c, i) => {
        const pad = widths[i]! - displayWidth(c.name);
        return ` ${spaces(Math.floor(pad / 2))}${c.name}${spaces(pad - Math.floor(pad / 2))} `;
      })
      .join('|'),
  );
  out.push(widths.map((w) => '-'.repeat(w + 2)).join('+'));

  for (const row of cellLines) {
    const height = Math.max(1, ...row.map((lines) => lines.length));
    for (let k = 0; k < height; k++) {
      let line = '';
      for (let i = 0; i <= last; i++) {
        const lines = row[i]!;
        const text = lines[k] ?? '';
        const continues = k < lines.length - 1;
        const pad = widths[i]! - displayWidth(text);
        const body = columns[i]!.align === 'right' ? `${spaces(pad)}${text}` : `${text}${spaces(pad)}`;
        const marker = continues ? '+' : ' ';
        if (i < last) {
          line += ` ${body}${marker}|`;
        } else if (continues) {
          line += ` ${body}+`;
        } else {
          // psql pads the last column of a data line only to right-align it: no trailing spaces.
          line += ` ${columns[i]!.align === 'right' ? body : text}`;
        }
      }
      out.push(line);
    }
  }
  out.push(rows.length === 1 ? '(1 row)' : `(${rows.length} rows)`);
  return out;
}
