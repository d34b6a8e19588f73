// The PostgreSQL wire-protocol server: a TCP listener whose every connection
// runs on its own, so that a misbehaving client can never take the server down.
//
//   const server = await startServer({ engine, host: '127.0.0.1', port: 5433 });
//   console.log(server.port);
//   await server.close();

import { createServer, isIP, type Server, type Socket } from 'node:net';
import { SqlError, SqlState } from '../common/errors.js';
import type { Engine } from '../executor/engine/engine.js';
import { scramSecret } from './auth-scram.js';
import { DEFAULT_MAX_MESSAGE } from './codec/frontend.js';
import { Connection, type ServerShared } from './connection.js';
import { ObjectIds } from './pg-catalog/index.js';
import type { AuthConfig } from './startup.js';

export interface ServerOptions {
  readonly engine: Engine;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 5433; 0 picks a free port. */
  readonly port?: number;
  /** With a password, clients authenticate with SCRAM-SHA-256 (or cleartext, see `authMethod`). */
  readonly password?: string;
  /** How a password is asked for; default SCRAM-SHA-256. */
  readonly authMethod?: 'scram-sha-256' | 'password';
  /** Allows a non-loopback address without a password. */
  readonly insecure?: boolean;
  /** Largest accepted message in bytes (default 64 MiB). */
  readonly maxMessage?: number;
  /** Default 1000. */
  readonly maxConnections?: number;
  /** Reported in version(). */
  readonly version?: string;
  /** Where unexpected errors are written (default stderr). */
  readonly log?: (message: string) => void;
}

export interface EddyServer {
  readonly host: string;
  readonly port: number;
  /** Connections being served now. */
  readonly connectionCount: number;
  /** Stops listening, closes every connection and its session. */
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

function authConfig(options: ServerOptions): AuthConfig {
  if (options.password === undefined || options.password === '') return { method: 'trust' };
  if (options.authMethod === 'password') return { method: 'password', password: options.password };
  return { method: 'scram-sha-256', secret: scramSecret(options.password) };
}

export async function startServer(options: ServerOptions): Promise<EddyServer> {
  const host = options.host ?? '127.0.0.1';
  const hasPassword = options.password !== undefined && options.password !== '';
  if (!isLoopback(host) && !hasPassword && !options.insecure) {
    throw new SqlError(SqlState.invalidParameterValue, `refusing to listen on ${host} without a password`, {
      hint: 'Set --password (or EDDY_PASSWORD), or pass --insecure to accept anyone who can reach this address.',
    });
  }
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const shared: ServerShared = {
    engine: options.engine,
    oids: new ObjectIds(),
    startedAt: Date.now(),
    version: options.version ?? '0.1.0',
    auth: authConfig(options),
    maxMessage: options.maxMessage ?? DEFAULT_MAX_MESSAGE,
    maxConnections: options.maxConnections ?? 1000,
    connections: new Map(),
    log,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    try {
      new Connection(socket, shared).run().catch((err: unknown) => {
        log(`connection failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        socket.destroy();
      });
    } catch (err) {
      log(`connection setup failed: ${String(err)}`);
      socket.destroy();
    }
  });
  server.maxConnections = (options.maxConnections ?? 1000) + 16;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5433, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${err.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port ?? 5433;
  return {
    host,
    port,
    get connectionCount() {
      return shared.connections.size;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
