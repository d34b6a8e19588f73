// Binding MATCH_RECOGNIZE: the plan node and its output columns, accesses of DEFINE and MEASURES, and errors with their positions.

import { expect } from 'chai';
import type { MatchRecognize } from '../../planner/logical/match-recognize.js';
import { bind, explain, pos, queryError, TestCatalog } from '../binder/support.js';

function cat(): TestCatalog {
  return new TestCatalog()
    .table('CREATE TABLE ticker (symbol STRING, price BIGINT, tax BIGINT, rowtime TIMESTAMP(3), WATERMARK FOR rowtime AS rowtime - INTERVAL \'1\' SECOND)')
    .table('CREATE TABLE plain (symbol STRING, price BIGINT, ts TIMESTAMP(3), pt AS PROCTIME())');
}

function node(sql: string): MatchRecognize {
  const plan = bind(sql, cat()).plan;
  const mr = plan.kind === 'MatchRecognize' ? plan : plan.kind === 'Project' && plan.input.kind === 'MatchRecognize' ? plan.input : undefined;
  if (mr === undefined) throw new Error(`no MatchRecognize in ${plan.kind}`);
  return mr;
}

const head = 'SELECT * FROM ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime';

describe('binder: MATCH_RECOGNIZE', () => {
  it('outputs partition columns and measures for ONE ROW PER MATCH', () => {
    const sql = `${head} MEASURES A.price AS a_price, MATCH_ROWTIME() AS mt, COUNT(*) AS n PATTERN (A B+) DEFINE B AS B.price < PREV(B.price)) AS mr`;
    const b = bind(sql, cat());
    expect(b.columnNames).to.deep.equal(['symbol', 'a_price', 'mt', 'n']);
    // MATCH_ROWTIME() is the output's event-time attribute, of the ORDER BY column's type.
    expect(b.plan.schema[2]).to.deep.equal({ name: 'mt', type: { kind: 'TIMESTAMP', precision: 3 }, nullable: false, timeAttribute: 'ROWTIME' });
    expect(b.plan.schema[1]?.timeAttribute).to.equal(undefined);
  });

  it('outputs partition, order, measures and the other columns for ALL ROWS PER MATCH', () => {
    const b = bind(`${head} MEASURES CLASSIFIER() AS cls ALL ROWS PER MATCH PATTERN (A)) AS mr`, cat());
    expect(b.columnNames).to.deep.equal(['symbol', 'rowtime', 'cls', 'price', 'tax']);
    // The input's rowtime is a plain timestamp in the output.
    expect(b.plan.schema[1]?.timeAttribute).to.equal(undefined);
    expect(bind(`${head} MEASURES CLASSIFIER() AS cls ALL ROWS PER MATCH PATTERN (A)) AS mr (s, t, c)`, cat()).columnNames).to.deep.equal(['s', 't', 'c', 'price', 'tax']);
  });

  it('turns navigation, aggregates and the match functions into accesses', () => {
    const mr = node(`${head} MEASURES PREV(LAST(B.price, 1), 2) AS p, FINAL AVG(U.price) AS avg_u, FIRST(price) + NEXT(price) AS f, CLASSIFIER(U) AS cls
      PATTERN (A B* C) SUBSET U = (A, C) DEFINE B AS B.price < PREV(B.price) AND COUNT(*) < 10)`);
    expect(mr.variables).to.deep.equal(['a', 'b', 'c']);
    expect(mr.subsets).to.deep.equal([{ name: 'u', variables: [0, 2] }]);
    const [p, avg, f, cls] = mr.measures.map((m) => m.expr.accesses);
    expect(p).to.deep.equal([{ kind: 'Navigation', rows: [1], from: 'last', offset: 1, physical: -2, value: { kind: 'InputRef', index: 1, type: { kind: 'BIGINT' } }, final: false, type: { kind: 'BIGINT' } }]);
    expect(avg?.[0]).to.deep.include({ kind: 'Aggregate', rows: [0, 2], fn: 'avg', final: true });
    expect(f?.map((a) => a.kind === 'Navigation' && [a.rows, a.from, a.offset, a.physical])).to.deep.equal([[null, 'first', 0, 0], [null, 'last', 0, 1]]);
    expect(cls).to.deep.equal([{ kind: 'Classifier', rows: [0, 2], final: false, type: { kind: 'VARCHAR', length: null } }]);
    // A is not defined: it matches every row.
    expect(mr.defines[0]).to.equal(undefined);
    expect(mr.defines[1]?.accesses.map((a) => a.kind)).to.deep.equal(['Navigation', 'Navigation', 'Aggregate']);
  });

  it('reads an access written twice once', () => {
    const mr = node(`${head} MEASURES A.price + A.price AS twice PATTERN (A))`);
    expect(mr.measures[0]?.expr.accesses.length).to.equal(1);
  });

  it('explains the node with its pattern and automaton', () => {
    expect(explain(`${head} MEASURES LAST(B.price) AS b AFTER MATCH SKIP TO NEXT ROW PATTERN (A B{2,}?) WITHIN INTERVAL '10' SECOND DEFINE B AS B.price > A.price)`, cat()))
      .to.equal([
        'Project(symbol, b)',
        '  MatchRecognize(partition=[symbol], order=[rowtime], measures=[b.price AS b], ONE ROW PER MATCH, AFTER MATCH SKIP TO NEXT ROW, pattern=(a b{2,}?), within=10s, define=[b AS b.price > a.price], nfa=[0: a -> 1; 1: b -> 2; 2: b -> 3; 3: split 4 | 5; 4: match; 5: b -> 3])',
        '    Scan(ticker)',
      ].join('\n'));
  });

  it('requires ORDER BY an event-time attribute, ascending, first', () => {
    let sql = 'SELECT * FROM plain MATCH_RECOGNIZE (ORDER BY ts MEASURES A.price AS p PATTERN (A))';
    queryError(sql, { sqlstate: '42P20', message: 'MATCH_RECOGNIZE must be ordered first by an event-time attribute, not by "ts"', position: pos(sql, 'ts MEASURES') }, cat());
    sql = 'SELECT * FROM plain MATCH_RECOGNIZE (ORDER BY pt MEASURES A.price AS p PATTERN (A))';
    const err = queryError(sql, { sqlstate: '42P20', message: 'MATCH_RECOGNIZE must be ordered first by an event-time attribute, not by "pt"' }, cat());
    expect(err.hint).to.contain('processing-time');
    sql = `${head} DESC MEASURES A.price AS p PATTERN (A))`;
    queryError(sql, { sqlstate: '42P20', message: 'MATCH_RECOGNIZE must order by the event-time attribute "rowtime" ascending', position: pos(sql, 'rowtime DESC') }, cat());
    sql = 'SELECT * FROM ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY price * 2 MEASURES A.price AS p PATTERN (A))';
    queryError(sql, { sqlstate: '0A000', message: 'an expression in ORDER BY of MATCH_RECOGNIZE is not supported yet', position: pos(sql, 'price * 2') }, cat());
  });

  it('reports undefined pattern variables where they are written', () => {
    let sql = `${head} MEASURES A.price AS p PATTERN (A B) DEFINE B AS B.price > Z.price)`;
    queryError(sql, { sqlstate: '42601', message: 'pattern variable "z" is not defined', position: pos(sql, 'Z.price') }, cat());
    sql = `${head} MEASURES A.price AS p PATTERN (A B) DEFINE C AS C.price > 1)`;
    queryError(sql, { sqlstate: '42601', message: 'pattern variable "c" in DEFINE does not occur in PATTERN', position: pos(sql, 'C AS') }, cat());
    sql = `${head} MEASURES ticker.price AS p PATTERN (A B))`;
    const err = queryError(sql, { sqlstate: '42601', message: 'pattern variable "ticker" is not defined', position: pos(sql, 'ticker.price') }, cat());
    expect(err.hint).to.equal('Inside MATCH_RECOGNIZE a column is qualified by a pattern variable or subset ("a", "b"), or not at all.');
    sql = `${head} MEASURES A.price AS p AFTER MATCH SKIP TO FIRST Q PATTERN (A B))`;
    queryError(sql, { sqlstate: '42601', message: 'pattern variable "q" in AFTER MATCH SKIP is not defined', position: pos(sql, 'Q PATTERN') }, cat());
    sql = `${head} MEASURES CLASSIFIER(Q) AS c PATTERN (A B))`;
    queryError(sql, { sqlstate: '42601', message: 'pattern variable "q" is not defined', position: pos(sql, 'Q)') }, cat());
  });

  it('rejects aggregates and navigation over more than one variable', () => {
    let sql = `${head} MEASURES SUM(A.price + B.tax) AS s PATTERN (A B))`;
    queryError(sql, { sqlstate: '42803', message: 'the arguments of sum must refer to one pattern variable only', position: pos(sql, 'B.tax') }, cat());
    sql = `${head} MEASURES AVG(A.price + tax) AS s PATTERN (A B))`;
    queryError(sql, { sqlstate: '42803', message: 'the arguments of avg must refer to one pattern variable only', position: pos(sql, 'tax)') }, cat());
    sql = `${head} MEASURES LAST(A.price - B.price) AS s PATTERN (A B))`;
    queryError(sql, { sqlstate: '42601', message: 'the argument of LAST must refer to one pattern variable only', position: pos(sql, 'B.price') }, cat());
    sql = `${head} MEASURES SUM(SUM(A.price)) AS s PATTERN (A B))`;
    queryError(sql, { sqlstate: '42803', message: 'aggregate function calls cannot be nested', position: pos(sql, 'SUM(A') }, cat());
  });

  it('checks navigation offsets', () => {
    let sql = `${head} MEASURES PREV(A.price, -1) AS p PATTERN (A))`;
    queryError(sql, { sqlstate: '42601', message: 'the offset of PREV must not be negative', position: pos(sql, '-1') }, cat());
    sql = `${head} MEASURES FIRST(A.price, A.tax) AS p PATTERN (A))`;
    queryError(sql, { sqlstate: '42601', message: 'the offset of FIRST must be a non-negative integer constant', position: pos(sql, 'A.tax') }, cat());
    sql = `${head} MEASURES NEXT(A.price, 1.5) AS p PATTERN (A))`;
    queryError(sql, { sqlstate: '42601', message: 'the offset of NEXT must be a non-negative integer constant', position: pos(sql, '1.5') }, cat());
    sql = `${head} MEASURES LAST(PREV(A.price)) AS p PATTERN (A))`;
    queryError(sql, { sqlstate: '42601', message: 'PREV cannot be used inside LAST', position: pos(sql, 'PREV(') }, cat());
  });

  it('keeps FINAL and MATCH_ROWTIME() out of DEFINE', () => {
    let sql = `${head} MEASURES A.price AS p PATTERN (A B) DEFINE B AS B.price > FINAL LAST(A.price))`;
    queryError(sql, { sqlstate: '42601', message: 'FINAL cannot be used in DEFINE', position: pos(sql, 'FINAL') }, cat());
    sql = `${head} MEASURES A.price AS p PATTERN (A B) DEFINE B AS MATCH_ROWTIME() > B.rowtime)`;
    queryError(sql, { sqlstate: '42601', message: 'MATCH_ROWTIME() can only be used in MEASURES', position: pos(sql, 'MATCH_ROWTIME') }, cat());
  });
});
