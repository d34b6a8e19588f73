// DEFINE conditions and measures as evaluators: each access of a MatchExpr reads the match through a MatchEnv, the rest is an ordinary compiled expression.

import type { Row, Value } from '../../common/value.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import type { MatchAccess, MatchExpr, RowSet } from '../../planner/logical/match-recognize.js';
import type { CompileOptions } from '../expr/compile.js';
import { compileScalar } from '../expr/compile.js';
import type { Accumulator } from '../operators/aggregates/accumulator.js';
import { createAccumulator } from '../operators/aggregates/registry.js';
import type { OperatorState } from '../state/state-api.js';

/**
 * What an access reads, for one evaluation: a DEFINE condition on a row
 * tentatively mapped to a variable, or a measure at a row of a found match.
 * Positions are row positions in the partition.
 */
export interface MatchEnv {
  /**
   * The position of the `offset`-th row of set `set` (-1: every row of the match)
   * counted from its first or last row, up to the current row (or, `final`, in
   * the whole match); -1 when there is none.
   */
  position(set: number, fromLast: boolean, offset: number, final: boolean): number;
  /** The partition's row at `pos`, undefined outside the rows at hand. */
  row(pos: number): Row | undefined;
  /** Aggregate `index` (numbered per evaluator family: DEFINE's or MEASURES'). */
  aggregate(index: number, final: boolean): Value;
  /** The variable (name) of the current row (`set` -1) or of the last row of set `set`. */
  classifier(set: number, final: boolean): Value;
  readonly matchNumber: number;
  /** The event time of the match's last row. */
  readonly matchRowtime: Value;
}

export type MatchEvaluator = (env: MatchEnv) => Value;

/**
 * The distinct row sets the accesses of one evaluator family use, each with the
 * deepest FIRST and LAST offsets read from it (so that a DEFINE thread keeps no
 * more positions than its conditions can look at).
 */
export class RowSetTable {
  readonly sets: number[][] = [];
  /** Per set: the largest FIRST offset read (-1: none). */
  readonly firstDepth: number[] = [];
  /** Per set: the largest LAST offset read, CLASSIFIER(set) counting as 0 (-1: none). */
  readonly lastDepth: number[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `rows`: -1 for the universal set. */
  id(rows: RowSet): number {
    if (rows === null) return -1;
    const sorted = [...new Set(rows)].sort((x, y) => x - y);
    const key = sorted.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(sorted);
      this.firstDepth.push(-1);
      this.lastDepth.push(-1);
    }
    return id;
  }

  /** For each variable (0 .. variables-1), the sets it belongs to. */
  setsOfVariable(variables: number): number[][] {
    const out: number[][] = Array.from({ length: variables }, () => []);
    this.sets.forEach((members, id) => {
      for (const v of members) out[v]?.push(id);
    });
    return out;
  }
}

/** One aggregate over a row set: its accumulator, and its arguments computed from a row. */
export interface MatchAggregate {
  readonly set: number;
  readonly accumulator: Accumulator;
  /** The accumulator's input row (its argument values) for a row of the partition. */
  readonly argumentRow: (row: Row) => Row;
}

/** Compiles MatchExprs of one family (DEFINE or MEASURES), collecting their row sets and aggregates. */
export class MatchExprCompiler {
  readonly sets = new RowSetTable();
  readonly aggregates: MatchAggregate[] = [];
  /** Largest PREV offset (rows read before the navigated row). */
  lookback = 0;
  /** Largest NEXT offset (rows read after the navigated row). */
  lookahead = 0;
  /** Whether some access depends on which rows the earlier rows were mapped to (per-thread state in DEFINE). */
  private historyReads = false;

  constructor(
    private readonly params: readonly Value[],
    private readonly options: CompileOptions,
    private readonly state: OperatorState,
    /** CLASSIFIER()'s result per variable. */
    private readonly variableNames: readonly string[],
  ) {}

  /** Compiles `e`; `historyFree` tells whether it reads only the current row, the partition and the match number. */
  compile(e: MatchExpr): { evaluate: MatchEvaluator; historyFree: boolean; readsAggregates: boolean } {
    this.historyReads = false;
    const getters = e.accesses.map((a) => this.access(a));
    const f = compileScalar(e.expr, this.params, this.options);
    const n = getters.length;
    const values = new Array<Value>(n);
    const evaluate: MatchEvaluator = n === 0
      ? () => f(values)
      : (env) => {
          for (let i = 0; i < n; i++) values[i] = (getters[i] as MatchEvaluator)(env);
          return f(values);
        };
    return { evaluate, historyFree: !this.historyReads, readsAggregates: e.accesses.some((a) => a.kind === 'Aggregate') };
  }

  private access(a: MatchAccess): MatchEvaluator {
    switch (a.kind) {
      case 'Navigation': {
        const set = this.sets.id(a.rows);
        if (set >= 0) {
          this.historyReads = true;
          if (a.from === 'first') this.sets.firstDepth[set] = Math.max(this.sets.firstDepth[set] as number, a.offset);
          else this.sets.lastDepth[set] = Math.max(this.sets.lastDepth[set] as number, a.offset);
        }
        if (a.physical < 0) this.lookback = Math.max(this.lookback, -a.physical);
        if (a.physical > 0) this.lookahead = Math.max(this.lookahead, a.physical);
        const value = compileScalar(a.value, this.params, this.options);
        const fromLast = a.from === 'last';
        const { offset, physical, final } = a;
        return (env) => {
          const p = env.position(set, fromLast, offset, final);
          if (p < 0) return null;
          const row = env.row(p + physical);
          return row === undefined ? null : value(row);
        };
      }
      case 'Aggregate': {
        const set = this.sets.id(a.rows);
        this.historyReads = true;
        const index = this.aggregates.length;
        const args = a.args.map((x) => compileScalar(x, this.params, this.options));
        const call: AggCall = { fn: a.fn, args: args.map((_, i) => i), distinct: false, type: a.type, name: a.name };
        const accumulator = createAccumulator(call, {
          state: this.state,
          index,
          // Rows only ever join a match: no accumulator needs its retraction structures.
          appendOnly: true,
          nextSequence: () => 0,
          shared: new Map(),
        }, { groupKeys: [], groupingSets: undefined });
        const n = args.length;
        this.aggregates.push({
          set,
          accumulator,
          argumentRow: (row) => {
            const out = new Array<Value>(n);
            for (let i = 0; i < n; i++) out[i] = (args[i] as (r: Row) => Value)(row);
            return out;
          },
        });
        const final = a.final;
        return (env) => env.aggregate(index, final);
      }
      case 'Classifier': {
        const set = this.sets.id(a.rows);
        if (set >= 0) {
          this.historyReads = true;
          this.sets.lastDepth[set] = Math.max(this.sets.lastDepth[set] as number, 0);
        }
        const final = a.final;
        return (env) => env.classifier(set, final);
      }
      case 'MatchNumber':
        return (env) => env.matchNumber;
      case 'MatchRowtime':
        return (env) => env.matchRowtime;
      default: {
        const unreachable: never = a;
        throw new Error(`unknown match access ${(unreachable as MatchAccess).kind}`);
      }
    }
  }

  /** CLASSIFIER()'s value for a label character code. */
  variableName(code: number): string {
    return this.variableNames[code >> 1] ?? '';
  }
}

/** A deep copy of an accumulator slot (plain data: arrays, plain objects, immutable leaves), for copy-on-write between threads. */
export function copySlot(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copySlot);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copySlot(x);
    return out;
  }
  return v;
}
