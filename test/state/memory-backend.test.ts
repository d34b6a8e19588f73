// MemoryStateBackend: its B+tree and partitioned sorted state against naive models, and what copyValues enforces (backends.test.ts runs the behaviour of every backend).

import { expect } from 'chai';
import type { Value } from '../../common/value.js';
import { BPlusTree, compareStateKeys } from '../../executor/state/bplus-tree.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { SortedState, StateKey } from '../../executor/state/state-api.js';
import { rng } from '../operators/harness.js';
import { NaiveSorted, randomKey, type FirstKind } from './models.js';

describe('state: compareStateKeys', () => {
  it('orders element-wise with shorter prefixes first and NULL last', () => {
    const keys: StateKey[] = [[2], [1, null], [1], [1, 'a'], [null], [1, 0]];
    const sorted = [...keys].sort(compareStateKeys);
    expect(sorted).to.deep.equal([[1], [1, 0], [1, 'a'], [1, null], [2], [null]]);
  });
});

describe('state: B+tree', () => {
  it('keeps its invariants and matches a sorted array under 20,000 random updates', () => {
    const r = rng(7);
    const tree = new BPlusTree<number>();
    const model = new Map<number, number>();
    for (let step = 0; step < 20000; step++) {
      // Bias towards inserts first, then deletes, so the tree grows past several levels and shrinks again.
      const k = Math.floor(r() * 6000);
      const insert = step < 12000 ? r() < 0.8 : r() < 0.2;
      if (insert) {
        tree.set([k], step);
        model.set(k, step);
      } else {
        expect(tree.delete([k])).to.equal(model.delete(k));
      }
      if (step % 997 === 0) tree.checkInvariants();
    }
    tree.checkInvariants();
    const expected = [...model.entries()].sort((a, b) => a[0] - b[0]);
    expect([...tree.entries()].map(([k, v]) => [k[0], v])).to.deep.equal(expected);
    expect(tree.size).to.equal(model.size);
    for (const [k] of expected) tree.delete([k]);
    tree.checkInvariants();
    expect(tree.size).to.equal(0);
  });

  it('scans a prefix backwards across leaves', () => {
    const tree = new BPlusTree<number>();
    for (let g = 0; g < 5; g++) for (let i = 0; i < 300; i++) tree.set([g, i], g * 1000 + i);
    const rev = [...tree.scan([2], true)].map(([, v]) => v);
    expect(rev.length).to.equal(300);
    expect(rev[0]).to.equal(2299);
    expect(rev[299]).to.equal(2000);
    expect([...tree.scan([5], true)]).to.deep.equal([]);
    expect([...tree.scan([-1])]).to.deep.equal([]);
  });

  it('reads, then writes the same key without a second descent, correctly under interleaving', () => {
    const r = rng(5);
    const tree = new BPlusTree<number>();
    const model = new Map<number, number>();
    let pending: { key: StateKey; k: number } | null = null;
    for (let step = 0; step < 30000; step++) {
      const k = Math.floor(r() * 3000);
      const op = r();
      if (op < 0.45) {
        // Read-modify-write of one key object.
        const key = [k];
        const v = tree.get(key);
        expect(v).to.equal(model.get(k));
        tree.set(key, (v ?? 0) + 1);
        model.set(k, (model.get(k) ?? 0) + 1);
      } else if (op < 0.6) {
        // A read whose write comes after other changes.
        const key = [k];
        tree.get(key);
        pending = { key, k };
      } else if (op < 0.8) {
        tree.set([k], step);
        model.set(k, step);
      } else {
        tree.delete([k]);
        model.delete(k);
      }
      if (pending && r() < 0.3) {
        tree.set(pending.key, -1);
        model.set(pending.k, -1);
        pending = null;
      }
    }
    tree.checkInvariants();
    expect([...tree.entries()].map(([key, v]) => [key[0], v])).to.deep.equal([...model.entries()].sort((a, b) => a[0] - b[0]));
  });
});

describe('state: sorted state', () => {
  const variants: [boolean, FirstKind][] = [[false, 'number'], [true, 'number'], [false, 'string'], [false, 'decimal']];
  for (const [copyValues, first] of variants) {
    it(`matches a naive sorted array under random operations (first part ${first}${copyValues ? ', copying values' : ''})`, () => {
      const r = rng(variants.findIndex(([c, f]) => c === copyValues && f === first) + 3);
      const s = new MemoryStateBackend({ copyValues }).forOperator('op').sorted<number>('s');
      const naive = new NaiveSorted();
      const key = (): Value[] => (r() < 0.02 ? [] : randomKey(r, first));
      for (let step = 0; step < 4000; step++) {
        const op = r();
        const k = key();
        if (op < 0.5) {
          s.put(k, step);
          naive.put(k, step);
        } else if (op < 0.7) {
          s.delete(k);
          naive.delete(k);
        } else if (op < 0.74) {
          const p = k.slice(0, r() < 0.1 ? 0 : 1);
          s.deletePrefix(p);
          for (const [x] of naive.scan(p, false)) naive.delete(x);
        } else if (op < 0.85) {
          const p = k.slice(0, Math.floor(r() * 3));
          const rev = r() < 0.5;
          expect([...s.scan(p, { reverse: rev })], `scan ${String(p)}`).to.deep.equal(naive.scan(p, rev));
        } else if (op < 0.95) {
          const other = key();
          const [from, to] = compareStateKeys(k, other) <= 0 ? [k, other] : [other, k];
          const f = r() < 0.2 ? undefined : from;
          const t = r() < 0.2 ? undefined : to;
          expect([...s.range(f, t)]).to.deep.equal(naive.range(f, t));
        } else {
          expect(s.get(k)).to.equal(naive.get(k));
        }
        if (step % 500 === 0) (s as unknown as { checkInvariants(): void }).checkInvariants();
      }
      expect([...s.range(undefined, undefined)]).to.deep.equal(naive.entries);
      expect([...s.scan([], { reverse: true })]).to.deep.equal([...naive.entries].reverse());
    });
  }

  it('keeps many partitions apart and in order', () => {
    const s = new MemoryStateBackend().forOperator('op').sorted<number>('s');
    for (let g = 0; g < 300; g++) for (let i = 0; i < 100; i++) s.put([`g${g % 7}-${g}`, i], i);
    const firstParts = [...s.range(undefined, undefined)].map(([k]) => k[0] as string);
    expect(firstParts).to.deep.equal([...firstParts].sort());
    expect([...s.scan(['g3-10'], { reverse: true })].map(([, v]) => v).slice(0, 3)).to.deep.equal([99, 98, 97]);
    expect([...s.range(['g3-10', 98], ['g3-101', 1])].map(([k, v]) => `${k[0] as string}:${v}`)).to.deep.equal(['g3-10:98', 'g3-10:99', 'g3-101:0']);
    s.deletePrefix(['g3-10']);
    expect([...s.scan(['g3-10'])]).to.deep.equal([]);
  });
});

describe('state: memory backend', () => {
  it('with copyValues, a change without put is lost, as with a serializing backend', () => {
    const v = new MemoryStateBackend({ copyValues: true }).forOperator('op').value<number[]>('v');
    v.put(['a'], [1]);
    const got = v.get(['a']) as number[];
    got[0] = 2;
    expect(v.get(['a'])).to.deep.equal([1]);
    class NotPlain { x = 1; }
    expect(() => v.put(['b'], new NotPlain() as unknown as number[])).to.throw(/not plain data/);
  });
});
