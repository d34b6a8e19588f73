// WindowTableFunction: TUMBLE / HOP / CUMULATE / SESSION over a table; each row once per window it falls in, with window_start, window_end, window_time.

import type { Field, Schema } from '../../common/data-type.js';
import type { LogicalPlan } from './index.js';

export type WindowKind = 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';

/**
 * Which windows a row belongs to. Sizes are microseconds. Windows are aligned to
 * the epoch plus `offset`: a TUMBLE window starts at `offset + k * size`, a HOP
 * window at `offset + k * slide` and lasts `size`, a CUMULATE window starts at
 * `offset + k * size` and ends at each `step` (`slide`) until `size`. A SESSION
 * window holds rows of one partition whose gaps are shorter than `size`.
 */
export interface WindowSpec {
  readonly kind: WindowKind;
  /** The time attribute column of the input that places rows in windows. */
  readonly timeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** TUMBLE and HOP: the window size; CUMULATE: the largest window; SESSION: the gap. */
  readonly size: number;
  /** HOP: the slide; CUMULATE: the step; TUMBLE and SESSION: `size`. */
  readonly slide: number;
  readonly offset: number;
  /** SESSION: sessions are separate per value of these input columns. */
  readonly partitionKeys: readonly number[];
}

/**
 * Output: the input columns (the time column is a plain timestamp afterwards), then
 * `window_start`, `window_end` and `window_time` (`window_end` minus one millisecond,
 * a time attribute of the same kind as the window's, so windows can be cascaded).
 */
export interface WindowTableFunction {
  readonly kind: 'WindowTableFunction';
  readonly input: LogicalPlan;
  readonly window: WindowSpec;
  readonly schema: Schema;
}

/** The three window columns of a window over `timeField`. */
export function windowColumns(timeField: Field, timeAttribute: 'ROWTIME' | 'PROCTIME'): [Field, Field, Field] {
  const type = timeField.type.kind === 'TIMESTAMP_LTZ' ? { kind: 'TIMESTAMP_LTZ' as const, precision: 3 } : { kind: 'TIMESTAMP' as const, precision: 3 };
  return [
    { name: 'window_start', type, nullable: false },
    { name: 'window_end', type, nullable: false },
    { name: 'window_time', type, nullable: false, timeAttribute },
  ];
}

export function windowTableFunction(input: LogicalPlan, window: WindowSpec): WindowTableFunction {
  const timeField = input.schema[window.timeIndex];
  if (timeField === undefined) throw new Error('window time column is outside the input row');
  const plain = input.schema.map((f, i) => (i === window.timeIndex ? { name: f.name, type: f.type, nullable: f.nullable } : f));
  return { kind: 'WindowTableFunction', input, window, schema: [...plain, ...windowColumns(timeField, window.timeAttribute)] };
}
