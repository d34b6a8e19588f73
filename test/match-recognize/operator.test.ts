// The streaming MATCH_RECOGNIZE operator: rows wait for the watermark, late rows, the watermark passed on, and state kept only while a match can use it.

import { expect } from 'chai';
import type { Query } from '../../parser/ast/index.js';
import { parseStatement } from '../../parser/index.js';
import { bindQuery } from '../../planner/binder/index.js';
import type { LogicalPlan } from '../../planner/logical/index.js';
import type { MatchRecognize as MatchRecognizeNode } from '../../planner/logical/match-recognize.js';
import { MatchRecognize } from '../../executor/operators/match-recognize.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { Row } from '../../common/value.js';
import { INSERT } from '../../executor/change.js';
import { formatRow, Harness } from '../operators/harness.js';
import { TestCatalog } from '../binder/support.js';

// Rows (k, id, v, ts) with ts in seconds (microseconds in the row).
const S = 1_000_000;

function node(clauses: string): MatchRecognizeNode {
  const cat = new TestCatalog().table('CREATE TABLE t (k STRING, id INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)');
  let plan: LogicalPlan = bindQuery(parseStatement(`SELECT * FROM t MATCH_RECOGNIZE (${clauses})`) as Query, cat).plan;
  while (plan.kind !== 'MatchRecognize') {
    if (plan.kind !== 'Project') throw new Error(`unexpected ${plan.kind}`);
    plan = plan.input;
  }
  return plan;
}

class Run {
  readonly backend = new MemoryStateBackend({ copyValues: true });
  readonly op: MatchRecognize;
  readonly h: Harness;

  constructor(clauses: string) {
    this.op = new MatchRecognize({ node: node(clauses) });
    this.h = new Harness(this.op, { backend: this.backend, operatorId: 'mr' });
  }

  /** Rows "k id v ts" separated by commas. */
  rows(text: string): void {
    const rows: Row[] = text.split(',').map((r) => {
      const [k, id, v, ts] = r.trim().split(/\s+/);
      return [k as string, Number(id), v === 'NULL' ? null : Number(v), Number(ts) * S];
    });
    this.h.push(rows.map((r) => [INSERT, r] as const));
  }

  /** Advances the watermark to `seconds`; returns what was emitted meanwhile. */
  watermark(seconds: number): string[] {
    this.h.watermark(seconds * S);
    return this.h.output.splice(0).map(([, r]) => formatRow(r));
  }

  state(): number {
    return this.backend.forOperator('mr').stats().keys;
  }
}

const rise = 'PARTITION BY k ORDER BY ts MEASURES FIRST(id) AS f, LAST(id) AS l PATTERN (S U+) DEFINE U AS v > PREV(v)';

