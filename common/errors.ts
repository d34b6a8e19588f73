// SQL errors: every error a user can see carries a PostgreSQL SQLSTATE.

/** Extra fields of an error, as PostgreSQL's ErrorResponse carries them. */
export interface SqlErrorFields {
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character position in the statement text, as PostgreSQL reports it. */
  readonly position?: number;
}

/**
 * An error with a SQLSTATE, a short lowercase message naming the object,
 * and optional detail, hint and position.
 *
 * @example
 *   throw new SqlError('42P01', 'table "bids" does not exist', { position: 15 });
 */
export class SqlError extends Error {
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  position: number | undefined;

  constructor(readonly sqlstate: string, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.name = 'SqlError';
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
  }
}

/** SQLSTATE codes used across the engine, named as PostgreSQL names them. */
export const SqlState = {
  syntaxError: '42601',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  undefinedObject: '42704',
  datatypeMismatch: '42804',
  ambiguousColumn: '42702',
  groupingError: '42803',
  duplicateObject: '42P07',
  duplicateColumn: '42701',
  invalidParameterValue: '22023',
  dependentObjectsStillExist: '2BP01',
  featureNotSupported: '0A000',
  numericValueOutOfRange: '22003',
  divisionByZero: '22012',
  invalidTextRepresentation: '22P02',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  stringDataRightTruncation: '22001',
  notNullViolation: '23502',
  invalidRegularExpression: '2201B',
  invalidEscapeSequence: '22025',
  cardinalityViolation: '21000',
  undefinedParameter: '42P02',
  invalidCursorName: '34000',
  duplicateCursor: '42P03',
  programLimitExceeded: '54000',
  outOfMemory: '53200',
  queryCanceled: '57014',
  protocolViolation: '08P01',
  invalidPassword: '28P01',
  internalError: 'XX000',
} as const;

/** An error for a broken invariant: a bug in Eddy, never a user mistake. */
export function internalError(message: string): SqlError {
  return new SqlError(SqlState.internalError, message);
}
