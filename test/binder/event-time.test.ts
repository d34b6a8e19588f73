// Binder and rules for event time: time attributes, window table functions, group windows, window aggregation, top-N, joins in time.

import { expect } from 'chai';
import { bind, catalog, explain, explainOptimized, lines, pos, queryError, TestCatalog } from './support.js';

const tumble = "TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' MINUTES))";

function events(): TestCatalog {
  return catalog()
    .table("CREATE TABLE l (k INT, lt TIMESTAMP(3), WATERMARK FOR lt AS lt - INTERVAL '1' SECOND)")
    .table("CREATE TABLE r (k INT, rt TIMESTAMP(3), WATERMARK FOR rt AS rt)");
}

describe('binder: time attributes', () => {
  it('marks the watermark column and PROCTIME() columns, and keeps the marks through plain column references', () => {
    expect(bind('SELECT ts FROM bids').plan.schema[0]?.timeAttribute).to.equal('ROWTIME');
    expect(bind('SELECT pt FROM orders').plan.schema[0]?.timeAttribute).to.equal('PROCTIME');
    expect(bind('SELECT x.t FROM (SELECT ts AS t FROM bids) x').plan.schema[0]?.timeAttribute).to.equal('ROWTIME');
    // Lost through an expression and through a regular aggregation.
    expect(bind("SELECT ts + INTERVAL '1' SECOND FROM bids").plan.schema[0]?.timeAttribute).to.equal(undefined);
    expect(bind('SELECT max(ts) FROM bids').plan.schema[0]?.timeAttribute).to.equal(undefined);
  });

  it('gives window_time the time attribute and takes it from the windowed column', () => {
    const s = bind(`SELECT * FROM ${tumble}`).plan.schema;
    expect(s.map((f) => `${f.name}${f.timeAttribute === undefined ? '' : `:${f.timeAttribute}`}`)).to.deep.equal([
      'auction', 'bidder', 'price', 'channel', 'ts', 'window_start', 'window_end', 'window_time:ROWTIME',
    ]);
    const agg = bind(`SELECT window_time, count(*) FROM ${tumble} GROUP BY window_start, window_end, window_time`).plan.schema;
    expect(agg[0]?.timeAttribute).to.equal('ROWTIME');
  });

  it('names the column that is not a time attribute (42804)', () => {
    const sql = "SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(price), INTERVAL '1' MINUTE))";
    queryError(sql, { sqlstate: '42804', message: 'column "price" is not a time attribute, so TUMBLE cannot use it', position: pos(sql, 'price') });
  });
});

describe('binder: window table functions and group windows', () => {
  it('absorbs the window table function into the aggregation when only the window columns are grouped by', () => {
    expect(explainOptimized(`SELECT window_start, auction, sum(price) FROM ${tumble} GROUP BY window_start, window_end, auction`)).to.equal(lines(
      'Project(window_start, auction, sum(price))',
      "  WindowAggregate(TUMBLE(time=ts ROWTIME, size=INTERVAL '10' MINUTE), keys=[auction], aggs=[sum(CAST(price AS BIGINT))], emit=watermark >= window_end (then frees the window))",
      '    Project(auction, ts, CAST(price AS BIGINT))',
      '      Scan(bids)',
    ));
  });

  it('groups by windows filled in upstream when the window columns are read before the GROUP BY', () => {
    expect(explainOptimized(`SELECT window_end, count(*) FROM ${tumble} WHERE window_end > TIMESTAMP '2024-01-01 00:00:00' GROUP BY window_start, window_end`))
      .to.contain('WindowAggregate(window=[window_start, window_end] ROWTIME');
    const session = "SELECT window_end, count(*) FROM TABLE(SESSION(TABLE bids PARTITION BY auction, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) WHERE window_end > TIMESTAMP '2024-01-01 00:00:00' GROUP BY auction, window_start, window_end";
    queryError(session, { sqlstate: '0A000', message: 'a SESSION window aggregation must group its rows directly' });
  });

  it('stays a regular aggregation without both window_start and window_end', () => {
    expect(explain(`SELECT window_start, count(*) FROM ${tumble} GROUP BY window_start`)).to.contain('Aggregate(keys=[window_start]');
  });

  it('binds group windows onto the same window aggregation, with their property functions', () => {
    const sql = "SELECT auction, TUMBLE_START(ts, INTERVAL '1' HOUR) AS s, TUMBLE_ROWTIME(ts, INTERVAL '1' HOUR) AS rt, count(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), auction";
    expect(explainOptimized(sql)).to.equal(lines(
      'Project(auction, window_start AS s, window_time AS rt, count(*) AS count)',
      "  WindowAggregate(TUMBLE(time=ts ROWTIME, size=INTERVAL '1' HOUR), keys=[auction], aggs=[count(*)], emit=watermark >= window_end (then frees the window))",
      '    Project(auction, ts)',
      '      Scan(bids)',
    ));
    expect(bind(sql).plan.schema[2]?.timeAttribute).to.equal('ROWTIME');
    expect(explainOptimized("SELECT HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE) FROM bids GROUP BY HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)"))
      .to.contain("WindowAggregate(HOP(time=ts ROWTIME, slide=INTERVAL '1' MINUTE, size=INTERVAL '5' MINUTE)");
    expect(explainOptimized("SELECT SESSION_END(pt, INTERVAL '1' MINUTE), count(*) FROM orders GROUP BY SESSION(pt, INTERVAL '1' MINUTE)"))
      .to.contain("SESSION(time=pt PROCTIME, gap=INTERVAL '1' MINUTE)");
  });

  it('checks the arguments of window functions', () => {
    queryError("SELECT * FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE))", { sqlstate: '42883', message: 'HOP requires the argument SIZE' });
    queryError("SELECT * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE, SIZE => INTERVAL '2' MINUTE))", { sqlstate: '42601', message: 'argument SIZE of TUMBLE is given twice' });
    queryError("SELECT TUMBLE_END(ts, INTERVAL '1' MINUTE) FROM bids", { sqlstate: '42803', message: 'TUMBLE_END needs GROUP BY TUMBLE(...) in the same query' });
    queryError("SELECT count(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), HOP(ts, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)", { sqlstate: '0A000', message: 'more than one group window in GROUP BY is not supported yet' });
  });
});

