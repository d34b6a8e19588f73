// Runs regression files one after another, prints each failing record and ends with `N passed, N failed[, N skipped]`.

import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyEdits } from './complete.js';
import { runFile, type RecordFailure, type SltEnvironment } from './executor.js';
import { loadSltFile, type LoadedFile } from './loader.js';
import { SltParseError } from './parser.js';

export interface TestRunOptions {
  /** Rewrite expected results (and `statement count`) from actual output. */
  readonly complete?: boolean;
  /** Print each file as it runs. */
  readonly verbose?: boolean;
  readonly recordTimeoutMs?: number;
  /** Where output lines go (one call per line, without the line break). */
  readonly print: (line: string) => void;
}

export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
}

/** The last line of a run, which scripts/test.js reads. */
export function summaryLine(t: TestTotals): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}

/** The files named by `paths`: files as given, directories searched recursively for `*.slt`; sorted. */
export async function collectSltFiles(paths: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.name.endsWith('.slt')) files.push(p);
    }
  };
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) await walk(path);
      else files.push(path);
    } catch {
      missing.push(path);
    }
  }
  return { files: [...new Set(files)].sort(), missing };
}

/** A failing record as the report shows it: `file:line: what`, then the SQL, expected and actual, indented. */
export function formatFailure(f: RecordFailure): string[] {
  const out = [`${f.location.file}${f.location.line > 0 ? `:${f.location.line}` : ''}: ${f.what}`];
  if (f.sql !== undefined) out.push(...f.sql.split('\n').map((l) => `    ${l}`));
  if (f.expected !== undefined) {
    out.push('  expected:');
    out.push(...(f.expected.length === 0 ? ['    (no rows)'] : f.expected.map((l) => `    ${l}`)));
  }
  if (f.actual !== undefined) {
    out.push('  actual:');
    out.push(...(f.actual.length === 0 ? ['    (no rows)'] : f.actual.map((l) => `    ${l}`)));
  }
  return out;
}

/** Runs every file under `paths`, sequentially, each on a fresh engine. */
export async function runTests(paths: readonly string[], env: SltEnvironment, options: TestRunOptions): Promise<TestTotals> {
  const totals: TestTotals = { passed: 0, failed: 0, skipped: 0 };
  const { files, missing } = await collectSltFiles(paths);
  for (const path of missing) {
    totals.failed++;
    options.print(`${path}: no such file or directory`);
  }
  for (const file of files) {
    if (options.verbose) options.print(`${file}`);
    let loaded: LoadedFile;
    try {
      loaded = await loadSltFile(file);
    } catch (err) {
      totals.failed++;
      const message = err instanceof SltParseError ? err.message : `${file}: ${err instanceof Error ? err.message : String(err)}`;
      options.print(`${message} (the file cannot be parsed)`);
      continue;
    }
    const outcome = await runFile(loaded, env, {
      complete: options.complete === true,
      ...(options.recordTimeoutMs === undefined ? {} : { recordTimeoutMs: options.recordTimeoutMs }),
    });
    for (const f of outcome.failures) for (const line of formatFailure(f)) options.print(line);
    totals.passed += outcome.passed;
    totals.failed += outcome.failed;
    totals.skipped += outcome.skipped;
    if (options.complete && outcome.edits.length > 0) {
      await writeFile(file, applyEdits(loaded.text, outcome.edits));
      options.print(`${file}: rewrote ${outcome.edits.length} expected result${outcome.edits.length === 1 ? '' : 's'}`);
    }
    if (options.verbose) options.print(`  ${summaryLine(outcome)}`);
  }
  options.print(summaryLine(totals));
  return totals;
}
