// Maps offsets in a statement text to 1-based line and column numbers.

/** Line starts of a text, for turning offsets into line/column on demand. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** The 0-based line of the last lookup: spans are asked for near each other. */
  private last = 0;

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a 0-based offset. */
  line(offset: number): number {
    const starts = this.starts;
    const last = this.last;
    if ((starts[last] as number) <= offset && (last + 1 === starts.length || (starts[last + 1] as number) > offset)) {
      return last + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo + 1;
  }

  /** 1-based column of a 0-based offset on the given 1-based line. */
  column(offset: number, line: number): number {
    return offset - (this.starts[line - 1] as number) + 1;
  }
}
