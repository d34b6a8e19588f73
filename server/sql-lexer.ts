// A small PostgreSQL-flavoured tokenizer: enough to split a Query message into
// statements, find `$n` parameters, and read the catalog queries tools send.

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Identifiers lower-cased; quoted identifiers and strings decoded; operators and punctuation as written. */
  readonly value: string;
  /** 0-based offset of the token's first character. */
  readonly start: number;
  readonly end: number;
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const PUNCT = '(),;[].:';

/** Thrown for input the tokenizer cannot read (an unterminated string or comment). */
export class LexError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

/** Tokens of `sql`, comments and whitespace dropped. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; } else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; } else i++;
      }
      if (depth > 0) throw new LexError('unterminated /* comment', start);
      continue;
    }
    if ((c === 'E' || c === 'e') && sql[i + 1] === "'") {
      const [value, next] = readEscapeString(sql, i + 2, start);
      out.push({ kind: 'string', value, start, end: next });
      i = next;
      continue;
    }
    if (c === "'") {
      const [value, next] = readQuoted(sql, i + 1, "'", start);
      out.push({ kind: 'string', value, start, end: next });
      i = next;
      continue;
    }
    if (c === '"' || c === '`') {
      const [value, next] = readQuoted(sql, i + 1, c, start);
      out.push({ kind: 'quoted', value, start, end: next });
      i = next;
      continue;
    }
    if (c === '$') {
      const digits = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (digits) {
        i += digits[0].length;
        out.push({ kind: 'param', value: digits[1] as string, start, end: i });
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw new LexError('unterminated dollar-quoted string', start);
        out.push({ kind: 'string', value: sql.slice(i + tag[0].length, close), start, end: close + tag[0].length });
        i = close + tag[0].length;
        continue;
      }
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
      const text = m ? m[0] : c;
      i += text.length;
      out.push({ kind: 'number', value: text, start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(sql[i] as string)) i++;
      out.push({ kind: 'ident', value: sql.slice(start, i).toLowerCase(), start, end: i });
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      out.push({ kind: 'punct', value: '::', start, end: i + 2 });
      i += 2;
      continue;
    }
    if (PUNCT.includes(c)) {
      out.push({ kind: 'punct', value: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      while (i < n && OPERATOR_CHARS.includes(sql[i] as string) && !(sql[i] === '-' && sql[i + 1] === '-') && !(sql[i] === '/' && sql[i + 1] === '*')) i++;
      // As PostgreSQL reads `=-1`: a multi-character operator does not end in + or -
      // unless it holds one of ~ ! @ # % ^ & | ` ?.
      if (!/[~!@#%^&|`?]/.test(sql.slice(start, i))) {
        while (i - start > 1 && (sql[i - 1] === '+' || sql[i - 1] === '-')) i--;
      }
      out.push({ kind: 'op', value: sql.slice(start, i), start, end: i });
      continue;
    }
    // Anything else is a one-character operator the parser will reject.
    out.push({ kind: 'op', value: c, start, end: i + 1 });
    i++;
  }
  return out;
}

function readQuoted(sql: string, from: number, quote: string, start: number): [string, number] {
  let value = '';
  let i = from;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0) throw new LexError(quote === "'" ? 'unterminated quoted string' : 'unterminated quoted identifier', start);
    value += sql.slice(i, close);
    if (sql[close + 1] === quote) {
      value += quote;
      i = close + 2;
      continue;
    }
    return [value, close + 1];
  }
}

function readEscapeString(sql: string, from: number, start: number): [string, number] {
  let value = '';
  let i = from;
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'") {
      if (sql[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    if (c === '\\' && i + 1 < sql.length) {
      const e = sql[i + 1] as string;
      const mapped = simple[e];
      if (mapped !== undefined) {
        value += mapped;
        i += 2;
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(sql.slice(i + 1)) as RegExpExecArray;
        value += String.fromCharCode(parseInt(m[0], 8));
        i += 1 + m[0].length;
      } else if (e === 'x' && /[0-9A-Fa-f]/.test(sql[i + 2] ?? '')) {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(sql.slice(i + 2)) as RegExpExecArray;
        value += String.fromCharCode(parseInt(m[0], 16));
        i += 2 + m[0].length;
      } else {
        value += e;
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  throw new LexError('unterminated quoted string', start);
}

/** One statement of a Query message: its text and where it starts in the message. */
export interface StatementText {
  readonly text: string;
  readonly offset: number;
}

/**
 * Splits a Query message at top-level semicolons. Empty statements are dropped.
 * Input the tokenizer cannot read stays one piece, for the parser to report.
 */
export function splitStatements(sql: string): StatementText[] {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return sql.trim() === '' ? [] : [{ text: sql, offset: 0 }];
  }
  const out: StatementText[] = [];
  let first: Token | undefined;
  let last: Token | undefined;
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';' && depth === 0) {
      if (first !== undefined && last !== undefined) out.push({ text: sql.slice(first.start, last.end), offset: first.start });
      first = undefined;
      last = undefined;
      continue;
    }
    if (t.kind === 'punct' && t.value === '(') depth++;
    if (t.kind === 'punct' && t.value === ')') depth = Math.max(0, depth - 1);
    first ??= t;
    last = t;
  }
  if (first !== undefined && last !== undefined) out.push({ text: sql.slice(first.start, last.end), offset: first.start });
  return out;
}

/** The highest `$n` in `sql` (0 when there are none). */
export function maxParameter(sql: string): number {
  let max = 0;
  try {
    for (const t of tokenize(sql)) if (t.kind === 'param') max = Math.max(max, Number(t.value));
  } catch {
    return 0;
  }
  return max;
}
