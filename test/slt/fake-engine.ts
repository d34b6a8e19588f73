// A scripted stand-in for the engine, so the runner's verdicts can be tested without the real one.

import type { DataType } from '../../common/data-type.js';
import { SqlError } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import type { ResultColumn, Session, StatementResult } from '../../executor/engine/api.js';
import type { SltEngine, SltEnvironment } from '../../bin/slt/executor.js';

/** Answers one statement; `session` is the number of the session (0 for the first one opened). */
export type FakeHandler = (sql: string, session: number) => StatementResult[] | Promise<StatementResult[]>;

export const INT: DataType = { kind: 'INT' };
export const TEXT: DataType = { kind: 'VARCHAR', length: null };

export function rows(names: readonly string[], types: readonly DataType[], data: readonly Row[]): StatementResult {
  const columns: ResultColumn[] = names.map((name, i) => ({ name, type: types[i]! }));
  return { kind: 'rows', columns, rows: data, tag: `SELECT ${data.length}` };
}

export function command(tag: string): StatementResult {
  return { kind: 'command', tag };
}

export function sqlError(code: string, message: string): SqlError {
  return new SqlError(code, message);
}

/** Plain text of a value: enough for tests (the real formatter is common/pg-text.ts). */
export function fakeFormat(value: Value, _type: DataType): string {
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** What the fake engine saw, for assertions. */
export interface FakeLog {
  readonly statements: { sql: string; session: number }[];
  opened: number;
  crashed: number;
  closed: number;
  readonly dataDirs: string[];
}

export function fakeEnvironment(handler: FakeHandler): { env: SltEnvironment; log: FakeLog } {
  const log: FakeLog = { statements: [], opened: 0, crashed: 0, closed: 0, dataDirs: [] };
  let sessions = 0;
  const env: SltEnvironment = {
    formatValue: fakeFormat,
    async openEngine(dataDir: string): Promise<SltEngine> {
      log.opened++;
      log.dataDirs.push(dataDir);
      return {
        session(): Session {
          const id = sessions++;
          return {
            async execute(sql: string): Promise<StatementResult[]> {
              log.statements.push({ sql, session: id });
              return handler(sql, id);
            },
            setting: () => undefined,
            close: () => undefined,
          };
        },
        close(): void {
          log.closed++;
        },
        crash(): void {
          log.crashed++;
        },
      };
    },
  };
  return { env, log };
}
