// The filesystem sink: rows into in-progress files, published by renaming them at checkpoint commits.
//
// Each writer (one per job) writes `.part-<job>-<id>-<n>.<ext>.inprogress` files, one
// open file per partition directory (`dt=2015-07-15/hm=00%3A00/` for PARTITIONED BY
// (dt, hm); partition columns live in the path, not in the file). A file is rolled
// when it passes 'sink.rolling-policy.file-size'. A checkpoint barrier closes the open
// files (prepareCommit); the commit renames them to `part-<job>-<id>-<n>.<ext>`, the
// name readers see. The names of the files a barrier staged go into the checkpoint
// (`pendingCommit`), with the writer's name prefix and file counter. A recovery rewinds
// to the last durable checkpoint and `recover` finishes its commit: its files are
// renamed if they are still in progress (a crash came before or during the commit),
// and the in-progress files written after its barrier, for checkpoints that never
// became durable, are deleted; their rows are written again from the recovery. The
// writer goes on with the same prefix from the checkpoint's counter, so no name is
// used twice: no row is lost, none is published twice.

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { formatValue } from '../../common/pg-text.js';
import type { Row, Value } from '../../common/value.js';
import type { ChangeBatch } from '../../executor/change.js';
import type { StoredColumn } from '../registry.js';
import type { SinkWriter } from '../sink.js';
import { encodeArrowFile } from './arrow-format.js';
import { formatExtensions, type FormatName, type TextCodec } from './format.js';

export interface FileSinkSpec {
  readonly path: string;
  readonly format: FormatName;
  readonly columns: readonly StoredColumn[];
  readonly partitionKeys: readonly number[];
  readonly codec: (contentColumns: readonly StoredColumn[]) => TextCodec;
  /** Roll to a new file past this many bytes. */
  readonly rollSize: number;
  readonly defaultPartitionName: string;
}

const FLUSH_AT = 1 << 16;

/** What a checkpoint keeps of a file writer: its name prefix, its next file number, and the files staged and not yet published. */
interface FileSinkCheckpoint {
  readonly prefix: string;
  readonly next: number;
  /** Published names, relative to the sink's path (`p=1/part-job3-1a2b3c4d-7.csv`). */
  readonly files: readonly string[];
}

function isFileSinkCheckpoint(v: unknown): v is FileSinkCheckpoint {
  const c = v as Partial<FileSinkCheckpoint> | null;
  return typeof c === 'object' && c !== null && typeof c.prefix === 'string' && typeof c.next === 'number' &&
    Array.isArray(c.files) && c.files.every((f) => typeof f === 'string');
}

/** The in-progress name of a file published as `name`. */
function inProgressName(name: string): string {
  return `.${name}.inprogress`;
}

/** A file being written: text appended as it comes, or Arrow rows kept until the file closes. */
class InProgressFile {
  size = 0;
  rows = 0;
  private fd = -1;
  private pending = '';
  private readonly arrowRows: Row[] = [];

  constructor(readonly dir: string, readonly tmpPath: string, readonly finalPath: string, private readonly content: readonly StoredColumn[], private readonly codec: TextCodec | undefined) {
    mkdirSync(dir, { recursive: true });
    if (codec !== undefined) this.fd = openSync(tmpPath, 'w');
  }

  add(row: Row): void {
    this.rows++;
    if (this.codec === undefined) {
      this.arrowRows.push(row);
      this.size += 16 * row.length;
      return;
    }
    const line = `${this.codec.encode(row)}\n`;
    this.pending += line;
    this.size += line.length;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.pending === '') return;
    writeSync(this.fd, this.pending);
    this.pending = '';
  }

  /** Finishes the file; it stays in progress until published. */
  close(): void {
    if (this.codec === undefined) {
      writeFileSync(this.tmpPath, encodeArrowFile(this.arrowRows, this.content));
      this.arrowRows.length = 0;
      return;
    }
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  publish(): void {
    if (existsSync(this.tmpPath)) renameSync(this.tmpPath, this.finalPath);
  }
}

export class FileSinkWriter implements SinkWriter {
  private readonly openFiles = new Map<string, InProgressFile>();
  /** Closed files not yet covered by a checkpoint barrier. */
  private closed: InProgressFile[] = [];
  /** Files per prepared checkpoint, waiting for its commit. */
  private readonly staged: { checkpoint: number; files: InProgressFile[] }[] = [];
  private prefix: string;
  private counter = 0;
  private readonly content: readonly StoredColumn[];
  private readonly contentIndex: readonly number[];
  private readonly codec: TextCodec | undefined;
  private ended = false;

