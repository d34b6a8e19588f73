// Input history kept across runs in `~/.eddy_history` (or `$EDDY_HISTORY`), oldest line first, bounded.

import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Lines kept, in the file and in memory. */
export const HISTORY_SIZE = 1000;

/** The history file: `$EDDY_HISTORY`, else `~/.eddy_history`; none when `$EDDY_HISTORY` is set empty. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env['EDDY_HISTORY'];
  if (given !== undefined) return given === '' ? undefined : given;
  return join(homedir(), '.eddy_history');
}

/**
 * The saved lines, newest first (the order readline keeps). A missing or
 * unreadable file is an empty history: history is a convenience, never a reason not to start.
 */
export function loadHistory(path: string | undefined, size = HISTORY_SIZE): string[] {
  if (path === undefined) return [];
  try {
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-size).reverse();
  } catch {
    return [];
  }
}

/** Writes readline's history (newest first) to the file, oldest line first; failures are ignored. */
export function saveHistory(path: string | undefined, newestFirst: readonly string[], size = HISTORY_SIZE): void {
  if (path === undefined) return;
  const lines = newestFirst.slice(0, size).reverse();
  try {
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch {
    // A read-only home directory costs the history, not the session.
  }
}