describe('rules: ranks and joins in time', () => {
  it('turns a top-N partitioned by the window into a window top-N, and ROW_NUMBER() = 1 by time into a window deduplication', () => {
    const topN = `SELECT * FROM (SELECT auction, price, window_start, window_end, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn FROM ${tumble}) WHERE rn <= 3`;
    expect(explainOptimized(topN).split('\n')[0]).to.match(/^WindowTopN\(ROW_NUMBER, partition=\[window_start, window_end\], order=\[price DESC\], limit=3/);
    const dedup = `SELECT * FROM (SELECT auction, ts, window_start, window_end, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, auction ORDER BY ts DESC) AS rn FROM ${tumble}) WHERE rn = 1`;
    expect(explainOptimized(dedup).split('\n')[0]).to.match(/^WindowDeduplicate\(LAST, keys=\[window_start, window_end, auction\], order=ts/);
    // Not partitioned by the window: a regular top-N.
    const plain = `SELECT * FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY window_start ORDER BY price DESC) AS rn FROM ${tumble}) WHERE rn <= 3`;
    expect(explainOptimized(plain)).to.match(/\n  TopN\(/);
  });

  it('turns a join on both windows\' start and end into a window join', () => {
    const sql = `SELECT a.auction FROM ${tumble} a JOIN ${tumble} b
      ON a.window_start = b.window_start AND a.window_end = b.window_end AND a.auction = b.auction`;
    expect(explainOptimized(sql)).to.contain('WindowJoin(INNER');
  });

  it('reads the time bounds of an interval join from BETWEEN and comparisons, either way round', () => {
    const between = 'SELECT * FROM l JOIN r ON l.k = r.k AND l.lt BETWEEN r.rt - INTERVAL \'1\' HOUR AND r.rt';
    expect(explainOptimized(between, events())).to.contain("time=[rt - lt BETWEEN 0 AND INTERVAL '1' HOUR] ROWTIME");
    const comparisons = "SELECT * FROM l, r WHERE l.k = r.k AND r.rt + INTERVAL '5' MINUTE > l.lt AND l.lt >= r.rt - INTERVAL '10' MINUTE";
    // rt + 5 min > lt  =>  rt - lt > -5 min (so >= -5 min + 1 µs);  lt >= rt - 10 min  =>  rt - lt <= 10 min.
    expect(explainOptimized(comparisons, events())).to.contain("time=[rt - lt BETWEEN -INTERVAL '299.999999' SECOND AND INTERVAL '10' MINUTE]");
    // One bound only, or a column that is not a time attribute: a regular join.
    expect(explainOptimized('SELECT * FROM l JOIN r ON l.k = r.k AND l.lt < r.rt', events())).to.contain('Join(INNER');
  });
});
