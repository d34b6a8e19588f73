// COPY over the wire by hand: FROM STDIN in text and CSV (data cut anywhere,
// bad rows, CopyFail, the extended protocol), TO STDOUT, and a subscriber too
// slow to keep up, which is disconnected with a clear error.

import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import { Engine } from '../../executor/engine/engine.js';
import { startServer } from '../../server/listen.js';
import { names, RawClient, rows, startTestServer, within, type Msg, type TestServer } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function ready(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.startup();
  return c;
}

/** Sends a COPY FROM STDIN query, then the data in the given chunks, then CopyDone; returns the messages. */
async function copyIn(c: RawClient, sql: string, chunks: readonly string[], end: Buffer = serialize.copyDone()): Promise<Msg[]> {
  const from = c.messages.length;
  c.write(serialize.query(sql));
  await c.until(() => c.messages.slice(from).some((m) => m.name === 'copyInResponse' || m.name === 'error'));
  for (const chunk of chunks) c.write(serialize.copyData(Buffer.from(chunk)));
  c.write(end);
  return c.untilReady(from);
}

describe('e2e: COPY', function () {
  this.timeout(20_000);
  let s: TestServer;
  let c: RawClient;

  before(async () => {
    s = await startTestServer();
    await s.engine.execute('CREATE TABLE m (id INT, name STRING, amount DECIMAL(8, 2), at TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED)');
    c = await ready(s.port);
  });
  after(async () => {
    c.close();
    await s.close();
  });

  it('ingests the text format, with rows cut across CopyData messages', async () => {
    const m = await copyIn(c, 'COPY m FROM STDIN', ['1\tann\t1.50\t2026-01-01 00:00:00\n2\tb', 'ob\t\\N\t\\N\n3\ttab\\there\t3\t2026-01-0', '3 10:00:00\n']);
    expect(names(m)).to.deep.equal(['copyInResponse', 'commandComplete', 'readyForQuery']);
    expect(m[1]?.text).to.equal('COPY 3');
    expect(rows(await c.query('SELECT id, name, amount, at FROM m ORDER BY id'))).to.deep.equal([
      ['1', 'ann', '1.50', '2026-01-01 00:00:00'],
      ['2', 'bob', null, null],
      ['3', 'tab\there', '3.00', '2026-01-03 10:00:00'],
    ]);
  });

  it('ingests CSV with a header, quotes, embedded delimiters and newlines, and a column list', async () => {
    const m = await copyIn(c, 'COPY m (name, id) FROM STDIN WITH (FORMAT csv, HEADER true)', ['name,id\n"x, ""y""",10\n"two\nlines",', '11\n,12\n""', ',13\n']);
    expect(m[1]?.text).to.equal('COPY 4');
    expect(rows(await c.query('SELECT id, name FROM m WHERE id >= 10 ORDER BY id'))).to.deep.equal([
      ['10', 'x, "y"'], ['11', 'two\nlines'], ['12', null], ['13', ''],
    ]);
  });

  it('reports a bad row with SQLSTATE, line and column, and reads the rest of the data first', async () => {
    const m = await copyIn(c, 'COPY m (id, name) FROM STDIN', ['20\tok\n', 'oops\tbad\n', '22\tlater\n']);
    const err = m.find((x) => x.name === 'error');
    expect(err).to.include({ code: '22P02', message: 'invalid input syntax for type integer: "oops"', where: 'COPY m, line 2, column id: "oops"' });
    expect(rows(await c.query('SELECT count(*) FROM m WHERE id = 22'))).to.deep.equal([['0']]);
    const short = await copyIn(c, 'COPY m (id, name) FROM STDIN', ['30\n']);
    expect(short.find((x) => x.name === 'error')).to.include({ code: '22P04', message: 'missing data for column "name"' });
  });

  it('stops on CopyFail and on a table that cannot be written', async () => {
    const failed = await copyIn(c, 'COPY m FROM STDIN', ['40\tx\t1\t2026-01-01 00:00:00\n'], serialize.copyFail('client gave up'));
    expect(failed.find((x) => x.name === 'error')).to.include({ code: '57014', message: 'COPY from stdin failed: client gave up' });
    const nope = await c.query('COPY nope FROM STDIN');
    expect(nope[0]).to.include({ name: 'error', code: '42P01' });
  });

  it('works through the extended protocol', async () => {
    const from = c.messages.length;
    c.write(Buffer.concat([serialize.parse({ text: 'COPY m (id) FROM STDIN' }), serialize.bind({}), serialize.execute({}), serialize.flush()]));
    await c.until(() => c.messages.slice(from).some((m) => m.name === 'copyInResponse'));
    c.write(Buffer.concat([serialize.copyData(Buffer.from('50\n51\n')), serialize.copyDone(), serialize.sync()]));
    const m = await c.untilReady(from);
    expect(names(m)).to.deep.equal(['parseComplete', 'bindComplete', 'copyInResponse', 'commandComplete', 'readyForQuery']);
    expect(m[3]?.text).to.equal('COPY 2');
  });

  it('exports tables and queries as text and CSV', async () => {
    const m = await c.query("COPY (SELECT id, name FROM m WHERE id IN (1, 2, 11) ORDER BY id) TO STDOUT WITH (FORMAT csv)");
    expect(names(m)).to.deep.equal(['copyOutResponse', 'copyData', 'copyData', 'copyData', 'copyDone', 'commandComplete', 'readyForQuery']);
    expect(m.filter((x) => x.name === 'copyData').map((x) => (x.chunk as Buffer).toString()).join('')).to.equal('1,ann\n2,bob\n11,"two\nlines"\n');
    expect(m[5]?.text).to.equal('COPY 3');
    const text = await c.query('COPY m (id, amount) TO STDOUT');
    expect(text.filter((x) => x.name === 'copyData').length).to.be.greaterThan(5);
  });
});

describe('e2e: a slow subscriber', function () {
  this.timeout(20_000);

  it('is disconnected with 53200 once its subscription outgrows the bound; others are unaffected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-e2e-slow-'));
    const engine = await Engine.open({ dataDir: dir, subscriptionBuffer: 2_000 });
    const log: string[] = [];
    const server = await startServer({ engine, port: 0, log: (m) => log.push(m) });
    try {
      await engine.execute('CREATE TABLE firehose (n INT, pad STRING)');
      const slow = await ready(server.port);
      const from = slow.messages.length;
      slow.write(serialize.query('COPY (SUBSCRIBE firehose) TO STDOUT'));
      await slow.until(() => slow.messages.slice(from).some((m) => m.name === 'copyOutResponse'));
      slow.socket.pause();
      const pad = 'x'.repeat(200);
      const fast = await ready(server.port);
      // Insert in small batches so a reading client would keep up; this one does not read.
      await within((async () => {
        // Until the server lets the slow client go (only the fast one is left).
        for (let i = 0; server.connectionCount > 1; i++) {
          const values = Array.from({ length: 250 }, (_, j) => `(${i * 250 + j}, '${pad}')`).join(', ');
          await engine.execute(`INSERT INTO firehose VALUES ${values}`);
          await new Promise((r) => setImmediate(r));
        }
      })(), 15_000, 'inserts');
      slow.socket.resume();
      await slow.closedWithin(5000);
      const err = slow.messages.find((m) => m.name === 'error');
      expect(err).to.include({ code: '53200', severity: 'FATAL', message: 'subscription dropped: the client fell too far behind' });
      expect(rows(await fast.query('SELECT count(*) > 0 FROM firehose'))).to.deep.equal([['t']]);
      fast.close();
      expect(log).to.deep.equal([]);
    } finally {
      await server.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
