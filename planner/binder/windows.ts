// Window functions of one SELECT: the calls found in its SELECT list and ORDER BY, and the Over nodes they become.

import type { DataType, Field } from '../../common/data-type.js';
import type { WindowSpec } from '../../parser/ast/query.js';
import type { BoundExpr, InputRef } from '../bound/expr.js';
import type { LogicalPlan, OverCall, OverFrame, SortKey } from '../logical/index.js';
import { over } from '../logical/over.js';
import { project } from '../logical/project.js';
import type { PendingSortKey } from './aggregates.js';
import { exprText } from '../explain.js';
import { exprEquals, fieldFor, inputRef, remapInputs } from './bound-utils.js';

/** A window function call as bound: arguments, partitioning and ordering are expressions over the base row. */
export interface PendingWindowCall {
  readonly fn: string;
  readonly args: readonly BoundExpr[];
  readonly partition: readonly BoundExpr[];
  readonly order: readonly PendingSortKey[];
  readonly frame?: OverFrame;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly name: string;
}

/**
 * Placeholder columns for window calls start here: far past any real row, because the
 * row window functions read (an Aggregate's output) keeps growing while the SELECT list
 * is bound and new aggregate calls register.
 */
const PLACEHOLDER_BASE = 1 << 24;

/**
 * Collects window calls while a SELECT list is bound. Each call is referred to by a
 * placeholder column `PLACEHOLDER_BASE + k` until the Over nodes exist; `build` then
 * says where each call's column really is.
 */
export class WindowCollector {
  private readonly calls: PendingWindowCall[] = [];

  /** `named`: the SELECT's `WINDOW w AS (...)` definitions. */
  constructor(readonly named: ReadonlyMap<string, WindowSpec>) {}

  get used(): boolean {
    return this.calls.length > 0;
  }

  add(c: PendingWindowCall): InputRef {
    let at = this.calls.findIndex((d) => sameCall(c, d));
    if (at < 0) {
      this.calls.push(c);
      at = this.calls.length - 1;
    }
    return { kind: 'InputRef', index: PLACEHOLDER_BASE + at, type: c.type };
  }

  /**
   * Over nodes on `input` (the row window functions read): one per distinct
   * (PARTITION BY, ORDER BY), each appending its calls' columns. Expressions that
   * are not plain columns are first appended by a Project. Returns the plan and a
   * function that rewrites placeholder references into the final columns.
   */
  build(input: LogicalPlan): { plan: LogicalPlan; remap: (e: BoundExpr) => BoundExpr } {
    const base = input.schema;
    const baseWidth = base.length;
    const extras: BoundExpr[] = [];
    const column = (e: BoundExpr): number => {
      if (e.kind === 'InputRef') return e.index;
      let at = extras.findIndex((x) => exprEquals(x, e));
      if (at < 0) {
        extras.push(e);
        at = extras.length - 1;
      }
      return baseWidth + at;
    };
    const specs = this.calls.map((c) => ({
      partition: c.partition.map(column),
      order: c.order.map((o): SortKey => ({ index: column(o.expr), descending: o.descending, nullsFirst: o.nullsFirst })),
      args: c.args.map(column),
    }));
    let plan = input;
    if (extras.length > 0) {
      const exprs = [...base.map((_, i) => inputRef(i, base)), ...extras];
      const fields: Field[] = [...base, ...extras.map((e) => fieldFor(exprText(e, base), e, base))];
      plan = project(input, exprs, fields);
    }
    const finalIndex = new Array<number>(this.calls.length).fill(-1);
    const done = new Set<number>();
    for (let i = 0; i < this.calls.length; i++) {
      if (done.has(i)) continue;
      const spec = specs[i] as (typeof specs)[number];
      const group: number[] = [];
      for (let j = i; j < this.calls.length; j++) {
        const other = specs[j] as (typeof specs)[number];
        if (!done.has(j) && sameSpec(spec, other)) {
          group.push(j);
          done.add(j);
        }
      }
      const width = plan.schema.length;
      const calls: OverCall[] = group.map((j) => {
        const c = this.calls[j] as PendingWindowCall;
        return { fn: c.fn, args: (specs[j] as (typeof specs)[number]).args, ...(c.frame === undefined ? {} : { frame: c.frame }), type: c.type, name: c.name };
      });
      group.forEach((j, k) => {
        finalIndex[j] = width + k;
      });
      const fields: Field[] = [
        ...plan.schema,
        ...group.map((j): Field => {
          const c = this.calls[j] as PendingWindowCall;
          return { name: c.name, type: c.type, nullable: c.nullable };
        }),
      ];
      plan = over(plan, spec.partition, spec.order, calls, fields);
    }
    const remap = (e: BoundExpr): BoundExpr =>
      remapInputs(e, (i) => (i < PLACEHOLDER_BASE ? i : (finalIndex[i - PLACEHOLDER_BASE] as number)));
    return { plan, remap };
  }
}

function sameSpec(
  a: { partition: readonly number[]; order: readonly SortKey[] },
  b: { partition: readonly number[]; order: readonly SortKey[] },
): boolean {
  return a.partition.length === b.partition.length && a.partition.every((p, i) => p === b.partition[i])
    && a.order.length === b.order.length
    && a.order.every((o, i) => {
      const p = b.order[i] as SortKey;
      return o.index === p.index && o.descending === p.descending && o.nullsFirst === p.nullsFirst;
    });
}

function sameFrame(a: OverFrame | undefined, b: OverFrame | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.units === b.units && a.preceding === b.preceding && a.following === b.following;
}

function sameCall(a: PendingWindowCall, b: PendingWindowCall): boolean {
  return a.fn === b.fn && sameFrame(a.frame, b.frame)
    && a.args.length === b.args.length && a.args.every((x, i) => exprEquals(x, b.args[i] as BoundExpr))
    && a.partition.length === b.partition.length && a.partition.every((x, i) => exprEquals(x, b.partition[i] as BoundExpr))
    && a.order.length === b.order.length && a.order.every((o, i) => {
      const p = b.order[i] as PendingSortKey;
      return o.descending === p.descending && o.nullsFirst === p.nullsFirst && exprEquals(o.expr, p.expr);
    });
}
