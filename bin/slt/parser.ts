// Parses the text of a regression file into records, keeping each record's line and the text ranges `--complete` rewrites.

import type {
  Condition,
  QueryRecord,
  ResultPlacement,
  SltRecord,
  SortMode,
  StatementExpectation,
  TextRange,
} from './record.js';

/** A file that is not valid: the message names the line. */
export class SltParseError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SltParseError';
  }
}

/** One line of the text: its content (without `\r\n` / `\n`) and offsets. */
interface Line {
  readonly text: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the content (before the line break). */
  readonly end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 ? text.length : nl;
    const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
    lines.push({ text: text.slice(start, end), start, end });
    start = nl < 0 ? text.length : nl + 1;
  }
  return lines;
}

const TYPE_LETTERS = /^[IRTBD?]+$/;
const SORT_MODES: ReadonlySet<string> = new Set<SortMode>(['nosort', 'rowsort', 'valuesort']);

function isBlank(line: Line | undefined): boolean {
  return line === undefined || line.text.trim() === '';
}

/** The rest of a header line after its first `words` words, with inner spacing kept. */
function restAfter(text: string, words: number): string {
  let rest = text.trim();
  for (let i = 0; i < words; i++) {
    const m = /^\S+\s*/.exec(rest);
    rest = m ? rest.slice(m[0].length) : '';
  }
  return rest;
}

/**
 * Parses a regression file. Records are separated by blank lines; one-line
 * directives (`restart`, `connection x`, `skipif eddy`, ...) may directly
 * precede the next record.
 *
 * @example
 *   parseSlt('statement ok\nCREATE TABLE t (a INT)\n', 't.slt')
 *   // → [{ kind: 'statement', location: { file: 't.slt', line: 1 }, sql: 'CREATE TABLE t (a INT)', ... }]
 */
