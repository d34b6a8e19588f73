// Printing of the lexical atoms: identifiers, qualified names, string literals and option lists.

import type { Ident, OptionEntry, QualifiedName } from '../ast/index.js';
import { RESERVED_KEYWORDS } from '../lexer/keywords.js';

const RESERVED: ReadonlySet<string> = new Set(RESERVED_KEYWORDS.map((k) => k.toLowerCase()));

/** Whether a word (in any case) is reserved, i.e. never read as an identifier. */
export function isReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

/**
 * A name held as a plain string (ROW field names, setting names): bare when
 * writing it bare reads back the same string (lower case, not a reserved
 * word), quoted otherwise.
 */
export function printName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : quoteIdent(name);
}

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

/** `('connector' = 'kafka', 'topic' = 'bids')`: keys and values as string literals, as Flink writes them. */
export function printOptionList(options: readonly OptionEntry[]): string {
  return `(${options.map((o) => `${printStringLiteral(o.key)} = ${printStringLiteral(o.value)}`).join(', ')})`;
}

/**
 * `(format = csv, header, timeout = '1s')`: PostgreSQL's style for COPY,
 * SUBSCRIBE and FETCH options. Words and numbers print bare where they read
 * back as the same text, and an empty value (an option written without one)
 * leaves only the key.
 */
export function printBareOptionList(options: readonly OptionEntry[]): string {
  return `(${options.map((o) => {
    const key = isPlainDottedName(o.key) ? o.key : printStringLiteral(o.key);
    return o.value === '' ? key : `${key} = ${printOptionValue(o.value)}`;
  }).join(', ')})`;
}

/** `a`, `a.b`: every part a bare identifier that reads back as itself. */
export function isPlainDottedName(name: string): boolean {
  return name.split('.').every((p) => printName(p) === p);
}

// Option and SET values are kept as text: strings decoded, words lower-cased,
// numbers with their sign, so these spellings read back as the same text.
const BARE_VALUE_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'on', 'null']);

/** An option or SET value: a bare number or word when that reads back the same, else a string. */
export function printOptionValue(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value) || BARE_VALUE_WORDS.has(value) || printName(value) === value) return value;
  return printStringLiteral(value);
}
