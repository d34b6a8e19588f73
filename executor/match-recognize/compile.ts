// Compiling a MatchRecognize plan node for execution: the pattern's program, the DEFINE conditions for the matcher, the measures for the output.

import type { Value } from '../../common/value.js';
import type { MatchRecognize } from '../../planner/logical/match-recognize.js';
import { matchOutputLayout } from '../../planner/logical/match-recognize.js';
import type { CompileOptions } from '../expr/compile.js';
import type { OperatorState } from '../state/state-api.js';
import { MatchExprCompiler } from './expressions.js';
import type { DefineCondition } from './matcher.js';
import { Matcher } from './matcher.js';
import { MatchOutput } from './measures.js';
import type { Program } from './pattern.js';
import { compilePattern } from './pattern.js';

export interface CompiledMatchRecognize {
  readonly program: Program;
  readonly matcher: Matcher;
  readonly output: MatchOutput;
  readonly timeIndex: number;
  /** Rows before a match attempt's first row that navigation may read (PREV). */
  readonly lookback: number;
  /** Whether a partition must remember its match count when it has nothing else (MATCH_NUMBER is read). */
  readonly readsMatchNumber: boolean;
  /** Whether the output has MATCH_ROWTIME(), an event-time attribute whose watermark must be held back. */
  readonly rowtimeOutput: boolean;
}

export function compileMatchRecognize(node: MatchRecognize, params: readonly Value[], options: CompileOptions, state: OperatorState): CompiledMatchRecognize {
  const program = compilePattern(node.pattern);
  const timeIndex = node.orderKeys[0]?.index ?? 0;

  const defineCompiler = new MatchExprCompiler(params, options, state, node.variables);
  const defines: (DefineCondition | undefined)[] = node.defines.map((d) => (d === undefined ? undefined : defineCompiler.compile(d)));
  const measureCompiler = new MatchExprCompiler(params, options, state, node.variables);
  const measures = node.measures.map((m) => measureCompiler.compile(m.expr).evaluate);
  const finalAggregates = node.measures.some((m) => m.expr.accesses.some((a) => a.kind === 'Aggregate' && a.final));

  const matcher = new Matcher({
    program,
    variableNames: node.variables,
    defines,
    sets: defineCompiler.sets,
    aggregates: defineCompiler.aggregates,
    lookahead: defineCompiler.lookahead,
    // A match is held back until the rows its measures read ahead are released.
    measureLookahead: measureCompiler.lookahead,
    afterMatch: node.afterMatch,
    ...(node.within === undefined ? {} : { within: node.within }),
    timeIndex,
    reportUnmatched: node.rowsPerMatch === 'ALL ROWS WITH UNMATCHED',
  });
  const output = new MatchOutput({
    rowsPerMatch: node.rowsPerMatch,
    layout: matchOutputLayout(node.rowsPerMatch, node.partitionKeys, node.orderKeys, node.input.schema.length, node.measures.length),
    measures,
    sets: measureCompiler.sets,
    aggregates: measureCompiler.aggregates,
    finalAggregates,
    variableNames: node.variables,
    timeIndex,
    rowtimeMeasures: node.measures.flatMap((m, i) => (m.expr.expr.kind === 'InputRef' && m.expr.accesses[m.expr.expr.index]?.kind === 'MatchRowtime' ? [i] : [])),
  });

  const all = [...node.defines.flatMap((d) => d?.accesses ?? []), ...node.measures.flatMap((m) => m.expr.accesses)];
  return {
    program,
    matcher,
    output,
    timeIndex,
    lookback: Math.max(defineCompiler.lookback, measureCompiler.lookback),
    readsMatchNumber: all.some((a) => a.kind === 'MatchNumber'),
    rowtimeOutput: node.schema.some((f) => f.timeAttribute === 'ROWTIME'),
  };
}
