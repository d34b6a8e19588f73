// The runner's verdicts against a scripted engine: what passes, and that wrong expectations never pass.

import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMatches, runFile, type FileOutcome } from '../../bin/slt/executor.js';
import { loadSltFile } from '../../bin/slt/loader.js';
import { runTests } from '../../bin/slt/runner.js';
import { INT, TEXT, command, fakeEnvironment, rows, sqlError, type FakeHandler } from './fake-engine.js';

let dir: string;

/** Each test gets its own folder for its .slt files. */
function useTempDir(): void {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-slt-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
}

/** A handler for a tiny world: CREATE/INSERT succeed, `SELECT 1` is one row, `nope` is missing, `1 / 0` fails. */
const world: FakeHandler = (sql) => {
  if (sql.startsWith('CREATE')) return [command('CREATE TABLE')];
  if (sql.startsWith('INSERT')) return [command('INSERT 0 2')];
  if (sql.includes('nope')) throw sqlError('42P01', 'table "nope" does not exist');
  if (sql.includes('1 / 0')) throw sqlError('22012', 'division by zero');
  if (sql === 'SELECT 1') return [rows(['x'], [INT], [[1]])];
  if (sql === 'SELECT pair') return [rows(['a', 'b'], [INT, TEXT], [[2, 'b'], [1, 'a']])];
  if (sql === 'SUBSCRIBE t') {
    const stream = { columns: [], next: async () => [], close: () => undefined, closed: false };
    return [{ kind: 'stream', columns: [], stream }];
  }
  if (sql === 'BOOM') throw new TypeError('cannot read properties of undefined');
  return [command('OK')];
};

async function run(text: string, handler: FakeHandler = world, complete = false): Promise<FileOutcome & { file: string }> {
  const file = join(dir, 'case.slt');
  await writeFile(file, text);
  const { env } = fakeEnvironment(handler);
  return runFile(await loadSltFile(file), env, { complete });
}

function expectOneFailure(outcome: FileOutcome, what: RegExp, line: number): void {
  expect(outcome.failed, JSON.stringify(outcome.failures)).to.equal(1);
  expect(outcome.passed).to.equal(0);
  expect(outcome.failures[0]!.what).to.match(what);
  expect(outcome.failures[0]!.location.line).to.equal(line);
}

