// Hashes of SQL values for sketches: two independent 32-bit hashes, equal for values GROUP BY calls equal.

import { valueKey } from '../../common/key.js';
import type { Value } from '../../common/value.js';

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** Murmur3's finalizer: spreads every input bit over the whole word. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h ^ s.length);
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
    out[0] = mix(Math.imul(lo, 0xcc9e2d51) ^ mix(hi ^ 0x9747b28c));
    out[1] = mix(Math.imul(hi, 0x1b873593) ^ mix(lo ^ 0x5bd1e995));
    return;
  }
  const s = typeof v === 'string' ? v : valueKey(v);
  out[0] = hashString(s, 0x9747b28c);
  out[1] = hashString(s, 0x5bd1e995);
}
