// Errors as the wire carries them: SqlError fields to ErrorResponse fields,
// with positions shifted from the statement to the whole Query message.

import { SqlError, SqlState } from '../common/errors.js';
import type { ErrorFields } from './codec/backend.js';

/** An error that ends the connection after it is reported (severity FATAL). */
export class FatalError extends SqlError {}

/** An error with PostgreSQL's CONTEXT line (COPY reports the line and column there). */
export class ContextError extends SqlError {
  constructor(sqlstate: string, message: string, readonly where: string, fields: { detail?: string; hint?: string } = {}) {
    super(sqlstate, message, fields);
  }
}

/**
 * The ErrorResponse fields of any thrown value. Positions are 1-based within the
 * statement; `offset` is where the statement starts in the message the client sent.
 */
export function errorFields(err: unknown, offset = 0): ErrorFields {
  if (err instanceof SqlError) {
    return {
      severity: err instanceof FatalError ? 'FATAL' : 'ERROR',
      code: err.sqlstate,
      message: err.message,
      detail: err.detail,
      hint: err.hint,
      position: err.position === undefined ? undefined : err.position + offset,
      ...(err instanceof ContextError ? { where: err.where } : {}),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { severity: 'ERROR', code: SqlState.internalError, message: `internal error: ${message}` };
}
