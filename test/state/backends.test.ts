// Value, map and sorted state checked against naive models under random operations, on every backend:
// in memory (plain and copying values) and LMDB (all cached, and a cache so small that most reads are cold).

import { expect } from 'chai';
import { Decimal } from '../../common/decimal.js';
import type { Value } from '../../common/value.js';
import { compareStateKeys } from '../../executor/state/bplus-tree.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { StateBackend, StateKey } from '../../executor/state/state-api.js';
import { rng } from '../operators/harness.js';
import { LmdbTestEnv } from './lmdb-env.js';
import { NaiveSorted, randomKey, type FirstKind } from './models.js';

/** A backend under test: `pause` lets background writes finish; `restart` checkpoints and opens a fresh backend on the same data (LMDB). */
interface Subject {
  backend: StateBackend;
  pause(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

interface Variant {
  readonly name: string;
  make(): Subject;
}

function memory(copyValues: boolean): Variant {
  return {
    name: copyValues ? 'memory, copying values' : 'memory',
    make: () => ({ backend: new MemoryStateBackend({ copyValues }), pause: async () => {}, restart: async () => {}, dispose: async () => {} }),
  };
}

function lmdb(memoryLimit: number | undefined, name: string): Variant {
  return {
    name,
    make: () => {
      const env = new LmdbTestEnv(memoryLimit === undefined ? {} : { memoryLimit });
      const subject: Subject = {
        backend: env.backend,
        pause: () => env.settle(),
        restart: async () => {
          const outcome = await env.checkpoint();
          if (outcome.status !== 'COMPLETED') throw new Error(`checkpoint failed: ${outcome.error ?? ''}`);
          await env.reopen();
          subject.backend = env.backend;
        },
        dispose: () => env.dispose(),
      };
      return subject;
    },
  };
}

export const variants: readonly Variant[] = [memory(false), memory(true), lmdb(undefined, 'LMDB'), lmdb(24 * 1024, 'LMDB, 24 kB cache')];

for (const variant of variants) {
  describe(`state (${variant.name}): sorted state`, () => {
    const kinds: FirstKind[] = ['number', 'string', 'decimal', 'long'];
    for (const first of kinds) {
      it(`matches a naive sorted array under random operations (first part ${first})`, async () => {
        const subject = variant.make();
        try {
          const r = rng(kinds.indexOf(first) + 3);
          let s = subject.backend.forOperator('op').sorted<number>('s');
          const naive = new NaiveSorted();
          const key = (): Value[] => (r() < 0.02 ? [] : randomKey(r, first));
          const steps = first === 'long' ? 1500 : 4000;
          for (let step = 0; step < steps; step++) {
            if (step % 300 === 299) await subject.pause();
            if (step % 1000 === 999) {
              await subject.restart();
              s = subject.backend.forOperator('op').sorted<number>('s');
            }
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
          }
          expect([...s.range(undefined, undefined)]).to.deep.equal(naive.entries);
          expect([...s.scan([], { reverse: true })]).to.deep.equal([...naive.entries].reverse());
          expect(subject.backend.forOperator('op').stats().keys).to.equal(naive.entries.length);
        } finally {
          await subject.dispose();
        }
      });
    }

    it('keeps many partitions apart and in order', async () => {
      const subject = variant.make();
      try {
        const s = subject.backend.forOperator('op').sorted<number>('s');
        for (let g = 0; g < 300; g++) for (let i = 0; i < 100; i++) s.put([`g${g % 7}-${g}`, i], i);
        await subject.pause();
        const firstParts = [...s.range(undefined, undefined)].map(([k]) => k[0] as string);
        expect(firstParts).to.deep.equal([...firstParts].sort());
        expect([...s.scan(['g3-10'], { reverse: true })].map(([, v]) => v).slice(0, 3)).to.deep.equal([99, 98, 97]);
        expect([...s.range(['g3-10', 98], ['g3-101', 1])].map(([k, v]) => `${k[0] as string}:${v}`)).to.deep.equal(['g3-10:98', 'g3-10:99', 'g3-101:0']);
        s.deletePrefix(['g3-10']);
        expect([...s.scan(['g3-10'])]).to.deep.equal([]);
      } finally {
        await subject.dispose();
      }
    });
  });

  describe(`state (${variant.name}): map state`, () => {
    it('matches a map of maps under random operations, single-string and other keys alike', async () => {
      const subject = variant.make();
      try {
        const r = rng(21);
        let m = subject.backend.forOperator('op').map<number>('m');
        const model = new Map<string, Map<string, [StateKey, number]>>();
        const keyOf = (k: StateKey): string => JSON.stringify(k);
        const long = 'q'.repeat(1000);
        const randomKey = (): StateKey => (r() < 0.5 ? [`k${Math.floor(r() * 6)}`] : r() < 0.8 ? [Math.floor(r() * 3), 'x'] : [`${long}${Math.floor(r() * 2)}`]);
        const randomUserKey = (): StateKey => (r() < 0.5 ? [`u${Math.floor(r() * 40)}`] : r() < 0.9 ? [Math.floor(r() * 3)] : [`${long}${Math.floor(r() * 3)}`]);
        for (let step = 0; step < 5000; step++) {
          if (step % 400 === 399) await subject.pause();
          if (step % 1500 === 1499) {
            await subject.restart();
            m = subject.backend.forOperator('op').map<number>('m');
          }
          const k = randomKey();
          const u = randomUserKey();
          const op = r();
          const inner = model.get(keyOf(k));
          if (op < 0.45) {
            m.put(k, u, step);
            if (inner) inner.set(keyOf(u), [u, step]);
            else model.set(keyOf(k), new Map([[keyOf(u), [u, step]]]));
          } else if (op < 0.75) {
            m.delete(k, u);
            inner?.delete(keyOf(u));
            if (inner?.size === 0) model.delete(keyOf(k));
          } else if (op < 0.78) {
            m.clear(k);
            model.delete(keyOf(k));
          } else if (op < 0.9) {
            const got = [...m.entries(k)].map(([uk, v]) => [keyOf(uk), v]).sort();
            const want = [...(inner?.values() ?? [])].map(([uk, v]) => [keyOf(uk), v]).sort();
            expect(got).to.deep.equal(want);
            expect(m.size(k)).to.equal(want.length);
          } else {
            expect(m.get(k, u)).to.equal(inner?.get(keyOf(u))?.[1]);
          }
        }
        let total = 0;
        for (const inner of model.values()) total += inner.size;
        expect(subject.backend.forOperator('op').stats().keys).to.equal(total);
      } finally {
        await subject.dispose();
      }
    });
  });

  describe(`state (${variant.name}): value state`, () => {
    it('matches a map under random operations, keys of every kind', async () => {
      const subject = variant.make();
      try {
        const r = rng(31);
        let v = subject.backend.forOperator('op').value<unknown>('v');
        const model = new Map<string, unknown>();
        const keys: StateKey[] = [[], ['a'], ['b', 1], [new Decimal(150n, 2)], [null], [true, [1, 'x']], [Uint8Array.from([0, 1])], ['z'.repeat(2500)], ['z'.repeat(2501)]];
        for (let i = 0; i < 200; i++) keys.push([`key${i}`]);
        const values: unknown[] = [1, 'x', [1, [2, null]], { count: 2, sum: new Decimal(5n, 1) }, 10n ** 30n, Uint8Array.from([9])];
        for (let step = 0; step < 4000; step++) {
          if (step % 300 === 299) await subject.pause();
          if (step % 1300 === 1299) {
            await subject.restart();
            v = subject.backend.forOperator('op').value<unknown>('v');
          }
          const k = keys[Math.floor(r() * keys.length)] as StateKey;
          const id = JSON.stringify(k, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Decimal ? `${x.toString()}d` : x));
          const op = r();
          if (op < 0.5) {
            const value = values[Math.floor(r() * values.length)];
            v.put(k, value);
            model.set(id, value);
          } else if (op < 0.7) {
            v.delete(k);
            model.delete(id);
          } else {
            expect(v.get(k)).to.deep.equal(model.get(id));
          }
        }
        expect(subject.backend.forOperator('op').stats().keys).to.equal(model.size);
      } finally {
        await subject.dispose();
      }
    });

    it('keeps values per key and drops them on delete', async () => {
      const subject = variant.make();
      try {
        const st = subject.backend.forOperator('op');
        const v = st.value<number[]>('v');
        v.put(['a', 1], [1]);
        v.put([new Decimal(150n, 2)], [2]);
        expect(v.get(['a', 1])).to.deep.equal([1]);
        // 1.50 and 1.5 are one key, as GROUP BY sees them.
        expect(v.get([new Decimal(15n, 1)])).to.deep.equal([2]);
        expect(v.get(['a', '1'])).to.equal(undefined);
        v.delete(['a', 1]);
        expect(v.get(['a', 1])).to.equal(undefined);
        expect(st.stats().keys).to.equal(1);
      } finally {
        await subject.dispose();
      }
    });

    it('keeps user keys per key, with sizes, entries and clear', async () => {
      const subject = variant.make();
      try {
        const st = subject.backend.forOperator('op');
        const m = st.map<number>('m');
        m.put(['k'], ['__proto__'], 1);
        m.put(['k'], ['constructor'], 2);
        m.put(['j'], ['x'], 3);
        expect(m.size(['k'])).to.equal(2);
        expect(new Map([...m.entries(['k'])].map(([u, x]) => [u[0], x]))).to.deep.equal(new Map([['__proto__', 1], ['constructor', 2]]));
        m.delete(['k'], ['__proto__']);
        expect(m.get(['k'], ['__proto__'])).to.equal(undefined);
        expect(st.stats().keys).to.equal(2);
        m.clear(['k']);
        expect(m.size(['k'])).to.equal(0);
        expect(st.stats().keys).to.equal(1);
        expect(st.stats().bytes).to.be.greaterThan(0);
      } finally {
        await subject.dispose();
      }
    });

    it('keeps an operator\'s state across forOperator calls until it is dropped', async () => {
      const subject = variant.make();
      try {
        const backend = subject.backend;
        backend.forOperator('j/1').value<number>('c').put([], 5);
        expect(backend.forOperator('j/1').value<number>('c').get([])).to.equal(5);
        expect(backend.forOperator('j/2').value<number>('c').get([])).to.equal(undefined);
        backend.dropOperator('j/1');
        expect(backend.forOperator('j/1').value<number>('c').get([])).to.equal(undefined);
        await subject.restart();
        expect(subject.backend.forOperator('j/1').value<number>('c').get([])).to.equal(undefined);
      } finally {
        await subject.dispose();
      }
    });

    it('refuses one name used as two kinds of state', async () => {
      const subject = variant.make();
      try {
        const st = subject.backend.forOperator('op');
        st.value('x');
        expect(() => st.map('x')).to.throw(/not a map state/);
      } finally {
        await subject.dispose();
      }
    });
  });
}
