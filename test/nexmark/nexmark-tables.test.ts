// nexmark tables: three tables over one event stream, Flink's nested events table, offsets, rate limiting, the watermark.

import { expect } from 'chai';
import type { Row } from '../../common/value.js';
import type { ConnectorTable } from '../../connectors/connector-table.js';
import { sourceDdl } from '../../bench/nexmark/queries.js';
import { drained, openEngine, query, type TestEngine } from '../connectors/helpers.js';

describe('nexmark tables', () => {
  let t: TestEngine;

  beforeEach(async () => {
    t = await openEngine();
  });

  afterEach(async () => {
    await t.close();
  });

  it('split one stream into person, auction and bid tables', async () => {
    for (const ddl of sourceDdl({ events: 5000, rate: 1000, seed: 3 })) await t.engine.execute(ddl);
    expect(await query(t.engine, 'SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM auction), (SELECT count(*) FROM bid)')).to.deep.equal([[100, 300, 4600]]);
    // Bids refer to people and auctions of the same stream.
    const [[matched]] = await query(t.engine, 'SELECT count(*) FROM bid B JOIN auction A ON B.auction = A.id') as [[number]];
    expect(matched).to.be.above(4000);
    expect(await query(t.engine, "SELECT min(date_time), max(date_time) FROM bid")).to.deep.equal([[1_436_918_400_004_000, 1_436_918_404_999_000]]);
  });

  it("reads Flink's nested events table, with its computed date_time and watermark", async () => {
    await t.engine.execute(`CREATE TABLE events (
        event_type INT,
        person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
        auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR>,
        bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
        date_time AS CASE WHEN event_type = 0 THEN (person).dateTime WHEN event_type = 1 THEN (auction).dateTime ELSE (bid).dateTime END,
        WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
      ) WITH ('connector' = 'nexmark', 'events.num' = '500', 'first-event.rate' = '100')`);
    for (const ddl of sourceDdl({ events: 500, rate: 100, seed: 0 })) await t.engine.execute(ddl);
    expect(await query(t.engine, 'SELECT event_type, count(*) FROM events GROUP BY event_type ORDER BY event_type')).to.deep.equal([[0, 10], [1, 30], [2, 460]]);
    expect(await query(t.engine, 'SELECT (bid).auction, (bid).price, date_time FROM events WHERE event_type = 2 ORDER BY date_time LIMIT 3'))
      .to.deep.equal(await query(t.engine, 'SELECT auction, price, date_time FROM bid ORDER BY date_time LIMIT 3'));
    await t.engine.execute("CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(date_time), INTERVAL '1' SECOND)) GROUP BY window_start, window_end");
    await drained(t.engine);
    expect(await query(t.engine, 'SELECT sum(n), count(*) FROM w')).to.deep.equal([[500, 5]]);
  });

  it('takes a subset of the fields, in any order', async () => {
    await t.engine.execute("CREATE TABLE bid (price BIGINT, dateTime TIMESTAMP(3), auction BIGINT) WITH ('connector' = 'nexmark', 'events.num' = '100')");
    for (const ddl of sourceDdl({ events: 100, rate: 10_000_000, seed: 0 }).slice(2)) await t.engine.execute(ddl.replace('CREATE TABLE bid', 'CREATE TABLE full_bid'));
    expect(await query(t.engine, 'SELECT auction, price FROM bid')).to.deep.equal(await query(t.engine, 'SELECT auction, price FROM full_bid'));
  });

  it('resumes a reader from an event offset', async () => {
    for (const ddl of sourceDdl({ events: 3000, rate: 1000, seed: 1 })) await t.engine.execute(ddl);
    const source = (t.engine.connectors.get('auction') as ConnectorTable).source;
    if (source === undefined) throw new Error('no source');
    const readAll = (from?: Record<string, number>): Row[] => {
      const r = source.open({ throttle: false });
      if (from) r.seek(from);
      const out: Row[] = [];
      for (;;) {
        const read = r.read(256);
        out.push(...read.rows);
        if (read.status === 'end') return out;
      }
    };
    const whole = readAll();
    const first = source.open({ throttle: false });
    const head = first.read(1234).rows;
    expect(first.offset()).to.deep.equal({ event: 1234 });
    expect([...head, ...readAll({ event: 1234 })]).to.deep.equal(whole);
  });

  it('paces a rate-limited stream by event time, and pushes the watermark to the end of time when it ends', async () => {
    await t.engine.execute(`CREATE TABLE bid (auction BIGINT, date_time TIMESTAMP(3), WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
      WITH ('connector' = 'nexmark', 'events.num' = '100', 'first-event.rate' = '1000', 'rate.limited' = 'true')`);
    const started = Date.now();
    await t.engine.execute("CREATE MATERIALIZED VIEW w AS SELECT count(*) AS n FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(date_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
    await drained(t.engine);
    // 100 events at 1,000 a second: about 0.1 s of wall-clock time.
    expect(Date.now() - started).to.be.at.least(80);
    expect(await query(t.engine, 'SELECT n FROM w')).to.deep.equal([[92]]);
  });
});