describe('slt executor', () => {
  useTempDir();

  it('passes records whose expectations hold', async () => {
    const o = await run([
      'statement ok', 'CREATE TABLE t (a INT)', '',
      'statement count 2', 'INSERT INTO t VALUES (1), (2)', '',
      'statement error 42P01', 'SELECT * FROM nope', '',
      'statement error does not exist', 'SELECT * FROM nope', '',
      'query error 22012', 'SELECT 1 / 0', '',
      'query I', 'SELECT 1', '----', '1', '',
      'query IT rowsort', 'SELECT pair', '----', '1 a', '2 b', '',
      'query IT', 'SELECT pair', '----', '2 b', '1 a', '',
    ].join('\n'));
    expect(o.failures).to.deep.equal([]);
    expect(o.passed).to.equal(8);
  });

  it('fails a query whose expected output is wrong', async () => {
    const o = await run('statement ok\nCREATE TABLE t (a INT)\n\nquery I\nSELECT 1\n----\n2\n');
    expect(o.passed).to.equal(1);
    expect(o.failed).to.equal(1);
    const f = o.failures[0]!;
    expect(f.location.line).to.equal(4);
    expect(f.what).to.equal('wrong result');
    expect(f.sql).to.equal('SELECT 1');
    expect(f.expected).to.deep.equal(['2']);
    expect(f.actual).to.deep.equal(['1']);
  });

  it('fails a query expecting no rows that returns some, and one expecting rows that returns none', async () => {
    expectOneFailure(await run('query I\nSELECT 1\n'), /wrong result/, 1);
    expectOneFailure(await run('query I\nSELECT 1\n----\n1\n1\n'), /wrong result/, 1);
  });

  it('fails a query in the wrong order under nosort', async () => {
    expectOneFailure(await run('query IT\nSELECT pair\n----\n1 a\n2 b\n'), /wrong result/, 1);
  });

  it('fails statement ok when the statement errors, and shows the error', async () => {
    const o = await run('statement ok\nSELECT * FROM nope\n');
    expectOneFailure(o, /statement failed: 42P01: table "nope" does not exist/, 1);
  });

  it('fails statement error when the statement succeeds', async () => {
    expectOneFailure(await run('statement error 42P01\nCREATE TABLE t (a INT)\n'), /succeeded but an error was expected/, 1);
    expectOneFailure(await run('statement error\nCREATE TABLE t (a INT)\n'), /succeeded but an error was expected/, 1);
    expectOneFailure(await run('query error 22012\nSELECT 1\n'), /succeeded but an error was expected/, 1);
  });

  it('fails statement error when the error is a different one', async () => {
    const o = await run('statement error 22012\nSELECT * FROM nope\n');
    expectOneFailure(o, /wrong error/, 1);
    expect(o.failures[0]!.expected).to.deep.equal(['22012']);
    expect(o.failures[0]!.actual).to.deep.equal(['42P01: table "nope" does not exist']);
    expectOneFailure(await run('statement error division\nSELECT * FROM nope\n'), /wrong error/, 1);
  });

  it('never takes an engine crash (an error without SQLSTATE) for an expected error', async () => {
    expectOneFailure(await run('statement error\nBOOM\n'), /wrong error/, 1);
    expectOneFailure(await run('statement error undefined\nBOOM\n'), /wrong error/, 1);
  });

  it('fails a query with the wrong number of columns even when the text would match', async () => {
    // `SELECT pair` has two columns; written as one T column its rows would still read "2 b".
    expectOneFailure(await run('query T\nSELECT pair\n----\n2 b\n1 a\n'), /expected 1 columns \(T\), got 2/, 1);
    expectOneFailure(await run('query III\nSELECT pair\n----\n2 b\n1 a\n'), /expected 3 columns/, 1);
  });

  it('fails a wrong statement count', async () => {
    const o = await run('statement count 3\nINSERT INTO t VALUES (1), (2)\n');
    expectOneFailure(o, /wrong row count/, 1);
    expect(o.failures[0]!.actual).to.deep.equal(['2']);
  });

  it('fails a query that returns a stream or a command', async () => {
    expectOneFailure(await run('query T\nSUBSCRIBE t\n'), /stream.*CURSOR FOR SUBSCRIBE/, 1);
    expectOneFailure(await run('query T\nCREATE TABLE t (a INT)\n'), /no rows \(command CREATE TABLE\)/, 1);
  });

  it('fails a record that runs longer than the timeout and goes on with the next', async () => {
    const file = join(dir, 'slow.slt');
    await writeFile(file, 'statement ok\nSLOW\n\nstatement ok\nCREATE TABLE t (a INT)\n');
    const { env } = fakeEnvironment((sql) => (sql === 'SLOW' ? new Promise(() => undefined) : world(sql, 0)));
    const o = await runFile(await loadSltFile(file), env, { recordTimeoutMs: 50 });
    expect(o.failed).to.equal(1);
    expect(o.passed).to.equal(1);
    expect(o.failures[0]!.what).to.match(/timed out/);
  });

  it('skips records for other engines and runs onlyif eddy', async () => {
    const o = await run([
      'skipif eddy', 'statement ok', 'SELECT * FROM nope', '',
      'onlyif postgresql', 'statement ok', 'SELECT * FROM nope', '',
      'onlyif eddy', 'statement ok', 'CREATE TABLE t (a INT)', '',
      'skipif sqlite', 'query I', 'SELECT 1', '----', '1',
    ].join('\n'));
    expect([o.passed, o.failed, o.skipped]).to.deep.equal([2, 0, 2]);
  });

  it('stops at halt and counts the rest as skipped', async () => {
    const o = await run('statement ok\nCREATE TABLE t (a INT)\n\nhalt\n\nstatement ok\nSELECT * FROM nope\n\nquery I\nSELECT 1\n');
    expect([o.passed, o.failed, o.skipped]).to.deep.equal([1, 0, 2]);
    const skippedHalt = await run('onlyif postgresql\nhalt\n\nstatement ok\nCREATE TABLE t (a INT)\n');
    expect([skippedHalt.passed, skippedHalt.skipped]).to.deep.equal([1, 0]);
  });

  it('runs records on the named session until the next connection directive', async () => {
    const file = join(dir, 'c.slt');
    await writeFile(file, 'statement ok\nA\n\nconnection other\nstatement ok\nB\n\nstatement ok\nC\n\nconnection default\nstatement ok\nD\n');
    const { env, log } = fakeEnvironment(() => [command('OK')]);
    await runFile(await loadSltFile(file), env);
    expect(log.statements).to.deep.equal([
      { sql: 'A', session: 0 },
      { sql: 'B', session: 1 },
      { sql: 'C', session: 1 },
      { sql: 'D', session: 0 },
    ]);
  });

  it('restart crashes the engine and opens it again on the same data directory', async () => {
    const file = join(dir, 'r.slt');
    await writeFile(file, 'statement ok\nA\n\nrestart\n\ncheckpoint\n\nstatement ok\nB\n');
    const { env, log } = fakeEnvironment(() => [command('OK')]);
    const o = await runFile(await loadSltFile(file), env);
    expect(o.passed).to.equal(2);
    expect([log.opened, log.crashed, log.closed]).to.deep.equal([2, 1, 1]);
    expect(log.dataDirs[0]).to.equal(log.dataDirs[1]);
    // A fresh session after the restart; CHECKPOINT is sent as SQL.
    expect(log.statements.map((s) => [s.sql, s.session])).to.deep.equal([['A', 0], ['CHECKPOINT', 1], ['B', 1]]);
    // The data directory is deleted afterwards.
    expect(existsSync(log.dataDirs[0]!)).to.equal(false);
  });

  it('gives every file a fresh data directory', async () => {
    await writeFile(join(dir, 'a.slt'), 'statement ok\nA\n');
    await writeFile(join(dir, 'b.slt'), 'statement ok\nB\n');
    const { env, log } = fakeEnvironment(() => [command('OK')]);
    const lines: string[] = [];
    await runTests([dir], env, { print: (l) => lines.push(l) });
    expect(log.opened).to.equal(2);
    expect(log.dataDirs[0]).to.not.equal(log.dataDirs[1]);
    expect(lines).to.deep.equal(['2 passed, 0 failed']);
  });

  it('expands includes relative to the including file, with the included file in locations', async () => {
    await writeFile(join(dir, 'setup.slt.part'), 'statement ok\nCREATE TABLE t (a INT)\n\nstatement ok\nSELECT * FROM nope\n');
    const o = await run('include setup.slt.part\n\nquery I\nSELECT 1\n----\n1\n');
    expect([o.passed, o.failed]).to.deep.equal([2, 1]);
    expect(o.failures[0]!.location).to.deep.equal({ file: join(dir, 'setup.slt.part'), line: 4 });
  });

  it('matches errors by SQLSTATE or by message substring', () => {
    const e = sqlError('42P01', 'table "nope" does not exist');
    expect(errorMatches(e, '42P01')).to.equal(true);
    expect(errorMatches(e, 'does not exist')).to.equal(true);
    expect(errorMatches(e, '42703')).to.equal(false);
    expect(errorMatches(e, 'column')).to.equal(false);
    expect(errorMatches(e, '')).to.equal(true);
    expect(errorMatches(sqlError('XX000', 'broken invariant'), '')).to.equal(false);
    expect(errorMatches(new Error('42P01'), '42P01')).to.equal(false);
  });
});

