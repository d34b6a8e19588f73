// Statistics: HyperLogLog accuracy and merging, heavy hitters, the per-relation collector (sampling, disorder), declared figures.

import { expect } from 'chai';
import { SqlError } from '../../common/errors.js';
import { Decimal } from '../../common/decimal.js';
import type { Row } from '../../common/value.js';
import { HeavyHitters } from '../../planner/stats/heavy-hitters.js';
import { declaredStats } from '../../planner/stats/hints.js';
import { HyperLogLog } from '../../planner/stats/hyperloglog.js';
import { StatisticsCatalog } from '../../planner/stats/statistics-catalog.js';
import { TableStatistics } from '../../planner/stats/table-stats.js';
import { hashValue } from '../../planner/stats/value-hash.js';

const INSERT = 0;
const DELETE = 3;

function inserts(rows: Row[]): { kinds: number[]; rows: Row[] } {
  return { kinds: rows.map(() => INSERT), rows };
}

describe('planner statistics', () => {
  describe('HyperLogLog', () => {
    for (const n of [10, 1000, 20_000, 200_000]) {
      it(`counts ${n} distinct values within 5%`, () => {
        const h = new HyperLogLog();
        for (let i = 0; i < n; i++) {
          h.add(i);
          h.add(`s${i % n}`); // strings and numbers are different values
        }
        expect(Math.abs(h.estimate() - 2 * n) / (2 * n)).to.be.below(0.05);
      });
    }

    it('sees repeats as one value, NULL as none, and 1.50 as 1.5', () => {
      const h = new HyperLogLog();
      for (let i = 0; i < 1000; i++) h.add(i % 7);
      h.add(null);
      h.add(new Decimal(150n, 2));
      h.add(new Decimal(15n, 1));
      expect(h.estimate()).to.equal(8);
    });

    it('merges to the sketch of the union, and survives being stored', () => {
      const a = new HyperLogLog();
      const b = new HyperLogLog();
      for (let i = 0; i < 5000; i++) a.add(i);
      for (let i = 2500; i < 7500; i++) b.add(i);
      const stored = HyperLogLog.decode(a.encode());
      stored.merge(b);
      expect(Math.abs(stored.estimate() - 7500) / 7500).to.be.below(0.05);
    });

    it('hashes -0 and 0 alike', () => {
      const x = new Uint32Array(2);
      const y = new Uint32Array(2);
      hashValue(0, x);
      hashValue(-0, y);
      expect([...x]).to.deep.equal([...y]);
    });
  });

  describe('heavy hitters', () => {
    it('finds a hot key holding most rows', () => {
      const h = new HeavyHitters();
      for (let i = 0; i < 10_000; i++) h.add(i % 10 < 7 ? 1 : 1000 + i);
      expect(h.topShare()).to.be.within(0.6, 0.7);
    });

    it('reports no key above its share for uniform data', () => {
      const h = new HeavyHitters();
      for (let i = 0; i < 10_000; i++) h.add(i % 1000);
      expect(h.topShare()).to.be.below(0.01);
    });
  });

  describe('TableStatistics', () => {
    const columns = [{ name: 'k', type: { kind: 'INT' } as const }, { name: 's', type: { kind: 'VARCHAR', length: null } as const }, { name: 'ts', type: { kind: 'TIMESTAMP', precision: 3 } as const }];

    it('counts rows and changes exactly, and retractions', () => {
      const s = new TableStatistics(columns);
      const b = inserts([[1, 'a', 10], [2, 'b', 20], [2, null, 30]]);
      s.observe(b.kinds, b.rows, 1_000_000);
      s.observe([DELETE], [[1, 'a', 10]], 3_000_000);
      const sum = s.summary();
      expect(sum.rows).to.equal(2);
      expect(sum.changes).to.equal(4);
      expect(sum.retractions).to.equal(1);
      expect(sum.updateRate).to.equal(2); // 4 changes over 2 seconds
      expect(sum.columns[0]?.ndv).to.equal(2);
      expect(sum.columns[1]?.nullFraction).to.be.closeTo(1 / 3, 1e-9);
    });

    it('samples a large batch without aliasing periodic values', () => {
      const s = new TableStatistics(columns);
      const rows: Row[] = [];
      for (let i = 0; i < 100_000; i++) rows.push([(i * 17) % 100, `x${i}`, i]);
      const b = inserts(rows);
      s.observe(b.kinds, b.rows, 0);
      const sum = s.summary();
      expect(sum.columns[0]?.ndv).to.be.within(90, 100);
      // A column whose sample is all distinct is scaled up to the rows it stands for.
      expect(sum.columns[1]?.ndv).to.be.within(90_000, 100_000);
    });

    it('measures the disorder of a time column', () => {
      const s = new TableStatistics(columns);
      const b = inserts([[1, 'a', 100], [1, 'a', 300], [1, 'a', 250], [1, 'a', 400], [1, 'a', 50]]);
      s.observe(b.kinds, b.rows, 0);
      expect(s.summary().columns[2]?.disorder).to.deep.equal({ maxLateness: 350, outOfOrderFraction: 2 / 5 });
    });

    it('recomputes everything over given contents on analyze, and keeps its figures through storage', () => {
      const s = new TableStatistics(columns);
      const b = inserts([[1, 'a', 1], [2, 'b', 2], [3, 'c', 3]]);
      s.observe(b.kinds, b.rows, 0);
      s.analyze([[7, 'z', 1]]);
      expect(s.summary().rows).to.equal(1);
      expect(s.summary().source).to.equal('analyzed');
      const back = TableStatistics.decode(s.encode(), columns);
      expect(back.summary()).to.deep.equal(s.summary());
    });
  });

  describe('declared statistics', () => {
    it('reads stats.rows, update-rate, ndv and skew per column', () => {
      const d = declaredStats([
        { key: 'stats.rows', value: '1000000' }, { key: 'stats.update-rate', value: '50' },
        { key: 'stats.ndv.k', value: '100' }, { key: 'STATS.SKEW.k', value: '0.8' }, { key: 'connector', value: 'x' },
      ], ['k', 's']);
      expect(d.rows).to.equal(1_000_000);
      expect(d.updateRate).to.equal(50);
      expect([...d.ndv]).to.deep.equal([['k', 100]]);
      expect([...d.skew]).to.deep.equal([['k', 0.8]]);
    });

    it('rejects unknown keys, bad values and unknown columns, naming the option', () => {
      const bad: [string, string, string][] = [
        ['stats.rowz', '1', '22023'], ['stats.rows', '-1', '22023'], ['stats.skew.k', '2', '22023'], ['stats.ndv.nope', '3', '42703'],
      ];
      for (const [key, value, state] of bad) {
        try {
          declaredStats([{ key, value }], ['k']);
          expect.fail(`${key} = ${value} was accepted`);
        } catch (e) {
          expect(e).to.be.instanceOf(SqlError);
          expect((e as SqlError).sqlstate).to.equal(state);
          expect((e as SqlError).message).to.contain(key);
        }
      }
    });

    it('answers with declared figures while a relation is empty, observed ones once rows came', () => {
      const cat = new StatisticsCatalog(undefined, () => 0);
      cat.track('bids', [{ name: 'k', type: { kind: 'INT' } }], [{ key: 'stats.rows', value: '5000' }, { key: 'stats.ndv.k', value: '50' }]);
      expect(cat.relation('bids')).to.include({ rows: 5000, source: 'declared' });
      expect(cat.relation('bids')?.columns[0]?.ndv).to.equal(50);
      cat.observe('bids', [INSERT, INSERT], [[1], [2]]);
      expect(cat.relation('bids')).to.include({ rows: 2, source: 'observed' });
    });
  });
});
