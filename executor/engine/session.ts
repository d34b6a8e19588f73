// A client session: runs statements, keeps its settings and cursors.

import type { DataType } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import type { StoredCatalogEntry } from '../../catalog/catalog-store.js';
import { decodeRow } from '../../common/row-codec.js';
import { parseStatement, parseStatements } from '../../parser/index.js';
import type { Statement } from '../../parser/ast/index.js';
import type { ResultColumn, Session, StatementResult } from './api.js';
import type { Engine } from './engine.js';
import { settingKey } from './settings.js';
import { statementHandlers } from './statements/index.js';
import type { Subscription } from './subscription.js';

export type Cursor =
  | { readonly kind: 'stream'; readonly stream: Subscription }
  | { readonly kind: 'rows'; readonly columns: readonly ResultColumn[]; readonly rows: readonly Row[]; position: number };

/** What a statement handler gets. */
export interface StatementContext<S extends Statement = Statement> {
  readonly engine: Engine;
  readonly session: EngineSession;
  readonly statement: S;
  /** The statement's own text. */
  readonly text: string;
  readonly params: readonly Value[];
  /**
   * Types of the parameters when the client declared them or the server inferred
   * them (the extended protocol); otherwise they are taken from the values.
   */
  readonly paramTypes?: readonly DataType[];
  readonly signal?: AbortSignal;
  /** Set while the engine replays its stored catalog on open. */
  readonly recovering?: StoredCatalogEntry;
}

/** Statements that change durable state: acknowledged only once on disk. */
const writes: ReadonlySet<Statement['kind']> = new Set(['CreateTable', 'CreateView', 'Drop', 'DropJob', 'Insert', 'Update', 'Delete']);

export class EngineSession implements Session {
  readonly settings = new Map<string, string>();
  readonly cursors = new Map<string, Cursor>();
  /** Inside BEGIN ... COMMIT (reported to clients as transaction status T). */
  inTransaction = false;
  private closed = false;

  constructor(readonly engine: Engine) {}

  async execute(sql: string, params: readonly Value[] = [], signal?: AbortSignal): Promise<StatementResult[]> {
    if (this.closed) throw new SqlError(SqlState.internalError, 'the session is closed');
    const results: StatementResult[] = [];
    for (const parsed of parseStatements(sql)) {
      if (signal?.aborted) throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
      results.push(await this.run(parsed.statement, parsed.text, params, signal));
    }
    return results;
  }

  /** Runs one parsed statement; `paramTypes` fixes the types of `$n` (else they follow the values). */
  async run(statement: Statement, text: string, params: readonly Value[] = [], signal?: AbortSignal, paramTypes?: readonly DataType[]): Promise<StatementResult> {
    const handler = statementHandlers[statement.kind] as (ctx: StatementContext) => Promise<StatementResult> | StatementResult;
    const ctx: StatementContext = {
      engine: this.engine, session: this, statement, text, params,
      ...(signal ? { signal } : {}),
      ...(paramTypes ? { paramTypes } : {}),
    };
    const result = await handler(ctx);
    if (writes.has(statement.kind)) await this.engine.storage.flushed();
    return result;
  }

  /** Re-runs a stored catalog statement while the engine opens. */
  async recover(entry: StoredCatalogEntry): Promise<void> {
    const statement = parseStatement(entry.sql);
    const params = entry.params === undefined ? [] : decodeRow(entry.params);
    const handler = statementHandlers[statement.kind] as (ctx: StatementContext) => Promise<StatementResult> | StatementResult;
    await handler({ engine: this.engine, session: this, statement, text: entry.sql, params, recovering: entry });
  }

  setting(name: string): string | undefined {
    const key = settingKey(name);
    return this.settings.get(key) ?? this.engine.settings.get(key);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.cursors.values()) if (c.kind === 'stream') c.stream.close();
    this.cursors.clear();
    this.engine.forgetSession(this);
  }
}
