// VAR_POP / VAR_SAMP / STDDEV_POP / STDDEV_SAMP: from exact Σx and Σx² (invertible), M2 = (nΣx² - (Σx)²)/n rounded once.

import type { DataType } from '../../../common/data-type.js';
import type { Decimal } from '../../../common/decimal.js';
import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';
import { addPartial, addProduct, roundPartials } from './exact-sum.js';
import { toResultType } from './result-type.js';

// Why not Welford: its update is not exactly invertible, so under retraction
// the error depends on history. Σx and Σx² are kept exactly (x² as product plus
// error term), and nΣx² - (Σx)² is formed exactly before its one rounding, so
// there is no cancellation either: the result is as good as the inputs.
// Slot: [n, Σx partials, Σx² partials, non-finite count].

export type VarianceKind = 'var_pop' | 'var_samp' | 'stddev_pop' | 'stddev_samp';

export class VarianceAccumulator implements Accumulator {
  private readonly sample: boolean;
  private readonly sqrt: boolean;

  constructor(private readonly arg: number, kind: VarianceKind, private readonly type: DataType) {
    this.sample = kind === 'var_samp' || kind === 'stddev_samp';
    this.sqrt = kind === 'stddev_pop' || kind === 'stddev_samp';
  }

  create(): unknown {
    return [0, [], [], 0];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const x = typeof v === 'number' ? v : (v as Decimal).toNumber();
    const s = record[slot] as [number, number[], number[], number];
    s[0] += weight;
    if (!Number.isFinite(x)) {
      s[3] += weight;
      return;
    }
    addPartial(s[1], weight === 1 ? x : -x);
    addProduct(s[2], x, x, weight);
  }

  result(record: GroupRecord, slot: number): Value {
    const s = record[slot] as [number, number[], number[], number];
    const n = s[0];
    if (n === 0 || (this.sample && n === 1)) return null;
    if (s[3] > 0) return Number.NaN;
    const d: number[] = [];
    for (const q of s[2]) addProduct(d, q, n, 1);
    const sum = s[1];
    for (const a of sum) for (const b of sum) addProduct(d, a, b, -1);
    const m2 = Math.max(0, roundPartials(d)) / n;
    const variance = m2 / (this.sample ? n - 1 : n);
    return toResultType(this.sqrt ? Math.sqrt(variance) : variance, this.type);
  }

  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    const a = into[slot] as [number, number[], number[], number];
    const b = from[slot] as [number, number[], number[], number];
    a[0] += b[0];
    for (const p of b[1]) addPartial(a[1], p);
    for (const p of b[2]) addPartial(a[2], p);
    a[3] += b[3];
  }
}
