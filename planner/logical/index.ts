// The logical plan: a discriminated union of relational nodes, one per file.

import type { Aggregate } from './aggregate.js';
import type { Deduplicate } from './deduplicate.js';
import type { Filter } from './filter.js';
import type { Join } from './join.js';
import type { Over } from './over.js';
import type { Project } from './project.js';
import type { Scan } from './scan.js';
import type { SetOp } from './set-op.js';
import type { Sort } from './sort.js';
import type { TopN } from './top-n.js';
import type { Union } from './union.js';
import type { Values } from './values.js';
import type { IntervalJoin } from './interval-join.js';
import type { WindowAggregate } from './window-aggregate.js';
import type { WindowDeduplicate } from './window-deduplicate.js';
import type { WindowJoin } from './window-join.js';
import type { WindowTableFunction } from './window-table-function.js';
import type { WindowTopN } from './window-top-n.js';
import type { MatchRecognize } from './match-recognize.js';
import type { TemporalJoin } from './temporal-join.js';

export type LogicalPlan = Scan | Values | Project | Filter | Aggregate | Join | Union | SetOp | Sort | Over | TopN | Deduplicate
  | WindowTableFunction | WindowAggregate | WindowTopN | WindowDeduplicate | WindowJoin | IntervalJoin | MatchRecognize | TemporalJoin;

export type LogicalKind = LogicalPlan['kind'];

export type * from './aggregate.js';
export type * from './deduplicate.js';
export type * from './filter.js';
export type * from './join.js';
export type * from './over.js';
export type * from './project.js';
export type * from './scan.js';
export type * from './set-op.js';
export type * from './sort.js';
export type * from './top-n.js';
export type * from './union.js';
export type * from './values.js';
export type * from './interval-join.js';
export type * from './window-aggregate.js';
export type * from './window-deduplicate.js';
export type * from './window-join.js';
export type * from './window-table-function.js';
export type * from './window-top-n.js';
export type * from './match-recognize.js';
export type * from './temporal-join.js';

/** The inputs of a node, in order. */
export function children(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'Scan':
    case 'Values':
      return [];
    case 'Project':
    case 'Filter':
    case 'Aggregate':
    case 'Sort':
    case 'Over':
    case 'TopN':
    case 'Deduplicate':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'MatchRecognize':
      return [plan.input];
    case 'Join':
    case 'SetOp':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'TemporalJoin':
      return [plan.left, plan.right];
    case 'Union':
      return plan.inputs;
    default: {
      const unreachable: never = plan;
      throw new Error(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/** The same node over new inputs (same count and order as `children`). */
export function withChildren(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  const one = (): LogicalPlan => {
    const first = inputs[0];
    if (first === undefined || inputs.length !== 1) throw new Error(`${plan.kind} takes one input`);
    return first;
  };
  switch (plan.kind) {
    case 'Scan':
    case 'Values':
      return plan;
    case 'Project':
    case 'Filter':
    case 'Aggregate':
    case 'Sort':
    case 'Over':
    case 'TopN':
    case 'Deduplicate':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'MatchRecognize':
      return { ...plan, input: one() };
    case 'Join':
    case 'SetOp':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'TemporalJoin': {
      const [left, right] = inputs;
      if (!left || !right || inputs.length !== 2) throw new Error(`${plan.kind} takes two inputs`);
      return { ...plan, left, right };
    }
    case 'Union':
      return { ...plan, inputs };
    default: {
      const unreachable: never = plan;
      throw new Error(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}
