// TemporalJoin: L ⋈ R FOR SYSTEM_TIME AS OF L.t — each left row meets the version of R (by key) valid at its time.

import type { Field, Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from './index.js';

/** How the right side is read when it is looked up rather than streamed (a lookup join). */
export interface LookupSpec {
  /** The catalog table looked up. */
  readonly table: string;
  /** Rows kept in the lookup cache (0: no cache). */
  readonly cacheMaxRows: number;
  /** Microseconds a cached row may be served for (0 with a cache: until evicted). */
  readonly cacheTtl: number;
}

/**
 * `left [LEFT] JOIN right FOR SYSTEM_TIME AS OF left.t ON ...`.
 *
 * - `ROWTIME` (event time): `right` is a versioned table, a changelog with primary key
 *   `rightKeys` and event-time attribute `rightTimeIndex`. A version is valid from its
 *   time (inclusive) until the key's next version or deletion. A left row at t joins the
 *   version of its key valid at t; it is emitted once the watermark has passed t, and
 *   the output is append-only (for an append-only left side).
 * - `PROCTIME` (processing time): a left row joins the latest version at its arrival,
 *   and later versions never change what was emitted. With `lookup`, the right side is
 *   a table read by key when a left row arrives (`rightKeys` are the looked-up columns);
 *   otherwise it is streamed and its latest row per key (`rightKeys`) kept.
 *
 * `condition` is the whole ON condition over the concatenated row; it equates
 * `rightKeys` with expressions over the left row. Output: left ++ right columns (right
 * nullable for LEFT). The left side keeps its time attributes; the right side's become
 * plain timestamps, as its rows are not emitted in their own time order.
 */
export interface TemporalJoin {
  readonly kind: 'TemporalJoin';
  readonly joinType: 'INNER' | 'LEFT';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: BoundExpr;
  /** The AS OF column of the left row. */
  readonly leftTimeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  /** Indexes into the right row: the versioned table's primary key, or a lookup join's looked-up columns. */
  readonly rightKeys: readonly number[];
  /** Index into the right row of the versions' event time (ROWTIME only). */
  readonly rightTimeIndex?: number;
  readonly lookup?: LookupSpec;
  readonly schema: Schema;
}

export interface TemporalJoinFields {
  readonly joinType: 'INNER' | 'LEFT';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: BoundExpr;
  readonly leftTimeIndex: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
  readonly rightKeys: readonly number[];
  readonly rightTimeIndex?: number;
  readonly lookup?: LookupSpec;
}

export function temporalJoin(fields: TemporalJoinFields): TemporalJoin {
  return { kind: 'TemporalJoin', ...fields, schema: temporalJoinSchema(fields.joinType, fields.left.schema, fields.right.schema) };
}

/** Left columns as they are; right columns without time attributes, nullable under a LEFT join. */
export function temporalJoinSchema(joinType: 'INNER' | 'LEFT', left: Schema, right: Schema): Schema {
  const r = right.map((f): Field => {
    const { timeAttribute: _dropped, ...plain } = f;
    return joinType === 'LEFT' ? { ...plain, nullable: true } : plain;
  });
  return [...left, ...r];
}
