// Physical planning: turns an optimized logical plan into a dataflow of
// incremental operators, with a port for every scanned relation.

import { SqlError, SqlState } from '../../common/errors.js';
import type { Row, Value } from '../../common/value.js';
import { Dataflow, type DataflowNode } from '../../executor/dataflow.js';
import { SourcePort, ValuesSource } from '../../executor/engine/source-port.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan, SharedSide } from '../logical/index.js';
import type { SharedSideView } from '../../executor/operators/join.js';
import { children } from '../logical/index.js';
import { windowTimeAttribute } from '../logical/window-aggregate.js';
import type { Schema } from '../../common/data-type.js';
import { formatValue } from '../../common/pg-text.js';
import type { StreamOperator } from '../../executor/operator.js';
import type { OverAggregateOptions } from '../../executor/operators/over-aggregate.js';
import type { AggCall } from '../logical/aggregate.js';
import type { SortKey } from '../logical/sort.js';
import { changelogMode, checkTimeOperators, timeOrderedOver, type ModeContext } from './changelog-mode.js';
import { shiftRefs, splitJoinCondition } from './join-keys.js';
import { operators, type CompileContext, type CompiledPredicate, type CompiledScalar } from './operator-factory.js';
import { buildTemporalJoin } from './temporal-join-build.js';
import type { LookupSource } from '../../connectors/lookup.js';

export interface ScanPort {
  readonly object: string;
  readonly objectKind: string;
  readonly node: DataflowNode;
}

export interface BuiltDataflow {
  readonly dataflow: Dataflow;
  /** Where each scanned relation's changes enter. */
  readonly ports: readonly ScanPort[];
  /** VALUES sources, to start once the dataflow is open and wired. */
  readonly values: readonly ValuesSource[];
  /** The node whose output is the plan's result. */
  readonly root: DataflowNode;
  /** A top-level ORDER BY (without LIMIT) that only orders a snapshot result. */
  readonly order?: readonly SortKey[];
  /**
   * Projections above that ORDER BY, applied to each row after sorting (so a
   * read can order by columns it does not return).
   */
  readonly finalProjections?: readonly (readonly CompiledScalar[])[];
  /** The plan it was built from, and per plan node the dataflow nodes built for it (EXPLAIN ANALYZE). */
  readonly plan: LogicalPlan;
  readonly operators: ReadonlyMap<LogicalPlan, PlanOperators>;
}

/** The dataflow nodes one plan node became: its own (helpers included), and the one its result leaves from. */
export interface PlanOperators {
  readonly nodes: readonly DataflowNode[];
  readonly output: DataflowNode;
}

export interface BuildOptions {
  readonly params?: readonly Value[];
  /** Changelog modes of scanned relations, to choose operator variants. */
  readonly modes: ModeContext;
  /** The clock (microseconds) for CURRENT_TIMESTAMP and friends. */
  readonly now?: () => number;
  readonly timeZone?: string;
  /** A one-shot read: a top-level ORDER BY is applied to the result instead of being maintained. */
  readonly snapshot?: boolean;
  /** 'table.exec.source.idle-timeout' in microseconds (0 or absent: inputs never count as idle). */
  readonly idleTimeout?: number;
  /** 'table.exec.state.ttl' in microseconds: idle state of group aggregations and joins is dropped after it (0: kept). */
  readonly stateTtl?: number;
  /** The lookup source of a table, for lookup joins (tables fed by SQL offer one). */
  readonly lookup?: (table: string) => LookupSource | undefined;
  /**
   * Shared join inputs (a materialized view's job): join sides the plan marks shared
   * read the arrangement this gives instead of keeping their own state. Absent: none
   * are shared (one-shot reads and subscriptions keep private state).
   */
  readonly shared?: SharedStateProvider;
}

export interface SharedStateProvider {
  /**
   * The arrangement of `side` (over `plan`) for this job: the view its join reads and the
   * port its batches arrive through. With `backfill`, the port's source also gives the rows
   * the arrangement holds when the job starts (a join both of whose sides are shared has no
   * side of its own to backfill, so one shared side is backfilled instead).
   */
  side(side: SharedSide, plan: LogicalPlan, backfill: boolean): { readonly view: SharedSideView; readonly port: string };
}

