// top-n: a filter on ROW_NUMBER / RANK / DENSE_RANK becomes a TopN; ROW_NUMBER() = 1 over a time attribute a Deduplicate.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { topNRule } from '../../planner/rules/index.js';
import { bind, expectSameResults, explainOptimized, lines } from '../binder/support.js';

function ranked(sql: string): string {
  return explainLogical(topNRule.rewrite(bind(sql).plan).plan);
}

describe('rule: top-n', () => {
  it('turns rank <= n into a TopN keeping the rank column', () => {
    expect(ranked('SELECT auction, price FROM bids QUALIFY rank() OVER (PARTITION BY auction ORDER BY price DESC) <= 3')).to.equal(lines(
      'Project(auction, price)',
      '  TopN(RANK, partition=[auction], order=[price DESC], limit=3, rank)',
      '    Scan(bids)',
    ));
  });

  it('reads BETWEEN, < and bounds written the other way round; other conjuncts stay', () => {
    expect(ranked('SELECT auction, price FROM bids QUALIFY row_number() OVER (PARTITION BY auction ORDER BY price DESC) BETWEEN 2 AND 4'))
      .to.contain('TopN(ROW_NUMBER, partition=[auction], order=[price DESC], limit=3, offset=1, rank)');
    expect(ranked('SELECT auction, price FROM bids QUALIFY 3 > dense_rank() OVER (ORDER BY price) AND price > 1')).to.equal(lines(
      'Project(auction, price)',
      '  Filter(price > 1)',
      '    TopN(DENSE_RANK, order=[price], limit=2, rank)',
      '      Scan(bids)',
    ));
  });

  it('turns ROW_NUMBER() = 1 ordered by the event-time attribute into a Deduplicate', () => {
    expect(ranked('SELECT auction, price FROM bids QUALIFY row_number() OVER (PARTITION BY auction ORDER BY ts DESC) = 1')).to.equal(lines(
      'Project(auction, price)',
      '  Deduplicate(LAST, keys=[auction], order=ts, rank)',
      '    Scan(bids)',
    ));
    expect(ranked('SELECT auction, price FROM bids QUALIFY row_number() OVER (PARTITION BY auction ORDER BY ts) < 2')).to.contain(
      'Deduplicate(FIRST, keys=[auction], order=ts, rank)',
    );
    // Not a time attribute: a TopN of one.
    expect(ranked('SELECT auction, price FROM bids QUALIFY row_number() OVER (PARTITION BY auction ORDER BY price) = 1')).to.contain(
      'TopN(ROW_NUMBER, partition=[auction], order=[price], limit=1, rank)',
    );
  });

  it('leaves filters without an upper bound, and other window functions, alone', () => {
    for (const sql of [
      'SELECT auction, price FROM bids QUALIFY row_number() OVER (PARTITION BY auction ORDER BY price) > 1',
      'SELECT auction, price FROM bids QUALIFY count(*) OVER (PARTITION BY auction) <= 1',
    ]) expect(topNRule.rewrite(bind(sql).plan).changed).to.equal(false);
  });

  it('finds the pattern through a derived table once the filter is pushed down, dropping an unread rank', () => {
    expect(explainOptimized('SELECT * FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 3'))
      .to.equal(lines(
        'TopN(ROW_NUMBER, partition=[auction], order=[price DESC], limit=3, rank)',
        '  Project(auction, price)',
        '    Scan(bids)',
      ));
    expect(explainOptimized('SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts) AS rn FROM bids) WHERE rn = 1'))
      .to.equal(lines(
        'Project(auction, price)',
        '  Deduplicate(FIRST, keys=[auction], order=ts)',
        '    Project(auction, price, ts)',
        '      Scan(bids)',
      ));
  });

  it('keeps results', () => {
    for (const sql of [
      'SELECT * FROM (SELECT auction, price, RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bids) x WHERE r <= 2 AND auction > 1',
      'SELECT * FROM (SELECT auction, price, DENSE_RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bids) x WHERE r BETWEEN 2 AND 3',
      'SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) x WHERE rn = 1',
      'SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts) AS rn FROM bids) x WHERE rn < 3 AND price > 1',
    ]) expectSameResults(sql);
  });
});
