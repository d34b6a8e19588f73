// Binder: window functions — Over nodes per window, frames, named windows, QUALIFY, and where window calls may not go.

import { expect } from 'chai';
import { bind, explain, lines, pos, queryError } from './support.js';

describe('binder: window functions', () => {
  it('plans ROW_NUMBER as an Over node whose column the SELECT list reads', () => {
    expect(explain('SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids')).to.equal(lines(
      'Project(auction, price, row_number() AS rn)',
      '  Over(partition=[auction], order=[price DESC], calls=[row_number()])',
      '    Scan(bids)',
    ));
    expect(bind('SELECT ROW_NUMBER() OVER (ORDER BY price) FROM bids').plan.schema[0]).to.deep.include({ type: { kind: 'BIGINT' }, nullable: false });
  });

  it('binds aggregates OVER ROWS and RANGE frames', () => {
    expect(explain('SELECT auction, sum(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM bids')).to.equal(lines(
      'Project(auction, sum(price) AS sum)',
      '  Over(partition=[auction], order=[ts], calls=[sum(CAST(price AS BIGINT)) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW AS sum(price)])',
      '    Project(auction, bidder, price, channel, ts, CAST(price AS BIGINT))',
      '      Scan(bids)',
    ));
    expect(explain("SELECT max(price) OVER (PARTITION BY auction ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM bids"))
      .to.contain("calls=[max(price) RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW]");
    // Without a frame: to the current row's last peer with ORDER BY, the whole partition without.
    expect(explain('SELECT count(*) OVER (PARTITION BY channel), count(*) OVER (ORDER BY ts) FROM bids')).to.equal(lines(
      'Project(count(*)#5 AS count, count(*)#6 AS count)',
      '  Over(order=[ts], calls=[count(*) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW])',
      '    Over(partition=[channel], calls=[count(*) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING])',
      '      Scan(bids)',
    ));
  });

  it('shares one Over node between calls of the same window, named or written out', () => {
    expect(explain('SELECT rank() OVER w, dense_rank() OVER w, row_number() OVER (PARTITION BY auction ORDER BY price) FROM bids WINDOW w AS (PARTITION BY auction ORDER BY price)'))
      .to.equal(lines(
        'Project(rank() AS rank, dense_rank() AS dense_rank, row_number() AS row_number)',
        '  Over(partition=[auction], order=[price], calls=[rank(), dense_rank(), row_number()])',
        '    Scan(bids)',
      ));
    queryError('SELECT rank() OVER nope FROM bids', { sqlstate: '42704', message: 'window "nope" does not exist', position: 20 });
  });

  it('evaluates window functions after grouping', () => {
    expect(explain('SELECT auction, count(*), rank() OVER (ORDER BY count(*) DESC) FROM bids GROUP BY auction')).to.equal(lines(
      'Project(auction, count(*) AS count, rank() AS rank)',
      '  Over(order=[count(*) DESC], calls=[rank()])',
      '    Aggregate(keys=[auction], aggs=[count(*)])',
      '      Scan(bids)',
    ));
  });

  it('filters on window functions with QUALIFY', () => {
    expect(explain('SELECT auction, price FROM bids QUALIFY rank() OVER (PARTITION BY auction ORDER BY price DESC) <= 2')).to.equal(lines(
      'Project(auction, price)',
      '  Filter(rank() <= CAST(2 AS BIGINT))',
      '    Over(partition=[auction], order=[price DESC], calls=[rank()])',
      '      Scan(bids)',
    ));
  });

  it('reports window functions where they cannot go and frames that come later', () => {
    const where = 'SELECT a FROM t WHERE row_number() OVER () > 1';
    queryError(where, { sqlstate: '42P20', message: 'window functions are not allowed in WHERE', position: pos(where, 'row_number') });
    const nested = 'SELECT sum(row_number() OVER ()) FROM t';
    queryError(nested, { sqlstate: '42803', message: 'aggregate function calls cannot contain window function calls', position: pos(nested, 'row_number') });
    const following = 'SELECT sum(a) OVER (ORDER BY b ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM t';
    queryError(following, { sqlstate: '0A000', message: 'a window frame that starts after the current row is not supported yet' });
    queryError('SELECT sum(a) OVER (ORDER BY b GROUPS 1 PRECEDING) FROM t', { sqlstate: '0A000', message: 'GROUPS frames is not supported yet' });
    queryError('SELECT upper(c) OVER () FROM t', { sqlstate: '42809', message: 'OVER specified, but upper is not a window function nor an aggregate function', position: 8 });
  });
});
