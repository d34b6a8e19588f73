// node-postgres against the server: simple and parameterized queries, result
// types, errors, transactions, cursors over subscriptions, binary results.

import { expect } from 'chai';
import type pg from 'pg';
import { pgClient, startTestServer, within, type TestServer } from './harness.js';

interface DriverError {
  readonly code?: string;
  readonly position?: string;
  readonly message: string;
}

async function failure(p: Promise<unknown>): Promise<DriverError> {
  try {
    await p;
  } catch (e) {
    return e as DriverError;
  }
  throw new Error('expected the query to fail');
}

describe('e2e: the pg driver', function () {
  this.timeout(20_000);
  let s: TestServer;
  let c: pg.Client;

  before(async () => {
    s = await startTestServer();
    c = pgClient(s.port);
    await c.connect();
    await c.query(`CREATE TABLE items (id INT, name STRING, price DECIMAL(10, 2), qty BIGINT, ok BOOLEAN, at TIMESTAMP(3), day DATE, ratio DOUBLE,
      PRIMARY KEY (id) NOT ENFORCED)`);
    await c.query(`INSERT INTO items VALUES
      (1, 'apple', 1.25, 10, true, TIMESTAMP '2026-01-02 03:04:05.5', DATE '2026-01-02', 0.5),
      (2, 'pear', 2.50, 20, false, TIMESTAMP '2026-02-03 04:05:06', DATE '2026-02-03', 1.5),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  });
  after(async () => {
    await c.end();
    await s.close();
  });

  it('runs simple queries and reports the command', async () => {
    const r = await c.query('SELECT id, name FROM items ORDER BY id');
    expect(r.command).to.equal('SELECT');
    expect(r.rowCount).to.equal(3);
    expect(r.rows).to.deep.equal([{ id: 1, name: 'apple' }, { id: 2, name: 'pear' }, { id: 3, name: null }]);
  });

  it('types results with PostgreSQL OIDs (int8 and numeric as strings, as pg does)', async () => {
    const r = await c.query('SELECT id, name, price, qty, ok, at, day, ratio FROM items WHERE id = 1');
    expect(r.fields.map((f) => f.dataTypeID)).to.deep.equal([23, 25, 1700, 20, 16, 1114, 1082, 701]);
    const row = r.rows[0] as Record<string, unknown>;
    expect(row['price']).to.equal('1.25');
    expect(row['qty']).to.equal('10');
    expect(row['ok']).to.equal(true);
    expect(row['ratio']).to.equal(0.5);
    expect((row['at'] as Date).getTime()).to.equal(new Date(2026, 0, 2, 3, 4, 5, 500).getTime());
  });

  it('binds parameters sent as text with unspecified types (extended protocol)', async () => {
    const r = await c.query('SELECT name FROM items WHERE id = $1', [2]);
    expect(r.rows).to.deep.equal([{ name: 'pear' }]);
    const byTime = await c.query('SELECT id FROM items WHERE at > $1 ORDER BY id', ['2026-01-15 00:00:00']);
    expect(byTime.rows).to.deep.equal([{ id: 2 }]);
    const byPrice = await c.query('SELECT id FROM items WHERE price >= $1 ORDER BY id', ['1.5']);
    expect(byPrice.rows).to.deep.equal([{ id: 2 }]);
    const byFlag = await c.query('SELECT id FROM items WHERE ok = $1', [true]);
    expect(byFlag.rows).to.deep.equal([{ id: 1 }]);
  });

  it('writes with parameters: INSERT, UPDATE, DELETE', async () => {
    await c.query('INSERT INTO items (id, name, price, day) VALUES ($1, $2, $3, $4)', [10, 'fig', '3.75', '2026-03-04']);
    const upd = await c.query('UPDATE items SET qty = $1 WHERE id = $2', [99, 10]);
    expect(upd.rowCount).to.equal(1);
    const r = await c.query('SELECT name, price, qty, day FROM items WHERE id = $1', [10]);
    expect(r.rows[0]).to.include({ name: 'fig', price: '3.75', qty: '99' });
    const del = await c.query('DELETE FROM items WHERE id = $1', [10]);
    expect(del.command).to.equal('DELETE');
    expect(del.rowCount).to.equal(1);
  });

  it('reuses named prepared statements', async () => {
    for (const id of [1, 2]) {
      const r = await c.query({ name: 'by_id', text: 'SELECT name FROM items WHERE id = $1', values: [id] });
      expect(r.rows.length).to.equal(1);
    }
  });

  it('reports errors with SQLSTATE and position, and keeps the connection usable', async () => {
    const err = await failure(c.query('SELECT nope FROM items'));
    expect(err).to.include({ code: '42703', position: '8' });
    expect(err.message).to.equal('column "nope" does not exist');
    const bad = await failure(c.query('SELECT * FROM items WHERE id = $1', ['abc']));
    expect(bad).to.include({ code: '22P02' });
    expect(bad.message).to.equal('invalid input syntax for type integer: "abc"');
    const r = await c.query('SELECT 1 AS one');
    expect(r.rows).to.deep.equal([{ one: 1 }]);
  });

  it('tracks transactions: BEGIN/COMMIT, and a failed transaction until ROLLBACK', async () => {
    await c.query('BEGIN');
    await c.query('SELECT 1');
    await c.query('COMMIT');
    await c.query('BEGIN');
    await c.query('SELECT nope').catch(() => undefined);
    const aborted = await failure(c.query('SELECT 1'));
    expect(aborted).to.include({ code: '25P02' });
    const end = await c.query('COMMIT');
    expect(end.command).to.equal('ROLLBACK');
    expect((await c.query('SELECT 2 AS two')).rows).to.deep.equal([{ two: 2 }]);
  });

  it('accepts the session statements pools and tools send', async () => {
    const tags: string[] = [];
    for (const q of ['DISCARD ALL', 'DEALLOCATE ALL', 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED',
      'BEGIN ISOLATION LEVEL SERIALIZABLE', 'ABORT', 'START TRANSACTION READ ONLY', 'END', 'UNLISTEN *']) {
      tags.push((await c.query(q)).command);
    }
    expect(tags).to.deep.equal(['DISCARD', 'DEALLOCATE', 'SET', 'BEGIN', 'ROLLBACK', 'BEGIN', 'COMMIT', 'UNLISTEN']);
    const missing = await failure(c.query('DEALLOCATE nope'));
    expect(missing).to.include({ code: '26000' });
  });

  it('reads a subscription through DECLARE and FETCH, waking on new changes', async () => {
    await c.query('CREATE TABLE ticks (n INT)');
    await c.query('INSERT INTO ticks VALUES (1)');
    await c.query('DECLARE cur CURSOR FOR SUBSCRIBE ticks');
    const first = await c.query('FETCH ALL cur');
    expect(first.rows).to.deep.equal([{ op: '+I', n: 1 }]);
    const other = pgClient(s.port);
    await other.connect();
    const waiting = c.query("FETCH ALL cur WITH (timeout = '5s')");
    await new Promise((r) => setTimeout(r, 50));
    await other.query('INSERT INTO ticks VALUES (2), (3)');
    const next = await within(waiting, 3000, 'FETCH');
    expect(next.rows).to.deep.equal([{ op: '+I', n: 2 }, { op: '+I', n: 3 }]);
    const empty = await c.query("FETCH ALL cur WITH (timeout = '10ms')");
    expect(empty.rows).to.deep.equal([]);
    await c.query('CLOSE cur');
    await other.end();
  });

  it('answers catalog queries drivers and tools send', async () => {
    const tables = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(tables.rows.map((r: { table_name: string }) => r.table_name)).to.include.members(['items', 'ticks']);
    const cols = await c.query(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", ['items']);
    expect(cols.rows.slice(0, 3)).to.deep.equal([
      { column_name: 'id', data_type: 'integer', is_nullable: 'NO' },
      { column_name: 'name', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'price', data_type: 'numeric', is_nullable: 'YES' },
    ]);
    const attrs = await c.query(
      "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON a.attrelid = c.oid WHERE c.relname = 'items' AND a.attnum > 0 ORDER BY a.attnum");
    expect(attrs.rows[5]).to.deep.equal({ attname: 'at', type: 'timestamp(3) without time zone' });
    const regclass = await c.query("SELECT 'items'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'items') AS same");
    expect(regclass.rows).to.deep.equal([{ same: true }]);
  });
});
