// The simple query protocol: a Query message with any number of statements,
// one result each, the first error ending the message, then one ReadyForQuery.

import { SqlError } from '../common/errors.js';
import { Backend } from './codec/backend.js';
import type { Connection } from './connection.js';
import { receiveCopyIn, sendCopyOut, streamCopyOut } from './copy.js';
import { FatalError } from './errors.js';
import { dataRow, fieldDescriptions } from './results.js';
import { splitStatements } from './sql-lexer.js';
import { endsTransaction, execute, prepare, type Outcome, type Prepared } from './statements.js';

export async function simpleQuery(conn: Connection, sql: string): Promise<void> {
  conn.extended.dropUnnamed();
  const pieces = splitStatements(sql);
  if (pieces.length === 0) conn.send(Backend.emptyQueryResponse());
  outer: for (const piece of pieces) {
    let prepared: Prepared[];
    try {
      prepared = prepare(piece.text);
    } catch (err) {
      failStatement(conn, err, piece.offset);
      break;
    }
    for (const p of prepared) {
      if (!(await runStatement(conn, p, piece.offset))) break outer;
    }
  }
  conn.send(Backend.readyForQuery(conn.status()));
}

function failStatement(conn: Connection, err: unknown, offset: number): void {
  conn.sendError(err, offset);
  if (conn.session.inTransaction) conn.txFailed = true;
}

/** Whether the statement may run now: inside a failed transaction only its end may. */
export function checkTransaction(conn: Connection, p: Prepared): void {
  if (conn.txFailed && !endsTransaction(p)) {
    throw new SqlError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
  }
}

/** Runs one statement and sends its whole result. False when it failed. */
async function runStatement(conn: Connection, p: Prepared, offset: number): Promise<boolean> {
  conn.beginStatement();
  try {
    checkTransaction(conn, p);
    const before = conn.reportedSettings();
    const wasFailed = conn.txFailed;
    const outcome = await execute(conn, p);
    await sendOutcome(conn, transactionEnd(outcome, wasFailed));
    if (endsTransaction(p)) conn.txFailed = false;
    conn.reportChanges(before);
    return true;
  } catch (err) {
    // A fatal error ends the connection: the connection reports it and closes.
    if (err instanceof FatalError) throw err;
    failStatement(conn, err, offset);
    return false;
  } finally {
    conn.endStatement();
  }
}

/** COMMIT of a failed transaction rolls it back, and says so. */
export function transactionEnd(outcome: Outcome, wasFailed: boolean): Outcome {
  return wasFailed && outcome.kind === 'command' && outcome.tag === 'COMMIT' ? { kind: 'command', tag: 'ROLLBACK' } : outcome;
}

/** The messages of a whole result (the simple protocol sends every row). */
export async function sendOutcome(conn: Connection, outcome: Outcome): Promise<void> {
  switch (outcome.kind) {
    case 'rows': {
      const { columns, rows, tag } = outcome.rowset;
      conn.send(Backend.rowDescription(fieldDescriptions(columns)));
      for (const row of rows) await conn.sendPaced(dataRow(columns, row));
      conn.send(Backend.commandComplete(tag));
      return;
    }
    case 'command':
      conn.send(outcome.tag === '' ? Backend.emptyQueryResponse() : Backend.commandComplete(outcome.tag));
      return;
    case 'stream':
      conn.send(Backend.commandComplete(await streamCopyOut(conn, outcome.columns, outcome.stream, outcome.copy)));
      return;
    case 'copy-out':
      conn.send(Backend.commandComplete(await sendCopyOut(conn, outcome.rowset, outcome.copy)));
      return;
    case 'copy-in':
      conn.send(Backend.commandComplete(await receiveCopyIn(conn, outcome.copy)));
      return;
  }
}
