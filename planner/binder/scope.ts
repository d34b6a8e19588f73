// Name scopes: the columns a FROM clause makes visible, with their qualifiers, and how names resolve in them.

import type { DataType, Schema } from '../../common/data-type.js';
import type { Span } from '../../parser/ast/node.js';
import { ambiguousColumn } from './errors-hints.js';

/** One column visible in a FROM clause. `index` is its position in the FROM clause's row. */
export interface ScopeColumn {
  readonly name: string;
  /** The FROM item's alias (or relation name); absent for USING/NATURAL merged columns. */
  readonly qualifier?: string;
  readonly index: number;
  readonly type: DataType;
  /**
   * False for the two side copies of a USING/NATURAL join column: they are still
   * reachable as `a.k` / `b.k`, but a bare `k` means the merged column.
   */
  readonly unqualified: boolean;
}

export type Lookup =
  | { readonly kind: 'found'; readonly column: ScopeColumn }
  | { readonly kind: 'none' }
  /** The qualifier names no FROM item here. */
  | { readonly kind: 'no-qualifier' };

/**
 * The columns of one FROM clause (or of a query's output, for ORDER BY over a set
 * operation). Lookups are by name; names are case-sensitive, the parser having
 * folded unquoted identifiers to lower case.
 */
export class Scope {
  /** Columns in row order. */
  readonly columns: readonly ScopeColumn[];
  /** What `*` expands to, in PostgreSQL's order (merged USING columns first). */
  readonly star: readonly ScopeColumn[];
  /** Per FROM item, its columns in declared order: what `t.*` expands to. */
  readonly tables: ReadonlyMap<string, readonly ScopeColumn[]>;

  constructor(columns: readonly ScopeColumn[], star: readonly ScopeColumn[], tables: ReadonlyMap<string, readonly ScopeColumn[]>) {
    this.columns = columns;
    this.star = star;
    this.tables = tables;
  }

  static empty(): Scope {
    return new Scope([], [], new Map());
  }

  /** A single FROM item whose row is `schema`, called `qualifier`, with column names `names`. */
  static forRelation(qualifier: string | undefined, names: readonly string[], schema: Schema): Scope {
    const columns: ScopeColumn[] = names.map((name, index) => ({
      name,
      index,
      type: (schema[index] as Schema[number]).type,
      unqualified: true,
      ...(qualifier === undefined ? {} : { qualifier }),
    }));
    const tables = new Map<string, readonly ScopeColumn[]>();
    if (qualifier !== undefined) tables.set(qualifier, columns);
    return new Scope(columns, columns, tables);
  }

  /** Resolves a bare column name. Throws 42702 when two visible columns share it. */
  resolveBare(name: string, span: Span | undefined): ScopeColumn | undefined {
    let hit: ScopeColumn | undefined;
    for (const c of this.columns) {
      if (!c.unqualified || c.name !== name) continue;
      if (hit !== undefined && hit.index !== c.index) throw ambiguousColumn(name, span);
      hit = c;
    }
    return hit;
  }

  /** Resolves `qualifier.name`. */
  resolveQualified(qualifier: string, name: string, span: Span | undefined): Lookup {
    const cols = this.tables.get(qualifier);
    if (cols === undefined) return { kind: 'no-qualifier' };
    let hit: ScopeColumn | undefined;
    for (const c of cols) {
      if (c.name !== name) continue;
      if (hit !== undefined && hit.index !== c.index) throw ambiguousColumn(`${qualifier}.${name}`, span);
      hit = c;
    }
    return hit === undefined ? { kind: 'none' } : { kind: 'found', column: hit };
  }

  /** Every column a hint may name, qualified where it has a qualifier. */
  candidates(): readonly { readonly qualifier?: string; readonly name: string }[] {
    return this.columns;
  }

  /** The same columns with row positions moved by `offset` (the right side of a join). */
  shifted(offset: number): Scope {
    if (offset === 0) return this;
    return this.mapColumns((c) => ({ ...c, index: c.index + offset }));
  }

  /** Each column replaced through `f` (called once per column), consistently in row order, `*` and per-item lists. */
  mapColumns(f: (c: ScopeColumn) => ScopeColumn): Scope {
    const map = new Map<ScopeColumn, ScopeColumn>();
    const get = (c: ScopeColumn): ScopeColumn => {
      let s = map.get(c);
      if (s === undefined) {
        s = f(c);
        map.set(c, s);
      }
      return s;
    };
    const tables = new Map<string, readonly ScopeColumn[]>();
    for (const [k, cols] of this.tables) tables.set(k, cols.map(get));
    return new Scope(this.columns.map(get), this.star.map(get), tables);
  }
}
