// Evaluates a catalog query over the computed catalog relations: nested-loop
// joins, filters, grouping, set operations and ordering. Catalogs are small
// (hundreds of rows), so clarity wins over cleverness here.

import { SqlError, SqlState } from '../../common/errors.js';
import type { CBody, CExpr, CFrom, CQuery, CSelect, CValue, OrderItem, SelectItem } from './ast.js';
import { aggregateFunctions, matchLike, matchRegex, scalarFunctions, tableFunction, type FunctionEnv } from './functions.js';
import { CatalogCache, findCatalogTable, namespaceName, type CatalogContext } from './tables.js';
import { builtinTypeByName, builtinTypeByOid, formatType } from './types.js';
import { compareValues, isNumericType, parseArrayText, textOf, toNumber, truthy, type OidNames } from './values.js';

export interface CatalogColumnOut {
  readonly name: string;
  /** Catalog type name (`int4`, `name`, `text[]` ...). */
  readonly type: string;
}

export interface CatalogResult {
  readonly columns: readonly CatalogColumnOut[];
  readonly rows: readonly (readonly CValue[])[];
}

interface Col {
  readonly table: string | undefined;
  readonly name: string;
  readonly type: string;
  /** A system column (tableoid): readable by name, not part of `*`. */
  readonly hidden?: boolean;
}

interface Rel {
  readonly cols: readonly Col[];
  readonly rows: CValue[][];
  /** Aliases of stub catalogs: unknown columns of theirs read as NULL. */
  readonly lenient: ReadonlySet<string>;
}

interface Scope {
  readonly cols: readonly Col[];
  readonly lenient: ReadonlySet<string>;
  row: readonly CValue[];
  readonly parent: Scope | undefined;
  /** While evaluating a grouped query: the rows of the current group. */
  group?: readonly (readonly CValue[])[];
  /** CTEs visible here. */
  readonly ctes: ReadonlyMap<string, CatalogResult>;
}

type Resolved = { readonly depth: number; readonly index: number; readonly type: string } | { readonly lenient: true };

/** Well-known OIDs of catalog tables, as `'pg_class'::regclass` gives them. */
const CATALOG_RELATION_OIDS: Record<string, number> = {
  pg_class: 1259, pg_type: 1247, pg_attribute: 1249, pg_proc: 1255, pg_namespace: 2615, pg_database: 1262,
  pg_constraint: 2606, pg_index: 2610, pg_description: 2609, pg_am: 2601, pg_attrdef: 2604, pg_trigger: 2620,
  pg_rewrite: 2618, pg_authid: 1260, pg_inherits: 2611, pg_collation: 3456, pg_extension: 3079,
};

function undefinedColumn(parts: readonly string[]): SqlError {
  return new SqlError(SqlState.undefinedColumn, `column ${parts.join('.')} does not exist`);
}

export class CatalogEvaluator {
  private readonly cache: CatalogCache;
  private readonly env: FunctionEnv;
  private readonly resolved = new Map<CExpr, Resolved>();
  /** Values of window functions, per call and input row. */
  private readonly windowValues = new Map<CExpr, Map<readonly CValue[], CValue>>();
  readonly names: OidNames;

  constructor(
    private readonly ctx: CatalogContext,
    private readonly params: readonly CValue[],
    serverVersion: string,
    setSetting: (name: string, value: string) => void,
  ) {
    this.cache = new CatalogCache(ctx);
    const cache = this.cache;
    this.names = {
      relationName: (oid) => {
        const r = cache.relations().find((x) => x.oid === oid);
        if (r) return r.namespace === 2200 ? quoteIfNeeded(r.name) : `${namespaceName(r.namespace)}.${quoteIfNeeded(r.name)}`;
        return Object.entries(CATALOG_RELATION_OIDS).find(([, o]) => o === oid)?.[0];
      },
      typeName: (oid) => formatType(oid, null) ?? undefined,
      namespaceName: (oid) => namespaceName(oid),
      roleName: (oid) => (oid === 10 ? ctx.user : undefined),
      procName: (oid) => {
        const named = ctx.oids.nameOf(oid);
        return named?.kind === 'proc' ? named.name : undefined;
      },
    };
    this.env = { ctx, cache, names: this.names, serverVersion, setSetting };
  }

  run(q: CQuery): CatalogResult {
    return this.query(q, undefined, new Map());
  }

  // ------------------------------------------------------------ queries

