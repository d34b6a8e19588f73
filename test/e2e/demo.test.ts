// The demo `npm start` serves (demo/demo.sql): its views fill from the generated bids, and starting again on the same directory works.

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pgClient, within } from './harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const eddy = join(root, 'bin/eddy.js');
const demo = join(root, 'demo/demo.sql');

interface Served {
  readonly child: ChildProcess;
  readonly port: number;
}

async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [eddy, 'serve', '--port', '0', '--data-dir', dataDir, '--init', demo], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const port = await within(new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`eddy serve exited with ${String(code)}: ${err}`)));
  }), 15_000, 'eddy serve --init demo/demo.sql').catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  return { child, port };
}

async function stop(s: Served): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  try {
    return await within(exited, 10_000, 'exit');
  } finally {
    s.child.kill('SIGKILL');
  }
}

/** Runs `sql` until it returns rows, at most `tries` times 200 ms apart. */
async function rowsOf(c: pg.Client, sql: string, tries = 75): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < tries; i++) {
    const r = await c.query(sql);
    if (r.rows.length > 0) return r.rows as Record<string, unknown>[];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return [];
}

describe('e2e: the npm start demo', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-e2e-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves views over generated bids, and its init script runs again on the same directory', async () => {
    for (const round of [1, 2]) {
      const s = await serve(join(dir, 'data'));
      const c = pgClient(s.port);
      let code: number | null = null;
      try {
        await c.connect();
        const prices = await rowsOf(c, 'SELECT auction, bids, best FROM auction_prices ORDER BY auction');
        expect(prices, `round ${round}: auction_prices`).to.not.deep.equal([]);
        for (const r of prices) {
          expect(Number(r['auction'])).to.be.within(1, 5);
          expect(Number(r['bids'])).to.be.above(0);
          expect(Number(r['best'])).to.be.within(1, 100);
        }
        const hot = await rowsOf(c, 'SELECT auction, bids FROM hot_auctions');
        expect(hot.length, `round ${round}: hot_auctions`).to.be.within(1, 3);
      } finally {
        await c.end().catch(() => {});
        code = await stop(s);
      }
      expect(code, `round ${round}: exit code`).to.equal(0);
    }
  });
});
