// SINGLE_VALUE: the one row of a group (a scalar subquery's result); a second row is error 21000.

import { SqlError, SqlState } from '../../../common/errors.js';
import { valueKey } from '../../../common/key.js';
import type { Row, Value } from '../../../common/value.js';
import type { Accumulator, GroupRecord } from './accumulator.js';

// Slot: the distinct values with their counts, [[key, value, count], ...]. NULL
// counts as a row: a subquery returning one NULL row gives NULL, two rows fail.
type Entry = [string, Value, number];

export class SingleValueAccumulator implements Accumulator {
  constructor(private readonly arg: number) {}

  create(): unknown {
    return [];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1): void {
    const v = row[this.arg] as Value;
    const key = valueKey(v);
    const entries = record[slot] as Entry[];
    const i = entries.findIndex((e) => e[0] === key);
    if (i < 0) {
      entries.push([key, v, weight]);
      return;
    }
    const e = entries[i] as Entry;
    e[2] += weight;
    if (e[2] === 0) entries.splice(i, 1);
  }

  result(record: GroupRecord, slot: number): Value {
    const entries = record[slot] as Entry[];
    let rows = 0;
    for (const e of entries) rows += e[2];
    if (rows > 1) {
      throw new SqlError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
    }
    return rows === 1 ? (entries[0] as Entry)[1] : null;
  }
}
