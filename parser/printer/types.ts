// Printing of type names (CAST targets, column types) and interval qualifiers.

import type { IntervalQualifier, TypeName } from '../ast/index.js';
import { isReservedWord, printName, quoteIdent } from './identifiers.js';

/** `YEAR`, `DAY TO SECOND`, `SECOND(3)`, `MINUTE(2) TO SECOND(3)`. */
export function printIntervalQualifier(q: IntervalQualifier): string {
  let out = q.from + (q.fromPrecision === undefined ? '' : `(${q.fromPrecision})`);
  if (q.to !== undefined) out += ` TO ${q.to}${q.toPrecision === undefined ? '' : `(${q.toPrecision})`}`;
  return out;
}

// A base type name is stored upper-cased when written bare and as written
// when quoted, so only an upper-case word that is not reserved prints bare;
// INTERVAL is reserved but has its own rule in the grammar.
function printBaseTypeName(name: string): string {
  if (name === 'INTERVAL') return name;
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) && !isReservedWord(name) ? name : quoteIdent(name);
}

/**
 * A type as written, in the canonical spelling the parser folded it to:
 * `VARCHAR(10)`, `DECIMAL(10, 2)`, `INTERVAL DAY TO SECOND(3)`, `ARRAY<INT>`,
 * `MAP<STRING, INT>`, `ROW<a INT, b STRING NOT NULL>`.
 */
export function printTypeName(t: TypeName): string {
  let out: string;
  if (t.fields !== undefined) {
    out = `${t.name}<${t.fields.map((f) => `${printName(f.name)} ${printTypeName(f.type)}`).join(', ')}>`;
  } else if (t.element !== undefined && t.mapValue !== undefined) {
    out = `${t.name}<${printTypeName(t.element)}, ${printTypeName(t.mapValue)}>`;
  } else if (t.element !== undefined) {
    out = `${t.name}<${printTypeName(t.element)}>`;
  } else {
    out = printBaseTypeName(t.name);
    if (t.args.length > 0) out += `(${t.args.join(', ')})`;
    if (t.interval !== undefined) out += ` ${printIntervalQualifier(t.interval)}`;
  }
  if (t.notNull === true) out += ' NOT NULL';
  return out;
}
