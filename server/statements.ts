// One statement's journey on the server: classified (catalog query, a statement
// the server answers itself, or an engine statement), then executed into an
// outcome the protocol layers render.

import type { DataType } from '../common/data-type.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Value } from '../common/value.js';
import type { ChangeStream, StatementResult } from '../executor/engine/api.js';
import { parseStatements, type Statement } from '../parser/index.js';
import type { Copy } from '../parser/ast/index.js';
import type { CQuery, CValue } from './pg-catalog/ast.js';
import { catalogQuery, runCatalogQuery } from './pg-catalog/index.js';
import { catalogColumns, engineColumns, type RowSet, type WireColumn } from './results.js';
import type { StatementHost } from './statement-host.js';

/** A statement the server answers without the engine. */
export type ServerCommand =
  | { readonly kind: 'discard' }
  | { readonly kind: 'deallocate'; readonly name: string | undefined }
  | { readonly kind: 'noop'; readonly tag: string }
  | { readonly kind: 'rewrite'; readonly sql: string };

export type Prepared =
  | { readonly kind: 'empty'; readonly text: string }
  | { readonly kind: 'catalog'; readonly text: string; readonly query: CQuery }
  | { readonly kind: 'server'; readonly text: string; readonly command: ServerCommand }
  | { readonly kind: 'engine'; readonly text: string; readonly statement: Statement };

/** What executing a statement produced. */
export type Outcome =
  | { readonly kind: 'rows'; readonly rowset: RowSet }
  | { readonly kind: 'command'; readonly tag: string }
  /** A subscription: sent as COPY OUT until the client cancels or goes away. */
  | { readonly kind: 'stream'; readonly columns: readonly WireColumn[]; readonly stream: ChangeStream; readonly copy?: Copy }
  /** COPY ... TO STDOUT of a finite result. */
  | { readonly kind: 'copy-out'; readonly rowset: RowSet; readonly copy: Copy }
  /** COPY t FROM STDIN: the protocol layer reads the data. */
  | { readonly kind: 'copy-in'; readonly copy: Copy };

const SERVER_COMMANDS: readonly [RegExp, (m: RegExpExecArray) => ServerCommand][] = [
  [/^discard\s+all$/i, () => ({ kind: 'discard' })],
  [/^deallocate\s+(?:prepare\s+)?all$/i, () => ({ kind: 'deallocate', name: undefined })],
  [/^deallocate\s+(?:prepare\s+)?("?)([^"\s]+)\1$/i, (m) => ({ kind: 'deallocate', name: m[1] === '"' ? m[2] as string : (m[2] as string).toLowerCase() })],
  [/^(?:unlisten\s+\*|unlisten\s+\w+)$/i, () => ({ kind: 'noop', tag: 'UNLISTEN' })],
  [/^set\s+(?:session\s+characteristics\s+as\s+)?transaction\b/i, () => ({ kind: 'noop', tag: 'SET' })],
  [/^show\s+transaction\s+isolation\s+level$/i, () => ({ kind: 'rewrite', sql: 'SHOW transaction_isolation' })],
  [/^(?:begin|start\s+transaction)(?:\s+(?:work|transaction))?\s+(?:isolation\s+level|read\s+(?:only|write)|(?:not\s+)?deferrable)\b[\s\S]*$/i, () => ({ kind: 'rewrite', sql: 'BEGIN' })],
  [/^abort(?:\s+(?:work|transaction))?$/i, () => ({ kind: 'rewrite', sql: 'ROLLBACK' })],
  [/^end(?:\s+(?:work|transaction))?$/i, () => ({ kind: 'rewrite', sql: 'COMMIT' })],
];

/**
 * Classifies one statement's text. Engine statements are parsed here so that
 * syntax errors surface at Parse time in the extended protocol.
 */
export function prepare(text: string): Prepared[] {
  const trimmed = text.trim();
  if (trimmed === '' || /^;*$/.test(trimmed)) return [{ kind: 'empty', text }];
  const bare = trimmed.replace(/;\s*$/, '').trim();
  for (const [re, make] of SERVER_COMMANDS) {
    const m = re.exec(bare);
    if (m) {
      const command = make(m);
      if (command.kind === 'rewrite') return prepare(command.sql).map((p) => ({ ...p, text }));
      return [{ kind: 'server', text, command }];
    }
  }
  const query = catalogQuery(text);
  if (query !== undefined) return [{ kind: 'catalog', text, query }];
  const parsed = parseStatements(text);
  if (parsed.length === 0) return [{ kind: 'empty', text }];
  return parsed.map((p) => ({ kind: 'engine', text: p.text, statement: p.statement }));
}

