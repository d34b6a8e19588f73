// Splits a script at the semicolons that end statements, skipping those inside literals and comments.

/**
 * The ranges of the statements of a script, each through its terminating `;`
 * (the last one may have none). Quoting follows the lexer exactly: strings
 * with `''` (and `\'` in `E'...'`), `"..."` and backtick identifiers,
 * `$tag$...$tag$`, `--` and nested `/* *\/` comments. Lexing and parsing a
 * statement at a time keeps each statement's tokens short-lived, which is most
 * of what the garbage collector would otherwise spend on a large script.
 */
export function splitStatements(sql: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  const n = sql.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    switch (c) {
      case 59: // ;
        ranges.push({ start, end: i + 1 });
        start = ++i;
        break;
      case 39: // '
        i = skipQuoted(sql, i, 39, isEscapeStringStart(sql, i));
        break;
      case 34: // "
      case 96: // `
        i = skipQuoted(sql, i, c, false);
        break;
      case 45: // -
        if (sql.charCodeAt(i + 1) === 45) {
          const eol = sql.indexOf('\n', i);
          i = eol < 0 ? n : eol;
        } else {
          i++;
        }
        break;
      case 47: // /
        i = sql.charCodeAt(i + 1) === 42 ? skipBlockComment(sql, i) : i + 1;
        break;
      case 36: // $
        i = continuesIdentifier(sql, i) ? i + 1 : skipDollarQuoted(sql, i);
        break;
      default:
        i++;
    }
  }
  if (start < n) ranges.push({ start, end: n });
  return ranges;
}

/** Letters, digits, `_`, `$` and non-ASCII: the characters an identifier continues with. */
function isIdentifierPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 0x80;
}

/** Whether the `$` at `i` is inside an identifier (`a$b`), where it cannot open a dollar quote. */
function continuesIdentifier(sql: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isIdentifierPart(sql.charCodeAt(j))) j--;
  if (j + 1 === i) return false;
  const first = sql.charCodeAt(j + 1);
  // A run starting with a digit or a `$` is a number or a parameter, not an identifier.
  return !(first >= 48 && first <= 57) && first !== 36;
}

/** Whether the quote at `i` opens `E'...'`: an `e` starting a token just before it. */
function isEscapeStringStart(sql: string, i: number): boolean {
  const e = sql.charCodeAt(i - 1);
  return (e === 101 || e === 69) && !isIdentifierPart(sql.charCodeAt(i - 2));
}

/** The offset after a quoted literal opened at `i` (the end of input if unterminated). */
function skipQuoted(sql: string, i: number, quote: number, backslashes: boolean): number {
  let j = i + 1;
  for (;;) {
    if (j >= sql.length) return sql.length;
    const c = sql.charCodeAt(j);
    if (backslashes && c === 92) {
      j += 2;
    } else if (c === quote) {
      // A doubled quote stands for itself and does not end the literal.
      if (sql.charCodeAt(j + 1) !== quote) return j + 1;
      j += 2;
    } else {
      j++;
    }
  }
}

function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql.charCodeAt(j) === 47 && sql.charCodeAt(j + 1) === 42) {
      depth++;
      j += 2;
    } else if (sql.charCodeAt(j) === 42 && sql.charCodeAt(j + 1) === 47) {
      j += 2;
      if (--depth === 0) return j;
    } else {
      j++;
    }
  }
  return sql.length;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/y;

/** The offset after `$tag$...$tag$` opened at `i`, or after the `$` when none is. */
function skipDollarQuoted(sql: string, i: number): number {
  DOLLAR_TAG.lastIndex = i;
  const tag = DOLLAR_TAG.exec(sql);
  if (tag === null) return i + 1;
  const close = sql.indexOf(tag[0], i + tag[0].length);
  return close < 0 ? i + 1 : close + tag[0].length;
}
