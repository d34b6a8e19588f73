// One-shot reads: a plan run once over the current contents of what it scans.

import { compareValues } from '../../common/compare.js';
import type { Row, Value } from '../../common/value.js';
import type { LogicalPlan } from '../../planner/logical/index.js';
import type { SortKey } from '../../planner/logical/sort.js';
import { buildDataflow, type BuildOptions, type BuiltDataflow } from '../../planner/physical/build-dataflow.js';
import type { DataflowNode } from '../dataflow.js';
import { ChangeBatch } from '../change.js';
import type { ChangeSource } from '../change-source.js';
import type { Output } from '../operator.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { Engine } from './engine.js';
import { Collector } from './sinks.js';

/**
 * Evaluates `plan` over the current state of the engine. Reads see every acknowledged write.
 * `inspect` sees the dataflow after it ran, before it is closed (EXPLAIN ANALYZE reads its figures).
 */
export function runSnapshot(engine: Engine, plan: LogicalPlan, options: BuildOptions, inspect?: (built: BuiltDataflow, sink: DataflowNode) => void): Row[] {
  // Rows mini-batches hold back go out first: the read sees every write acknowledged before it.
  for (const job of engine.jobs.values()) job.passOnHeld();
  const built = buildDataflow(plan, 'read', { ...options, snapshot: true });
  const collector = new Collector();
  const sink = built.dataflow.add(collector, 'result');
  built.dataflow.connect(built.root, sink, 0);
  // A private, short-lived state: a read leaves nothing behind.
  built.dataflow.open(new MemoryStateBackend(), engine.now);
  // A table replays its log with its watermarks in their places (rows late when written are late
  // again); other sources give their contents. Then the watermarks: a read sees exactly the
  // windows a continuous job would have closed.
  for (const port of built.ports) {
    const source = engine.source(port.object);
    if (replayable(source)) source.replay({ emit: (b) => port.node.push(0, b), emitWatermark: (w) => port.node.pushWatermark(0, w) });
    else {
      const rows = [...source.contents()];
      if (rows.length > 0) port.node.push(0, ChangeBatch.inserts(rows));
    }
  }
  for (const port of built.ports) {
    const source = engine.source(port.object);
    if (replayable(source)) continue;
    const w = source.watermark?.();
    if (w !== undefined) port.node.pushWatermark(0, w);
  }
  for (const v of built.values) v.start();
  built.dataflow.passOnHeld();
  const rows = collector.result();
  inspect?.(built, sink);
  built.dataflow.close();
  if (!built.order) return rows;
  let out: Row[] = sortRows(rows, built.order);
  // Innermost projection first.
  for (const projection of built.finalProjections ?? []) {
    out = out.map((row) => projection.map((f) => f(row)));
  }
  return out;
}

/** A source that can push its history with watermarks where they were (a SQL-fed table). */
export interface Replayable extends ChangeSource {
  replay(output: Output): void;
}

export function replayable(source: ChangeSource): source is Replayable {
  return typeof (source as Partial<Replayable>).replay === 'function';
}

/** Sorts rows by SQL ORDER BY keys (stable, so equal rows keep arrival order). */
export function sortRows(rows: Row[], keys: readonly SortKey[]): Row[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const x = a[k.index] as Value;
      const y = b[k.index] as Value;
      if (x === null || y === null) {
        if (x === y) continue;
        // compareValues puts NULL last; flip that for NULLS FIRST.
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  });
}
