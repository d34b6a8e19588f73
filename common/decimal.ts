// Exact decimal values: an unscaled bigint and a scale (value = unscaled / 10^scale).

export class Decimal {
  constructor(readonly unscaled: bigint, readonly scale: number) {}

  /** Parses `-12.340`, `1e3`, `.5`; returns undefined when the text is not a number. */
  static parse(text: string): Decimal | undefined {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const sign = m[1] === '-' ? -1n : 1n;
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    const exp = m[4] === undefined ? 0 : Number(m[4]);
    let unscaled = BigInt((intPart + frac) || '0');
    let scale = frac.length - exp;
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(sign * unscaled, scale);
  }

  /** The same value at another scale, rounding half away from zero when the scale shrinks. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    const q = this.unscaled / div;
    const r = this.unscaled % div;
    const abs = r < 0n ? -r : r;
    const round = abs * 2n >= div ? (this.unscaled < 0n ? -1n : 1n) : 0n;
    return new Decimal(q + round, scale);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Plain notation with exactly `scale` digits after the point, as PostgreSQL prints numeric. */
  toString(): string {
    const neg = this.unscaled < 0n;
    const digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return (neg ? '-' : '') + digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const cut = padded.length - this.scale;
    return `${neg ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }
}