/** Whether a prepared statement returns rows (RowDescription) rather than a command tag. */
export function returnsRows(p: Prepared): boolean {
  if (p.kind === 'catalog') return true;
  if (p.kind !== 'engine') return false;
  switch (p.statement.kind) {
    case 'Query': case 'ShowObjects': case 'ShowCreate': case 'ShowVariable': case 'Describe': case 'Explain': case 'Fetch':
      return true;
    case 'Set':
      return p.statement.name === undefined;
    default:
      return false;
  }
}

/** Whether a statement may run while a transaction is failed (status E). */
export function endsTransaction(p: Prepared): boolean {
  return p.kind === 'engine' && p.statement.kind === 'Transaction' && p.statement.action !== 'BEGIN';
}

function fromEngineResult(host: StatementHost, result: StatementResult): Outcome {
  switch (result.kind) {
    case 'rows':
      return { kind: 'rows', rowset: { columns: engineColumns(result.columns, host.formatOptions()), rows: result.rows, tag: result.tag } };
    case 'command':
      return { kind: 'command', tag: result.tag };
    case 'stream':
      return { kind: 'stream', columns: engineColumns(result.columns, host.formatOptions()), stream: result.stream };
  }
}

/** Runs one prepared statement. */
export async function execute(
  host: StatementHost, p: Prepared, params: readonly Value[] = [], paramTypes?: readonly DataType[],
): Promise<Outcome> {
  switch (p.kind) {
    case 'empty':
      return { kind: 'command', tag: '' };
    case 'catalog': {
      const { result, evaluator } = runCatalogQuery(p.query, host.catalogContext(), params.map(catalogParam), host.serverVersion,
        (name, value) => host.session.settings.set(name.toLowerCase(), value));
      return { kind: 'rows', rowset: { columns: catalogColumns(result.columns, evaluator.names), rows: result.rows, tag: `SELECT ${result.rows.length}` } };
    }
    case 'server':
      return host.serverCommand(p.command);
    case 'engine': {
      const s = p.statement;
      if (s.kind === 'Copy') return copyOutcome(host, s, p.text);
      const result = await host.session.run(s, p.text, params, host.signal, paramTypes);
      return fromEngineResult(host, result);
    }
  }
}

function catalogParam(v: Value): CValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** COPY: subscriptions and queries run on the engine; FROM STDIN is left to the protocol layer. */
async function copyOutcome(host: StatementHost, copy: Copy, text: string): Promise<Outcome> {
  if (copy.direction === 'FROM') return { kind: 'copy-in', copy };
  const source = copy.source;
  if (source.kind === 'CopySubscribe') {
    const result = await host.session.run(source.subscribe, text, [], host.signal);
    if (result.kind !== 'stream') throw new SqlError(SqlState.internalError, 'SUBSCRIBE did not return a stream');
    return { kind: 'stream', columns: engineColumns(result.columns, host.formatOptions()), stream: result.stream, copy };
  }
  const query: Statement = source.kind === 'CopyQuery'
    ? source.query
    : {
      kind: 'Query',
      body: {
        kind: 'Select', distinct: false, from: [{ kind: 'NamedTable', name: source.table }],
        items: source.columns === undefined
          ? [{ kind: 'SelectStar' }]
          : source.columns.map((c) => ({ kind: 'SelectExpr' as const, expr: { kind: 'ColumnRef' as const, parts: [c] } })),
      },
      orderBy: [],
    };
  const result = await host.session.run(query, text, [], host.signal);
  if (result.kind !== 'rows') throw new SqlError(SqlState.internalError, 'COPY query did not return rows');
  return { kind: 'copy-out', rowset: { columns: engineColumns(result.columns, host.formatOptions()), rows: result.rows, tag: `COPY ${result.rows.length}` }, copy };
}
