// Checkpoint logs: most checkpoints log their entries and a merge writes them into the tree
// every few; recovery replays the logs. Checked against a model of the last complete
// checkpoint through spills, failed checkpoints and crashes at random points.

import { expect } from 'chai';
import type { StateKey, ValueState } from '../../executor/state/state-api.js';
import { rng } from '../operators/harness.js';
import { LmdbTestEnv } from './lmdb-env.js';

/** The model of every state: value, sorted and map, by a string of the key. */
interface Model {
  value: Map<number, number>;
  sorted: Map<string, number>;
  map: Map<string, number>;
}

const copy = (m: Model): Model => ({ value: new Map(m.value), sorted: new Map(m.sorted), map: new Map(m.map) });

function expectState(env: LmdbTestEnv, model: Model, where: string): void {
  const op = env.backend.forOperator('job1/0');
  const v = op.value<number>('v');
  for (let k = 0; k < 400; k++) expect(v.get([k]), `${where}: value ${k}`).to.equal(model.value.get(k));
  const sorted = [...op.sorted<number>('s').range(undefined, undefined)].map(([key, x]) => `${key.join(',')}=${x}`);
  const want = [...model.sorted.entries()]
    .map(([k, x]): [number[], number] => [k.split(',').map(Number), x])
    .sort((a, b) => (a[0][0] as number) - (b[0][0] as number) || (a[0][1] as number) - (b[0][1] as number))
    .map(([k, x]) => `${k.join(',')}=${x}`);
  expect(sorted, `${where}: sorted`).to.deep.equal(want);
  const m = op.map<number>('m');
  for (let g = 0; g < 8; g++) {
    const got = [...m.entries([g])].map(([u, x]) => `${u[0] as number}=${x}`).sort();
    const exp = [...model.map.entries()].filter(([k]) => k.startsWith(`${g}/`)).map(([k, x]) => `${k.split('/')[1] as string}=${x}`).sort();
    expect(got, `${where}: map group ${g}`).to.deep.equal(exp);
    expect(m.size([g]), `${where}: map group ${g} size`).to.equal(exp.length);
  }
}

/** Takes a checkpoint, which must complete. */
async function checkpointed(env: LmdbTestEnv): Promise<void> {
  expect((await env.checkpoint()).status).to.equal('COMPLETED');
}

/**
 * Keys 0-999 at 0 (checkpoint 1), then three logs: keys 0-99 = 1, 50-149 = 2, 0-9 = 3 (checkpoints
 * 2-4). Returns a function putting `x` into keys [from, to).
 */
async function threeLogs(env: LmdbTestEnv): Promise<(from: number, to: number, x: number) => void> {
  const v = await seeded(env);
  const put = (from: number, to: number, x: number): void => {
    for (let k = from; k < to; k++) v.put([k], x);
  };
  put(0, 100, 1);
  await checkpointed(env);
  put(50, 150, 2);
  await checkpointed(env);
  put(0, 10, 3);
  await checkpointed(env);
  return put;
}

/** Value state `v` of operator `op` with keys 0-999 at 0, checkpointed. */
async function seeded(env: LmdbTestEnv): Promise<ValueState<number>> {
  const v = env.backend.forOperator('op').value<number>('v');
  for (let k = 0; k < 1000; k++) v.put([k], 0);
  await checkpointed(env);
  return v;
}

