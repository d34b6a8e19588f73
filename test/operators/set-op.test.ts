// SetOp: INTERSECT / EXCEPT [ALL] changelogs by hand, and random runs against counting from scratch.

import { expect } from 'chai';
import { rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { DELETE, INSERT } from '../../executor/change.js';
import { SetOp, type SetOpOptions } from '../../executor/operators/set-op.js';
import { Harness, consolidate, rng, sortRows, table, takeRandom, type Change } from './harness.js';

const LEFT = 0;
const RIGHT = 1;

describe('SetOp', () => {
  it('INTERSECT ALL emits min(left, right) copies', () => {
    const h = new Harness(new SetOp({ op: 'INTERSECT', all: true }));
    expect(h.feed('+I 1 a\n+I 1 a\n+I 1 a\n+I 2 b', LEFT)).to.equal('');
    expect(h.feed('+I 1 a\n+I 1 a', RIGHT)).to.equal(table('+I 1 a\n+I 1 a'));
    expect(h.feed('-D 1 a', LEFT)).to.equal('');
    expect(h.feed('-D 1 a', LEFT)).to.equal(table('-D 1 a'));
    expect(h.feed('+I 2 b\n+I NULL x', RIGHT)).to.equal(table('+I 2 b'));
    expect(h.feed('+I NULL x', LEFT)).to.equal(table('+I NULL x'));
    expect(h.table()).to.equal(table('1 a\n2 b\nNULL x'));
  });

  it('INTERSECT (set) emits a row once while both sides have it', () => {
    const h = new Harness(new SetOp({ op: 'INTERSECT', all: false }));
    expect(h.feed('+I 1\n+I 1', LEFT)).to.equal('');
    expect(h.feed('+I 1\n+I 1', RIGHT)).to.equal(table('+I 1'));
    expect(h.feed('-D 1', RIGHT)).to.equal('');
    expect(h.feed('-D 1', RIGHT)).to.equal(table('-D 1'));
  });

  it('EXCEPT ALL emits max(left - right, 0) copies', () => {
    const h = new Harness(new SetOp({ op: 'EXCEPT', all: true }));
    expect(h.feed('+I 1\n+I 1\n+I 1', LEFT)).to.equal(table('+I 1\n+I 1\n+I 1'));
    expect(h.feed('+I 1\n+I 1', RIGHT)).to.equal(table('-D 1\n-D 1'));
    expect(h.feed('+I 1\n+I 1', RIGHT)).to.equal(table('-D 1'));
    expect(h.feed('-D 1\n-D 1\n-D 1', RIGHT)).to.equal(table('+I 1\n+I 1'));
    expect(h.table()).to.equal(table('1\n1'));
  });

  it('EXCEPT (set) emits a row while only the left side has it', () => {
    const h = new Harness(new SetOp({ op: 'EXCEPT', all: false }));
    expect(h.feed('+I 1\n+I 1\n+I 2', LEFT)).to.equal(table('+I 1\n+I 2'));
    expect(h.feed('+I 1', RIGHT)).to.equal(table('-D 1'));
    expect(h.feed('-D 1', RIGHT)).to.equal(table('+I 1'));
  });

  describe('random changes equal counting from scratch', () => {
    function expected(o: SetOpOptions, left: readonly Row[], right: readonly Row[]): Row[] {
      const count = (rows: readonly Row[]): Map<string, { row: Row; n: number }> => {
        const m = new Map<string, { row: Row; n: number }>();
        for (const r of rows) {
          const e = m.get(rowKey(r));
          if (e) e.n++;
          else m.set(rowKey(r), { row: r, n: 1 });
        }
        return m;
      };
      const a = count(left);
      const b = count(right);
      const out: Row[] = [];
      for (const [k, { row, n }] of a) {
        const m = b.get(k)?.n ?? 0;
        const copies = o.op === 'INTERSECT' ? (o.all ? Math.min(n, m) : m > 0 ? 1 : 0) : o.all ? Math.max(n - m, 0) : m === 0 ? 1 : 0;
        for (let i = 0; i < copies; i++) out.push(row);
      }
      return sortRows(out);
    }

    for (const o of [{ op: 'INTERSECT', all: true }, { op: 'INTERSECT', all: false }, { op: 'EXCEPT', all: true }, { op: 'EXCEPT', all: false }] as SetOpOptions[]) {
      it(`${o.op}${o.all ? ' ALL' : ''}`, () => {
        const r = rng(o.op.length * 7 + (o.all ? 1 : 0));
        const h = new Harness(new SetOp(o));
        const live: [Row[], Row[]] = [[], []];
        for (let step = 0; step < 150; step++) {
          if (step === 75) h.restart(new SetOp(o));
          const side = r() < 0.5 ? 0 : 1;
          const batch: Change[] = [];
          for (let i = Math.floor(r() * 4); i > 0; i--) {
            const row: Row = [Math.floor(r() * 4), r() < 0.2 ? null : 'x'];
            batch.push([INSERT, row]);
            live[side].push(row);
          }
          for (const row of takeRandom(live[side], Math.floor(r() * 3), r)) batch.push([DELETE, row]);
          h.push(batch, side);
          expect(consolidate(h.output), `step ${step}`).to.deep.equal(expected(o, live[0], live[1]));
        }
      });
    }
  });
});
