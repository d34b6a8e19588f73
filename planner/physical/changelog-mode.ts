// Changelog-mode inference: which kinds of change each operator's output carries.
//
// `append`: inserts only (+I). `retract`: inserts, update pairs and deletes
// (+I, -U, +U, -D). The planner uses this to pick operator variants that keep
// less state for append-only input, and to reject plans that cannot work.

import { SqlError, SqlState } from '../../common/errors.js';
import type { LogicalPlan, Over } from '../logical/index.js';
import { children } from '../logical/index.js';

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
      return 'retract';
    case 'Over':
      // Ordered by a time attribute, each row is emitted once with its frame's values.
      return timeOrderedOver(plan) ? 'append' : 'retract';
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
    case 'WindowTableFunction':
      // TUMBLE, HOP and CUMULATE label rows as they pass; a SESSION emits its rows when it closes.
      return plan.window.kind === 'SESSION' ? 'append' : changelogMode(plan.input, ctx);
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'MatchRecognize':
      // Emitted once, when time has passed: nothing is ever taken back.
      return 'append';
    case 'TemporalJoin':
      // Each left change is joined once, with the version it meets, and passed on with its own kind.
      return changelogMode(plan.left, ctx);
  }
}

/** An OVER whose one ORDER BY key is a time attribute, ascending: evaluated row by row as time passes. */
export function timeOrderedOver(plan: Over): boolean {
  const key = plan.orderKeys[0];
  return plan.orderKeys.length === 1 && key !== undefined && !key.descending
    && plan.input.schema[key.index]?.timeAttribute !== undefined;
}

/** How EXPLAIN CHANGELOG_MODE prints a mode (Flink's notation). */
export function modeLabel(mode: ChangelogMode): string {
  return mode === 'append' ? '[I]' : '[I,UB,UA,D]';
}

/**
 * Rejects operators that order rows by time over an input that takes rows back:
 * a closed window cannot be reopened, nor a row already joined in time un-joined.
 * The error names the operator and the part of the input that updates.
 */
export function checkTimeOperators(plan: LogicalPlan, ctx: ModeContext): void {
  const what = timeOperatorName(plan);
  if (what !== undefined) {
    for (const input of children(plan)) {
      if (changelogMode(input, ctx) === 'append') continue;
      throw new SqlError(SqlState.featureNotSupported, `${what} cannot take the updates of ${updatingPart(input, ctx)}`, {
        detail: `A ${what} emits each result once, when time has passed it, and never takes it back; its input must be append-only.`,
        hint: 'Apply it to an append-only table (no primary key) or to a query that only inserts: windowed results, interval joins and inner joins of append-only inputs.',
      });
    }
  }
  if (plan.kind === 'TemporalJoin') checkVersionedView(plan, ctx);
  for (const c of children(plan)) checkTimeOperators(c, ctx);
}

/**
 * An event-time temporal join over a view keeping the last row per key: the view's rows
 * are its versions, which holds for an append-only input only. When an updating input
 * takes its newest row back, the view goes back to an older row, and when the newer
 * version's validity ended is not known.
 */
function checkVersionedView(plan: Extract<LogicalPlan, { kind: 'TemporalJoin' }>, ctx: ModeContext): void {
  if (plan.timeAttribute !== 'ROWTIME') return;
  let right = plan.right;
  while (right.kind === 'Project' || right.kind === 'Filter') right = right.input;
  if (right.kind !== 'Deduplicate' || changelogMode(right.input, ctx) === 'append') return;
  throw new SqlError(SqlState.featureNotSupported, `an event-time temporal join cannot take a versioned view over the updates of ${updatingPart(right.input, ctx)}`, {
    detail: 'A view keeping the last row per key is versioned by the rows of an append-only input: when an updating input takes its newest row back, when the version it began ended is not known.',
    hint: 'Join the table with the primary key itself as the versioned table, or keep the last row per key of an append-only table.',
  });
}

function timeOperatorName(plan: LogicalPlan): string | undefined {
  switch (plan.kind) {
    case 'WindowAggregate': return 'window aggregation';
    case 'WindowTopN': return 'window top-N';
    case 'WindowDeduplicate': return 'window deduplication';
    case 'WindowJoin': return 'window join';
    case 'IntervalJoin': return 'interval join';
    case 'MatchRecognize': return 'MATCH_RECOGNIZE';
    case 'WindowTableFunction': return plan.window.kind === 'SESSION' ? 'SESSION window' : undefined;
    case 'Over': return timeOrderedOver(plan) ? 'OVER aggregation ordered by time' : undefined;
    default: return undefined;
  }
}

/** The node of a retracting input that makes it retract, as a user would name it. */
function updatingPart(plan: LogicalPlan, ctx: ModeContext): string {
  switch (plan.kind) {
    case 'Scan':
      return plan.objectKind === 'TABLE' ? `table "${plan.object}" (it has a primary key)` : `${plan.objectKind.toLowerCase()} "${plan.object}"`;
    case 'Aggregate': return 'a GROUP BY aggregation (its groups are updated as rows arrive)';
    case 'SetOp': return `${plan.op}`;
    case 'TopN': return 'a top-N';
    case 'Over': return 'an OVER window not ordered by a time attribute';
    case 'Sort': return 'ORDER BY ... LIMIT';
    case 'Deduplicate': return plan.keep === 'LAST' ? 'a deduplication keeping the last row' : updatingPart(plan.input, ctx);
    case 'Join':
      if (plan.joinType !== 'INNER' && changelogMode(plan.left, ctx) === 'append' && changelogMode(plan.right, ctx) === 'append') {
        return `a ${plan.joinType} JOIN (its NULL-padded rows are retracted when a match arrives)`;
      }
      break;
    default:
      break;
  }
  for (const c of children(plan)) if (changelogMode(c, ctx) === 'retract') return updatingPart(c, ctx);
  return 'its input';
}
