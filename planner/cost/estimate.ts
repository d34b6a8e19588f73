// The cost model over a plan: per operator, estimated output rows, changes, state kept and work per input change.

import type { Field } from '../../common/data-type.js';
import type { BoundExpr } from '../bound/expr.js';
import type { AggCall, Join, JoinType, LogicalPlan } from '../logical/index.js';
import { children } from '../logical/index.js';
import { inputRefsOf } from '../binder/bound-utils.js';
import { changelogMode, type ChangelogMode } from '../physical/changelog-mode.js';
import { splitJoinCondition } from '../physical/join-keys.js';
import type { ColumnSummary } from '../stats/table-stats.js';
import type { OptimizerContext } from './context.js';
import {
  DEFAULT_BUFFERED_SHARE, DEFAULT_OPEN_SHARE, DEFAULT_ROWS, IN_MEMORY_FOLD, WORK_WEIGHT,
  distinctTouched, entryBytes, rowBytes, rowIdBytes, typeBytes,
} from './cost-model.js';
import { columnOf, selectivity } from './selectivity.js';

export interface ColumnEstimate {
  /** Distinct non-NULL values (at least 1). */
  readonly ndv: number;
  readonly nullFraction: number;
  /** Share of rows holding the most frequent value. */
  readonly topShare: number;
  /** Bytes of one value. */
  readonly bytes: number;
  /** Event-time columns: the share of rows that arrive behind the largest time seen. */
  readonly outOfOrder?: number;
}

/** A relation as the cost model sees it: what the join search and the estimator pass around. */
export interface RelationEstimate {
  readonly rows: number;
  readonly rowBytes: number;
  readonly columns: readonly ColumnEstimate[];
  /** Changes emitted over the history the sources' statistics cover (retraction halves included). */
  readonly changes: number;
  readonly mode: ChangelogMode;
}

/** One operator's estimate. */
export interface NodeEstimate extends RelationEstimate {
  /** Changes arriving at its inputs, summed. */
  readonly changesIn: number;
  readonly stateRows: number;
  readonly stateBytes: number;
  /** State accesses and rows emitted over the history. */
  readonly work: number;
  /** This operator's own cost: stateBytes + WORK_WEIGHT × work. */
  readonly cost: number;
  /** The operator's variant and why, where there is a choice (shown by EXPLAIN ESTIMATED_COST). */
  readonly variant?: string;
}

export interface PlanEstimate {
  readonly root: NodeEstimate;
  /** The estimate of a node of the plan (by identity). */
  of(plan: LogicalPlan): NodeEstimate;
  /** Changes of every scanned relation, summed: the history the figures are counted over. */
  readonly sourceChanges: number;
  readonly totalStateBytes: number;
  readonly totalStateRows: number;
  readonly totalWork: number;
  readonly totalCost: number;
}

/**
 * Estimates every node of `plan`. Scans read the relations' statistics (declared,
 * observed or analyzed; DEFAULT_ROWS when nothing is known), and each operator's
 * figures follow from its inputs' by the rules in this file.
 *
 * @example
 *   const e = estimatePlan(plan, ctx);
 *   e.root.rows; e.of(plan).stateBytes; e.totalCost
 */
export function estimatePlan(plan: LogicalPlan, ctx: OptimizerContext): PlanEstimate {
  const memo = new Map<LogicalPlan, NodeEstimate>();
  let sourceChanges = 0;
  const visit = (p: LogicalPlan): NodeEstimate => {
    const done = memo.get(p);
    if (done !== undefined) return done;
    const inputs = children(p).map(visit);
    const e = estimateNode(p, inputs, ctx);
    if (p.kind === 'Scan' || p.kind === 'Values') sourceChanges += e.changes;
    memo.set(p, e);
    return e;
  };
  const root = visit(plan);
  let totalStateBytes = 0;
  let totalStateRows = 0;
  let totalWork = 0;
  for (const e of memo.values()) {
    totalStateBytes += e.stateBytes;
    totalStateRows += e.stateRows;
    totalWork += e.work;
  }
  return {
    root,
    of: (p) => {
      const e = memo.get(p);
      if (e === undefined) throw new Error(`no estimate for a ${p.kind} node`);
      return e;
    },
    sourceChanges,
    totalStateBytes,
    totalStateRows,
    totalWork,
    totalCost: totalStateBytes + WORK_WEIGHT * totalWork,
  };
}

