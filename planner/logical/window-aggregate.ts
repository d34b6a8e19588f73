// WindowAggregate: γ per (window, group keys), one result row per window once the window closes.

import type { Field, Schema } from '../../common/data-type.js';
import type { AggCall } from './aggregate.js';
import type { LogicalPlan } from './index.js';
import { windowColumns, type WindowSpec } from './window-table-function.js';

/**
 * How input rows find their windows: `assign` places them from the time column
 * (the window table function below was absorbed, so HOP and CUMULATE can share
 * slices and sessions can merge); `assigned` reads the windows from columns an
 * earlier operator filled in (a window table function kept in the plan, or a
 * window aggregate's output for a cascaded aggregation over the same windows).
 */
export type WindowAssignment =
  | { readonly kind: 'assign'; readonly spec: WindowSpec }
  | {
      readonly kind: 'assigned';
      readonly startIndex: number;
      readonly endIndex: number;
      readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
    };

/**
 * Output: the group keys (in `groupKeys` order), one column per call, then
 * `window_start`, `window_end`, `window_time`. Append-only: a window's rows are
 * emitted once, when the watermark (or, for processing time, the clock) reaches
 * its end, and its state is freed then.
 */
export interface WindowAggregate {
  readonly kind: 'WindowAggregate';
  readonly input: LogicalPlan;
  readonly window: WindowAssignment;
  readonly groupKeys: readonly number[];
  readonly aggs: readonly AggCall[];
  readonly schema: Schema;
}

/**
 * A window aggregation's window_end: an event-time attribute when the window
 * follows event time. A window's rows come out once the watermark reaches its
 * end, before that watermark is passed on, so every row's window_end is above
 * the watermark downstream operators have seen: the column is bounded by the
 * watermark like the time column it was computed from, and interval joins and
 * other time operators can place rows by it. window_start is not (a window's
 * start is long behind the watermark that closes it); with processing time the
 * clock has already passed window_end when the row is emitted.
 */
export function windowEndField(end: Field, attribute: 'ROWTIME' | 'PROCTIME'): Field {
  return attribute === 'ROWTIME' ? { ...end, timeAttribute: 'ROWTIME' } : end;
}

/** The time attribute the window follows. */
export function windowTimeAttribute(w: WindowAssignment): 'ROWTIME' | 'PROCTIME' {
  return w.kind === 'assign' ? w.spec.timeAttribute : w.timeAttribute;
}

/** `head`: the fields of the group keys and the calls, as the Aggregate it replaces names and types them. */
export function windowAggregate(input: LogicalPlan, window: WindowAssignment, groupKeys: readonly number[], aggs: readonly AggCall[], head: readonly Field[]): WindowAggregate {
  if (head.length !== groupKeys.length + aggs.length) throw new Error('window aggregate fields do not match keys and calls');
  const timeIndex = window.kind === 'assign' ? window.spec.timeIndex : window.endIndex;
  const timeField = input.schema[timeIndex];
  if (timeField === undefined) throw new Error('window column is outside the input row');
  const plain = head.map((f): Field => ({ name: f.name, type: f.type, nullable: f.nullable }));
  const [start, end, time] = windowColumns(timeField, windowTimeAttribute(window));
  const schema: Schema = [...plain, start, windowEndField(end, windowTimeAttribute(window)), time];
  return { kind: 'WindowAggregate', input, window, groupKeys, aggs, schema };
}
