// `eddy test` end to end through the built CLI: the last line and the exit code that `npm test` relies on.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs from test/cli (tsx) or dist/test/cli (npm test). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

const root = repositoryRoot();

function eddy(...args: string[]): { status: number | null; lines: string[]; stdout: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/eddy.js'), ...args], { cwd: root, encoding: 'utf8' });
  const stdout = r.stdout ?? '';
  return { status: r.status, stdout, lines: stdout.trimEnd().split('\n') };
}

describe('eddy test (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  let pass: string;
  let fail: string;

  before(function () {
    if (!existsSync(join(root, 'dist/bin/main.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-cli-test-'));
    pass = join(dir, 'pass.slt');
    fail = join(dir, 'fail.slt');
    await writeFile(pass, 'statement ok\nCREATE TABLE t (a INT)\n\nquery I\nSELECT 1\n----\n1\n');
    // 1 is not 2: this record must fail whatever else is true.
    await writeFile(fail, 'query I\nSELECT 1\n----\n2\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and ends with the totals when everything passes', () => {
    const r = eddy('test', pass);
    expect(r.lines[r.lines.length - 1], r.stdout).to.equal('2 passed, 0 failed');
    expect(r.status).to.equal(0);
  });

  it('exits 1 and reports the failing record with file:line', () => {
    const r = eddy('test', fail);
    expect(r.lines[r.lines.length - 1], r.stdout).to.equal('0 passed, 1 failed');
    expect(r.lines[0]).to.equal(`${fail}:1: wrong result`);
    expect(r.status).to.equal(1);
  });

  it('runs a folder, counting every record of every file', () => {
    const r = eddy('test', dir);
    expect(r.lines[r.lines.length - 1], r.stdout).to.equal('2 passed, 1 failed');
    expect(r.status).to.equal(1);
  });

  it('counts a file that cannot be parsed as a failure', async () => {
    const bad = join(dir, 'bad.slt');
    await writeFile(bad, 'query Q\nSELECT 1\n');
    const r = eddy('test', bad);
    expect(r.lines[0]).to.match(/bad\.slt:1: bad column types/);
    expect(r.lines[r.lines.length - 1]).to.equal('0 passed, 1 failed');
    expect(r.status).to.equal(1);
  });
});
