// The interactive SQL shell: reads lines, runs statements on an embedded engine session, prints results as psql does.

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Row } from '../../common/value.js';
import type { StatementResult } from '../../executor/engine/api.js';
import type { RelationKind } from '../../planner/binder/catalog-reader.js';
import { formatError } from '../format/error.js';
import { formatCells, resultTable, tableColumns, type ValueFormatter } from '../format/result.js';
import { displayWidth, formatTable } from '../format/table.js';
import { complete, type CompletionCatalog } from './completer.js';
import { HISTORY_SIZE, loadHistory, saveHistory } from './history.js';
import { LineAccumulator, type ReplInput } from './line-accumulator.js';
import { ChangeMultiset, LiveScreen, renderLiveView } from './live-view.js';
import { HELP_TEXT, matchesPattern, parseMetaCommand, type MetaCommand } from './meta-command.js';
import { formatTiming } from './timing.js';

export const PROMPT = 'eddy=> ';
export const CONTINUATION_PROMPT = 'eddy-> ';

/** The session calls the REPL makes (the engine's EngineSession has them). */
export interface ReplSession {
  execute(sql: string, params?: readonly [], signal?: AbortSignal): Promise<StatementResult[]>;
  setting(name: string): string | undefined;
}

export interface ReplOptions {
  readonly session: ReplSession;
  readonly catalog: CompletionCatalog;
  /** Values as text, given the session's time zone setting. */
  readonly formatValue: (timeZone: string | undefined) => ValueFormatter;
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  readonly errorOutput: NodeJS.WritableStream;
  /** The history file, or none. */
  readonly historyFile: string | undefined;
  /** Printed first when the input is a terminal. */
  readonly banner: string;
}

/** Where input comes from: the terminal or piped input, or a file run by `\i`. */
interface Source {
  /** The file's name as given (errors name it), or undefined for standard input. */
  readonly file: string | undefined;
  readonly depth: number;
  /** Its unfinished statement (which `\r` forgets). */
  readonly accumulator: LineAccumulator;
}

type Outcome = 'continue' | 'quit';

/** How deep `\i` may nest: a script that includes itself stops here instead of overflowing. */
const MAX_INCLUDE_DEPTH = 16;
/** The live view redraws at most this often, however fast changes come. */
const REDRAW_INTERVAL_MS = 50;

const kindTitles: Record<RelationKind, string> = {
  TABLE: 'Table',
  VIEW: 'View',
  'MATERIALIZED VIEW': 'Materialized view',
  'SYSTEM TABLE': 'System table',
};

/** Lines from readline, queued while a statement runs (typeahead), ending when the input does. */
class LineQueue {
  private readonly lines: string[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(rl: Interface) {
    rl.on('line', (line) => {
      this.lines.push(line);
      this.notify();
    });
    rl.on('close', () => {
      this.ended = true;
      this.notify();
    });
  }

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** The next line, or undefined at the end of input. */
  async next(): Promise<string | undefined> {
    while (this.lines.length === 0 && !this.ended) await new Promise<void>((r) => (this.wake = r));
    return this.lines.shift();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveSleep();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Keeps the process alive while a subscription waits for changes: a pending
 * promise alone does not, and piped input may be at its end already.
 */
function holdProcessOpen(): () => void {
  const timer = setInterval(() => {}, 1 << 30);
  return () => clearInterval(timer);
}

/** The canonical name of `\d NAME`'s last part: quoted as written, bare folded to lower case. */
function canonicalName(written: string): string {
  const parts = written.match(/"(?:[^"]|"")+"|[^."]+/g) ?? [written];
  const last = parts.at(-1)!;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

/**
 * A REPL over one session. `run()` resolves to the exit code when the input
 * ends or `\q` is given.
 */
export class Repl {
  private readonly interactive: boolean;
  private readonly accumulator = new LineAccumulator();
  private rl: Interface | undefined;
  private timing = false;
  private failed = false;
  /** The statement running now: Ctrl-C aborts it. */
  private running: AbortController | undefined;
  /** Set by Ctrl-C on piped input that is waiting for lines: the REPL ends. */
  private interrupted = false;

  constructor(private readonly options: ReplOptions) {
    this.interactive = options.input.isTTY === true;
  }

