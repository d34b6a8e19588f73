// `eddy serve` as a process: quick start, one line saying where it listens,
// --init, clients served, a clean exit on SIGTERM, and refusal of an open address.

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgClient, within } from './harness.js';

const eddy = new URL('../../../bin/eddy.js', import.meta.url).pathname;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('e2e: eddy serve', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-e2e-serve-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // How fast it starts is a benchmark figure, not a test assertion: a loaded
  // machine must not fail the suite.
  it('prints where it listens, runs --init, serves, and stops on SIGTERM', async () => {
    const init = join(dir, 'init.sql');
    writeFileSync(init, "CREATE TABLE hello (w STRING);\nINSERT INTO hello VALUES ('world');\n");
    const child = spawn(process.execPath, [eddy, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--init', init], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      await within(new Promise<void>((resolve) => {
        const check = (): void => {
          if (out.includes('\n')) resolve();
        };
        child.stdout?.on('data', check);
      }), 30_000, 'eddy serve');
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      expect(out.split('\n').filter((l) => l !== '')).to.have.length(1);
      expect(m, out).to.not.equal(null);
      const c = pgClient(Number((m as RegExpExecArray)[1]));
      await c.connect();
      expect((await c.query('SELECT w FROM hello')).rows).to.deep.equal([{ w: 'world' }]);
      await c.end();
      child.kill('SIGTERM');
      expect(await within(exited(child), 5000, 'exit')).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a non-loopback --host without a password', async () => {
    const child = spawn(process.execPath, [eddy, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', join(dir, 'data')], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDDY_PASSWORD: '' },
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    try {
      expect(await within(exited(child), 5000, 'exit')).to.equal(2);
      expect(err).to.contain('refusing to listen on 0.0.0.0 without a password');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
