// Shared arrangements: join inputs kept once for every materialized view that needs them (the same relation,
// filtered and projected the same way, filed by the same key), with the jobs reading each one counted.
//
// An arrangement is a small dataflow of its own: the side's plan (a scan with filters and projections) into an
// Arrangement operator, following the scanned relation like a job does. Its state lives under the operator ids
// `shared<id>/<node>` in the engine's durable backend, so checkpoints take it with every job's; a restored view
// finds it restored with it. Each reading job's join gets a port (`~shared:<id>:<job>`) its batches arrive
// through and a view of the rows for its lookups. DROP of the last view reading one drops it and its state.

import { SqlError, SqlState } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import type { LogicalPlan, SharedSide } from '../../planner/logical/index.js';
import { buildDataflow, type BuildOptions, type BuiltDataflow } from '../../planner/physical/build-dataflow.js';
import { ChangeBatch } from '../change.js';
import type { ChangeSource } from '../change-source.js';
import type { DataflowNode } from '../dataflow.js';
import type { Output } from '../operator.js';
import { Arrangement } from '../operators/arrangement.js';
import type { SharedSideView } from '../operators/join.js';
import type { StateBackend } from '../state/state-api.js';
import { replayable } from './snapshot.js';

/** What the registry needs of the engine. */
export interface ArrangementHost {
  readonly state: StateBackend;
  readonly now: () => number;
  source(name: string): ChangeSource;
}

const PORT_PREFIX = '~shared:';

type Follower = Output & { fail?(e: unknown): void };

interface Kept {
  readonly id: string;
  readonly side: SharedSide;
  readonly arrangement: Arrangement;
  readonly built: BuiltDataflow;
  readonly node: DataflowNode;
  readonly unfollow: (() => void)[];
  readonly followers: Map<string, Follower>;
  /** Readers whose job starts from the rows held (their join has no side of its own to backfill). */
  readonly backfill: Set<string>;
  failed: unknown;
}

/** The figures of one arrangement, for eddy_operator_stats. */
export interface ArrangementStats {
  readonly id: string;
  readonly label: string;
  readonly jobs: readonly string[];
  readonly rows: number;
  readonly keys: number;
  readonly bytes: number;
}

