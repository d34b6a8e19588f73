// Unique keys derived from optimized logical plans: which output columns no two rows share.

import { expect } from 'chai';
import { uniqueKey } from '../../planner/physical/unique-key.js';
import { catalog, optimized } from '../binder/support.js';

function keyOf(sql: string): number[] | undefined {
  return uniqueKey(optimized(sql, catalog()));
}

describe('unique keys of plans', () => {
  it('an aggregate is keyed by its group-by columns; a global aggregate by nothing (at most one row)', () => {
    expect(keyOf('SELECT a, count(*) AS n, sum(b) AS s FROM t GROUP BY a')).to.deep.equal([0]);
    expect(keyOf('SELECT a, c, max(b) FROM t GROUP BY a, c')).to.deep.equal([0, 1]);
    expect(keyOf('SELECT count(*), sum(b) FROM t')).to.deep.equal([]);
    expect(keyOf('SELECT DISTINCT a, c FROM t')).to.deep.equal([0, 1]);
  });

  it('follows the key through projections that pass its columns on, remapped to their positions', () => {
    // The aggregate outputs (a, c, n); the projection puts n first and keeps a and c as they are.
    expect(keyOf('SELECT n, c, a FROM (SELECT a, c, count(*) AS n FROM t GROUP BY a, c) x')).to.deep.equal([2, 1]);
    // A key column computed through an expression is no longer known unique.
    expect(keyOf('SELECT a + 1 AS a1, n FROM (SELECT a, count(*) AS n FROM t GROUP BY a) x')).to.equal(undefined);
    // A key column left out: no key.
    expect(keyOf('SELECT n FROM (SELECT a, count(*) AS n FROM t GROUP BY a) x')).to.equal(undefined);
    // A computed column beside the key columns does not matter.
    expect(keyOf('SELECT a, n * 2 AS m FROM (SELECT a, count(*) AS n FROM t GROUP BY a) x')).to.deep.equal([0]);
  });

  it('keeps the key under filters and under a sort without a limit', () => {
    expect(keyOf('SELECT a, count(*) AS n FROM t GROUP BY a HAVING count(*) > 2')).to.deep.equal([0]);
    expect(keyOf('SELECT * FROM (SELECT a, count(*) AS n FROM t GROUP BY a) x WHERE n > 1 ORDER BY n')).to.deep.equal([0]);
  });

  it('has no key where rows can repeat', () => {
    expect(keyOf('SELECT a, b FROM t')).to.equal(undefined);
    expect(keyOf('SELECT a FROM t UNION ALL SELECT a FROM u')).to.equal(undefined);
    expect(keyOf('SELECT a, count(*) FROM t GROUP BY GROUPING SETS ((a), ())')).to.equal(undefined);
    expect(keyOf('SELECT t.a, n FROM t JOIN (SELECT a, count(*) AS n FROM u GROUP BY a) x ON t.a = x.a')).to.equal(undefined);
  });

  it('keys a deduplication by its partition columns', () => {
    const plan = optimized(
      'SELECT auction, bidder, price, ts, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) x WHERE rn = 1',
      catalog(),
    );
    const kinds: string[] = [];
    for (let p: typeof plan | undefined = plan; p !== undefined; p = 'input' in p ? p.input : undefined) kinds.push(p.kind);
    expect(kinds).to.include('Deduplicate');
    expect(uniqueKey(plan)).to.deep.equal([0]);
  });

  it('keys a ROW_NUMBER top-n by its partition columns and the row number, not a RANK top-n', () => {
    // bids: auction, bidder, price, channel, ts; the row number follows them (position 5), then the projection.
    expect(keyOf('SELECT rn, auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) x WHERE rn <= 3'))
      .to.deep.equal([1, 0]);
    expect(keyOf('SELECT auction, price, rk FROM (SELECT *, RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS rk FROM bids) x WHERE rk <= 3'))
      .to.equal(undefined);
    // Without the row number among the outputs, only a limit of one keeps one row per partition.
    expect(keyOf('SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) x WHERE rn <= 1'))
      .to.deep.equal([0]);
    expect(keyOf('SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) x WHERE rn <= 2'))
      .to.equal(undefined);
  });
});
