// Backend (server → client) messages, encoded with pg-protocol's Writer.

import { Writer } from 'pg-protocol/dist/buffer-writer.js';

/** One column of a RowDescription. */
export interface FieldDescription {
  readonly name: string;
  readonly tableOid: number;
  readonly columnNumber: number;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeModifier: number;
  /** 0 text, 1 binary. */
  readonly format: number;
}

/** Severity, SQLSTATE and the optional fields of an ErrorResponse or NoticeResponse. */
export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';
  readonly code: string;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  readonly position?: number | undefined;
  /** CONTEXT: where in the input the error happened (COPY's line and column). */
  readonly where?: string | undefined;
}

const code = (c: string): number => c.charCodeAt(0);

function message(c: string, build?: (w: Writer) => void): Buffer {
  const w = new Writer();
  build?.(w);
  return w.flush(code(c));
}

export const Backend = {
  authenticationOk: (): Buffer => message('R', (w) => w.addInt32(0)),
  authenticationCleartextPassword: (): Buffer => message('R', (w) => w.addInt32(3)),
  authenticationSasl: (mechanisms: readonly string[]): Buffer => message('R', (w) => {
    w.addInt32(10);
    for (const m of mechanisms) w.addCString(m);
    w.addCString('');
  }),
  authenticationSaslContinue: (data: string): Buffer => message('R', (w) => w.addInt32(11).addString(data)),
  authenticationSaslFinal: (data: string): Buffer => message('R', (w) => w.addInt32(12).addString(data)),
  parameterStatus: (name: string, value: string): Buffer => message('S', (w) => w.addCString(name).addCString(value)),
  backendKeyData: (pid: number, secret: number): Buffer => message('K', (w) => w.addInt32(pid).addInt32(secret)),
  negotiateProtocolVersion: (minor: number, unsupported: readonly string[]): Buffer => message('v', (w) => {
    w.addInt32(minor).addInt32(unsupported.length);
    for (const o of unsupported) w.addCString(o);
  }),
  readyForQuery: (status: 'I' | 'T' | 'E'): Buffer => message('Z', (w) => w.addString(status)),
  rowDescription: (fields: readonly FieldDescription[]): Buffer => message('T', (w) => {
    w.addInt16(fields.length);
    for (const f of fields) {
      w.addCString(f.name).addInt32(f.tableOid).addInt16(f.columnNumber).addInt32(f.typeOid)
        .addInt16(f.typeSize).addInt32(f.typeModifier).addInt16(f.format);
    }
  }),
  /** A DataRow from already encoded column values (null: SQL NULL). */
  dataRow: (values: readonly (Buffer | string | null)[]): Buffer => message('D', (w) => {
    w.addInt16(values.length);
    for (const v of values) {
      if (v === null) w.addInt32(-1);
      else if (typeof v === 'string') w.addInt32PrefixedString(v);
      else w.addInt32(v.length).add(v);
    }
  }),
  commandComplete: (tag: string): Buffer => message('C', (w) => w.addCString(tag)),
  emptyQueryResponse: (): Buffer => message('I'),
  parseComplete: (): Buffer => message('1'),
  bindComplete: (): Buffer => message('2'),
  closeComplete: (): Buffer => message('3'),
  noData: (): Buffer => message('n'),
  portalSuspended: (): Buffer => message('s'),
  parameterDescription: (oids: readonly number[]): Buffer => message('t', (w) => {
    w.addInt16(oids.length);
    for (const o of oids) w.addInt32(o);
  }),
  copyInResponse: (columns: number, binary = false): Buffer => copyResponse('G', columns, binary),
  copyOutResponse: (columns: number, binary = false): Buffer => copyResponse('H', columns, binary),
  copyData: (data: Buffer | string): Buffer => message('d', (w) => (typeof data === 'string' ? w.addString(data) : w.add(data))),
  copyDone: (): Buffer => message('c'),
  errorResponse: (e: ErrorFields): Buffer => message('E', (w) => errorBody(w, e)),
  noticeResponse: (e: ErrorFields): Buffer => message('N', (w) => errorBody(w, e)),
};

function copyResponse(c: string, columns: number, binary: boolean): Buffer {
  return message(c, (w) => {
    w.addString(binary ? '\x01' : '\x00');
    w.addInt16(columns);
    for (let i = 0; i < columns; i++) w.addInt16(binary ? 1 : 0);
  });
}

function errorBody(w: Writer, e: ErrorFields): void {
  const field = (c: string, v: string | undefined): void => {
    if (v === undefined || v === '') return;
    w.addString(c).addCString(v);
  };
  field('S', e.severity);
  field('V', e.severity);
  field('C', e.code);
  field('M', e.message);
  field('D', e.detail);
  field('H', e.hint);
  if (e.position !== undefined && e.position > 0) field('P', String(e.position));
  field('W', e.where);
  w.addString('\0');
}

/** The single byte that answers SSLRequest and GSSENCRequest: not supported, continue in the clear. */
export const REFUSE_ENCRYPTION = Buffer.from('N');
