// The Arrangement operator: rows filed by key once, each reader seeing a batch exactly from its own turn on.

import { expect } from 'chai';
import { projectedKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, DELETE, INSERT } from '../../executor/change.js';
import type { Output } from '../../executor/operator.js';
import { Arrangement } from '../../executor/operators/arrangement.js';
import { Join } from '../../executor/operators/join.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';

function rowsOf(view: { entries(k: readonly string[]): IterableIterator<[unknown, [Row, number, number]]> }, key: Row): Row[] {
  const out: Row[] = [];
  for (const [, [row, copies]] of view.entries([projectedKey(key, [0])])) for (let c = 0; c < copies; c++) out.push(row);
  return out;
}

function open(a: Arrangement): void {
  a.open({ state: new MemoryStateBackend({ copyValues: true }).forOperator('shared/0'), output: { emit: () => {}, emitWatermark: () => {} }, now: () => 0 });
}

describe('Arrangement', () => {
  it('files rows by key with their copies, and drops a retraction of a row it does not hold', () => {
    const a = new Arrangement([0]);
    open(a);
    a.processBatch(0, ChangeBatch.of([[INSERT, [1, 'x']], [INSERT, [1, 'x']], [INSERT, [2, 'y']], [DELETE, [3, 'z']]]));
    const r = a.reader('1#0');
    expect(rowsOf(r, [1])).to.deep.equal([[1, 'x'], [1, 'x']]);
    expect([...a.contents()].length).to.equal(3);
  });

  it('shows a reader the rows as they were until the batch reaches it', () => {
    const a = new Arrangement([0]);
    open(a);
    const first = a.reader('1#0');
    const second = a.reader('2#0');
    a.processBatch(0, ChangeBatch.inserts([[1, 'old']]));
    const seen: Record<string, Row[]> = {};
    const follow = (look: () => void): Output => ({ emit: look, emitWatermark: () => {} });
    a.follow('1#0', follow(() => {
      // The first reader has the batch; the second, whose turn is next, does not yet.
      seen['first'] = rowsOf(first, [1]);
      seen['second before its turn'] = rowsOf(second, [1]);
    }));
    a.follow('2#0', follow(() => {
      seen['second'] = rowsOf(second, [1]);
    }));
    a.processBatch(0, ChangeBatch.of([[DELETE, [1, 'old']], [INSERT, [1, 'new']]]));
    expect(seen).to.deep.equal({ first: [[1, 'new']], 'second before its turn': [[1, 'old']], second: [[1, 'new']] });
    expect(rowsOf(second, [1])).to.deep.equal([[1, 'new']]);
  });

  it('feeds a join that reads it: each pair joined once, whatever order changes come in', () => {
    const a = new Arrangement([0]);
    open(a);
    const out = new ChangeBatch();
    const join = new Join({ joinType: 'INNER', leftKeys: [0], rightKeys: [0], leftWidth: 2, rightWidth: 2, sharedRight: a.reader('7#0') });
    join.open({ state: new MemoryStateBackend().forOperator('job7/1'), output: { emit: (b) => { for (let i = 0; i < b.length; i++) out.push(b.kinds[i] as 0, b.rows[i] as Row); }, emitWatermark: () => {} }, now: () => 0 });
    a.follow('7#0', { emit: (b) => join.processBatch(1, b), emitWatermark: () => {} });
    a.processBatch(0, ChangeBatch.inserts([[1, 'r1']]));
    join.processBatch(0, ChangeBatch.inserts([[1, 'l1']]));
    a.processBatch(0, ChangeBatch.inserts([[1, 'r2']]));
    a.processBatch(0, ChangeBatch.of([[DELETE, [1, 'r1']]]));
    expect(out.rows.map((r, i) => [out.kinds[i], ...r])).to.deep.equal([
      [INSERT, 1, 'l1', 1, 'r1'],
      [INSERT, 1, 'l1', 1, 'r2'],
      [DELETE, 1, 'l1', 1, 'r1'],
    ]);
  });
});
