// TopN: rows entering and leaving the top, ranks with ties, and random runs against sorting from scratch.

import { expect } from 'chai';
import { compareValues } from '../../common/compare.js';
import { projectedKey, rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { DELETE, INSERT } from '../../executor/change.js';
import { TopN, type TopNOptions } from '../../executor/operators/top-n.js';
import type { SortKey } from '../../planner/logical/sort.js';
import { Harness, consolidate, rng, sortRows, table, takeRandom, type Change } from './harness.js';

const scoreDesc: SortKey[] = [{ index: 2, descending: true, nullsFirst: false }];

describe('TopN', () => {
  it('ROW_NUMBER: when a row leaves the top the next one enters', () => {
    // Top 2 per p by score DESC over (p, name, score)
    const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 0, limit: 2, outputRank: false }));
    expect(h.feed('+I a x 10\n+I a y 20\n+I b q 1')).to.equal(table(`
      +I a y 20
      +I a x 10
      +I b q 1
    `));
    expect(h.feed('+I a z 15')).to.equal(table(`
      -D a x 10
      +I a z 15
    `));
    // Below the top: no output.
    expect(h.feed('+I a w 5')).to.equal('');
    expect(h.feed('-D a y 20')).to.equal(table(`
      -D a y 20
      +I a x 10
    `));
    expect(h.feed('-D a w 5')).to.equal('');
    expect(h.table()).to.equal(table(`
      a x 10
      a z 15
      b q 1
    `));
  });

  it('ROW_NUMBER with the rank column: -U/+U for rows whose rank changed', () => {
    const h = new Harness(new TopN({ partitionKeys: [], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 0, limit: 2, outputRank: true }));
    expect(h.feed('+I a x 10')).to.equal(table('+I a x 10 1'));
    expect(h.feed('+I a y 20')).to.equal(table(`
      -U a x 10 1
      +U a x 10 2
      +I a y 20 1
    `));
    expect(h.feed('+I a z 30')).to.equal(table(`
      -D a x 10 2
      -U a y 20 1
      +U a y 20 2
      +I a z 30 1
    `));
  });

  it('RANK with ties: tied rows share a rank and enter or leave together', () => {
    const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'RANK', offset: 0, limit: 2, outputRank: true }));
    expect(h.feed('+I a x 10')).to.equal(table('+I a x 10 1'));
    expect(h.feed('+I a y 10')).to.equal(table('+I a y 10 1'));
    // z outranks both: they are now tied at rank 2, still within the top 2.
    expect(h.feed('+I a z 20')).to.equal(table(`
      -U a x 10 1
      +U a x 10 2
      -U a y 10 1
      +U a y 10 2
      +I a z 20 1
    `));
    // w pushes the tie to rank 3: both leave.
    expect(h.feed('+I a w 30')).to.equal(table(`
      -D a x 10 2
      -D a y 10 2
      -U a z 20 1
      +U a z 20 2
      +I a w 30 1
    `));
    expect(h.feed('-D a z 20')).to.equal(table(`
      -D a z 20 2
      +I a x 10 2
      +I a y 10 2
    `));
  });

  it('DENSE_RANK counts distinct order keys', () => {
    const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'DENSE_RANK', offset: 0, limit: 2, outputRank: true }));
    h.feed('+I a w 30\n+I a x 20\n+I a y 20\n+I a z 10');
    expect(h.table()).to.equal(table(`
      a w 30 1
      a x 20 2
      a y 20 2
    `));
    expect(h.feed('-D a w 30')).to.equal(table(`
      -D a w 30 1
      -U a x 20 2
      +U a x 20 1
      -U a y 20 2
      +U a y 20 1
      +I a z 10 2
    `));
  });

  it('OFFSET skips the first ranks', () => {
    // ORDER BY score DESC LIMIT 2 OFFSET 1
    const h = new Harness(new TopN({ partitionKeys: [], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 1, limit: 2, outputRank: false }));
    expect(h.feed('+I a x 10\n+I a y 20')).to.equal(table('+I a x 10'));
    expect(h.feed('+I a z 30\n+I a v 5')).to.equal(table('+I a y 20'));
    expect(h.feed('-D a y 20')).to.equal(table('-D a y 20\n+I a v 5'));
  });

  it('duplicates take consecutive row numbers', () => {
    const h = new Harness(new TopN({ partitionKeys: [], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 0, limit: 2, outputRank: false }));
    expect(h.feed('+I a x 5\n+I a x 5\n+I a x 5')).to.equal(table('+I a x 5\n+I a x 5'));
    // A row between the last ranked copy and the next one displaces a copy.
    expect(h.feed('+I a y 7')).to.equal(table('-D a x 5\n+I a y 7'));
    // Three copies, one ranked: the last copy leaving is what takes it out.
    expect(h.feed('-D a x 5')).to.equal('');
    expect(h.feed('-D a x 5')).to.equal('');
    expect(h.feed('-D a x 5')).to.equal(table('-D a x 5'));
  });

  describe('insert-only input: only the rows that can still rank are kept', () => {
    function keptRows(h: Harness, partition: Row): number {
      const kept = h.backend.forOperator(h.operatorId).value<[Row, number][]>('kept').get([projectedKey(partition, partition.map((_, i) => i))]);
      return kept?.length ?? 0;
    }

    it('ROW_NUMBER: a row entering the top pushes the last one out; rows below it are dropped', () => {
      const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 0, limit: 2, outputRank: false, insertOnlyInput: true }));
      expect(h.feed('+I a x 10\n+I a y 20\n+I b q 1')).to.equal(table(`
        +I a y 20
        +I a x 10
        +I b q 1
      `));
      expect(h.feed('+I a z 15')).to.equal(table('-D a x 10\n+I a z 15'));
      expect(h.feed('+I a w 5')).to.equal('');
      expect(keptRows(h, ['a'])).to.equal(2);
      // A tie on score is broken by the row's key string: v before y.
      expect(h.feed('+I a v 20')).to.equal(table('-D a z 15\n+I a v 20'));
      expect(h.table()).to.equal(table(`
        a v 20
        a y 20
        b q 1
      `));
      expect(() => h.feed('-D a v 20')).to.throw(/retraction/);
    });

    it('ROW_NUMBER: copies past the last row number are not kept', () => {
      const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'ROW_NUMBER', offset: 0, limit: 2, outputRank: false, insertOnlyInput: true }));
      expect(h.feed('+I a x 5\n+I a x 5\n+I a x 5')).to.equal(table('+I a x 5\n+I a x 5'));
      expect(h.feed('+I a y 7')).to.equal(table('-D a x 5\n+I a y 7'));
      // Another copy of x ranks 3rd: dropped.
      expect(h.feed('+I a x 5')).to.equal('');
      expect(h.feed('+I a z 6')).to.equal(table('-D a x 5\n+I a z 6'));
      expect(keptRows(h, ['a'])).to.equal(2);
    });

    it('RANK with OFFSET: rows tied at the last rank all stay, and leave together', () => {
      // Ranks 2 and 3 (OFFSET 1 LIMIT 2), one partition.
      const h = new Harness(new TopN({ partitionKeys: [], orderKeys: scoreDesc, rankFn: 'RANK', offset: 1, limit: 2, outputRank: true, insertOnlyInput: true }));
      expect(h.feed('+I a x 10')).to.equal('');
      expect(h.feed('+I a y 10')).to.equal('');
      expect(h.feed('+I a z 20')).to.equal(table('+I a x 10 2\n+I a y 10 2'));
      expect(h.feed('+I a w 10')).to.equal(table('+I a w 10 2'));
      // v takes rank 1: the tie of three moves to rank 3, still in.
      expect(h.feed('+I a v 30')).to.equal(table(`
        -U a w 10 2
        +U a w 10 3
        -U a x 10 2
        +U a x 10 3
        -U a y 10 2
        +U a y 10 3
        +I a z 20 2
      `));
      // u ranks 2: the tie would rank 4, so all three leave; z moves to 3.
      expect(h.feed('+I a u 25')).to.equal(table(`
        -D a w 10 3
        -D a x 10 3
        -D a y 10 3
        -U a z 20 2
        +U a z 20 3
        +I a u 25 2
      `));
      expect(h.feed('+I a t 10')).to.equal('');
      expect(keptRows(h, [])).to.equal(3);
    });

    it('RANK: rows tied at the last rank keep joining it until a better row pushes them all out', () => {
      const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'RANK', offset: 0, limit: 1, outputRank: true, insertOnlyInput: true }));
      expect(h.feed('+I a x 5\n+I a y 5')).to.equal(table('+I a x 5 1\n+I a y 5 1'));
      expect(h.feed('+I a z 5')).to.equal(table('+I a z 5 1'));
      expect(h.feed('+I a w 4')).to.equal('');
      expect(keptRows(h, ['a'])).to.equal(3);
      expect(h.feed('+I a v 6\n+I a u 5')).to.equal(table(`
        -D a x 5 1
        -D a y 5 1
        -D a z 5 1
        +I a v 6 1
      `));
      expect(keptRows(h, ['a'])).to.equal(1);
    });

    it('DENSE_RANK: a row tied with the last kept order key still enters', () => {
      const h = new Harness(new TopN({ partitionKeys: [0], orderKeys: scoreDesc, rankFn: 'DENSE_RANK', offset: 0, limit: 2, outputRank: true, insertOnlyInput: true }));
      expect(h.feed('+I a x 20\n+I a y 20\n+I a z 10\n+I a w 10')).to.equal(table(`
        +I a x 20 1
        +I a y 20 1
        +I a w 10 2
        +I a z 10 2
      `));
      expect(h.feed('+I a v 30')).to.equal(table(`
        -D a w 10 2
        -D a z 10 2
        -U a x 20 1
        +U a x 20 2
        -U a y 20 1
        +U a y 20 2
        +I a v 30 1
      `));
      expect(h.feed('+I a u 5')).to.equal('');
      expect(h.feed('+I a t 20')).to.equal(table('+I a t 20 2'));
      expect(keptRows(h, ['a'])).to.equal(4);
    });
  });

  describe('random changes equal sorting each partition from scratch', () => {
    // Rows (p, v, s): p partition, v a number or NULL, s a string.
    const orderKeys: SortKey[] = [
      { index: 1, descending: true, nullsFirst: true },
      { index: 2, descending: false, nullsFirst: false },
    ];

    function compareBy(a: Row, b: Row): number {
      for (const k of orderKeys) {
        const x = a[k.index] as Value;
        const y = b[k.index] as Value;
        if (x === null && y === null) continue;
        if (x === null) return k.nullsFirst ? -1 : 1;
        if (y === null) return k.nullsFirst ? 1 : -1;
        const c = compareValues(x, y);
        if (c !== 0) return k.descending ? -c : c;
      }
      return 0;
    }

    function expected(o: TopNOptions, live: readonly Row[]): Row[] {
      const parts = new Map<Value, Row[]>();
      for (const r of live) {
        const p = parts.get(r[0] as Value) ?? [];
        p.push(r);
        parts.set(r[0] as Value, p);
      }
      const out: Row[] = [];
      for (const rows of parts.values()) {
        // Ties by the whole row's key string, as the operator breaks them.
        rows.sort((a, b) => compareBy(a, b) || (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0));
        let rank = 0;
        let dense = 0;
        rows.forEach((r, i) => {
          const tie = i > 0 && compareBy(rows[i - 1] as Row, r) === 0;
          if (!tie) { dense++; rank = i + 1; }
          const rk = o.rankFn === 'ROW_NUMBER' ? i + 1 : o.rankFn === 'RANK' ? rank : dense;
          if (rk > o.offset && rk <= o.offset + o.limit) out.push(o.outputRank ? [...r, rk] : r);
        });
      }
      return sortRows(out);
    }

    const cases: TopNOptions[] = [];
    for (const rankFn of ['ROW_NUMBER', 'RANK', 'DENSE_RANK'] as const) {
      for (const outputRank of [false, true]) {
        cases.push({ partitionKeys: [0], orderKeys, rankFn, offset: outputRank ? 1 : 0, limit: outputRank ? 2 : 3, outputRank });
      }
    }
    for (const [ci, o] of cases.entries()) {
      it(`${o.rankFn}, offset ${o.offset}, limit ${o.limit}${o.outputRank ? ', rank column' : ''}`, () => {
        const r = rng(ci + 40);
        const h = new Harness(new TopN(o));
        const live: Row[] = [];
        for (let step = 0; step < 200; step++) {
          if (step === 100) h.restart(new TopN(o));
          const batch: Change[] = [];
          for (let i = Math.floor(r() * 4); i > 0; i--) {
            const row: Row = [Math.floor(r() * 2), r() < 0.15 ? null : Math.floor(r() * 6), ['p', 'q', 'r'][Math.floor(r() * 3)] as string];
            batch.push([INSERT, row]);
            live.push(row);
          }
          for (const row of takeRandom(live, Math.floor(r() * 3), r)) batch.push([DELETE, row]);
          h.push(batch);
          expect(consolidate(h.output), `step ${step}`).to.deep.equal(expected(o, live));
        }
      });
    }

    for (const [ci, o] of cases.entries()) {
      it(`insert-only input, ${o.rankFn}, offset ${o.offset}, limit ${o.limit}${o.outputRank ? ', rank column' : ''}: the changelog of keeping every row`, () => {
        const r = rng(ci + 80);
        const bounded = { ...o, insertOnlyInput: true };
        const h = new Harness(new TopN(bounded));
        const all = new Harness(new TopN(o));
        const live: Row[] = [];
        for (let step = 0; step < 150; step++) {
          if (step === 75) h.restart(new TopN(bounded));
          const batch: Change[] = [];
          for (let i = Math.floor(r() * 5); i > 0; i--) {
            const row: Row = [Math.floor(r() * 2), r() < 0.15 ? null : Math.floor(r() * 8), ['p', 'q', 'r'][Math.floor(r() * 3)] as string];
            batch.push([INSERT, row]);
            live.push(row);
          }
          expect(h.push(batch), `step ${step}`).to.deep.equal(all.push(batch));
          expect(consolidate(h.output), `step ${step}`).to.deep.equal(expected(o, live));
        }
      });
    }

    // Past 128 ranks the kept rows stay in sorted state: rows that cannot rank are not stored, those pushed out are deleted.
    for (const [ci, rankFn] of (['ROW_NUMBER', 'RANK', 'DENSE_RANK'] as const).entries()) {
      const o: TopNOptions = { partitionKeys: [0], orderKeys, rankFn, offset: 126, limit: 5, outputRank: ci !== 1 };
      it(`insert-only input, ${rankFn}, offset ${o.offset}, limit ${o.limit}: many ranks, kept in sorted state`, () => {
        const r = rng(ci + 120);
        // Enough distinct order keys for DENSE_RANK to reach its ranks, few enough for ties and copies.
        const values = 100;
        const bounded = { ...o, insertOnlyInput: true };
        const h = new Harness(new TopN(bounded));
        const all = new Harness(new TopN(o));
        const live: Row[] = [];
        for (let step = 0; step < 200; step++) {
          if (step === 100) h.restart(new TopN(bounded));
          const batch: Change[] = [];
          for (let i = Math.floor(r() * 6); i > 0; i--) {
            const row: Row = [Math.floor(r() * 2), r() < 0.1 ? null : Math.floor(r() * values), ['p', 'q', 'r'][Math.floor(r() * 3)] as string];
            batch.push([INSERT, row]);
            live.push(row);
          }
          expect(h.push(batch), `step ${step}`).to.deep.equal(all.push(batch));
          if (step % 20 === 19) expect(consolidate(h.output), `step ${step}`).to.deep.equal(expected(o, live));
        }
        const stored = (p: number): number => [...h.backend.forOperator(h.operatorId).sorted<[Row, number]>('rows').scan([projectedKey([p], [0])])].length;
        const all0 = new Set(live.filter((row) => row[0] === 0).map((row) => rowKey(row))).size;
        expect(all0, 'distinct rows of partition 0').to.be.above(150);
        // ROW_NUMBER keeps at most offset+limit distinct rows; RANK / DENSE_RANK keep ties too, but not every row.
        expect(stored(0), 'rows in sorted state').to.be.above(0);
        if (rankFn === 'ROW_NUMBER') expect(stored(0)).to.be.at.most(131);
        else expect(stored(0)).to.be.below(all0);
      });
    }
  });
});