export function buildDataflow(plan: LogicalPlan, jobId: string, options: BuildOptions): BuiltDataflow {
  checkTimeOperators(plan, options.modes);
  const dataflow = new Dataflow(jobId);
  dataflow.idleTimeout = options.idleTimeout ?? 0;
  const builder = new Builder(dataflow, options);
  if (options.snapshot) {
    // Find an ORDER BY under the top projections: the read sorts its result
    // instead of maintaining an order, then applies those projections.
    const projections: (readonly BoundExpr[])[] = [];
    let top = plan;
    while (top.kind === 'Project') {
      projections.unshift(top.exprs);
      top = top.input;
    }
    if (top.kind === 'Sort' && top.limit === undefined && top.offset === 0) {
      const root = builder.build(top.input);
      const finalProjections = projections.map((exprs) => exprs.map((e) => builder.compile(e)));
      return { dataflow: builder.dataflow, ports: builder.ports, values: builder.values, root, order: top.keys, finalProjections, plan, operators: builder.operators };
    }
  }
  const root = builder.build(plan);
  return { dataflow: builder.dataflow, ports: builder.ports, values: builder.values, root, plan, operators: builder.operators };
}

class Builder {
  readonly ports: ScanPort[] = [];
  readonly values: ValuesSource[] = [];
  readonly operators = new Map<LogicalPlan, PlanOperators>();
  /** Dataflow node indexes each built plan node covers, its inputs' included. */
  private readonly spans = new Map<LogicalPlan, [number, number]>();

  private readonly params: readonly Value[];
  private readonly compileContext: CompileContext;

