// A reference interpreter for logical plans over in-memory tables, with subqueries evaluated row by row
// as SQL defines them: rewrites must give the same multiset of rows as the plan they rewrote.

import type { DataType, Field, Schema } from '../../common/data-type.js';
import { compareValues, valuesEqual } from '../../common/compare.js';
import { Decimal } from '../../common/decimal.js';
import { SqlError } from '../../common/errors.js';
import { rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { compileScalar } from '../../executor/expr/compile.js';
import { literal, mapExpr, visitExpr } from '../../planner/binder/bound-utils.js';
import type { BoundExpr, BoundSubquery } from '../../planner/bound/expr.js';
import type { AggCall, LogicalPlan, OverCall, SortKey } from '../../planner/logical/index.js';

export type Tables = ReadonlyMap<string, readonly Row[]>;

/** Rows of `plan`; `outer` holds the enclosing rows of a subquery, innermost first. */
export function run(plan: LogicalPlan, tables: Tables, outer: readonly Row[] = []): Row[] {
  const ev = (e: BoundExpr, row: Row): Value => evaluate(e, row, outer, tables);
  switch (plan.kind) {
    case 'Scan': {
      const rows = tables.get(plan.object);
      if (rows === undefined) throw new Error(`no data for ${plan.object}`);
      return [...rows];
    }
    case 'Values':
      return plan.rows.map((r) => r.map((e) => ev(e, [])));
    case 'Project':
      return run(plan.input, tables, outer).map((r) => plan.exprs.map((e) => ev(e, r)));
    case 'Filter':
      return run(plan.input, tables, outer).filter((r) => ev(plan.predicate, r) === true);
    case 'Join': {
      const left = run(plan.left, tables, outer);
      const right = run(plan.right, tables, outer);
      const lw = plan.left.schema.length;
      const rw = plan.right.schema.length;
      const matches = (l: Row, r: Row) => plan.condition === null || ev(plan.condition, [...l, ...r]) === true;
      const out: Row[] = [];
      const rightMatched = new Set<number>();
      for (const l of left) {
        let any = false;
        right.forEach((r, j) => {
          if (!matches(l, r)) return;
          any = true;
          rightMatched.add(j);
          if (plan.joinType !== 'SEMI' && plan.joinType !== 'ANTI') out.push([...l, ...r]);
        });
        if (plan.joinType === 'SEMI' && any) out.push(l);
        if (plan.joinType === 'ANTI' && !any) out.push(l);
        if (!any && (plan.joinType === 'LEFT' || plan.joinType === 'FULL')) out.push([...l, ...nulls(rw)]);
      }
      if (plan.joinType === 'RIGHT' || plan.joinType === 'FULL') {
        right.forEach((r, j) => {
          if (!rightMatched.has(j)) out.push([...nulls(lw), ...r]);
        });
      }
      return out;
    }
    case 'Aggregate':
      return aggregate(plan, run(plan.input, tables, outer));
    case 'Union':
      return plan.inputs.flatMap((i) => run(i, tables, outer));
    case 'SetOp': {
      const left = run(plan.left, tables, outer);
      const right = run(plan.right, tables, outer);
      const counts = new Map<string, number>();
      for (const r of right) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
      const out: Row[] = [];
      const emitted = new Set<string>();
      for (const l of left) {
        const k = rowKey(l);
        const n = counts.get(k) ?? 0;
        const keep = plan.op === 'INTERSECT' ? n > 0 : plan.all ? n === 0 : !counts.has(k);
        if (plan.all) {
          if (plan.op === 'INTERSECT' && n > 0) counts.set(k, n - 1);
          if (plan.op === 'EXCEPT' && n > 0) {
            counts.set(k, n - 1);
            continue;
          }
          if (keep) out.push(l);
        } else if (keep && !emitted.has(k)) {
          emitted.add(k);
          out.push(l);
        }
      }
      return out;
    }
    case 'Sort': {
      const rows = sortRows(run(plan.input, tables, outer), plan.keys);
      return rows.slice(plan.offset, plan.limit === undefined ? undefined : plan.offset + plan.limit);
    }
    case 'Over':
      return overRows(plan.input.schema.length, run(plan.input, tables, outer), plan.partitionKeys, plan.orderKeys, plan.calls);
    case 'TopN': {
      const out: Row[] = [];
      for (const part of partitions(run(plan.input, tables, outer), plan.partitionKeys)) {
        const sorted = sortRows(part, plan.orderKeys);
        const ranks = rankValues(sorted, plan.orderKeys, plan.rankFn);
        sorted.forEach((r, i) => {
          const rank = ranks[i] as number;
          if (rank > plan.offset && rank <= plan.offset + plan.limit) out.push(plan.outputRank ? [...r, rank] : r);
        });
      }
      return out;
    }
    case 'Deduplicate': {
      const out: Row[] = [];
      const key: SortKey = { index: plan.orderIndex, descending: plan.keep === 'LAST', nullsFirst: false };
      for (const part of partitions(run(plan.input, tables, outer), plan.keys)) {
        const first = sortRows(part, [key])[0];
        if (first !== undefined) out.push(plan.outputRank ? [...first, 1] : first);
      }
      return out;
    }
    case 'WindowTableFunction':
    case 'WindowAggregate':
    case 'WindowTopN':
    case 'WindowDeduplicate':
    case 'WindowJoin':
    case 'IntervalJoin':
    case 'MatchRecognize':
    case 'TemporalJoin':
      // Their results depend on watermarks, not on the rows alone: the rule tests do not interpret them.
      throw new Error(`${plan.kind} is not interpreted`);
    default: {
      const unreachable: never = plan;
      throw new Error(`unknown plan node ${(unreachable as LogicalPlan).kind}`);
    }
  }
}

function nulls(n: number): Value[] {
  return new Array<Value>(n).fill(null);
}

const compiled = new WeakMap<BoundExpr, (row: Row) => Value>();

function evaluate(e: BoundExpr, row: Row, outer: readonly Row[], tables: Tables): Value {
  let plain = true;
  visitExpr(e, (x) => {
    if (x.kind === 'Subquery' || x.kind === 'CorrelatedRef') plain = false;
  });
  if (plain) {
    let f = compiled.get(e);
    if (f === undefined) {
      f = compileScalar(e, []);
      compiled.set(e, f);
    }
    return f(row);
  }
  const resolved = mapExpr(e, (x) => {
    if (x.kind === 'CorrelatedRef') {
      const o = outer[x.depth - 1];
      if (o === undefined) throw new Error(`no enclosing row at depth ${x.depth}`);
      return literal(o[x.index] as Value, x.type);
    }
    if (x.kind === 'Subquery') return literal(subqueryValue(x, row, outer, tables), x.type);
    return x;
  });
  return compileScalar(resolved, [])(row);
}

function subqueryValue(s: BoundSubquery, row: Row, outer: readonly Row[], tables: Tables): Value {
  const rows = run(s.plan, tables, [row, ...outer]);
  switch (s.mode) {
    case 'exists':
      return s.negated ? rows.length === 0 : rows.length > 0;
    case 'scalar':
      if (rows.length > 1) throw new SqlError('21000', 'more than one row returned by a subquery used as an expression');
      return rows.length === 0 ? null : ((rows[0] as Row)[0] as Value);
    case 'in': {
      const x = s.operand === undefined ? null : evaluate(s.operand, row, outer, tables);
      let v: boolean | null;
      if (rows.length === 0) v = false;
      else if (x === null) v = null;
      else if (rows.some((r) => r[0] !== null && valuesEqual(r[0] as Value, x))) v = true;
      else v = rows.some((r) => r[0] === null) ? null : false;
      return s.negated && v !== null ? !v : v;
    }
    default: {
      const unreachable: never = s.mode;
      throw new Error(`unknown mode ${String(unreachable)}`);
    }
  }
}

function compareBy(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.index] as Value;
      const y = b[k.index] as Value;
      if (x === null || y === null) {
        if (x === y) continue;
        // compareValues puts NULL last; flip for NULLS FIRST.
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}

function sortRows(rows: readonly Row[], keys: readonly SortKey[]): Row[] {
  return [...rows].sort(compareBy(keys));
}

function partitions(rows: readonly Row[], keys: readonly number[]): Row[][] {
  const parts = new Map<string, Row[]>();
  for (const r of rows) {
    const k = rowKey(keys.map((i) => r[i] as Value));
    let p = parts.get(k);
    if (p === undefined) {
      p = [];
      parts.set(k, p);
    }
    p.push(r);
  }
  return [...parts.values()];
}

function rankValues(sorted: readonly Row[], keys: readonly SortKey[], fn: string): number[] {
  const cmp = compareBy(keys);
  const out: number[] = [];
  let dense = 0;
  sorted.forEach((r, i) => {
    const peer = i > 0 && cmp(sorted[i - 1] as Row, r) === 0;
    if (!peer) dense++;
    const upper = fn.toLowerCase();
    if (upper === 'row_number') out.push(i + 1);
    else if (upper === 'rank') out.push(peer ? (out[i - 1] as number) : i + 1);
    else out.push(dense);
  });
  return out;
}

function overRows(width: number, rows: readonly Row[], partitionKeys: readonly number[], orderKeys: readonly SortKey[], calls: readonly OverCall[]): Row[] {
  const out: Row[] = [];
  const cmp = compareBy(orderKeys);
  for (const part of partitions(rows, partitionKeys)) {
    const sorted = sortRows(part, orderKeys);
    const extra = calls.map((c) => {
      if (c.fn === 'row_number' || c.fn === 'rank' || c.fn === 'dense_rank') return rankValues(sorted, orderKeys, c.fn);
      return sorted.map((_, i) => {
        const f = c.frame ?? { units: 'ROWS', preceding: null, following: null };
        let from = 0;
        let to = sorted.length - 1;
        if (f.units === 'ROWS') {
          if (f.preceding !== null) from = Math.max(0, i - f.preceding);
          if (f.following !== null) to = Math.min(sorted.length - 1, i + f.following);
        } else {
          if (f.preceding !== null && f.preceding !== 0) throw new Error('RANGE offsets are not interpreted');
          if (f.preceding === 0) while (from < i && cmp(sorted[from] as Row, sorted[i] as Row) !== 0) from++;
          if (f.following === 0) {
            to = i;
            while (to + 1 < sorted.length && cmp(sorted[to + 1] as Row, sorted[i] as Row) === 0) to++;
          }
        }
        return accumulate({ fn: c.fn, args: c.args, distinct: false, type: c.type, name: c.name }, sorted.slice(from, to + 1), []);
      });
    });
    sorted.forEach((r, i) => out.push([...r.slice(0, width), ...extra.map((e) => e[i] as Value)]));
  }
  return out;
}

function aggregate(plan: LogicalPlan & { kind: 'Aggregate' }, rows: readonly Row[]): Row[] {
  const sets = plan.groupingSets ?? [plan.groupKeys.map((_, i) => i)];
  const out: Row[] = [];
  for (const set of sets) {
    const keyCols = set.map((p) => plan.groupKeys[p] as number);
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const k = rowKey(keyCols.map((i) => r[i] as Value));
      let g = groups.get(k);
      if (g === undefined) {
        g = [];
        groups.set(k, g);
      }
      g.push(r);
    }
    // A grouping set without keys yields one row even over no input.
    if (set.length === 0 && groups.size === 0) groups.set('', []);
    for (const g of groups.values()) {
      const first = g[0];
      const keys = plan.groupKeys.map((col, p) => (set.includes(p) && first !== undefined ? (first[col] as Value) : null));
      out.push([...keys, ...plan.aggs.map((a) => accumulate(a, g, keyCols))]);
    }
  }
  return out;
}

