// LmdbStateBackend: recovery to exactly the last checkpoint (spills undone), failed checkpoints, state larger than the cache.

import { expect } from 'chai';
import type { StateKey } from '../../executor/state/state-api.js';
import { rng } from '../operators/harness.js';
import { LmdbTestEnv } from './lmdb-env.js';

describe('state (LMDB): checkpoints and recovery', () => {
  it('comes back to exactly the last checkpoint, whatever was spilled after it', async () => {
    const env = new LmdbTestEnv({ memoryLimit: 16 * 1024 });
    try {
      const r = rng(3);
      const op = env.backend.forOperator('job1/0');
      let v = op.value<number>('v');
      let s = op.sorted<string>('s');
      const model = new Map<number, number>();
      for (let i = 0; i < 3000; i++) {
        const k = Math.floor(r() * 800);
        v.put([k], i);
        s.put([k % 7, k], `x${i}`);
        model.set(k, i);
        if (i % 200 === 0) await env.settle();
      }
      expect((await env.checkpoint()).status).to.equal('COMPLETED');
      const atCheckpoint = new Map(model);
      // After the checkpoint: overwrite, delete and add, with the cache small enough that most of it is spilled.
      for (let i = 0; i < 3000; i++) {
        const k = Math.floor(r() * 1600);
        if (r() < 0.3) v.delete([k]);
        else v.put([k], -i);
        s.put([k % 7, k], `y${i}`);
        if (i % 100 === 0) await env.settle();
      }
      await env.settle();
      expect(env.backend.counters.spilledEntries).to.be.greaterThan(1000);
      await env.reopen();
      v = env.backend.forOperator('job1/0').value<number>('v');
      s = env.backend.forOperator('job1/0').sorted<string>('s');
      for (let k = 0; k < 1600; k++) expect(v.get([k]), `key ${k}`).to.equal(atCheckpoint.get(k));
      const keys = [...s.range(undefined, undefined)].map(([key]) => key);
      const want = [...atCheckpoint.keys()].map((k): StateKey => [k % 7, k]).sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
      expect(keys).to.deep.equal(want);
      expect(env.backend.forOperator('job1/0').stats().keys).to.equal(2 * atCheckpoint.size);
    } finally {
      await env.dispose();
    }
  });

  it('leaves the previous checkpoint loadable when one fails, and the next one writes what it missed', async () => {
    const env = new LmdbTestEnv();
    try {
      const v = env.backend.forOperator('op').value<string>('v');
      v.put(['a'], 'first');
      expect((await env.checkpoint()).status).to.equal('COMPLETED');
      v.put(['a'], 'second');
      v.put(['b'], 'second');
      const failed = await env.checkpoint('commit');
      expect(failed.status).to.equal('FAILED');
      expect(failed.error).to.match(/injected/);
      expect(env.store.latest()?.id).to.equal(1);
      // Nothing changed since the failure: the next checkpoint still writes both entries.
      expect((await env.checkpoint()).status).to.equal('COMPLETED');
      await env.reopen();
      const back = env.backend.forOperator('op').value<string>('v');
      expect([back.get(['a']), back.get(['b'])]).to.deep.equal(['second', 'second']);
      expect(env.store.history().map((o) => o.status)).to.deep.equal(['COMPLETED', 'FAILED', 'COMPLETED']);
    } finally {
      await env.dispose();
    }
  });

  it('recovers to the checkpoint before a failed one after a crash', async () => {
    const env = new LmdbTestEnv({ memoryLimit: 8 * 1024 });
    try {
      const v = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 500; k++) v.put([k], 1);
      await env.settle();
      expect((await env.checkpoint()).status).to.equal('COMPLETED');
      for (let k = 0; k < 500; k++) v.put([k], 2);
      await env.settle();
      expect((await env.checkpoint('commit')).status).to.equal('FAILED');
      for (let k = 0; k < 500; k++) v.put([k], 3);
      await env.settle();
      await env.reopen();
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 500; k++) expect(back.get([k])).to.equal(1);
    } finally {
      await env.dispose();
    }
  });

  for (const [kind, options] of [['a log', {}], ['a merge', { maxLogs: 0 }], ['a log of entries encoded as they change', { eager: true }]] as const) {
    it(`fails a checkpoint (${kind}) on a value it cannot store, and loses none of the dirty entries`, async () => {
      const env = new LmdbTestEnv(options);
      try {
        const v = env.backend.forOperator('op').value<unknown>('v');
        class NotPlain { x = 1; }
        for (let k = 0; k < 100; k++) v.put([k], k);
        v.put(['bad'], new NotPlain());
        let error: unknown;
        try {
          await env.checkpoint();
        } catch (e) {
          error = e;
        }
        expect(String(error)).to.match(/not plain data/);
        v.put(['bad'], 'fixed');
        expect((await env.checkpoint()).status).to.equal('COMPLETED');
        await env.reopen();
        const back = env.backend.forOperator('op').value<unknown>('v');
        for (let k = 0; k < 100; k++) expect(back.get([k])).to.equal(k);
        expect(back.get(['bad'])).to.equal('fixed');
      } finally {
        await env.dispose();
      }
    });
  }

  it('drops the state of a dropped operator with the next checkpoint', async () => {
    const env = new LmdbTestEnv();
    try {
      env.backend.forOperator('job1/0').map<number>('m').put(['k'], ['u'], 1);
      await env.checkpoint();
      env.backend.dropOperator('job1/0');
      await env.checkpoint();
      let stored = 0;
      for (const _ of env.storage.state.state.getKeys({})) stored++;
      expect(stored).to.equal(0);
      await env.reopen();
      expect(env.backend.operatorIds()).to.deep.equal([]);
    } finally {
      await env.dispose();
    }
  });

  it('finds a key of one number or one string as the same key, -0 as 0 and every NaN as one, 1 apart from "1"', async () => {
    const env = new LmdbTestEnv();
    try {
      const v = env.backend.forOperator('op').value<string>('v');
      v.put([0], 'zero');
      v.put([Number.NaN], 'nan');
      v.put(['1'], 'string one');
      v.put([1], 'number one');
      v.put([1, 'a'], 'pair');
      expect(v.get([-0])).to.equal('zero');
      expect(v.get([0 / 0])).to.equal('nan');
      expect(v.get(['1'])).to.equal('string one');
      expect(v.get([1])).to.equal('number one');
      expect(v.get([1, 'a'])).to.equal('pair');
      expect(v.get([2])).to.equal(undefined);
      v.delete([-0]);
      expect(v.get([0])).to.equal(undefined);
      expect(env.backend.forOperator('op').stats().keys).to.equal(4);
    } finally {
      await env.dispose();
    }
  });

  it('writes one checkpoint of many states and kinds of keys, in whatever order, and reads every entry back after a restart', async () => {
    const env = new LmdbTestEnv();
    try {
      const r = rng(11);
      const op = env.backend.forOperator('job1/0');
      const model = { v: new Map<number, unknown>(), s: new Map<string, string>(), m: new Map<string, number>() };
      const long = 'x'.repeat(2500);
      for (let round = 0; round < 3; round++) {
        const v = op.value<unknown>('v');
        const s = op.sorted<string>('s');
        const m = op.map<number>('m');
        for (let i = 0; i < 2000; i++) {
          const k = Math.floor(r() * 3000) - 1500;
          if (r() < 0.2) {
            v.delete([k]);
            model.v.delete(k);
          } else {
            const value = { n: i, text: `é${i}`, list: [i, null, 'abcdefghijklmnopqrstuvwxyz'] };
            v.put([k], value);
            model.v.set(k, value);
          }
          const name = `${k % 5 === 0 ? long : ''}name-${k}`;
          s.put([name], `s${round}`);
          model.s.set(name, `s${round}`);
          m.put([k % 13], [`user ${k}`], i);
          model.m.set(`${k % 13}/user ${k}`, i);
        }
        expect((await env.checkpoint()).status).to.equal('COMPLETED');
      }
      await env.reopen();
      const op2 = env.backend.forOperator('job1/0');
      const v = op2.value<unknown>('v');
      for (let k = -1500; k < 1500; k++) expect(v.get([k]), `key ${k}`).to.deep.equal(model.v.get(k));
      const names = [...op2.sorted<string>('s').range(undefined, undefined)].map(([key, value]) => [key[0], value]);
      expect(names).to.deep.equal([...model.s].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const m = op2.map<number>('m');
      for (const [key, value] of model.m) {
        const [group, user] = key.split('/') as [string, string];
        expect(m.get([Number(group)], [user]), key).to.equal(value);
      }
    } finally {
      await env.dispose();
    }
  });
});

