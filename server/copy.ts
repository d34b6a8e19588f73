// COPY over the wire: results and subscriptions out as CopyData (a subscription
// until the client cancels or leaves, paced by the socket), and CopyData in to a
// SQL-fed table, parsed with the table's column types and inserted in batches.

import { StringDecoder } from 'node:string_decoder';
import type { DataType } from '../common/data-type.js';
import { SqlError, SqlState } from '../common/errors.js';
import { parseValue } from '../common/pg-text.js';
import type { Row, Value } from '../common/value.js';
import type { ChangeStream } from '../executor/engine/api.js';
import type { Copy } from '../parser/ast/index.js';
import { objectName } from '../planner/planner.js';
import { Backend } from './codec/backend.js';
import type { Connection } from './connection.js';
import { copyOptions, CsvRecordParser, formatCopyLine, TextRecordParser, type CopyOptions, type RecordParser } from './copy-format.js';
import { ContextError, FatalError } from './errors.js';
import type { RowSet, WireColumn } from './results.js';

/** Rows inserted at a time by COPY FROM. */
const COPY_BATCH = 10_000;
/** Changes taken from a subscription at a time. */
const STREAM_BATCH = 1024;

function canceled(): SqlError {
  return new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
}

function line(columns: readonly WireColumn[], row: readonly unknown[], o: CopyOptions): string {
  return formatCopyLine(columns.map((c, i) => c.text(row[i])), o);
}

/** COPY (query) TO STDOUT / COPY t TO STDOUT: the whole result as CopyData. Returns the command tag. */
export async function sendCopyOut(conn: Connection, rowset: RowSet, copy: Copy): Promise<string> {
  const o = copyOptions(copy.options);
  conn.send(Backend.copyOutResponse(rowset.columns.length));
  if (o.header) conn.send(Backend.copyData(formatCopyLine(rowset.columns.map((c) => c.name), o)));
  for (const row of rowset.rows) {
    await conn.sendPaced(Backend.copyData(line(rowset.columns, row, o)));
    if (conn.signal.aborted) throw canceled();
  }
  conn.send(Backend.copyDone());
  return `COPY ${rowset.rows.length}`;
}

/** How often a subscription is checked while the client is not reading. */
const STALL_CHECK_MS = 100;

/**
 * Waits until the socket drains, the statement is canceled or the client leaves.
 * True when it drained; false when the stream closed meanwhile (the subscription
 * overflowed its bound while the client was not reading).
 */
async function drainedOrAborted(conn: Connection, stream: ChangeStream): Promise<boolean> {
  const signal = conn.signal;
  let drained = false;
  void conn.drained().then(() => {
    drained = true;
  });
  while (!drained && !signal.aborted && !conn.closed) {
    if (stream.closed) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, STALL_CHECK_MS);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
      void conn.drained().then(done);
    });
  }
  return true;
}

/**
 * A subscription as COPY OUT: `op` then the columns, one CopyData per change, as
 * changes arrive. Reading the subscription stops while the client is not reading
 * (the subscription buffers up to its bound, then fails and the client is
 * disconnected with that error). Ends with 57014 when the client cancels.
 */
export async function streamCopyOut(conn: Connection, columns: readonly WireColumn[], stream: ChangeStream, copy: Copy | undefined): Promise<string> {
  const o = copyOptions(copy?.options ?? []);
  let sent = 0;
  try {
    conn.send(Backend.copyOutResponse(columns.length));
    if (o.header) conn.send(Backend.copyData(formatCopyLine(columns.map((c) => c.name), o)));
    await conn.flushAndDrain();
    for (;;) {
      if (conn.closed) return `COPY ${sent}`;
      let rows: Row[];
      try {
        rows = await stream.next(STREAM_BATCH, undefined, conn.signal);
      } catch (err) {
        if (err instanceof SqlError && err.sqlstate === SqlState.outOfMemory) {
          // The client fell too far behind: tell it why, then let it go.
          throw new FatalError(err.sqlstate, err.message, { ...(err.detail ? { detail: err.detail } : {}), ...(err.hint ? { hint: err.hint } : {}) });
        }
        throw err;
      }
      if (rows.length === 0) {
        if (stream.closed) break;
        continue;
      }
      for (const row of rows) conn.send(Backend.copyData(line(columns, row, o)));
      sent += rows.length;
      if (!conn.flush() && !(await drainedOrAborted(conn, stream))) {
        throw new FatalError(SqlState.outOfMemory, 'subscription dropped: the client fell too far behind', {
          detail: 'The client stopped reading while changes kept coming.',
          hint: 'Read the stream as fast as it is written, or subscribe to a smaller result.',
        });
      }
      if (conn.signal.aborted && !conn.closed) throw canceled();
    }
  } finally {
    stream.close();
  }
  conn.send(Backend.copyDone());
  return `COPY ${sent}`;
}