function finish(e: Omit<NodeEstimate, 'cost'>): NodeEstimate {
  return { ...e, cost: e.stateBytes + WORK_WEIGHT * e.work };
}

/** A column nothing is known about: assumed all distinct (the safe side for joins and groups). */
function unknownColumn(field: Field, rows: number): ColumnEstimate {
  return { ndv: Math.max(1, rows), nullFraction: field.nullable ? 0.05 : 0, topShare: 1 / Math.max(1, rows), bytes: typeBytes(field.type) };
}

function fromSummary(field: Field, c: ColumnSummary | undefined, rows: number): ColumnEstimate {
  if (c === undefined || c.ndv === undefined) return unknownColumn(field, rows);
  const ndv = Math.max(1, Math.min(c.ndv, Math.max(1, rows)));
  return {
    ndv,
    nullFraction: c.nullFraction,
    topShare: Math.max(c.topShare ?? 1 / ndv, 1 / ndv),
    bytes: c.avgBytes ?? typeBytes(field.type),
    ...(c.disorder === undefined ? {} : { outOfOrder: c.disorder.outOfOrderFraction }),
  };
}

/** The same columns over fewer (or more) rows: distinct counts cannot exceed the rows. */
function scaleColumns(columns: readonly ColumnEstimate[], rows: number): ColumnEstimate[] {
  const cap = Math.max(1, rows);
  return columns.map((c) => (c.ndv <= cap ? c : { ...c, ndv: cap, topShare: Math.max(c.topShare, 1 / cap) }));
}

function widthOf(columns: readonly ColumnEstimate[]): number {
  return rowBytes(columns.map((c) => c.bytes));
}

/** Distinct combinations of `cols` (product of distinct counts, at most `rows`). */
export function groupCount(columns: readonly ColumnEstimate[], cols: readonly number[], rows: number): number {
  if (cols.length === 0) return 1;
  let g = 1;
  for (const c of cols) g *= columns[c]?.ndv ?? rows;
  return Math.max(1, Math.min(g, Math.max(1, rows)));
}

function exprColumn(e: BoundExpr, input: RelationEstimate, field: Field): ColumnEstimate {
  const c = columnOf(e);
  if (c !== undefined && e.kind === 'InputRef') {
    const src = input.columns[c];
    if (src !== undefined) return src;
  }
  if (e.kind === 'Literal') return { ndv: 1, nullFraction: e.value === null ? 1 : 0, topShare: 1, bytes: typeBytes(field.type) };
  const refs = [...inputRefsOf(e)];
  const ndv = refs.length === 0 ? 1 : groupCount(input.columns, refs, input.rows);
  return { ndv, nullFraction: field.nullable ? 0.05 : 0, topShare: 1 / ndv, bytes: typeBytes(field.type) };
}

function input0(inputs: readonly NodeEstimate[]): NodeEstimate {
  const i = inputs[0];
  if (i === undefined) throw new Error('an operator without its input');
  return i;
}

/** Bytes of a group's record: row count, key values, grouping set and one slot per call. */
function groupRecordBytes(keyBytes: number, aggs: readonly AggCall[]): number {
  return 8 + keyBytes + aggs.length * 6;
}

/** Calls that keep per-value state when their input can retract (a multiset of values per group). */
function keepsValuesUnderRetraction(call: AggCall): boolean {
  return call.fn === 'min' || call.fn === 'max' || call.fn === 'listagg' || call.fn === 'string_agg'
    || call.fn === 'first_value' || call.fn === 'last_value';
}

/**
 * A GroupAggregate's figures over `input`: groups, state, output changes. Each input
 * change reads and writes its group; a group already there answers with -U/+U (two
 * changes), a new one with +I. Over a retracting input, MIN/MAX and friends keep every
 * value (a multiset per group); DISTINCT calls keep each distinct value's count.
 */
