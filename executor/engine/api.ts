// The embedded engine's public API types: what the REPL, the server, the
// regression runner and the benchmarks program against.

import type { DataType } from '../../common/data-type.js';
import type { Row, Value } from '../../common/value.js';

export interface ResultColumn {
  readonly name: string;
  readonly type: DataType;
}

/**
 * What one statement returns:
 * - `rows`: a query, SHOW, EXPLAIN, FETCH ... (tag: `SELECT 3`, `FETCH 2`, `SHOW`, `EXPLAIN`);
 * - `command`: DDL, DML and session statements (tag: `CREATE TABLE`, `INSERT 0 3`, `SET`, ...);
 * - `stream`: a SUBSCRIBE run directly (not through a cursor): its changes as they come.
 */
export type StatementResult =
  | { readonly kind: 'rows'; readonly columns: readonly ResultColumn[]; readonly rows: readonly Row[]; readonly tag: string }
  | { readonly kind: 'command'; readonly tag: string }
  | { readonly kind: 'stream'; readonly columns: readonly ResultColumn[]; readonly stream: ChangeStream };

/**
 * The changes of a subscription, as rows whose first column is the change kind
 * (`+I`, `-U`, `+U`, `-D`) followed by the subscribed columns. Changes are
 * buffered from the moment the subscription starts.
 */
export interface ChangeStream {
  readonly columns: readonly ResultColumn[];
  /**
   * Up to `max` rows available now; when none are, waits until some arrive or
   * `timeoutMs` passes (undefined: wait for at least one row; 0: do not wait).
   * Rejects with 57014 when `signal` aborts.
   */
  next(max?: number, timeoutMs?: number, signal?: AbortSignal): Promise<Row[]>;
  close(): void;
  readonly closed: boolean;
}

export interface EngineOptions {
  /** Directory of the engine's durable state; created if absent. */
  readonly dataDir: string;
  /** Clock in microseconds since the epoch, for deterministic tests. */
  readonly now?: () => number;
  /** Bound on the state cache, in bytes. */
  readonly memoryLimit?: number;
  /**
   * When checkpoints merge their logs into the state's tree (see
   * executor/state/lmdb-backend.ts): after `maxLogs` logs (default 60), or once the logs
   * hold `logRatio` times the stored entries (default 1, and at least 100,000 entries).
   */
  readonly checkpointLogs?: { readonly maxLogs?: number; readonly logRatio?: number };
  /**
   * Changes one subscription may hold for a client that does not read them;
   * past it the subscription fails with 53200 (default 1,000,000).
   */
  readonly subscriptionBuffer?: number;
}

/** A client session: its own settings and cursors. */
export interface Session {
  /** Runs every statement of `sql` in order; stops at the first error (which rejects). */
  execute(sql: string, params?: readonly Value[]): Promise<StatementResult[]>;
  /** Session setting (`SET`), or the engine default. */
  setting(name: string): string | undefined;
  close(): void;
}