describe('MatchRecognize operator', () => {
  it('matches rows only once the watermark has passed them, in time order', () => {
    const r = new Run(rise);
    // Out of order: 3 before 1 and 2.
    r.rows('a 3 7 3, a 1 5 1, a 2 6 2');
    expect(r.watermark(2)).to.deep.equal([]);
    // 1 and 2 are released (1 < 2 < watermark 3); U+ may go on with 3.
    expect(r.watermark(3)).to.deep.equal([]);
    r.rows('a 4 1 4');
    expect(r.watermark(5)).to.deep.equal(['a 1 3']);
  });

  it('orders rows of the same time by the other ORDER BY columns, then by arrival', () => {
    const r = new Run('PARTITION BY k ORDER BY ts, id MEASURES FIRST(id) AS f, LAST(id) AS l PATTERN (S U+) DEFINE U AS v > PREV(v)');
    r.rows('a 3 3 1, a 1 1 1, a 2 2 1, a 4 0 1');
    expect(r.watermark(2)).to.deep.equal(['a 1 3']);
  });

  it('leaves out rows behind the watermark and counts them', () => {
    const r = new Run(rise);
    r.rows('a 1 5 5');
    r.watermark(6);
    r.rows('a 2 1 4, a 3 9 7');
    expect(r.op.lateRows).to.equal(1);
    r.rows('a 4 0 8');
    // 1 (5) and 3 (9): a rise; the late 2 is not between them.
    expect(r.watermark(9)).to.deep.equal(['a 1 3']);
  });

  it('passes the watermark on, held back to the first row of a match in progress when MATCH_ROWTIME() is output', () => {
    const plain = new Run(rise);
    plain.rows('a 1 1 1, a 2 2 2');
    plain.watermark(5);
    expect(plain.h.watermarks).to.deep.equal([5 * S]);
    const timed = new Run('PARTITION BY k ORDER BY ts MEASURES MATCH_ROWTIME() AS mt PATTERN (S U+) DEFINE U AS v > PREV(v)');
    timed.rows('a 1 1 1, a 2 2 2, b 3 5 3');
    // a's match from 1 is in progress (U+ may take more), b's attempt from 3 too.
    timed.watermark(5);
    expect(timed.h.watermarks).to.deep.equal([1 * S]);
    timed.rows('a 4 0 6, b 5 0 7');
    // a's match 1..2 is decided (row 6 is no rise), a new attempt starts at 6; b's from 3 fails at 7.
    expect(timed.watermark(8)).to.deep.equal([`a ${2 * S}`]);
    expect(timed.h.watermarks).to.deep.equal([1 * S, 6 * S]);
  });

  it('gives unmatched rows their own time as MATCH_ROWTIME()', () => {
    const r = new Run('PARTITION BY k ORDER BY ts MEASURES MATCH_ROWTIME() AS mt, CLASSIFIER() AS cls ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (S U) DEFINE U AS v > PREV(v)');
    r.rows('a 1 5 1, a 2 3 2, a 3 4 3');
    // 1 (S) then 2 is no rise: 1 is unmatched; 2 3 is a match ending at 3.
    expect(r.watermark(10)).to.deep.equal([`a ${S} ${S} NULL 1 5`, `a ${2 * S} ${3 * S} s 2 3`, `a ${3 * S} ${3 * S} u 3 4`]);
  });

  it('keeps nothing for a partition without a match in progress', () => {
    const r = new Run(rise);
    r.rows('a 1 1 1, a 2 2 2, a 3 0 3, b 4 5 4');
    r.watermark(10);
    // a: 1..2 matched; 3 starts an attempt (S); b: 4 starts one. Both in progress.
    expect(r.state()).to.be.above(1);
    r.rows('a 5 0 11, b 6 0 12');
    r.watermark(20);
    // 5 and 6 start attempts again: each partition keeps its attempt's row.
    const busy = r.state();
    r.watermark(Number.POSITIVE_INFINITY);
    // The end of the input decides everything: only the operator's progress is left.
    expect(busy).to.be.above(1);
    expect(r.state()).to.equal(1);
  });

  it('frees a partition whose attempt fails, keeping only the rows PREV can still read', () => {
    const r = new Run('PARTITION BY k ORDER BY ts MEASURES FIRST(id) AS f PATTERN (U{2}) DEFINE U AS v > PREV(v, 2)');
    r.rows('a 1 5 1, a 2 1 2, a 3 0 3');
    r.watermark(10);
    // No attempt can start at 1..3 (3's U needs v > 5): the partition keeps its last two rows for PREV(v, 2).
    const rows = r.state();
    r.rows('a 4 6 11, a 5 9 12');
    // 4 (6 > 1) and 5 (9 > 0): PREV(v, 2) reaches back into rows no attempt holds.
    expect(r.watermark(13)).to.deep.equal(['a 4']);
    // Progress, the partition's record (with its last two rows) and its entry among partitions kept idle.
    expect(rows).to.equal(1 + 1 + 1);
  });

  it('continues where it stopped after a restart on the same state', () => {
    const r = new Run(rise);
    r.rows('a 1 1 1, a 2 2 2, a 3 3 3');
    r.watermark(3);
    const again = new Harness(new MatchRecognize({ node: node(rise) }), { backend: r.backend, operatorId: 'mr' });
    again.push([[INSERT, ['a', 4, 0, 4 * S]]]);
    again.watermark(5 * S);
    expect(again.output.map(([, row]) => formatRow(row))).to.deep.equal(['a 1 3']);
  });
});
