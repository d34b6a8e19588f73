// `eddy bench nexmark`'s bookkeeping: a measured job must have read its whole input, and
// re-measured queries are merged into an earlier report without re-running the rest.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedSourceRows, inputShortfall, ROOT } from '../../bench/nexmark/queries.js';
import { mergeReports, readReport, targetMet, writeResults, type NexmarkReport } from '../../bench/nexmark/report.js';
import { measureQuery, type QueryFigures } from '../../bench/nexmark/run-query.js';

describe('nexmark harness: the input guard', function () {
  this.timeout(60_000);

  it('counts the rows of each kind by event number mod 50 (person 0, auction 1-3, bid 4-49)', () => {
    // 10,007 events: 200 whole rounds of 50, then events 0-6 of the next: one person, three auctions, three bids.
    expect(expectedSourceRows('person', 10_007)).to.equal(201);
    expect(expectedSourceRows('auction', 10_007)).to.equal(603);
    expect(expectedSourceRows('bid', 10_007)).to.equal(9203);
    // Fewer events than one round: event 0 is the person, 1-2 auctions.
    expect([expectedSourceRows('person', 3), expectedSourceRows('auction', 3), expectedSourceRows('bid', 3)]).to.deep.equal([1, 2, 0]);
    expect([expectedSourceRows('person', 50), expectedSourceRows('auction', 50), expectedSourceRows('bid', 50)]).to.deep.equal([1, 3, 46]);
    expect(expectedSourceRows('side_input', 50)).to.equal(undefined);
  });

  it('passes a job that read every row, and fails one that stopped short', () => {
    expect(inputShortfall([{ table: 'bid', rows: 920 }, { table: 'auction', rows: 60 }], 1000)).to.equal(undefined);
    // A second read of the same table must be whole too; tables that are not nexmark's are not counted.
    expect(inputShortfall([{ table: 'bid', rows: 920 }, { table: 'bid', rows: 919 }, { table: 'side', rows: 5 }], 1000))
      .to.equal('the job did not read its whole input (bid: 919 rows read, 920 expected)');
    expect(inputShortfall([{ table: 'person', rows: 21 }], 1000)).to.match(/person: 21 rows read, 20 expected/);
    expect(inputShortfall([{ table: 'side', rows: 5 }], 1000)).to.match(/read no person, auction or bid/);
    expect(inputShortfall([], 1000)).to.match(/read no person, auction or bid/);
  });

  it('records what a measured job read: q3 over 1,007 events reads 21 people and 63 auctions', async () => {
    const f = await measureQuery('q3', { events: 1007, rate: 10_000_000, seed: 0 });
    expect(f.status, f.error).to.equal('ok');
    expect(f.source_rows).to.deep.equal({ person: 21, auction: 63 });
  });
});

function figures(query: string, events: number, cpuSeconds: number, extra: Partial<QueryFigures> = {}): QueryFigures {
  return {
    query, events, status: 'ok', seconds: cpuSeconds, events_per_second: events / cpuSeconds, cpu_seconds: cpuSeconds, peak_rss_bytes: 1e8,
    state_bytes: 0, checkpoints: 0, avg_checkpoint_ms: null, correct: true, ...extra,
  };
}

function report(commit: string, command: string, queries: QueryFigures[], generator?: QueryFigures): NexmarkReport {
  return { machine: { cores: '2', cpu: 'test cpu', node: 'v20', commit, date: '2026-01-01', command }, generator, queries };
}