  async run(): Promise<number> {
    const { input, output } = this.options;
    const terminal = this.interactive && output.isTTY === true;
    const rl = createInterface({
      input,
      output,
      terminal,
      history: terminal ? loadHistory(this.options.historyFile) : [],
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: PROMPT,
      completer: (line: string) =>
        complete(line, this.options.catalog, {
          buffer: this.accumulator.text,
          lineAfterCursor: rl.line.slice(rl.cursor),
          listFiles,
        }),
    });
    this.rl = rl;
    const queue = new LineQueue(rl);
    if (terminal) rl.on('history', (h: string[]) => saveHistory(this.options.historyFile, h));
    // In raw mode readline reports Ctrl-C; otherwise (piped input, or no terminal output) it comes as a signal.
    rl.on('SIGINT', this.interrupt);
    process.on('SIGINT', this.interrupt);
    if (this.interactive) this.print([this.options.banner]);

    const main: Source = { file: undefined, depth: 0, accumulator: this.accumulator };
    let outcome: Outcome = 'continue';
    try {
      for (;;) {
        if (this.interactive && queue.empty) {
          rl.setPrompt(this.accumulator.pending ? CONTINUATION_PROMPT : PROMPT);
          rl.prompt();
        }
        const line = await queue.next();
        if (line === undefined || this.interrupted) break;
        outcome = await this.handleAll(this.accumulator.push(line), main);
        if (outcome === 'quit') break;
      }
      // A script's last statement may lack its `;`; at a terminal, Ctrl-D drops an unfinished one (as psql does).
      if (outcome === 'continue' && !this.interactive && !this.interrupted) await this.handleAll(this.accumulator.finish(), main);
      if (outcome === 'continue' && this.interactive) output.write('\n');
    } finally {
      process.removeListener('SIGINT', this.interrupt);
      rl.close();
    }
    if (this.interrupted) return 130;
    return !this.interactive && this.failed ? 1 : 0;
  }

  /** Ctrl-C: ends the running statement or subscription; at a prompt, drops the unfinished input. */
  readonly interrupt = (): void => {
    if (this.running) {
      this.running.abort();
      return;
    }
    const rl = this.rl;
    if (!this.interactive || rl === undefined) {
      this.interrupted = true;
      rl?.close();
      return;
    }
    const hadInput = rl.line !== '' || this.accumulator.pending;
    this.accumulator.reset();
    rl.setPrompt(PROMPT);
    if (!rl.terminal) {
      // Output is not a terminal: the line being typed is the terminal driver's, not readline's.
      this.options.output.write(hadInput ? '\n' : '\nUse \\q to quit.\n');
      rl.prompt();
      return;
    }
    // Cursor to the end of the line, `^C` after it, then an emptied line: readline redraws the prompt on a fresh line.
    rl.write(null, { ctrl: true, name: 'e' });
    this.options.output.write(hadInput ? '^C\n' : '^C\nUse \\q to quit.\n');
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  };

  private async handleAll(inputs: readonly ReplInput[], source: Source): Promise<Outcome> {
    for (const input of inputs) {
      if (this.interrupted) return 'quit';
      const outcome = input.kind === 'sql' ? await this.runStatement(input.text, input.line, source) : await this.runMeta(input.text, input.line, source);
      if (outcome === 'quit') return 'quit';
    }
    return 'continue';
  }

  private print(lines: readonly string[]): void {
    this.options.output.write(lines.map((l) => `${l}\n`).join(''));
  }

  private printError(lines: readonly string[], source: Source, line: number): void {
    // As psql does for scripts: the file and line first, so a long script's failing statement can be found.
    const prefix = source.file === undefined ? '' : `${source.file}:${line}: `;
    this.options.errorOutput.write(`${prefix}${lines.join('\n')}\n`);
  }

  private formatter(): ValueFormatter {
    return this.options.formatValue(this.options.session.setting('timezone'));
  }

  /** Runs one statement; prints its results, or its error with the caret; then the time when `\timing` is on. */
  private async runStatement(text: string, line: number, source: Source): Promise<Outcome> {
    const controller = new AbortController();
    this.running = controller;
    const started = performance.now();
    try {
      const results = await this.options.session.execute(text, [], controller.signal);
      for (const result of results) await this.printResult(result, controller.signal);
    } catch (err) {
      this.failed = true;
      // Statements typed count lines from their own start (as psql does); a script's count file lines.
      this.printError(formatError(err, { sql: text, firstLine: source.file === undefined ? 1 : line }), source, line);
    } finally {
      this.running = undefined;
    }
    if (this.timing) this.print([formatTiming(performance.now() - started)]);
    return 'continue';
  }