function accumulate(a: AggCall, rows: readonly Row[], groupedCols: readonly number[]): Value {
  if (a.fn === 'grouping') {
    let v = 0;
    for (const c of a.args) v = v * 2 + (groupedCols.includes(c) ? 0 : 1);
    return v;
  }
  let input = a.filter === undefined ? rows : rows.filter((r) => r[a.filter as number] === true);
  if (a.fn === 'count_star') return input.length;
  input = input.filter((r) => a.args.every((i) => r[i] !== null));
  if (a.distinct) {
    const seen = new Set<string>();
    input = input.filter((r) => {
      const k = rowKey(a.args.map((i) => r[i] as Value));
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const vals = input.map((r) => r[a.args[0] as number] as Value);
  switch (a.fn) {
    case 'count': return input.length;
    case 'sum': return vals.length === 0 ? null : vals.reduce((x, y) => add(x, y));
    case 'avg': return vals.length === 0 ? null : vals.reduce((x: number, y) => x + Number(y), 0) / vals.length;
    case 'min': return vals.length === 0 ? null : vals.reduce((x, y) => (compareValues(x, y) <= 0 ? x : y));
    case 'max': return vals.length === 0 ? null : vals.reduce((x, y) => (compareValues(x, y) >= 0 ? x : y));
    case 'listagg': {
      const sorted = a.orderBy === undefined ? input : sortRows(input, a.orderBy);
      return sorted.length === 0 ? null : sorted.map((r) => String(r[a.args[0] as number])).join(String((sorted[0] as Row)[a.args[1] as number]));
    }
    default:
      throw new Error(`aggregate ${a.fn} is not interpreted`);
  }
}

function add(x: Value, y: Value): Value {
  if (x instanceof Decimal && y instanceof Decimal) {
    const s = Math.max(x.scale, y.scale);
    return new Decimal(x.rescale(s).unscaled + y.rescale(s).unscaled, s);
  }
  return (x as number) + (y as number);
}

/** The rows as a sorted list of keys: equal multisets give equal lists. */
export function multiset(rows: readonly Row[]): string[] {
  return rows.map((r) => rowKey(r)).sort();
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows for a table of `schema`: small integers and few strings so that joins, groups and
 * IN lists hit; NULLs in nullable columns; timestamps all distinct (ties would make
 * deduplication pick arbitrarily).
 */
export function generate(schema: Schema, n: number, rnd: () => number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push(schema.map((f) => valueFor(f, i, rnd)));
  return rows;
}

function valueFor(f: Field, i: number, rnd: () => number): Value {
  // Time attributes are never NULL in a stream (rows are ordered by them).
  if (f.nullable && f.timeAttribute === undefined && rnd() < 0.15) return null;
  const t: DataType = f.type;
  const small = Math.floor(rnd() * 6);
  switch (t.kind) {
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return small;
    case 'DOUBLE': case 'FLOAT': return small / 2;
    case 'DECIMAL': return new Decimal(BigInt(small * 10 ** t.scale + Math.floor(rnd() * 3)), t.scale);
    case 'VARCHAR': case 'CHAR': return ['a', 'b', 'c', 'web', 'app'][small % 5] as string;
    case 'BOOLEAN': return small % 2 === 0;
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': return 1_700_000_000_000_000 + i * 1_000_000 + Math.floor(rnd() * 500_000);
    case 'DATE': return 19_000 + small;
    default: return null;
  }
}
