// Every runtime function implementation, by registry name (the names BoundCall.fn carries).

import { registerArithmetic } from './arithmetic.js';
import { registerComparison } from './comparison.js';
import { registerConditional } from './conditional.js';
import { registerDatetime } from './datetime.js';
import { registerLogic } from './logic.js';
import { registerMath } from './math.js';
import { registerRegex } from './regex.js';
import { registerString } from './string.js';
import type { FunctionImpl, FunctionTable } from './table.js';

let table: FunctionTable | undefined;

/** The table of implementations, built on first use. */
export function functionTable(): ReadonlyMap<string, FunctionImpl> {
  if (table === undefined) {
    table = new Map();
    registerArithmetic(table);
    registerComparison(table);
    registerLogic(table);
    registerConditional(table);
    registerString(table);
    registerMath(table);
    registerDatetime(table);
    registerRegex(table);
  }
  return table;
}

export type { CallSite, EvalContext, Evaluator, FunctionImpl } from './table.js';