  private async printResult(result: StatementResult, signal: AbortSignal): Promise<void> {
    switch (result.kind) {
      case 'rows':
        this.print([...resultTable(result.columns, result.rows, this.formatter()), '']);
        return;
      case 'command':
        this.print([result.tag]);
        return;
      case 'stream':
        if (this.options.output.isTTY === true) await this.liveView(result, signal);
        else await this.printChanges(result, signal);
        return;
    }
  }

  /**
   * The next rows of a stream, or undefined once it is over: closed, or
   * stopped by Ctrl-C (which ends a subscription normally, not as an error).
   */
  private async nextChanges(result: Extract<StatementResult, { kind: 'stream' }>, signal: AbortSignal, timeoutMs?: number): Promise<Row[] | undefined> {
    if (signal.aborted) return undefined;
    let rows: Row[];
    try {
      rows = await result.stream.next(undefined, timeoutMs, signal);
    } catch (err) {
      if (signal.aborted) return undefined;
      throw err;
    }
    if (rows.length === 0 && (result.stream.closed || timeoutMs === undefined)) return undefined;
    return rows;
  }

  /** Without a terminal: each change as a line as it comes (`op|col|...`, psql's unaligned format), until Ctrl-C. */
  private async printChanges(result: Extract<StatementResult, { kind: 'stream' }>, signal: AbortSignal): Promise<void> {
    const formatValue = this.formatter();
    this.print([result.columns.map((c) => c.name).join('|')]);
    const release = holdProcessOpen();
    try {
      for (;;) {
        const rows = await this.nextChanges(result, signal);
        if (rows === undefined) break;
        this.print(rows.map((row) => formatCells(result.columns, row, formatValue).map((c) => c ?? '').join('|')));
      }
    } finally {
      release();
      result.stream.close();
    }
    this.print(['']);
  }

  /** On a terminal: the current result as a table, redrawn in place after each batch of changes, until Ctrl-C. */
  private async liveView(result: Extract<StatementResult, { kind: 'stream' }>, signal: AbortSignal): Promise<void> {
    const formatValue = this.formatter();
    // The first column is the change kind; the view shows the rows the changes add up to.
    const columns = result.columns.slice(1);
    const table = tableColumns(columns);
    const rows = new ChangeMultiset();
    const screen = new LiveScreen();
    const output = this.options.output;
    const draw = (title: string): void => {
      // A pseudo-terminal nobody sized reports 0 x 0.
      const layout = { title, width: output.columns || 80, height: output.rows || 24 };
      output.write(screen.frame(renderLiveView(table, rows, layout)));
    };
    const clock = (): string => new Date().toTimeString().slice(0, 8);
    const summary = (): string => `${rows.size} ${rows.size === 1 ? 'row' : 'rows'} after ${rows.changes} ${rows.changes === 1 ? 'change' : 'changes'}`;
    const apply = (batch: readonly Row[]): void => {
      for (const row of batch) rows.apply(String(row[0]), formatCells(columns, row.slice(1), formatValue));
    };
    draw(`SUBSCRIBE: waiting for changes (Ctrl-C to stop)`);
    const release = holdProcessOpen();
    try {
      for (;;) {
        const batch = await this.nextChanges(result, signal);
        if (batch === undefined) break;
        apply(batch);
        // Changes that come close together are drawn once.
        await sleep(REDRAW_INTERVAL_MS, signal);
        const more = await this.nextChanges(result, signal, 0);
        if (more !== undefined) apply(more);
        draw(`SUBSCRIBE: ${summary()}, at ${clock()} (Ctrl-C to stop)`);
      }
    } finally {
      release();
      result.stream.close();
    }
    draw(`SUBSCRIBE ended: ${summary()}${rows.unmatched > 0 ? ` (${rows.unmatched} retractions of absent rows ignored)` : ''}`);
    output.write('\n');
  }

