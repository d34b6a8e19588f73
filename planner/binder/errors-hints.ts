// The binder's user-facing errors: SQLSTATE, PostgreSQL-style wording, statement position and "did you mean" hints.

import type { DataType } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import type { Span } from '../../parser/ast/node.js';
import { pgTypeName } from '../functions/types.js';

/** PostgreSQL reports 1-based character positions; AST spans are 0-based offsets. */
export function positionOf(span: Span | undefined): { position?: number } {
  return span === undefined ? {} : { position: span.start + 1 };
}

/** Levenshtein distance, capped: returns `cap + 1` as soon as the distance must exceed `cap`. */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo
 * (at most a third of the name's length, and at least one edit allowed).
 * Ties go to the first candidate, so callers list candidates in a stable order.
 */
export function nearestName<T>(name: string, candidates: Iterable<T>, nameOf: (c: T) => string): T | undefined {
  const cap = Math.max(1, Math.floor(name.length / 3));
  let best: T | undefined;
  let bestDistance = cap + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), nameOf(c).toLowerCase(), cap);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export function undefinedTable(name: string, span: Span | undefined, known: readonly string[]): SqlError {
  const near = nearestName(name, known, (n) => n);
  return new SqlError(SqlState.undefinedTable, `table "${name}" does not exist`, {
    ...positionOf(span),
    ...(near === undefined ? {} : { hint: `Perhaps you meant to reference the table "${near}".` }),
  });
}

export function missingFromEntry(qualifier: string, span: Span | undefined): SqlError {
  return new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${qualifier}"`, positionOf(span));
}

/** 42703 with PostgreSQL's hint naming the nearest visible column as `qualifier.name`. */
export function undefinedColumn(
  written: string,
  span: Span | undefined,
  candidates: readonly { readonly qualifier?: string; readonly name: string }[],
): SqlError {
  const bare = written.includes('.') ? written.slice(written.lastIndexOf('.') + 1) : written;
  const near = nearestName(bare, candidates, (c) => c.name);
  const hint = near === undefined
    ? {}
    : { hint: `Perhaps you meant to reference the column "${near.qualifier === undefined ? near.name : `${near.qualifier}.${near.name}`}".` };
  return new SqlError(SqlState.undefinedColumn, `column ${quoteColumn(written)} does not exist`, { ...positionOf(span), ...hint });
}

/** PostgreSQL quotes a bare column name but writes a qualified one as `t.c` unquoted. */
function quoteColumn(written: string): string {
  return written.includes('.') ? written : `"${written}"`;
}

export function ambiguousColumn(name: string, span: Span | undefined): SqlError {
  return new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, positionOf(span));
}

export function notSupported(feature: string, span: Span | undefined, hint?: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${feature} is not supported yet`, {
    ...positionOf(span),
    ...(hint === undefined ? {} : { hint }),
  });
}

export function syntaxMisuse(message: string, span: Span | undefined, hint?: string): SqlError {
  return new SqlError(SqlState.syntaxError, message, { ...positionOf(span), ...(hint === undefined ? {} : { hint }) });
}

export function groupingError(message: string, span: Span | undefined): SqlError {
  return new SqlError(SqlState.groupingError, message, positionOf(span));
}

export function typeMismatch(message: string, span: Span | undefined, hint?: string): SqlError {
  return new SqlError(SqlState.datatypeMismatch, message, { ...positionOf(span), ...(hint === undefined ? {} : { hint }) });
}

/** `argument of WHERE must be type boolean, not type integer` */
export function mustBeBoolean(clause: string, actual: DataType, span: Span | undefined): SqlError {
  return typeMismatch(`argument of ${clause} must be type boolean, not type ${pgTypeName(actual)}`, span);
}

/** 42P10: wrong column counts and ORDER BY / GROUP BY references that do not resolve to an output column. */
export function invalidColumnReference(message: string, span: Span | undefined): SqlError {
  return new SqlError('42P10', message, positionOf(span));
}

/** 42P20: window functions where they cannot go. */
export function windowingError(message: string, span: Span | undefined): SqlError {
  return new SqlError('42P20', message, positionOf(span));
}

/** 42846: CAST between types that do not convert. */
export function cannotCast(from: DataType, to: DataType, span: Span | undefined): SqlError {
  return new SqlError('42846', `cannot cast type ${pgTypeName(from)} to ${pgTypeName(to)}`, positionOf(span));
}

export { pgTypeName };
