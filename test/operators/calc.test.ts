// Calc and Union: stateless operators pass kinds and watermarks through.

import { expect } from 'chai';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch } from '../../executor/change.js';
import { Calc } from '../../executor/operators/calc.js';
import { Union } from '../../executor/operators/union.js';
import { Harness, table } from './harness.js';

describe('Calc', () => {
  it('filters and projects every kind alike', () => {
    // SELECT b, a * 10 FROM t WHERE a > 1
    const h = new Harness(new Calc({
      predicate: (r: Row) => (r[0] as number) > 1,
      projections: [(r: Row) => r[1] as Value, (r: Row) => (r[0] as number) * 10],
    }));
    expect(h.feed(`
      +I 1 a
      +I 2 b
      -U 2 b
      +U 3 b
      -D 5 c
    `)).to.equal(table(`
      +I b 20
      -U b 20
      +U b 30
      -D c 50
    `));
  });

  it('without a predicate or projections forwards the batch as it is', () => {
    const h = new Harness(new Calc({}));
    const batch = ChangeBatch.of([[0, [1]]]);
    let seen: ChangeBatch | undefined;
    const calc = new Calc({});
    calc.open({ state: h.backend.forOperator('x'), now: () => 0, output: { emit: (b) => { seen = b; }, emitWatermark: () => {} } });
    calc.processBatch(0, batch);
    expect(seen).to.equal(batch);
  });

  it('forwards watermarks, never lowering them', () => {
    const h = new Harness(new Calc({ predicate: () => false }));
    expect(h.watermark(5)).to.deep.equal([5]);
    expect(h.watermark(3)).to.deep.equal([]);
    expect(h.watermark(9)).to.deep.equal([9]);
  });
});

describe('Union', () => {
  it('forwards every input and takes the minimum watermark', () => {
    const h = new Harness(new Union({ inputs: 3 }));
    expect(h.feed('+I 1', 0)).to.equal(table('+I 1'));
    expect(h.feed('-D 2', 2)).to.equal(table('-D 2'));
    expect(h.watermark(10, 0)).to.deep.equal([]);
    expect(h.watermark(20, 1)).to.deep.equal([]);
    expect(h.watermark(15, 2)).to.deep.equal([10]);
    expect(h.watermark(30, 0)).to.deep.equal([15]);
  });
});
