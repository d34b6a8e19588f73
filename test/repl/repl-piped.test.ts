// `eddy repl` with piped standard input, as a script or a person at a pipe drives it: no prompts, psql-style output, errors that do not stop it.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
const eddyJs = join(root, 'bin/eddy.js');
// History is a terminal feature; these runs must not touch the user's file either way.
const env = { ...process.env, EDDY_HISTORY: '' };
/** psql's \timing line; a slow first statement gets the clock reading too. */
const TIME_LINE = /^Time: \d+\.\d{3} ms( \(\d\d:\d\d\.\d{3}\))?$/;

describe('eddy repl (piped input)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    if (!existsSync(join(root, 'dist/bin/main.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-repl-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function repl(input: string): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [eddyJs, 'repl', '--data-dir', join(dir, 'data')], { cwd: dir, input, encoding: 'utf8', env });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  it('runs `echo "SELECT 1;" | eddy repl` without banner or prompts', () => {
    const r = repl('SELECT 1;\n');
    expect(r.stdout).to.equal([' ?column? ', '----------', '        1', '(1 row)', '', ''].join('\n'));
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });

  it('runs statements spread over lines, several on a line, and prints command tags', () => {
    const r = repl([
      'CREATE TABLE t (',
      '  id INT,',
      '  name STRING',
      ');  INSERT INTO t',
      "VALUES (1, 'ann'), (22, 'semi;colon');",
      'SELECT id, name',
      '  FROM t',
      '  ORDER BY id;',
      '',
    ].join('\n'));
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal([
      'CREATE TABLE',
      'INSERT 0 2',
      ' id |    name    ',
      '----+------------',
      '  1 | ann',
      ' 22 | semi;colon',
      '(2 rows)',
      '',
      '',
    ].join('\n'));
  });

  it('survives a bad statement: the error with LINE and a caret, then the next statement runs', () => {
    const r = repl('SELECT 1 +;\nSELECT id\n  FROM nope;\nSELECT 2 AS two;\n');
    expect(r.stderr).to.equal([
      'ERROR:  42601: syntax error at end of input',
      'LINE 1: SELECT 1 +',
      '                  ^',
      'ERROR:  42P01: table "nope" does not exist',
      'LINE 2:   FROM nope',
      '               ^',
      '',
    ].join('\n'));
    expect(r.stdout).to.equal([' two ', '-----', '   2', '(1 row)', '', ''].join('\n'));
    // A script learns that something failed; the REPL itself went on.
    expect(r.status).to.equal(1);
  });

  it('lists relations with \\d, \\dt, \\dv, \\dm and describes one with \\d NAME', () => {
    const r = repl([
      'CREATE TABLE bids (auction INT NOT NULL, price INT, PRIMARY KEY (auction) NOT ENFORCED);',
      'CREATE VIEW cheap AS SELECT auction FROM bids WHERE price < 10;',
      'CREATE MATERIALIZED VIEW top AS SELECT max(price) AS best FROM bids;',
      '\\d',
      '\\dt',
      '\\dv',
      '\\dm',
      '\\dv nothing*',
      '\\d bids',
      '\\d BIDS',
      '\\d nope',
      '',
    ].join('\n'));
    const out = r.stdout.split('\n');
    const describe = [
      '                       Table "bids"',
      '  name   | type | null |     key      | extras | watermark ',
      '---------+------+------+--------------+--------+-----------',
      ' auction | INT  | f    | PRI(auction) |        | ',
      ' price   | INT  | t    |              |        | ',
      '',
    ];
    expect(out).to.deep.equal([
      'CREATE TABLE',
      'CREATE VIEW',
      'CREATE MATERIALIZED VIEW',
      '     List of relations',
      ' Name  |       Type        ',
      '-------+-------------------',
      ' bids  | table',
      ' cheap | view',
      ' top   | materialized view',
      '(3 rows)',
      '',
      'List of relations',
      ' Name | Type  ',
      '------+-------',
      ' bids | table',
      '(1 row)',
      '',
      'List of relations',
      ' Name  | Type ',
      '-------+------',
      ' cheap | view',
      '(1 row)',
      '',
      '    List of relations',
      ' Name |       Type        ',
      '------+-------------------',
      ' top  | materialized view',
      '(1 row)',
      '',
      'Did not find any relation named "nothing*".',
      ...describe,
      ...describe,
      '',
    ]);
    expect(r.stderr).to.equal('Did not find any relation named "nope".\n');
  });

  it('toggles \\timing and prints the time after each statement', () => {
    const r = repl('\\timing\nSELECT 1 AS one;\nSELECT nope;\n\\timing off\nSELECT 2 AS two;\n');
    const out = r.stdout.split('\n');
    expect(out[0]).to.equal('Timing is on.');
    expect(out.slice(1, 6)).to.deep.equal([' one ', '-----', '   1', '(1 row)', '']);
    expect(out[6]).to.match(TIME_LINE);
    // The failed statement is timed too, as psql does.
    expect(out[7]).to.match(TIME_LINE);
    expect(out.slice(8)).to.deep.equal(['Timing is off.', ' two ', '-----', '   2', '(1 row)', '', '']);
  });

  it('runs a script with \\i, naming its file and line in errors, and goes on after them', async () => {
    await writeFile(join(dir, 'setup.sql'), 'CREATE TABLE t (x INT);\n\nINSERT INTO t\n  VALUES (oops);\nINSERT INTO t VALUES (7);\n\\ir more.sql\n');
    await writeFile(join(dir, 'more.sql'), 'SELECT x FROM t\n');
    const r = repl('\\i setup.sql\n\\i missing.sql\nSELECT count(*) AS n FROM t;\n');
    expect(r.stdout).to.equal(['CREATE TABLE', 'INSERT 0 1', ' x ', '---', ' 7', '(1 row)', '', ' n ', '---', ' 1', '(1 row)', '', ''].join('\n'));
    const err = r.stderr.split('\n');
    expect(err[0]).to.match(/^setup\.sql:3: ERROR: {2}42703: column "oops" does not exist/);
    expect(err[1]).to.equal('LINE 4:   VALUES (oops)');
    expect(err[2]).to.equal('                  ^');
    expect(err[3]).to.equal('missing.sql: No such file or directory');
  });

  it('runs an unterminated last statement at the end of input, and stops reading at \\q', () => {
    expect(repl('SELECT 5 AS five').stdout).to.equal([' five ', '------', '    5', '(1 row)', '', ''].join('\n'));
    const r = repl('SELECT 1 AS a;\n\\q\nSELECT 2 AS b;\n');
    expect(r.stdout).to.equal([' a ', '---', ' 1', '(1 row)', '', ''].join('\n'));
    expect(r.status).to.equal(0);
  });

  it('answers an unknown command as psql does and goes on', () => {
    const r = repl('\\frob\nSELECT 3 AS c;\n');
    expect(r.stderr).to.equal('invalid command \\frob\nTry \\? for help.\n');
    expect(r.stdout).to.equal([' c ', '---', ' 3', '(1 row)', '', ''].join('\n'));
  });

  it('prints \\? help', () => {
    const r = repl('\\?\n');
    expect(r.stdout).to.contain('\\d NAME');
    expect(r.stdout).to.contain('\\timing');
    expect(r.stdout).to.contain('\\q');
  });

  it('prints SUBSCRIBE changes as they come, and Ctrl-C (SIGINT) ends the subscription, not the REPL', async () => {
    const child = spawn(process.execPath, [eddyJs, 'repl', '--data-dir', join(dir, 'data')], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.end([
      'CREATE TABLE t (k STRING, v INT);',
      "INSERT INTO t VALUES ('a', 1), ('b', NULL);",
      'CREATE MATERIALIZED VIEW s AS SELECT count(*) AS n FROM t;',
      'SUBSCRIBE TO s;',
      'SELECT 42 AS after;',
      '',
    ].join('\n'));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('+I|2\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Still subscribed: the statement after it has not run.
    await new Promise((r) => setTimeout(r, 300));
    expect(stdout).not.to.contain('after');
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    expect(stderr).to.equal('');
    expect(stdout).to.equal([
      'CREATE TABLE',
      'INSERT 0 2',
      'CREATE MATERIALIZED VIEW',
      'op|n',
      '+I|2',
      '',
      ' after ',
      '-------',
      '    42',
      '(1 row)',
      '',
      '',
    ].join('\n'));
  });
});
