// The REPL in-process on a real engine, its output a (fake) terminal: SUBSCRIBE redraws the current result in place as other sessions change the data, until Ctrl-C.

import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { formatValue } from '../../common/pg-text.js';
import type { CompletionCatalog } from '../../bin/repl/completer.js';
import { Repl, type ReplSession } from '../../bin/repl/repl.js';
import type { ResultColumn } from '../../executor/engine/api.js';
import { Engine } from '../../executor/engine/engine.js';
import { Subscription } from '../../executor/engine/subscription.js';

/** Collects what is written, and says it is a terminal of a given size. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 80;
  readonly rows = 24;
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A REPL reading `input`, drawing on a fake terminal. */
function startRepl(session: ReplSession, catalog: CompletionCatalog): { repl: Repl; input: PassThrough; terminal: FakeTerminal; errors: FakeTerminal; exitCode: Promise<number> } {
  const input = new PassThrough();
  const terminal = new FakeTerminal();
  const errors = new FakeTerminal();
  const repl = new Repl({
    session,
    catalog,
    formatValue: () => (value, type) => formatValue(value, type),
    input,
    output: terminal,
    errorOutput: errors,
    historyFile: undefined,
    banner: '',
  });
  return { repl, input, terminal, errors, exitCode: repl.run() };
}

/** Ends a REPL whatever state a failed test left it in: a live subscription holds the process open. */
async function stop(r: { repl: Repl; input: PassThrough; exitCode: Promise<number> }): Promise<void> {
  r.input.end();
  for (let i = 0; i < 100; i++) {
    const settled = await Promise.race([r.exitCode.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 50))]);
    if (settled) return;
    r.repl.interrupt();
  }
}

describe('REPL live SUBSCRIBE view', function () {
  this.timeout(30_000);
  let dir: string;
  let engine: Engine;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-repl-live-'));
    engine = await Engine.open({ dataDir: dir });
  });
  afterEach(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('redraws the table on each change batch and returns to the statements after Ctrl-C', async () => {
    await engine.execute('CREATE TABLE t (k STRING, v INT)');
    await engine.execute('CREATE MATERIALIZED VIEW s AS SELECT k, sum(v) AS total FROM t GROUP BY k');
    await engine.execute("INSERT INTO t VALUES ('a', 1)");
    const r = startRepl(engine.session(), engine.catalog);
    try {
      r.input.end('SUBSCRIBE TO s;\nSELECT 1 AS next;\n');
      const frames = (): string[] => r.terminal.text.split('\x1b[J').slice(1);
      await until('the snapshot', () => frames().some((f) => f.includes(' a |     1')));
      // Another client changes the data: an update of a's total, then a new key.
      await engine.execute("INSERT INTO t VALUES ('a', 2)");
      await until('the update', () => frames().at(-1)!.includes(' a |     3'));
      await engine.execute("INSERT INTO t VALUES ('b', 10)");
      await until('the insert', () => frames().at(-1)!.includes(' b |    10'));
      expect(r.terminal.text).not.to.contain('next');

      r.repl.interrupt();
      expect(await r.exitCode).to.equal(0);
      expect(r.errors.text).to.equal('');

      const all = frames();
      // The first frame, then the cursor moving back up over its four lines for the next.
      expect(all[0]).to.equal('SUBSCRIBE: waiting for changes (Ctrl-C to stop)\n k | total \n---+-------\n(0 rows)\n\x1b[4A\r');
      // Each later frame first moves up over the one before (title, header, separator, rows, footer).
      expect(r.terminal.text).to.match(/\x1b\[4A\r\x1b\[JSUBSCRIBE: 1 row after 1 change, at \d\d:\d\d:\d\d \(Ctrl-C to stop\)\n k \| total \n---\+-------\n a \|     1\n\(1 row\)\n/);
      expect(r.terminal.text).to.match(/\x1b\[5A\r\x1b\[JSUBSCRIBE: 1 row after 3 changes, at [0-9:]+ \(Ctrl-C to stop\)\n k \| total \n---\+-------\n a \|     3\n\(1 row\)\n/);
      expect(all.at(-1)).to.equal([
        'SUBSCRIBE ended: 2 rows after 4 changes',
        ' k | total ',
        '---+-------',
        ' a |     3',
        ' b |    10',
        '(2 rows)',
        '',
        ' next ',
        '------',
        '    1',
        '(1 row)',
        '',
        '',
      ].join('\n'));
    } finally {
      await stop(r);
    }
  });

  it('ends the view by itself when the stream closes', async () => {
    const columns: ResultColumn[] = [{ name: 'op', type: { kind: 'VARCHAR', length: 2 } }, { name: 'n', type: { kind: 'INT' } }];
    const stream = new Subscription(columns);
    stream.pushSnapshot([[7]]);
    const session: ReplSession = {
      execute: async () => [{ kind: 'stream', columns, stream }],
      setting: () => undefined,
    };
    const r = startRepl(session, engine.catalog);
    try {
      r.input.end('SUBSCRIBE TO anything;\n');
      await until('the snapshot', () => r.terminal.text.includes(' 7'));
      stream.close();
      expect(await r.exitCode).to.equal(0);
      expect(r.terminal.text).to.contain('SUBSCRIBE ended: 1 row after 1 change\n n \n---\n 7\n(1 row)\n');
    } finally {
      await stop(r);
    }
  });
});
