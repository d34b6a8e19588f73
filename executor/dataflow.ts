// A job's operator graph: nodes wired output-to-input, driven by pushes into
// its source nodes. Counts rows in and out per node for eddy_operator_stats.

import type { Row } from '../common/value.js';
import type { ChangeBatch } from './change.js';
import type { Output, StreamOperator } from './operator.js';
import type { StateBackend, StateStats } from './state/state-api.js';

export interface NodeStats {
  readonly id: number;
  readonly operator: string;
  readonly detail: string;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly state: StateStats;
  /** Rows that arrived too late to change anything (time-ordered operators). */
  readonly lateRows: number;
}

/** One late row as eddy_late_rows shows it. */
export interface LateRow {
  /** The relations feeding the input the row came from. */
  readonly source: string;
  readonly row: string;
  readonly rowTime: number | null;
  readonly watermark: number;
}

/** How many late rows each operator keeps to show; older ones are only counted. */
export const LATE_ROWS_KEPT = 1000;

/** What a node knows of its inputs to describe a late row: per input, its sources and a row formatter. */
export interface LateRowFormat {
  readonly sources: readonly string[];
  readonly text: (input: number, row: Row) => string;
}

interface Edge {
  readonly node: DataflowNode;
  readonly input: number;
}

export class DataflowNode implements Output {
  readonly targets: Edge[] = [];
  rowsIn = 0;
  rowsOut = 0;
  lateCount = 0;
  /** The last LATE_ROWS_KEPT late rows, oldest first. */
  readonly lateRows: LateRow[] = [];
  lateFormat: LateRowFormat | undefined;
  stateStats: () => StateStats = () => ({ keys: 0, bytes: 0 });

  constructor(readonly id: number, readonly operator: StreamOperator, readonly detail: string) {}

  /** Input `input` of this node receives a batch. */
  push(input: number, batch: ChangeBatch): void {
    this.rowsIn += batch.length;
    this.operator.processBatch(input, batch);
  }

  pushWatermark(input: number, watermark: number): void {
    this.operator.processWatermark(input, watermark);
  }

  emit(batch: ChangeBatch): void {
    if (batch.length === 0) return;
    this.rowsOut += batch.length;
    for (const t of this.targets) t.node.push(t.input, batch);
  }

  emitWatermark(watermark: number): void {
    for (const t of this.targets) t.node.pushWatermark(t.input, watermark);
  }

  /** Counts a late row and keeps it (bounded) for eddy_late_rows. */
  recordLate(input: number, row: Row, rowTime: number | null, watermark: number): void {
    this.lateCount++;
    const f = this.lateFormat;
    const entry: LateRow = {
      source: f?.sources[input] ?? '',
      row: f === undefined ? row.map(String).join(', ') : f.text(input, row),
      rowTime,
      watermark,
    };
    if (this.lateRows.length >= LATE_ROWS_KEPT) this.lateRows.shift();
    this.lateRows.push(entry);
  }
}

export class Dataflow {
  readonly nodes: DataflowNode[] = [];
  private opened = false;
  /** 'table.exec.source.idle-timeout' in microseconds, handed to every operator (0: off). */
  idleTimeout = 0;

  constructor(readonly jobId: string) {}

  add(operator: StreamOperator, detail = ''): DataflowNode {
    const node = new DataflowNode(this.nodes.length, operator, detail);
    this.nodes.push(node);
    return node;
  }

  connect(from: DataflowNode, to: DataflowNode, input: number): void {
    from.targets.push({ node: to, input });
  }

  /** Opens every operator, downstream first, so no operator emits into an unopened one. */
  open(state: StateBackend, now: () => number): void {
    if (this.opened) return;
    this.opened = true;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i] as DataflowNode;
      const opState = state.forOperator(`${this.jobId}/${node.id}`);
      node.stateStats = () => opState.stats();
      node.operator.open({
        state: opState,
        output: node,
        now,
        lateRow: (input, row, rowTime, watermark) => node.recordLate(input, row, rowTime, watermark),
        idleTimeout: this.idleTimeout,
      });
    }
  }

  snapshot(checkpointId: number): void {
    for (const node of this.nodes) node.operator.snapshot(checkpointId);
  }

  /** Operators holding rows back pass them on, upstream first (nodes are in build order: inputs before what reads them). */
  passOnHeld(): void {
    for (const node of this.nodes) node.operator.passOnHeld?.();
  }

  close(state?: StateBackend): void {
    for (const node of this.nodes) {
      node.operator.close();
      state?.dropOperator(`${this.jobId}/${node.id}`);
    }
  }

  stats(): NodeStats[] {
    return this.nodes.map((n) => ({
      id: n.id,
      operator: n.operator.name,
      detail: n.detail,
      rowsIn: n.rowsIn,
      rowsOut: n.rowsOut,
      state: n.stateStats(),
      lateRows: n.lateCount,
    }));
  }
}
