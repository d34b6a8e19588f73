// The order a checkpoint writes its entries in: checked against a plain comparison sort.

import { expect } from 'chai';
import { sortedByKey } from '../../executor/state/lmdb-backend.js';
import { rng } from '../operators/harness.js';

/** Writes of random keys (a shared prefix, then bytes drawn mostly from 0-2, so ties and prefixes abound) and a one-byte record each. */
function writes(r: () => number, n: number): { keys: Buffer[]; buf: Buffer; marks: Uint32Array } {
  const prefix = Buffer.from([1, 2, 3].slice(0, Math.floor(r() * 4)));
  const keys: Buffer[] = [];
  const parts: Buffer[] = [];
  const marks = new Uint32Array(3 * n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const body = Buffer.alloc(Math.floor(r() * 12));
    for (let j = 0; j < body.length; j++) body[j] = r() < 0.5 ? Math.floor(r() * 3) : Math.floor(r() * 256);
    const key = Buffer.concat([prefix, body]);
    keys.push(key);
    marks[3 * i] = pos;
    pos += key.length;
    marks[3 * i + 1] = pos;
    pos += 1;
    marks[3 * i + 2] = pos;
    parts.push(key, Buffer.from([7]));
  }
  return { keys, buf: Buffer.concat(parts), marks };
}

/** Within each run: by the eight bytes after the run's common prefix (a shorter key as if padded with zeros), ties in write order. */
function expected(keys: readonly Buffer[], runs: readonly number[]): number[] {
  const out: number[] = [];
  runs.forEach((a, r) => {
    const b = runs[r + 1] ?? keys.length;
    const idx = Array.from({ length: b - a }, (_, k) => a + k);
    if (idx.length < 2) {
      out.push(...idx);
      return;
    }
    const first = keys[a] as Buffer;
    let common = first.length;
    for (const i of idx) {
      const key = keys[i] as Buffer;
      let c = 0;
      while (c < Math.min(common, key.length) && key[c] === first[c]) c++;
      common = c;
    }
    const sortBytes = (i: number): Buffer => {
      const o = Buffer.alloc(8);
      (keys[i] as Buffer).copy(o, 0, common, Math.min((keys[i] as Buffer).length, common + 8));
      return o;
    };
    idx.sort((p, q) => Buffer.compare(sortBytes(p), sortBytes(q)) || p - q);
    out.push(...idx);
  });
  return out;
}

describe('state (LMDB): the order of a checkpoint\'s writes', () => {
  it('sorts each state\'s writes by their key bytes after the common prefix, keeping the order of ties', () => {
    const r = rng(17);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(r() * 500);
      const { keys, buf, marks } = writes(r, n);
      const runs = n > 10 && r() < 0.5 ? [0, Math.floor(n / 3), Math.floor(n / 2)] : [0];
      const order = sortedByKey(buf, marks, n, runs, new Uint32Array(n), new Uint32Array(n));
      expect([...order], `trial ${trial}`).to.deep.equal(expected(keys, runs));
    }
  });

  it('orders keys that tie in the first four sort bytes by the next four', () => {
    const keys = [[9, 1, 0, 0, 0, 0, 5], [9, 2, 0, 0, 0, 0, 1], [9, 1, 0, 0, 0, 0, 1], [9, 1, 0, 0, 0, 0, 3]].map((k) => Buffer.from(k));
    const marks = new Uint32Array(12);
    keys.forEach((k, i) => {
      marks[3 * i] = 7 * i;
      marks[3 * i + 1] = 7 * i + 7;
      marks[3 * i + 2] = 7 * i + 7;
    });
    const order = sortedByKey(Buffer.concat(keys), marks, 4, [0], new Uint32Array(4), new Uint32Array(4));
    // Common prefix [9]; sort bytes 1 0 0 0 0 5, 2 0 0 0 0 1, 1 0 0 0 0 1, 1 0 0 0 0 3.
    expect([...order]).to.deep.equal([2, 3, 0, 1]);
  });
});
