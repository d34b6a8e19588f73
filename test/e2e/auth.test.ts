// Authentication: trust on loopback, SCRAM-SHA-256 and cleartext with a
// password (28P01 when wrong), and no listening beyond loopback without one.

import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import { Engine } from '../../executor/engine/engine.js';
import { isLoopback, startServer } from '../../server/listen.js';
import { scramSecret, ScramExchange } from '../../server/auth-scram.js';
import { pgClient, psql, RawClient, startTestServer, type TestServer } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function connectError(port: number, password: string): Promise<{ code?: string; message: string }> {
  const c = pgClient(port, { password });
  try {
    await c.connect();
  } catch (e) {
    return e as { code?: string; message: string };
  } finally {
    await c.end().catch(() => undefined);
  }
  throw new Error('expected the connection to be refused');
}

describe('e2e: authentication', function () {
  this.timeout(20_000);

  describe('SCRAM-SHA-256', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ password: 's3cret' });
    });
    after(() => s.close());

    it('asks for SCRAM-SHA-256 and accepts the right password (pg and psql)', async () => {
      const raw = await RawClient.connect(s.port);
      raw.parseMessages();
      raw.write(serialize.startup({ user: 'eddy' }));
      await raw.until(() => raw.messages.length > 0);
      expect(raw.messages[0]?.name).to.equal('authenticationSASL');
      raw.close();
      const c = pgClient(s.port, { password: 's3cret' });
      await c.connect();
      expect((await c.query('SELECT 1 AS one')).rows).to.deep.equal([{ one: 1 }]);
      await c.end();
      const r = await psql(s.port, ['-A', '-t', '-c', 'SELECT 2'], { env: { PGPASSWORD: 's3cret' } });
      expect(r.stdout).to.equal('2\n');
    });

    it('refuses a wrong password with 28P01', async () => {
      const err = await connectError(s.port, 'wrong');
      expect(err.code).to.equal('28P01');
      expect(err.message).to.equal('password authentication failed for user "eddy"');
    });
  });

  describe('cleartext password', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ password: 'plain', authMethod: 'password' });
    });
    after(() => s.close());

    it('accepts the right password and refuses a wrong one', async () => {
      const c = pgClient(s.port, { password: 'plain' });
      await c.connect();
      await c.end();
      expect((await connectError(s.port, 'nope')).code).to.equal('28P01');
    });
  });

  it('checks SCRAM proofs as RFC 7677 computes them', () => {
    // The RFC 7677 example: user "user", password "pencil".
    const secret = scramSecret('pencil', 4096, Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));
    const x = new ScramExchange(secret);
    const first = x.first('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(first).to.match(/^r=rOprNGfwEbeRWgbNEkqO[^,]+,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096$/);
    expect(() => x.final('c=biws,r=wrong,p=AAAA')).to.throw('SCRAM nonce mismatch');
  });

  it('refuses a non-loopback address without a password', async () => {
    expect(isLoopback('127.0.0.1')).to.equal(true);
    expect(isLoopback('::1')).to.equal(true);
    expect(isLoopback('localhost')).to.equal(true);
    expect(isLoopback('0.0.0.0')).to.equal(false);
    expect(isLoopback('10.1.2.3')).to.equal(false);
    const dir = mkdtempSync(join(tmpdir(), 'eddy-e2e-auth-'));
    const engine = await Engine.open({ dataDir: dir });
    try {
      let refused: unknown;
      await startServer({ engine, host: '0.0.0.0', port: 0 }).catch((e: unknown) => {
        refused = e;
      });
      expect(String((refused as Error).message)).to.equal('refusing to listen on 0.0.0.0 without a password');
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
