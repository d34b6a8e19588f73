// The extended query protocol: prepared statements (Parse), portals (Bind),
// Describe, Execute with row limits (PortalSuspended and resume), Close; after
// an error every message is skipped until Sync.

import type { DataType } from '../common/data-type.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Value } from '../common/value.js';
import { planQuery } from '../planner/planner.js';
import { Backend } from './codec/backend.js';
import type { FrontendMessage } from './codec/frontend.js';
import type { Connection } from './connection.js';
import { protocolError } from './codec/frontend.js';
import { FatalError } from './errors.js';
import { decodeParam, inferParamTypes, parameterOids } from './param-types.js';
import { catalogColumns, dataRow, engineColumns, fieldDescriptions, formatFor, type WireColumn } from './results.js';
import { checkTransaction, sendOutcome, transactionEnd } from './simple-query.js';
import { endsTransaction, execute, prepare, returnsRows, type Outcome, type Prepared } from './statements.js';
import { runCatalogQuery } from './pg-catalog/index.js';

interface PreparedStatement {
  readonly name: string;
  readonly prepared: Prepared;
  /** OIDs the client declared (0: unspecified). */
  readonly declared: readonly number[];
  readonly paramTypes: readonly DataType[];
}

interface Portal {
  readonly name: string;
  readonly statement: PreparedStatement;
  readonly params: readonly Value[];
  readonly resultFormats: readonly number[];
  /** Set once the portal has run (at Describe or the first Execute). */
  outcome?: Outcome;
  /** Rows already sent. */
  position: number;
  /** Transaction state before the portal ran, for COMMIT of a failed transaction. */
  wasFailed?: boolean;
}

type Message<K extends FrontendMessage['kind']> = Extract<FrontendMessage, { kind: K }>;

export class ExtendedProtocol {
  /** After an error: skip messages until Sync. */
  skipping = false;
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();

  constructor(private readonly conn: Connection) {}

  async handle(m: Message<'Parse' | 'Bind' | 'Describe' | 'Execute' | 'Close'>): Promise<void> {
    try {
      switch (m.kind) {
        case 'Parse': return this.parse(m);
        case 'Bind': return this.bind(m);
        case 'Describe': return await this.describe(m);
        case 'Execute': return await this.execute(m);
        case 'Close': return this.close(m);
      }
    } catch (err) {
      if (err instanceof FatalError) throw err;
      this.conn.sendError(err);
      this.skipping = true;
      if (this.conn.session.inTransaction) this.conn.txFailed = true;
    }
  }

  /** Sync ends the implicit transaction: its portals go with it. */
  sync(): void {
    this.skipping = false;
    if (!this.conn.session.inTransaction) this.closePortals();
  }

  dropUnnamed(): void {
    this.statements.delete('');
    this.closePortal('');
  }

  closeAll(): void {
    this.closePortals();
    this.statements.clear();
  }

  deallocate(name: string): boolean {
    return this.statements.delete(name);
  }

  deallocateAll(): void {
    this.statements.clear();
  }

  private closePortals(): void {
    for (const name of [...this.portals.keys()]) this.closePortal(name);
  }

  private closePortal(name: string): void {
    const p = this.portals.get(name);
    if (p?.outcome?.kind === 'stream') p.outcome.stream.close();
    this.portals.delete(name);
  }

  private parse(m: Message<'Parse'>): void {
    if (m.name !== '' && this.statements.has(m.name)) {
      throw new SqlError('42P05', `prepared statement "${m.name}" already exists`);
    }
    const all = prepare(m.sql);
    if (all.length > 1) throw new SqlError(SqlState.syntaxError, 'cannot insert multiple commands into a prepared statement');
    const prepared = all[0] as Prepared;
    checkTransaction(this.conn, prepared);
    const paramTypes = inferParamTypes(prepared, m.paramOids, this.conn.shared.engine.catalog);
    this.statements.set(m.name, { name: m.name, prepared, declared: m.paramOids, paramTypes });
    this.conn.send(Backend.parseComplete());
  }

  private statement(name: string): PreparedStatement {
    const s = this.statements.get(name);
    if (s === undefined) throw new SqlError('26000', `prepared statement "${name}" does not exist`);
    return s;
  }

  private bind(m: Message<'Bind'>): void {
    const statement = this.statement(m.statement);
    if (m.portal !== '' && this.portals.has(m.portal)) throw new SqlError('42P03', `portal "${m.portal}" already exists`);
    const n = statement.paramTypes.length;
    if (m.params.length !== n) {
      throw protocolError(`bind message supplies ${m.params.length} parameters, but prepared statement "${statement.name}" requires ${n}`);
    }
    if (m.paramFormats.length > 1 && m.paramFormats.length !== n) {
      throw protocolError(`bind message has ${m.paramFormats.length} parameter formats but ${n} parameters`);
    }
    const options = this.conn.formatOptions();
    const params = m.params.map((raw, i) => {
      const type = statement.paramTypes[i] as DataType;
      const declared = statement.declared[i] ?? 0;
      const format = formatFor(m.paramFormats, i);
      if (statement.prepared.kind === 'catalog' && format === 0) return raw === null ? null : raw.toString('utf8');
      return decodeParam(raw, format, declared, type, options);
    });
    this.closePortal(m.portal);
    this.portals.set(m.portal, { name: m.portal, statement, params, resultFormats: m.resultFormats, position: 0 });
    this.conn.send(Backend.bindComplete());
  }

