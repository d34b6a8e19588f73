// Window arithmetic: which TUMBLE / HOP / CUMULATE windows a time falls in, and the slices that windows share.
//
// Times are microseconds. Windows are aligned to `offset` (plus multiples of the
// size or slide), as Flink aligns them to the epoch. A slice is the largest run of
// time every window either covers whole or not at all: the window itself for
// TUMBLE, gcd(size, slide) for HOP, the step for CUMULATE. A row updates the one
// slice its time falls in; a window closing combines its slices. Slices are
// identified by their end (exclusive), as windows are.

export interface WindowShape {
  readonly kind: 'TUMBLE' | 'HOP' | 'CUMULATE';
  readonly size: number;
  /** HOP: slide; CUMULATE: step; TUMBLE: size. */
  readonly slide: number;
  readonly offset: number;
}

/** The largest multiple of `unit` (shifted by `offset`) at or below `t`. */
export function floorTo(t: number, unit: number, offset: number): number {
  const r = (t - offset) % unit;
  return t - (r < 0 ? r + unit : r);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A window: [start, end). */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** Every window containing `t`, earliest end first. */
export function windowsOf(shape: WindowShape, t: number): Window[] {
  const { size, slide, offset } = shape;
  switch (shape.kind) {
    case 'TUMBLE': {
      const start = floorTo(t, size, offset);
      return [{ start, end: start + size }];
    }
    case 'HOP': {
      const out: Window[] = [];
      for (let start = floorTo(t, slide, offset); start > t - size; start -= slide) out.push({ start, end: start + size });
      return out.reverse();
    }
    case 'CUMULATE': {
      const start = floorTo(t, size, offset);
      const out: Window[] = [];
      for (let end = floorTo(t, slide, offset) + slide; end <= start + size; end += slide) out.push({ start, end });
      return out;
    }
  }
}

/** Slices of one window shape: how rows are placed and windows assembled. */
export class Slicing {
  /** The width of a slice. */
  readonly width: number;

  constructor(readonly shape: WindowShape) {
    this.width = shape.kind === 'TUMBLE' ? shape.size : shape.kind === 'HOP' ? gcd(shape.size, shape.slide) : shape.slide;
  }

  /** The end of the slice holding `t`. */
  sliceEnd(t: number): number {
    return floorTo(t, this.width, this.shape.offset) + this.width;
  }

  /** The end of the first window that contains the slice ending at `sliceEnd`. */
  firstWindowEnd(sliceEnd: number): number {
    const { kind, size, slide, offset } = this.shape;
    if (kind !== 'HOP') return sliceEnd;
    // HOP windows end at offset + size + k * slide: the first such end at or after the slice's end.
    const e = floorTo(sliceEnd - 1, slide, offset + size) + slide;
    return e;
  }

  /** The end of the last window that contains the slice ending at `sliceEnd`: after it closes, the slice can go. */
  lastWindowEnd(sliceEnd: number): number {
    const { kind, size, slide, offset } = this.shape;
    switch (kind) {
      case 'TUMBLE': return sliceEnd;
      case 'HOP': return floorTo(sliceEnd - this.width, slide, offset) + size;
      case 'CUMULATE': return floorTo(sliceEnd - this.width, size, offset) + size;
    }
  }

  /** The start of the window ending at `windowEnd`. */
  windowStart(windowEnd: number): number {
    const { kind, size, slide, offset } = this.shape;
    return kind === 'CUMULATE' ? floorTo(windowEnd - slide, size, offset) : windowEnd - size;
  }

  /** The window end after `windowEnd` (windows end every slide; CUMULATE every step). */
  nextWindowEnd(windowEnd: number): number {
    return windowEnd + this.shape.slide;
  }

  /** The first window end strictly after `t`. */
  windowEndAfter(t: number): number {
    const { kind, size, slide, offset } = this.shape;
    const base = kind === 'HOP' ? offset + size : offset;
    return floorTo(t, slide, base) + slide;
  }
}