  constructor(private readonly spec: FileSinkSpec, job: string) {
    this.prefix = `part-${job}-${randomBytes(4).toString('hex')}`;
    const partition = new Set(spec.partitionKeys);
    this.contentIndex = spec.columns.map((_, i) => i).filter((i) => !partition.has(i));
    this.content = this.contentIndex.map((i) => spec.columns[i] as StoredColumn);
    this.codec = spec.format === 'arrow' ? undefined : spec.codec(this.content);
  }

  write(batch: ChangeBatch): void {
    const partitioned = this.spec.partitionKeys.length > 0;
    for (let i = 0; i < batch.length; i++) {
      const row = batch.rows[i] as Row;
      const dir = partitioned ? this.partitionDir(row) : this.spec.path;
      let file = this.openFiles.get(dir);
      if (file === undefined) {
        const n = this.counter++;
        const name = `${this.prefix}-${n}.${formatExtensions[this.spec.format]}`;
        file = new InProgressFile(dir, join(dir, inProgressName(name)), join(dir, name), this.content, this.codec);
        this.openFiles.set(dir, file);
      }
      file.add(partitioned ? this.contentIndex.map((s) => row[s] as Value) : row);
      if (file.size >= this.spec.rollSize) {
        file.close();
        this.openFiles.delete(dir);
        this.closed.push(file);
      }
    }
  }

  private partitionDir(row: Row): string {
    let dir = this.spec.path;
    for (const k of this.spec.partitionKeys) {
      const c = this.spec.columns[k] as StoredColumn;
      const v = row[k] as Value;
      const text = v === null ? this.spec.defaultPartitionName : (formatValue(v, c.type) as string);
      dir = join(dir, `${c.name}=${encodeURIComponent(text)}`);
    }
    return dir;
  }

  prepareCommit(checkpointId: number): void {
    for (const f of this.openFiles.values()) {
      f.close();
      this.closed.push(f);
    }
    this.openFiles.clear();
    if (this.closed.length > 0) this.staged.push({ checkpoint: checkpointId, files: this.closed });
    this.closed = [];
  }

  commit(checkpointId: number): void {
    while (this.staged.length > 0 && (this.staged[0] as { checkpoint: number }).checkpoint <= checkpointId) {
      for (const f of (this.staged.shift() as { files: InProgressFile[] }).files) f.publish();
    }
  }

  pendingCommit(): FileSinkCheckpoint {
    const files: string[] = [];
    for (const s of this.staged) for (const f of s.files) files.push(relative(this.spec.path, f.finalPath));
    return { prefix: this.prefix, next: this.counter, files };
  }

  recover(pending: unknown): void {
    if (!isFileSinkCheckpoint(pending)) throw new Error(`the checkpoint holds no pending commit of a file sink writing "${this.spec.path}"`);
    for (const name of pending.files) {
      const finalPath = join(this.spec.path, name);
      const tmpPath = join(dirname(finalPath), inProgressName(basename(finalPath)));
      // Published already (the commit ran, or got this far), or still in progress.
      if (existsSync(tmpPath)) renameSync(tmpPath, finalPath);
    }
    // What is still in progress under the checkpoint's prefix was written after its barrier.
    const mine = `.${pending.prefix}-`;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.startsWith(mine) && e.name.endsWith('.inprogress')) unlinkSync(join(dir, e.name));
      }
    };
    if (existsSync(this.spec.path)) walk(this.spec.path);
    this.prefix = pending.prefix;
    this.counter = pending.next;
  }

  finish(): void {
    if (this.ended) return;
    this.prepareCommit(Number.MAX_SAFE_INTEGER);
    this.commit(Number.MAX_SAFE_INTEGER);
  }

  close(): void {
    // A clean stop publishes what was written.
    this.finish();
    this.ended = true;
  }

  abort(): void {
    // In-progress files stay unpublished: readers skip them, and the rows are written again.
    for (const f of this.openFiles.values()) f.close();
    this.openFiles.clear();
    this.closed = [];
    this.staged.length = 0;
    this.ended = true;
  }
}
