// sort-limit: ORDER BY + LIMIT stays one Sort; nested sorts merge; sorts whose order nothing observes go.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { sortLimitRule } from '../../planner/rules/index.js';
import { bind, lines } from '../binder/support.js';

function sorted(sql: string): string {
  return explainLogical(sortLimitRule.rewrite(bind(sql).plan).plan);
}

describe('rule: sort-limit', () => {
  it('keeps ORDER BY + LIMIT as one Sort with a limit', () => {
    const sql = 'SELECT a FROM t ORDER BY b LIMIT 2';
    expect(sortLimitRule.rewrite(bind(sql).plan).changed).to.equal(false);
    expect(sorted(sql)).to.equal(lines('Project(a)', '  Sort(b, limit=2)', '    Project(a, b)', '      Scan(t)'));
  });

  it('merges an outer ORDER BY or LIMIT with an inner ORDER BY', () => {
    expect(sorted('SELECT * FROM (SELECT * FROM t ORDER BY a) s ORDER BY b')).to.equal(lines(
      'Project(a, b, c)',
      '  Sort(b)',
      '    Project(a, b, c)',
      '      Scan(t)',
    ));
    expect(sorted('SELECT * FROM (SELECT * FROM t ORDER BY a) s LIMIT 3')).to.equal(lines(
      'Project(a, b, c)',
      '  Sort(a, limit=3)',
      '    Project(a, b, c)',
      '      Scan(t)',
    ));
    expect(sorted('SELECT * FROM (SELECT * FROM t ORDER BY a LIMIT 5) s ORDER BY a LIMIT 2 OFFSET 1')).to.contain('Sort(a, limit=2, offset=1)\n    Project(a, b, c)\n      Scan(t)');
  });

  it('drops a sort without a limit under operators that do not keep order', () => {
    expect(sorted('SELECT a, count(*) FROM (SELECT * FROM t ORDER BY b) s GROUP BY a')).to.equal(lines(
      'Project(a, count(*) AS count)',
      '  Aggregate(keys=[a], aggs=[count(*)])',
      '    Project(a, b, c)',
      '      Scan(t)',
    ));
    expect(sorted('SELECT * FROM (SELECT * FROM t ORDER BY a) s JOIN u ON s.a = u.a')).not.to.contain('Sort');
  });
});
