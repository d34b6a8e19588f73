// Changelog-mode inference: which kinds of change each operator's output carries.
//
// `append`: inserts only (+I). `retract`: inserts, update pairs and deletes
// (+I, -U, +U, -D). The planner uses this to pick operator variants that keep
// less state for append-only input, and to reject plans that cannot work.

import type { LogicalPlan } from '../logical/index.js';

export type ChangelogMode = 'append' | 'retract';

export interface ModeContext {
  /** Mode of a scanned catalog object. */
  scanMode(object: string, objectKind: string): ChangelogMode;
}

export function changelogMode(plan: LogicalPlan, ctx: ModeContext): ChangelogMode {
  switch (plan.kind) {
    case 'Scan': return ctx.scanMode(plan.object, plan.objectKind);
    case 'Values': return 'append';
    case 'Project':
    case 'Filter':
      return changelogMode(plan.input, ctx);
    case 'Aggregate':
    case 'SetOp':
    case 'TopN':
    case 'Over':
      return 'retract';
    case 'Sort':
      return plan.limit === undefined && plan.offset === 0 ? changelogMode(plan.input, ctx) : 'retract';
    case 'Join':
      return plan.joinType === 'INNER' && changelogMode(plan.left, ctx) === 'append' && changelogMode(plan.right, ctx) === 'append'
        ? 'append'
        : 'retract';
    case 'Union':
      return plan.inputs.every((i) => changelogMode(i, ctx) === 'append') ? 'append' : 'retract';
    case 'Deduplicate':
      return plan.keep === 'FIRST' && changelogMode(plan.input, ctx) === 'append' ? 'append' : 'retract';
  }
}

/** How EXPLAIN CHANGELOG_MODE prints a mode (Flink's notation). */
export function modeLabel(mode: ChangelogMode): string {
  return mode === 'append' ? '[I]' : '[I,UB,UA,D]';
}
