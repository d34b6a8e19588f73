// GROUP BY state of one SELECT: group keys, grouping sets, the aggregate calls found in its clauses, and the Aggregate node they become.

import type { DataType, Field, Schema } from '../../common/data-type.js';
import type { BoundExpr, InputRef } from '../bound/expr.js';
import type { AggCall, LogicalPlan, SortKey } from '../logical/index.js';
import { aggregate } from '../logical/aggregate.js';
import { project } from '../logical/project.js';
import { exprText } from '../explain.js';
import { exprEquals, fieldFor, inputRef } from './bound-utils.js';
import type { ExprContext } from './context.js';
import { windowAggregateOf } from './window-aggregates.js';
import type { GroupWindow } from './window-tvf.js';

export interface PendingSortKey {
  readonly expr: BoundExpr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** An aggregate call as bound, with its arguments still expressions over the FROM row. */
export interface PendingAgg {
  readonly fn: string;
  readonly args: readonly BoundExpr[];
  readonly distinct: boolean;
  readonly filter?: BoundExpr;
  readonly orderBy?: readonly PendingSortKey[];
  readonly type: DataType;
  readonly nullable: boolean;
  /** As written (`sum(price)`): the output column's name in EXPLAIN. */
  readonly name: string;
}

/**
 * The grouping of one SELECT. Expressions of its SELECT list, HAVING and ORDER BY are
 * bound over the Aggregate's output row: the group keys first, then one column per
 * distinct aggregate call.
 */
export class Grouping {
  readonly keys: BoundExpr[] = [];
  private readonly keyNames: string[] = [];
  private readonly aggs: PendingAgg[] = [];
  /** Positions into `keys`; undefined when there is exactly one set holding every key. */
  sets: number[][] | undefined;
  /**
   * `GROUP BY TUMBLE(ts, size)` and the like: the window, and the positions of the keys
   * window_start, window_end, window_time it added (what TUMBLE_START, ... read).
   */
  window: { readonly group: GroupWindow; readonly keys: readonly [number, number, number] } | undefined;

  /** `inputCtx` binds over the FROM row with no aggregates allowed (GROUP BY items, aggregate arguments). */
  constructor(readonly inputCtx: ExprContext) {}

  /** Adds a group key (once) and returns its position. */
  addKey(e: BoundExpr, name: string): number {
    const at = this.keyIndexOf(e);
    if (at >= 0) return at;
    this.keys.push(e);
    this.keyNames.push(name);
    return this.keys.length - 1;
  }

  keyIndexOf(e: BoundExpr): number {
    return this.keys.findIndex((k) => exprEquals(k, e));
  }

  keyRef(position: number): InputRef {
    const k = this.keys[position] as BoundExpr;
    return { kind: 'InputRef', index: position, type: k.type };
  }

  /** Registers an aggregate call (identical calls share one column) and returns a reference to its output. */
  addAggregate(a: PendingAgg): InputRef {
    let at = this.aggs.findIndex((b) => sameAgg(a, b));
    if (at < 0) {
      this.aggs.push(a);
      at = this.aggs.length - 1;
    }
    return { kind: 'InputRef', index: this.keys.length + at, type: a.type };
  }

  /**
   * The Aggregate over `input` (the FROM row). Arguments, FILTER conditions, argument
   * orderings and group keys that are not plain columns are computed first by a Project
   * that appends them to the input row, since AggCall takes column indexes.
   */
  build(input: LogicalPlan): LogicalPlan {
    const inSchema = input.schema;
    const width = inSchema.length;
    const extras: BoundExpr[] = [];
    const extraNames: string[] = [];
    // Computed inputs are named by their text, so the Aggregate reads `sum(CAST(price AS BIGINT))`.
    const column = (e: BoundExpr, name: string = exprText(e, inSchema)): number => {
      if (e.kind === 'InputRef') return e.index;
      let at = extras.findIndex((x) => exprEquals(x, e));
      if (at < 0) {
        extras.push(e);
        extraNames.push(name);
        at = extras.length - 1;
      }
      return width + at;
    };
    const groupKeys = this.keys.map((k, i) => column(k, this.keyNames[i] ?? ''));
    const calls: AggCall[] = this.aggs.map((a) => {
      const args = a.args.map((x) => column(x));
      const orderBy: SortKey[] | undefined = a.orderBy?.map((o) => ({
        index: column(o.expr),
        descending: o.descending,
        nullsFirst: o.nullsFirst,
      }));
      return {
        fn: a.fn,
        args,
        distinct: a.distinct,
        ...(a.filter === undefined ? {} : { filter: column(a.filter) }),
        ...(orderBy === undefined || orderBy.length === 0 ? {} : { orderBy }),
        type: a.type,
        name: a.name,
      };
    });
    let pre = input;
    if (extras.length > 0) {
      const exprs = [...inSchema.map((_, i) => inputRef(i, inSchema)), ...extras];
      const fields: Field[] = [...inSchema, ...extras.map((e, i) => fieldFor(extraNames[i] ?? '', e, inSchema))];
      pre = project(input, exprs, fields);
    }
    const preSchema = pre.schema;
    const inEverySet = (k: number): boolean => this.sets === undefined || this.sets.every((s) => s.includes(k));
    const schema: Schema = [
      ...groupKeys.map((col, k): Field => {
        const f = preSchema[col] as Field;
        return { name: this.keyNames[k] ?? f.name, type: f.type, nullable: f.nullable || !inEverySet(k) };
      }),
      ...this.aggs.map((a): Field => ({ name: a.name, type: a.type, nullable: a.nullable })),
    ];
    // Grouped by window_start and window_end: a window aggregation.
    return windowAggregateOf(aggregate(pre, groupKeys, calls, schema, this.sets));
  }
}

function sameAgg(a: PendingAgg, b: PendingAgg): boolean {
  if (a.fn !== b.fn || a.distinct !== b.distinct || a.args.length !== b.args.length) return false;
  if (!a.args.every((x, i) => exprEquals(x, b.args[i] as BoundExpr))) return false;
  if ((a.filter === undefined) !== (b.filter === undefined)) return false;
  if (a.filter !== undefined && b.filter !== undefined && !exprEquals(a.filter, b.filter)) return false;
  const ao = a.orderBy ?? [];
  const bo = b.orderBy ?? [];
  return ao.length === bo.length && ao.every((o, i) => {
    const p = bo[i] as PendingSortKey;
    return o.descending === p.descending && o.nullsFirst === p.nullsFirst && exprEquals(o.expr, p.expr);
  });
}
