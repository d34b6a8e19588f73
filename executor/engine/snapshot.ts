// One-shot reads: a plan run once over the current contents of what it scans.

import { compareValues } from '../../common/compare.js';
import type { Row, Value } from '../../common/value.js';
import type { DataType } from '../../common/data-type.js';
import type { BoundExpr } from '../../planner/bound/expr.js';
import { children, type LogicalPlan } from '../../planner/logical/index.js';
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
  const probes = pointProbes(built, options.params ?? []);
  for (const port of built.ports) {
    const source = engine.source(port.object);
    if (replayable(source)) source.replay({ emit: (b) => port.node.push(0, b), emitWatermark: (w) => port.node.pushWatermark(0, w) });
    else {
      const probe = probes.get(port.object);
      const rows = (probe !== undefined && lookable(source) ? source.lookup(probe.column, probe.value) : undefined) ?? [...source.contents()];
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

/** A source that can hand over the rows with one value in a column without reading the others (a materialized view). */
interface Lookable extends ChangeSource {
  lookup(column: number, value: Value): Row[] | undefined;
}

function lookable(source: ChangeSource): source is Lookable {
  return typeof (source as Partial<Lookable>).lookup === 'function';
}

/** Only the rows whose column `column` equals `value` can pass the read's filter over a scan. */
interface PointProbe {
  readonly column: number;
  readonly value: Value;
}

/**
 * Column types whose SQL equality (between two values of the same type) is equality of
 * value keys (common/key.ts), so a lookup by key finds every row the filter keeps.
 */
const PROBED_TYPES: ReadonlySet<DataType['kind']> = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'VARCHAR', 'DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ']);

/**
 * Scans the read may feed only the rows of one value: a relation scanned once (one port,
 * one Scan) directly under a filter with a conjunct `column = constant` (a literal or a
 * parameter of the column's type). The filter still runs, so what a lookup hands over
 * only has to include every row it keeps.
 */
function pointProbes(built: BuiltDataflow, params: readonly Value[]): Map<string, PointProbe> {
  const ports = new Map<string, number>();
  for (const port of built.ports) ports.set(port.object, (ports.get(port.object) ?? 0) + 1);
  const scans = new Map<string, number>();
  const found = new Map<string, PointProbe>();
  const visit = (plan: LogicalPlan): void => {
    if (plan.kind === 'Scan') scans.set(plan.object, (scans.get(plan.object) ?? 0) + 1);
    if (plan.kind === 'Filter' && plan.input.kind === 'Scan') {
      const probe = equalityProbe(plan.predicate, params);
      if (probe !== undefined) found.set(plan.input.object, probe);
    }
    for (const child of children(plan)) visit(child);
  };
  visit(built.plan);
  for (const object of [...found.keys()]) {
    if (ports.get(object) !== 1 || scans.get(object) !== 1) found.delete(object);
  }
  return found;
}

function equalityProbe(predicate: BoundExpr, params: readonly Value[]): PointProbe | undefined {
  if (predicate.kind !== 'Call') return undefined;
  if (predicate.fn === 'and') {
    for (const arg of predicate.args) {
      const probe = equalityProbe(arg, params);
      if (probe !== undefined) return probe;
    }
    return undefined;
  }
  if (predicate.fn !== '=' || predicate.args.length !== 2) return undefined;
  const [a, b] = predicate.args as [BoundExpr, BoundExpr];
  const aColumn = probedColumn(a);
  const [column, constant] = aColumn !== undefined ? [aColumn, b] : [probedColumn(b), a];
  if (column === undefined || constant.type.kind !== column.type.kind) return undefined;
  const value = constant.kind === 'Literal' ? constant.value : constant.kind === 'ParamRef' ? params[constant.index] : undefined;
  // A value of another runtime representation than the column's (a parameter still in text) is not probed.
  const wanted = column.type.kind === 'VARCHAR' ? 'string' : column.type.kind === 'BOOLEAN' ? 'boolean' : 'number';
  if (value === undefined || value === null || typeof value !== wanted) return undefined;
  return { column: column.index, value };
}

/** Integer types, narrowest first. */
const INTEGER_TYPES: readonly DataType['kind'][] = ['TINYINT', 'SMALLINT', 'INT', 'BIGINT'];

/**
 * A column compared as itself, or widened to a larger integer type (`CAST(k AS BIGINT) = $1`
 * when the parameter came as a BIGINT): a widened integer equals another exactly when
 * the column's own value does. Gives the column and the type it is compared as.
 */
function probedColumn(e: BoundExpr): { readonly index: number; readonly type: DataType } | undefined {
  if (e.kind === 'InputRef') return PROBED_TYPES.has(e.type.kind) ? { index: e.index, type: e.type } : undefined;
  if (e.kind === 'Cast' && e.operand.kind === 'InputRef') {
    // Widening only: a narrowing cast can fail on rows a lookup would not feed.
    const from = INTEGER_TYPES.indexOf(e.operand.type.kind);
    const to = INTEGER_TYPES.indexOf(e.type.kind);
    if (from >= 0 && to >= from) return { index: e.operand.index, type: e.type };
  }
  return undefined;
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
