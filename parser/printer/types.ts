// Printing of type names (CAST targets, column types) and interval qualifiers.

import type { IntervalQualifier, TypeName } from '../ast/index.js';
import { quoteIdent } from './identifiers.js';

/** `YEAR`, `DAY TO SECOND`, `SECOND(3)`, `MINUTE(2) TO SECOND(3)`. */
export function printIntervalQualifier(q: IntervalQualifier): string {
  let out = q.from + (q.fromPrecision === undefined ? '' : `(${q.fromPrecision})`);
  if (q.to !== undefined) out += ` TO ${q.to}${q.toPrecision === undefined ? '' : `(${q.toPrecision})`}`;
  return out;
}

// A ROW field name is a plain string in the AST; bare when it folds to itself,
// quoted otherwise so that upper case or odd characters come back unchanged.
function printFieldName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}

/**
 * A type as written, in the canonical spelling the parser folded it to:
 * `VARCHAR(10)`, `DECIMAL(10, 2)`, `INTERVAL DAY TO SECOND(3)`, `ARRAY<INT>`,
 * `MAP<STRING, INT>`, `ROW<a INT, b STRING NOT NULL>`.
 */
export function printTypeName(t: TypeName): string {
  let out: string;
  if (t.fields !== undefined) {
    out = `${t.name}<${t.fields.map((f) => `${printFieldName(f.name)} ${printTypeName(f.type)}`).join(', ')}>`;
  } else if (t.element !== undefined && t.mapValue !== undefined) {
    out = `${t.name}<${printTypeName(t.element)}, ${printTypeName(t.mapValue)}>`;
  } else if (t.element !== undefined) {
    out = `${t.name}<${printTypeName(t.element)}>`;
  } else {
    out = t.name;
    if (t.args.length > 0) out += `(${t.args.join(', ')})`;
    if (t.interval !== undefined) out += ` ${printIntervalQualifier(t.interval)}`;
  }
  if (t.notNull === true) out += ' NOT NULL';
  return out;
}
