// Window table functions in FROM (TUMBLE, HOP, CUMULATE, SESSION) and the group-window calls of GROUP BY (TUMBLE, HOP, SESSION).

import type { Field, Schema } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Expr, FunctionCall } from '../../parser/ast/expression.js';
import type { Span } from '../../parser/ast/node.js';
import type { TableFunction, TableFunctionArg, TableFunctionArgValue } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import type { WindowKind, WindowSpec } from '../logical/window-table-function.js';
import { windowTableFunction } from '../logical/window-table-function.js';
import type { BoundRelation, ExprContext, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { notSupported, positionOf, syntaxMisuse, typeMismatch } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import { lookupRelation } from './from.js';
import { Scope } from './scope.js';

/** Parameter names of each window table function, in positional order (Flink's names). */
const parameters: Record<WindowKind, readonly string[]> = {
  TUMBLE: ['data', 'timecol', 'size', 'offset'],
  HOP: ['data', 'timecol', 'slide', 'size', 'offset'],
  CUMULATE: ['data', 'timecol', 'step', 'size', 'offset'],
  SESSION: ['data', 'timecol', 'gap'],
};

const required: Record<WindowKind, number> = { TUMBLE: 3, HOP: 4, CUMULATE: 4, SESSION: 3 };

/** Other names Flink's documentation uses for a parameter. */
const synonyms = new Map([['max_size', 'size']]);

/**
 * `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTES))` and friends, with
 * positional or named arguments (`DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => ...`).
 * The result is the data relation's columns then window_start, window_end, window_time.
 */
export function bindWindowTableFunction(ref: TableFunction, name: string, level: QueryLevel): BoundRelation {
  const kind = name.toUpperCase() as WindowKind;
  const args = namedArguments(ref, kind);
  const data = args.get('data') as TableFunctionArgValue;
  let bound: BoundRelation;
  let partitionBy: readonly Expr[];
  let tableName: string | undefined;
  if (data.kind === 'TableArg') {
    if (data.orderBy.length > 0) throw notSupported(`ORDER BY in the TABLE argument of ${kind}`, data.span ?? ref.span);
    bound = lookupRelation(data.table, data.span ?? ref.span, level);
    partitionBy = data.partitionBy;
    tableName = data.table[data.table.length - 1]?.value;
  } else if (data.kind === 'QueryArg') {
    bound = level.env.bindQuery(data.query, { env: level.env, outer: level.outer, ctes: level.ctes });
    partitionBy = data.partitionBy;
  } else {
    throw typeMismatch(`the DATA argument of ${kind} must be a table: TABLE name or a subquery`, ref.span);
  }
  if (partitionBy.length > 0 && kind !== 'SESSION') throw syntaxMisuse(`PARTITION BY is only allowed in the TABLE argument of SESSION`, ref.span);
  const schema = bound.plan.schema;
  const scope = Scope.forRelation(tableName, bound.names, schema);
  const ctx = exprContext(level, scope, schema, `${kind} arguments`);

  const timecol = args.get('timecol') as TableFunctionArgValue;
  if (timecol.kind !== 'DescriptorArg' || timecol.columns.length !== 1) {
    throw typeMismatch(`the TIMECOL argument of ${kind} must be DESCRIPTOR(column)`, ref.span);
  }
  const timeName = timecol.columns[0] as { value: string; span?: Span };
  const col = scope.resolveBare(timeName.value, timeName.span);
  if (col === undefined) {
    throw new SqlError(SqlState.undefinedColumn, `column "${timeName.value}" does not exist in the table of ${kind}`, positionOf(timeName.span ?? timecol.span));
  }
  const timeAttribute = requireTimeAttribute(schema, col.index, timeName.value, kind, timeName.span ?? timecol.span);

  const partitionKeys = partitionBy.map((e) => {
    const b = bindExpr(e, ctx);
    if (b.kind !== 'InputRef') throw notSupported(`a PARTITION BY expression that is not a column in ${kind}`, e.span ?? ref.span);
    return b.index;
  });
  const interval = (param: string): number => {
    const v = args.get(param);
    if (v === undefined) return 0;
    if (v.kind !== 'ScalarArg') throw typeMismatch(`the ${param.toUpperCase()} argument of ${kind} must be an interval`, ref.span);
    return intervalArgument(v.expr, ctx, `${param.toUpperCase()} of ${kind}`, param !== 'offset');
  };
  let size: number;
  let slide: number;
  switch (kind) {
    case 'TUMBLE': size = interval('size'); slide = size; break;
    case 'HOP': size = interval('size'); slide = interval('slide'); break;
    case 'CUMULATE': size = interval('size'); slide = interval('step'); break;
    case 'SESSION': size = interval('gap'); slide = size; break;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown window ${String(unreachable)}`);
    }
  }
  const spec: WindowSpec = { kind, timeIndex: col.index, timeAttribute, size, slide, offset: interval('offset'), partitionKeys };
  checkWindow(spec, ref.span);
  return { plan: windowTableFunction(bound.plan, spec), names: [...bound.names, 'window_start', 'window_end', 'window_time'] };
}

/** Arguments by parameter name: positional ones first, then `NAME => value` ones; every required one present. */
function namedArguments(ref: TableFunction, kind: WindowKind): Map<string, TableFunctionArgValue> {
  const params = parameters[kind];
  const out = new Map<string, TableFunctionArgValue>();
  let named = false;
  ref.args.forEach((a: TableFunctionArg, i) => {
    let param: string;
    if (a.name === undefined) {
      if (named) throw syntaxMisuse(`a positional argument of ${kind} cannot follow a named one`, ref.span);
      const p = params[i];
      if (p === undefined) throw new SqlError(SqlState.undefinedFunction, `${kind} takes at most ${params.length} arguments`, positionOf(ref.span));
      param = p;
    } else {
      named = true;
      const n = a.name.value.toLowerCase();
      param = synonyms.get(n) ?? n;
      if (!params.includes(param)) {
        throw new SqlError(SqlState.undefinedFunction, `${kind} has no parameter "${a.name.value}"`, {
          ...positionOf(a.name.span ?? ref.span),
          hint: `Its parameters are ${params.map((p) => p.toUpperCase()).join(', ')}.`,
        });
      }
    }
    if (out.has(param)) throw syntaxMisuse(`argument ${param.toUpperCase()} of ${kind} is given twice`, a.name?.span ?? ref.span);
    out.set(param, a.value);
  });
  for (const p of params.slice(0, required[kind])) {
    if (!out.has(p)) throw new SqlError(SqlState.undefinedFunction, `${kind} requires the argument ${p.toUpperCase()}`, positionOf(ref.span));
  }
  return out;
}

/**
 * The time attribute of column `index`, or 42804 naming the column: windows place
 * rows by event time (a WATERMARK column) or processing time (a PROCTIME() column).
 */
export function requireTimeAttribute(schema: Schema, index: number, name: string, kind: string, span: Span | undefined): 'ROWTIME' | 'PROCTIME' {
  const f = schema[index] as Field;
  if (f.timeAttribute !== undefined) return f.timeAttribute;
  throw new SqlError(SqlState.datatypeMismatch, `column "${name}" is not a time attribute, so ${kind} cannot use it`, {
    ...positionOf(span),
    detail: `A window needs an event-time column (declared by WATERMARK FOR ${name} AS ...) or a processing-time column (AS PROCTIME()); "${name}" is a plain ${f.type.kind} here.`,
    hint: 'Time attributes are lost through regular aggregations and joins; window the table itself, or a view that keeps the column as it is.',
  });
}

/** A constant day-time interval argument in microseconds (positive where `positive`). */
export function intervalArgument(e: Expr, ctx: ExprContext, what: string, positive: boolean): number {
  const b: BoundExpr = bindExpr(e, ctx);
  let v: number | undefined;
  if (b.kind === 'Literal' && typeof b.value === 'number') {
    if (b.type.kind === 'INTERVAL_DAY_TIME') v = b.value;
    else if (b.type.kind === 'INTERVAL_YEAR_MONTH') throw notSupported(`a year-month interval as the ${what}`, e.span, 'Give the window in days, hours, minutes or seconds.');
  }
  if (v === undefined) throw typeMismatch(`the ${what} must be a constant interval such as INTERVAL '10' MINUTE`, e.span);
  if (positive && v <= 0) throw new SqlError(SqlState.invalidParameterValue, `the ${what} must be positive`, positionOf(e.span));
  return v;
}

function checkWindow(spec: WindowSpec, span: Span | undefined): void {
  if (spec.kind === 'CUMULATE' && spec.size % spec.slide !== 0) {
    throw new SqlError(SqlState.invalidParameterValue, 'the SIZE of CUMULATE must be a whole multiple of its STEP', positionOf(span));
  }
  if (spec.kind === 'HOP' && spec.slide > spec.size) {
    throw new SqlError(SqlState.invalidParameterValue, 'the SLIDE of HOP must not be larger than its SIZE', {
      ...positionOf(span),
      hint: 'A larger slide would leave rows between windows; TUMBLE has windows that touch.',
    });
  }
}

/** The group-window call of a GROUP BY (`TUMBLE(ts, size)`, `HOP(ts, slide, size)`, `SESSION(ts, gap)`), bound over the FROM row. */
export interface GroupWindow {
  readonly ast: FunctionCall;
  readonly kind: 'TUMBLE' | 'HOP' | 'SESSION';
  /** The time column, then the interval arguments, as bound: a `TUMBLE_END(...)` must repeat them. */
  readonly args: readonly BoundExpr[];
  readonly spec: WindowSpec;
}

const groupWindowArity: Record<'TUMBLE' | 'HOP' | 'SESSION', number> = { TUMBLE: 2, HOP: 3, SESSION: 2 };

/** The group window of `call` (already known to be TUMBLE, HOP or SESSION), bound in the GROUP BY context. */
export function bindGroupWindow(call: FunctionCall, kind: 'TUMBLE' | 'HOP' | 'SESSION', ctx: ExprContext): GroupWindow {
  const arity = groupWindowArity[kind];
  if (call.args.length !== arity) {
    throw new SqlError(SqlState.undefinedFunction, `${kind} in GROUP BY takes ${arity} arguments`, {
      ...positionOf(call.span),
      hint: kind === 'HOP' ? 'HOP(time_attribute, slide, size)' : `${kind}(time_attribute, ${kind === 'SESSION' ? 'gap' : 'size'})`,
    });
  }
  const timeAst = call.args[0] as Expr;
  const time = bindExpr(timeAst, ctx);
  if (time.kind !== 'InputRef') throw notSupported(`a ${kind} over an expression`, timeAst.span, 'Window by a time attribute column.');
  const timeName = timeAst.kind === 'ColumnRef' ? (timeAst.parts[timeAst.parts.length - 1]?.value ?? '') : '';
  const timeAttribute = requireTimeAttribute(ctx.schema, time.index, timeName, kind, timeAst.span);
  const intervals = call.args.slice(1).map((a) => intervalArgument(a, ctx, `size of ${kind}`, true));
  const args = [time, ...call.args.slice(1).map((a) => bindExpr(a, ctx))];
  const [first, second] = intervals as [number, number];
  let spec: WindowSpec;
  switch (kind) {
    case 'TUMBLE':
      spec = { kind, timeIndex: time.index, timeAttribute, size: first, slide: first, offset: 0, partitionKeys: [] };
      break;
    case 'HOP':
      spec = { kind, timeIndex: time.index, timeAttribute, size: second, slide: first, offset: 0, partitionKeys: [] };
      break;
    case 'SESSION':
      spec = { kind, timeIndex: time.index, timeAttribute, size: first, slide: first, offset: 0, partitionKeys: [] };
      break;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown group window ${String(unreachable)}`);
    }
  }
  checkWindow(spec, call.span);
  return { ast: call, kind, args, spec };
}
