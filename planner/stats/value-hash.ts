// Hashes of SQL values for sketches: two independent 32-bit hashes, equal for values GROUP BY calls equal.

import { fmix32 } from '../../common/hash-mix.js';
import { valueKey } from '../../common/key.js';
import type { Value } from '../../common/value.js';

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

function hashString(s: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h ^ s.length);
}

/**
 * Two 32-bit hashes of `v` (seeded apart), written into `out`. Numbers hash their
 * float bits (no string is built on the hot path); strings their characters; other
 * values their canonical key, so 1.50 and 1.5 hash alike as they group alike.
 */
export function hashValue(v: Value, out: Uint32Array): void {
  if (typeof v === 'number') {
    float[0] = v === 0 ? 0 : v; // -0 groups with 0
    const lo = words[0] as number;
    const hi = words[1] as number;
    out[0] = fmix32(Math.imul(lo, 0xcc9e2d51) ^ fmix32(hi ^ 0x9747b28c));
    out[1] = fmix32(Math.imul(hi, 0x1b873593) ^ fmix32(lo ^ 0x5bd1e995));
    return;
  }
  const s = typeof v === 'string' ? v : valueKey(v);
  out[0] = hashString(s, 0x9747b28c);
  out[1] = hashString(s, 0x5bd1e995);
}
