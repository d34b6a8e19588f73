// Connector options: unknown, missing and wrong options are rejected with the option named; what connector tables refuse.

import { expect } from 'chai';
import { Engine } from '../../executor/engine/engine.js';
import { openEngine, expectError, query, type TestEngine } from './helpers.js';

describe('connector options', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await openEngine();
  });

  afterEach(async () => {
    await t.close();
  });

  it('rejects an unknown option, naming it, pointing at it and suggesting the right name', async () => {
    const sql = "CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'rows-per-sec' = '5')";
    const err = await expectError(t.engine.execute(sql), '22023', 'unknown option "rows-per-sec" for connector "datagen"');
    expect(err.hint).to.contain('"rows-per-second"');
    expect(err.position).to.equal(sql.indexOf("'rows-per-sec'") + 1);
  });

  it('rejects a missing required option', async () => {
    const err = await expectError(t.engine.execute("CREATE TABLE f (a INT) WITH ('connector' = 'filesystem', 'format' = 'csv')"), '42601', 'connector "filesystem" needs option "path"');
    expect(err.hint).to.contain("'path'");
  });

  it('rejects a wrong value, saying what is expected', async () => {
    const err = await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'rows-per-second' = 'fast')"), '22023', 'invalid value for option "rows-per-second": "fast"');
    expect(err.detail).to.contain('a number');
    await expectError(t.engine.execute("CREATE TABLE f (a INT) WITH ('connector' = 'filesystem', 'path' = '/tmp/x', 'format' = 'xml')"), '22023', 'invalid value for option "format": "xml"');
    await expectError(t.engine.execute("CREATE TABLE n (id BIGINT) WITH ('connector' = 'nexmark', 'table' = 'person', 'events.num' = '-1')"), '22023', '"events.num"');
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'fields.a.kind' = 'sequential')"), '22023', '"fields.a.kind"');
  });

  it('rejects a per-column option for a column the table does not have', async () => {
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'fields.b.min' = '1')"), '42703', 'names column "b"');
  });

  it('rejects an option given twice and an unknown connector', async () => {
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'seed' = '1', 'SEED' = '2')"), '42601', 'more than once');
    const err = await expectError(t.engine.execute("CREATE TABLE k (a INT) WITH ('connector' = 'kafka')"), '42704', 'connector "kafka" does not exist');
    expect(err.hint).to.contain('datagen');
  });

  it('rejects combinations that cannot work, naming the option', async () => {
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'fields.a.kind' = 'sequence', 'fields.a.start' = '1')"), '42601', '"fields.a.end"');
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'fields.a.length' = '5')"), '22023', '"fields.a.length" does not apply');
    await expectError(t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'fields.a.min' = '10', 'fields.a.max' = '1')"), '22023', 'is below');
    await expectError(t.engine.execute("CREATE TABLE g (s VARCHAR(3)) WITH ('connector' = 'datagen', 'fields.s.length' = '5')"), '22023', 'longer than column "s"');
    await expectError(t.engine.execute("CREATE TABLE n (id BIGINT) WITH ('connector' = 'nexmark', 'table' = 'person', 'first-event.rate' = '10', 'next-event.rate' = '20')"), '22023', '"next-event.rate"');
  });

  it('checks the columns a connector can fill', async () => {
    await expectError(t.engine.execute("CREATE TABLE bid (auction BIGINT, colour VARCHAR) WITH ('connector' = 'nexmark')"), '42703', 'column "colour"');
    await expectError(t.engine.execute("CREATE TABLE bid (auction INT) WITH ('connector' = 'nexmark')"), '42804', 'must be of type BIGINT');
    await expectError(t.engine.execute("CREATE TABLE events (a BIGINT) WITH ('connector' = 'nexmark')"), '42601', 'needs option "table"');
    await expectError(t.engine.execute("CREATE TABLE g (m MAP<STRING, INT>) WITH ('connector' = 'datagen')"), '0A000', 'column "m"');
    await expectError(t.engine.execute(`CREATE TABLE f (a ARRAY<INT>) WITH ('connector' = 'filesystem', 'path' = '${t.path('f')}', 'format' = 'csv')`), '0A000', 'format "csv" cannot hold column "a"');
  });

  it('keeps PARTITIONED BY to filesystem tables', async () => {
    await expectError(t.engine.execute("CREATE TABLE p (a INT, b INT) PARTITIONED BY (b) WITH ('connector' = 'print')"), '0A000', 'PARTITIONED BY is not supported for connector "print"');
    await expectError(t.engine.execute('CREATE TABLE p (a INT, b INT) PARTITIONED BY (b)'), '0A000');
  });

  it('refuses to read a sink, to write a source, and a one-shot read of an endless source', async () => {
    await t.engine.execute("CREATE TABLE sink (a INT) WITH ('connector' = 'blackhole')");
    await t.engine.execute("CREATE TABLE src (a INT) WITH ('connector' = 'datagen')");
    await expectError(t.engine.execute('SELECT * FROM sink'), '42809', 'blackhole sink and cannot be read');
    await expectError(t.engine.execute('INSERT INTO src VALUES (1)'), '42809', 'datagen source and cannot be written');
    await expectError(t.engine.execute('DELETE FROM src'), '42809', 'datagen table');
    const err = await expectError(t.engine.execute('SELECT * FROM src'), '0A000', 'endless datagen source');
    expect(err.hint).to.contain("'number-of-rows'");
  });

  it('keeps connector tables across a restart', async () => {
    await t.engine.execute("CREATE TABLE g (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.a.kind' = 'sequence', 'fields.a.start' = '1', 'fields.a.end' = '3')");
    await t.engine.close();
    const engine = await Engine.open({ dataDir: t.path('data') });
    try {
      expect(await query(engine, 'SELECT a FROM g ORDER BY a')).to.deep.equal([[1], [2], [3]]);
      expect(await query(engine, "SELECT count(*) FROM g")).to.deep.equal([[3]]);
    } finally {
      await engine.close();
    }
  });
});