interface CopyTarget {
  readonly name: string;
  readonly insert: (rows: readonly Row[]) => number;
  /** Stored-row width, and for each copied column: its stored index, name and type. */
  readonly width: number;
  readonly columns: readonly { readonly index: number; readonly name: string; readonly type: DataType }[];
}

function copyTarget(conn: Connection, copy: Copy): CopyTarget {
  if (copy.source.kind !== 'CopyTable') throw new SqlError(SqlState.syntaxError, 'COPY FROM needs a table');
  const engine = conn.shared.engine;
  const name = objectName(copy.source.table);
  const rel = engine.catalog.relation(name);
  if (rel === undefined) throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  const table = engine.tables.get(name);
  if (rel.kind !== 'TABLE' || table === undefined) {
    throw new SqlError('42809', `cannot copy to ${rel.kind.toLowerCase()} "${name}"`, { detail: 'Only tables can be written to.' });
  }
  const stored = rel.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.computed === undefined);
  const columns = (copy.source.columns ?? stored.map(({ c }) => ({ value: c.name }))).map((ident) => {
    const at = stored.findIndex(({ c }) => c.name === ident.value);
    if (at < 0) {
      const computed = rel.columns.some((c) => c.name === ident.value);
      throw new SqlError(computed ? '42P10' : SqlState.undefinedColumn, computed
        ? `column "${ident.value}" is a computed column`
        : `column "${ident.value}" of relation "${name}" does not exist`);
    }
    const col = (stored[at] as { c: { name: string; type: DataType } }).c;
    return { index: at, name: col.name, type: col.type };
  });
  return { name, insert: (rows) => table.insert(rows), width: stored.length, columns };
}

/** COPY t FROM STDIN: reads CopyData until CopyDone. Returns the command tag. */
export async function receiveCopyIn(conn: Connection, copy: Copy): Promise<string> {
  const target = copyTarget(conn, copy);
  const o = copyOptions(copy.options);
  const parser: RecordParser = o.format === 'csv' ? new CsvRecordParser(o) : new TextRecordParser(o);
  const decoder = new StringDecoder('utf8');
  const tz = conn.formatOptions();
  let lineNo = 0;
  let count = 0;
  let skipHeader = o.header;
  let batch: Row[] = [];
  let failure: unknown;

  const where = (col?: string, value?: string | null): string =>
    `COPY ${target.name}, line ${lineNo}${col === undefined ? '' : `, column ${col}: ${value === null || value === undefined ? 'null input' : `"${value}"`}`}`;

  const flushBatch = (): void => {
    if (batch.length === 0) return;
    try {
      count += target.insert(batch);
    } catch (err) {
      if (err instanceof SqlError) throw new ContextError(err.sqlstate, err.message, where(), { ...(err.detail ? { detail: err.detail } : {}) });
      throw err;
    }
    batch = [];
  };

  const take = (records: (string | null)[][]): void => {
    for (const fields of records) {
      lineNo++;
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      if (fields.length < target.columns.length) {
        const missing = target.columns[fields.length] as { name: string };
        throw new ContextError('22P04', `missing data for column "${missing.name}"`, where());
      }
      if (fields.length > target.columns.length) throw new ContextError('22P04', 'extra data after last expected column', where());
      const row: Value[] = new Array<Value>(target.width).fill(null);
      target.columns.forEach((c, i) => {
        const f = fields[i] ?? null;
        if (f === null) return;
        try {
          row[c.index] = parseValue(f, c.type, tz);
        } catch (err) {
          if (err instanceof SqlError) throw new ContextError(err.sqlstate, err.message, where(c.name, f));
          throw err;
        }
      });
      batch.push(row);
      if (batch.length >= COPY_BATCH) flushBatch();
    }
  };

  conn.send(Backend.copyInResponse(target.columns.length));
  await conn.flushAndDrain();
  for (;;) {
    const m = await conn.nextMessage();
    if (m === undefined) throw new SqlError('08006', 'the client went away during COPY FROM STDIN');
    switch (m.kind) {
      case 'CopyData':
        // After a bad row the rest of the data is read and dropped, then the error is reported.
        if (failure === undefined) {
          try {
            take(parser.push(decoder.write(m.data)));
          } catch (err) {
            failure = err;
          }
        }
        continue;
      case 'CopyDone':
        if (failure !== undefined) throw failure;
        take(parser.push(decoder.end()));
        take(parser.end());
        flushBatch();
        // Acknowledged once durable, as INSERT is.
        await conn.shared.engine.storage.flushed();
        return `COPY ${count}`;
      case 'CopyFail':
        throw new SqlError(SqlState.queryCanceled, `COPY from stdin failed: ${m.message}`);
      case 'Flush': case 'Sync':
        continue;
      default:
        throw new FatalError(SqlState.protocolViolation, `unexpected message type ${m.kind} during COPY from stdin`);
    }
  }
}
