// Boolean connectives and truth tests with SQL three-valued logic.

import type { Value } from '../../../common/value.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { strict1 } from './table.js';

/** AND: FALSE wins over NULL, NULL over TRUE; stops at the first FALSE. */
function and(site: CallSite): Evaluator {
  const evals = site.evals;
  if (evals.length === 2) {
    const [a, b] = evals as [Evaluator, Evaluator];
    return (row) => {
      const x = a(row);
      if (x === false) return false;
      const y = b(row);
      if (y === false) return false;
      return x === null || y === null ? null : true;
    };
  }
  const n = evals.length;
  return (row) => {
    let sawNull = false;
    for (let i = 0; i < n; i++) {
      const v = evals[i]!(row);
      if (v === false) return false;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : true;
  };
}

/** OR: TRUE wins over NULL, NULL over FALSE; stops at the first TRUE. */
function or(site: CallSite): Evaluator {
  const evals = site.evals;
  if (evals.length === 2) {
    const [a, b] = evals as [Evaluator, Evaluator];
    return (row) => {
      const x = a(row);
      if (x === true) return true;
      const y = b(row);
      if (y === true) return true;
      return x === null || y === null ? null : false;
    };
  }
  const n = evals.length;
  return (row) => {
    let sawNull = false;
    for (let i = 0; i < n; i++) {
      const v = evals[i]!(row);
      if (v === true) return true;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

function test(pred: (v: Value) => boolean) {
  return (site: CallSite): Evaluator => {
    const a = site.evals[0]!;
    return (row) => pred(a(row));
  };
}

export function registerLogic(t: FunctionTable): void {
  t.set('and', and);
  t.set('or', or);
  t.set('not', (s) => strict1(s, (x: boolean) => !x));
  t.set('is_true', test((v) => v === true));
  t.set('is_not_true', test((v) => v !== true));
  t.set('is_false', test((v) => v === false));
  t.set('is_not_false', test((v) => v !== false));
  t.set('is_unknown', test((v) => v === null));
  t.set('is_not_unknown', test((v) => v !== null));
  t.set('is_null', test((v) => v === null));
  t.set('is_not_null', test((v) => v !== null));
}
