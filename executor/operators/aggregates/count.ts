// COUNT(x...) and COUNT(*): a signed row count; COUNT skips rows where an argument is NULL.

import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';

export class CountAccumulator implements Accumulator {
  /** `args` empty: COUNT(*). */
  constructor(private readonly args: readonly number[]) {}

  create(): unknown {
    return 0;
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const args = this.args;
    for (let i = 0; i < args.length; i++) if (row[args[i] as number] === null) return;
    record[slot] = (record[slot] as number) + weight;
  }

  result(record: GroupRecord, slot: number): Value {
    return record[slot] as number;
  }

  merge(into: GroupRecord, from: GroupRecord, slot: number): void {
    into[slot] = (into[slot] as number) + (from[slot] as number);
  }
}
