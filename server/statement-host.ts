// What running a statement needs from its connection: the session, the
// statement's cancel signal, the zone for timestamps, the catalog view, and the
// statements the server answers itself.

import type { TextFormatOptions } from '../common/pg-text.js';
import type { EngineSession } from '../executor/engine/session.js';
import type { CatalogContext } from './pg-catalog/index.js';
import type { Outcome, ServerCommand } from './statements.js';

export interface StatementHost {
  readonly session: EngineSession;
  /** Aborted by a CancelRequest or a disconnect while the statement runs. */
  readonly signal: AbortSignal;
  readonly serverVersion: string;
  formatOptions(): TextFormatOptions;
  catalogContext(): CatalogContext;
  serverCommand(command: ServerCommand): Outcome;
}
