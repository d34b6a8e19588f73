// `eddy fmt` end to end through the built CLI: formatted statements on stdout, positioned syntax errors on stderr, exit codes.

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

function eddyFmt(file: string, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/eddy.js'), 'fmt', file], {
    cwd: root, encoding: 'utf8', ...(input === undefined ? {} : { input }),
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('eddy fmt (CLI)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    if (!existsSync(join(root, 'dist/bin/main.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-fmt-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints every statement formatted, each ending with ; and separated by a blank line', async () => {
    const file = join(dir, 'good.sql');
    await writeFile(file, "select a,b from t where x=1;\n-- a comment\ncreate table t (a int) with ('connector'='x');\nshow tables\n");
    const r = eddyFmt(file);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal([
      'SELECT a, b',
      'FROM t',
      'WHERE x = 1;',
      '',
      'CREATE TABLE t (',
      '  a INT',
      ')',
      'WITH (',
      "  'connector' = 'x'",
      ');',
      '',
      'SHOW TABLES;',
      '',
    ].join('\n'));
    expect(r.status).to.equal(0);
  });

  it('formats its own output to the same text', async () => {
    const file = join(dir, 'again.sql');
    await writeFile(file, 'select * from (select a from t) x where a in (select b from u) union all select 1;\n');
    const first = eddyFmt(file);
    await writeFile(file, first.stdout);
    const second = eddyFmt(file);
    expect(second.stdout).to.equal(first.stdout);
    expect(second.status).to.equal(0);
  });

  it('reports every syntax error as FILE:LINE:COL and exits 1', async () => {
    const file = join(dir, 'bad.sql');
    await writeFile(file, 'select 1;\nselect a from;\nselect (2;\n');
    const r = eddyFmt(file);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.equal([
      `${file}:2:14: syntax error at or near ";"`,
      `${file}:3:10: syntax error at or near ";"`,
      '',
    ].join('\n'));
    expect(r.status).to.equal(1);
  });

  it('reads standard input for - and names it <stdin> in errors', () => {
    const good = eddyFmt('-', 'select 1');
    expect(good.stdout).to.equal('SELECT 1;\n');
    expect(good.status).to.equal(0);
    const bad = eddyFmt('-', 'select\n  1 +;');
    expect(bad.stderr).to.equal('<stdin>:2:6: syntax error at or near ";"\n');
    expect(bad.status).to.equal(1);
  });

  it('fails on a file that cannot be read', () => {
    const r = eddyFmt(join(dir, 'missing.sql'));
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^eddy fmt: cannot read .*missing\.sql/);
    expect(r.status).to.equal(2);
  });
});
