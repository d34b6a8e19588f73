// Splits SQL script text at top-level semicolons into statements with their line numbers (for `eddy run` and the REPL).

/** One statement of a script. */
export interface ScriptStatement {
  /** The statement without the leading blank/comment lines and without its `;`. */
  readonly text: string;
  /** Offset of `text` in the script. */
  readonly start: number;
  /** 1-based line of the script on which `text` starts. */
  readonly line: number;
  /** False for a last statement with no `;` (the REPL waits for more input then). */
  readonly terminated: boolean;
}

const IDENT_CHAR = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Splits `script` into statements. Semicolons inside quotes ('..', E'..',
 * "..", $tag$..$tag$) and comments (`--`, nested `/* *\/`) do not split.
 * Pieces holding only blanks and comments are dropped. An unterminated quote
 * or comment runs to the end of the script (the engine then reports it).
 *
 * @example
 *   splitStatements("SELECT 1;\n-- note\nSELECT ';'")
 *   // [{ text: 'SELECT 1', line: 1, ... }, { text: "SELECT ';'", line: 3, terminated: false, ... }]
 */
export function splitStatements(script: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  // Where the first character that is neither blank nor comment of the current piece is.
  let firstCode = -1;
  let i = 0;
  const n = script.length;

  const finish = (end: number, terminated: boolean): void => {
    if (firstCode >= 0) {
      const text = script.slice(firstCode, end).trimEnd();
      let line = 1;
      for (let k = 0; k < firstCode; k++) if (script.charCodeAt(k) === 10) line++;
      out.push({ text, start: firstCode, line, terminated });
    }
    firstCode = -1;
  };

  while (i < n) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === '/' && script[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ';') {
      finish(i, true);
      i++;
      continue;
    }
    if (firstCode < 0) firstCode = i;
    if (c === "'") {
      // E'..' allows backslash escapes; the E must not end a longer identifier.
      const escapes = i > 0 && /[eE]/.test(script[i - 1]!) && (i < 2 || !IDENT_CHAR.test(script[i - 2]!));
      i = skipQuoted(script, i + 1, "'", escapes);
      continue;
    }
    if (c === '"') {
      i = skipQuoted(script, i + 1, '"', false);
      continue;
    }
    if (c === '$' && (i === 0 || !IDENT_CHAR.test(script[i - 1]!))) {
      const m = DOLLAR_TAG.exec(script.slice(i, i + 64));
      if (m) {
        const close = script.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        continue;
      }
    }
    i++;
  }
  finish(n, false);
  return out;
}

/** The offset just past the closing quote (a doubled quote is an escaped one). */
function skipQuoted(s: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from;
  while (i < s.length) {
    const c = s[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (s[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return s.length;
}
