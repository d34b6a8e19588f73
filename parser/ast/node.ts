// Shared pieces of the AST: source spans and identifiers.

/** Where a node came from in the statement text (0-based offsets, 1-based line/column). */
export interface Span {
  readonly start: number;
  /** Offset one past the last character. */
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/**
 * An identifier. Unquoted identifiers are folded to lower case, as PostgreSQL
 * does; `quoted` remembers whether it was written in double quotes so that the
 * printer can reproduce a name that needs them.
 */
export interface Ident {
  readonly kind: 'Ident';
  readonly value: string;
  readonly quoted: boolean;
  readonly span?: Span;
}

/** A possibly qualified name: `t`, `s.t`, `cat.s.t`. */
export type QualifiedName = readonly Ident[];

/** One `'key' = 'value'` entry of a WITH (...) option list. */
export interface OptionEntry {
  readonly key: string;
  readonly value: string;
  readonly span?: Span;
}
