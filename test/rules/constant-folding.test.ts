// constant-folding: constant calls evaluated by the expression compiler; AND/OR/CASE simplified; errors left for execution.

import { expect } from 'chai';
import { explainLogical } from '../../planner/explain.js';
import { constantFoldingRule } from '../../planner/rules/index.js';
import { bind, expectSameResults, lines } from '../binder/support.js';

function folded(sql: string): string {
  return explainLogical(constantFoldingRule.rewrite(bind(sql).plan).plan);
}

describe('rule: constant-folding', () => {
  it('evaluates calls and casts of constants', () => {
    expect(folded("SELECT a + 1, 1 + 2 * 3, 'x' || 'y', CAST('2024-01-01' AS DATE), upper('abc') FROM t")).to.equal(lines(
      "Project(a + 1 AS ?column?, 7 AS ?column?, 'xy' AS ?column?, DATE '2024-01-01' AS date, 'ABC' AS upper)",
      '  Scan(t)',
    ));
  });

  it('drops neutral AND/OR operands and always-true filters; a never-true filter leaves no rows', () => {
    expect(folded('SELECT * FROM t WHERE 1 = 1 AND a > 1 + 1')).to.equal(lines('Project(a, b, c)', '  Filter(a > 2)', '    Scan(t)'));
    expect(folded('SELECT * FROM t WHERE 1 = 2 OR a IS NULL')).to.equal(lines('Project(a, b, c)', '  Filter(a IS NULL)', '    Scan(t)'));
    expect(folded('SELECT * FROM t WHERE 1 = 1')).to.equal(lines('Project(a, b, c)', '  Scan(t)'));
    expect(folded('SELECT * FROM t WHERE NULL')).to.equal(lines('Project(a, b, c)', '  Values()'));
    expect(folded('SELECT * FROM t JOIN u ON TRUE')).to.contain('Join(CROSS)');
  });

  it('simplifies CASE branches with constant conditions', () => {
    expect(folded("SELECT CASE WHEN 1 > 2 THEN 'a' WHEN a > 0 THEN 'b' ELSE 'c' END, CASE WHEN TRUE THEN 1 ELSE a END FROM t")).to.equal(lines(
      "Project(CASE WHEN a > 0 THEN 'b' ELSE 'c' END AS case, 1 AS case)",
      '  Scan(t)',
    ));
  });

  it('leaves errors to execution and never folds the clock, randomness or the session time zone', () => {
    expect(folded("SELECT 1 / 0, CAST('abc' AS INT)")).to.equal("Values((1 / 0, CAST('abc' AS INT)))");
    expect(folded('SELECT rand(), now(), CURRENT_DATE + 1')).to.equal('Values((rand(), current_timestamp(), date_plus_days(current_date(), 1)))');
    expect(folded("SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' AS TIMESTAMP_LTZ(3))")).to.contain('CAST(');
  });

  it('reports no change when there is nothing to fold', () => {
    const p = bind('SELECT a FROM t WHERE b > 1').plan;
    expect(constantFoldingRule.rewrite(p).changed).to.equal(false);
  });

  it('keeps results', () => {
    expectSameResults("SELECT a + 1, b * (2 + 3), c || 'x' FROM t WHERE 1 = 1 AND (a > 1 + 1 OR FALSE) AND CASE WHEN 1 > 2 THEN FALSE ELSE TRUE END");
  });
});
