// Subscribers see a change only once the write behind it is durable: the sync of
// its LMDB transaction is held back (or made to fail) by replacing the
// environment's `flushed` thenable, which both the writer's acknowledgement and
// the subscriptions wait on.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlError } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import { Engine } from '../../executor/engine/engine.js';
import { rowsOf } from '../connectors/helpers.js';

type Flushed = { then(ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown): Promise<unknown> };

describe('subscriptions wait for durability', () => {
  let dir: string;
  let engine: Engine;
  let root: { flushed: Flushed; committed: PromiseLike<unknown> };
  let realFlushed: Flushed;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-subscription-durability-'));
    engine = await Engine.open({ dataDir: dir });
    root = engine.storage.root as unknown as typeof root;
    realFlushed = root.flushed;
    await engine.execute('CREATE TABLE t (k INT, v INT)');
    await engine.execute('CREATE MATERIALIZED VIEW totals AS SELECT k, sum(v) AS s FROM t GROUP BY k');
  });

  afterEach(async () => {
    delete (root as Partial<typeof root>).flushed;
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Replaces the sync every durable write waits for with `sync` (then the real one). */
  function injectSync(sync: Promise<void>): void {
    Object.defineProperty(root, 'flushed', {
      configurable: true,
      value: { then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => sync.then(() => realFlushed.then(ok, fail), fail) },
    });
  }

  const cursors = ['on_table', 'on_view', 'on_query'];

  async function subscribers(): Promise<{ fetch: () => Promise<Row[][]>; fetchOne: (cursor: string) => Promise<Row[]>; close: () => void }> {
    const s = engine.session();
    await s.execute('DECLARE on_table CURSOR FOR SUBSCRIBE t WITH (SNAPSHOT = false)');
    await s.execute('DECLARE on_view CURSOR FOR SUBSCRIBE totals WITH (SNAPSHOT = false)');
    await s.execute('DECLARE on_query CURSOR FOR SUBSCRIBE (SELECT k, v * 2 AS w FROM t) WITH (SNAPSHOT = false)');
    const fetchOne = async (cursor: string): Promise<Row[]> => rowsOf(await s.execute(`FETCH ALL ${cursor} WITH (timeout = '0s')`));
    return {
      fetch: async () => Promise.all(cursors.map(fetchOne)),
      fetchOne,
      close: () => s.close(),
    };
  }

  it('holds back a change while its commit is not synced, and delivers it with the acknowledgement', async () => {
    const subs = await subscribers();
    let allow!: () => void;
    injectSync(new Promise<void>((resolve) => { allow = resolve; }));
    let acknowledged = false;
    const insert = engine.execute('INSERT INTO t VALUES (1, 10), (2, 5)').then((r) => { acknowledged = true; return r; });
    // The transaction commits; only its sync is held back.
    await root.committed;
    expect(acknowledged).to.equal(false);
    // The table, the view and the query job have all processed the rows, but nobody may see them yet.
    expect(await subs.fetch()).to.deep.equal([[], [], []]);
    allow();
    expect(await insert).to.deep.equal([{ kind: 'command', tag: 'INSERT 0 2' }]);
    expect(await subs.fetch()).to.deep.equal([
      [['+I', 1, 10], ['+I', 2, 5]],
      [['+I', 1, 10], ['+I', 2, 5]],
      [['+I', 1, 20], ['+I', 2, 10]],
    ]);
    subs.close();
  });

  it('never delivers a change whose commit failed to sync: the subscription fails instead', async () => {
    await engine.execute('INSERT INTO t VALUES (1, 1)');
    const subs = await subscribers();
    const failed = Promise.reject(new Error('injected sync failure'));
    failed.catch(() => {});
    injectSync(failed);
    let failure: unknown;
    await engine.execute('INSERT INTO t VALUES (1, 10)').catch((e: unknown) => { failure = e; });
    expect(String(failure)).to.contain('injected sync failure');
    for (const cursor of cursors) {
      let error: unknown;
      try {
        const rows = await subs.fetchOne(cursor);
        throw new Error(`${cursor} delivered ${JSON.stringify(rows)}`);
      } catch (e) {
        error = e;
      }
      expect(error, cursor).to.be.instanceOf(SqlError);
      expect((error as SqlError).sqlstate).to.equal('58030');
    }
    subs.close();
  });
});
