// The filesystem source: the files under a path, read in name order, record by record, with file + position offsets.
//
// A bounded read lists the files once and ends after the last. A continuous read
// ('source.monitor-interval') lists the directory again whenever it has read every
// file it knows, and waits that long when there is nothing new. Files whose name
// starts with '.' or '_' are skipped: the sink's in-progress files and markers.
//
// The offset is { done, file, position, line }: the files read to the end, the file
// being read, and in it the byte position (CSV, JSON) or row number (Arrow) of the
// next record and the line it starts on, so a resumed read continues exactly there.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SqlError, SqlState } from '../../common/errors.js';
import { parseValue } from '../../common/pg-text.js';
import type { Row, Value } from '../../common/value.js';
import type { StoredColumn } from '../registry.js';
import { badRowError, type InputLocation, type SourceErrorLog } from '../source-errors.js';
import type { SourceOffset, SourceRead, SourceReader } from '../source.js';
import { decodeArrowFile, type FieldErrorAt } from './arrow-format.js';
import { FieldError, type FormatName, type TextCodec } from './format.js';

export interface FileSourceSpec {
  readonly table: string;
  readonly path: string;
  readonly format: FormatName;
  /** The stored columns; partition columns come from `name=value` directories. */
  readonly columns: readonly StoredColumn[];
  readonly partitionKeys: readonly number[];
  readonly codec: (contentColumns: readonly StoredColumn[]) => TextCodec;
  /** Milliseconds between directory listings in continuous mode; undefined: bounded. */
  readonly monitorInterval: number | undefined;
  readonly ignoreParseErrors: boolean;
  readonly errors: SourceErrorLog;
  readonly defaultPartitionName: string;
}

const CHUNK = 1 << 20;
const NEWLINE = 10;
const QUOTE = 34;

/** Data files under `root` (or `root` itself when it is a file), in name order. */
export function listDataFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  if (!statSync(root).isDirectory()) return [root];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name.startsWith('_')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Reads records (lines, or CSV records whose quotes span lines) from a byte position. */
class TextCursor {
  private fd: number;
  private buf = Buffer.alloc(0);
  private eof = false;

  constructor(readonly path: string, public position: number, public line: number, private readonly quotes: boolean) {
    this.fd = openSync(path, 'r');
  }

  /** The next non-empty record, or undefined at the end of the file. */
  next(): { text: string; line: number } | undefined {
    for (;;) {
      const end = this.recordEnd();
      if (end === undefined) return undefined;
      const startLine = this.line;
      let stop = end.stop;
      let newlines = 0;
      for (let i = 0; i < stop; i++) if (this.buf[i] === NEWLINE) newlines++;
      this.line += newlines + (end.consumed > end.stop ? 1 : 0);
      if (stop > 0 && this.buf[stop - 1] === 13) stop--;
      const text = this.buf.toString('utf8', 0, stop);
      this.position += end.consumed;
      this.buf = this.buf.subarray(end.consumed);
      if (text.trim() === '') continue;
      return { text, line: startLine };
    }
  }

  /** Where the first record of the buffer ends (reading more when needed). */
  private recordEnd(): { stop: number; consumed: number } | undefined {
    let from = 0;
    let inQuote = false;
    for (;;) {
      const b = this.buf;
      for (let i = from; i < b.length; i++) {
        const c = b[i];
        if (c === QUOTE && this.quotes) inQuote = !inQuote;
        else if (c === NEWLINE && !inQuote) return { stop: i, consumed: i + 1 };
      }
      from = b.length;
      if (this.eof) return b.length === 0 ? undefined : { stop: b.length, consumed: b.length };
      this.fill();
    }
  }