export function aggregateEstimate(
  input: RelationEstimate, groupKeys: readonly number[], aggs: readonly AggCall[], groupingSets: readonly (readonly number[])[] | undefined,
  outSchema: readonly Field[],
): Omit<NodeEstimate, 'cost'> {
  const sets = groupingSets ?? [groupKeys.map((_, i) => i)];
  let groups = 0;
  for (const s of sets) groups += groupCount(input.columns, s.map((p) => groupKeys[p] as number), input.rows);
  const keyBytes = groupKeys.reduce((s, k) => s + (input.columns[k]?.bytes ?? 8), 0);
  let stateRows = groups;
  let stateBytes = groups * entryBytes(groupRecordBytes(keyBytes, aggs), keyBytes);
  let perChange = 2; // read and write the group
  for (const a of aggs) {
    if (a.distinct) {
      const args = a.args.slice(0, a.fn === 'listagg' || a.fn === 'string_agg' ? 1 : a.args.length);
      const values = Math.min(input.rows, groups * groupCount(input.columns, args, input.rows));
      stateRows += values;
      stateBytes += values * entryBytes(3, keyBytes + 2 + 8);
      perChange += 2;
    } else if (input.mode === 'retract' && keepsValuesUnderRetraction(a)) {
      stateRows += input.rows;
      stateBytes += input.rows * entryBytes(3, keyBytes + 2 * (input.columns[a.args[0] ?? 0]?.bytes ?? 5));
      perChange += 2;
    }
  }
  const outColumns = outSchema.map((f, i): ColumnEstimate => {
    if (i < groupKeys.length) {
      const c = input.columns[groupKeys[i] as number];
      return c === undefined ? unknownColumn(f, groups) : { ...c, ndv: Math.min(c.ndv, groups) };
    }
    return { ndv: Math.max(1, groups), nullFraction: 0, topShare: 1 / Math.max(1, groups), bytes: typeBytes(f.type) };
  });
  const changesOut = Math.min(2 * input.changes, groups + 2 * Math.max(0, input.changes - groups));
  return {
    rows: groups, rowBytes: widthOf(outColumns), columns: outColumns, changes: changesOut, mode: 'retract',
    changesIn: input.changes, stateRows, stateBytes, work: input.changes * perChange + changesOut,
  };
}

/** The equi-join key pairs (left column, right column) of a join condition, and the selectivity of the rest. */
export function joinKeys(condition: BoundExpr | null, left: RelationEstimate, right: RelationEstimate): { pairs: [number, number][]; residual: number } {
  const split = splitJoinCondition(condition, left.columns.length);
  const pairs: [number, number][] = [];
  let residual = 1;
  const both = [...left.columns, ...right.columns];
  for (const k of split.keys) {
    const l = columnOf(k.left);
    const r = columnOf(k.right);
    if (l !== undefined && r !== undefined) pairs.push([l, r]);
    else residual *= 0.1;
  }
  for (const c of split.residual) residual *= selectivity(c, both);
  return { pairs, residual };
}

/**
 * A symmetric hash join's figures: both inputs are kept, filed by join key; a change
 * on one side reads its own entry, writes it back, reads the other side's entries of
 * its key and emits one row per match. Outer joins also retract and re-emit
 * NULL-padded rows when a row gains its first match or loses its last.
 */
