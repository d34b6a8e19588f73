// filesystem: round trips through csv, json and arrow files, partitions, offsets and resume, continuous mode, bad rows, two-phase commits.

import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../../common/value.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import { ConnectorSinkOperator } from '../../connectors/sink-operator.js';
import { ChangeBatch } from '../../executor/change.js';
import { drained, expectError, filesIn, openEngine, query, type TestEngine } from './helpers.js';

const COLUMNS = 'id BIGINT, name STRING, price DECIMAL(10, 2), ts TIMESTAMP(3), ok BOOLEAN, score DOUBLE, day DATE';

/** Rows with what text formats find hard: NULLs, empty strings, delimiters, quotes, newlines, unicode. */
const VALUES = `(1, 'plain', 1.50, TIMESTAMP '2015-07-15 00:00:00.001', true, 0.25, DATE '2015-07-15'),
  (2, '', -3.00, TIMESTAMP '1999-12-31 23:59:59.999', false, -1e10, DATE '1970-01-01'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'a,b "quoted"', 0.01, TIMESTAMP '2024-02-29 12:00:00', true, 3.5, DATE '2024-02-29'),
  (5, 'two
lines', 99999999.99, TIMESTAMP '2015-07-15 00:00:00', false, 1.5, DATE '2000-01-01'),
  (6, 'ünïcødé ✓', 12.34, TIMESTAMP '2015-07-15 10:11:12.5', true, 2.0, DATE '2015-07-16')`;

async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the condition did not come true');
}

