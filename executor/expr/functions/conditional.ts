// Conditional functions: COALESCE (IFNULL, NVL), NULLIF, IF, GREATEST, LEAST; arrays, rows, item access.

import type { Value } from '../../../common/value.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { comparatorFor, equalsFor } from './comparison.js';
import { strict1, strict2 } from './table.js';

function coalesce(site: CallSite): Evaluator {
  const evals = site.evals;
  if (evals.length === 2) {
    const [a, b] = evals as [Evaluator, Evaluator];
    return (row) => {
      const x = a(row);
      return x !== null ? x : b(row);
    };
  }
  const n = evals.length;
  return (row) => {
    for (let i = 0; i < n; i++) {
      const v = evals[i]!(row);
      if (v !== null) return v;
    }
    return null;
  };
}

function nullif(site: CallSite): Evaluator {
  const eq = equalsFor(site.args[0]!.type);
  const [a, b] = site.evals as [Evaluator, Evaluator];
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    return y !== null && eq(x, y) ? null : x;
  };
}

function ifFn(site: CallSite): Evaluator {
  const [c, a, b] = site.evals as [Evaluator, Evaluator, Evaluator];
  return (row) => (c(row) === true ? a(row) : b(row));
}

/** GREATEST / LEAST: NULL if any argument is NULL (Flink). */
function extreme(sign: 1 | -1) {
  return (site: CallSite): Evaluator => {
    const cmp = comparatorFor(site.type);
    const evals = site.evals;
    const n = evals.length;
    return (row) => {
      let best: Value = null;
      for (let i = 0; i < n; i++) {
        const v = evals[i]!(row);
        if (v === null) return null;
        if (i === 0 || cmp(v, best) * sign > 0) best = v;
      }
      return best;
    };
  };
}

function arrayCtor(site: CallSite): Evaluator {
  const evals = site.evals;
  const n = evals.length;
  return (row) => {
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) out[i] = evals[i]!(row);
    return out;
  };
}

function item(site: CallSite): Evaluator {
  const container = site.args[0]!.type;
  if (container.kind === 'MAP') {
    const eq = equalsFor(container.key);
    return strict2(site, (m: ReadonlyMap<Value, Value>, k: Value) => {
      const direct = m.get(k);
      if (direct !== undefined) return direct;
      for (const [mk, mv] of m) if (mk !== null && eq(mk, k)) return mv;
      return null;
    });
  }
  return strict2(site, (a: readonly Value[], i: number) => (i >= 1 && i <= a.length ? (a[i - 1] as Value) : null));
}

function fieldAccess(site: CallSite): Evaluator {
  const idx = site.consts[1]?.value as number;
  const r = site.evals[0]!;
  return (row) => {
    const v = r(row) as readonly Value[] | null;
    return v === null ? null : (v[idx] ?? null);
  };
}

function arrayContains(site: CallSite): Evaluator {
  const eq = equalsFor(site.args[1]!.type);
  return strict2(site, (a: readonly Value[], x: Value) => {
    let sawNull = false;
    for (const v of a) {
      if (v === null) sawNull = true;
      else if (eq(v, x)) return true;
    }
    return sawNull ? null : false;
  });
}

export function registerConditional(t: FunctionTable): void {
  t.set('coalesce', coalesce);
  t.set('nullif', nullif);
  t.set('if', ifFn);
  t.set('greatest', extreme(1));
  t.set('least', extreme(-1));
  t.set('array', arrayCtor);
  t.set('row', arrayCtor);
  t.set('item', item);
  t.set('field_access', fieldAccess);
  t.set('cardinality', (s) => strict1(s, (a: readonly Value[] | ReadonlyMap<Value, Value>) => (a instanceof Map ? a.size : (a as readonly Value[]).length)));
  t.set('array_contains', arrayContains);
}
