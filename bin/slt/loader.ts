// Reads a regression file and expands its `include` records into the records of the included files.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SltParseError, parseSlt } from './parser.js';
import type { IncludeRecord, SltRecord } from './record.js';

/** A record as the executor runs it: includes are already expanded. */
export type RunnableRecord = Exclude<SltRecord, IncludeRecord>;

export interface LoadedFile {
  readonly file: string;
  /** The file's own text, which `--complete` rewrites. */
  readonly text: string;
  readonly records: readonly RunnableRecord[];
}

/**
 * Loads `file` and, recursively, what it includes (paths relative to the
 * including file). The conditions of an `include` apply to every record it
 * brings in. Throws SltParseError for a bad file, a missing include or an
 * include cycle.
 */
export async function loadSltFile(file: string): Promise<LoadedFile> {
  const text = await readFile(file, 'utf8');
  const records = await expand(parseSlt(text, file), [resolve(file)]);
  return { file, text, records };
}

async function expand(records: readonly SltRecord[], stack: readonly string[]): Promise<RunnableRecord[]> {
  const out: RunnableRecord[] = [];
  for (const record of records) {
    if (record.kind !== 'include') {
      out.push(record);
      continue;
    }
    const path = join(dirname(record.location.file), record.path);
    const absolute = resolve(path);
    if (stack.includes(absolute)) {
      throw new SltParseError(record.location.file, record.location.line, `include cycle through "${record.path}"`);
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SltParseError(record.location.file, record.location.line, `cannot include "${record.path}": ${reason}`);
    }
    const included = await expand(parseSlt(text, path), [...stack, absolute]);
    for (const r of included) {
      out.push(record.conditions.length === 0 ? r : { ...r, conditions: [...record.conditions, ...r.conditions] });
    }
  }
  return out;
}
