// WindowJoin across checkpoints: rows held in memory between them, written as chunks, read back on restart, freed with their window.

import { expect } from 'chai';
import { WindowJoin, type WindowJoinOptions } from '../../executor/operators/window-join.js';
import { Harness, table } from './harness.js';

describe('WindowJoin across checkpoints', () => {
  it('joins a window whose rows came across checkpoints and restarts, then frees it', () => {
    // l (num, window_start, window_end) JOIN r (maxn, window_start, window_end) ON the window AND num >= maxn
    const options: WindowJoinOptions = {
      joinType: 'INNER', leftKeys: [1, 2], rightKeys: [1, 2], residual: (row) => (row[0] as number) >= (row[3] as number),
      leftEnd: 2, rightEnd: 2, leftWidth: 3, rightWidth: 3, timeAttribute: 'ROWTIME',
    };
    const h = new Harness(new WindowJoin(options));
    h.feed('+I 1 0 10000\n+I 2 0 10000', 0);
    h.restart(new WindowJoin(options), 1);
    h.feed('+I 3 0 10000\n+I 5 10000 20000', 0);
    h.feed('+I 2 0 10000', 1);
    h.restart(new WindowJoin(options), 2);
    h.watermark(10000, 0);
    h.watermark(10000, 1);
    expect(h.table()).to.equal(table(`
      2 0 10000 2 0 10000
      3 0 10000 2 0 10000
    `));
    // Left: the chunk of [10000, 20000); a checkpoint adds the progress.
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(1);
    h.operator.snapshot(3);
    expect(h.backend.forOperator(h.operatorId).stats().keys).to.equal(2);
  });
});
