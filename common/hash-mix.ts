// The 32-bit integer mix shared by the engine's hashes (join-key hashes, statistics sketches, the Nexmark generator's seeding).

/** Murmur3's finalizer: every input bit spread over the whole word (full avalanche); an unsigned 32-bit result. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
