// `eddy repl` on a pseudo-terminal (through `script`): prompts, continuation, Ctrl-C, tab completion, live SUBSCRIBE, history, Ctrl-D.

import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** What the terminal shows, without colours and cursor movements. */
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('eddy repl (terminal)', function () {
  this.timeout(90_000);
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;
  let screen = '';

  before(function () {
    if (!hasScript) this.skip();
    if (!existsSync(join(root, 'dist/bin/main.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-repl-tty-'));
    screen = '';
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Waits until the output since `from` shows `text`; returns where it ends. */
  async function waitFor(text: string, from = 0): Promise<number> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const at = plain(screen).indexOf(text, from);
      if (at >= 0) return at + text.length;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; the terminal shows:\n${plain(screen)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('is driven as a person would: multi-line input, Ctrl-C, Tab, SUBSCRIBE until Ctrl-C, history, Ctrl-D', async () => {
    const history = join(dir, 'history');
    const command = `stty cols 100 rows 30; exec ${shellQuote(process.execPath)} ${shellQuote(join(root, 'bin/eddy.js'))} repl --data-dir ${shellQuote(join(dir, 'data'))}`;
    child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...process.env, EDDY_HISTORY: history, TERM: 'xterm' } });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const type = (keys: string): void => {
      child!.stdin.write(keys);
    };

    let at = await waitFor('Type \\? for help');
    at = await waitFor('eddy=> ', at);
    type('SELECT 1 AS a,\r');
    at = await waitFor('eddy-> ', at);
    type('2 AS b;\r');
    at = await waitFor(' a | b \n---+---\n 1 | 2\n(1 row)\n\neddy=> ', at);

    // Ctrl-C at an empty prompt does not quit: it says how to.
    type('\x03');
    at = await waitFor('Use \\q to quit.\neddy=> ', at);
    // Ctrl-C in an unfinished statement drops it.
    type('SELECT nope,\r');
    at = await waitFor('eddy-> ', at);
    type('\x03');
    at = await waitFor('^C\neddy=> ', at);

    type('CREATE TABLE bids (price INT);\r');
    at = await waitFor('CREATE TABLE\neddy=> ', at);
    // Tab completes the table's name; the statement then runs.
    type('SELECT * FROM bi\t');
    at = await waitFor('SELECT * FROM bids', at);
    type(';\r');
    at = await waitFor(' price \n-------\n(0 rows)\n', at);

    type('INSERT INTO bids VALUES (5);\r');
    at = await waitFor('INSERT 0 1\neddy=> ', at);
    type('SUBSCRIBE TO bids;\r');
    at = await waitFor('(1 row)', await waitFor('SUBSCRIBE: 1 row after 1 change', at));
    type('\x03');
    at = await waitFor('SUBSCRIBE ended: 1 row after 1 change\n price \n-------\n     5\n(1 row)\n\neddy=> ', at);

    // A bad statement: the error with its caret, and the prompt again.
    type('SELECT * FROM nope;\r');
    at = await waitFor('ERROR:  42P01: table "nope" does not exist\nLINE 1: SELECT * FROM nope\n                      ^\neddy=> ', at);

    type('\x04');
    expect(await exited).to.equal(0);
    const saved = (await readFile(history, 'utf8')).split('\n');
    expect(saved).to.include.members(['SELECT 1 AS a,', '2 AS b;', 'SUBSCRIBE TO bids;', 'SELECT * FROM bids;']);
  });
});
