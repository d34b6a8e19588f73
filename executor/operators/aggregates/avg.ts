// AVG: SUM and COUNT folded together (both invertible), divided at read time and converted to the call's type.

import type { DataType } from '../../../common/data-type.js';
import { Decimal } from '../../../common/decimal.js';
import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';
import { addFloat, floatSum, mergeFloat } from './sum.js';
import { addDecimals, decimalFromNumber, divideDecimal, toResultType } from './result-type.js';

// Slot layouts:
//   DECIMAL result: [sum: Decimal, count]                              exact, rounded once at the type's scale
//   otherwise:      [partials: number[], +inf, -inf, NaN, count]       exact sum (see exact-sum.ts); an integer
//                   result (AVG(INT) typed INT, as Flink types it) is the exact quotient truncated toward zero.

export class AvgAccumulator implements Accumulator {
  private readonly decimal: boolean;
  private readonly integer: boolean;

  constructor(private readonly arg: number, private readonly type: DataType) {
    this.decimal = type.kind === 'DECIMAL';
    this.integer = type.kind === 'TINYINT' || type.kind === 'SMALLINT' || type.kind === 'INT' || type.kind === 'BIGINT';
  }

  create(): unknown {
    return this.decimal ? [new Decimal(0n, 0), 0] : [[], 0, 0, 0, 0];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    if (this.decimal) {
      const s = record[slot] as [Decimal, number];
      const d = v instanceof Decimal ? v : decimalFromNumber(v as number);
      s[0] = addDecimals(s[0], weight === 1 ? d : new Decimal(-d.unscaled, d.scale));
      s[1] += weight;
      return;
    }
    const s = record[slot] as [number[], number, number, number, number];
    addFloat(s, typeof v === 'number' ? v : (v as Decimal).toNumber(), weight);
    s[4] += weight;
  }

  result(record: GroupRecord, slot: number): Value {
    if (this.decimal) {
      const s = record[slot] as [Decimal, number];
      if (s[1] === 0) return null;
      const scale = this.type.kind === 'DECIMAL' ? this.type.scale : s[0].scale;
      return toResultType(divideDecimal(s[0], BigInt(s[1]), scale), this.type);
    }
    const s = record[slot] as [number[], number, number, number, number];
    const n = s[4];
    if (n === 0) return null;
    if (this.integer && s[1] === 0 && s[2] === 0 && s[3] === 0 && s[0].every(Number.isInteger)) {
      // Integer inputs leave integer partials; divide exactly.
      let total = 0n;
      for (const p of s[0]) total += BigInt(p);
      return toResultType(Number(total / BigInt(n)), this.type);
    }
    return toResultType(floatSum(s) / n, this.type);
  }

  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    if (this.decimal) {
      const a = into[slot] as [Decimal, number];
      const b = from[slot] as [Decimal, number];
      a[0] = addDecimals(a[0], b[0]);
      a[1] += b[1];
      return;
    }
    const a = into[slot] as [number[], number, number, number, number];
    const b = from[slot] as [number[], number, number, number, number];
    mergeFloat(a, b);
    a[4] += b[4];
  }
}