  private fill(): void {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const n = readSync(this.fd, chunk, 0, CHUNK, this.position + this.buf.length);
    if (n === 0) this.eof = true;
    else this.buf = this.buf.length === 0 ? chunk.subarray(0, n) : Buffer.concat([this.buf, chunk.subarray(0, n)]);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** An Arrow file being read: its rows from a row number on. */
class ArrowCursor {
  private readonly rows: Generator<Row | FieldErrorAt>;

  constructor(readonly path: string, public position: number, columns: readonly StoredColumn[]) {
    this.rows = decodeArrowFile(readFileSync(path), columns, position);
  }

  next(): Row | FieldErrorAt | undefined {
    const r = this.rows.next();
    if (r.done) return undefined;
    this.position++;
    return r.value;
  }

  close(): void {
    this.rows.return(undefined);
  }
}

export class FileSourceReader implements SourceReader {
  private readonly done = new Set<string>();
  private queue: string[] | undefined;
  private text: TextCursor | undefined;
  private arrow: ArrowCursor | undefined;
  private readonly content: readonly StoredColumn[];
  private readonly codec: TextCodec;
  /** Stored index of each content column. */
  private readonly contentIndex: readonly number[];
  private partitionValues: (Value | undefined)[] = [];

  constructor(private readonly spec: FileSourceSpec) {
    const partition = new Set(spec.partitionKeys);
    this.contentIndex = spec.columns.map((_, i) => i).filter((i) => !partition.has(i));
    this.content = this.contentIndex.map((i) => spec.columns[i] as StoredColumn);
    this.codec = spec.codec(this.content);
  }

  private get current(): TextCursor | ArrowCursor | undefined {
    return this.text ?? this.arrow;
  }

  read(max: number): SourceRead {
    const rows: Row[] = [];
    while (rows.length < max) {
      if (this.current === undefined) {
        const next = this.nextFile();
        if (next === undefined) {
          if (this.spec.monitorInterval === undefined) return { rows, status: 'end' };
          // Continuous: list again next time, after the monitor interval.
          this.queue = undefined;
          return rows.length > 0 ? { rows, status: 'more' } : { rows, status: 'wait', retryMs: this.spec.monitorInterval };
        }
        this.open(next, 0, 1);
      }
      if (!this.readFrom(rows, max)) {
        const path = (this.current as TextCursor | ArrowCursor).path;
        this.closeCurrent();
        this.done.add(path);
      }
    }
    return { rows, status: 'more' };
  }

  /** Reads rows of the current file into `rows`; false when the file is finished. */
  private readFrom(rows: Row[], max: number): boolean {
    if (this.text !== undefined) {
      const cursor = this.text;
      while (rows.length < max) {
        const rec = cursor.next();
        if (rec === undefined) return false;
        try {
          rows.push(this.assemble(this.codec.decode(rec.text) as Value[]));
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          this.bad({ file: cursor.path, line: rec.line, column: e.column, ...(e.columnName === undefined ? {} : { columnName: e.columnName }) }, e, rec.text);
        }
      }
      return true;
    }
    const cursor = this.arrow as ArrowCursor;
    while (rows.length < max) {
      let r: Row | FieldErrorAt | undefined;
      try {
        r = cursor.next();
      } catch (e) {
        if (!(e instanceof FieldError)) throw badRowError(this.spec.table, { file: cursor.path, line: cursor.position + 1, column: 1 }, e);
        this.bad({ file: cursor.path, line: 1, column: e.column, ...(e.columnName === undefined ? {} : { columnName: e.columnName }) }, e, '');
        return false;
      }
      if (r === undefined) return false;
      if (Array.isArray(r)) rows.push(this.assemble(r as Value[]));
      else {
        const f = r as FieldErrorAt;
        this.bad({ file: cursor.path, line: f.row, column: f.error.column, ...(f.error.columnName === undefined ? {} : { columnName: f.error.columnName }) }, f.error, `row ${f.row}`);
      }
    }
    return true;
  }

  /** A bad record: counted and skipped with 'format.ignore-parse-errors', else the job fails naming it. */
  private bad(at: InputLocation, e: FieldError, input: string): void {
    if (this.spec.ignoreParseErrors) {
      this.spec.errors.record(at, e.message, input);
      return;
    }
    throw badRowError(this.spec.table, at, e.reason);
  }

  private assemble(content: Value[]): Row {
    if (this.spec.partitionKeys.length === 0) return content;
    const row: Value[] = new Array<Value>(this.spec.columns.length);
    this.contentIndex.forEach((s, i) => {
      row[s] = content[i] as Value;
    });
    for (const k of this.spec.partitionKeys) row[k] = this.partitionValues[k] ?? null;
    return row;
  }

  private nextFile(): string | undefined {
    if (this.queue === undefined) this.queue = listDataFiles(this.spec.path).filter((f) => !this.done.has(f));
    while (this.queue.length > 0) {
      const f = this.queue.shift() as string;
      if (!this.done.has(f)) return f;
    }
    if (this.spec.monitorInterval === undefined && !existsSync(this.spec.path) && this.done.size === 0) {
      throw new SqlError(SqlState.undefinedObject, `path "${this.spec.path}" of table "${this.spec.table}" does not exist`, {
        hint: "Point 'path' at a file or a directory of files.",
      });
    }
    return undefined;
  }

  private open(path: string, position: number, line: number): void {
    this.partitionValues = this.partitionsOf(path);
    if (this.spec.format === 'arrow') this.arrow = new ArrowCursor(path, position, this.content);
    else this.text = new TextCursor(path, position, line, this.codec.quotes);
  }

  /** Values of partition columns from the file's `name=value` directories. */
  private partitionsOf(path: string): (Value | undefined)[] {
    const out: (Value | undefined)[] = [];
    if (this.spec.partitionKeys.length === 0) return out;
    const dirs = relative(this.spec.path, path).split(sep).slice(0, -1);
    for (const k of this.spec.partitionKeys) {
      const c = this.spec.columns[k] as StoredColumn;
      const seg = dirs.find((d) => d.startsWith(`${c.name}=`));
      if (seg === undefined) continue;
      const text = decodeURIComponent(seg.slice(c.name.length + 1));
      try {
        out[k] = text === this.spec.defaultPartitionName ? null : parseValue(text, c.type);
      } catch (e) {
        throw badRowError(this.spec.table, { file: path, line: 1, column: 1, columnName: c.name }, e);
      }
    }
    return out;
  }

  private closeCurrent(): void {
    this.text?.close();
    this.arrow?.close();
    this.text = undefined;
    this.arrow = undefined;
  }

  offset(): SourceOffset {
    const c = this.current;
    return {
      done: [...this.done].map((f) => relative(this.spec.path, f) || '.'),
      file: c === undefined ? null : relative(this.spec.path, c.path) || '.',
      position: c?.position ?? 0,
      line: this.text?.line ?? 0,
    };
  }

  seek(offset: SourceOffset): void {
    const { done, file, position, line } = offset as { done?: unknown; file?: unknown; position?: unknown; line?: unknown };
    if (!Array.isArray(done) || (file !== null && typeof file !== 'string') || typeof position !== 'number' || typeof line !== 'number') {
      throw new SqlError(SqlState.invalidParameterValue, `invalid filesystem offset ${JSON.stringify(offset)}`);
    }
    this.closeCurrent();
    const abs = (f: string): string => (f === '.' ? this.spec.path : join(this.spec.path, f));
    this.done.clear();
    for (const f of done) this.done.add(abs(String(f)));
    this.queue = undefined;
    if (typeof file === 'string') this.open(abs(file), position, line);
  }

  close(): void {
    this.closeCurrent();
  }
}
