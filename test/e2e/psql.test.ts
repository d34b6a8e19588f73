// psql against the server: queries, errors with a caret, COPY, and the describe
// meta-commands (\dt, \d t, \dv, \dm, \l, \dn, \df), compared as text.

import { expect } from 'chai';
import { psql, startTestServer, type TestServer } from './harness.js';

describe('e2e: psql', function () {
  this.timeout(20_000);
  let s: TestServer;

  before(async () => {
    s = await startTestServer();
    await s.engine.execute(`
      CREATE TABLE bids (auction BIGINT, bidder STRING, price DECIMAL(10, 2), ts TIMESTAMP(3), PRIMARY KEY (auction) NOT ENFORCED);
      CREATE TABLE log (line STRING);
      CREATE TABLE readings (v INT, doubled AS v * 2, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);
      CREATE VIEW cheap AS SELECT auction, price FROM bids WHERE price < 10;
      CREATE MATERIALIZED VIEW per_bidder AS SELECT bidder, count(*) AS n FROM bids GROUP BY bidder;
      INSERT INTO bids VALUES (1, 'ann', 5.50, TIMESTAMP '2026-01-01 10:00:00'), (2, 'bob', 20, TIMESTAMP '2026-01-01 10:05:00');
    `);
  });
  after(() => s.close());

  const run = async (...args: string[]): Promise<string> => {
    const r = await psql(s.port, args);
    expect(r.stderr, r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    return r.stdout;
  };

  it('runs queries in unaligned tuples-only mode', async () => {
    expect(await run('-A', '-t', '-c', 'SELECT auction, bidder, price, ts FROM bids ORDER BY auction')).to.equal(
      '1|ann|5.50|2026-01-01 10:00:00\n2|bob|20.00|2026-01-01 10:05:00\n');
  });

  it('prints aligned tables with a row count', async () => {
    expect(await run('-c', 'SELECT bidder, n FROM per_bidder ORDER BY bidder')).to.equal([
      ' bidder | n ',
      '--------+---',
      ' ann    | 1',
      ' bob    | 1',
      '(2 rows)',
      '', '',
    ].join('\n'));
  });

  it('shows errors as PostgreSQL does, with LINE and a caret', async () => {
    const r = await psql(s.port, ['-c', 'SELECT * FROM nope']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal('ERROR:  table "nope" does not exist\nLINE 1: SELECT * FROM nope\n                      ^\n');
  });

  it('places the caret in the right statement of a multi-statement string', async () => {
    const r = await psql(s.port, ['-c', 'SELECT 1; SELECT nope FROM bids']);
    expect(r.stderr).to.contain('ERROR:  column "nope" does not exist');
    expect(r.stderr).to.contain(`LINE 1: SELECT 1; SELECT nope FROM bids\n${' '.repeat(25)}^`);
  });

  it('answers version(), current_database(), current_user and SHOW', async () => {
    expect(await run('-A', '-t', '-c', 'SELECT current_database(), current_user, current_schema()')).to.equal('eddy|eddy|public\n');
    expect(await run('-A', '-t', '-c', 'SHOW server_version')).to.equal('16.0\n');
    expect(await run('-A', '-t', '-c', 'SELECT version()')).to.match(/^PostgreSQL 16\.0 \(Eddy /);
    expect(await run('-A', '-t', '-c', 'SET application_name = \'x1\'', '-c', 'SHOW application_name')).to.equal('SET\nx1\n');
  });

  it('lists tables with \\dt', async () => {
    expect(await run('-c', '\\dt')).to.equal([
      '         List of relations',
      ' Schema |   Name   | Type  | Owner ',
      '--------+----------+-------+-------',
      ' public | bids     | table | eddy',
      ' public | log      | table | eddy',
      ' public | readings | table | eddy',
      '(3 rows)',
      '', '',
    ].join('\n'));
  });

  it('lists views and materialized views with \\dv and \\dm, everything with \\d', async () => {
    expect(await run('-A', '-t', '-c', '\\dv')).to.equal('public|cheap|view|eddy\n');
    expect(await run('-A', '-t', '-c', '\\dm')).to.equal('public|per_bidder|materialized view|eddy\n');
    expect(await run('-A', '-t', '-c', '\\d')).to.equal(
      'public|bids|table|eddy\npublic|cheap|view|eddy\npublic|log|table|eddy\npublic|per_bidder|materialized view|eddy\npublic|readings|table|eddy\n');
  });

  it('describes a table with \\d name: columns, types, nullability, primary key', async () => {
    expect(await run('-c', '\\d bids')).to.equal([
      '                            Table "public.bids"',
      ' Column  |              Type              | Collation | Nullable | Default ',
      '---------+--------------------------------+-----------+----------+---------',
      ' auction | bigint                         |           | not null | ',
      ' bidder  | text                           |           |          | ',
      ' price   | numeric(10,2)                  |           |          | ',
      ' ts      | timestamp(3) without time zone |           |          | ',
      'Indexes:',
      '    "bids_pkey" PRIMARY KEY, btree (auction)',
      '', '',
    ].join('\n'));
  });

  it('describes views and materialized views, with the definition under \\d+', async () => {
    const view = await run('-c', '\\d+ cheap');
    expect(view).to.contain('View "public.cheap"');
    expect(view).to.contain(' auction | bigint');
    expect(view).to.contain('View definition:\n SELECT auction, price FROM bids WHERE price < 10;');
    expect(await run('-c', '\\d per_bidder')).to.contain('Materialized view "public.per_bidder"');
  });

  it('shows computed columns as generated, and the verbose forms of \\d', async () => {
    const out = await run('-c', '\\d readings');
    expect(out).to.contain(' doubled | integer                        |           |          | generated always as (v * 2) stored');
    const verbose = await run('-c', '\\d+ bids');
    expect(verbose).to.contain('Access method: heap');
    expect(await run('-c', '\\sv cheap')).to.equal('CREATE OR REPLACE VIEW public.cheap AS\n SELECT auction, price FROM bids WHERE price < 10\n');
    expect(await run('-c', '\\dt+')).to.contain('permanent');
  });

  it('reports an unknown relation as psql does', async () => {
    const r = await psql(s.port, ['-c', '\\d nope']);
    expect(r.stderr).to.equal('Did not find any relation named "nope".\n');
  });

  it('lists databases, schemas and functions with \\l, \\dn, \\df', async () => {
    expect(await run('-A', '-t', '-c', '\\l')).to.equal('eddy|eddy|UTF8|C.UTF-8|C.UTF-8||libc|\n');
    expect(await run('-A', '-t', '-c', '\\dn')).to.equal('public|pg_database_owner\n');
    expect(await run('-c', '\\df')).to.contain('(0 rows)');
  });

  it('copies rows in and out', async () => {
    const r = await psql(s.port, ['-c', 'COPY log FROM STDIN'], { input: 'one\ntwo\\tthree\n\\N\n' });
    expect(r.stdout).to.equal('COPY 3\n');
    expect(await run('-c', 'COPY log TO STDOUT')).to.equal('one\ntwo\\tthree\n\\N\n');
    expect(await run('-c', "COPY (SELECT auction, bidder FROM bids ORDER BY auction) TO STDOUT WITH (FORMAT csv, HEADER)"))
      .to.equal('auction,bidder\n1,ann\n2,bob\n');
  });

  it('reports a bad COPY row with its line and column', async () => {
    const r = await psql(s.port, ['-c', 'COPY bids (auction, bidder) FROM STDIN'], { input: '7\tzed\nx\tyy\n' });
    expect(r.stderr).to.equal('ERROR:  invalid input syntax for type bigint: "x"\nCONTEXT:  COPY bids, line 2, column auction: "x"\n');
  });
});
