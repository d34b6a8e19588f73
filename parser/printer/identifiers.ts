// Printing of the lexical atoms: identifiers, qualified names, string literals and option lists.

import type { Ident, OptionEntry, QualifiedName } from '../ast/index.js';

/**
 * An identifier as the parser saw it: bare when it was written bare (the
 * parser has already folded it to lower case, so the bare text folds back to
 * the same value), in double quotes with `"` doubled when it was quoted, so
 * that the `quoted` flag and any upper case survive a round trip.
 */
export function printIdent(id: Ident): string {
  return id.quoted ? quoteIdent(id.value) : id.value;
}

/** `"x"` with embedded double quotes doubled. */
export function quoteIdent(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** `a`, `s.t`, `cat.s.t`. */
export function printQualifiedName(name: QualifiedName): string {
  return name.map(printIdent).join('.');
}

/**
 * A function name prints in upper case when that folds back to the same
 * name (`count` -> `COUNT`), the way SQL is conventionally written; qualified
 * or quoted names print as identifiers.
 */
export function printFunctionName(name: QualifiedName): string {
  const only = name.length === 1 ? name[0] : undefined;
  if (only !== undefined && !only.quoted && /^[a-z_][a-z0-9_]*$/.test(only.value)) return only.value.toUpperCase();
  return printQualifiedName(name);
}

export function printIdentList(ids: readonly Ident[]): string {
  return ids.map(printIdent).join(', ');
}

// Control characters cannot be written raw without breaking the one-clause-a-line
// layout (a newline) or being invisible (a tab, a NUL), so only they force the
// escape-string form; everything else, including non-ASCII text, prints as is.
const CONTROL = /[\u0000-\u001f\u007f]/;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
  "'": "\\'",
};

/**
 * A string literal: `'it''s'`, or `E'a\nb'` when the text holds a control
 * character. In the `E` form backslash and quote are escaped with a backslash,
 * and control characters without a short escape become `\xHH`.
 */
export function printStringLiteral(value: string): string {
  if (!CONTROL.test(value)) return `'${value.replaceAll("'", "''")}'`;
  let out = "E'";
  for (const ch of value) {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) out += named;
    else if (CONTROL.test(ch)) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** `('connector' = 'kafka', 'topic' = 'bids')`: keys and values always as string literals. */
export function printOptionList(options: readonly OptionEntry[]): string {
  return `(${options.map((o) => `${printStringLiteral(o.key)} = ${printStringLiteral(o.value)}`).join(', ')})`;
}
