// EXPLAIN for logical plans: an indented tree, one node per line, columns shown by name where the name is unambiguous.

import { internalError } from '../common/errors.js';
import type { DataType, Schema } from '../common/data-type.js';
import { typeToSql } from '../common/data-type.js';
import { Decimal } from '../common/decimal.js';
import type { Value } from '../common/value.js';
import { MICROS_PER_DAY, MICROS_PER_SECOND } from '../common/value.js';
import type { BoundExpr, BoundSubquery } from './bound/expr.js';
import type { AggCall, Join, LogicalPlan, OverCall, OverFrame, SharedSide, SortKey, TemporalJoin, WindowAssignment, WindowColumns, WindowSpec } from './logical/index.js';
import { children } from './logical/index.js';
import { describeMatchRecognize } from './logical/match-recognize.js';
import { compilePattern, describeProgram } from '../executor/match-recognize/pattern.js';

/**
 * Renders a logical plan, e.g.
 *
 *     Aggregate(keys=[auction], aggs=[count(*), sum(price)])
 *       Filter(price > 10)
 *         Scan(bids)
 *
 * A column reference shows the input column's name when that name is unique in the
 * input row, `name#i` when several input columns share it, and `#i` when it has none.
 * Subquery plans are printed under the node that holds them, after a `subquery N:` line.
 */
export function explainLogical(plan: LogicalPlan): string {
  const out: string[] = [];
  const counter = { next: 1 };
  render(plan, 0, out, counter);
  return out.join('\n');
}

interface Counter {
  next: number;
}

function render(plan: LogicalPlan, depth: number, out: string[], counter: Counter): void {
  const subqueries: { id: number; sub: BoundSubquery }[] = [];
  const ctx: ExprCtx = { subqueries, counter };
  out.push(`${'  '.repeat(depth)}${describe(plan, ctx)}`);
  for (const { id, sub } of subqueries) {
    out.push(`${'  '.repeat(depth + 1)}subquery ${id}:`);
    render(sub.plan, depth + 2, out, counter);
  }
  for (const c of children(plan)) render(c, depth + 1, out, counter);
}

interface ExprCtx {
  readonly subqueries: { id: number; sub: BoundSubquery }[];
  readonly counter: Counter;
}

/**
 * `, shared=[left: orders(cust); right: ...]` for a join whose inputs are read from arrangements
 * shared with other views (planner/rules/shared-state-rule.ts), naming who else reads each when
 * `readers` says; '' for a join without shared inputs.
 */
export function sharedText(plan: Join, readers?: (side: SharedSide) => readonly string[]): string {
  const sides: string[] = [];
  for (const [which, side] of [['left', plan.sharedState?.left], ['right', plan.sharedState?.right]] as const) {
    if (side === undefined) continue;
    const others = readers?.(side) ?? [];
    sides.push(`${which}: ${side.label}${others.length === 0 ? '' : ` with job${others.length > 1 ? 's' : ''} ${others.join(', ')}`}`);
  }
  return sides.length === 0 ? '' : `, shared=[${sides.join('; ')}]`;
}

