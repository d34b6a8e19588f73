// Errors as psql prints them: `ERROR:  <SQLSTATE>: <message>`, the statement line with a caret under the position, DETAIL and HINT.

/** The fields of an error that are shown; engine errors (common/errors.ts SqlError) have them all. */
interface ShownError {
  readonly sqlstate: string;
  readonly message: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly position: number | undefined;
}

function field(err: object, name: string): unknown {
  return name in err ? (err as Record<string, unknown>)[name] : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads an engine error; anything else (a crash of the engine) shows as XX000 with its kind. */
function shown(err: unknown): ShownError {
  if (typeof err === 'object' && err !== null) {
    const sqlstate = field(err, 'sqlstate');
    const message = err instanceof Error ? err.message : String(field(err, 'message') ?? err);
    if (typeof sqlstate === 'string') {
      const position = field(err, 'position');
      return {
        sqlstate,
        message,
        detail: optionalString(field(err, 'detail')),
        hint: optionalString(field(err, 'hint')),
        position: typeof position === 'number' && position > 0 ? position : undefined,
      };
    }
    if (err instanceof Error) return { sqlstate: 'XX000', message: `${err.name}: ${message}`, detail: undefined, hint: undefined, position: undefined };
  }
  return { sqlstate: 'XX000', message: String(err), detail: undefined, hint: undefined, position: undefined };
}

// As libpq does: a long statement line is cut to about this many columns around
// the caret, keeping at least MIN_RIGHT columns after it.
const DISPLAY_WIDTH = 60;
const MIN_RIGHT = 10;

/**
 * The `LINE n: ...` line and the caret line for a 1-based character position in
 * `sql`. `firstLine` is the line number of the statement's first line (a file
 * line for `eddy run`; 1 for a statement typed alone).
 */
export function positionLines(sql: string, position: number, firstLine = 1): string[] {
  const offset = Math.min(Math.max(position - 1, 0), sql.length);
  const lineStart = sql.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = sql.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = sql.length;
  let lineNo = firstLine;
  for (let i = 0; i < lineStart; i++) if (sql[i] === '\n') lineNo++;
  // Tabs become single spaces so the caret lines up whatever the tab stops are.
  let text = sql.slice(lineStart, lineEnd).replace(/\r$/, '').replace(/\t/g, ' ');
  let column = offset - lineStart;
  if (text.length > DISPLAY_WIDTH) {
    let start = 0;
    if (column > DISPLAY_WIDTH - MIN_RIGHT) start = column - (DISPLAY_WIDTH - MIN_RIGHT);
    const cutEnd = start + DISPLAY_WIDTH < text.length;
    let shownText = text.slice(start, start + DISPLAY_WIDTH);
    if (start > 0) {
      shownText = `...${shownText}`;
      column = column - start + 3;
    }
    if (cutEnd) shownText = `${shownText}...`;
    text = shownText;
  }
  const prefix = `LINE ${lineNo}: `;
  return [`${prefix}${text}`, `${' '.repeat(prefix.length + column)}^`];
}

/**
 * The lines psql shows for an error, for the REPL and `eddy run`.
 *
 * @example
 *   formatError(new SqlError('42P01', 'table "nope" does not exist', { position: 15 }), { sql: 'SELECT * FROM nope' })
 *   // ['ERROR:  42P01: table "nope" does not exist',
 *   //  'LINE 1: SELECT * FROM nope',
 *   //  '                      ^']
 */
export function formatError(err: unknown, options: { readonly sql?: string; readonly firstLine?: number } = {}): string[] {
  const e = shown(err);
  const out = [`ERROR:  ${e.sqlstate}: ${e.message}`];
  if (e.position !== undefined && options.sql !== undefined) out.push(...positionLines(options.sql, e.position, options.firstLine ?? 1));
  if (e.detail !== undefined) out.push(`DETAIL:  ${e.detail}`);
  if (e.hint !== undefined) out.push(`HINT:  ${e.hint}`);
  return out;
}
