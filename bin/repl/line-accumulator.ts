// Collects input lines into statements that end at a top-level `;`, and backslash commands, as psql's main loop does.

import { splitStatements } from '../format/statements.js';

/** What one input line completes: SQL statements to run, or a backslash command. */
export type ReplInput =
  | {
      readonly kind: 'sql';
      /** The statement without its `;` (what the engine runs, and what error positions count in). */
      readonly text: string;
      /** 1-based input line on which the statement starts. */
      readonly line: number;
    }
  | {
      readonly kind: 'meta';
      /** The whole line, starting at the backslash. */
      readonly text: string;
      readonly line: number;
    };

/**
 * Whether `text` ends outside every quote and comment (line comments
 * included), so that a `;` typed next would end a statement and a backslash
 * would start a command.
 *
 * Asked of splitStatements, the one lexer of statement boundaries here: a
 * probe `;X` appended to the text comes back as a statement `X` of its own
 * exactly when nothing before it is still open (an open quote or dollar quote
 * swallows it; an open comment hides it).
 */
export function endsAtTopLevel(text: string): boolean {
  const probe = `${text};X`;
  const last = splitStatements(probe).at(-1);
  return last !== undefined && last.text === 'X' && last.start === probe.length - 1;
}

/**
 * Input lines in, complete statements and commands out.
 *
 * @example
 *   const acc = new LineAccumulator();
 *   acc.push('SELECT 1,');   // []          (acc.pending: continuation prompt)
 *   acc.push('  2; \\d t');  // [{ kind: 'sql', text: 'SELECT 1,\n  2', line: 1 }, { kind: 'meta', text: '\\d t', line: 2 }]
 *   acc.push("SELECT '\\d");  // []  (inside a string a backslash is text; the statement goes on)
 */
export class LineAccumulator {
  /** Text of an unfinished statement (or an open comment), lines joined by `\n`. */
  private buffer = '';
  /** Input line number of the buffer's first line. */
  private bufferLine = 1;
  /** Input line number of the next line pushed. */
  private nextLine = 1;

  /** True while a statement (or a quote or comment) is unfinished: the continuation prompt shows. */
  get pending(): boolean {
    return this.buffer !== '';
  }

  /** The unfinished text (for completion context). */
  get text(): string {
    return this.buffer;
  }

  /** Forgets the unfinished statement (Ctrl-C at a continuation prompt, `\r`). */
  reset(): void {
    this.buffer = '';
  }

  /** Takes one line (without its line break); returns what it completes, in order. */
  push(line: string): ReplInput[] {
    const lineNo = this.nextLine++;
    const cut = this.commandStart(line);
    const sql = cut < 0 ? line : line.slice(0, cut);
    let out: ReplInput[] = [];
    if (this.buffer !== '') {
      // Even an empty part is kept, so that line numbers inside the statement stay true.
      this.buffer += `\n${sql}`;
      out = this.take(false);
    } else if (sql.trim() !== '') {
      this.buffer = sql;
      this.bufferLine = lineNo;
      out = this.take(false);
    }
    if (cut >= 0) out.push({ kind: 'meta', text: line.slice(cut).trim(), line: lineNo });
    return out;
  }

  /**
   * Where a backslash command starts in `line`, or -1. As in psql, a backslash
   * outside quotes and comments starts a command that runs to the end of the
   * line (SQL has no other use for it there); the text before it is SQL.
   */
  private commandStart(line: string): number {
    for (let i = line.indexOf('\\'); i >= 0; i = line.indexOf('\\', i + 1)) {
      const before = this.buffer === '' ? line.slice(0, i) : `${this.buffer}\n${line.slice(0, i)}`;
      if (endsAtTopLevel(before)) return i;
    }
    return -1;
  }

  /**
   * At the end of input: the unfinished statement, if there is one. A script's
   * last statement may lack its `;` (psql runs it too).
   */
  finish(): ReplInput[] {
    const out = this.take(true);
    this.buffer = '';
    return out;
  }

  /** Cuts the complete statements off the buffer; with `all`, the unterminated last one too. */
  private take(all: boolean): ReplInput[] {
    const out: ReplInput[] = [];
    let consumed = 0;
    for (const s of splitStatements(this.buffer)) {
      if (!s.terminated && !all) break;
      out.push({ kind: 'sql', text: s.text, line: this.bufferLine + lineBreaks(this.buffer, 0, s.start) });
      if (s.terminated) {
        // splitStatements trims only blanks off the end of `text`: the `;` is the next non-blank character.
        consumed = this.buffer.indexOf(';', s.start + s.text.length) + 1;
      } else {
        consumed = this.buffer.length;
      }
    }
    if (consumed > 0) {
      this.bufferLine += lineBreaks(this.buffer, 0, consumed);
      this.buffer = this.buffer.slice(consumed);
    }
    // What is left with no statement in it is blanks and closed comments: drop it, so
    // the prompt goes back to `eddy=> `. An open comment or quote stays.
    if (this.buffer !== '' && splitStatements(this.buffer).length === 0 && endsAtTopLevel(`${this.buffer}\n`)) {
      this.buffer = '';
    }
    return out;
  }
}

function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
