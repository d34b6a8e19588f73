// The relations a query reads, by name, for DROP's dependency checks.

import type { Query } from '../parser/ast/index.js';

/**
 * Names of the tables and views a query's FROM items name (CTE names
 * excluded), found by walking the whole AST so no clause is missed.
 */
export function referencedRelations(query: Query): string[] {
  const names = new Set<string>();
  const ctes = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const rec = node as Record<string, unknown>;
    if (rec['kind'] === 'Query') {
      const w = rec['with'] as { ctes?: { name: { value: string } }[] } | undefined;
      for (const c of w?.ctes ?? []) ctes.add(c.name.value);
    }
    if (rec['kind'] === 'NamedTable' || rec['kind'] === 'TableArg') {
      const parts = (rec['kind'] === 'NamedTable' ? rec['name'] : rec['table']) as { value: string }[];
      const last = parts[parts.length - 1];
      if (last) names.add(last.value);
    }
    for (const [k, v] of Object.entries(rec)) if (k !== 'span') visit(v);
  };
  visit(query);
  for (const c of ctes) names.delete(c);
  return [...names];
}