  private async describe(m: Message<'Describe'>): Promise<void> {
    if (m.target === 'S') {
      const s = this.statement(m.name);
      this.conn.send(Backend.parameterDescription(parameterOids(s.paramTypes, s.declared)));
      const columns = await this.statementColumns(s);
      this.conn.send(columns === undefined ? Backend.noData() : Backend.rowDescription(fieldDescriptions(columns)));
      return;
    }
    const portal = this.portal(m.name);
    if (!returnsRows(portal.statement.prepared)) {
      this.conn.send(Backend.noData());
      return;
    }
    // Running the portal here gives the exact columns of any statement; Execute then sends its rows.
    const outcome = await this.run(portal);
    if (outcome.kind !== 'rows') {
      this.conn.send(Backend.noData());
      return;
    }
    this.checkFormats(portal, outcome.rowset.columns);
    this.conn.send(Backend.rowDescription(fieldDescriptions(outcome.rowset.columns, portal.resultFormats)));
  }

  /** The result columns of a prepared statement, without running anything that changes state. */
  private async statementColumns(s: PreparedStatement): Promise<readonly WireColumn[] | undefined> {
    const p = s.prepared;
    if (!returnsRows(p)) return undefined;
    if (p.kind === 'catalog') {
      const { result, evaluator } = runCatalogQuery(p.query, this.conn.catalogContext(), s.paramTypes.map(() => null), this.conn.serverVersion, () => {});
      return catalogColumns(result.columns, evaluator.names);
    }
    if (p.kind !== 'engine') return undefined;
    const st = p.statement;
    if (st.kind === 'Query') {
      return engineColumns(planQuery(st, this.conn.shared.engine.catalog, s.paramTypes).columns, this.conn.formatOptions());
    }
    if (st.kind === 'Fetch') {
      const cursor = this.conn.session.cursors.get(st.cursor.value);
      if (cursor === undefined) return undefined;
      const columns = cursor.kind === 'rows' ? cursor.columns : cursor.stream.columns;
      return engineColumns(columns, this.conn.formatOptions());
    }
    // SHOW, DESCRIBE, EXPLAIN: reading them changes nothing.
    const outcome = await execute(this.conn, p, s.paramTypes.map(() => null), s.paramTypes);
    return outcome.kind === 'rows' ? outcome.rowset.columns : undefined;
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name);
    if (p === undefined) throw new SqlError(SqlState.invalidCursorName, `portal "${name}" does not exist`);
    return p;
  }

  private checkFormats(portal: Portal, columns: readonly WireColumn[]): void {
    const f = portal.resultFormats;
    if (f.length > 1 && f.length !== columns.length) {
      throw protocolError(`bind message has ${f.length} result formats but query has ${columns.length} columns`);
    }
    for (const code of f) if (code !== 0 && code !== 1) throw protocolError(`unsupported format code: ${code}`);
  }

  /** Runs a portal's statement once; later calls return the same outcome. */
  private async run(portal: Portal): Promise<Outcome> {
    if (portal.outcome !== undefined) return portal.outcome;
    const p = portal.statement.prepared;
    checkTransaction(this.conn, p);
    portal.wasFailed = this.conn.txFailed;
    this.conn.beginStatement();
    try {
      const before = this.conn.reportedSettings();
      const outcome = transactionEnd(await execute(this.conn, p, portal.params, portal.statement.paramTypes), portal.wasFailed);
      if (endsTransaction(p)) this.conn.txFailed = false;
      this.conn.reportChanges(before);
      portal.outcome = outcome;
      return outcome;
    } finally {
      this.conn.endStatement();
    }
  }

  private async execute(m: Message<'Execute'>): Promise<void> {
    const portal = this.portal(m.portal);
    const outcome = await this.run(portal);
    if (outcome.kind !== 'rows') {
      if (portal.position > 0) {
        // Run to completion already.
        this.conn.send(Backend.commandComplete(outcome.kind === 'command' ? outcome.tag : 'SELECT 0'));
        return;
      }
      portal.position = 1;
      this.conn.beginStatement();
      try {
        await sendOutcome(this.conn, outcome);
      } finally {
        this.conn.endStatement();
      }
      return;
    }
    const { columns, rows, tag } = outcome.rowset;
    this.checkFormats(portal, columns);
    const end = m.maxRows > 0 ? Math.min(rows.length, portal.position + m.maxRows) : rows.length;
    const start = portal.position;
    for (let i = start; i < end; i++) await this.conn.sendPaced(dataRow(columns, rows[i] as readonly unknown[], portal.resultFormats));
    portal.position = end;
    if (end < rows.length) {
      this.conn.send(Backend.portalSuspended());
      return;
    }
    // A portal read in pieces reports the rows of its last piece, as PostgreSQL does.
    const sent = end - start;
    this.conn.send(Backend.commandComplete(/^(SELECT|FETCH) /.test(tag) ? `${tag.split(' ')[0]} ${sent}` : tag));
  }

  private close(m: Message<'Close'>): void {
    if (m.target === 'S') this.statements.delete(m.name);
    else this.closePortal(m.name);
    this.conn.send(Backend.closeComplete());
  }
}
