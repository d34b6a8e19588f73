// Catalog queries as drivers and tools send them (pgJDBC, SQLAlchemy, psql's
// tab completion): pg_catalog joins, CASE over operators, regclass/regproc casts,
// window functions, arrays; and ParameterStatus after SET.

import { expect } from 'chai';
import type pg from 'pg';
import { serialize } from 'pg-protocol';
import { pgClient, RawClient, startTestServer, type TestServer } from './harness.js';

describe('e2e: catalog queries of drivers and tools', function () {
  this.timeout(20_000);
  let s: TestServer;
  let c: pg.Client;

  before(async () => {
    s = await startTestServer();
    await s.engine.execute(`
      CREATE TABLE orders (id BIGINT, customer STRING, total DECIMAL(12, 2), PRIMARY KEY (id) NOT ENFORCED);
      CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
    `);
    c = pgClient(s.port);
    await c.connect();
  });
  after(async () => {
    await c.end();
    await s.close();
  });

  it('answers pgJDBC getTables', async () => {
    const r = await c.query(`SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,
      CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'
        WHEN true THEN CASE WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' ELSE NULL END ELSE NULL END
        WHEN false THEN CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END
        ELSE NULL END AS TABLE_TYPE, d.description AS REMARKS
      FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c
      LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0 and d.classoid = 'pg_class'::regclass)
      WHERE c.relnamespace = n.oid AND c.relname LIKE '%'
        AND (false OR (c.relkind IN ('r','p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema')
                   OR (c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'))
      ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME`);
    expect(r.rows.map((x: { table_name: string; table_type: string }) => [x.table_name, x.table_type])).to.deep.equal([
      ['orders', 'TABLE'], ['big_orders', 'VIEW'],
    ]);
  });

  it('answers pgJDBC getColumns, with row_number() OVER', async () => {
    const r = await c.query(`SELECT n.nspname, c.relname, a.attname, a.atttypid, a.attnotnull, a.atttypmod,
        row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc
      FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)
      JOIN pg_catalog.pg_attribute a ON (a.attrelid = c.oid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)
      LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid = def.adrelid AND a.attnum = def.adnum)
      WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped AND c.relname LIKE 'orders'
      ORDER BY nspname, c.relname, attnum`);
    expect(r.rows.map((x: { attname: string; atttypid: number; attnum: string; atttypmod: number }) => [x.attname, x.atttypid, x.attnum, x.atttypmod]))
      .to.deep.equal([['id', 20, '1', -1], ['customer', 25, '2', -1], ['total', 1700, '3', (12 << 16 | 2) + 4]]);
  });

  it('answers type lookups and primary keys', async () => {
    const t = await c.query(`SELECT typinput = 'pg_catalog.array_in'::regproc AS is_array, typtype, typname FROM pg_catalog.pg_type WHERE oid = 1007`);
    expect(t.rows).to.deep.equal([{ is_array: true, typtype: 'b', typname: '_int4' }]);
    const pk = await c.query(`SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = 'orders'::regclass AND i.indisprimary`);
    expect(pk.rows).to.deep.equal([{ attname: 'id' }]);
    const kcu = await c.query(`SELECT kcu.column_name FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
      WHERE tc.table_name = 'orders' AND tc.constraint_type = 'PRIMARY KEY'`);
    expect(kcu.rows).to.deep.equal([{ column_name: 'id' }]);
  });

  it('answers what SQLAlchemy asks on connect and when reflecting', async () => {
    expect((await c.query('select pg_catalog.version()')).rows[0].version).to.match(/^PostgreSQL 16\.0/);
    expect((await c.query('select current_schema()')).rows).to.deep.equal([{ current_schema: 'public' }]);
    expect((await c.query('show standard_conforming_strings')).rows).to.deep.equal([{ standard_conforming_strings: 'on' }]);
    expect((await c.query('show transaction isolation level')).rows.length).to.equal(1);
    const names = await c.query(`SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) ORDER BY 1`);
    expect(names.rows).to.deep.equal([{ relname: 'big_orders' }, { relname: 'orders' }]);
    const viewdef = await c.query("SELECT pg_get_viewdef('big_orders'::regclass, true) AS d");
    expect(viewdef.rows[0].d).to.contain('SELECT id, total FROM orders WHERE total > 100');
  });

  it('answers psql tab completion and parameterized catalog queries', async () => {
    const r = await c.query(`SELECT pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c
      WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND substring(pg_catalog.quote_ident(c.relname),1,2)='or'
        AND pg_catalog.pg_table_is_visible(c.oid)
        AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog') LIMIT 1000`);
    expect(r.rows).to.deep.equal([{ quote_ident: 'orders' }]);
    const p = await c.query('SELECT count(*) AS n FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON a.attrelid = c.oid WHERE c.relname = $1', ['orders']);
    expect(p.rows).to.deep.equal([{ n: '3' }]);
  });

  it('reports an unknown catalog relation and function plainly', async () => {
    const err = await c.query('SELECT * FROM pg_catalog.pg_nope').catch((e: unknown) => e as { code?: string });
    expect(err).to.include({ code: '42P01' });
    const fn = await c.query('SELECT pg_catalog.pg_nope_fn()').catch((e: unknown) => e as { code?: string });
    expect(fn).to.include({ code: '42883' });
  });

  it('reports setting changes with ParameterStatus', async () => {
    const raw = await RawClient.connect(s.port);
    await raw.startup({ application_name: 'first' });
    const start = raw.messages.find((m) => m.name === 'parameterStatus' && m.parameterName === 'application_name');
    expect(start?.parameterValue).to.equal('first');
    const m = await raw.query("SET application_name = 'second'; SET TIME ZONE 'Europe/Berlin'");
    const changed = m.filter((x) => x.name === 'parameterStatus').map((x) => [x.parameterName, x.parameterValue]);
    expect(changed).to.deep.equal([['application_name', 'second'], ['TimeZone', 'Europe/Berlin']]);
    raw.write(serialize.end());
    raw.close();
  });
});
