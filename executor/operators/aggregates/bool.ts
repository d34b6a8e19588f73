// BOOL_AND / BOOL_OR: counts of TRUE and FALSE inputs (invertible); AND is false once any FALSE remains, OR true once any TRUE.

import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';

// Slot: [trueCount, falseCount]. NULL inputs are skipped; no non-NULL input gives NULL.

export class BoolAccumulator implements Accumulator {
  constructor(private readonly arg: number, private readonly isAnd: boolean) {}

  create(): unknown {
    return [0, 0];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const s = record[slot] as [number, number];
    if (v === true) s[0] += weight;
    else s[1] += weight;
  }

  result(record: GroupRecord, slot: number): Value {
    const s = record[slot] as [number, number];
    if (s[0] === 0 && s[1] === 0) return null;
    return this.isAnd ? s[1] === 0 : s[0] > 0;
  }

  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    const a = into[slot] as [number, number];
    const b = from[slot] as [number, number];
    a[0] += b[0];
    a[1] += b[1];
  }
}
