// Shared pieces of the connector tests: a fresh engine in a temporary directory, rows of a result, expected errors.

import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlError } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import type { StatementResult } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';

/** An engine over a temporary directory, and a scratch directory for files. */
export interface TestEngine {
  readonly engine: Engine;
  readonly dir: string;
  /** A path under the scratch directory. */
  path(...parts: string[]): string;
  close(): Promise<void>;
}

export async function openEngine(): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-connectors-'));
  const engine = await Engine.open({ dataDir: join(dir, 'data') });
  return {
    engine,
    dir,
    path: (...parts) => join(dir, ...parts),
    close: async () => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function rowsOf(results: StatementResult[]): Row[] {
  const last = results[results.length - 1];
  if (!last || last.kind !== 'rows') throw new Error(`expected rows, got ${last?.kind}`);
  return [...last.rows];
}

export async function query(engine: Engine, sql: string): Promise<Row[]> {
  return rowsOf(await engine.execute(sql));
}

export async function expectError(p: Promise<unknown>, sqlstate: string, message?: string): Promise<SqlError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(SqlError);
    const err = e as SqlError;
    expect(err.sqlstate, err.message).to.equal(sqlstate);
    if (message) expect(err.message).to.contain(message);
    return err;
  }
  throw new Error(`expected error ${sqlstate}`);
}

/** Waits until every job reading connector tables has read its bounded input. */
export async function drained(engine: Engine): Promise<void> {
  await Promise.all([...engine.connectors.values()].map((t: ConnectorTable) => t.drained()));
}

/** Every file under `dir`, relative to it, sorted (none when `dir` does not exist). */
export function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name));
      else out.push(join(d, n.name).slice(dir.length + 1));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}
