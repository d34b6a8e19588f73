// \timing's `Time:` line as psql prints it, and the history file kept across runs.

import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyPath, loadHistory, saveHistory } from '../../bin/repl/history.js';
import { formatTiming } from '../../bin/repl/timing.js';

describe('formatTiming', () => {
  it('prints milliseconds, and from one second on a clock reading as psql does', () => {
    expect(formatTiming(1.2344)).to.equal('Time: 1.234 ms');
    expect(formatTiming(999.9994)).to.equal('Time: 999.999 ms');
    expect(formatTiming(1234.5)).to.equal('Time: 1234.500 ms (00:01.234)');
    expect(formatTiming(61_234.5)).to.equal('Time: 61234.500 ms (01:01.234)');
    expect(formatTiming(3_723_000)).to.equal('Time: 3723000.000 ms (01:02:03.000)');
    expect(formatTiming(90_000_000)).to.equal('Time: 90000000.000 ms (1 d 01:00:00.000)');
  });
});

describe('history', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eddy-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is $EDDY_HISTORY, else ~/.eddy_history, and off when $EDDY_HISTORY is empty', () => {
    expect(historyPath({ EDDY_HISTORY: '/tmp/h' })).to.equal('/tmp/h');
    expect(historyPath({ EDDY_HISTORY: '' })).to.equal(undefined);
    expect(historyPath({})).to.match(/\.eddy_history$/);
  });

  it('saves oldest first, loads newest first (as readline keeps it), and keeps only the last lines', async () => {
    const file = join(dir, 'h');
    saveHistory(file, ['third', 'second', 'first']);
    expect(await readFile(file, 'utf8')).to.equal('first\nsecond\nthird\n');
    expect(loadHistory(file)).to.deep.equal(['third', 'second', 'first']);
    expect(loadHistory(file, 2)).to.deep.equal(['third', 'second']);
    saveHistory(file, ['c', 'b', 'a'], 2);
    expect(await readFile(file, 'utf8')).to.equal('b\nc\n');
  });

  it('treats a missing file as no history and an unwritable one as no error', () => {
    expect(loadHistory(join(dir, 'absent'))).to.deep.equal([]);
    expect(() => saveHistory(join(dir, 'no', 'such', 'dir', 'h'), ['x'])).not.to.throw();
  });
});
