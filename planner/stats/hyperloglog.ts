// HyperLogLog: a distinct-count sketch of 2^p one-byte registers (Flajolet et al. 2007), mergeable and small enough to persist.

import type { Value } from '../../common/value.js';
import { hashValue } from './value-hash.js';

/** Registers = 2^PRECISION: 2048 bytes per column, a standard error of about 1.04 / sqrt(2048) = 2.3 %. */
export const PRECISION = 11;
const M = 1 << PRECISION;
/** The bias correction constant for m >= 128. */
const ALPHA = 0.7213 / (1 + 1.079 / M);

const scratch = new Uint32Array(2);

/**
 * @example
 *   const h = new HyperLogLog();
 *   for (const v of ['a', 'b', 'a']) h.add(v);
 *   h.estimate(); // ≈ 2
 */
export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    if (registers !== undefined && registers.length !== M) throw new Error(`a HyperLogLog needs ${M} registers`);
    this.registers = registers ?? new Uint8Array(M);
  }

  /** NULL is not a value (COUNT(DISTINCT) skips it): not counted. */
  add(v: Value): void {
    if (v === null) return;
    hashValue(v, scratch);
    this.addHash(scratch[0] as number, scratch[1] as number);
  }

  /** `index` picks the register (its top bits), `rank` gives the run of leading zeros. */
  addHash(index: number, rank: number): void {
    const r = index >>> (32 - PRECISION);
    // Leading zeros of a 32-bit word, plus one; a zero word counts as 33.
    const rho = Math.clz32(rank) + 1;
    if (rho > (this.registers[r] as number)) this.registers[r] = rho;
  }

  /** Folds `other` in: the sketch of the union of both inputs. */
  merge(other: HyperLogLog): void {
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < M; i++) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
  }

  /** The estimated number of distinct values added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    const regs = this.registers;
    for (let i = 0; i < M; i++) {
      const r = regs[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // Small cardinalities: linear counting over the empty registers is far more exact.
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }

  copy(): HyperLogLog {
    return new HyperLogLog(new Uint8Array(this.registers));
  }

  /** The registers as base64 text, for storage. */
  encode(): string {
    return Buffer.from(this.registers).toString('base64');
  }

  static decode(text: string): HyperLogLog {
    const bytes = Buffer.from(text, 'base64');
    return new HyperLogLog(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice());
  }
}
