// The operators and compiled expressions physical planning builds dataflows from.

import type { Row, Value } from '../../common/value.js';
import { compilePredicate, compileScalar } from '../../executor/expr/compile.js';
import { Calc } from '../../executor/operators/calc.js';
import { Deduplicate } from '../../executor/operators/deduplicate.js';
import { GroupAggregate } from '../../executor/operators/group-aggregate.js';
import { Join, type JoinOptions } from '../../executor/operators/join.js';
import { SetOp } from '../../executor/operators/set-op.js';
import { TopN, type TopNOptions } from '../../executor/operators/top-n.js';
import { Union } from '../../executor/operators/union.js';
import type { StreamOperator } from '../../executor/operator.js';
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
  groupAggregate: (plan: Aggregate, appendOnlyInput: boolean): StreamOperator =>
    new GroupAggregate(plan.groupingSets
      ? { groupKeys: plan.groupKeys, groupingSets: plan.groupingSets, aggs: plan.aggs, appendOnlyInput }
      : { groupKeys: plan.groupKeys, aggs: plan.aggs, appendOnlyInput }),
  join: (options: JoinOptions): StreamOperator => new Join(options),
  union: (inputs: number): StreamOperator => new Union({ inputs }),
  setOp: (op: 'INTERSECT' | 'EXCEPT', all: boolean): StreamOperator => new SetOp({ op, all }),
  topN: (options: TopNOptions): StreamOperator => new TopN(options),
  deduplicate: (plan: DeduplicateNode, retractingInput: boolean): StreamOperator =>
    new Deduplicate({ keys: plan.keys, keep: plan.keep, orderIndex: plan.orderIndex, outputRank: plan.outputRank, retractingInput }),
};