/** A short, stable id of a fingerprint (two 32-bit FNV-1a hashes). */
function idOf(fingerprint: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ fingerprint.length;
  for (let i = 0; i < fingerprint.length; i++) {
    const c = fingerprint.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export class SharedArrangements {
  private readonly kept = new Map<string, Kept>();
  /** Per job, how many joins of it read arrangements (each is a reader of its own). */
  private readonly uses = new Map<string, number>();

  constructor(private readonly host: ArrangementHost) {}

  /**
   * The shared side `side` (over `plan`) for a join of job `jobId`: the view its lookups
   * read and the port its batches come in through. The first job to need it builds it
   * (from its relation's contents, or, when that job is `restoring` from a checkpoint,
   * on the state the checkpoint holds); later ones read the same one.
   */
  acquire(jobId: string, side: SharedSide, plan: LogicalPlan, options: BuildOptions, restoring: boolean, backfill = false): { view: SharedSideView; port: string } {
    const id = idOf(side.fingerprint);
    let k = this.kept.get(id);
    if (k === undefined) {
      k = this.create(id, side, plan, options, restoring);
      this.kept.set(id, k);
    }
    const n = this.uses.get(jobId) ?? 0;
    this.uses.set(jobId, n + 1);
    const reader = `${jobId}#${n}`;
    if (backfill) k.backfill.add(reader);
    return { view: k.arrangement.reader(reader), port: `${PORT_PREFIX}${id}:${reader}` };
  }

  private create(id: string, side: SharedSide, plan: LogicalPlan, options: BuildOptions, restoring: boolean): Kept {
    const { shared: _none, ...rest } = options;
    const built = buildDataflow(plan, `shared${id}`, { ...rest, snapshot: false });
    const arrangement = new Arrangement(side.keys);
    const node = built.dataflow.add(arrangement, side.label);
    built.dataflow.connect(built.root, node, 0);
    const k: Kept = { id, side, arrangement, built, node, unfollow: [], followers: new Map(), backfill: new Set(), failed: undefined };
    // A fresh arrangement starts empty: whatever an older one of the same id left is not its.
    if (!restoring) for (const n of built.dataflow.nodes) this.host.state.dropOperator(`shared${id}/${n.id}`);
    built.dataflow.open(this.host.state, this.host.now);
    for (const port of built.ports) {
      const source = this.host.source(port.object);
      const push = { emit: (b: ChangeBatch) => this.guard(k, () => port.node.push(0, b)), emitWatermark: (w: number) => this.guard(k, () => port.node.pushWatermark(0, w)) };
      // A table replays its log with its watermarks in place; other sources give their contents (unless
      // restored: the state holds them), then their watermark.
      if (!restoring && replayable(source)) source.replay(push);
      else {
        if (!restoring) {
          const rows: Row[] = [...source.contents()];
          if (rows.length > 0) push.emit(ChangeBatch.inserts(rows));
        }
        const w = source.watermark?.();
        if (w !== undefined) push.emitWatermark(w);
      }
      k.unfollow.push(source.follow(push));
    }
    return k;
  }

  /** A failure inside an arrangement fails every job reading it, not the write that fed it. */
  private guard(k: Kept, f: () => void): void {
    if (k.failed !== undefined) return;
    try {
      f();
    } catch (e) {
      k.failed = e instanceof SqlError ? e : new SqlError(SqlState.internalError, String(e instanceof Error ? e.message : e));
      for (const u of k.unfollow.splice(0)) u();
      for (const f2 of k.followers.values()) f2.fail?.(k.failed);
    }
  }

  /** The port source of a reading job (`~shared:<id>:<job>`), for the job to follow; undefined for other names. */
  source(name: string): ChangeSource | undefined {
    if (!name.startsWith(PORT_PREFIX)) return undefined;
    const [id, reader] = name.slice(PORT_PREFIX.length).split(':') as [string, string];
    const k = this.kept.get(id);
    if (k === undefined) return undefined;
    return {
      // Nothing to backfill, as a rule: the reader's lookups see every row the arrangement holds.
      contents: () => (k.backfill.has(reader) ? k.arrangement.contents() : []),
      follow: (listener: Follower) => {
        if (k.failed !== undefined) listener.fail?.(k.failed);
        k.followers.set(reader, listener);
        const stop = k.arrangement.follow(reader, listener);
        return () => {
          stop();
          if (k.followers.get(reader) === listener) k.followers.delete(reader);
        };
      },
      watermark: () => k.arrangement.watermark(),
    };
  }

  /** Job `jobId` is dropped: it reads its arrangements no more; one nobody reads is stopped and its state dropped. */
  release(jobId: string): void {
    this.uses.delete(jobId);
    for (const [id, k] of [...this.kept]) {
      if (!k.arrangement.jobs.includes(jobId)) continue;
      for (const r of [...k.backfill]) if (r.startsWith(`${jobId}#`)) k.backfill.delete(r);
      if (k.arrangement.forgetJob(jobId) > 0) continue;
      for (const u of k.unfollow.splice(0)) u();
      k.built.dataflow.close(this.host.state);
      this.kept.delete(id);
    }
  }

  /** The jobs reading the arrangement `side` would use (none when it does not exist yet). */
  readers(side: SharedSide): string[] {
    return this.kept.get(idOf(side.fingerprint))?.arrangement.jobs ?? [];
  }

  /** Whether operator-id prefix `prefix` (the part before '/') is one of the kept arrangements'. */
  owns(prefix: string): boolean {
    return prefix.startsWith('shared') && this.kept.has(prefix.slice('shared'.length));
  }

  stats(): ArrangementStats[] {
    return [...this.kept.values()].map((k) => {
      let keys = 0;
      let bytes = 0;
      for (const n of k.built.dataflow.nodes) {
        const s = n.stateStats();
        keys += s.keys;
        bytes += s.bytes;
      }
      return { id: k.id, label: k.side.label, jobs: k.arrangement.jobs, rows: k.node.rowsIn, keys, bytes };
    });
  }

  /** The engine closes: every arrangement stops following (its state stays for the next open). */
  stop(): void {
    for (const k of this.kept.values()) for (const u of k.unfollow.splice(0)) u();
    this.kept.clear();
  }
}
