// Arrangement: a relation's rows filed by key, kept once and read by the joins of several jobs (shared state).
//
// State: sorted state "rows", [join key, row key] -> [row, copies, 0] (a join side's entry): a join key's rows are
// one prefix scan, and the whole relation one scan when a job starts from it.
// A batch is applied to the state first, then handed to each reader in turn; a reader that has not
// had it yet (its turn comes later in the same batch, or another reader's output reaches it first)
// sees the arrangement as it was before the batch, so every reader joins each change exactly once.

import { projectedKey, rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { ChangeBatch, DELETE, UPDATE_BEFORE, type ChangeKind } from '../change.js';
import type { OperatorContext, Output, StreamOperator } from '../operator.js';
import type { SortedState, StateKey } from '../state/state-api.js';
import type { SideEntry, SharedSideView } from './join.js';

/** One reader (a join of a job; a job may have several): where its copy of each batch goes, and whether it has had the batch being delivered. */
interface Reader {
  /** `<job id>#<n>`: the job and which of its joins. */
  readonly id: string;
  output: Output | undefined;
  /** False while the batch being delivered has not reached this reader yet. */
  current: boolean;
}

/** Per join key, per row key: how the batch being delivered changed the row's copies, and the row. */
type Pending = Map<string, Map<string, { row: Row; delta: number }>>;

/**
 * @example
 *   // orders filed by customer_id (column 1), read by the joins of two views
 *   const a = new Arrangement([1]);
 *   const r = a.reader('3#0'); a.follow('3#0', portOfJob3);
 *   for (const [id, [row, copies]] of r.entries([projectedKey(someRow, [1])])) ...
 */
export class Arrangement implements StreamOperator {
  readonly name = 'Arrangement';
  private rows!: SortedState<SideEntry>;
  private readonly readers: Reader[] = [];
  private pending: Pending | undefined;
  private lastWatermark: number | undefined;
  /** Batches that arrived while one was being delivered (a reader's output came back to the source): taken in order after it. */
  private readonly queued: ChangeBatch[] = [];

  constructor(private readonly keys: readonly number[]) {}

  open(context: OperatorContext): void {
    this.rows = context.state.sorted<SideEntry>('rows');
  }

  /** Reader `id` (`<job>#<n>`); what it reads from then on is the arrangement as that reader has seen it. */
  reader(id: string): SharedSideView {
    let r = this.readers.find((x) => x.id === id);
    if (r === undefined) {
      r = { id, output: undefined, current: true };
      this.readers.push(r);
    }
    const reader = r;
    return { entries: (joinKey) => this.entriesFor(reader, joinKey) };
  }

  /** Starts handing each applied batch (and the watermark) to `output` for reader `id`; returns the stop function. */
  follow(id: string, output: Output): () => void {
    const r = this.readers.find((x) => x.id === id);
    if (r === undefined) throw new Error(`reader ${id} does not read this arrangement`);
    r.output = output;
    return () => {
      if (r.output === output) r.output = undefined;
    };
  }

  /** Forgets every reader of job `job`; returns how many readers remain. */
  forgetJob(job: string): number {
    for (let i = this.readers.length - 1; i >= 0; i--) if ((this.readers[i] as Reader).id.startsWith(`${job}#`)) this.readers.splice(i, 1);
    return this.readers.length;
  }

  /** The jobs reading it, each once. */
  get jobs(): string[] {
    return [...new Set(this.readers.map((r) => r.id.slice(0, r.id.indexOf('#'))))];
  }

  watermark(): number | undefined {
    return this.lastWatermark;
  }

  /** Every row held, each as often as it is held (a multiset). */
  *contents(): IterableIterator<Row> {
    for (const [, entry] of this.rows.range(undefined, undefined)) for (let c = 0; c < entry[1]; c++) yield entry[0];
  }

  processBatch(_input: number, batch: ChangeBatch): void {
    if (this.pending !== undefined) {
      this.queued.push(batch);
      return;
    }
    this.deliver(batch);
    while (this.queued.length > 0) this.deliver(this.queued.shift() as ChangeBatch);
  }

  private deliver(batch: ChangeBatch): void {
    const applied = new ChangeBatch();
    const pending: Pending = new Map();
    for (let i = 0; i < batch.length; i++) {
      const kind = batch.kinds[i] as ChangeKind;
      const row = batch.rows[i] as Row;
      if (this.apply(kind, row, pending)) applied.push(kind, row);
    }
    if (applied.length === 0) return;
    // Readers take the batch in turn; until its turn, a reader sees the rows as they were.
    this.pending = pending;
    for (const r of this.readers) r.current = false;
    try {
      for (const r of this.readers) {
        r.current = true;
        r.output?.emit(applied);
      }
    } finally {
      for (const r of this.readers) r.current = true;
      this.pending = undefined;
    }
  }

  processWatermark(_input: number, watermark: number): void {
    if (this.lastWatermark !== undefined && watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    for (const r of this.readers) r.output?.emitWatermark(watermark);
  }

  snapshot(_checkpointId: number): void {}

  close(): void {}

  /** Applies one change; false for a retraction of a row it does not hold (inconsistent input: ignored, as a join side does). */
  private apply(kind: ChangeKind, row: Row, pending: Pending): boolean {
    const keys = this.keys;
    // A NULL key matches nothing: such rows are never filed (the readers pass them through themselves).
    for (let i = 0; i < keys.length; i++) if (row[keys[i] as number] === null) return true;
    const retract = kind === UPDATE_BEFORE || kind === DELETE;
    const key = projectedKey(row, keys);
    const id = rowKey(row);
    const stateKey: StateKey = [key, id];
    const entry = this.rows.get(stateKey);
    if (retract && entry === undefined) return false;
    if (entry === undefined) this.rows.put(stateKey, [row, 1, 0]);
    else {
      entry[1] += retract ? -1 : 1;
      if (entry[1] <= 0) this.rows.delete(stateKey);
      else this.rows.put(stateKey, entry);
    }
    let byRow = pending.get(key);
    if (byRow === undefined) {
      byRow = new Map();
      pending.set(key, byRow);
    }
    const p = byRow.get(id);
    if (p === undefined) byRow.set(id, { row, delta: retract ? -1 : 1 });
    else p.delta += retract ? -1 : 1;
    return true;
  }

  /** The rows of `joinKey` as `reader` has seen them: without the batch being delivered if it has not had it yet. */
  private *entriesFor(reader: Reader, joinKey: StateKey): IterableIterator<[StateKey, SideEntry]> {
    const changed = reader.current || this.pending === undefined ? undefined : this.pending.get(joinKey[0] as string);
    if (changed === undefined) {
      for (const [k, e] of this.rows.scan(joinKey)) yield [[k[1] as string], e];
      return;
    }
    const seen = new Set<string>();
    for (const [k, e] of this.rows.scan(joinKey)) {
      const id = k[1] as string;
      const p = changed.get(id);
      seen.add(id);
      const copies = e[1] - (p?.delta ?? 0);
      if (copies > 0) yield [[id], [e[0], copies, 0]];
    }
    // Rows the batch took away completely are still there for this reader.
    for (const [id, p] of changed) if (!seen.has(id) && p.delta < 0) yield [[id], [p.row, -p.delta, 0]];
  }
}
