// Versioned relations: which plans are changelogs keyed by a primary key, with the event-time attribute their versions are ordered by.

import type { Schema } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, Over, Project } from '../logical/index.js';
import type { CatalogReader } from './catalog-reader.js';
import { storedColumnIndexes } from './relation.js';
import { conjuncts, substituteInputs } from './bound-utils.js';

/** A plan's primary key and event-time attribute (indexes into its row), as far as they are known. */
export interface VersionedShape {
  /** Undefined with `why` when the plan has no known key. */
  readonly keys?: readonly number[];
  /** The ROWTIME column versions are ordered by, when there is one. */
  readonly time?: number;
  /** Why there is no key, as a sentence for an error's detail. */
  readonly why?: string;
}

/**
 * Finds the key of a plan's changelog and its event-time attribute:
 * - a table's primary key (and its WATERMARK column);
 * - a deduplication keeping the last row per key by an event-time attribute, the
 *   versioned view of Flink: `WHERE ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) = 1`
 *   (before or after the top-n rule has made it a Deduplicate);
 * - a GROUP BY's keys (no event time: its rows carry none);
 * - through filters, and projections that keep the key columns as they are.
 */
export function versionedShape(plan: LogicalPlan, catalog: CatalogReader): VersionedShape {
  switch (plan.kind) {
    case 'Scan': {
      if (plan.objectKind !== 'TABLE') return { why: `A ${plan.objectKind.toLowerCase()} has no primary key.` };
      const rel = catalog.relation(plan.object);
      const time = rowtimeOf(plan.schema);
      if (rel?.primaryKey === undefined) return { why: `Table "${plan.object}" has no primary key.`, ...withTime(time) };
      // The Scan reads the stored columns; the key names declared columns.
      const stored = storedColumnIndexes(rel);
      const keys = rel.primaryKey.map((c) => stored.indexOf(c));
      return { keys, ...withTime(time) };
    }
    case 'Filter': {
      const dedup = rankOneFilter(plan.predicate, plan.input);
      if (dedup !== undefined) return dedup;
      return versionedShape(plan.input, catalog);
    }
    case 'Deduplicate': {
      const t = plan.input.schema[plan.orderIndex]?.timeAttribute;
      if (plan.keep !== 'LAST' || t !== 'ROWTIME') return { why: 'A deduplication keeping the first row is no versioned table: its rows are never replaced by later versions.' };
      return { keys: plan.keys, time: plan.orderIndex };
    }
    case 'Project':
      return throughProject(plan, versionedShape(plan.input, catalog));
    case 'Aggregate':
      if (plan.groupingSets !== undefined || plan.groupKeys.length === 0) return { why: 'An aggregation without plain GROUP BY keys has no primary key.' };
      return { keys: plan.groupKeys.map((_, i) => i) };
    case 'Values':
    case 'Join':
    case 'Union':
    case 'SetOp':
    case 'Sort':
    case 'Over':
    case 'TopN':
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'MatchRecognize':
    case 'TemporalJoin':
      return { why: `Its rows (${plan.kind}) are not keyed by a primary key.` };
    default: {
      const unreachable: never = plan;
      return { why: `unknown plan ${(unreachable as LogicalPlan).kind}` };
    }
  }
}

/** A shape of a projection's input as its output has it: key and time columns must pass through as they are. */
function throughProject(plan: Project, inner: VersionedShape): VersionedShape {
  const through = (i: number): number | undefined => {
    const at = plan.exprs.findIndex((e) => e.kind === 'InputRef' && e.index === i);
    return at < 0 ? undefined : at;
  };
  let time = inner.time === undefined ? undefined : through(inner.time);
  if (time !== undefined && plan.schema[time]?.timeAttribute !== 'ROWTIME') time = undefined;
  if (inner.keys === undefined) return { ...inner, ...withTime(time) };
  const keys = inner.keys.map(through);
  if (keys.some((k) => k === undefined)) {
    const missing = inner.keys.filter((_, i) => keys[i] === undefined).map((k) => plan.input.schema[k]?.name ?? `#${k}`);
    return { why: `Its key column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not selected.`, ...withTime(time) };
  }
  return { keys: keys as number[], ...withTime(time) };
}

function withTime(time: number | undefined): { time?: number } {
  return time === undefined ? {} : { time };
}

function rowtimeOf(schema: Schema): number | undefined {
  const i = schema.findIndex((f) => f.timeAttribute === 'ROWTIME');
  return i < 0 ? undefined : i;
}

/**
 * `rn = 1` (or `rn <= 1`, `rn < 2`) over ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC)
 * with ts an event-time attribute: the last row per key, keyed by k, versioned by ts. The
 * filter may sit above the projections of the SELECT that computed the rank.
 */
function rankOneFilter(predicate: BoundExpr, input: LogicalPlan): VersionedShape | undefined {
  let pred = predicate;
  let node = input;
  const projections: Project[] = [];
  while (node.kind === 'Project') {
    pred = substituteInputs(pred, node.exprs);
    projections.unshift(node);
    node = node.input;
  }
  if (node.kind !== 'Over') return undefined;
  const over: Over = node;
  const call = over.calls[0];
  const order = over.orderKeys[0];
  if (over.calls.length !== 1 || call?.fn !== 'row_number' || over.orderKeys.length !== 1 || order === undefined) return undefined;
  const rank = over.input.schema.length;
  if (!conjuncts(pred).some((c) => isRankOne(c, rank))) return undefined;
  if (!order.descending || over.input.schema[order.index]?.timeAttribute !== 'ROWTIME') {
    return { why: 'Its deduplication does not keep the last row per key by an event-time attribute (ORDER BY <time attribute> DESC).' };
  }
  // Back up through the projections, innermost first.
  let shape: VersionedShape = { keys: over.partitionKeys, time: order.index };
  for (const p of projections) shape = throughProject(p, shape);
  return shape;
}

function isRankOne(c: BoundExpr, rank: number): boolean {
  if (c.kind !== 'Call' || c.args.length !== 2) return false;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  const isRank = (e: BoundExpr): boolean => strip(e).kind === 'InputRef' && (strip(e) as { index: number }).index === rank;
  const num = (e: BoundExpr): number | undefined => {
    const x = strip(e);
    return x.kind === 'Literal' && typeof x.value === 'number' ? x.value : undefined;
  };
  const op = isRank(a) ? c.fn : isRank(b) ? flip(c.fn) : undefined;
  const n = isRank(a) ? num(b) : isRank(b) ? num(a) : undefined;
  if (op === undefined || n === undefined) return false;
  return (op === '=' && n === 1) || (op === '<=' && n >= 1 && n < 2) || (op === '<' && n > 1 && n <= 2);
}

function flip(op: string): string {
  switch (op) {
    case '<': return '>';
    case '<=': return '>=';
    case '>': return '<';
    case '>=': return '<=';
    default: return op;
  }
}

function strip(e: BoundExpr): BoundExpr {
  return e.kind === 'Cast' && !e.try ? strip(e.operand) : e;
}
