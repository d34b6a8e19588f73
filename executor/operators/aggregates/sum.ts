// SUM: an abelian-group fold (add, subtract on retraction): exact integers, exact DECIMAL, exact double partials.

import type { DataType } from '../../../common/data-type.js';
import { Decimal } from '../../../common/decimal.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';
import { addPartial, roundPartials } from './exact-sum.js';
import { addDecimals, decimalFromNumber, numericMode, toResultType, type NumericMode } from './result-type.js';

// Slot layouts (plain arrays, mutated in place), by the result type:
//   integer: [sum: number, nonNullCount]            exact within ±(2^53-1), else 22003
//   decimal: [sum: Decimal, nonNullCount]           exact
//   float:   [partials: number[], +inf count, -inf count, NaN count, nonNullCount]
//            exact (see exact-sum.ts): the result never depends on the order of
//            insertions and retractions, only on the rows in the group.

export class SumAccumulator implements Accumulator {
  private readonly mode: NumericMode;

  constructor(private readonly arg: number, private readonly type: DataType) {
    this.mode = numericMode(type);
  }

  create(): unknown {
    switch (this.mode) {
      case 'integer': return [0, 0];
      case 'decimal': return [new Decimal(0n, 0), 0];
      case 'float': return [[], 0, 0, 0, 0];
    }
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    switch (this.mode) {
      case 'integer': {
        const s = record[slot] as [number, number];
        const x = s[0] + (weight === 1 ? (v as number) : -(v as number));
        if (!Number.isSafeInteger(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
        s[0] = x;
        s[1] += weight;
        return;
      }
      case 'decimal': {
        const s = record[slot] as [Decimal, number];
        const d = v instanceof Decimal ? v : decimalFromNumber(v as number);
        s[0] = addDecimals(s[0], weight === 1 ? d : new Decimal(-d.unscaled, d.scale));
        s[1] += weight;
        return;
      }
      case 'float': {
        const s = record[slot] as [number[], number, number, number, number];
        addFloat(s, typeof v === 'number' ? v : (v as Decimal).toNumber(), weight);
        s[4] += weight;
        return;
      }
    }
  }

  result(record: GroupRecord, slot: number): Value {
    switch (this.mode) {
      case 'integer': {
        // Already an exact integer within the safe range: nothing to convert.
        const s = record[slot] as [number, number];
        return s[1] === 0 ? null : s[0];
      }
      case 'decimal': {
        const s = record[slot] as [Decimal, number];
        return s[1] === 0 ? null : toResultType(s[0], this.type);
      }
      case 'float': {
        const s = record[slot] as [number[], number, number, number, number];
        return s[4] === 0 ? null : floatSum(s);
      }
    }
  }

  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    switch (this.mode) {
      case 'integer': {
        const a = into[slot] as [number, number];
        const b = from[slot] as [number, number];
        const x = a[0] + b[0];
        if (!Number.isSafeInteger(x)) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
        a[0] = x;
        a[1] += b[1];
        return;
      }
      case 'decimal': {
        const a = into[slot] as [Decimal, number];
        const b = from[slot] as [Decimal, number];
        a[0] = addDecimals(a[0], b[0]);
        a[1] += b[1];
        return;
      }
      case 'float': {
        const a = into[slot] as [number[], number, number, number, number];
        const b = from[slot] as [number[], number, number, number, number];
        mergeFloat(a, b);
        a[4] += b[4];
        return;
      }
    }
  }
}

/** Folds float slot `from` into `into` (the partials stay exact). */
export function mergeFloat(into: [number[], number, number, number, ...number[]], from: readonly [number[], number, number, number, ...number[]]): void {
  for (const p of from[0]) addPartial(into[0], p);
  into[1] += from[1];
  into[2] += from[2];
  into[3] += from[3];
}

/** Adds `x` with `weight` to a float slot `[partials, +inf, -inf, NaN, ...]`. */
export function addFloat(s: [number[], number, number, number, ...number[]], x: number, weight: 1 | -1): void {
  if (Number.isFinite(x)) addPartial(s[0], weight === 1 ? x : -x);
  else if (Number.isNaN(x)) s[3] += weight;
  else if (x > 0) s[1] += weight;
  else s[2] += weight;
}

/** The float slot's sum, with IEEE rules for infinities and NaN. */
export function floatSum(s: readonly [number[], number, number, number, ...number[]]): number {
  if (s[3] > 0 || (s[1] > 0 && s[2] > 0)) return Number.NaN;
  if (s[1] > 0) return Number.POSITIVE_INFINITY;
  if (s[2] > 0) return Number.NEGATIVE_INFINITY;
  return roundPartials(s[0]);
}
