// GROUPING(k1, ..., kn): a constant per grouping set, bit i (from the right, for the last argument) set when that key is absent.

import { internalError } from '../../../common/errors.js';
import type { Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';
import { GROUPING_SET } from './accumulator.js';

// PostgreSQL semantics: GROUPING(a, b) is 2 when a is aggregated away (absent
// from the row's grouping set) and b is not, 1 for the reverse, 3 for both.

export class GroupingAccumulator implements Accumulator {
  /** The result for each grouping set, by set index. */
  private readonly masks: number[];

  /**
   * `args`: input columns, each one of `groupKeys`; `groupingSets`: positions
   * into `groupKeys` per set (undefined: one set with every key).
   */
  constructor(args: readonly number[], groupKeys: readonly number[], groupingSets: readonly (readonly number[])[] | undefined) {
    const positions = args.map((col) => {
      const p = groupKeys.indexOf(col);
      if (p < 0) throw internalError(`GROUPING argument column ${col} is not a group key`);
      return p;
    });
    const sets = groupingSets ?? [groupKeys.map((_, i) => i)];
    this.masks = sets.map((set) => {
      let mask = 0;
      for (const p of positions) mask = (mask << 1) | (set.includes(p) ? 0 : 1);
      return mask;
    });
  }

  create(): unknown {
    return 0;
  }

  update(): void {}

  result(record: GroupRecord): Value {
    return this.masks[record[GROUPING_SET] as number] ?? 0;
  }
}
