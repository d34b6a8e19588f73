// Deduplicate: keep first / keep last changelogs, retracting input, and random runs against picking from scratch.

import { expect } from 'chai';
import { compareValues, rowsEqual } from '../../common/compare.js';
import type { Row, Value } from '../../common/value.js';
import { DELETE, INSERT } from '../../executor/change.js';
import { Deduplicate, type DeduplicateOptions } from '../../executor/operators/deduplicate.js';
import { Harness, consolidate, rng, sortRows, table, type Change } from './harness.js';

// Rows (k, t, v): key, time, value.
const base = { keys: [0], orderIndex: 1, outputRank: false };

describe('Deduplicate', () => {
  it('keep FIRST is append-only over rows in time order and ignores later rows', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'FIRST' }));
    expect(h.feed('+I a 1 x\n+I a 2 y\n+I b 3 z')).to.equal(table('+I a 1 x\n+I b 3 z'));
    expect(h.feed('+I a 4 w')).to.equal('');
  });

  it('keep FIRST takes an earlier event time that arrives late', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'FIRST' }));
    h.feed('+I a 5 x');
    expect(h.feed('+I a 3 y')).to.equal(table('-U a 5 x\n+U a 3 y'));
  });

  it('keep LAST replaces the row with -U/+U', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'LAST', outputRank: true }));
    expect(h.feed('+I a 1 x')).to.equal(table('+I a 1 x 1'));
    expect(h.feed('+I a 2 y')).to.equal(table('-U a 1 x 1\n+U a 2 y 1'));
    // An older row does not replace a newer one.
    expect(h.feed('+I a 1 z')).to.equal('');
    expect(h.feed('+I a 2 y')).to.equal('');
    expect(h.table()).to.equal(table('a 2 y 1'));
  });

  it('keep LAST: rows of one key within a batch are decided one after another, and what the batch leaves is kept', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'LAST' }));
    expect(h.feed('+I a 1 x\n+I a 3 y\n+I a 2 z\n+I b 1 q')).to.equal(table(`
      +I a 1 x
      -U a 1 x
      +U a 3 y
      +I b 1 q
    `));
    expect(h.feed('+I a 2 p\n+I a 4 w')).to.equal(table('-U a 3 y\n+U a 4 w'));
    // Deleted and inserted again within one batch.
    expect(h.feed('-D a 4 w\n+I a 0 v')).to.equal(table('-D a 4 w\n+I a 0 v'));
    expect(h.feed('+I a 1 u\n-D b 1 q')).to.equal(table('-U a 0 v\n+U a 1 u\n-D b 1 q'));
    expect(h.table()).to.equal(table('a 1 u'));
  });

  it('without retracting input, a retraction of the kept row deletes the key', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'LAST' }));
    h.feed('+I a 1 x');
    expect(h.feed('-D a 0 q')).to.equal('');
    expect(h.feed('-U a 1 x\n+U a 2 y')).to.equal(table('-D a 1 x\n+I a 2 y'));
  });

  it('keep LAST over retracting input falls back to the previous candidate', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'LAST', retractingInput: true }));
    expect(h.feed('+I a 1 x\n+I a 2 y')).to.equal(table('+I a 2 y'));
    expect(h.feed('+I a 3 z')).to.equal(table('-U a 2 y\n+U a 3 z'));
    expect(h.feed('-D a 3 z')).to.equal(table('-U a 3 z\n+U a 2 y'));
    expect(h.feed('-D a 1 x')).to.equal('');
    expect(h.feed('-D a 2 y')).to.equal(table('-D a 2 y'));
  });

  it('keep FIRST over retracting input: the next row takes the place of a retracted first', () => {
    const h = new Harness(new Deduplicate({ ...base, keep: 'FIRST', retractingInput: true }));
    expect(h.feed('+I a 1 x\n+I a 2 y')).to.equal(table('+I a 1 x'));
    expect(h.feed('-D a 1 x')).to.equal(table('-U a 1 x\n+U a 2 y'));
  });

  describe('random runs equal picking the first/last row per key from scratch', () => {
    for (const keep of ['FIRST', 'LAST'] as const) {
      for (const retracting of [false, true]) {
        it(`keep ${keep}${retracting ? ', retracting input' : ''}`, () => {
          const r = rng((keep === 'FIRST' ? 1 : 2) * 10 + (retracting ? 1 : 0));
          const o: DeduplicateOptions = { ...base, keep, retractingInput: retracting };
          const h = new Harness(new Deduplicate(o));
          // Live rows with their arrival numbers; ties in time go to the earliest (FIRST) or latest (LAST) arrival.
          let live: { row: Row; seq: number }[] = [];
          let seq = 0;
          for (let step = 0; step < 200; step++) {
            if (step === 100) h.restart(new Deduplicate(o));
            const batch: Change[] = [];
            for (let i = Math.floor(r() * 4); i > 0; i--) {
              const row: Row = [['a', 'b', 'c'][Math.floor(r() * 3)] as string, Math.floor(r() * 5), ['x', 'y'][Math.floor(r() * 2)] as string];
              batch.push([INSERT, row]);
              live.push({ row, seq: seq++ });
            }
            if (retracting) {
              for (let i = Math.floor(r() * 3); i > 0 && live.length > 0; i--) {
                const row = (live[Math.floor(r() * live.length)] as { row: Row }).row;
                batch.push([DELETE, row]);
                // Of identical copies, the retraction takes the one that keeps the answer stable.
                const copies = live.filter((e) => rowsEqual(e.row, row));
                const gone = copies.reduce((a, b) => (keep === 'FIRST' ? (b.seq > a.seq ? b : a) : (b.seq < a.seq ? b : a)));
                live = live.filter((e) => e !== gone);
              }
            }
            h.push(batch);
            const best = new Map<Value, { row: Row; seq: number }>();
            for (const e of live) {
              const cur = best.get(e.row[0] as Value);
              const c = cur === undefined ? 0 : compareValues(e.row[1] as Value, cur.row[1] as Value) || e.seq - cur.seq;
              if (cur === undefined || (keep === 'FIRST' ? c < 0 : c > 0)) best.set(e.row[0] as Value, e);
            }
            const want = sortRows([...best.values()].map((e) => e.row));
            expect(consolidate(h.output), `step ${step}`).to.deep.equal(want);
          }
        });
      }
    }
  });
});
