// `eddy run FILE.sql` through the built CLI: psql-style results, errors naming the file line, exit codes.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function eddy(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/eddy.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('eddy run (CLI)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    if (!existsSync(join(root, 'dist/bin/main.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-run-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints command tags and result tables', async () => {
    const file = join(dir, 'ok.sql');
    await writeFile(file, "CREATE TABLE t (id INT, name STRING);\nINSERT INTO t VALUES (1, 'ann');\nSELECT id, name FROM t;\n");
    const r = eddy('run', file);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal(['CREATE TABLE', 'INSERT 0 1', ' id | name ', '----+------', '  1 | ann', '(1 row)', '', ''].join('\n'));
    expect(r.status).to.equal(0);
  });

  it('stops at the first error, naming the statement line, with a caret under the position', async () => {
    const file = join(dir, 'bad.sql');
    await writeFile(file, 'CREATE TABLE t (id INT);\n\nSELECT id\n  FROM nope;\nCREATE TABLE after_error (x INT);\n');
    const r = eddy('run', file);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).to.equal(`${file}:3: ERROR:  42P01: table "nope" does not exist`);
    expect(lines[1]).to.equal('LINE 4:   FROM nope');
    expect(lines[2]).to.equal(`${' '.repeat('LINE 4:   FROM '.length)}^`);
    expect(r.stdout).to.equal('CREATE TABLE\n');
    expect(r.status).to.equal(1);
  });

  it('goes on after an error with --continue, still exiting non-zero', async () => {
    const file = join(dir, 'bad.sql');
    await writeFile(file, 'SELECT * FROM nope;\nCREATE TABLE t (id INT);\n');
    const r = eddy('run', file, '--continue');
    expect(r.stderr).to.match(/42P01/);
    expect(r.stdout).to.equal('CREATE TABLE\n');
    expect(r.status).to.equal(1);
  });

  it('keeps state in --data-dir when given', async () => {
    const file = join(dir, 'ok.sql');
    await writeFile(file, 'CREATE TABLE t (id INT);\n');
    const data = join(dir, 'data');
    const r = eddy('run', file, '--data-dir', data);
    expect(r.status).to.equal(0);
    expect(existsSync(data)).to.equal(true);
    expect(await readdir(dir)).to.include('data');
  });
});