  private query(q: CQuery, parent: Scope | undefined, outerCtes: ReadonlyMap<string, CatalogResult>): CatalogResult {
    let ctes = outerCtes;
    if (q.with.length > 0) {
      const m = new Map(outerCtes);
      for (const w of q.with) m.set(w.name, this.query(w.q, parent, m));
      ctes = m;
    }
    // ORDER BY may read input columns of a plain SELECT: evaluate it with its sort keys.
    if (q.body.k === 'select' && q.orderBy.length > 0) {
      const { result, keys } = this.select(q.body, parent, ctes, q.orderBy.map((o) => o.e));
      const order = result.rows.map((_, i) => i);
      order.sort((a, b) => this.compareKeys(keys[a] as CValue[], keys[b] as CValue[], q.orderBy));
      return this.limit({ columns: result.columns, rows: order.map((i) => result.rows[i] as CValue[]) }, q, parent, ctes);
    }
    const result = this.body(q.body, parent, ctes);
    if (q.orderBy.length === 0) return this.limit(result, q, parent, ctes);
    const keys = result.rows.map((row) => q.orderBy.map((o) => this.outputKey(o.e, result, row)));
    const order = result.rows.map((_, i) => i);
    order.sort((a, b) => this.compareKeys(keys[a] as CValue[], keys[b] as CValue[], q.orderBy));
    return this.limit({ columns: result.columns, rows: order.map((i) => result.rows[i] as CValue[]) }, q, parent, ctes);
  }

