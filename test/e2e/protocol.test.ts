// The protocol by hand: encryption requests, version negotiation, framing
// (split and coalesced writes), bad input that must close only its own
// connection, cancel keys, disconnects, and the extended protocol's details.

import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import { binaryRows, names, RawClient, rows, startTestServer, within, type Msg, type TestServer } from './harness.js';

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** A startup-phase packet: length, then a code and its body. */
function packet(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([int32(8 + body.length), int32(code), body]);
}

function startupPacket(major: number, minor: number, params: Record<string, string>): Buffer {
  const pairs = Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join('');
  return packet((major << 16) | minor, Buffer.from(`${pairs}\0`));
}

async function ready(s: TestServer): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  await c.startup();
  return c;
}

function keyOf(messages: readonly Msg[]): { pid: number; secret: number } {
  const k = messages.find((m) => m.name === 'backendKeyData') as Msg;
  return { pid: k.processID as number, secret: k.secretKey as number };
}

async function sendCancel(port: number, pid: number, secret: number): Promise<void> {
  const c = await RawClient.connect(port);
  c.write(packet(80877102, Buffer.concat([int32(pid), int32(secret)])));
  await c.closedWithin(2000);
}

describe('e2e: protocol', function () {
  this.timeout(20_000);
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ maxMessage: 1024 * 1024 });
    await s.engine.execute('CREATE TABLE t (k INT, v STRING); INSERT INTO t VALUES (1, \'a\'), (2, \'b\'), (3, \'c\')');
  });
  after(() => s.close());

  afterEach(() => {
    expect(s.log, 'unexpected server errors').to.deep.equal([]);
  });

  describe('startup', () => {
    it('answers SSLRequest and GSSENCRequest with N, then accepts a startup', async () => {
      const c = await RawClient.connect(s.port);
      c.write(packet(80877103));
      await c.until(() => c.raw.length >= 1);
      expect(c.raw.toString()).to.equal('N');
      c.raw = Buffer.alloc(0);
      c.write(packet(80877104));
      await c.until(() => c.raw.length >= 1);
      expect(c.raw.toString()).to.equal('N');
      c.raw = Buffer.alloc(0);
      const m = await c.startup();
      expect(names(m)).to.include.members(['authenticationOk', 'parameterStatus', 'backendKeyData', 'readyForQuery']);
      const statuses = Object.fromEntries(m.filter((x) => x.name === 'parameterStatus').map((x) => [x.parameterName, x.parameterValue]));
      expect(statuses).to.include({
        server_version: '16.0', server_encoding: 'UTF8', client_encoding: 'UTF8', DateStyle: 'ISO, MDY',
        integer_datetimes: 'on', standard_conforming_strings: 'on', TimeZone: 'UTC',
      });
      c.close();
    });

    it('negotiates protocol 3.0 for a newer minor version and _pq_ options', async () => {
      const c = await RawClient.connect(s.port);
      c.parseMessages();
      c.write(startupPacket(3, 2, { user: 'eddy', '_pq_.x': 'y' }));
      await c.untilReady();
      const v = c.frames.find((f) => f.type === 'v');
      expect(v, 'NegotiateProtocolVersion').to.not.equal(undefined);
      expect((v as { body: Buffer }).body.readInt32BE(0)).to.equal(0);
      expect((v as { body: Buffer }).body.readInt32BE(4)).to.equal(1);
      c.close();
    });

    it('rejects protocol 2 and an oversized startup packet, and keeps serving', async () => {
      const old = await RawClient.connect(s.port);
      old.parseMessages();
      old.write(startupPacket(2, 0, { user: 'eddy' }));
      await old.closedWithin();
      expect(old.messages[0]).to.include({ name: 'error', code: '0A000' });
      const big = await RawClient.connect(s.port);
      big.parseMessages();
      big.write(int32(20_000));
      await big.closedWithin();
      expect(big.messages[0]).to.include({ name: 'error', code: '08P01' });
      const ok = await ready(s);
      expect(rows(await ok.query('SELECT 1'))).to.deep.equal([['1']]);
      ok.close();
    });
  });

  describe('framing', () => {
    it('reads messages split into single bytes', async () => {
      const c = await RawClient.connect(s.port);
      c.parseMessages();
      const bytes = Buffer.concat([serialize.startup({ user: 'eddy', database: 'eddy' }), serialize.query('SELECT k FROM t ORDER BY k')]);
      for (const b of bytes) {
        c.write(Buffer.from([b]));
        await new Promise((r) => setImmediate(r));
      }
      await c.until(() => c.messages.filter((m) => m.name === 'readyForQuery').length === 2);
      expect(rows(c.messages)).to.deep.equal([['1'], ['2'], ['3']]);
      c.close();
    });

    it('answers many messages coalesced into one write, in order', async () => {
      const c = await ready(s);
      const from = c.messages.length;
      c.write(Buffer.concat([
        serialize.parse({ text: 'SELECT v FROM t WHERE k = $1' }),
        serialize.bind({ values: ['2'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
        serialize.query('SELECT 10; SELECT 20'),
      ]));
      await c.until(() => c.messages.filter((m, i) => i >= from && m.name === 'readyForQuery').length === 2);
      expect(names(c.messages.slice(from))).to.deep.equal([
        'parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery',
        'rowDescription', 'dataRow', 'commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery',
      ]);
      expect(rows(c.messages.slice(from))).to.deep.equal([['b'], ['10'], ['20']]);
      c.close();
    });

    it('closes a connection that announces an oversized message, while another keeps working', async () => {
      const other = await ready(s);
      const c = await ready(s);
      c.write(Buffer.concat([Buffer.from('Q'), int32(50 * 1024 * 1024)]));
      await c.closedWithin();
      const err = c.messages.find((m) => m.name === 'error');
      expect(err).to.include({ code: '08P01', severity: 'FATAL' });
      expect(rows(await other.query('SELECT count(*) FROM t'))).to.deep.equal([['3']]);
      other.close();
    });

    it('survives garbage: closes that connection only', async () => {
      const other = await ready(s);
      for (const junk of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]) {
        const c = await RawClient.connect(s.port);
        c.write(junk);
        await c.closedWithin();
      }
      const afterStartup = await ready(s);
      afterStartup.write(Buffer.from([0x7a, 0, 0, 0, 4]));
      await afterStartup.closedWithin();
      // A Bind whose counts run past its end.
      const badBind = await ready(s);
      badBind.write(Buffer.concat([Buffer.from('B'), int32(10), Buffer.from([0, 0, 0x7f, 0xff, 0, 0])]));
      await badBind.closedWithin();
      expect(badBind.messages.find((m) => m.name === 'error')).to.include({ code: '08P01' });
      expect(rows(await other.query('SELECT 42'))).to.deep.equal([['42']]);
      other.close();
    });
  });

  describe('simple query', () => {
    it('sends one result per statement and stops at the first error', async () => {
      const c = await ready(s);
      const m = await c.query("SELECT 1; CREATE TABLE x1 (a INT); SELECT nope; SELECT 2");
      expect(names(m)).to.deep.equal(['rowDescription', 'dataRow', 'commandComplete', 'commandComplete', 'error', 'readyForQuery']);
      expect(m[4]).to.include({ code: '42703', position: '43' });
      expect(names(await c.query(''))).to.deep.equal(['emptyQuery', 'readyForQuery']);
      expect(names(await c.query(' ; -- nothing'))).to.deep.equal(['emptyQuery', 'readyForQuery']);
      c.close();
    });

    it('reports transaction status I, T and E', async () => {
      const c = await ready(s);
      const status = (m: Msg[]): string => (m[m.length - 1] as Msg).status as string;
      expect(status(await c.query('SELECT 1'))).to.equal('I');
      expect(status(await c.query('BEGIN'))).to.equal('T');
      expect(status(await c.query('SELECT nope'))).to.equal('E');
      const ignored = await c.query('SELECT 1');
      expect(ignored[0]).to.include({ code: '25P02' });
      expect(status(ignored)).to.equal('E');
      expect(status(await c.query('ROLLBACK'))).to.equal('I');
      c.close();
    });
  });

  describe('extended protocol', () => {
    it('describes a statement: parameter types and result columns', async () => {
      const c = await ready(s);
      const from = c.messages.length;
      c.write(Buffer.concat([
        serialize.parse({ name: 'q', text: 'SELECT k, v FROM t WHERE k > $1 AND v <> $2' }),
        serialize.describe({ type: 'S', name: 'q' }),
        serialize.sync(),
      ]));
      const m = await c.untilReady(from);
      expect(names(m)).to.deep.equal(['parseComplete', 'parameterDescription', 'rowDescription', 'readyForQuery']);
      expect(m[1]?.dataTypeIDs).to.deep.equal([23, 25]);
      c.close();
    });

    it('executes with a row limit: PortalSuspended, then the rest', async () => {
      const c = await ready(s);
      const from = c.messages.length;
      c.write(Buffer.concat([
        serialize.parse({ text: 'SELECT k FROM t ORDER BY k' }),
        serialize.bind({ portal: 'p' }),
        serialize.execute({ portal: 'p', rows: 2 }),
        serialize.execute({ portal: 'p', rows: 2 }),
        serialize.sync(),
      ]));
      const m = await c.untilReady(from);
      expect(names(m)).to.deep.equal([
        'parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended', 'dataRow', 'commandComplete', 'readyForQuery',
      ]);
      expect(m[6]?.text).to.equal('SELECT 1');
      c.close();
    });

    it('skips to Sync after an error and sends exactly one ReadyForQuery', async () => {
      const c = await ready(s);
      const from = c.messages.length;
      c.write(Buffer.concat([
        serialize.parse({ text: 'SELECT nope FROM t' }),
        serialize.bind({}),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
        serialize.parse({ text: 'SELECT 7' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.sync(),
      ]));
      await c.until(() => c.messages.filter((m, i) => i >= from && m.name === 'readyForQuery').length === 2);
      expect(names(c.messages.slice(from))).to.deep.equal([
        'error', 'readyForQuery', 'parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery',
      ]);
      c.close();
    });

    it('takes binary parameters and sends binary results', async () => {
      const c = await ready(s);
      const from = c.frames.length;
      const param = Buffer.alloc(8);
      param.writeBigInt64BE(2n);
      c.write(Buffer.concat([
        serialize.parse({ text: 'SELECT k, v, CAST(k AS DOUBLE) / 4 AS q, k > 1 AS big FROM t WHERE k = $1', types: [20] }),
        serialize.bind({ values: [param], binary: true }),
        serialize.execute({}),
        serialize.sync(),
      ]));
      await c.untilReady(c.messages.length - 0);
      const [row] = binaryRows(c, from);
      expect(row?.[0]?.readInt32BE(0)).to.equal(2);
      expect(row?.[1]?.toString()).to.equal('b');
      expect(row?.[2]?.readDoubleBE(0)).to.equal(0.5);
      expect(row?.[3]?.[0]).to.equal(1);
      c.close();
    });

    it('rejects a Bind with the wrong number of parameters', async () => {
      const c = await ready(s);
      const from = c.messages.length;
      c.write(Buffer.concat([serialize.parse({ text: 'SELECT $1::int' }), serialize.bind({ values: [] }), serialize.sync()]));
      const m = await c.untilReady(from);
      expect(m[1]).to.include({ name: 'error', code: '08P01' });
      c.close();
    });
  });

  describe('cancel and disconnect', () => {
    it('cancels a blocking FETCH with the right key and ignores a wrong one', async () => {
      const c = await RawClient.connect(s.port);
      const key = keyOf(await c.startup());
      await c.query('DECLARE cur CURSOR FOR SUBSCRIBE t WITH (SNAPSHOT = false)');
      const from = c.messages.length;
      c.write(serialize.query("FETCH ALL cur WITH (timeout = '10s')"));
      await new Promise((r) => setTimeout(r, 100));
      await sendCancel(s.port, key.pid, key.secret + 1);
      await new Promise((r) => setTimeout(r, 200));
      expect(c.messages.length).to.equal(from);
      await sendCancel(s.port, key.pid, key.secret);
      const m = await c.untilReady(from, 3000);
      expect(m[0]).to.include({ name: 'error', code: '57014', message: 'canceling statement due to user request' });
      expect(rows(await c.query('SELECT 5'))).to.deep.equal([['5']]);
      c.close();
    });

    it('cancels COPY (SUBSCRIBE ...) TO STDOUT after streaming changes', async () => {
      const c = await RawClient.connect(s.port);
      const key = keyOf(await c.startup());
      const jobs = s.engine.jobs.size;
      const from = c.messages.length;
      await s.engine.execute("CREATE TABLE feed (k INT, v STRING); INSERT INTO feed VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      c.write(serialize.query('COPY (SUBSCRIBE (SELECT k, v FROM feed WHERE k > 1)) TO STDOUT'));
      await c.until(() => c.messages.filter((m) => m.name === 'copyData').length === 2);
      expect(s.engine.jobs.size).to.equal(jobs + 1);
      await s.engine.execute("INSERT INTO feed VALUES (9, 'z')");
      await c.until(() => c.messages.filter((m) => m.name === 'copyData').length === 3);
      await sendCancel(s.port, key.pid, key.secret);
      const m = await c.untilReady(from);
      expect(names(m)[0]).to.equal('copyOutResponse');
      const data = m.filter((x) => x.name === 'copyData').map((x) => (x.chunk as Buffer).toString());
      expect(data).to.deep.equal(['+I\t2\tb\n', '+I\t3\tc\n', '+I\t9\tz\n']);
      expect(m[m.length - 2]).to.include({ name: 'error', code: '57014' });
      expect(s.engine.jobs.size).to.equal(jobs);
      c.close();
    });

    it('cleans up after clients that vanish mid-query and mid-subscription', async () => {
      const baseline = s.server.connectionCount;
      const jobs = s.engine.jobs.size;
      const fetching = await ready(s);
      await fetching.query('DECLARE c2 CURSOR FOR SUBSCRIBE (SELECT k FROM t) WITH (SNAPSHOT = false)');
      fetching.write(serialize.query("FETCH ALL c2 WITH (timeout = '30s')"));
      const streaming = await ready(s);
      streaming.write(serialize.query('COPY (SUBSCRIBE (SELECT v FROM t)) TO STDOUT'));
      await streaming.until(() => streaming.messages.some((m) => m.name === 'copyData'));
      expect(s.engine.jobs.size).to.equal(jobs + 2);
      fetching.close();
      streaming.close();
      await within((async () => {
        while (s.server.connectionCount !== baseline || s.engine.jobs.size !== jobs) await new Promise((r) => setTimeout(r, 20));
      })(), 3000, 'cleanup');
      const c = await ready(s);
      expect(rows(await c.query('SELECT count(*) FROM t'))).to.deep.equal([['3']]);
      c.close();
    });

    it('serves 200 connections at once, each with its own session', async () => {
      const clients = await Promise.all(Array.from({ length: 200 }, () => ready(s)));
      const results = await Promise.all(clients.map((c, i) => c.query(`SET application_name = 'c${i}'; SHOW application_name`)));
      results.forEach((m, i) => expect(rows(m)).to.deep.equal([[`c${i}`]]));
      expect(s.server.connectionCount).to.be.at.least(200);
      for (const c of clients) c.close();
    });
  });
});
