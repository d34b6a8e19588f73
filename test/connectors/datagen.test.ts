// datagen: sequences, random ranges, null rates and lengths, determinism per seed, rate limiting in jobs, offsets.

import { expect } from 'chai';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import type { Row } from '../../common/value.js';
import { drained, openEngine, query, type TestEngine } from './helpers.js';

describe('datagen connector', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await openEngine();
  });

  afterEach(async () => {
    await t.close();
  });

  it('makes sequences from start to end, bounding the table', async () => {
    await t.engine.execute("CREATE TABLE g (id BIGINT, s STRING) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '10', 'fields.id.end' = '14', 'fields.s.kind' = 'sequence', 'fields.s.start' = '1', 'fields.s.end' = '100')");
    expect(await query(t.engine, 'SELECT id, s FROM g')).to.deep.equal([[10, '1'], [11, '2'], [12, '3'], [13, '4'], [14, '5']]);
  });

  it('keeps random values within min and max, strings at their length, and NULLs at their rate', async () => {
    await t.engine.execute(`CREATE TABLE g (a INT, d DOUBLE, s VARCHAR(20), n INT, b BOOLEAN) WITH ('connector' = 'datagen', 'number-of-rows' = '2000',
      'fields.a.min' = '-5', 'fields.a.max' = '5', 'fields.d.min' = '1.5', 'fields.d.max' = '2.5', 'fields.s.length' = '7',
      'fields.n.null-rate' = '0.25')`);
    const [[minA, maxA, minD, maxD, lengths, nulls, trues]] = await query(t.engine, `SELECT min(a), max(a), min(d), max(d), count(DISTINCT char_length(s)), count(*) FILTER (WHERE n IS NULL), count(*) FILTER (WHERE b) FROM g`) as [[number, number, number, number, number, number, number]];
    expect([minA, maxA]).to.deep.equal([-5, 5]);
    expect(minD).to.be.at.least(1.5);
    expect(maxD).to.be.below(2.5);
    expect(lengths).to.equal(1);
    expect(nulls).to.be.within(400, 600);
    expect(trues).to.be.within(900, 1100);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const ddl = (name: string, seed: number): string => `CREATE TABLE ${name} (a BIGINT, s STRING, ts TIMESTAMP(3)) WITH ('connector' = 'datagen', 'number-of-rows' = '50', 'seed' = '${seed}', 'fields.s.length' = '8', 'rows-per-second' = '10', 'fields.ts.max-past' = '5s')`;
    await t.engine.execute(ddl('x', 7));
    await t.engine.execute(ddl('y', 7));
    await t.engine.execute(ddl('z', 8));
    const x = await query(t.engine, 'SELECT * FROM x');
    expect(await query(t.engine, 'SELECT * FROM y')).to.deep.equal(x);
    expect(await query(t.engine, 'SELECT * FROM z')).to.not.deep.equal(x);
    expect(await query(t.engine, 'SELECT * FROM x')).to.deep.equal(x);
  });

  it('spaces timestamps by the rate from the start time, less a random max-past', async () => {
    await t.engine.execute(`CREATE TABLE g (id BIGINT, ts TIMESTAMP(3), late TIMESTAMP(3)) WITH ('connector' = 'datagen', 'number-of-rows' = '4', 'rows-per-second' = '2',
      'start-time' = '2024-05-01 12:00:00', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '3', 'fields.late.max-past' = '10s')`);
    const rows = await query(t.engine, "SELECT id, CAST(ts AS STRING), late <= ts AND late >= ts - INTERVAL '10' SECOND FROM g");
    expect(rows).to.deep.equal([
      [0, '2024-05-01 12:00:00', true], [1, '2024-05-01 12:00:00.5', true], [2, '2024-05-01 12:00:01', true], [3, '2024-05-01 12:00:01.5', true],
    ]);
  });

  it('keeps to rows-per-second in a job, and its rows close event-time windows', async () => {
    await t.engine.execute(`CREATE TABLE g (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'number-of-rows' = '20', 'rows-per-second' = '200',
      'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '20')`);
    const started = Date.now();
    await t.engine.execute("CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(id) AS s FROM TABLE(TUMBLE(TABLE g, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end");
    await drained(t.engine);
    // 20 rows at 200 a second take about 0.1 s; the bound is loose for a busy machine.
    expect(Date.now() - started).to.be.at.least(80);
    // All 20 rows are 5 ms apart within one second; the end of the bounded input closes the window.
    expect(await query(t.engine, 'SELECT n, s FROM w')).to.deep.equal([[20, 210]]);
  });

  it('resumes a reader from its offset', async () => {
    await t.engine.execute("CREATE TABLE g (a BIGINT, s STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '100', 'fields.s.length' = '4')");
    const source = (t.engine.connectors.get('g') as ConnectorTable).source;
    if (source === undefined) throw new Error('no source');
    const whole: Row[] = [];
    const r1 = source.open({ throttle: false });
    for (;;) {
      const read = r1.read(30);
      whole.push(...read.rows);
      if (read.status === 'end') break;
    }
    const first = source.open({ throttle: false });
    const part = first.read(37).rows;
    const offset = first.offset();
    expect(offset).to.deep.equal({ row: 37 });
    const resumed = source.open({ throttle: false });
    resumed.seek(JSON.parse(JSON.stringify(offset)));
    const rest: Row[] = [];
    for (;;) {
      const read = resumed.read(1000);
      rest.push(...read.rows);
      if (read.status === 'end') break;
    }
    expect([...part, ...rest]).to.deep.equal(whole);
  });
});