  private compareKeys(a: readonly CValue[], b: readonly CValue[], orderBy: readonly OrderItem[]): number {
    for (let i = 0; i < orderBy.length; i++) {
      const o = orderBy[i] as OrderItem;
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      let c: number;
      if (x === null || y === null) {
        if (x === y) continue;
        // NULLs sort last ascending and first descending, unless told otherwise.
        const nullsFirst = o.nullsFirst ?? o.desc;
        c = x === null ? (nullsFirst ? -1 : 1) : (nullsFirst ? 1 : -1);
        if (c !== 0) return c;
        continue;
      }
      c = compareValues(x, y);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  }

  /** An ORDER BY key over a result: an output column by position or name. */
  private outputKey(e: CExpr, result: CatalogResult, row: readonly CValue[]): CValue {
    if (e.k === 'lit' && typeof e.v === 'number') return row[e.v - 1] ?? null;
    if (e.k === 'col' && e.parts.length === 1) {
      const i = result.columns.findIndex((c) => c.name === e.parts[0]);
      if (i >= 0) return row[i] ?? null;
    }
    throw new SqlError(SqlState.featureNotSupported, 'ORDER BY of a set operation must name an output column');
  }

  private limit(r: CatalogResult, q: CQuery, parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>): CatalogResult {
    if (q.limit === undefined && q.offset === undefined) return r;
    const scope = emptyScope(parent, ctes);
    const offset = q.offset === undefined ? 0 : toNumber(this.expr(q.offset, scope), 'int8');
    const limit = q.limit === undefined ? undefined : this.expr(q.limit, scope);
    const rows = r.rows.slice(offset, limit === null || limit === undefined ? undefined : offset + toNumber(limit, 'int8'));
    return { columns: r.columns, rows };
  }

  private body(b: CBody, parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>): CatalogResult {
    switch (b.k) {
      case 'query': return this.query(b, parent, ctes);
      case 'select': return this.select(b, parent, ctes, []).result;
      case 'values': {
        const scope = emptyScope(parent, ctes);
        const rows = b.rows.map((r) => r.map((e) => this.expr(e, scope)));
        const first = b.rows[0] ?? [];
        return { columns: first.map((e, i) => ({ name: `column${i + 1}`, type: this.typeOf(e, scope) })), rows };
      }
      case 'setop': {
        const l = this.body(b.l, parent, ctes);
        const r = this.body(b.r, parent, ctes);
        if (l.columns.length !== r.columns.length) {
          throw new SqlError(SqlState.syntaxError, `each ${b.op.toUpperCase()} query must have the same number of columns`);
        }
        const key = (row: readonly CValue[]): string => JSON.stringify(row);
        let rows: (readonly CValue[])[];
        if (b.op === 'union') rows = [...l.rows, ...r.rows];
        else {
          const right = new Set(r.rows.map(key));
          rows = l.rows.filter((row) => (b.op === 'intersect' ? right.has(key(row)) : !right.has(key(row))));
        }
        if (!b.all) {
          const seen = new Set<string>();
          rows = rows.filter((row) => {
            const k = key(row);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        }
        const columns = l.columns.map((c, i) => (c.type === 'unknown' ? { name: c.name, type: r.columns[i]?.type ?? 'text' } : c));
        return { columns, rows };
      }
    }
  }

  private select(
    s: CSelect, parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>, orderKeys: readonly CExpr[],
  ): { result: CatalogResult; keys: CValue[][] } {
    const rel = this.fromList(s.from, parent, ctes);
    const scope: Scope = { cols: rel.cols, lenient: rel.lenient, row: [], parent, ctes };
    let rows = rel.rows;
    if (s.where !== undefined) {
      const where = s.where;
      rows = rows.filter((row) => {
        scope.row = row;
        return truthy(this.expr(where, scope)) === true;
      });
    }
    const items = this.expandItems(s.items, rel);
    const windows = items.flatMap((it) => windowCalls(it.e as CExpr));
    if (windows.length > 0) this.computeWindows(windows, rows, scope);
    const columns = items.map((it, i) => ({ name: it.alias ?? this.columnName(it.e as CExpr, i), type: this.typeOf(it.e as CExpr, scope) }));
    const outputs: CValue[][] = [];
    const keys: CValue[][] = [];
    const grouped = s.groupBy.length > 0 || s.having !== undefined || items.some((it) => hasAggregate(it.e as CExpr));
    const emit = (): void => {
      const out = items.map((it) => this.expr(it.e as CExpr, scope));
      outputs.push(out);
      keys.push(orderKeys.map((e) => this.orderKey(e, columns, out, scope)));
    };
    if (grouped) {
      const groups = new Map<string, CValue[][]>();
      for (const row of rows) {
        scope.row = row;
        const k = JSON.stringify(s.groupBy.map((e) => this.expr(e, scope)));
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = []));
        g.push(row);
      }
      if (groups.size === 0 && s.groupBy.length === 0) groups.set('', []);
      for (const g of groups.values()) {
        scope.row = g[0] ?? rel.cols.map(() => null);
        scope.group = g;
        if (s.having === undefined || truthy(this.expr(s.having, scope)) === true) emit();
      }
      scope.group = undefined;
    } else {
      for (const row of rows) {
        scope.row = row;
        emit();
      }
    }
    if (s.distinct) {
      const seen = new Set<string>();
      const kept: number[] = [];
      outputs.forEach((o, i) => {
        const k = JSON.stringify(o);
        if (!seen.has(k)) {
          seen.add(k);
          kept.push(i);
        }
      });
      return { result: { columns, rows: kept.map((i) => outputs[i] as CValue[]) }, keys: kept.map((i) => keys[i] as CValue[]) };
    }
    return { result: { columns, rows: outputs }, keys };
  }

  /** Evaluates window functions over the filtered input rows, per partition in window order. */
  private computeWindows(calls: readonly Extract<CExpr, { k: 'call' }>[], rows: readonly CValue[][], scope: Scope): void {
    for (const call of calls) {
      const spec = call.over as NonNullable<typeof call.over>;
      const partitions = new Map<string, { row: CValue[]; keys: CValue[] }[]>();
      for (const row of rows) {
        scope.row = row;
        const k = JSON.stringify(spec.partitionBy.map((e) => this.expr(e, scope)));
        let part = partitions.get(k);
        if (part === undefined) partitions.set(k, (part = []));
        part.push({ row, keys: spec.orderBy.map((o) => this.expr(o.e, scope)) });
      }
      const values = new Map<readonly CValue[], CValue>();
      for (const part of partitions.values()) {
        part.sort((a, b) => this.compareKeys(a.keys, b.keys, spec.orderBy));
        let rank = 0;
        let dense = 0;
        part.forEach((entry, i) => {
          const tie = i > 0 && this.compareKeys((part[i - 1] as { keys: CValue[] }).keys, entry.keys, spec.orderBy) === 0;
          if (!tie) {
            rank = i + 1;
            dense++;
          }
          switch (call.name) {
            case 'row_number': values.set(entry.row, i + 1); break;
            case 'rank': values.set(entry.row, rank); break;
            case 'dense_rank': values.set(entry.row, dense); break;
            default: {
              const agg = aggregateFunctions.get(call.name);
              if (agg === undefined) throw new SqlError(SqlState.featureNotSupported, `window function ${call.name} is not supported in catalog queries`);
              // Without ORDER BY the frame is the whole partition; with it, the rows up to this one.
              const frame = spec.orderBy.length === 0 ? part : part.slice(0, i + 1);
              const args = frame.map((f) => {
                scope.row = f.row;
                return call.star ? [1] : call.args.map((a) => this.expr(a, scope));
              });
              values.set(entry.row, agg.call(args, call.distinct));
            }
          }
        });
      }
      this.windowValues.set(call, values);
    }
  }

  /** ORDER BY key of a SELECT: an output position, an output name, or an expression over the input row. */
  private orderKey(e: CExpr, columns: readonly CatalogColumnOut[], out: readonly CValue[], scope: Scope): CValue {
    if (e.k === 'lit' && typeof e.v === 'number') {
      if (e.v < 1 || e.v > out.length) throw new SqlError('42P10', `ORDER BY position ${e.v} is not in select list`);
      return out[e.v - 1] ?? null;
    }
    if (e.k === 'col' && e.parts.length === 1) {
      const i = columns.findIndex((c) => c.name === e.parts[0]);
      if (i >= 0) return out[i] ?? null;
    }
    return this.expr(e, scope);
  }

  private expandItems(items: readonly SelectItem[], rel: Rel): { e: CExpr; alias?: string }[] {
    const out: { e: CExpr; alias?: string }[] = [];
    for (const it of items) {
      if (it.e.k === 'star') {
        const table = it.e.table;
        const cols = rel.cols.filter((c) => !c.hidden && (table === undefined || c.table === table));
        if (table !== undefined && cols.length === 0 && !rel.lenient.has(table)) {
          throw new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${table}"`);
        }
        for (const c of cols) out.push({ e: { k: 'col', parts: c.table === undefined ? [c.name] : [c.table, c.name] }, alias: c.name });
      } else out.push(it.alias === undefined ? { e: it.e } : { e: it.e, alias: it.alias });
    }
    return out;
  }

  /** PostgreSQL's name for an unaliased output column. */
  private columnName(e: CExpr, _i: number): string {
    switch (e.k) {
      case 'col': return e.parts[e.parts.length - 1] as string;
      case 'call': return e.name;
      case 'cast': return e.e.k === 'lit' ? castName(e.type) : this.columnName(e.e, _i);
      case 'case': return 'case';
      case 'arrayq': case 'array': return 'array';
      case 'exists': return 'exists';
      case 'subquery': {
        const b = e.q.body;
        if (b.k === 'select' && b.items[0] !== undefined) {
          const first = b.items[0];
          if (first.alias !== undefined) return first.alias;
          if (first.e.k !== 'star') return this.columnName(first.e, 0);
        }
        return '?column?';
      }
      default: return '?column?';
    }
  }

  // ------------------------------------------------------------ FROM

  private fromList(items: readonly CFrom[], parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>): Rel {
    let rel: Rel = { cols: [], rows: [[]], lenient: new Set() };
    for (const item of items) rel = crossJoin(rel, this.fromItem(item, parent, ctes));
    return rel;
  }

  private fromItem(item: CFrom, parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>): Rel {
    switch (item.k) {
      case 'table': {
        const cte = item.schema === undefined ? ctes.get(item.name) : undefined;
        const alias = item.alias ?? item.name;
        if (cte !== undefined) return resultRel(cte, alias);
        const found = findCatalogTable(item.schema, item.name);
        if (found === undefined) {
          const shown = item.schema === undefined ? item.name : `${item.schema}.${item.name}`;
          throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`);
        }
        const cols: Col[] = found.table.columns.map(([name, type]) => ({ table: alias, name, type }));
        cols.push({ table: alias, name: 'tableoid', type: 'oid', hidden: true });
        const tableOid = CATALOG_RELATION_OIDS[item.name] ?? this.ctx.oids.oid('catalog', item.name);
        const rows = found.table.rows(this.ctx, this.cache).map((r) => [...r, tableOid]);
        return { cols, rows, lenient: found.table.lenient ? new Set([alias]) : new Set() };
      }
      case 'sub': {
        const r = this.query(item.q, parent, ctes);
        const renamed = item.columns === undefined ? r : { columns: r.columns.map((c, i) => ({ name: item.columns?.[i] ?? c.name, type: c.type })), rows: r.rows };
        return resultRel(renamed, item.alias);
      }
      case 'func': {
        const call = item.call;
        if (call.k !== 'call') throw new SqlError(SqlState.syntaxError, 'expected a function call in FROM');
        const scope = emptyScope(parent, ctes);
        const args = call.args.map((a) => this.expr(a, scope));
        const fn = tableFunction(call.name, args, call.args.map((a) => this.typeOf(a, scope)));
        const alias = item.alias ?? call.name;
        const colName = item.columns?.[0] ?? alias;
        return { cols: [{ table: alias, name: colName, type: fn.type }], rows: fn.rows, lenient: new Set() };
      }
      case 'join': {
        const l = this.fromItem(item.l, parent, ctes);
        const r = this.fromItem(item.r, parent, ctes);
        const cols = [...l.cols, ...r.cols];
        const lenient = new Set([...l.lenient, ...r.lenient]);
        const scope: Scope = { cols, lenient, row: [], parent, ctes };
        const on = item.on;
        const using = item.using;
        const matches = (row: CValue[]): boolean => {
          if (item.type === 'cross') return true;
          scope.row = row;
          if (on !== undefined) return truthy(this.expr(on, scope)) === true;
          return (using ?? []).every((name) => {
            const li = l.cols.findIndex((c) => c.name === name);
            const ri = r.cols.findIndex((c) => c.name === name);
            if (li < 0 || ri < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist`);
            const a = row[li] ?? null;
            const b = row[l.cols.length + ri] ?? null;
            return a !== null && b !== null && compareValues(a, b) === 0;
          });
        };
        const rows: CValue[][] = [];
        const rightMatched = new Set<number>();
        const nullsL = l.cols.map(() => null);
        const nullsR = r.cols.map(() => null);
        for (const lr of l.rows) {
          let any = false;
          r.rows.forEach((rr, j) => {
            const row = [...lr, ...rr];
            if (matches(row)) {
              rows.push(row);
              any = true;
              rightMatched.add(j);
            }
          });
          if (!any && (item.type === 'left' || item.type === 'full')) rows.push([...lr, ...nullsR]);
        }
        if (item.type === 'right' || item.type === 'full') {
          r.rows.forEach((rr, j) => {
            if (!rightMatched.has(j)) rows.push([...nullsL, ...rr]);
          });
        }
        return { cols, rows, lenient };
      }
    }
  }

  // ------------------------------------------------------------ names

  private resolve(e: Extract<CExpr, { k: 'col' }>, scope: Scope): Resolved {
    const cached = this.resolved.get(e);
    if (cached !== undefined) return cached;
    const parts = e.parts.length > 2 ? e.parts.slice(-2) : e.parts;
    const name = parts[parts.length - 1] as string;
    const table = parts.length === 2 ? parts[0] : undefined;
    let depth = 0;
    let found: Resolved | undefined;
    for (let s: Scope | undefined = scope; s !== undefined && found === undefined; s = s.parent, depth++) {
      const hits: number[] = [];
      s.cols.forEach((c, i) => {
        if (c.name === name && (table === undefined || c.table === table)) hits.push(i);
      });
      if (hits.length > 1 && table === undefined) {
        throw new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`);
      }
      if (hits.length >= 1) found = { depth, index: hits[0] as number, type: (s.cols[hits[0] as number] as Col).type };
      else if (table !== undefined && s.lenient.has(table)) found = { lenient: true };
    }
    if (found === undefined) {
      if (table === undefined && scope.lenient.size > 0) found = { lenient: true };
      else throw undefinedColumn(e.parts);
    }
    this.resolved.set(e, found);
    return found;
  }

  private column(e: Extract<CExpr, { k: 'col' }>, scope: Scope): CValue {
    const r = this.resolve(e, scope);
    if ('lenient' in r) return null;
    let s: Scope = scope;
    for (let i = 0; i < r.depth; i++) s = s.parent as Scope;
    return s.row[r.index] ?? null;
  }

  // ------------------------------------------------------------ types

  typeOf(e: CExpr, scope: Scope): string {
    switch (e.k) {
      case 'lit': return e.type;
      case 'param': return 'text';
      case 'col': {
        const r = this.resolve(e, scope);
        return 'lenient' in r ? 'text' : r.type;
      }
      case 'call': {
        const argTypes = () => e.args.map((a) => this.typeOf(a, scope));
        if (e.over !== undefined && ['row_number', 'rank', 'dense_rank'].includes(e.name)) return 'int8';
        const agg = aggregateFunctions.get(e.name);
        if (agg !== undefined) return typeof agg.ret === 'string' ? agg.ret : agg.ret(argTypes());
        const fn = scalarFunctions.get(e.name);
        if (fn === undefined) return 'text';
        return typeof fn.ret === 'string' ? fn.ret : fn.ret(argTypes());
      }
      case 'unary': return e.op === 'not' ? 'bool' : this.typeOf(e.e, scope);
      case 'bin': {
        if (['+', '-', '*', '/', '%'].includes(e.op)) {
          const l = this.typeOf(e.l, scope);
          const r = this.typeOf(e.r, scope);
          if (l === 'float8' || r === 'float8' || l === 'float4' || r === 'float4') return 'float8';
          if (l === 'numeric' || r === 'numeric') return 'numeric';
          if (l === 'int8' || r === 'int8') return 'int8';
          return isNumericType(l) ? 'int4' : l;
        }
        if (e.op === '||') {
          const l = this.typeOf(e.l, scope);
          return l.endsWith('[]') ? l : 'text';
        }
        return 'bool';
      }
      case 'isnull': case 'istruth': case 'distinct': case 'in': case 'between': case 'any': case 'exists': return 'bool';
      case 'case': {
        for (const [, v] of e.whens) {
          const ty = this.typeOf(v, scope);
          if (ty !== 'unknown') return ty;
        }
        return e.else === undefined ? 'text' : this.typeOf(e.else, scope);
      }
      case 'cast': return e.type;
      case 'subquery': {
        const r = this.subqueryShape(e.q, scope);
        return r.columns[0]?.type ?? 'text';
      }
      case 'arrayq': {
        const r = this.subqueryShape(e.q, scope);
        return `${r.columns[0]?.type ?? 'text'}[]`;
      }
      case 'array': {
        const first = e.items[0];
        const ty = first === undefined ? 'text' : this.typeOf(first, scope);
        return `${ty === 'unknown' ? 'text' : ty}[]`;
      }
      case 'subscript': {
        const ty = this.typeOf(e.e, scope);
        if (ty === 'int2vector') return 'int2';
        if (ty === 'oidvector') return 'oid';
        return ty.endsWith('[]') ? ty.slice(0, -2) : 'text';
      }
      case 'field': return 'text';
    }
  }

  /** The columns of a subquery, for typing: evaluated with the outer row unset. */
  private subqueryShape(q: CQuery, scope: Scope): CatalogResult {
    const saved = scope.row;
    try {
      if (scope.row.length === 0) scope.row = scope.cols.map(() => null);
      return this.query(q, scope, scope.ctes);
    } catch {
      // Typing must not fail where evaluation would not run (a subquery over no rows).
      return { columns: [], rows: [] };
    } finally {
      scope.row = saved;
    }
  }

  // ------------------------------------------------------------ expressions

  private expr(e: CExpr, scope: Scope): CValue {
    switch (e.k) {
      case 'lit': return e.v;
      case 'param': {
        if (e.index < 1 || e.index > this.params.length) {
          throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${e.index}`);
        }
        return this.params[e.index - 1] ?? null;
      }
      case 'col': return this.column(e, scope);
      case 'call': return this.call(e, scope);
      case 'unary': {
        const v = this.expr(e.e, scope);
        if (v === null) return null;
        if (e.op === 'not') return !truthy(v);
        return e.op === '-' ? -toNumber(v, 'numeric') : toNumber(v, 'numeric');
      }
      case 'bin': return this.binary(e, scope);
      case 'isnull': {
        const v = this.expr(e.e, scope);
        return (v === null) !== e.not;
      }
      case 'istruth': {
        const v = truthy(this.expr(e.e, scope));
        return (v === e.value) !== e.not;
      }
      case 'distinct': {
        const a = this.expr(e.l, scope);
        const b = this.expr(e.r, scope);
        const same = a === null || b === null ? a === b : compareValues(a, b) === 0;
        return same === e.not;
      }
      case 'in': {
        const v = this.expr(e.e, scope);
        const candidates = e.query !== undefined
          ? this.query(e.query, scope, scope.ctes).rows.map((r) => r[0] ?? null)
          : (e.list ?? []).map((x) => this.expr(x, scope));
        return this.anyOf('=', v, candidates, false, e.not);
      }
      case 'between': {
        const v = this.expr(e.e, scope);
        const lo = this.expr(e.lo, scope);
        const hi = this.expr(e.hi, scope);
        if (v === null || lo === null || hi === null) return null;
        const inside = compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
        return inside !== e.not;
      }
      case 'any': {
        const v = this.expr(e.l, scope);
        let candidates: readonly CValue[];
        if (e.query !== undefined) candidates = this.query(e.query, scope, scope.ctes).rows.map((r) => r[0] ?? null);
        else {
          const arr = this.expr(e.r as CExpr, scope);
          if (arr === null) return null;
          candidates = Array.isArray(arr) ? arr : parseArrayText(textOf(arr));
        }
        return this.anyOf(e.op, v, candidates, e.all, false);
      }
      case 'case': {
        if (e.operand !== undefined) {
          const v = this.expr(e.operand, scope);
          for (const [w, r] of e.whens) {
            const x = this.expr(w, scope);
            if (v !== null && x !== null && compareValues(v, x) === 0) return this.expr(r, scope);
          }
        } else {
          for (const [w, r] of e.whens) if (truthy(this.expr(w, scope)) === true) return this.expr(r, scope);
        }
        return e.else === undefined ? null : this.expr(e.else, scope);
      }
      case 'cast': return this.cast(this.expr(e.e, scope), this.typeOf(e.e, scope), e.type);
      case 'subquery': {
        const r = this.query(e.q, scope, scope.ctes);
        if (r.rows.length > 1) throw new SqlError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression');
        return r.rows[0]?.[0] ?? null;
      }
      case 'exists': return this.query(e.q, scope, scope.ctes).rows.length > 0;
      case 'arrayq': return this.query(e.q, scope, scope.ctes).rows.map((r) => r[0] ?? null);
      case 'array': return e.items.map((x) => this.expr(x, scope));
      case 'subscript': {
        const arr = this.expr(e.e, scope);
        const i = this.expr(e.index, scope);
        if (arr === null || i === null) return null;
        const items = Array.isArray(arr) ? arr : parseArrayText(textOf(arr));
        // int2vector and oidvector are 0-based; other arrays 1-based.
        const ty = this.typeOf(e.e, scope);
        const base = ty === 'int2vector' || ty === 'oidvector' ? 0 : 1;
        return items[toNumber(i, 'int4') - base] ?? null;
      }
      case 'field':
        throw new SqlError(SqlState.featureNotSupported, `field selection ".${e.name}" is not supported in catalog queries`);
    }
  }

  private anyOf(op: string, v: CValue, candidates: readonly CValue[], all: boolean, negate: boolean): CValue {
    if (v === null) return candidates.length === 0 ? negate !== all ? true : all : null;
    let sawNull = false;
    let result = all;
    for (const c of candidates) {
      if (c === null) {
        sawNull = true;
        continue;
      }
      const hit = comparison(op, compareValues(v, c));
      if (all && !hit) {
        result = false;
        break;
      }
      if (!all && hit) {
        result = true;
        break;
      }
    }
    if (result === all && sawNull) return null;
    return result !== negate;
  }

  private binary(e: Extract<CExpr, { k: 'bin' }>, scope: Scope): CValue {
    if (e.op === 'and') {
      const l = truthy(this.expr(e.l, scope));
      if (l === false) return false;
      const r = truthy(this.expr(e.r, scope));
      if (r === false) return false;
      return l === null || r === null ? null : true;
    }
    if (e.op === 'or') {
      const l = truthy(this.expr(e.l, scope));
      if (l === true) return true;
      const r = truthy(this.expr(e.r, scope));
      if (r === true) return true;
      return l === null || r === null ? null : false;
    }
    const l = this.expr(e.l, scope);
    const r = this.expr(e.r, scope);
    if (l === null || r === null) return null;
    switch (e.op) {
      case '=': case '<>': case '<': case '>': case '<=': case '>=': {
        // A name compared with a regclass or regtype literal compares OIDs.
        return comparison(e.op, compareValues(l, r));
      }
      case '+': case '-': case '*': case '/': case '%': {
        const a = toNumber(l, 'numeric');
        const b = toNumber(r, 'numeric');
        const integral = Number.isInteger(a) && Number.isInteger(b) && this.typeOf(e, scope).startsWith('int');
        switch (e.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/':
            if (b === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
            return integral ? Math.trunc(a / b) : a / b;
          default:
            if (b === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
            return a % b;
        }
      }
      case '||':
        if (Array.isArray(l) || Array.isArray(r)) return [...(Array.isArray(l) ? l : [l]), ...(Array.isArray(r) ? r : [r])];
        return textOf(l) + textOf(r);
      case '~': return matchRegex(textOf(l), textOf(r), false);
      case '!~': return !matchRegex(textOf(l), textOf(r), false);
      case '~*': return matchRegex(textOf(l), textOf(r), true);
      case '!~*': return !matchRegex(textOf(l), textOf(r), true);
      case 'like': return matchLike(textOf(l), textOf(r), false);
      case 'not like': return !matchLike(textOf(l), textOf(r), false);
      case 'ilike': return matchLike(textOf(l), textOf(r), true);
      case 'not ilike': return !matchLike(textOf(l), textOf(r), true);
      case '@>': case '<@': case '&&': {
        const a = Array.isArray(l) ? l : parseArrayText(textOf(l));
        const b = Array.isArray(r) ? r : parseArrayText(textOf(r));
        const has = (xs: readonly CValue[], y: CValue): boolean => xs.some((x) => x !== null && y !== null && compareValues(x, y) === 0);
        if (e.op === '@>') return b.every((y) => has(a, y));
        if (e.op === '<@') return a.every((x) => has(b, x));
        return a.some((x) => has(b, x));
      }
      default:
        throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${e.op}`);
    }
  }

  private call(e: Extract<CExpr, { k: 'call' }>, scope: Scope): CValue {
    if (e.over !== undefined) return this.windowValues.get(e)?.get(scope.row) ?? null;
    const agg = aggregateFunctions.get(e.name);
    if (agg !== undefined) {
      const group = scope.group;
      if (group === undefined) throw new SqlError(SqlState.groupingError, `aggregate function ${e.name} called outside a grouped query`);
      const saved = scope.row;
      const rows = group.map((row) => {
        scope.row = row;
        return e.star ? [1] : e.args.map((a) => this.expr(a, scope));
      });
      scope.row = saved;
      return agg.call(rows, e.distinct);
    }
    const fn = scalarFunctions.get(e.name);
    if (fn === undefined) {
      throw new SqlError(SqlState.undefinedFunction, `function ${e.name}(${e.args.map((a) => this.typeOf(a, scope)).join(', ')}) does not exist`, {
        hint: 'No function matches the given name and argument types.',
      });
    }
    const args = e.args.map((a) => this.expr(a, scope));
    if (fn.strict && args.some((a) => a === null)) return null;
    return fn.call(args, this.env);
  }

  private cast(v: CValue, from: string, to: string): CValue {
    if (v === null) return null;
    if (to.endsWith('[]')) return Array.isArray(v) ? v : parseArrayText(textOf(v));
    switch (to) {
      case 'text': case 'varchar': case 'name': case 'bpchar': case 'char': case 'unknown':
        if (typeof v === 'number' && from === 'regclass') return this.names.relationName(v) ?? String(v);
        if (typeof v === 'number' && from === 'regtype') return this.names.typeName(v) ?? String(v);
        if (typeof v === 'number' && from === 'regnamespace') return this.names.namespaceName(v) ?? String(v);
        if (typeof v === 'boolean') return v ? 'true' : 'false';
        return textOf(v);
      case 'bool': return truthy(v);
      case 'int2': case 'int4': case 'int8': case 'oid': case 'xid': {
        const n = toNumber(v, to);
        return Math.trunc(n);
      }
      case 'float4': case 'float8': case 'numeric': return toNumber(v, to);
      case 'regclass': return typeof v === 'number' ? v : this.relationOid(textOf(v));
      case 'regtype': {
        if (typeof v === 'number') return v;
        const name = textOf(v).replace(/^pg_catalog\./, '');
        const t = builtinTypeByName.get(name) ?? [...builtinTypeByOid.values()].find((b) => b.display === name);
        if (t === undefined) throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
        return t.oid;
      }
      case 'regnamespace': {
        if (typeof v === 'number') return v;
        const name = textOf(v);
        const oid = name === 'pg_catalog' ? 11 : name === 'public' ? 2200 : name === 'information_schema' ? 13000 : undefined;
        if (oid === undefined) throw new SqlError(SqlState.undefinedObject, `schema "${name}" does not exist`);
        return oid;
      }
      case 'regproc': case 'regprocedure':
        return typeof v === 'number' ? v : this.ctx.oids.oid('proc', textOf(v).replace(/^pg_catalog\./, '').replace(/\(.*$/, ''));
      case 'regrole':
        return typeof v === 'number' ? v : 10;
      default:
        return v;
    }
  }

  private relationOid(text: string): number {
    const parts = text.split('.').map((p) => (p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
    const name = parts[parts.length - 1] as string;
    const schema = parts.length > 1 ? parts[0] : undefined;
    const rel = this.cache.relations().find((r) => r.name === name && (schema === undefined || namespaceName(r.namespace) === schema));
    if (rel) return rel.oid;
    const known = CATALOG_RELATION_OIDS[name];
    if (known !== undefined && (schema === undefined || schema === 'pg_catalog')) return known;
    if (findCatalogTable(schema ?? 'pg_catalog', name) !== undefined) return this.ctx.oids.oid('catalog', name);
    throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
  }
}

function comparison(op: string, c: number): boolean {
  switch (op) {
    case '=': return c === 0;
    case '<>': return c !== 0;
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
    default: throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${op}`);
  }
}

function hasAggregate(e: CExpr): boolean {
  switch (e.k) {
    case 'call': return (e.over === undefined && aggregateFunctions.has(e.name)) || e.args.some(hasAggregate);
    case 'unary': case 'isnull': case 'istruth': case 'cast': case 'field': return hasAggregate(e.e);
    case 'bin': case 'distinct': return hasAggregate(e.l) || hasAggregate(e.r);
    case 'in': return hasAggregate(e.e) || (e.list ?? []).some(hasAggregate);
    case 'between': return hasAggregate(e.e) || hasAggregate(e.lo) || hasAggregate(e.hi);
    case 'any': return hasAggregate(e.l) || (e.r !== undefined && hasAggregate(e.r));
    case 'case': return (e.operand !== undefined && hasAggregate(e.operand)) || e.whens.some(([w, r]) => hasAggregate(w) || hasAggregate(r)) || (e.else !== undefined && hasAggregate(e.else));
    case 'array': return e.items.some(hasAggregate);
    case 'subscript': return hasAggregate(e.e) || hasAggregate(e.index);
    default: return false;
  }
}

/** Window function calls in an expression (not inside subqueries). */
function windowCalls(e: CExpr): Extract<CExpr, { k: 'call' }>[] {
  switch (e.k) {
    case 'call': return [...(e.over !== undefined ? [e] : []), ...e.args.flatMap(windowCalls)];
    case 'unary': case 'isnull': case 'istruth': case 'cast': case 'field': return windowCalls(e.e);
    case 'bin': case 'distinct': return [...windowCalls(e.l), ...windowCalls(e.r)];
    case 'case': return [
      ...(e.operand !== undefined ? windowCalls(e.operand) : []),
      ...e.whens.flatMap(([w, r]) => [...windowCalls(w), ...windowCalls(r)]),
      ...(e.else !== undefined ? windowCalls(e.else) : []),
    ];
    default: return [];
  }
}

function crossJoin(a: Rel, b: Rel): Rel {
  const rows: CValue[][] = [];
  for (const x of a.rows) for (const y of b.rows) rows.push([...x, ...y]);
  return { cols: [...a.cols, ...b.cols], rows, lenient: new Set([...a.lenient, ...b.lenient]) };
}

function resultRel(r: CatalogResult, alias: string): Rel {
  return { cols: r.columns.map((c) => ({ table: alias, name: c.name, type: c.type })), rows: r.rows.map((row) => [...row]), lenient: new Set() };
}

function emptyScope(parent: Scope | undefined, ctes: ReadonlyMap<string, CatalogResult>): Scope {
  return { cols: [], lenient: new Set(), row: [], parent, ctes };
}

function castName(type: string): string {
  const names: Record<string, string> = { int4: 'int4', int8: 'int8', text: 'text', regclass: 'regclass', oid: 'oid', bool: 'bool' };
  return names[type] ?? type.replace(/\[\]$/, '');
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