export function parseSlt(text: string, file: string): SltRecord[] {
  const lines = splitLines(text);
  const records: SltRecord[] = [];
  let conditions: Condition[] = [];
  let conditionLine = 0;
  let i = 0;

  const fail = (lineIndex: number, message: string): never => {
    throw new SltParseError(file, lineIndex + 1, message);
  };

  /** Lines from `from` up to the next blank line (or `----` when `stopAtDivider`). */
  const body = (from: number, stopAtDivider: boolean): number => {
    let j = from;
    while (j < lines.length && !isBlank(lines[j]) && !(stopAtDivider && lines[j]!.text.trimEnd() === '----')) j++;
    return j;
  };

  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      if (conditions.length > 0) fail(conditionLine, 'skipif/onlyif must be followed by a record');
      i++;
      continue;
    }
    if (line.text.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    const words = line.text.trim().split(/\s+/);
    const keyword = words[0]!;
    const location = { file, line: i + 1 };

    switch (keyword) {
      case 'skipif':
      case 'onlyif': {
        if (words.length !== 2) fail(i, `${keyword} takes one engine name`);
        if (conditions.length === 0) conditionLine = i;
        conditions.push({ kind: keyword, engine: words[1]! });
        i++;
        continue;
      }
      case 'statement': {
        const expect = parseStatementHeader(words, line, i, fail);
        const end = body(i + 1, false);
        if (end === i + 1) fail(i, 'statement without SQL');
        const sqlLines = lines.slice(i + 1, end);
        const divider = sqlLines.findIndex((l) => l.text.trimEnd() === '----');
        if (divider >= 0) fail(i + 1 + divider, 'a statement has no result block (use query for rows)');
        records.push({ kind: 'statement', location, conditions, sql: sqlLines.map((l) => l.text).join('\n'), expect });
        i = end;
        break;
      }
      case 'query': {
        if (words[1] === 'error') {
          const end = body(i + 1, false);
          if (end === i + 1) fail(i, 'query without SQL');
          const sqlLines = lines.slice(i + 1, end);
          if (sqlLines.some((l) => l.text.trimEnd() === '----')) fail(i, 'query error has no result block');
          records.push({
            kind: 'query-error',
            location,
            conditions,
            sql: sqlLines.map((l) => l.text).join('\n'),
            pattern: restAfter(line.text, 2),
          });
          i = end;
          break;
        }
        const types = words[1];
        if (types === undefined) fail(i, 'query needs its column types, e.g. `query ITR`');
        if (!TYPE_LETTERS.test(types!)) fail(i, `bad column types "${types}": use one of I R T B D ? per column`);
        const sort = words[2] ?? 'nosort';
        if (!SORT_MODES.has(sort)) fail(i, `unknown sort mode "${sort}": use nosort, rowsort or valuesort`);
        if (words.length > 3) fail(i, `unexpected "${words[3]}" after the sort mode`);
        const sqlEnd = body(i + 1, true);
        if (sqlEnd === i + 1) fail(i, 'query without SQL');
        const sqlLines = lines.slice(i + 1, sqlEnd);
        let placement: ResultPlacement = { rows: null, dividerEnd: null, sqlEnd: sqlLines[sqlLines.length - 1]!.end };
        let expected: string[] = [];
        let end = sqlEnd;
        const dividerLine = lines[sqlEnd];
        if (dividerLine !== undefined && !isBlank(dividerLine)) {
          // The line at sqlEnd is the `----` divider.
          end = body(sqlEnd + 1, false);
          const resultLines = lines.slice(sqlEnd + 1, end);
          expected = resultLines.map((l) => l.text);
          const rows: TextRange | null =
            resultLines.length > 0 ? { start: resultLines[0]!.start, end: resultLines[resultLines.length - 1]!.end } : null;
          placement = { rows, dividerEnd: dividerLine.start + 4, sqlEnd: placement.sqlEnd };
        }
        const record: QueryRecord = {
          kind: 'query',
          location,
          conditions,
          sql: sqlLines.map((l) => l.text).join('\n'),
          types: types!,
          sort: sort as SortMode,
          expected,
          placement,
        };
        records.push(record);
        i = end;
        break;
      }
      case 'include': {
        const path = restAfter(line.text, 1);
        if (path === '') fail(i, 'include needs a file name');
        records.push({ kind: 'include', location, conditions, path });
        i++;
        break;
      }
      case 'halt':
      case 'restart':
      case 'checkpoint': {
        if (words.length !== 1) fail(i, `${keyword} takes no arguments`);
        records.push({ kind: keyword, location, conditions });
        i++;
        break;
      }
      case 'connection': {
        if (words.length !== 2) fail(i, 'connection takes one session name');
        records.push({ kind: 'connection', location, conditions, name: words[1]! });
        i++;
        break;
      }
      default:
        fail(i, `unknown record "${keyword}" (expected statement, query, include, skipif, onlyif, halt, restart, checkpoint or connection)`);
    }
    conditions = [];
  }
  if (conditions.length > 0) fail(conditionLine, 'skipif/onlyif must be followed by a record');
  return records;
}

function parseStatementHeader(
  words: readonly string[],
  line: Line,
  index: number,
  fail: (lineIndex: number, message: string) => never,
): StatementExpectation {
  switch (words[1]) {
    case 'ok':
      if (words.length !== 2) fail(index, `unexpected "${words[2]}" after statement ok`);
      return { kind: 'ok' };
    case 'count': {
      const n = words[2];
      if (n === undefined || !/^\d+$/.test(n) || words.length !== 3) fail(index, 'statement count needs one number');
      // The number's range, found after the `count` word, for --complete.
      const countWord = /^\s*statement\s+count\s+/.exec(line.text)!;
      const start = line.start + countWord[0].length;
      return { kind: 'count', count: Number(n), countRange: { start, end: start + n!.length } };
    }
    case 'error':
      return { kind: 'error', pattern: restAfter(line.text, 2) };
    default:
      return fail(index, 'expected statement ok, statement count N or statement error <SQLSTATE or message>');
  }
}