  constructor(readonly dataflow: Dataflow, private readonly options: BuildOptions) {
    this.params = options.params ?? [];
    this.compileContext = { ...(options.now ? { now: options.now } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
  }

  compile(e: BoundExpr): CompiledScalar {
    return this.scalar(e);
  }

  private scalar(e: BoundExpr): CompiledScalar {
    return operators.compileScalar(e, this.params, this.compileContext);
  }

  private predicate(e: BoundExpr): CompiledPredicate {
    return operators.compilePredicate(e, this.params, this.compileContext);
  }

  private appendOnly(plan: LogicalPlan): boolean {
    return changelogMode(plan, this.options.modes) === 'append';
  }

  private unary(input: DataflowNode, node: DataflowNode): DataflowNode {
    this.dataflow.connect(input, node, 0);
    return node;
  }

  build(plan: LogicalPlan): DataflowNode {
    const start = this.dataflow.nodes.length;
    const output = this.buildNode(plan);
    const end = this.dataflow.nodes.length;
    this.spans.set(plan, [start, end]);
    const inner = children(plan).map((c) => this.spans.get(c)).filter((x): x is [number, number] => x !== undefined);
    const own = this.dataflow.nodes.slice(start, end).filter((n) => !inner.some(([a, b]) => n.id >= a && n.id < b));
    this.operators.set(plan, { nodes: own.length > 0 ? own : [output], output });
    return output;
  }

  private buildNode(plan: LogicalPlan): DataflowNode {
    switch (plan.kind) {
      case 'Scan': {
        const node = this.dataflow.add(new SourcePort(`Scan`), plan.object);
        this.ports.push({ object: plan.object, objectKind: plan.objectKind, node });
        return node;
      }
      case 'Values': {
        const rows = plan.rows.map((r) => r.map((e) => this.scalar(e)));
        const empty: Row = [];
        const source = new ValuesSource(() => rows.map((r) => r.map((f) => f(empty))));
        this.values.push(source);
        return this.dataflow.add(source, `${plan.rows.length} rows`);
      }
      case 'Project': {
        const input = this.build(plan.input);
        const projections = plan.exprs.map((e) => this.scalar(e));
        return this.unary(input, this.dataflow.add(operators.calc(undefined, projections), ''));
      }
      case 'Filter': {
        const input = this.build(plan.input);
        return this.unary(input, this.dataflow.add(operators.calc(this.predicate(plan.predicate), undefined), ''));
      }
      case 'Aggregate': {
        const input = this.build(plan.input);
        const appendOnly = this.appendOnly(plan.input);
        const ttl = this.options.stateTtl ?? 0;
        const strategy = plan.strategy;
        if (strategy?.kind === 'two-phase') {
          const local = this.unary(input, this.dataflow.add(operators.localAggregate({
            groupKeys: plan.groupKeys, aggs: plan.aggs, appendOnlyInput: appendOnly, bundleRows: strategy.bundleRows, allowLatency: strategy.allowLatency,
          }), 'local'));
          return this.unary(local, this.dataflow.add(operators.globalAggregate(plan, appendOnly, ttl), 'global'));
        }
        // A mini-batch bundles input batches: the aggregate then touches each group once per bundle.
        const bundled = strategy !== undefined && strategy.bundleRows > 0
          ? this.unary(input, this.dataflow.add(operators.miniBatch({ bundleRows: strategy.bundleRows, allowLatency: strategy.allowLatency }), ''))
          : input;
        return this.unary(bundled, this.dataflow.add(operators.groupAggregate(plan, appendOnly, ttl), ''));
      }
      case 'Join': return this.join(plan);
      case 'Union': {
        const node = this.dataflow.add(operators.union(plan.inputs.length), '');
        plan.inputs.forEach((p, i) => this.dataflow.connect(this.build(p), node, i));
        return node;
      }
      case 'SetOp': {
        const node = this.dataflow.add(operators.setOp(plan.op, plan.all), '');
        this.dataflow.connect(this.build(plan.left), node, 0);
        this.dataflow.connect(this.build(plan.right), node, 1);
        return node;
      }
      case 'Sort': {
        const input = this.build(plan.input);
        if (plan.limit === undefined && plan.offset === 0) return input; // order alone is not part of a relation
        const topN = operators.topN({
          partitionKeys: [],
          orderKeys: plan.keys,
          rankFn: 'ROW_NUMBER',
          offset: plan.offset,
          limit: plan.limit ?? Number.MAX_SAFE_INTEGER,
          outputRank: false,
          insertOnlyInput: this.appendOnly(plan.input),
        });
        return this.unary(input, this.dataflow.add(topN, ''));
      }
      case 'TopN': {
        const input = this.build(plan.input);
        return this.unary(input, this.dataflow.add(operators.topN({ partitionKeys: plan.partitionKeys, orderKeys: plan.orderKeys, rankFn: plan.rankFn, offset: plan.offset, limit: plan.limit, outputRank: plan.outputRank, insertOnlyInput: this.appendOnly(plan.input) }), ''));
      }
      case 'Deduplicate': {
        const input = this.build(plan.input);
        return this.unary(input, this.dataflow.add(operators.deduplicate(plan, !this.appendOnly(plan.input)), ''));
      }
      case 'Over': {
        if (!timeOrderedOver(plan)) {
          throw new SqlError(SqlState.featureNotSupported, 'window functions other than a rank filtered to a top-N are not supported yet', {
            hint: 'Filter ROW_NUMBER(), RANK() or DENSE_RANK() with "<= n" in an outer query to get a top-N, or order an aggregate OVER by a time attribute.',
          });
        }
        const input = this.build(plan.input);
        return this.timed(this.unary(input, this.dataflow.add(operators.overAggregate(overOptions(plan)), '')), [plan.input]);
      }
      case 'WindowTableFunction': {
        const input = this.build(plan.input);
        const w = plan.window;
        const op = w.kind === 'SESSION'
          ? operators.sessionWindow({ timeIndex: w.timeIndex, timeAttribute: w.timeAttribute, gap: w.size, keys: w.partitionKeys, emit: { kind: 'rows' } })
          : operators.windowTableFunction({ shape: { kind: w.kind, size: w.size, slide: w.slide, offset: w.offset }, timeIndex: w.timeIndex });
        return this.timed(this.unary(input, this.dataflow.add(op, w.kind)), [plan.input]);
      }
      case 'WindowAggregate': {
        const input = this.build(plan.input);
        const w = plan.window;
        let op: StreamOperator;
        if (w.kind === 'assign' && w.spec.kind === 'SESSION') {
          op = operators.sessionWindow({
            timeIndex: w.spec.timeIndex, timeAttribute: w.spec.timeAttribute, gap: w.spec.size, keys: plan.groupKeys,
            emit: { kind: 'aggregate', aggs: plan.aggs },
          });
        } else {
          op = operators.windowAggregate({
            window: w.kind === 'assign'
              ? { kind: 'time', shape: { kind: w.spec.kind as 'TUMBLE' | 'HOP' | 'CUMULATE', size: w.spec.size, slide: w.spec.slide, offset: w.spec.offset }, timeIndex: w.spec.timeIndex }
              : { kind: 'assigned', startIndex: w.startIndex, endIndex: w.endIndex },
            timeAttribute: windowTimeAttribute(w),
            groupKeys: plan.groupKeys,
            aggs: plan.aggs,
          });
        }
        return this.timed(this.unary(input, this.dataflow.add(op, w.kind === 'assign' ? w.spec.kind : 'assigned')), [plan.input]);
      }
      case 'WindowTopN': {
        const input = this.build(plan.input);
        const op = operators.windowTopN({
          startIndex: plan.window.startIndex, endIndex: plan.window.endIndex, timeAttribute: plan.window.timeAttribute,
          partitionKeys: plan.partitionKeys, orderKeys: plan.orderKeys, rankFn: plan.rankFn, offset: plan.offset, limit: plan.limit, outputRank: plan.outputRank,
        });
        return this.timed(this.unary(input, this.dataflow.add(op, '')), [plan.input]);
      }
      case 'WindowDeduplicate': {
        const input = this.build(plan.input);
        const op = operators.windowDeduplicate({
          startIndex: plan.window.startIndex, endIndex: plan.window.endIndex, timeAttribute: plan.window.timeAttribute,
          keys: plan.keys, keep: plan.keep, orderIndex: plan.orderIndex, outputRank: plan.outputRank,
        });
        return this.timed(this.unary(input, this.dataflow.add(op, '')), [plan.input]);
      }
      case 'WindowJoin': {
        const parts = this.timedJoinParts(plan.condition, plan.left.schema.length);
        const op = operators.windowJoin({
          joinType: plan.joinType, ...parts,
          leftEnd: plan.leftWindow.endIndex, rightEnd: plan.rightWindow.endIndex,
          leftWidth: plan.left.schema.length, rightWidth: plan.right.schema.length, timeAttribute: plan.leftWindow.timeAttribute,
        });
        return this.binary(plan.left, plan.right, op);
      }
      case 'IntervalJoin': {
        if (plan.joinType === 'SEMI' || plan.joinType === 'ANTI') throw new SqlError(SqlState.featureNotSupported, `an interval ${plan.joinType} join is not supported yet`);
        const parts = this.timedJoinParts(plan.condition, plan.left.schema.length);
        const op = operators.intervalJoin({
          joinType: plan.joinType, ...parts,
          leftTime: plan.leftTimeIndex, rightTime: plan.rightTimeIndex, lower: plan.lower, upper: plan.upper,
          leftWidth: plan.left.schema.length, rightWidth: plan.right.schema.length, timeAttribute: plan.timeAttribute,
        });
        return this.binary(plan.left, plan.right, op);
      }
      case 'MatchRecognize': {
        const input = this.build(plan.input);
        return this.timed(this.unary(input, this.dataflow.add(operators.matchRecognize(plan, this.params, this.compileContext), plan.variables.join(' '))), [plan.input]);
      }
      case 'TemporalJoin':
        return buildTemporalJoin(plan, {
          build: (p) => this.build(p),
          add: (op, detail) => this.dataflow.add(op, detail),
          connect: (from, to, input) => this.dataflow.connect(from, to, input),
          scalar: (e) => this.scalar(e),
          predicate: (e) => this.predicate(e),
          timed: (node, inputs) => this.timed(node, inputs),
          appendOnly: (p) => this.appendOnly(p),
          lookup: this.options.lookup,
          now: this.options.now ?? (() => Date.now() * 1000),
        });
    }
  }

  /** A two-input time operator over `left` and `right`. */
  private binary(left: LogicalPlan, right: LogicalPlan, op: StreamOperator): DataflowNode {
    const node = this.dataflow.add(op, '');
    this.dataflow.connect(this.build(left), node, 0);
    this.dataflow.connect(this.build(right), node, 1);
    return this.timed(node, [left, right]);
  }

  /**
   * Equi-join columns of a window or interval join (`left column = right column`),
   * and the rest of the condition as one predicate over the concatenated row.
   */
  private timedJoinParts(condition: BoundExpr, leftWidth: number): { leftKeys: number[]; rightKeys: number[]; residual?: CompiledPredicate } {
    const split = splitJoinCondition(condition, leftWidth);
    const leftKeys: number[] = [];
    const rightKeys: number[] = [];
    const rest: BoundExpr[] = [...split.residual];
    for (const k of split.keys) {
      if (k.left.kind === 'InputRef' && k.right.kind === 'InputRef') {
        leftKeys.push(k.left.index);
        rightKeys.push(k.right.index);
      } else rest.push({ kind: 'Call', fn: '=', args: [k.left, shiftRefs(k.right, -leftWidth)], type: { kind: 'BOOLEAN' } });
    }
    if (rest.length === 0) return { leftKeys, rightKeys };
    const conj: BoundExpr = rest.length === 1 ? (rest[0] as BoundExpr) : { kind: 'Call', fn: 'and', args: rest, type: { kind: 'BOOLEAN' } };
    return { leftKeys, rightKeys, residual: this.predicate(conj) };
  }

  /** A time-ordered operator's node: it can describe the late rows it reports, by input. */
  private timed(node: DataflowNode, inputs: readonly LogicalPlan[]): DataflowNode {
    node.lateFormat = {
      sources: inputs.map((p) => [...new Set(scannedObjects(p))].join(', ')),
      text: (input, row) => rowText(row, inputs[input]?.schema ?? []),
    };
    return node;
  }

  /** A shared join side's port: its batches come from the arrangement, which the join's lookups read. */
  private sharedSide(side: SharedSide | undefined, input: LogicalPlan, backfill: boolean): { node: DataflowNode; view: SharedSideView } | undefined {
    const provider = this.options.shared;
    if (side === undefined || provider === undefined || (this.options.stateTtl ?? 0) > 0) return undefined;
    const { view, port } = provider.side(side, input, backfill);
    const node = this.dataflow.add(new SourcePort('Scan'), port);
    this.ports.push({ object: port, objectKind: 'SHARED', node });
    return { node, view };
  }

  private join(plan: Extract<LogicalPlan, { kind: 'Join' }>): DataflowNode {
    const leftWidth = plan.left.schema.length;
    const rightWidth = plan.right.schema.length;
    const split = splitJoinCondition(plan.condition, leftWidth);
    const both = plan.sharedState?.left !== undefined && plan.sharedState.right !== undefined;
    const sharedLeft = this.sharedSide(plan.sharedState?.left, plan.left, both);
    const sharedRight = this.sharedSide(plan.sharedState?.right, plan.right, false);
    let left = sharedLeft?.node ?? this.build(plan.left);
    let right = sharedRight?.node ?? this.build(plan.right);
    const leftKeys: number[] = [];
    const rightKeys: number[] = [];
    // Key expressions that are not plain columns are computed into extra
    // columns appended to each side, and projected away after the join.
    const extraLeft: CompiledScalar[] = [];
    const extraRight: CompiledScalar[] = [];
    for (const k of split.keys) {
      if (k.left.kind === 'InputRef') leftKeys.push(k.left.index);
      else {
        leftKeys.push(leftWidth + extraLeft.length);
        extraLeft.push(this.scalar(k.left));
      }
      if (k.right.kind === 'InputRef') rightKeys.push(k.right.index);
      else {
        rightKeys.push(rightWidth + extraRight.length);
        extraRight.push(this.scalar(k.right));
      }
    }
    const widen = (node: DataflowNode, width: number, extra: CompiledScalar[]): DataflowNode => {
      if (extra.length === 0) return node;
      const projections: CompiledScalar[] = [];
      for (let i = 0; i < width; i++) projections.push((row) => row[i] as Value);
      projections.push(...extra);
      return this.unary(node, this.dataflow.add(operators.calc(undefined, projections), 'join keys'));
    };
    left = widen(left, leftWidth, extraLeft);
    right = widen(right, rightWidth, extraRight);
    const lw = leftWidth + extraLeft.length;
    const rw = rightWidth + extraRight.length;
    // The residual reads the concatenated row; with extra key columns the right side starts later.
    let residual: CompiledPredicate | undefined;
    if (split.residual.length > 0) {
      const conj = split.residual.length === 1
        ? (split.residual[0] as BoundExpr)
        : { kind: 'Call' as const, fn: 'and', args: split.residual, type: { kind: 'BOOLEAN' as const } };
      const pred = this.predicate(conj);
      residual = extraLeft.length === 0
        ? pred
        : (row) => pred([...row.slice(0, leftWidth), ...row.slice(lw, lw + rightWidth)]);
    }
    const node = this.dataflow.add(
      operators.join({
        joinType: plan.joinType, leftKeys, rightKeys, leftWidth: lw, rightWidth: rw, stateTtl: this.options.stateTtl ?? 0,
        ...(residual === undefined ? {} : { residual }),
        ...(sharedLeft === undefined ? {} : { sharedLeft: sharedLeft.view }),
        ...(sharedRight === undefined ? {} : { sharedRight: sharedRight.view }),
      }),
      '',
    );
    this.dataflow.connect(left, node, 0);
    this.dataflow.connect(right, node, 1);
    if (extraLeft.length === 0 && extraRight.length === 0) return node;
    // Drop the extra key columns again.
    const keep: number[] = [];
    for (let i = 0; i < leftWidth; i++) keep.push(i);
    if (plan.joinType !== 'SEMI' && plan.joinType !== 'ANTI') for (let i = 0; i < rightWidth; i++) keep.push(lw + i);
    const projections: CompiledScalar[] = keep.map((i) => (row: Row) => row[i] as Value);
    return this.unary(node, this.dataflow.add(operators.calc(undefined, projections), ''));
  }
}

/** The OverAggregate for an OVER ordered by a time attribute: aggregates over frames that end at the current row. */
function overOptions(plan: Extract<LogicalPlan, { kind: 'Over' }>): OverAggregateOptions {
  const order = plan.orderKeys[0] as SortKey;
  const timeAttribute = plan.input.schema[order.index]?.timeAttribute ?? 'ROWTIME';
  const calls = plan.calls.map((c) => {
    if (!isAggregateCall(c.fn)) {
      throw new SqlError(SqlState.featureNotSupported, `${c.fn.toUpperCase()}() over a time attribute is not supported yet`, {
        hint: 'Filter ROW_NUMBER() with "<= n" in an outer query for a top-N or deduplication, or use an aggregate OVER the time attribute.',
      });
    }
    const frame = c.frame ?? { units: 'RANGE' as const, preceding: null, following: 0 };
    if (frame.following !== 0) {
      throw new SqlError(SqlState.featureNotSupported, 'an OVER frame ordered by time must end at the CURRENT ROW', {
        hint: 'Rows after the current one have not arrived when it is emitted: use ROWS|RANGE BETWEEN ... PRECEDING AND CURRENT ROW.',
      });
    }
    const call: AggCall = { fn: c.fn, args: c.args, distinct: false, type: c.type, name: c.name };
    return { call, frame: { units: frame.units, preceding: frame.preceding } };
  });
  return { partitionKeys: plan.partitionKeys, timeIndex: order.index, timeAttribute, calls };
}

function isAggregateCall(fn: string): boolean {
  return fn !== 'row_number' && fn !== 'rank' && fn !== 'dense_rank' && fn !== 'lag' && fn !== 'lead';
}

/** The catalog objects a plan reads. */
function scannedObjects(plan: LogicalPlan): string[] {
  if (plan.kind === 'Scan') return [plan.object];
  return children(plan).flatMap(scannedObjects);
}

/** A row as `name=value, ...` in PostgreSQL's text format, for eddy_late_rows. */
function rowText(row: Row, schema: Schema): string {
  return row.map((v, i) => {
    const f = schema[i];
    const text = f === undefined ? String(v) : (formatValue(v as Value, f.type) ?? 'NULL');
    return f === undefined ? text : `${f.name}=${text}`;
  }).join(', ');
}