export function joinEstimate(
  left: RelationEstimate, right: RelationEstimate, joinType: JoinType, pairs: readonly (readonly [number, number])[], residual: number,
  shared: { readonly left: boolean; readonly right: boolean } = { left: false, right: false },
): Omit<NodeEstimate, 'cost'> {
  const L = Math.max(1, left.rows);
  const R = Math.max(1, right.rows);
  let sel = residual;
  let matchShare = 1;
  for (const [l, r] of pairs) {
    const nl = left.columns[l]?.ndv ?? L;
    const nr = right.columns[r]?.ndv ?? R;
    sel /= Math.max(nl, nr, 1);
    matchShare *= Math.min(1, nr / Math.max(1, nl));
  }
  const inner = Math.max(0, left.rows * right.rows * sel);
  let rows: number;
  switch (joinType) {
    case 'INNER': rows = inner; break;
    case 'LEFT': rows = Math.max(inner, left.rows); break;
    case 'RIGHT': rows = Math.max(inner, right.rows); break;
    case 'FULL': rows = Math.max(inner, left.rows, right.rows); break;
    case 'SEMI': rows = left.rows * Math.min(1, matchShare * Math.min(1, residual * 3)); break;
    case 'ANTI': rows = left.rows * Math.max(0.1, 1 - matchShare * Math.min(1, residual * 3)); break;
    default: {
      const unreachable: never = joinType;
      throw new Error(`unknown join type ${String(unreachable)}`);
    }
  }
  const fanRight = inner / L; // matches of a left row
  const fanLeft = inner / R;
  const semi = joinType === 'SEMI' || joinType === 'ANTI';
  const columns = semi
    ? scaleColumns(left.columns, rows)
    : scaleColumns([
      ...left.columns.map((c) => (joinType === 'RIGHT' || joinType === 'FULL' ? { ...c, nullFraction: Math.min(1, c.nullFraction + 0.05) } : c)),
      ...right.columns.map((c) => (joinType === 'LEFT' || joinType === 'FULL' ? { ...c, nullFraction: Math.min(1, c.nullFraction + 0.05) } : c)),
    ], rows);
  const keyBytesL = pairs.reduce((s, [l]) => s + (left.columns[l]?.bytes ?? 8), 0);
  const keyBytesR = pairs.reduce((s, [, r]) => s + (right.columns[r]?.bytes ?? 8), 0);
  // An entry: [join key, row id] -> [row, copies, matches].
  const sideBytes = (rel: RelationEstimate, keyBytes: number): number => rel.rows * entryBytes(rel.rowBytes + 4, keyBytes + rowIdBytes(rel.rowBytes));
  const stateRows = (shared.left ? 0 : left.rows) + (shared.right ? 0 : right.rows);
  const stateBytes = (shared.left ? 0 : sideBytes(left, keyBytesL)) + (shared.right ? 0 : sideBytes(right, keyBytesR));
  let changes: number;
  if (semi) changes = left.changes + right.changes * Math.min(fanLeft, left.rows);
  else changes = left.changes * Math.max(fanRight, joinType === 'LEFT' || joinType === 'FULL' ? 1 : 0)
    + right.changes * Math.max(fanLeft, joinType === 'RIGHT' || joinType === 'FULL' ? 1 : 0);
  // A first match withdraws a NULL-padded row and a last match brings it back: retraction amplification of outer joins.
  if (joinType === 'LEFT' || joinType === 'FULL') changes += right.changes * Math.min(1, fanLeft) * 2;
  if (joinType === 'RIGHT' || joinType === 'FULL') changes += left.changes * Math.min(1, fanRight) * 2;
  const work = left.changes * (3 + fanRight) + right.changes * (3 + fanLeft) + changes;
  const mode: ChangelogMode = joinType === 'INNER' && left.mode === 'append' && right.mode === 'append' ? 'append' : 'retract';
  return { rows, rowBytes: widthOf(columns), columns, changes, mode, changesIn: left.changes + right.changes, stateRows, stateBytes, work };
}

