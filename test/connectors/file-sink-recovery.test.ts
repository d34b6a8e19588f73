// The file sink's pending commit across a crash: a checkpoint that became durable publishes its files on recovery
// (if its commit was cut short), a checkpoint that never became durable publishes none of its files, and no row is
// published twice.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FileSinkWriter } from '../../connectors/filesystem/file-sink.js';
import { Engine } from '../../executor/engine/engine.js';
import { drained, filesIn, query } from './helpers.js';

const inProgress = (f: string): boolean => basename(f).startsWith('.') && f.endsWith('.inprogress');
const published = (f: string): boolean => !inProgress(f);

/** The ids in the published (or in-progress) csv files under `dir` (first column), as the files hold them, sorted. */
function publishedIds(dir: string, which: (f: string) => boolean = published): number[] {
  const ids: number[] = [];
  for (const f of filesIn(dir).filter(which)) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line !== '') ids.push(Number(line.split(',')[0]));
  }
  return ids.sort((a, b) => a - b);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** INSERT INTO src of ids `from`..`to`, spread over partitions p = id % 3. */
const insert = (from: number, to: number): string => `INSERT INTO src VALUES ${range(from, to).map((i) => `(${i}, ${i % 3})`).join(', ')}`;

describe('file sink: pending commits across a crash', function () {
  this.timeout(30_000);
  let dir: string;
  let out: string;
  let data: string;
  const commit = FileSinkWriter.prototype.commit;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-sink-recovery-'));
    out = join(dir, 'out');
    data = join(dir, 'data');
  });

  afterEach(() => {
    FileSinkWriter.prototype.commit = commit;
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(): Promise<Engine> {
    const engine = await Engine.open({ dataDir: data });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute('CREATE TABLE src (id BIGINT, p INT)');
    await engine.execute(`CREATE TABLE f (id BIGINT, p INT) PARTITIONED BY (p) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv')`);
    await engine.execute('INSERT INTO f SELECT id, p FROM src');
    return engine;
  }

  /** Takes a checkpoint that becomes durable, with the process dying before the sink publishes anything. */
  async function checkpointThenDieBeforePublish(engine: Engine): Promise<void> {
    FileSinkWriter.prototype.commit = function (): void {
      throw new Error('the process died between the durable checkpoint and the publication');
    };
    try {
      await engine.execute('CHECKPOINT');
      throw new Error('the checkpoint was expected to stop in the sink commit');
    } catch (e) {
      expect((e as Error).message).to.contain('died between');
    } finally {
      FileSinkWriter.prototype.commit = commit;
    }
    expect(engine.checkpointStore.latest()?.id, 'the checkpoint is durable').to.equal(1);
    await engine.crash();
  }

  it('publishes on recovery the files of a durable checkpoint whose commit never ran, each row once', async () => {
    let engine = await setUp();
    await engine.execute(insert(1, 30));
    await checkpointThenDieBeforePublish(engine);
    // Three partitions, each with the checkpoint's file still in progress.
    expect(filesIn(out).filter(inProgress)).to.have.length(3);
    expect(filesIn(out).filter(published)).to.deep.equal([]);

    engine = await Engine.open({ dataDir: data });
    try {
      expect(publishedIds(out), 'published as the job is restored').to.deep.equal(range(1, 30));
      await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
      await engine.execute(insert(31, 40));
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 40));
      expect(await query(engine, 'SELECT count(*), count(DISTINCT id), sum(id) FROM f')).to.deep.equal([[40, 40, 820]]);
      expect(filesIn(out).filter(inProgress)).to.deep.equal([]);
    } finally {
      await engine.close();
    }
  });

  it('finishes a commit a crash left half done, without publishing a file twice', async () => {
    let engine = await setUp();
    await engine.execute(insert(1, 30));
    await checkpointThenDieBeforePublish(engine);
    // One of the three files had been renamed when the process died.
    const [first] = filesIn(out).filter(inProgress);
    if (first === undefined) throw new Error('no file in progress');
    const name = basename(first);
    renameSync(join(out, first), join(out, dirname(first), name.slice(1, -'.inprogress'.length)));

    engine = await Engine.open({ dataDir: data });
    try {
      expect(filesIn(out).filter(published)).to.have.length(3);
      expect(publishedIds(out)).to.deep.equal(range(1, 30));
      await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 30));
    } finally {
      await engine.close();
    }
    // A second recovery from the same checkpoint (nothing new since) publishes nothing again.
    engine = await Engine.open({ dataDir: data });
    try {
      expect(publishedIds(out)).to.deep.equal(range(1, 30));
    } finally {
      await engine.crash();
    }
  });

  it('discards the files of a checkpoint that never became durable, and writes their rows once from the recovery', async () => {
    let engine = await setUp();
    await engine.execute(insert(1, 12));
    await engine.execute('CHECKPOINT');
    expect(publishedIds(out)).to.deep.equal(range(1, 12));
    await engine.execute(insert(13, 24));
    // Checkpoint 2's barrier stages 13..24; its transaction fails, so it never becomes durable.
    engine.checkpointer.fault = 'commit';
    const outcome = await engine.checkpointer.checkpoint();
    expect(outcome.status).to.equal('FAILED');
    expect(filesIn(out).filter(inProgress)).to.have.length(3);
    expect(publishedIds(out, inProgress)).to.deep.equal(range(13, 24));
    await engine.crash();

    engine = await Engine.open({ dataDir: data });
    try {
      // Recovered from checkpoint 1: the failed checkpoint's staged files are gone, unpublished; what is in
      // progress now are the files the replay of the log after checkpoint 1 writes 13..24 into (one per partition).
      expect(publishedIds(out)).to.deep.equal(range(1, 12));
      expect(filesIn(out).filter(inProgress)).to.have.length(3);
      await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
      // The input log after checkpoint 1 brought 13..24 back into the job: the next checkpoint publishes them.
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 24));
      expect(filesIn(out).filter(inProgress)).to.deep.equal([]);
    } finally {
      await engine.close();
    }
  });

  it('writes every row once from a job the last checkpoint did not cover yet, rebuilt by the recovery', async () => {
    let engine = await Engine.open({ dataDir: data });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute('CREATE TABLE src (id BIGINT, p INT)');
    await engine.execute(insert(1, 10));
    await engine.execute('CHECKPOINT');
    await engine.execute(`CREATE TABLE f (id BIGINT, p INT) PARTITIONED BY (p) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv')`);
    await engine.execute('INSERT INTO f SELECT id, p FROM src');
    await engine.execute(insert(11, 20));
    await engine.crash();

    engine = await Engine.open({ dataDir: data });
    try {
      await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 20));
    } finally {
      await engine.close();
    }
  });

  it('publishes a bounded input that ended before any checkpoint only once a checkpoint covers it', async () => {
    let engine = await Engine.open({ dataDir: data });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(`CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '300', 'rows-per-second' = '1000000',
      'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '300')`);
    await engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv')`);
    await engine.execute('INSERT INTO f SELECT id FROM g');
    await drained(engine);
    // The end of the input asks for a checkpoint (even with the interval off), whose commit publishes the rows.
    for (let i = 0; i < 500 && publishedIds(out).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(publishedIds(out)).to.deep.equal(range(1, 300));
    expect(engine.checkpointStore.latest()?.id).to.equal(1);
    // A crash now recovers from that checkpoint: the job is restored at the end of its input, not read again.
    await engine.crash();

    engine = await Engine.open({ dataDir: data });
    try {
      await drained(engine);
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 300));
    } finally {
      await engine.close();
    }
  });

  it('does not publish at the end of bounded input after a recovery, ahead of the next checkpoint', async () => {
    let engine = await Engine.open({ dataDir: data });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await engine.execute(`CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '5000', 'rows-per-second' = '20000',
      'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5000')`);
    await engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv')`);
    await engine.execute('INSERT INTO f SELECT id FROM g');
    await engine.execute('CHECKPOINT');
    await engine.crash();

    engine = await Engine.open({ dataDir: data });
    await engine.execute("SET 'execution.checkpointing.interval' = 'off'");
    await drained(engine);
    // The input ended, but what came after the checkpoint waits for the next one: a crash now must not leave it published.
    const before = publishedIds(out);
    expect(before.length).to.be.lessThan(5000);
    await engine.crash();

    engine = await Engine.open({ dataDir: data });
    try {
      await drained(engine);
      await engine.execute('CHECKPOINT');
      expect(publishedIds(out)).to.deep.equal(range(1, 5000));
    } finally {
      await engine.close();
    }
  });
});