describe('filesystem connector', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await openEngine();
    await t.engine.execute("SET 'table.dml-sync' = 'true'");
    await t.engine.execute(`CREATE TABLE src (${COLUMNS})`);
    await t.engine.execute(`INSERT INTO src VALUES ${VALUES}`);
  });

  afterEach(async () => {
    await t.close();
  });

  for (const format of ['csv', 'json', 'arrow']) {
    it(`round-trips every kind of value through ${format} files`, async () => {
      const dir = t.path(format);
      await t.engine.execute(`CREATE TABLE f (${COLUMNS}) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = '${format}')`);
      await t.engine.execute(`INSERT INTO f VALUES ${VALUES}`);
      const files = filesIn(dir);
      expect(files).to.have.length(1);
      expect(files[0]).to.match(new RegExp(`^part-insert-[0-9a-f]+-0\\.${format}$`));
      expect(await query(t.engine, 'SELECT * FROM f ORDER BY id')).to.deep.equal(await query(t.engine, 'SELECT * FROM src ORDER BY id'));
    });
  }

  it('writes CSV as Flink does: NULL empty, the empty string quoted, quotes doubled', async () => {
    const dir = t.path('csv');
    await t.engine.execute(`CREATE TABLE f (${COLUMNS}) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv')`);
    await t.engine.execute(`INSERT INTO f VALUES ${VALUES.split('\n').slice(0, 4).join('\n').replace(/,$/, '')}`);
    const text = readFileSync(join(dir, filesIn(dir)[0] as string), 'utf8');
    expect(text.split('\n').sort()).to.deep.equal([
      '',
      '1,plain,1.50,2015-07-15 00:00:00.001,true,0.25,2015-07-15',
      '2,"",-3.00,1999-12-31 23:59:59.999,false,-10000000000,1970-01-01',
      '3,,,,,,',
      '4,"a,b ""quoted""",0.01,2024-02-29 12:00:00,true,3.5,2024-02-29',
    ]);
  });

  it('writes INSERT ... VALUES at once, and reads a directory of files in name order', async () => {
    const dir = t.path('many');
    await t.engine.execute(`CREATE TABLE f (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json')`);
    await t.engine.execute("INSERT INTO f VALUES (1, 'a'), (2, 'b')");
    await t.engine.execute("INSERT INTO f VALUES (3, 'c')");
    expect(filesIn(dir)).to.have.length(2);
    expect(await query(t.engine, 'SELECT count(*), sum(id) FROM f')).to.deep.equal([[3, 6]]);
  });

  it('partitions into name=value directories and reads the partition columns back from them', async () => {
    const dir = t.path('parts');
    await t.engine.execute(`CREATE TABLE f (id BIGINT, name STRING, dt STRING, hm STRING) PARTITIONED BY (dt, hm) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv')`);
    await t.engine.execute("SET 'execution.checkpointing.interval' = '5 ms'");
    await t.engine.execute("INSERT INTO f SELECT id, name, DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH:mm') FROM src WHERE id IN (1, 2, 3, 6)");
    // A job from a SQL table has no end: its files are published at the checkpoint interval.
    await eventually(() => filesIn(dir).filter((f) => !f.split('/').some((p) => p.startsWith('.'))).length === 4);
    const files = filesIn(dir);
    expect(files.map((f) => f.split('/').slice(0, 2).join('/'))).to.deep.equal([
      'dt=1999-12-31/hm=23%3A59', 'dt=2015-07-15/hm=00%3A00', 'dt=2015-07-15/hm=10%3A11', 'dt=__DEFAULT_PARTITION__/hm=__DEFAULT_PARTITION__',
    ]);
    // The files hold the other columns only.
    expect(readFileSync(join(dir, files[1] as string), 'utf8')).to.equal('1,plain\n');
    expect(await query(t.engine, 'SELECT id, name, dt, hm FROM f ORDER BY id')).to.deep.equal([
      [1, 'plain', '2015-07-15', '00:00'], [2, '', '1999-12-31', '23:59'], [3, null, null, null], [6, 'ünïcødé ✓', '2015-07-15', '10:11'],
    ]);
  });

  it('fails a job on a bad row, naming the file, line and column', async () => {
    const file = t.path('bad.csv');
    writeFileSync(file, '1,a\n2,b\n\n3,"multi\nline"\nx,c\n');
    await t.engine.execute(`CREATE TABLE f (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'csv')`);
    const err = await expectError(t.engine.execute('SELECT * FROM f'), '22P02', `bad row in source "f": file "${file}", line 6, column 1 ("id"): invalid input syntax for type bigint: "x"`);
    expect(err.hint).to.contain("'format.ignore-parse-errors'");
    await t.engine.execute("CREATE TABLE out (id BIGINT, name STRING) WITH ('connector' = 'blackhole')");
    await expectError(t.engine.execute('INSERT INTO out SELECT * FROM f'), '22P02', 'line 6, column 1');
    const [[status, error]] = await query(t.engine, 'SELECT status, error FROM eddy_jobs') as [[string, string]];
    expect(status).to.equal('FAILED');
    expect(error).to.contain(`file "${file}", line 6`);
  });

  it('names the column of a JSON value that does not fit, and of a missing CSV field', async () => {
    const json = t.path('bad.json');
    writeFileSync(json, '{"id": 1, "name": "a"}\n{"id": 2, "name": {"x": 1}}\n');
    await t.engine.execute(`CREATE TABLE j (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${json}', 'format' = 'json')`);
    await expectError(t.engine.execute('SELECT * FROM j'), '22P02', 'line 2, column 19 ("name")');
    const broken = t.path('broken.json');
    writeFileSync(broken, '{"id": 1,, "name": "a"}\n');
    await t.engine.execute(`CREATE TABLE k (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${broken}', 'format' = 'json')`);
    await expectError(t.engine.execute('SELECT * FROM k'), '22P02', 'line 1, column 10');
    const csv = t.path('short.csv');
    writeFileSync(csv, '1,a\n2\n');
    await t.engine.execute(`CREATE TABLE c (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${csv}', 'format' = 'csv')`);
    await expectError(t.engine.execute('SELECT * FROM c'), '22P02', 'line 2, column 2 ("name"): expected 2 fields, found 1');
  });

  it("skips bad rows with 'format.ignore-parse-errors' and counts them in eddy_source_errors", async () => {
    const file = t.path('bad.csv');
    writeFileSync(file, '1,a\nx,b\n3,c\n4\n5,e\n');
    await t.engine.execute(`CREATE TABLE f (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'csv', 'format.ignore-parse-errors' = 'true')`);
    expect(await query(t.engine, 'SELECT id FROM f ORDER BY id')).to.deep.equal([[1], [3], [5]]);
    expect(await query(t.engine, 'SELECT source, seq, line, "column", column_name, input FROM eddy_source_errors ORDER BY seq')).to.deep.equal([
      ['f', 1, 2, 1, 'id', 'x,b'],
      ['f', 2, 4, 2, 'name', '4'],
    ]);
  });

  it('skips Arrow rows that do not fit the column, and reads fields by name', async () => {
    const dir = t.path('arrow');
    await t.engine.execute(`CREATE TABLE w (name STRING, id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'arrow')`);
    await t.engine.execute("INSERT INTO w VALUES ('7', 7), ('x', 8), (NULL, 9)");
    await t.engine.execute(`CREATE TABLE r (id BIGINT, name INT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'arrow', 'format.ignore-parse-errors' = 'true')`);
    expect(await query(t.engine, 'SELECT id, name FROM r ORDER BY id')).to.deep.equal([[7, 7], [9, null]]);
    expect(await query(t.engine, 'SELECT line, column_name FROM eddy_source_errors')).to.deep.equal([[2, 'name']]);
  });

  it('resumes from a file and position offset exactly where it stopped', async () => {
    const dir = t.path('resume');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.csv'), '1,"x\ny"\n2,b\n3,c\n');
    writeFileSync(join(dir, 'b.csv'), '4,d\n5,e\n');
    await t.engine.execute(`CREATE TABLE f (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv')`);
    const source = (t.engine.connectors.get('f') as ConnectorTable).source;
    if (source === undefined) throw new Error('no source');
    const ids = (rows: Row[]): unknown[] => rows.map((r) => r[0]);
    for (let stop = 0; stop <= 5; stop++) {
      const first = source.open({ throttle: false });
      const head = stop === 0 ? [] : first.read(stop).rows;
      const offset = JSON.parse(JSON.stringify(first.offset())) as Record<string, never>;
      first.close();
      const second = source.open({ throttle: false });
      second.seek(offset);
      const tail: Row[] = [];
      for (;;) {
        const read = second.read(2);
        tail.push(...read.rows);
        if (read.status === 'end') break;
      }
      expect([...ids(head), ...ids(tail)], `stopping after ${stop}`).to.deep.equal([1, 2, 3, 4, 5]);
    }
    const reader = source.open({ throttle: false });
    reader.read(3);
    expect(reader.offset()).to.deep.equal({ done: [], file: 'a.csv', position: 16, line: 5 });
  });

  it('follows new files in continuous mode, skipping in-progress and hidden files', async () => {
    const dir = t.path('watch');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.csv'), '1\n2\n');
    await t.engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv', 'source.monitor-interval' = '10 ms')`);
    expect(await query(t.engine, 'SELECT id FROM f')).to.deep.equal([[1], [2]]);
    await t.engine.execute('CREATE MATERIALIZED VIEW s AS SELECT count(*) AS n, sum(id) AS total FROM f');
    const until = async (n: number): Promise<void> => {
      for (let i = 0; i < 200; i++) {
        const rows = await query(t.engine, 'SELECT n FROM s');
        if (rows[0]?.[0] === n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the view did not reach ${n} rows`);
    };
    await until(2);
    writeFileSync(join(dir, '.c.csv.inprogress'), '100\n');
    writeFileSync(join(dir, '_SUCCESS'), '');
    writeFileSync(join(dir, 'b.csv'), '3\n4\n');
    await until(4);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', '0.csv'), '5\n');
    await until(5);
    expect(await query(t.engine, 'SELECT n, total FROM s')).to.deep.equal([[5, 15]]);
  });

  it('keeps files in progress until the checkpoint commit, and publishes them once', async () => {
    const dir = t.path('commit');
    await t.engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv', 'sink.rolling-policy.file-size' = '8b')`);
    const sink = (t.engine.connectors.get('f') as ConnectorTable).sink;
    if (sink === undefined) throw new Error('no sink');
    const writer = sink.open('7');
    writer.write(ChangeBatch.inserts([[1], [2]]));
    writer.write(ChangeBatch.inserts([[1000000], [4]]));
    const visible = (): string[] => filesIn(dir).filter((f) => !f.startsWith('.'));
    expect(visible()).to.deep.equal([]);
    writer.prepareCommit(1);
    writer.write(ChangeBatch.inserts([[5]]));
    expect(visible()).to.deep.equal([]);
    writer.commit(1);
    // Rolled at 8 bytes: "1\n2\n1000000\n" filled one file, "4\n" went on in a second.
    expect(visible()).to.have.length(2);
    expect(await query(t.engine, 'SELECT id FROM f ORDER BY id')).to.deep.equal([[1], [2], [4], [1000000]]);
    writer.prepareCommit(2);
    writer.commit(2);
    writer.commit(2);
    expect(visible()).to.have.length(3);
    writer.close();
    expect(filesIn(dir)).to.have.length(3);
    expect(await query(t.engine, 'SELECT count(*) FROM f')).to.deep.equal([[5]]);
  });

  it('publishes nothing on abort, and follows checkpoints once a barrier came', async () => {
    const dir = t.path('abort');
    await t.engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json')`);
    const sink = (t.engine.connectors.get('f') as ConnectorTable).sink;
    if (sink === undefined) throw new Error('no sink');
    const writer = sink.open('1');
    writer.write(ChangeBatch.inserts([[1]]));
    writer.abort();
    expect(await query(t.engine, 'SELECT count(*) FROM f')).to.deep.equal([[0]]);

    const op = new ConnectorSinkOperator('f', sink, '2', 1_000_000);
    op.processBatch(0, ChangeBatch.inserts([[2]]));
    op.snapshot(1);
    op.processBatch(0, ChangeBatch.inserts([[3]]));
    // The end of the input does not publish ahead of a checkpoint once checkpoints commit.
    op.processWatermark(0, Number.POSITIVE_INFINITY);
    expect(await query(t.engine, 'SELECT count(*) FROM f')).to.deep.equal([[0]]);
    op.commit(1);
    expect(await query(t.engine, 'SELECT id FROM f')).to.deep.equal([[2]]);
    op.close();
    expect(await query(t.engine, 'SELECT id FROM f')).to.deep.equal([[2]]);

    const early = new ConnectorSinkOperator('f', sink, '3', 1_000_000);
    early.processBatch(0, ChangeBatch.inserts([[4]]));
    early.close();
    expect(await query(t.engine, 'SELECT id FROM f ORDER BY id')).to.deep.equal([[2], [4]]);
  });

  it("returns from a 'table.dml-sync' INSERT with every row published, checkpoints or not", async () => {
    for (const interval of ['10 ms', '0']) {
      const dir = t.path(`sync-${interval.replace(' ', '')}`);
      await t.engine.execute(`SET 'execution.checkpointing.interval' = '${interval}'`);
      await t.engine.execute(`CREATE TABLE "g${interval.replace(' ', '')}" (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '300', 'rows-per-second' = '5000',
        'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '300')`);
      await t.engine.execute(`CREATE TABLE "f${interval.replace(' ', '')}" (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv')`);
      await t.engine.execute(`INSERT INTO "f${interval.replace(' ', '')}" SELECT id FROM "g${interval.replace(' ', '')}"`);
      expect(await query(t.engine, `SELECT count(*), sum(id) FROM "f${interval.replace(' ', '')}"`), interval).to.deep.equal([[300, 45150]]);
    }
  });

  it('refuses an updating query into a file sink', async () => {
    await t.engine.execute(`CREATE TABLE f (name STRING, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '${t.path('u')}', 'format' = 'csv')`);
    await expectError(t.engine.execute('INSERT INTO f SELECT name, count(*) FROM src GROUP BY name'), '0A000', 'takes inserts only');
  });

  it('fails a read of a path that does not exist', async () => {
    await t.engine.execute(`CREATE TABLE f (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '${t.path('nowhere')}', 'format' = 'csv')`);
    await expectError(t.engine.execute('SELECT * FROM f'), '42704', 'does not exist');
    await drained(t.engine);
  });
});
