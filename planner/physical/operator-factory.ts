// The operators and compiled expressions physical planning builds dataflows from.

import type { Row, Value } from '../../common/value.js';
import { compilePredicate, compileScalar } from '../../executor/expr/compile.js';
import { Calc } from '../../executor/operators/calc.js';
import { Deduplicate } from '../../executor/operators/deduplicate.js';
import { GroupAggregate } from '../../executor/operators/group-aggregate.js';
import { Join, type JoinOptions } from '../../executor/operators/join.js';
import { LocalGroupAggregate, type LocalAggregateOptions } from '../../executor/operators/local-aggregate.js';
import { MiniBatch, type MiniBatchOptions } from '../../executor/operators/mini-batch.js';
import { SetOp } from '../../executor/operators/set-op.js';
import { TopN, type TopNOptions } from '../../executor/operators/top-n.js';
import { Union } from '../../executor/operators/union.js';
import { MatchRecognize } from '../../executor/operators/match-recognize.js';
import type { MatchRecognize as MatchRecognizeNode } from '../logical/match-recognize.js';
import type { StreamOperator } from '../../executor/operator.js';
import { SessionWindow, type SessionWindowOptions } from '../../executor/operators/session-window.js';
import { WindowAggregate, type WindowAggregateOptions } from '../../executor/operators/window-aggregate.js';
import { IntervalJoin, type IntervalJoinOptions } from '../../executor/operators/interval-join.js';
import { OverAggregate, type OverAggregateOptions } from '../../executor/operators/over-aggregate.js';
import { WindowDeduplicate, type WindowDeduplicateOptions } from '../../executor/operators/window-deduplicate.js';
import { WindowJoin, type WindowJoinOptions } from '../../executor/operators/window-join.js';
import { WindowTopN, type WindowTopNOptions } from '../../executor/operators/window-top-n.js';
import { WindowTableFunction, type WindowTableFunctionOptions } from '../../executor/operators/window-table-function.js';
import type { BoundExpr } from '../bound/expr.js';
import type { Aggregate } from '../logical/aggregate.js';
import type { Deduplicate as DeduplicateNode } from '../logical/deduplicate.js';

export type CompiledScalar = (row: Row) => Value;
export type CompiledPredicate = (row: Row) => boolean;

export interface CompileContext {
  readonly now?: () => number;
  readonly timeZone?: string;
}

export const operators = {
  compileScalar: (e: BoundExpr, params: readonly Value[], ctx: CompileContext = {}): CompiledScalar => compileScalar(e, params, ctx),
  compilePredicate: (e: BoundExpr, params: readonly Value[], ctx: CompileContext = {}): CompiledPredicate => compilePredicate(e, params, ctx),
  calc: (predicate: CompiledPredicate | undefined, projections: readonly CompiledScalar[] | undefined): StreamOperator =>
    new Calc(predicate ? (projections ? { predicate, projections } : { predicate }) : projections ? { projections } : {}),
  groupAggregate: (plan: Aggregate, appendOnlyInput: boolean, stateTtl = 0): StreamOperator =>
    new GroupAggregate(plan.groupingSets
      ? { groupKeys: plan.groupKeys, groupingSets: plan.groupingSets, aggs: plan.aggs, appendOnlyInput, stateTtl }
      : { groupKeys: plan.groupKeys, aggs: plan.aggs, appendOnlyInput, stateTtl }),
  /** The global phase of a two-phase aggregation: merges partials, grouped by their leading key columns. */
  globalAggregate: (plan: Aggregate, appendOnlyInput: boolean, stateTtl = 0): StreamOperator =>
    new GroupAggregate({ groupKeys: plan.groupKeys.map((_, i) => i), aggs: plan.aggs, appendOnlyInput, stateTtl, partialInput: true }),
  localAggregate: (options: LocalAggregateOptions): StreamOperator => new LocalGroupAggregate(options),
  miniBatch: (options: MiniBatchOptions): StreamOperator => new MiniBatch(options),
  join: (options: JoinOptions): StreamOperator => new Join(options),
  union: (inputs: number): StreamOperator => new Union({ inputs }),
  setOp: (op: 'INTERSECT' | 'EXCEPT', all: boolean): StreamOperator => new SetOp({ op, all }),
  topN: (options: TopNOptions): StreamOperator => new TopN(options),
  matchRecognize: (plan: MatchRecognizeNode, params: readonly Value[], ctx: CompileContext = {}): StreamOperator =>
    new MatchRecognize({ node: plan, params, compile: ctx }),
  windowTableFunction: (options: WindowTableFunctionOptions): StreamOperator => new WindowTableFunction(options),
  windowAggregate: (options: WindowAggregateOptions): StreamOperator => new WindowAggregate(options),
  sessionWindow: (options: SessionWindowOptions): StreamOperator => new SessionWindow(options),
  windowTopN: (options: WindowTopNOptions): StreamOperator => new WindowTopN(options),
  windowDeduplicate: (options: WindowDeduplicateOptions): StreamOperator => new WindowDeduplicate(options),
  windowJoin: (options: WindowJoinOptions): StreamOperator => new WindowJoin(options),
  intervalJoin: (options: IntervalJoinOptions): StreamOperator => new IntervalJoin(options),
  overAggregate: (options: OverAggregateOptions): StreamOperator => new OverAggregate(options),
  deduplicate: (plan: DeduplicateNode, retractingInput: boolean): StreamOperator =>
    new Deduplicate({ keys: plan.keys, keep: plan.keep, orderIndex: plan.orderIndex, outputRank: plan.outputRank, retractingInput }),
};
