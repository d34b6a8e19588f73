// The catalog: every table, view, materialized view and system table by name,
// with the dependencies that DROP checks.

import { SqlError, SqlState } from '../common/errors.js';
import type { CatalogReader, CatalogRelation } from '../planner/binder/catalog-reader.js';

/** A relation plus what the engine needs to keep about it. */
export interface CatalogEntry {
  readonly relation: CatalogRelation;
  /** The statement that created it, as written (SHOW CREATE, eddy_jobs). */
  readonly createSql: string;
  /** Names of the relations its query reads (views and materialized views). */
  readonly dependsOn: readonly string[];
}

export class Catalog implements CatalogReader {
  private readonly entries = new Map<string, CatalogEntry>();

  relation(name: string): CatalogRelation | undefined {
    return this.entries.get(name)?.relation;
  }

  relationNames(): readonly string[] {
    return [...this.entries.keys()];
  }

  entry(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }

  all(): IterableIterator<CatalogEntry> {
    return this.entries.values();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  add(entry: CatalogEntry): void {
    const name = entry.relation.name;
    if (this.entries.has(name)) {
      throw new SqlError(SqlState.duplicateObject, `relation "${name}" already exists`);
    }
    this.entries.set(name, entry);
  }

  remove(name: string): void {
    this.entries.delete(name);
  }

  /** Relations whose queries read `name`, directly. */
  dependents(name: string): string[] {
    const out: string[] = [];
    for (const e of this.entries.values()) if (e.dependsOn.includes(name)) out.push(e.relation.name);
    return out;
  }

  /** `name` and everything that depends on it transitively, dependents first (the order to drop them). */
  dropOrder(name: string): string[] {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      for (const d of this.dependents(n)) visit(d);
      order.push(n);
    };
    visit(name);
    return order;
  }
}
