// LISTAGG / STRING_AGG: concatenation over an ordered multiset (OrderedBag), with the separator given before each value but the first.

import { Decimal } from '../../../common/decimal.js';
import { internalError } from '../../../common/errors.js';
import type { Row, Value } from '../../../common/value.js';
import type { AggCall } from '../../../planner/logical/aggregate.js';
import type { Accumulator, AccumulatorContext, GroupRecord } from './accumulator.js';
import { OrderedBag } from './ordered-bag.js';

// Slot: [count, text: string | null, stale: boolean]. The text is cached and
// rebuilt from the bag only after a change marked it stale; append-only input
// without ORDER BY needs no bag at all, the text just grows.
// NULL values are skipped; a NULL separator joins with nothing (PostgreSQL).
// Without a separator argument the separator is ',' (Flink's LISTAGG).

export class ListAggAccumulator implements Accumulator {
  private readonly bag: OrderedBag | undefined;
  private readonly arg: number;
  private readonly separatorArg: number | undefined;

  constructor(call: AggCall, context: AccumulatorContext) {
    this.arg = call.args[0] as number;
    this.separatorArg = call.args[1];
    const orderBy = call.orderBy ?? [];
    this.bag = context.appendOnly && orderBy.length === 0 ? undefined : new OrderedBag(context.state, context.index, orderBy, context.nextSequence);
  }

  create(): unknown {
    return [0, null, false];
  }

  update(record: GroupRecord, slot: number, row: Row, weight: 1 | -1, group: string): void {
    const v = row[this.arg] as Value;
    if (v === null) return;
    const text = asText(v);
    const sep = this.separatorArg === undefined ? ',' : asText(row[this.separatorArg] as Value);
    const s = record[slot] as [number, string | null, boolean];
    const bag = this.bag;
    if (bag === undefined) {
      if (weight < 0) throw internalError('LISTAGG planned for an append-only input received a retraction');
      s[1] = s[0] === 0 ? text : `${s[1] ?? ''}${sep}${text}`;
      s[0]++;
      return;
    }
    if (weight > 0) {
      bag.add(group, row, [text, sep]);
      s[0]++;
      s[2] = true;
    } else if (bag.remove(group, row, [text, sep], 'latest')) {
      s[0]--;
      s[2] = true;
    }
  }

  result(record: GroupRecord, slot: number, group: string): Value {
    const s = record[slot] as [number, string | null, boolean];
    if (s[0] === 0) return null;
    if (s[2] && this.bag) {
      let out = '';
      let first = true;
      for (const p of this.bag.values(group)) {
        const [text, sep] = p as [string, string];
        out = first ? text : out + sep + text;
        first = false;
      }
      s[1] = out;
      s[2] = false;
    }
    return s[1];
  }

  release(group: string): void {
    this.bag?.clear(group);
  }
}

function asText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Decimal) return v.toString();
  return String(v);
}