describe('nexmark harness: merging re-measured queries', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'eddy-nexmark-harness-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the rows of the queries measured again, keeps the others with their commit, in query order', () => {
    const old = report('aaaaaaa', 'old run', [figures('q0', 100, 1), figures('q10', 100, 2), figures('q2', 100, 3)], figures('generator', 100, 0.5));
    const fresh = report('bbbbbbb', 'new run', [figures('q2', 200, 1), figures('q1', 200, 1)]);
    const merged = mergeReports(old, fresh);
    expect(merged.queries.map((f) => [f.query, f.events, f.commit, f.command])).to.deep.equal([
      ['q0', 100, 'aaaaaaa', 'old run'],
      ['q1', 200, 'bbbbbbb', 'new run'],
      ['q2', 200, 'bbbbbbb', 'new run'],
      ['q10', 100, 'aaaaaaa', 'old run'],
    ]);
    // The fresh run measured no generator: the earlier one's stays; so it does over a longer stream than the fresh one's.
    expect(merged.generator?.commit).to.equal('aaaaaaa');
    expect(mergeReports(old, report('ccccccc', 'short run', [], figures('generator', 50, 0.1))).generator?.events).to.equal(100);
    expect(mergeReports(old, report('ccccccc', 'long run', [], figures('generator', 200, 0.1))).generator?.commit).to.equal('ccccccc');
    expect(merged.machine.commit).to.equal('bbbbbbb');
    // A merge that measured nothing keeps the earlier machine.
    expect(mergeReports(old, report('ccccccc', 'merge only', [])).machine.commit).to.equal('aaaaaaa');
  });

  it('shows the commit per row when the rows were measured at different commits, and keeps the text around the table', () => {
    const md = join(dir, 'RESULTS.md');
    writeFileSync(md, '# Results\n\n## Other\nkept above\n\n## Nexmark\n\nanalysis kept below\n');
    const one = report('aaaaaaa', 'old run', [figures('q0', 1_000_000, 2), figures('q1', 1_000_000, 1)]);
    writeResults(md, one);
    let text = readFileSync(md, 'utf8');
    expect(text).to.include('commit aaaaaaa;');
    expect(text).not.to.include('| commit |');
    // q0: 1,000,000 events in 2 CPU seconds = 500 K per CPU second, over q0's 450 K target.
    expect(text).to.match(/\| q0 \| pass-through \| 1,000,000 \| 2\.00 \| 500 K \| 500 K \| 2\.00 \| 100 \| 0 \| 0 \|  \| correct \| 450 K \| met \| 412-436 K \| 155-195 K \|/);
    writeResults(md, mergeReports(one, report('bbbbbbb', 'new run', [figures('q1', 1_000_000, 4)])));
    text = readFileSync(md, 'utf8');
    expect(text).to.include('| commit |');
    expect(text).to.match(/\| q0 \|.*\| aaaaaaa \|/);
    expect(text).to.match(/\| q1 \|.*\| 250 K \|.*\| not met \|.*\| bbbbbbb \|/);
    expect(text).to.include('Commands: `old run`; `new run`');
    expect(text.indexOf('kept above')).to.be.below(text.indexOf('| q0 |'));
    expect(text.indexOf('analysis kept below')).to.be.above(text.indexOf('| q1 |'));
    expect(text.match(/## Nexmark/g)).to.have.length(1);
  });

  it('gives no verdict on the target for a failed or wrong run, nor for a query without one', () => {
    expect(targetMet(figures('q0', 1_000_000, 1))).to.equal('met');
    expect(targetMet(figures('q0', 1_000_000, 1, { correct: false }))).to.equal('');
    expect(targetMet(figures('q0', 1_000_000, 1, { status: 'failed' }))).to.equal('');
    expect(targetMet(figures('q4', 1_000_000, 1))).to.equal('');
  });

  it('eddy bench nexmark --merge merges earlier --out files (later rows win) into --out and --write without measuring', () => {
    const first = join(dir, 'first.json');
    const second = join(dir, 'second.json');
    const out = join(dir, 'merged.json');
    const md = join(dir, 'RESULTS.md');
    writeFileSync(first, JSON.stringify(report('aaaaaaa', 'first run', [figures('q0', 100, 1), figures('q1', 100, 1)], figures('generator', 100, 0.5))));
    writeFileSync(second, JSON.stringify(report('bbbbbbb', 'second run', [figures('q1', 1000, 2)])));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/eddy.js'), 'bench', 'nexmark', '--queries', '',
      '--merge', first, '--merge', second, '--out', out, '--write', md], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const merged = readReport(out);
    expect(merged.queries.map((f) => [f.query, f.events, f.commit, f.command])).to.deep.equal([
      ['q0', 100, 'aaaaaaa', 'first run'],
      ['q1', 1000, 'bbbbbbb', 'second run'],
    ]);
    expect(merged.generator?.commit).to.equal('aaaaaaa');
    const text = readFileSync(md, 'utf8');
    expect(text).to.match(/\| q1 \|.*\| 1,000 \|.*\| bbbbbbb \|/);
    expect(text).to.include('commits aaaaaaa, bbbbbbb (per row)');
  });
});