describe('state (LMDB): checkpoint logs', () => {
  // Rounds of up to `most` changes: with fewer, the logs pin few enough entries for the cache to keep, and are compacted.
  // With `partial`: a cache that keeps every entry (no spills: a log of what spills wrote makes a compaction replace every log),
  // fewer keys, fewer failures and crashes, and compactions when the logs hold 1.5 times as many writes as the state: some leave logs.
  for (const [seed, eager, most, rounds, partial] of [[1, false, 80, 50, false], [2, false, 80, 50, false], [3, false, 80, 50, false], [4, true, 80, 50, false], [5, true, 80, 50, false], [7, true, 80, 50, false], [8, false, 20, 120, false], [9, true, 20, 120, false], [10, false, 20, 120, false], [11, true, 20, 120, false], [13, true, 25, 300, true], [14, false, 25, 300, true], [16, false, 25, 300, true], [17, true, 25, 300, true]] as const) {
    const what = partial ? 'compactions of some of the logs, merges' : most > 20 ? 'merges' : 'compactions, merges';
    it(`comes back to the last complete checkpoint through logs, ${what}, ${partial ? '' : 'spills, '}failures and crashes (seed ${seed}${eager ? ', entries encoded as they change' : ''})`, async () => {
      // A small cache (most entries spilled) and at most three logs before a merge or compaction.
      const env = new LmdbTestEnv(partial ? { memoryLimit: 64 * 1024 * 1024, maxLogs: 40, logRatio: 1.5, logFloor: 0, eager } : { memoryLimit: 100 * 1024, maxLogs: 3, eager });
      try {
        const r = rng(seed);
        let model: Model = { value: new Map(), sorted: new Map(), map: new Map() };
        let durable = copy(model);
        const seen = { replayed: 0, logs: 0, merges: 0, compactions: 0, partial: 0, spilled: 0, failed: 0, superseded: 0 };
        const tally = (): void => {
          seen.compactions += env.backend.counters.compactions;
          seen.partial += env.backend.counters.partialCompactions;
          seen.superseded += env.backend.counters.supersededEntries;
          seen.logs += env.backend.counters.logs;
          seen.merges += env.backend.counters.merges;
          seen.spilled += env.backend.counters.spilledEntries;
        };
        for (let round = 0; round < rounds; round++) {
          const op = env.backend.forOperator('job1/0');
          const v = op.value<number>('v');
          const s = op.sorted<number>('s');
          const m = op.map<number>('m');
          // Few changes against the state's size, mostly of values in place: what logs are for.
          const ops = round < 3 ? 400 : 10 + Math.floor(r() * (most - 10));
          for (let i = 0; i < ops; i++) {
            // (Fewer keys with `partial`: a log's writes are soon superseded.)
            const k = Math.floor(r() * (partial ? 60 : 400));
            const x = round * 1000 + i;
            const what = r();
            if (what < 0.45) {
              v.put([k], x);
              model.value.set(k, x);
            } else if (what < 0.5) {
              v.delete([k]);
              model.value.delete(k);
            } else if (what < 0.7) {
              const key: StateKey = [k % 5, k];
              if (r() < 0.1) {
                s.delete(key);
                model.sorted.delete(`${k % 5},${k}`);
              } else {
                s.put(key, x);
                model.sorted.set(`${k % 5},${k}`, x);
              }
            } else {
              const g = k % 8;
              if (r() < 0.1) {
                m.delete([g], [k]);
                model.map.delete(`${g}/${k}`);
              } else {
                m.put([g], [k], x);
                model.map.set(`${g}/${k}`, x);
              }
            }
            // Spills commit now and then, so evicted entries leave the cache in between.
            if (r() < 0.02) await env.settle();
          }
          const step = r();
          if (step < 0.6) {
            const outcome = await env.checkpoint(r() < (partial ? 0.02 : 0.15) ? 'commit' : undefined);
            if (outcome.status === 'COMPLETED') durable = copy(model);
            else seen.failed++;
          }
          if (step >= (partial ? 0.97 : 0.85) || round === rounds - 1) {
            tally();
            await env.reopen();
            seen.replayed += env.backend.counters.replayedEntries;
            model = copy(durable);
            expectState(env, model, `round ${round}, after a crash`);
          } else {
            expectState(env, model, `round ${round}`);
          }
        }
        // What the run went through: each kind of event, more than once.
        expect(seen.replayed, 'entries replayed from logs at recovery').to.be.greaterThan(0);
        expect(seen.logs, 'log checkpoints').to.be.greaterThan(3);
        expect(seen.merges, 'merges').to.be.greaterThan(1);
        if (most <= 20) expect(seen.compactions, 'compactions').to.be.greaterThan(2);
        if (partial) expect(seen.partial, 'compactions that left logs').to.be.greaterThan(1);
        expect(seen.superseded, 'logged writes a later write superseded').to.be.greaterThan(20);
        if (!partial) expect(seen.spilled, 'spilled entries').to.be.greaterThan(20);
        expect(seen.failed, 'failed checkpoints').to.be.greaterThan(0);
      } finally {
        await env.dispose();
      }
    });
  }

  it('logs checkpoints that change values in place, and merges when the logs reach their limit', async () => {
    const env = new LmdbTestEnv({ maxLogs: 3, compact: false });
    try {
      // New keys go into the tree.
      const v = await seeded(env);
      expect(env.backend.counters).to.include({ logs: 0, merges: 1 });
      for (let c = 1; c <= 8; c++) {
        for (let k = 0; k < 100; k++) v.put([k], c);
        await checkpointed(env);
      }
      // Logs 1-3, a merge (4), logs 5-7, a merge (8).
      expect(env.backend.counters).to.include({ logs: 6, merges: 3 });
      for (let k = 0; k < 100; k++) v.put([k], 9);
      await checkpointed(env);
      await env.reopen();
      // Recovery replays the one log after the last merge: 100 entries.
      expect(env.backend.counters.replayedEntries).to.equal(100);
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k])).to.equal(k < 100 ? 9 : 0);
    } finally {
      await env.dispose();
    }
  });

  it('merges only the newest logged write of each key', async () => {
    const env = new LmdbTestEnv({ maxLogs: 3, compact: false });
    try {
      // Three logs, then a merge (the logs are at their limit).
      const put = await threeLogs(env);
      expect(env.backend.counters).to.include({ logs: 3, merges: 1, mergedLogEntries: 0 });
      put(140, 160, 4);
      await checkpointed(env);
      expect(env.backend.counters.merges).to.equal(2);
      // Superseded: keys 50-99 and 0-9 of the first log, 140-149 of the second (by the merge's own writes).
      // Replayed: the first log's 10-49 (40), the second's 50-139 (90), the third's 0-9 (10).
      expect(env.backend.counters).to.include({ supersededEntries: 70, mergedLogEntries: 140 });
      await env.reopen();
      const back = env.backend.forOperator('op').value<number>('v');
      const want = (k: number): number => (k < 10 ? 3 : k < 50 ? 1 : k < 140 ? 2 : k < 160 ? 4 : 0);
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(want(k));
    } finally {
      await env.dispose();
    }
  });

  it('merges logs larger than the buffers it reads them into', async () => {
    // Three logs of about 700 KB each: the merge's buffers (1 MB at first) grow while it reads them.
    const env = new LmdbTestEnv({ maxLogs: 3, memoryLimit: 64 * 1024 * 1024, compact: false });
    try {
      const v = env.backend.forOperator('op').value<string>('v');
      const text = (k: number, c: number): string => `${c}:${k}:`.padEnd(300, String.fromCharCode(97 + ((k + c) % 26)));
      for (let k = 0; k < 10_000; k++) v.put([k], text(k, 0));
      await checkpointed(env);
      for (let c = 1; c <= 4; c++) {
        for (let k = 0; k < 2000; k++) v.put([(k * 7 + c * 1000) % 10_000], text(k, c));
        await checkpointed(env);
      }
      expect(env.backend.counters).to.include({ logs: 3, merges: 2 });
      const want = new Map<number, string>();
      for (let k = 0; k < 10_000; k++) want.set(k, text(k, 0));
      for (let c = 1; c <= 4; c++) for (let k = 0; k < 2000; k++) want.set((k * 7 + c * 1000) % 10_000, text(k, c));
      await env.reopen();
      const back = env.backend.forOperator('op').value<string>('v');
      for (let k = 0; k < 10_000; k++) expect(back.get([k]), `key ${k}`).to.equal(want.get(k));
    } finally {
      await env.dispose();
    }
  });

  /**
   * Keys 0-999 at 0, then three logs and a compaction, then a log that changes keys whose
   * newest write the compaction moved:
   *   log 2: keys 0-99 = 1; log 3: keys 50-149 = 2; log 4: keys 0-9 = 3;
   *   compaction 5: keys 140-159 = 4; log 6: keys 0-4 and 20-21 = 5.
   * Checkpoint 5 finds three logs waiting (the limit), few enough entries pinned, and compacts.
   * Superseded before it: log 2's 50-99 (by log 3) and 0-9 (by log 4), 60; by its own writes,
   * log 3's 140-149, 10. It keeps log 2's 10-49 (40 writes, places 0-39), log 3's 50-139 (90,
   * places 40-129), log 4's 0-9 (10, places 130-139), and writes its own 20 (places 140-159).
   * Log 6 supersedes the compaction's places 130-134 and 10-11: 77 superseded in all.
   */
  async function compacted(env: LmdbTestEnv): Promise<(k: number) => number> {
    const put = await threeLogs(env);
    put(140, 160, 4);
    await checkpointed(env);
    expect(env.backend.counters).to.include({ logs: 3, merges: 1, compactions: 1, supersededEntries: 70 });
    put(0, 5, 5);
    put(20, 22, 5);
    await checkpointed(env);
    expect(env.backend.counters).to.include({ logs: 4, merges: 1, compactions: 1, supersededEntries: 77 });
    return (k) => (k < 5 ? 5 : k < 10 ? 3 : k < 20 ? 1 : k < 22 ? 5 : k < 50 ? 1 : k < 140 ? 2 : k < 160 ? 4 : 0);
  }

  it('compacts the logs into one log of the newest write of each key, and recovers from it', async () => {
    const env = new LmdbTestEnv({ maxLogs: 3 });
    try {
      const want = await compacted(env);
      await env.reopen();
      // The compaction's 160 keys (log 6's are among them): each applied once, its newest write.
      expect(env.backend.counters.replayedEntries).to.equal(160);
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(want(k));
    } finally {
      await env.dispose();
    }
  });

  it('merges a compacted log, passing over the writes later logs superseded', async () => {
    const env = new LmdbTestEnv({ maxLogs: 3 });
    try {
      const want = await compacted(env);
      // 300 keys changed: more than a quarter of the state, so this checkpoint merges.
      const v = env.backend.forOperator('op').value<number>('v');
      for (let k = 300; k < 600; k++) v.put([k], 6);
      await checkpointed(env);
      // The compacted log's 160 writes less the 7 log 6 superseded, then log 6's 7.
      expect(env.backend.counters).to.include({ merges: 2, compactions: 1, mergedLogEntries: 160 });
      // No log is left: what the reopened state reads comes from the tree.
      await env.reopen();
      expect(env.backend.counters.replayedEntries).to.equal(0);
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(k >= 300 && k < 600 ? 6 : want(k));
    } finally {
      await env.dispose();
    }
  });

  /**
   * Keys 0-999 at 0, then logs 2-4 and a compaction at checkpoint 5, which finds 280 writes logged
   * (over 0.3 of the state's 1,000 keys, with its own 30):
   *   log 2: keys 0-99 = 1; log 3: keys 0-79 = 2 (superseding 80 of log 2's 100); log 4: keys 200-299 = 3;
   *   compaction 5: keys 300-329 = 4.
   * Live: log 2 20 %, logs 3 and 4 all: the compaction replaces log 2 alone, and leaves logs 3 and 4.
   * It keeps log 2's 80-99 (places 0-19) and writes its own 30 (places 20-49). Then log 6: keys
   * 0-4, 85-89 and 310-311 = 5, superseding log 3's places 0-4, the compaction's places 5-9 and 30-31.
   */
  async function partlyCompacted(env: LmdbTestEnv, fail = false): Promise<(k: number) => number> {
    const v = await seeded(env);
    const put = (from: number, to: number, x: number): void => {
      for (let k = from; k < to; k++) v.put([k], x);
    };
    put(0, 100, 1);
    await checkpointed(env);
    put(0, 80, 2);
    await checkpointed(env);
    if (fail) {
      // A log that fails, changing keys 80-89, whose newest committed write is log 2's: they point
      // at writes that never committed, so the log that writes them next (5) cannot mark log 2's
      // writes superseded. Left by the compaction, it would come before the copies of them.
      put(80, 90, 9);
      expect((await env.checkpoint('commit')).status).to.equal('FAILED');
      put(80, 90, 7);
    }
    put(200, 300, 3);
    await checkpointed(env);
    put(300, 330, 4);
    await checkpointed(env);
    put(0, 5, 5);
    put(85, 90, 5);
    put(310, 312, 5);
    await checkpointed(env);
    return (k) => (k < 5 ? 5 : k < 80 ? 2 : k < 85 ? (fail ? 7 : 1) : k < 90 ? 5 : k < 100 ? 1 : k >= 200 && k < 300 ? 3 : k === 310 || k === 311 ? 5 : k >= 300 && k < 330 ? 4 : 0);
  }

  it('compacts only the logs of which at most half the writes are live, and recovers from what it leaves and writes', async () => {
    const env = new LmdbTestEnv({ maxLogs: 10, logRatio: 0.3, logFloor: 0 });
    try {
      const want = await partlyCompacted(env);
      expect(env.backend.counters).to.include({ merges: 1, logs: 4, compactions: 1, compactedLogs: 1, supersededEntries: 92 });
      await env.reopen();
      // Logs 3 and 4, compaction 5 and log 6: keys 0-79, 200-299, 80-99 and 300-329, each applied once.
      expect(env.backend.counters.replayedEntries).to.equal(230);
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(want(k));
    } finally {
      await env.dispose();
    }
  });

  it('compacts every log, in order, after a checkpoint failed', async () => {
    const env = new LmdbTestEnv({ maxLogs: 10, logRatio: 0.3, logFloor: 0 });
    try {
      const want = await partlyCompacted(env, true);
      // Logs 2, 3 and 5 (checkpoint 4 failed), all replaced by compaction 6, log 2's writes before log 5's.
      expect(env.backend.counters).to.include({ merges: 1, logs: 4, compactions: 1, compactedLogs: 3 });
      await env.reopen();
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(want(k));
    } finally {
      await env.dispose();
    }
  });

  it('compacts a compacted log of 35 MB, stored in chunks', async () => {
    // 1,800 values of 20 KB. Four logs of 440 keys each (0-1759), then a compaction of them (the
    // limit of four logs): one log of 1,760 writes, 35 MB, stored in three chunks (of at most 16 MiB);
    // the next compaction, and the recovery, read it back whole.
    const env = new LmdbTestEnv({ maxLogs: 4, memoryLimit: 1024 ** 3 });
    try {
      const v = env.backend.forOperator('op').value<string>('v');
      const text = (k: number, c: number): string => `${c}:${k}:`.padEnd(20_000, String.fromCharCode(97 + ((k + c) % 26)));
      const want = new Map<number, string>();
      const put = (from: number, to: number, c: number): void => {
        for (let k = from; k < to; k++) {
          v.put([k], text(k, c));
          want.set(k, text(k, c));
        }
      };
      put(0, 1800, 0);
      await checkpointed(env);
      for (let c = 1; c <= 4; c++) {
        put((c - 1) * 440, c * 440, c);
        await checkpointed(env);
      }
      put(0, 100, 5);
      await checkpointed(env);
      expect(env.backend.counters).to.include({ merges: 1, logs: 4, compactions: 1 });
      for (let c = 6; c <= 9; c++) {
        put(c * 100, c * 100 + 100, c);
        await checkpointed(env);
      }
      expect(env.backend.counters).to.include({ merges: 1, logs: 7, compactions: 2 });
      await env.reopen();
      // The second compaction's log: every key logged since the first checkpoint (0-1759), once.
      expect(env.backend.counters.replayedEntries).to.equal(1760);
      const back = env.backend.forOperator('op').value<string>('v');
      for (let k = 0; k < 1800; k++) expect(back.get([k]) === want.get(k), `key ${k}`).to.equal(true);
    } finally {
      await env.dispose();
    }
  });

  it('recovers the newest logged write of each key', async () => {
    const env = new LmdbTestEnv({ maxLogs: 10 });
    try {
      const v = await seeded(env);
      for (let k = 0; k < 100; k++) v.put([k], 1);
      await checkpointed(env);
      for (let k = 50; k < 150; k++) v.put([k], 2);
      // Key 60 removed in the last log, after log 2 wrote it.
      v.delete([60]);
      await checkpointed(env);
      expect(env.backend.counters).to.include({ logs: 2, merges: 1 });
      await env.reopen();
      // 150 keys: 0-49 from the first log, 50-149 from the second.
      expect(env.backend.counters.replayedEntries).to.equal(150);
      const back = env.backend.forOperator('op').value<number>('v');
      for (let k = 0; k < 1000; k++) expect(back.get([k]), `key ${k}`).to.equal(k === 60 ? undefined : k < 50 ? 1 : k < 150 ? 2 : 0);
    } finally {
      await env.dispose();
    }
  });

  it('keeps a value spilled after it was logged, across a crash after the next log', async () => {
    // Key 0 is logged at checkpoint 2, then changed and spilled (the tree now has 2);
    // checkpoint 3 logs nothing of key 0 by itself. Replaying log 2 over the tree must not
    // bring 1 back.
    const env = new LmdbTestEnv({ memoryLimit: 16 * 1024, maxLogs: 10 });
    try {
      const v = env.backend.forOperator('op').value<number>('v');
      // More keys than the cache holds; read back twice, so that every dirty one is spilled
      // and the cache holds clean entries only.
      for (let k = 0; k < 2000; k++) v.put([k], -1);
      for (let pass = 0; pass < 2; pass++) {
        await env.settle();
        for (let k = 1; k < 2000; k++) expect(v.get([k])).to.equal(-1);
      }
      await env.settle();
      await checkpointed(env);
      const { logs, merges } = env.backend.counters;
      v.put([0], 1);
      await checkpointed(env);
      expect(env.backend.counters.logs).to.equal(logs + 1);
      v.put([0], 2);
      // Reading the other keys sweeps the cache: key 0, logged and dirty, is spilled.
      for (let k = 1; k < 2000; k++) expect(v.get([k])).to.equal(-1);
      await env.settle();
      expect(env.backend.counters.spilledEntries).to.be.greaterThan(0);
      await checkpointed(env);
      // Checkpoints 2 and 3 were logs, with no merge between them.
      expect(env.backend.counters).to.include({ logs: logs + 2, merges });
      await env.reopen();
      expect(env.backend.forOperator('op').value<number>('v').get([0])).to.equal(2);
    } finally {
      await env.dispose();
    }
  });
});