describe('slt runner report', () => {
  useTempDir();

  it('prints file:line, the SQL, expected and actual for a failure, then the totals', async () => {
    const file = join(dir, 'r.slt');
    await writeFile(file, 'query I\nSELECT 1\n----\n2\n\nstatement ok\nCREATE TABLE t (a INT)\n\nonlyif other\nstatement ok\nX\n');
    const { env } = fakeEnvironment(world);
    const lines: string[] = [];
    const totals = await runTests([file], env, { print: (l) => lines.push(l) });
    expect(totals).to.deep.equal({ passed: 1, failed: 1, skipped: 1 });
    expect(lines).to.deep.equal([
      `${file}:1: wrong result`,
      '    SELECT 1',
      '  expected:',
      '    2',
      '  actual:',
      '    1',
      '1 passed, 1 failed, 1 skipped',
    ]);
  });

  it('counts a file that cannot be parsed as a failure with its line', async () => {
    const file = join(dir, 'bad.slt');
    await writeFile(file, 'statement ok\nSELECT 1\n\nquery Q\nSELECT 1\n');
    const { env, log } = fakeEnvironment(world);
    const lines: string[] = [];
    const totals = await runTests([file], env, { print: (l) => lines.push(l) });
    expect(totals.failed).to.equal(1);
    expect(log.opened).to.equal(0);
    expect(lines[0]).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: bad column types "Q".*cannot be parsed`));
    expect(lines[lines.length - 1]).to.equal('0 passed, 1 failed');
  });

  it('counts a missing path as a failure', async () => {
    const lines: string[] = [];
    const totals = await runTests([join(dir, 'missing.slt')], fakeEnvironment(world).env, { print: (l) => lines.push(l) });
    expect(totals.failed).to.equal(1);
    expect(lines[0]).to.match(/no such file/);
  });

  it('searches directories recursively for .slt files in sorted order, ignoring .slt.part', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'b'));
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'b', 'x.slt'), 'statement ok\nB\n');
    await writeFile(join(dir, 'a', 'y.slt'), 'statement ok\nA\n');
    await writeFile(join(dir, 'a', 'z.slt.part'), 'statement ok\nZ\n');
    const { env, log } = fakeEnvironment(() => [command('OK')]);
    const lines: string[] = [];
    await runTests([dir], env, { print: (l) => lines.push(l), verbose: true });
    expect(log.statements.map((s) => s.sql)).to.deep.equal(['A', 'B']);
    expect(lines[0]).to.equal(join(dir, 'a', 'y.slt'));
  });

  it('--complete rewrites only the result blocks and statement counts', async () => {
    const file = join(dir, 'complete.slt');
    const original = [
      '# keep this comment   ',
      'statement count 9',
      'INSERT INTO t VALUES (1), (2)',
      '',
      'query IT rowsort',
      'SELECT pair',
      '----',
      'old row',
      '',
      'query I',
      'SELECT 1',
      '',
      'query I',
      'SELECT 1',
      '----',
      '',
      'statement ok',
      'SELECT * FROM nope',
      '',
      'query I',
      'SELECT 1',
      '----',
    ].join('\n');
    await writeFile(file, original);
    const lines: string[] = [];
    const totals = await runTests([file], fakeEnvironment(world).env, { print: (l) => lines.push(l), complete: true });
    // The failing statement cannot be completed and still fails.
    expect(totals).to.deep.equal({ passed: 5, failed: 1, skipped: 0 });
    expect(await readFile(file, 'utf8')).to.equal([
      '# keep this comment   ',
      'statement count 2',
      'INSERT INTO t VALUES (1), (2)',
      '',
      'query IT rowsort',
      'SELECT pair',
      '----',
      '1 a',
      '2 b',
      '',
      'query I',
      'SELECT 1',
      '----',
      '1',
      '',
      'query I',
      'SELECT 1',
      '----',
      '1',
      '',
      'statement ok',
      'SELECT * FROM nope',
      '',
      'query I',
      'SELECT 1',
      '----',
      '1',
    ].join('\n'));
    // A second run has nothing to rewrite.
    const again: string[] = [];
    await runTests([file], fakeEnvironment(world).env, { print: (l) => again.push(l), complete: true });
    expect(again.some((l) => l.includes('rewrote'))).to.equal(false);
  });

  it('--complete removes rows when the result is empty and keeps CRLF line breaks', async () => {
    const file = join(dir, 'crlf.slt');
    await writeFile(file, 'query I\r\nSELECT none\r\n----\r\n5\r\n6\r\n\r\nquery IT\r\nSELECT pair\r\n----\r\nx\r\n');
    const handler: FakeHandler = (sql) => (sql === 'SELECT none' ? [rows(['x'], [INT], [])] : world(sql, 0));
    await runTests([file], fakeEnvironment(handler).env, { print: () => undefined, complete: true });
    expect(await readFile(file, 'utf8')).to.equal('query I\r\nSELECT none\r\n----\r\n\r\nquery IT\r\nSELECT pair\r\n----\r\n2 b\r\n1 a\r\n');
  });
});