function describe(plan: LogicalPlan, ctx: ExprCtx): string {
  switch (plan.kind) {
    case 'Scan':
      return plan.objectKind === 'TABLE' ? `Scan(${plan.object})` : `Scan(${plan.object}, ${plan.objectKind.toLowerCase()})`;
    case 'Values': {
      const rows = plan.rows.map((r) => `(${r.map((e) => expr(e, [], ctx)).join(', ')})`);
      return `Values(${rows.join(', ')})`;
    }
    case 'Project': {
      const items = plan.exprs.map((e, i) => {
        const text = expr(e, plan.input.schema, ctx);
        const name = plan.schema[i]?.name ?? '';
        return name === '' || text === name ? text : `${text} AS ${name}`;
      });
      return `Project(${items.join(', ')})`;
    }
    case 'Filter':
      return `Filter(${expr(plan.predicate, plan.input.schema, ctx)})`;
    case 'Aggregate': {
      const s = plan.input.schema;
      const parts = [`keys=[${plan.groupKeys.map((k) => column(k, s)).join(', ')}]`];
      if (plan.groupingSets !== undefined) {
        const sets = plan.groupingSets.map((set) => `[${set.map((p) => column(plan.groupKeys[p] ?? -1, s)).join(', ')}]`);
        parts.push(`sets=[${sets.join(', ')}]`);
      }
      parts.push(`aggs=[${plan.aggs.map((a) => aggCall(a, s)).join(', ')}]`);
      // Chosen by cost (planner/rules/agg-phase-rule.ts).
      if (plan.strategy?.kind === 'two-phase') parts.push(`two-phase bundle=${plan.strategy.bundleRows}`);
      else if (plan.strategy !== undefined && plan.strategy.bundleRows > 0) parts.push(`mini-batch=${plan.strategy.bundleRows}`);
      return `Aggregate(${parts.join(', ')})`;
    }
    case 'Join': {
      const both = [...plan.left.schema, ...plan.right.schema];
      const shared = sharedText(plan);
      if (plan.condition === null) return plan.joinType === 'INNER' ? `Join(CROSS${shared})` : `Join(${plan.joinType}${shared})`;
      return `Join(${plan.joinType}, ${expr(plan.condition, both, ctx)}${shared})`;
    }
    case 'Union':
      return 'Union';
    case 'SetOp':
      return `SetOp(${plan.op}${plan.all ? ' ALL' : ''})`;
    case 'Sort': {
      const parts = plan.keys.map((k) => sortKey(k, plan.input.schema));
      if (plan.limit !== undefined) parts.push(`limit=${plan.limit}`);
      if (plan.offset !== 0) parts.push(`offset=${plan.offset}`);
      return `Sort(${parts.join(', ')})`;
    }
    case 'Over': {
      const s = plan.input.schema;
      const parts: string[] = [];
      if (plan.partitionKeys.length > 0) parts.push(`partition=[${plan.partitionKeys.map((k) => column(k, s)).join(', ')}]`);
      if (plan.orderKeys.length > 0) parts.push(`order=[${plan.orderKeys.map((k) => sortKey(k, s)).join(', ')}]`);
      parts.push(`calls=[${plan.calls.map((c) => overCall(c, s)).join(', ')}]`);
      return `Over(${parts.join(', ')})`;
    }
    case 'TopN': {
      const s = plan.input.schema;
      const parts: string[] = [plan.rankFn];
      if (plan.partitionKeys.length > 0) parts.push(`partition=[${plan.partitionKeys.map((k) => column(k, s)).join(', ')}]`);
      parts.push(`order=[${plan.orderKeys.map((k) => sortKey(k, s)).join(', ')}]`);
      parts.push(`limit=${plan.limit}`);
      if (plan.offset !== 0) parts.push(`offset=${plan.offset}`);
      if (plan.outputRank) parts.push('rank');
      return `TopN(${parts.join(', ')})`;
    }
    case 'Deduplicate': {
      const s = plan.input.schema;
      const parts = [plan.keep, `keys=[${plan.keys.map((k) => column(k, s)).join(', ')}]`, `order=${column(plan.orderIndex, s)}`];
      if (plan.outputRank) parts.push('rank');
      return `Deduplicate(${parts.join(', ')})`;
    }
    case 'WindowTableFunction':
      return `WindowTableFunction(${windowSpec(plan.window, plan.input.schema)})`;
    case 'WindowAggregate': {
      const s = plan.input.schema;
      const parts = [windowAssignment(plan.window, s)];
      parts.push(`keys=[${plan.groupKeys.map((k) => column(k, s)).join(', ')}]`);
      parts.push(`aggs=[${plan.aggs.map((a) => aggCall(a, s)).join(', ')}]`);
      parts.push(`emit=${closes(plan.window.kind === 'assign' ? plan.window.spec.timeAttribute : plan.window.timeAttribute)}`);
      return `WindowAggregate(${parts.join(', ')})`;
    }
    case 'WindowTopN': {
      const s = plan.input.schema;
      const parts: string[] = [plan.rankFn, `partition=[${plan.partitionKeys.map((k) => column(k, s)).join(', ')}]`];
      parts.push(`order=[${plan.orderKeys.map((k) => sortKey(k, s)).join(', ')}]`);
      parts.push(`limit=${plan.limit}`);
      if (plan.offset !== 0) parts.push(`offset=${plan.offset}`);
      if (plan.outputRank) parts.push('rank');
      parts.push(windowColumnsText(plan.window, s));
      return `WindowTopN(${parts.join(', ')})`;
    }
    case 'WindowDeduplicate': {
      const s = plan.input.schema;
      const parts = [plan.keep, `keys=[${plan.keys.map((k) => column(k, s)).join(', ')}]`, `order=${column(plan.orderIndex, s)}`];
      if (plan.outputRank) parts.push('rank');
      parts.push(windowColumnsText(plan.window, s));
      return `WindowDeduplicate(${parts.join(', ')})`;
    }
    case 'WindowJoin': {
      const both = [...plan.left.schema, ...plan.right.schema];
      const l = windowColumnsText(plan.leftWindow, plan.left.schema);
      return `WindowJoin(${plan.joinType}, ${expr(plan.condition, both, ctx)}, ${l})`;
    }
    case 'IntervalJoin': {
      const both = [...plan.left.schema, ...plan.right.schema];
      const lt = column(plan.leftTimeIndex, both);
      const rt = column(plan.left.schema.length + plan.rightTimeIndex, both);
      const bounds = `${rt} - ${lt} BETWEEN ${signedInterval(plan.lower)} AND ${signedInterval(plan.upper)}`;
      const plus = (col: string, micros: number): string => (micros === 0 ? col : micros > 0 ? `${col} + ${interval(micros)}` : `${col} - ${interval(-micros)}`);
      const frees = `frees=left rows once ${watermarkWord(plan.timeAttribute)} > ${plus(lt, plan.upper)}, right rows once ${watermarkWord(plan.timeAttribute)} > ${plus(rt, -plan.lower)}`;
      return `IntervalJoin(${plan.joinType}, ${expr(plan.condition, both, ctx)}, time=[${bounds}] ${plan.timeAttribute}, ${frees})`;
    }
    case 'MatchRecognize':
      return describeMatchRecognize(plan, (e, s) => expr(e, s, ctx), describeProgram(compilePattern(plan.pattern), plan.variables));
    case 'TemporalJoin':
      return temporalJoinText(plan, (e, s) => expr(e, s, ctx));
    default: {
      const unreachable: never = plan;
      throw internalError(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

/**
 * A temporal join with its time attributes and what frees its state, e.g.
 * `TemporalJoin(LEFT, currency = currency#5, as of order_time ROWTIME, versions=[key=[currency#5], time=update_time],
 * emit=watermark > order_time, frees=versions older than the watermark but the newest per key)`.
 */
function temporalJoinText(plan: TemporalJoin, text: (e: BoundExpr, s: Schema) => string): string {
  const both = [...plan.left.schema, ...plan.right.schema];
  const lw = plan.left.schema.length;
  const keys = `[${plan.rightKeys.map((k) => column(lw + k, both)).join(', ')}]`;
  const parts = [plan.joinType, text(plan.condition, both), `as of ${column(plan.leftTimeIndex, both)} ${plan.timeAttribute}`];
  if (plan.lookup !== undefined) {
    const l = plan.lookup;
    const cache = l.cacheMaxRows === 0 ? 'none' : `[max-rows=${l.cacheMaxRows}${l.cacheTtl > 0 ? `, ttl=${interval(l.cacheTtl)}` : ''}]`;
    parts.push(`table=${l.table}`, `keys=${keys}`, `cache=${cache}`, 'emit=on arrival', `frees=${l.cacheMaxRows === 0 ? 'nothing kept' : 'cached rows past max-rows or ttl'}`);
    return `LookupJoin(${parts.join(', ')})`;
  }
  if (plan.timeAttribute === 'ROWTIME') {
    const time = plan.rightTimeIndex === undefined ? '?' : column(lw + plan.rightTimeIndex, both);
    parts.push(`versions=[key=${keys}, time=${time}]`, `emit=watermark > ${column(plan.leftTimeIndex, both)}`, 'frees=versions older than the watermark but the newest per key');
  } else {
    parts.push(`versions=[key=${keys}] latest only`, 'emit=on arrival', 'frees=a version once replaced or deleted');
  }
  return `TemporalJoin(${parts.join(', ')})`;
}

/** A column of `schema` by name when unambiguous. */
function column(index: number, schema: Schema): string {
  const f = schema[index];
  if (f === undefined || f.name === '') return `#${index}`;
  let count = 0;
  for (const g of schema) if (g.name === f.name) count++;
  return count === 1 ? f.name : `${f.name}#${index}`;
}

function sortKey(k: SortKey, schema: Schema): string {
  let text = column(k.index, schema);
  if (k.descending) text += ' DESC';
  // PostgreSQL's defaults (NULLS LAST ascending, NULLS FIRST descending) are not printed.
  if (k.nullsFirst !== k.descending) text += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return text;
}

function aggCall(a: AggCall, schema: Schema): string {
  const name = a.fn === 'count_star' ? 'count' : a.fn;
  let args = a.fn === 'count_star' ? '*' : a.args.map((i) => column(i, schema)).join(', ');
  if (a.distinct) args = `DISTINCT ${args}`;
  if (a.orderBy !== undefined && a.orderBy.length > 0) args += ` ORDER BY ${a.orderBy.map((k) => sortKey(k, schema)).join(', ')}`;
  let text = `${name}(${args})`;
  if (a.filter !== undefined) text += ` FILTER (WHERE ${column(a.filter, schema)})`;
  return text;
}

function overCall(c: OverCall, schema: Schema): string {
  const call = c.fn === 'count_star' ? 'count(*)' : `${c.fn}(${c.args.map((i) => column(i, schema)).join(', ')})`;
  const text = c.frame === undefined ? call : `${call} ${frame(c.frame)}`;
  return c.name === '' || c.name === call ? text : `${text} AS ${c.name}`;
}

function frame(f: OverFrame): string {
  const bound = (n: number | null, dir: string): string => {
    if (n === null) return `UNBOUNDED ${dir}`;
    if (n === 0) return 'CURRENT ROW';
    return f.units === 'RANGE' ? `${interval(n)} ${dir}` : `${n} ${dir}`;
  };
  return `${f.units} BETWEEN ${bound(f.preceding, 'PRECEDING')} AND ${bound(f.following, 'FOLLOWING')}`;
}

/** `TUMBLE(time=ts ROWTIME, size=INTERVAL '10' MINUTE)` and the like. */
function windowSpec(w: WindowSpec, schema: Schema): string {
  const parts = [`time=${column(w.timeIndex, schema)} ${w.timeAttribute}`];
  switch (w.kind) {
    case 'TUMBLE': parts.push(`size=${interval(w.size)}`); break;
    case 'HOP': parts.push(`slide=${interval(w.slide)}`, `size=${interval(w.size)}`); break;
    case 'CUMULATE': parts.push(`step=${interval(w.slide)}`, `size=${interval(w.size)}`); break;
    case 'SESSION':
      if (w.partitionKeys.length > 0) parts.push(`partition=[${w.partitionKeys.map((k) => column(k, schema)).join(', ')}]`);
      parts.push(`gap=${interval(w.size)}`);
      break;
    default: {
      const unreachable: never = w.kind;
      throw internalError(`unknown window kind ${String(unreachable)}`);
    }
  }
  if (w.offset !== 0) parts.push(`offset=${signedInterval(w.offset)}`);
  return `${w.kind}(${parts.join(', ')})`;
}

function windowAssignment(w: WindowAssignment, schema: Schema): string {
  if (w.kind === 'assign') return windowSpec(w.spec, schema);
  return `window=[${column(w.startIndex, schema)}, ${column(w.endIndex, schema)}] ${w.timeAttribute}`;
}

function windowColumnsText(w: WindowColumns, schema: Schema): string {
  return `window=[${column(w.startIndex, schema)}, ${column(w.endIndex, schema)}] ${w.timeAttribute}, emit=${closes(w.timeAttribute)}`;
}

function watermarkWord(t: 'ROWTIME' | 'PROCTIME'): string {
  return t === 'ROWTIME' ? 'watermark' : 'clock';
}

/** When a window operator emits, which is also when it frees the window's state. */
function closes(t: 'ROWTIME' | 'PROCTIME'): string {
  return `${watermarkWord(t)} >= window_end (then frees the window)`;
}

function signedInterval(micros: number): string {
  if (micros === 0) return '0';
  return micros < 0 ? `-${interval(-micros)}` : interval(micros);
}

// ------------------------------------------------------------------ expressions

/**
 * An expression over a row of `schema` as EXPLAIN prints it; the binder names computed
 * columns with it (`CAST(price AS BIGINT)`), so plans read as the SQL they came from.
 */
export function exprText(e: BoundExpr, schema: Schema): string {
  return expr(e, schema, { subqueries: [], counter: { next: 1 } });
}

const infix = new Map<string, { text: string; prec: number }>([
  ['or', { text: 'OR', prec: 1 }],
  ['and', { text: 'AND', prec: 2 }],
  ['=', { text: '=', prec: 4 }], ['<>', { text: '<>', prec: 4 }], ['<', { text: '<', prec: 4 }],
  ['<=', { text: '<=', prec: 4 }], ['>', { text: '>', prec: 4 }], ['>=', { text: '>=', prec: 4 }],
  ['is_distinct_from', { text: 'IS DISTINCT FROM', prec: 4 }],
  ['is_not_distinct_from', { text: 'IS NOT DISTINCT FROM', prec: 4 }],
  ['like', { text: 'LIKE', prec: 4 }], ['ilike', { text: 'ILIKE', prec: 4 }], ['similar_to', { text: 'SIMILAR TO', prec: 4 }],
  ['concat', { text: '||', prec: 5 }],
  ['+', { text: '+', prec: 6 }], ['-', { text: '-', prec: 6 }],
  ['*', { text: '*', prec: 7 }], ['/', { text: '/', prec: 7 }], ['%', { text: '%', prec: 7 }],
  ['^', { text: '^', prec: 8 }],
]);

const postfix = new Map<string, string>([
  ['is_null', 'IS NULL'], ['is_not_null', 'IS NOT NULL'], ['is_true', 'IS TRUE'], ['is_not_true', 'IS NOT TRUE'],
  ['is_false', 'IS FALSE'], ['is_not_false', 'IS NOT FALSE'], ['is_unknown', 'IS UNKNOWN'], ['is_not_unknown', 'IS NOT UNKNOWN'],
]);

/** Precedence of the expression as printed: atoms bind tightest. */
function precedence(e: BoundExpr): number {
  if (e.kind !== 'Call') return 10;
  const op = infix.get(e.fn);
  if (op !== undefined && e.args.length === 2) return op.prec;
  if (e.fn === 'not') return 3;
  if (postfix.has(e.fn) || e.fn === 'in' || e.fn === 'between' || e.fn === 'between_symmetric') return 4;
  if (e.fn === 'neg') return 9;
  return 10;
}

function expr(e: BoundExpr, schema: Schema, ctx: ExprCtx): string {
  const sub = (x: BoundExpr, min: number): string => {
    const text = expr(x, schema, ctx);
    return precedence(x) < min ? `(${text})` : text;
  };
  switch (e.kind) {
    case 'Literal':
      return literalText(e.value, e.type);
    case 'InputRef':
      return column(e.index, schema);
    case 'ParamRef':
      return `$${e.index + 1}`;
    case 'CorrelatedRef':
      return `${e.depth === 1 ? 'outer' : `outer${e.depth}`}.#${e.index}`;
    case 'Cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${expr(e.operand, schema, ctx)} AS ${typeToSql(e.type)})`;
    case 'Case': {
      const whens = e.whens.map((w) => `WHEN ${expr(w.when, schema, ctx)} THEN ${expr(w.then, schema, ctx)}`).join(' ');
      return `CASE ${whens} ELSE ${expr(e.else, schema, ctx)} END`;
    }
    case 'Subquery': {
      const id = ctx.counter.next++;
      ctx.subqueries.push({ id, sub: e });
      const not = e.negated ? 'NOT ' : '';
      switch (e.mode) {
        case 'exists': return `${not}EXISTS(subquery ${id})`;
        case 'in': return `${sub(e.operand ?? { kind: 'Literal', value: null, type: { kind: 'NULL' } }, 5)} ${not}IN (subquery ${id})`;
        case 'scalar': return `(subquery ${id})`;
        default: {
          const unreachable: never = e.mode;
          throw internalError(`unknown subquery mode ${String(unreachable)}`);
        }
      }
    }
    case 'Call': {
      const op = infix.get(e.fn);
      const [a, b, c] = e.args;
      if (op !== undefined && e.args.length === 2 && a !== undefined && b !== undefined) {
        // Left-associative: an equal-precedence right operand needs parentheses.
        return `${sub(a, op.prec)} ${op.text} ${sub(b, op.prec + 1)}`;
      }
      if ((e.fn === 'and' || e.fn === 'or') && e.args.length > 2) {
        const p = e.fn === 'and' ? 2 : 1;
        return e.args.map((x) => sub(x, p + 1)).join(e.fn === 'and' ? ' AND ' : ' OR ');
      }
      if (e.fn === 'not' && a !== undefined) return `NOT ${sub(a, 4)}`;
      if (e.fn === 'neg' && a !== undefined) return `-${sub(a, 10)}`;
      const pf = postfix.get(e.fn);
      if (pf !== undefined && a !== undefined) return `${sub(a, 5)} ${pf}`;
      if (e.fn === 'in' && a !== undefined) return `${sub(a, 5)} IN (${e.args.slice(1).map((x) => expr(x, schema, ctx)).join(', ')})`;
      if ((e.fn === 'between' || e.fn === 'between_symmetric') && a !== undefined && b !== undefined && c !== undefined) {
        return `${sub(a, 5)} BETWEEN ${e.fn === 'between_symmetric' ? 'SYMMETRIC ' : ''}${sub(b, 5)} AND ${sub(c, 5)}`;
      }
      return `${e.fn}(${e.args.map((x) => expr(x, schema, ctx)).join(', ')})`;
    }
    default: {
      const unreachable: never = e;
      throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
    }
  }
}

function literalText(v: Value, type: DataType): string {
  if (v === null) return type.kind === 'NULL' ? 'NULL' : `CAST(NULL AS ${typeToSql(type)})`;
  switch (type.kind) {
    case 'DATE':
      if (typeof v === 'number') return `DATE '${isoDate(v)}'`;
      break;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      if (typeof v === 'number') return `${type.kind} '${isoTimestamp(v)}'`;
      break;
    case 'TIME':
      if (typeof v === 'number') return `TIME '${isoTimestamp(v).slice(11)}'`;
      break;
    case 'INTERVAL_DAY_TIME':
      if (typeof v === 'number') return interval(v);
      break;
    case 'INTERVAL_YEAR_MONTH':
      if (typeof v === 'number') return `INTERVAL '${v}' MONTH`;
      break;
    default:
      break;
  }
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (v instanceof Decimal) return v.toString();
  if (v instanceof Uint8Array) return `X'${Buffer.from(v).toString('hex').toUpperCase()}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map((x: Value) => literalText(x, elementType(type))).join(', ')}]`;
  return String(v);
}

function elementType(t: DataType): DataType {
  return t.kind === 'ARRAY' ? t.element : { kind: 'NULL' };
}

/** A day-time interval (microseconds) in the largest unit that divides it. */
function interval(micros: number): string {
  const units: [number, string][] = [[MICROS_PER_DAY, 'DAY'], [3_600 * MICROS_PER_SECOND, 'HOUR'], [60 * MICROS_PER_SECOND, 'MINUTE'], [MICROS_PER_SECOND, 'SECOND']];
  for (const [size, name] of units) if (micros % size === 0) return `INTERVAL '${micros / size}' ${name}`;
  return `INTERVAL '${micros / MICROS_PER_SECOND}' SECOND`;
}

function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function isoTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const frac = micros - ms * 1000;
  const base = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const text = frac === 0 ? base : `${base}${String(frac).padStart(3, '0')}`;
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}
