// The startup handshake: SSL/GSSAPI encryption requests refused with 'N',
// CancelRequest, protocol version negotiation, and authentication (trust,
// SCRAM-SHA-256, or a cleartext password).

import { timingSafeEqual } from 'node:crypto';
import { SqlState } from '../common/errors.js';
import { ScramError, ScramExchange, type ScramSecret } from './auth-scram.js';
import { Backend, REFUSE_ENCRYPTION } from './codec/backend.js';
import { decodePassword, decodeSaslInitial, type FrontendMessage } from './codec/frontend.js';
import type { Connection } from './connection.js';
import { FatalError } from './errors.js';

export type AuthConfig =
  | { readonly method: 'trust' }
  | { readonly method: 'scram-sha-256'; readonly secret: ScramSecret }
  | { readonly method: 'password'; readonly password: string };

/**
 * Reads startup packets until the client is authenticated. Returns false when
 * the connection ends here (a CancelRequest, or the client went away).
 */
export async function handshake(conn: Connection): Promise<boolean> {
  for (;;) {
    const frame = await conn.nextFrame();
    if (frame === undefined) return false;
    if (!('startup' in frame)) throw new FatalError(SqlState.protocolViolation, 'expected a startup packet');
    const s = frame.startup;
    switch (s.kind) {
      case 'SSLRequest':
      case 'GSSENCRequest':
        conn.send(REFUSE_ENCRYPTION);
        await conn.flushAndDrain();
        continue;
      case 'CancelRequest': {
        const target = conn.shared.connections.get(s.pid);
        // A wrong key is ignored without a word, as PostgreSQL does.
        if (target !== undefined && target.secret === s.secret) target.cancel();
        return false;
      }
      case 'Startup': {
        if (s.major !== 3) {
          throw new FatalError('0A000', `unsupported frontend protocol ${s.major}.${s.minor}: server supports 3.0 to 3.0`);
        }
        const unsupported = [...s.params.keys()].filter((k) => k.startsWith('_pq_.'));
        if (s.minor > 0 || unsupported.length > 0) conn.send(Backend.negotiateProtocolVersion(0, unsupported));
        const user = s.params.get('user');
        if (user === undefined || user === '') throw new FatalError('28000', 'no PostgreSQL user name specified in startup packet');
        if (conn.shared.connections.size >= conn.shared.maxConnections) {
          throw new FatalError('53300', 'sorry, too many clients already');
        }
        conn.user = user;
        conn.database = s.params.get('database') || user;
        conn.startupParams = s.params;
        await authenticate(conn);
        return true;
      }
    }
  }
}

async function expectPassword(conn: Connection): Promise<Buffer> {
  await conn.flushAndDrain();
  const m: FrontendMessage | undefined = await conn.nextMessage();
  if (m === undefined) throw new FatalError(SqlState.protocolViolation, 'the client closed the connection during authentication');
  if (m.kind !== 'Password') throw new FatalError(SqlState.protocolViolation, `expected password response, got message type ${m.kind}`);
  return m.body;
}

function authFailed(user: string): FatalError {
  return new FatalError(SqlState.invalidPassword, `password authentication failed for user "${user}"`);
}

async function authenticate(conn: Connection): Promise<void> {
  const auth = conn.shared.auth;
  switch (auth.method) {
    case 'trust':
      return;
    case 'password': {
      conn.send(Backend.authenticationCleartextPassword());
      const given = Buffer.from(decodePassword(await expectPassword(conn)));
      const expected = Buffer.from(auth.password);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw authFailed(conn.user);
      return;
    }
    case 'scram-sha-256': {
      conn.send(Backend.authenticationSasl(['SCRAM-SHA-256']));
      const initial = decodeSaslInitial(await expectPassword(conn));
      if (initial.mechanism !== 'SCRAM-SHA-256') {
        throw new FatalError(SqlState.protocolViolation, `client selected an invalid SASL authentication mechanism "${initial.mechanism}"`);
      }
      const exchange = new ScramExchange(auth.secret);
      try {
        conn.send(Backend.authenticationSaslContinue(exchange.first(initial.data.toString('utf8'))));
        const final = (await expectPassword(conn)).toString('utf8');
        conn.send(Backend.authenticationSaslFinal(exchange.final(final)));
      } catch (err) {
        if (err instanceof ScramError) {
          if (err.kind === 'wrong-password') throw authFailed(conn.user);
          throw new FatalError(SqlState.protocolViolation, err.message);
        }
        throw err;
      }
      return;
    }
  }
}
