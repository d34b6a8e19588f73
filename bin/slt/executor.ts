// Runs the records of one regression file on a fresh engine and checks each against what it expects.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, StatementResult } from '../../executor/engine/api.js';
import { formatRows, linesMatch, resultLines, type ValueFormatter } from './compare.js';
import { completionEdit, type TextEdit } from './complete.js';
import type { LoadedFile, RunnableRecord } from './loader.js';
import {
  conditionsAllow,
  isChecked,
  type QueryErrorRecord,
  type QueryRecord,
  type SourceLocation,
  type StatementRecord,
} from './record.js';

/** What the runner needs of an engine: sessions, a clean close and a crash. */
export interface SltEngine {
  session(): Session | Promise<Session>;
  close(): Promise<void> | void;
  /** Stops as a crash would: nothing flushed beyond the last checkpoint. */
  crash(): Promise<void> | void;
}

/** The engine and value formatting the runner works with (the real ones, or fakes in tests). */
export interface SltEnvironment {
  openEngine(dataDir: string): Promise<SltEngine>;
  readonly formatValue: ValueFormatter;
}

export interface RunOptions {
  /** A record still running after this long fails (and the file goes on). */
  readonly recordTimeoutMs?: number;
  /** Collect edits that rewrite expected results from actual output. */
  readonly complete?: boolean;
}

/** One failing record, or a failure of the file itself (`location.line` 0). */
export interface RecordFailure {
  readonly location: SourceLocation;
  readonly what: string;
  readonly sql?: string;
  readonly expected?: readonly string[];
  readonly actual?: readonly string[];
}

export interface FileOutcome {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
  readonly failures: RecordFailure[];
  /** Edits of the file's own text (only with `complete`). */
  readonly edits: TextEdit[];
}

const DEFAULT_RECORD_TIMEOUT_MS = 60_000;

class RecordTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms / 1000}s`);
  }
}

/** Resolves or rejects like `promise`, or rejects with RecordTimeout after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RecordTimeout(ms)), ms);
  });
  // A late rejection of the abandoned promise must not become an unhandled rejection.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The SQLSTATE of an engine error, or undefined for anything else (a crash of the engine). */
export function sqlstateOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'sqlstate' in err) {
    const code = (err as { sqlstate: unknown }).sqlstate;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** An error as one line: `42P01: table "t" does not exist`, or `TypeError: ...` for a non-SQL error. */
export function describeError(err: unknown): string {
  const code = sqlstateOf(err);
  if (err instanceof Error) return code === undefined ? `${err.name}: ${err.message}` : `${code}: ${err.message}`;
  return String(err);
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Whether `err` is the expected error: it must be an engine error (with a
 * SQLSTATE) whose SQLSTATE is `pattern` or whose message contains `pattern`.
 * An empty pattern accepts any engine error but XX000, which is never expected.
 */
export function errorMatches(err: unknown, pattern: string): boolean {
  const code = sqlstateOf(err);
  if (code === undefined) return false;
  if (pattern === '') return code !== 'XX000';
  if (SQLSTATE.test(pattern) && code === pattern) return true;
  return err instanceof Error && err.message.includes(pattern);
}

/** The row count a statement reports: rows returned, or the last number of its command tag (`INSERT 0 3`). */
function rowCount(result: StatementResult): number | undefined {
  if (result.kind === 'rows') return result.rows.length;
  if (result.kind === 'stream') return undefined;
  const m = /(\d+)\s*$/.exec(result.tag);
  return m ? Number(m[1]) : undefined;
}

/** Closes the subscriptions a statement started, so none outlives its record. */
function closeStreams(results: readonly StatementResult[]): void {
  for (const r of results) if (r.kind === 'stream') r.stream.close();
}

type Verdict = { readonly pass: true; readonly edit?: TextEdit } | { readonly pass: false; readonly failure: RecordFailure };

const pass: Verdict = { pass: true };

function failure(record: RunnableRecord, what: string, extra: Omit<RecordFailure, 'location' | 'what'> = {}): Verdict {
  return { pass: false, failure: { location: record.location, what, ...extra } };
}

/** Runs one file's records; never throws for what the engine does (that is a failure of a record). */
export async function runFile(loaded: LoadedFile, env: SltEnvironment, options: RunOptions = {}): Promise<FileOutcome> {
  const outcome: FileOutcome = { file: loaded.file, passed: 0, failed: 0, skipped: 0, failures: [], edits: [] };
  const timeoutMs = options.recordTimeoutMs ?? DEFAULT_RECORD_TIMEOUT_MS;
  const fileFailure = (what: string): void => {
    outcome.failed++;
    outcome.failures.push({ location: { file: loaded.file, line: 0 }, what });
  };
  const dataDir = await mkdtemp(join(tmpdir(), 'eddy-slt-'));
  let engine: SltEngine | undefined;
  const sessions = new Map<string, Session>();
  let connection = 'default';

  const sessionNamed = async (name: string): Promise<Session> => {
    let session = sessions.get(name);
    if (session === undefined) {
      session = await withTimeout(Promise.resolve(engine!.session()), timeoutMs);
      sessions.set(name, session);
    }
    return session;
  };
  const execute = async (sql: string): Promise<StatementResult[]> => {
    const session = await sessionNamed(connection);
    return withTimeout(session.execute(sql), timeoutMs);
  };
  const closeSessions = (): void => {
    for (const s of sessions.values()) {
      try {
        s.close();
      } catch {
        // A session of a crashed engine may refuse to close; it is dropped either way.
      }
    }
    sessions.clear();
  };

  try {
    try {
      engine = await withTimeout(env.openEngine(dataDir), timeoutMs);
    } catch (err) {
      const checked = loaded.records.filter(isChecked).length;
      outcome.failures.push({ location: { file: loaded.file, line: 0 }, what: `cannot open the engine: ${describeError(err)}` });
      outcome.failed += Math.max(checked, 1);
      return outcome;
    }

    const records = loaded.records;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (!conditionsAllow(record.conditions)) {
        if (isChecked(record)) outcome.skipped++;
        continue;
      }
      if (record.kind === 'halt') {
        outcome.skipped += records.slice(i + 1).filter(isChecked).length;
        break;
      }
      if (record.kind === 'connection') {
        connection = record.name;
        continue;
      }
      if (record.kind === 'checkpoint') {
        try {
          closeStreams(await execute('CHECKPOINT'));
        } catch (err) {
          outcome.failed++;
          outcome.failures.push({ location: record.location, what: `checkpoint failed: ${describeError(err)}` });
        }
        continue;
      }
      if (record.kind === 'restart') {
        try {
          closeSessions();
          await withTimeout(Promise.resolve(engine.crash()), timeoutMs);
          engine = await withTimeout(env.openEngine(dataDir), timeoutMs);
        } catch (err) {
          // Without an engine nothing after this can run: every remaining record fails.
          const rest = records.slice(i + 1).filter(isChecked).length;
          outcome.failed += rest + 1;
          outcome.failures.push({
            location: record.location,
            what: `restart failed: ${describeError(err)}${rest > 0 ? ` (${rest} records not run)` : ''}`,
          });
          engine = undefined;
          return outcome;
        }
        continue;
      }
      if (!isChecked(record)) continue;
      const verdict = await check(record, execute, env.formatValue, options.complete === true && record.location.file === loaded.file);
      if (verdict.pass) {
        outcome.passed++;
        if (verdict.edit) outcome.edits.push(verdict.edit);
      } else {
        outcome.failed++;
        outcome.failures.push(verdict.failure);
      }
    }
    return outcome;
  } finally {
    closeSessions();
    if (engine !== undefined) {
      try {
        await withTimeout(Promise.resolve(engine.close()), timeoutMs);
      } catch (err) {
        fileFailure(`closing the engine failed: ${describeError(err)}`);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Execute = (sql: string) => Promise<StatementResult[]>;

async function check(
  record: StatementRecord | QueryRecord | QueryErrorRecord,
  execute: Execute,
  formatValue: ValueFormatter,
  complete: boolean,
): Promise<Verdict> {
  const sql = record.sql;
  let results: StatementResult[];
  try {
    results = await execute(sql);
  } catch (err) {
    const expected = record.kind === 'query-error' ? record.pattern : record.kind === 'statement' && record.expect.kind === 'error' ? record.expect.pattern : undefined;
    if (expected === undefined) {
      const what = record.kind === 'query' ? 'query failed' : 'statement failed';
      return failure(record, `${what}: ${describeError(err)}`, { sql });
    }
    if (errorMatches(err, expected)) return pass;
    return failure(record, 'wrong error', {
      sql,
      expected: [expected === '' ? 'any error with a SQLSTATE' : expected],
      actual: [describeError(err)],
    });
  }
  closeStreams(results);
  const last = results[results.length - 1];

  switch (record.kind) {
    case 'query-error':
      return failure(record, 'query succeeded but an error was expected', { sql, expected: [`error ${record.pattern}`] });
    case 'statement': {
      const expect = record.expect;
      if (expect.kind === 'ok') return pass;
      if (expect.kind === 'error') {
        return failure(record, 'statement succeeded but an error was expected', { sql, expected: [`error ${expect.pattern}`] });
      }
      const count = last === undefined ? undefined : rowCount(last);
      if (count === undefined) {
        return failure(record, 'statement reported no row count', { sql, actual: [last === undefined ? '(no result)' : last.kind === 'stream' ? '(a stream)' : last.tag] });
      }
      if (count === expect.count) return pass;
      if (complete) return { pass: true, edit: { range: expect.countRange, text: String(count) } };
      return failure(record, 'wrong row count', { sql, expected: [String(expect.count)], actual: [String(count)] });
    }
    case 'query': {
      if (last === undefined) return failure(record, 'query returned no result', { sql });
      if (last.kind === 'stream') {
        return failure(record, 'query returned a stream: read SUBSCRIBE through DECLARE c CURSOR FOR SUBSCRIBE ... and FETCH', { sql });
      }
      if (last.kind === 'command') return failure(record, `query returned no rows (command ${last.tag})`, { sql });
      const types = last.columns.map((c) => c.type);
      if (types.length !== record.types.length) {
        return failure(record, `expected ${record.types.length} columns (${record.types}), got ${types.length}`, {
          sql,
          actual: [last.columns.map((c) => c.name).join(' ')],
        });
      }
      const actual = resultLines(formatRows(last.rows, types, formatValue), record.sort);
      if (linesMatch(record.expected, actual, record.sort)) return pass;
      if (complete) return { pass: true, edit: completionEdit(record.placement, actual) };
      return failure(record, 'wrong result', { sql, expected: record.expected, actual });
    }
  }
}
