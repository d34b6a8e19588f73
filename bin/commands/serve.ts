// `eddy serve`: the engine behind the PostgreSQL wire protocol, until SIGINT or SIGTERM.

import { readFile } from 'node:fs/promises';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { formatError } from '../format/error.js';
import { version } from '../version.js';
import type { EddyCommand } from './command.js';
import { memoryLimitOf, memoryLimitOption } from './memory-limit.js';

export const serveCommand: EddyCommand = {
  command: 'serve',
  describe: 'serve the engine over the PostgreSQL wire protocol (psql, drivers, tools)',
  builder: (y: Argv) =>
    y
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('port', { type: 'number', default: 5433, describe: 'TCP port (0: any free port)' })
      .option('data-dir', { type: 'string', default: './eddy-data', describe: 'state directory' })
      .option('init', { type: 'string', describe: 'SQL file to run once the engine is open, before accepting clients' })
      .option('password', { type: 'string', describe: 'require this password (SCRAM-SHA-256); default: $EDDY_PASSWORD, else no password on loopback' })
      .option('auth-method', { choices: ['scram-sha-256', 'password'] as const, default: 'scram-sha-256' as const, describe: 'how clients send the password' })
      .option('insecure', { type: 'boolean', default: false, describe: 'allow a non-loopback --host without a password' })
      .option('max-message', { type: 'number', default: 64 * 1024 * 1024, describe: 'largest accepted protocol message, in bytes' })
      .option('memory-limit', memoryLimitOption)
      .option('subscription-buffer', { type: 'number', default: 1_000_000, describe: 'changes buffered for a subscriber that does not read, before it is dropped' }),
  run: async (args: ArgumentsCamelCase) => {
    const host = String(args['host']);
    const port = Number(args['port']);
    const dataDir = String(args['dataDir']);
    const password = typeof args['password'] === 'string' ? args['password'] : process.env['EDDY_PASSWORD'];
    const { isLoopback, startServer } = await import('../../server/listen.js');
    if (!isLoopback(host) && (password === undefined || password === '') && args['insecure'] !== true) {
      process.stderr.write(`eddy serve: refusing to listen on ${host} without a password; set --password or EDDY_PASSWORD, or pass --insecure\n`);
      return 2;
    }
    const { Engine } = await import('../../executor/engine/engine.js');
    const engine = await Engine.open({ dataDir, subscriptionBuffer: Number(args['subscriptionBuffer']), ...memoryLimitOf(args['memoryLimit']) });
    const init = args['init'];
    if (typeof init === 'string' && init !== '') {
      let script: string;
      try {
        script = await readFile(init, 'utf8');
      } catch (err) {
        process.stderr.write(`eddy serve: cannot read ${init}: ${err instanceof Error ? err.message : String(err)}\n`);
        await engine.close();
        return 2;
      }
      try {
        await engine.execute(script);
      } catch (err) {
        process.stderr.write(`${init}: ${formatError(err, { sql: script, firstLine: 1 }).join('\n')}\n`);
        await engine.close();
        return 1;
      }
    }
    let server;
    try {
      server = await startServer({
        engine, host, port, version: version(), insecure: args['insecure'] === true,
        maxMessage: Number(args['maxMessage']),
        authMethod: args['authMethod'] === 'password' ? 'password' : 'scram-sha-256',
        ...(password !== undefined && password !== '' ? { password } : {}),
      });
    } catch (err) {
      process.stderr.write(`eddy serve: ${err instanceof Error ? err.message : String(err)}\n`);
      await engine.close();
      return 1;
    }
    const shown = host.includes(':') ? `[${host}]` : host;
    process.stdout.write(`eddy ${version()} listening on ${shown}:${server.port} (postgresql://${shown}:${server.port}/eddy), data in ${dataDir}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await engine.close();
    return 0;
  },
};