  private async runMeta(text: string, line: number, source: Source): Promise<Outcome> {
    const command: MetaCommand = parseMetaCommand(text);
    switch (command.kind) {
      case 'quit':
        return 'quit';
      case 'help':
        this.print(HELP_TEXT);
        return 'continue';
      case 'reset':
        source.accumulator.reset();
        if (this.interactive) this.print(['Query buffer reset (cleared).']);
        return 'continue';
      case 'timing':
        this.timing = command.on ?? !this.timing;
        this.print([`Timing is ${this.timing ? 'on' : 'off'}.`]);
        return 'continue';
      case 'list':
        this.listRelations(command.relationKinds, command.pattern);
        return 'continue';
      case 'describe':
        await this.describe(command.name, line, source);
        return 'continue';
      case 'include':
        return this.include(command.file, command.relative, line, source);
      case 'invalid':
        this.failed = true;
        this.printError([command.message, 'Try \\? for help.'], source, line);
        return 'continue';
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** `\d`, `\dt`, ...: psql's "List of relations" with each relation's kind. */
  private listRelations(kinds: readonly RelationKind[], pattern: string | undefined): void {
    const { catalog } = this.options;
    const rows = catalog
      .relationNames()
      .map((name) => [name, catalog.relation(name)?.kind] as const)
      .filter((r): r is readonly [string, RelationKind] => r[1] !== undefined && kinds.includes(r[1]))
      .filter(([name]) => pattern === undefined || matchesPattern(name, pattern))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (rows.length === 0) {
      this.print([pattern === undefined ? 'Did not find any relations.' : `Did not find any relation named "${pattern}".`]);
      return;
    }
    const table = formatTable(
      [{ name: 'Name', align: 'left' }, { name: 'Type', align: 'left' }],
      rows.map(([name, kind]) => [name, kind.toLowerCase()]),
    );
    this.print([centered('List of relations', table[0]!), ...table, '']);
  }

  /** `\d NAME`: the relation's columns, as DESCRIBE reports them, under a psql-style title. */
  private async describe(name: string, line: number, source: Source): Promise<void> {
    const canonical = canonicalName(name);
    const relation = this.options.catalog.relation(canonical);
    if (relation === undefined) {
      this.failed = true;
      this.printError([`Did not find any relation named "${name}".`], source, line);
      return;
    }
    let results: StatementResult[];
    try {
      results = await this.options.session.execute(`DESCRIBE ${name}`);
    } catch (err) {
      this.failed = true;
      this.printError(formatError(err), source, line);
      return;
    }
    const result = results[0];
    if (result?.kind !== 'rows') return;
    const table = resultTable(result.columns, result.rows, this.formatter());
    // psql's \d shows no row count.
    table.pop();
    this.print([centered(`${kindTitles[relation.kind]} "${canonical}"`, table[0]!), ...table, '']);
  }

  /** `\i FILE`: the file's lines go through their own accumulator, statements and commands alike. */
  private async include(file: string, relative: boolean, line: number, source: Source): Promise<Outcome> {
    if (source.depth >= MAX_INCLUDE_DEPTH) {
      this.failed = true;
      this.printError([`${file}: scripts nested more than ${MAX_INCLUDE_DEPTH} deep`], source, line);
      return 'continue';
    }
    const path = relative && source.file !== undefined ? resolve(dirname(source.file), file) : resolve(file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      this.failed = true;
      const reason = err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'No such file or directory' : err instanceof Error ? err.message : String(err);
      this.printError([`${file}: ${reason}`], source, line);
      return 'continue';
    }
    // Errors name the file as it was given, or by its path when found relative to another script.
    const nested: Source = { file: path === resolve(file) ? file : path, depth: source.depth + 1, accumulator: new LineAccumulator() };
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    for (const l of lines) {
      if ((await this.handleAll(nested.accumulator.push(l), nested)) === 'quit') return 'quit';
    }
    return this.handleAll(nested.accumulator.finish(), nested);
  }
}

/** A title centered over a table as psql centers it (over the header line's width). */
function centered(title: string, header: string): string {
  const pad = Math.max(0, Math.floor((displayWidth(header) - displayWidth(title)) / 2));
  return `${' '.repeat(pad)}${title}`;
}

/** Entries of a directory for `\i` completion, folders marked with `/`; none when it cannot be read. */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  } catch {
    return [];
  }
}
