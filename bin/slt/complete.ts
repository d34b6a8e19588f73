// `eddy test --complete`: edits that rewrite expected results from actual output, touching nothing else in the file.

import type { ResultPlacement, TextRange } from './record.js';

/** Replace `range` of the file's text with `text` (line breaks written as `\n`). */
export interface TextEdit {
  readonly range: TextRange;
  readonly text: string;
}

/** The edit that makes a query's result block read `lines`. */
export function completionEdit(placement: ResultPlacement, lines: readonly string[]): TextEdit {
  const body = lines.join('\n');
  if (placement.dividerEnd === null) {
    // No `----` yet: add it after the SQL (with nothing to add, insert nothing).
    const at = placement.sqlEnd;
    return { range: { start: at, end: at }, text: lines.length === 0 ? '' : `\n----\n${body}` };
  }
  if (placement.rows === null) {
    const at = placement.dividerEnd;
    return { range: { start: at, end: at }, text: lines.length === 0 ? '' : `\n${body}` };
  }
  if (lines.length === 0) {
    // Drop the old rows together with the line break before them, keeping the divider's line.
    return { range: { start: placement.dividerEnd, end: placement.rows.end }, text: '' };
  }
  return { range: placement.rows, text: body };
}

/** Applies non-overlapping edits, writing line breaks as the file already does (`\r\n` or `\n`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const edit of sorted) {
    const replacement = eol === '\n' ? edit.text : edit.text.replace(/\n/g, eol);
    out = out.slice(0, edit.range.start) + replacement + out.slice(edit.range.end);
  }
  return out;
}