function estimateNode(p: LogicalPlan, inputs: readonly NodeEstimate[], ctx: OptimizerContext): NodeEstimate {
  const mode = changelogMode(p, ctx.modes);
  switch (p.kind) {
    case 'Scan': {
      const stats = ctx.stats.relation(p.object);
      const rows = stats?.rows ?? (p.objectKind === 'SYSTEM TABLE' ? 100 : DEFAULT_ROWS);
      const columns = p.schema.map((f, i) => fromSummary(f, stats?.columns[i], rows));
      // An empty relation's figures still come out of its statistics: its changes so far (0), not a guess.
      const changes = stats?.changes ?? rows;
      return finish({ rows, rowBytes: widthOf(columns), columns, changes, mode, changesIn: 0, stateRows: 0, stateBytes: 0, work: 0 });
    }
    case 'Values': {
      const rows = p.rows.length;
      const columns = p.schema.map((f) => unknownColumn(f, rows));
      return finish({ rows, rowBytes: widthOf(columns), columns, changes: rows, mode, changesIn: 0, stateRows: 0, stateBytes: 0, work: 0 });
    }
    case 'Project': {
      const i = input0(inputs);
      const columns = p.exprs.map((e, k) => exprColumn(e, i, p.schema[k] as Field));
      return finish({ rows: i.rows, rowBytes: widthOf(columns), columns, changes: i.changes, mode, changesIn: i.changes, stateRows: 0, stateBytes: 0, work: i.changes });
    }
    case 'Filter': {
      const i = input0(inputs);
      const sel = selectivity(p.predicate, i.columns);
      const rows = i.rows * sel;
      const columns = scaleColumns(i.columns, rows);
      return finish({ rows, rowBytes: i.rowBytes, columns, changes: i.changes * sel, mode, changesIn: i.changes, stateRows: 0, stateBytes: 0, work: i.changes * sel });
    }
    case 'Aggregate': {
      const i = input0(inputs);
      const base = aggregateEstimate(i, p.groupKeys, p.aggs, p.groupingSets, p.schema);
      const variant = i.mode === 'append' ? 'append-only input: no per-value state' : 'retracting input';
      const strategy = p.strategy;
      if (strategy === undefined || (strategy.kind === 'one-phase' && strategy.bundleRows <= 0)) {
        return finish({ ...base, variant: strategy === undefined ? variant : `${variant}; ${strategy.reason}` });
      }
      // Bundled: the groups a bundle touches are read and written once per bundle, not once per change.
      const bundle = Math.max(1, strategy.bundleRows);
      const hot = p.groupKeys.length === 0 ? 1 : i.columns[p.groupKeys[0] as number]?.topShare ?? 0;
      const touched = distinctTouched(bundle, base.rows, hot);
      const partials = i.changes * Math.min(1, touched / bundle);
      const bundled = aggregateEstimate({ ...i, changes: partials }, p.groupKeys, p.aggs, p.groupingSets, p.schema);
      return finish({
        ...bundled,
        changesIn: i.changes,
        work: bundled.work + i.changes * IN_MEMORY_FOLD,
        variant: `${strategy.kind === 'two-phase' ? 'two-phase' : 'mini-batch'}: ${strategy.reason}`,
      });
    }
    case 'Join':
      return finish(joinNode(p, inputs));
    case 'Union': {
      const rows = inputs.reduce((s, x) => s + x.rows, 0);
      const changes = inputs.reduce((s, x) => s + x.changes, 0);
      const first = input0(inputs);
      const columns = first.columns.map((c, k) => ({ ...c, ndv: Math.min(rows, inputs.reduce((s, x) => s + (x.columns[k]?.ndv ?? 1), 0)) }));
      return finish({ rows, rowBytes: first.rowBytes, columns, changes, mode, changesIn: changes, stateRows: 0, stateBytes: 0, work: changes });
    }
    case 'SetOp': {
      const [l, r] = inputs as [NodeEstimate, NodeEstimate];
      const rows = p.op === 'INTERSECT' ? Math.min(l.rows, r.rows) * 0.5 : l.rows * 0.5;
      const stateRows = l.rows + r.rows;
      const stateBytes = l.rows * entryBytes(l.rowBytes, rowIdBytes(l.rowBytes)) + r.rows * entryBytes(r.rowBytes, rowIdBytes(r.rowBytes));
      const changesIn = l.changes + r.changes;
      return finish({ rows, rowBytes: l.rowBytes, columns: scaleColumns(l.columns, rows), changes: changesIn, mode, changesIn, stateRows, stateBytes, work: 3 * changesIn });
    }
    case 'Sort': {
      const i = input0(inputs);
      if (p.limit === undefined && p.offset === 0) return finish({ ...i, changesIn: i.changes, stateRows: 0, stateBytes: 0, work: 0 });
      return finish(topNEstimate(i, [], p.offset + (p.limit ?? 0), mode));
    }
    case 'TopN': {
      const i = input0(inputs);
      return finish(topNEstimate(i, p.partitionKeys, p.offset + p.limit, mode, p.outputRank ? p.schema[p.schema.length - 1] : undefined));
    }
    case 'Deduplicate': {
      const i = input0(inputs);
      const keys = groupCount(i.columns, p.keys, i.rows);
      const keyBytes = p.keys.reduce((s, k) => s + (i.columns[k]?.bytes ?? 8), 0);
      // Over a retracting input every candidate row is kept (the next one takes over when the kept one goes).
      const stateRows = i.mode === 'retract' ? i.rows : keys;
      const stateBytes = stateRows * entryBytes(i.rowBytes, keyBytes);
      const changes = p.keep === 'FIRST' && i.mode === 'append' ? keys : i.changes * 2;
      const columns = p.outputRank ? [...scaleColumns(i.columns, keys), { ndv: 1, nullFraction: 0, topShare: 1, bytes: 8 }] : scaleColumns(i.columns, keys);
      return finish({
        rows: keys, rowBytes: widthOf(columns), columns, changes, mode, changesIn: i.changes, stateRows, stateBytes, work: i.changes * 2 + changes,
        variant: i.mode === 'append' ? 'append-only input: one row per key' : 'retracting input: every candidate kept',
      });
    }
    case 'Over': {
      const i = input0(inputs);
      const stateRows = i.rows * DEFAULT_OPEN_SHARE;
      const columns = p.schema.map((f, k) => i.columns[k] ?? unknownColumn(f, i.rows));
      return finish({
        rows: i.rows, rowBytes: widthOf(columns), columns, changes: i.changes, mode, changesIn: i.changes,
        stateRows, stateBytes: stateRows * entryBytes(i.rowBytes, 16), work: i.changes * 4,
      });
    }
    case 'WindowTableFunction': {
      const i = input0(inputs);
      const copies = p.window.kind === 'HOP' && p.window.slide > 0 ? Math.max(1, p.window.size / p.window.slide) : 1;
      const rows = i.rows * copies;
      const columns = p.schema.map((f, k) => i.columns[k] ?? unknownColumn(f, rows));
      const buffered = p.window.kind === 'SESSION' ? i.rows * bufferedShare(i, p.window.timeIndex) : 0;
      return finish({
        rows, rowBytes: widthOf(columns), columns, changes: i.changes * copies, mode, changesIn: i.changes,
        stateRows: buffered, stateBytes: buffered * entryBytes(i.rowBytes, 16), work: i.changes * copies + (buffered > 0 ? 2 * i.changes : 0),
      });
    }
    case 'WindowAggregate': {
      const i = input0(inputs);
      const groups = groupCount(i.columns, p.groupKeys, i.rows);
      const rows = Math.max(groups, i.rows * DEFAULT_OPEN_SHARE);
      const columns = p.schema.map((f, k) => (k < p.groupKeys.length ? i.columns[p.groupKeys[k] as number] : undefined) ?? unknownColumn(f, rows));
      const keyBytes = p.groupKeys.reduce((s, k) => s + (i.columns[k]?.bytes ?? 8), 0);
      const open = Math.min(i.rows, groups * (p.window.kind === 'assign' && p.window.spec.kind === 'HOP' && p.window.spec.slide > 0 ? p.window.spec.size / p.window.spec.slide : 1));
      return finish({
        rows, rowBytes: widthOf(columns), columns, changes: rows, mode, changesIn: i.changes,
        stateRows: open, stateBytes: open * entryBytes(groupRecordBytes(keyBytes, p.aggs), keyBytes), work: i.changes * 2 + rows,
      });
    }
    case 'WindowTopN':
    case 'WindowDeduplicate': {
      const i = input0(inputs);
      const keys = p.kind === 'WindowTopN' ? p.partitionKeys : p.keys;
      const limit = p.kind === 'WindowTopN' ? p.offset + p.limit : 1;
      const open = Math.min(i.rows, groupCount(i.columns, keys, i.rows) * limit);
      const rows = Math.min(i.rows, Math.max(open, i.rows * DEFAULT_OPEN_SHARE));
      return finish({
        rows, rowBytes: i.rowBytes, columns: scaleColumns(i.columns, rows), changes: rows, mode, changesIn: i.changes,
        stateRows: open, stateBytes: open * entryBytes(i.rowBytes, 16), work: i.changes * 2 + rows,
      });
    }
    case 'WindowJoin':
    case 'IntervalJoin': {
      const [l, r] = inputs as [NodeEstimate, NodeEstimate];
      const { pairs, residual } = joinKeys(p.condition, l, r);
      const j = joinEstimate(l, r, p.joinType, pairs, residual);
      // Only rows of windows still open (or within the interval) are kept; results are final.
      const share = p.kind === 'IntervalJoin' ? Math.max(bufferedShare(l, p.leftTimeIndex), DEFAULT_OPEN_SHARE) : DEFAULT_OPEN_SHARE;
      return finish({ ...j, mode, changes: j.rows, stateRows: j.stateRows * share, stateBytes: j.stateBytes * share });
    }
    case 'TemporalJoin': {
      const [l, r] = inputs as [NodeEstimate, NodeEstimate];
      const keys = groupCount(r.columns, p.rightKeys, r.rows);
      const rows = p.joinType === 'LEFT' ? l.rows : l.rows * Math.min(1, keys / Math.max(1, r.rows) + 0.5);
      const columns = scaleColumns([...l.columns, ...r.columns], rows);
      const waiting = p.timeAttribute === 'ROWTIME' ? l.rows * bufferedShare(l, p.leftTimeIndex) : 0;
      const versions = p.lookup !== undefined ? Math.min(p.lookup.cacheMaxRows, keys) : p.timeAttribute === 'ROWTIME' ? Math.min(r.rows, keys * 2) : keys;
      const stateRows = waiting + versions;
      return finish({
        rows, rowBytes: widthOf(columns), columns, changes: l.changes, mode, changesIn: l.changes + r.changes,
        stateRows, stateBytes: waiting * entryBytes(l.rowBytes, 16) + versions * entryBytes(r.rowBytes, 16), work: 3 * l.changes + 2 * r.changes,
      });
    }
    case 'MatchRecognize': {
      const i = input0(inputs);
      const timeIndex = p.orderKeys[0]?.index;
      const buffered = i.rows * (timeIndex === undefined ? DEFAULT_BUFFERED_SHARE : bufferedShare(i, timeIndex)) + groupCount(i.columns, p.partitionKeys, i.rows);
      const rows = i.rows * DEFAULT_OPEN_SHARE;
      const columns = p.schema.map((f) => unknownColumn(f, rows));
      return finish({
        rows, rowBytes: widthOf(columns), columns, changes: rows, mode, changesIn: i.changes,
        stateRows: buffered, stateBytes: buffered * entryBytes(i.rowBytes, 16), work: i.changes * 4 + rows,
      });
    }
    default: {
      const unreachable: never = p;
      throw new Error(`no estimate for ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/** Share of an input still waiting for the watermark, from the observed disorder of its time column. */
function bufferedShare(input: RelationEstimate, timeIndex: number): number {
  const o = input.columns[timeIndex]?.outOfOrder;
  return o === undefined ? DEFAULT_BUFFERED_SHARE : Math.max(DEFAULT_BUFFERED_SHARE, o);
}

/** TopN keeps every row of its input in sorted state (so the next one can enter), and emits the top per partition. */
function topNEstimate(i: NodeEstimate, partitionKeys: readonly number[], kept: number, mode: ChangelogMode, rankField?: Field): Omit<NodeEstimate, 'cost'> {
  const partitions = groupCount(i.columns, partitionKeys, i.rows);
  const rows = Math.min(i.rows, partitions * kept);
  const columns = rankField === undefined ? scaleColumns(i.columns, rows) : [...scaleColumns(i.columns, rows), unknownColumn(rankField, kept)];
  // A change that lands in the top shifts the rows below it: about two changes out per change in.
  const changes = Math.min(2 * i.changes, i.changes * 2 * Math.min(1, rows / Math.max(1, i.rows)) + rows);
  return {
    rows, rowBytes: widthOf(columns), columns, changes, mode, changesIn: i.changes,
    stateRows: i.rows, stateBytes: i.rows * entryBytes(i.rowBytes, rowIdBytes(i.rowBytes)), work: i.changes * 3 + changes,
    variant: i.mode === 'append' ? 'append-only input' : 'retracting input',
  };
}

function joinNode(p: Join, inputs: readonly NodeEstimate[]): Omit<NodeEstimate, 'cost'> {
  const [l, r] = inputs as [NodeEstimate, NodeEstimate];
  const { pairs, residual } = joinKeys(p.condition, l, r);
  const shared = p.sharedState ?? {};
  return joinEstimate(l, r, p.joinType, pairs, residual, { left: shared.left !== undefined, right: shared.right !== undefined });
}
