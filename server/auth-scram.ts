// SCRAM-SHA-256 (RFC 5802 / RFC 7677), server side, without channel binding.
//
//   client-first  n,,n=user,r=<client nonce>
//   server-first  r=<client nonce><server nonce>,s=<salt>,i=<iterations>
//   client-final  c=biws,r=<nonce>,p=<proof>
//   server-final  v=<server signature>

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** What the server keeps about a password: never the password itself. */
export interface ScramSecret {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Derives the verifier of `password` (PostgreSQL's default of 4096 iterations). */
export function scramSecret(password: string, iterations = 4096, salt: Buffer = randomBytes(16)): ScramSecret {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** Why a SCRAM exchange failed: a malformed message (08P01) or a wrong password (28P01). */
export class ScramError extends Error {
  constructor(readonly kind: 'malformed' | 'wrong-password', message: string) {
    super(message);
  }
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) continue;
    out.set(part[0] as string, part.slice(2));
  }
  return out;
}

/** One SCRAM exchange: `first` answers the client-first message, `final` checks the proof. */
export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2Header = '';

  constructor(private readonly secret: ScramSecret) {}

  /** The server-first message for the client-first message. */
  first(clientFirst: string): string {
    // gs2 header: "n" (no channel binding) or "y" (client could but thinks we cannot); "p=" would bind.
    const m = /^([ny]),([^,]*),(.*)$/.exec(clientFirst);
    if (!m) {
      if (clientFirst.startsWith('p=')) throw new ScramError('malformed', 'channel binding is not supported');
      throw new ScramError('malformed', 'malformed SCRAM message');
    }
    this.gs2Header = `${m[1]},${m[2]},`;
    this.clientFirstBare = m[3] as string;
    const clientNonce = attributes(this.clientFirstBare).get('r');
    if (clientNonce === undefined || clientNonce === '') throw new ScramError('malformed', 'malformed SCRAM message: no nonce');
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.serverFirst;
  }

  /** The server-final message when the proof is right; throws ScramError otherwise. */
  final(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('malformed', 'malformed SCRAM message: no proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== this.nonce) throw new ScramError('malformed', 'SCRAM nonce mismatch');
    if (attrs.get('c') !== Buffer.from(this.gs2Header).toString('base64')) {
      throw new ScramError('malformed', 'SCRAM channel binding mismatch');
    }
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.secret.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new ScramError('wrong-password', 'wrong password');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = (proof[i] as number) ^ (clientSignature[i] as number);
    if (!timingSafeEqual(sha256(clientKey), this.secret.storedKey)) throw new ScramError('wrong-password', 'wrong password');
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`;
  }
}
