// FIRST_VALUE / LAST_VALUE: the first or last non-NULL value in ORDER BY (else arrival) order of an OrderedBag, retractable.

import { internalError } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { AggCall } from '../../../planner/logical/aggregate.js';
import type { Accumulator, AccumulatorContext, GroupRecord } from './accumulator.js';
import { OrderedBag } from './ordered-bag.js';
import { toResultType } from './result-type.js';

// Slot: [count, value]. NULL values are skipped, as Flink's FIRST_VALUE and
// LAST_VALUE skip them. With retraction the value is read from the bag; a
// retracted duplicate removes the copy that leaves the answer where it was
// (the latest copy for FIRST_VALUE, the earliest for LAST_VALUE).
// Append-only input without ORDER BY keeps just the value.

export class FirstLastAccumulator implements Accumulator {
  private readonly bag: OrderedBag | undefined;
  private readonly arg: number;

  constructor(private readonly call: AggCall, private readonly last: boolean, context: AccumulatorContext) {
    this.arg = call.args[0] as number;
    const orderBy = call.orderBy ?? [];
    this.bag = context.appendOnly && orderBy.length === 0 ? undefined : new OrderedBag(context.state, context.index, orderBy, context.nextSequence);
  }

  create(): unknown {
    return [0, null];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1, group: string): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const s = record[slot] as [number, Value];
    const bag = this.bag;
    if (bag === undefined) {
      if (weight < 0) throw internalError('FIRST_VALUE/LAST_VALUE planned for an append-only input received a retraction');
      if (this.last || s[0] === 0) s[1] = v;
      s[0]++;
      return;
    }
    if (weight > 0) {
      bag.add(group, row, v);
      s[0]++;
    } else if (bag.remove(group, row, v, this.last ? 'earliest' : 'latest')) s[0]--;
  }

  result(record: GroupRecord, slot: number, group: string): Value {
    const s = record[slot] as [number, Value];
    if (s[0] === 0) return null;
    if (this.bag === undefined) return toResultType(s[1], this.call.type);
    const v = this.last ? this.bag.last(group) : this.bag.first(group);
    return toResultType(v ?? null, this.call.type);
  }

  release(group: string): void {
    this.bag?.clear(group);
  }
}