describe('state (LMDB): larger than its cache', () => {
  it('keeps 50,000 keys correct through a 128 kB cache', async () => {
    const env = new LmdbTestEnv({ memoryLimit: 128 * 1024 });
    try {
      const r = rng(9);
      const v = env.backend.forOperator('op').value<number[]>('counts');
      const model = new Map<number, number>();
      for (let batch = 0; batch < 40; batch++) {
        for (let i = 0; i < 2000; i++) {
          const k = Math.floor(r() * 50_000);
          const cur = v.get([k]);
          v.put([k], [(cur?.[0] ?? 0) + 1]);
          model.set(k, (model.get(k) ?? 0) + 1);
        }
        await env.settle();
        expect(env.backend.cacheBytes).to.be.at.most(128 * 1024 * 1.2);
        if (batch === 20) await env.checkpoint();
      }
      expect(env.backend.counters.loads).to.be.greaterThan(10_000);
      for (const [k, n] of model) expect(v.get([k])).to.deep.equal([n]);
      await env.checkpoint();
      await env.reopen();
      const back = env.backend.forOperator('op').value<number[]>('counts');
      for (const [k, n] of model) expect(back.get([k])).to.deep.equal([n]);
      expect(env.backend.forOperator('op').stats().keys).to.equal(model.size);
    } finally {
      await env.dispose();
    }
  });
});
