// Test helper: an LMDB state backend in a temporary directory, with checkpoints and reopening (as recovery does).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, type CheckpointFault, type CheckpointOutcome } from '../../executor/checkpoint/checkpoint-store.js';
import { Storage } from '../../executor/engine/storage.js';
import { LmdbStateBackend, type LmdbStateBackendOptions } from '../../executor/state/lmdb-backend.js';

/**
 * @example
 *   const env = new LmdbTestEnv({ memoryLimit: 64 * 1024 });
 *   env.backend.forOperator('op').value<number>('v').put(['a'], 1);
 *   await env.checkpoint();
 *   await env.reopen();   // a fresh backend over the same directory: the checkpoint's state
 *   await env.dispose();
 */
export class LmdbTestEnv {
  readonly dir: string;
  storage!: Storage;
  store!: CheckpointStore;
  backend!: LmdbStateBackend;

  constructor(private readonly options: LmdbStateBackendOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'eddy-state-'));
    this.open();
  }

  private open(): void {
    this.storage = Storage.open(this.dir);
    this.store = new CheckpointStore(this.storage.root, this.storage.checkpoints);
    const latest = this.store.latest()?.id ?? 0;
    this.backend = LmdbStateBackend.open(this.storage.state, latest, this.options);
  }

  /** Writes every dirty entry in one checkpoint and waits until it is durable (or failed). */
  async checkpoint(fault?: CheckpointFault): Promise<CheckpointOutcome> {
    const id = this.store.nextId();
    const state = this.backend.collectCheckpoint(id);
    const outcome = await this.store.commit({ id, started: Date.now(), position: 0, jobs: [], tables: [], catalog: [] }, state, fault);
    if (outcome.status === 'COMPLETED') this.backend.purgeUndo(id);
    return outcome;
  }

  /** Lets every spill commit, so evicted entries leave the cache. */
  async settle(): Promise<void> {
    await this.backend.settled();
  }

  /** Drops the process's view (cache, dirty entries) as a crash does, and opens the directory again. */
  async reopen(): Promise<void> {
    this.backend.discard();
    await this.backend.settled();
    await this.storage.close();
    this.open();
  }

  async dispose(): Promise<void> {
    await this.backend.settled();
    await this.storage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
