// System tables: eddy_jobs, eddy_operator_stats, eddy_late_rows, eddy_source_errors, eddy_checkpoints, eddy_table_stats
// and eddy_column_stats, computed when read.

import type { DataType } from '../../common/data-type.js';
import type { Row } from '../../common/value.js';
import type { CatalogRelation } from '../../planner/binder/catalog-reader.js';
import type { ChangeSource } from '../change-source.js';
import type { Output } from '../operator.js';
import type { Engine } from './engine.js';

export interface SystemTable extends ChangeSource {
  readonly relation: CatalogRelation;
}

const text: DataType = { kind: 'VARCHAR', length: null };
const bigint: DataType = { kind: 'BIGINT' };
const timestamp: DataType = { kind: 'TIMESTAMP', precision: 3 };
const double: DataType = { kind: 'DOUBLE' };

function relation(name: string, columns: readonly [string, DataType][]): CatalogRelation {
  return {
    name,
    kind: 'SYSTEM TABLE',
    columns: columns.map(([n, type]) => ({ name: n, type, nullable: true })),
    options: [],
  };
}

class ComputedTable implements SystemTable {
  constructor(readonly relation: CatalogRelation, private readonly rows: () => Row[]) {}

  contents(): Iterable<Row> {
    return this.rows();
  }

  /** Read-only snapshots: nothing to follow. */
  follow(_listener: Output): () => void {
    return () => {};
  }
}

export function systemTables(engine: Engine): Map<string, SystemTable> {
  const jobs = new ComputedTable(
    relation('eddy_jobs', [['job', bigint], ['sql', text], ['status', text], ['kind', text], ['target', text], ['error', text]]),
    () => [...engine.jobs.values()].map((j) => [Number(j.id), j.sql, j.status, j.kind, j.target, j.error?.message ?? null]),
  );
  const stats = new ComputedTable(
    relation('eddy_operator_stats', [
      ['job', bigint], ['operator', bigint], ['kind', text], ['detail', text],
      ['rows_in', bigint], ['rows_out', bigint], ['state_keys', bigint], ['state_bytes', bigint], ['late_rows', bigint],
    ]),
    () => {
      const out: Row[] = [];
      for (const job of engine.jobs.values()) {
        for (const s of job.built.dataflow.stats()) {
          out.push([Number(job.id), s.id, s.operator, s.detail, s.rowsIn, s.rowsOut, s.state.keys, s.state.bytes, s.lateRows]);
        }
      }
      // Shared arrangements belong to no one job: job is NULL, the detail names the jobs reading it.
      engine.arrangements.stats().forEach((a, i) => {
        out.push([null, i, 'Arrangement', `${a.label} for job${a.jobs.length > 1 ? 's' : ''} ${a.jobs.join(', ')}`, a.rows, a.rows, a.keys, a.bytes, 0]);
      });
      return out;
    },
  );
  // Rows a window, interval join or OVER aggregation could not apply: behind its watermark on arrival.
  const late = new ComputedTable(
    relation('eddy_late_rows', [
      ['job', bigint], ['operator', bigint], ['kind', text], ['source', text], ['row_text', text], ['row_time', timestamp], ['watermark', timestamp],
    ]),
    () => {
      const out: Row[] = [];
      for (const job of engine.jobs.values()) {
        for (const node of job.built.dataflow.nodes) {
          for (const r of node.lateRows) out.push([Number(job.id), node.id, node.operator.name, r.source, r.row, r.rowTime, r.watermark]);
        }
      }
      return out;
    },
  );
  // Rows a connector source skipped with 'format.ignore-parse-errors': where, why, and the running count per table.
  const sourceErrors = new ComputedTable(
    relation('eddy_source_errors', [
      ['source', text], ['seq', bigint], ['file', text], ['line', bigint], ['column', bigint], ['column_name', text], ['error', text], ['input', text],
    ]),
    () => {
      const out: Row[] = [];
      for (const [name, table] of engine.connectors) {
        for (const e of table.errors.kept) out.push([name, e.seq, e.file, e.line, e.column, e.columnName ?? null, e.error, e.input]);
      }
      return out;
    },
  );
  // Checkpoints taken (kept across restarts): when, how long until durable, bytes of state written, and how each ended.
  const checkpoints = new ComputedTable(
    relation('eddy_checkpoints', [['id', bigint], ['started', timestamp], ['duration_ms', bigint], ['bytes', bigint], ['status', text], ['error', text]]),
    () => engine.checkpointStore.history().map((c) => [c.id, c.started * 1000, c.durationMs, c.bytes, c.status, c.error]),
  );
  // What the planner knows of each relation (planner/stats/): observed as changes flow, analyzed, or declared.
  const tableStats = new ComputedTable(
    relation('eddy_table_stats', [['relation', text], ['rows', bigint], ['changes', bigint], ['retractions', bigint], ['update_rate', double], ['source', text]]),
    () => engine.statistics.names().sort().flatMap((name) => {
      const r = engine.statistics.relation(name);
      return r === undefined ? [] : [[name, Math.round(r.rows), r.changes, r.retractions, r.updateRate ?? null, r.source]];
    }),
  );
  const columnStats = new ComputedTable(
    relation('eddy_column_stats', [
      ['relation', text], ['column_name', text], ['ndv', bigint], ['null_fraction', double], ['top_share', double], ['avg_bytes', double],
      ['max_disorder_ms', double], ['out_of_order', double],
    ]),
    () => engine.statistics.names().sort().flatMap((name) => (engine.statistics.relation(name)?.columns ?? []).map((c) => [
      name, c.name, c.ndv ?? null, c.nullFraction, c.topShare ?? null, c.avgBytes ?? null,
      c.disorder === undefined ? null : c.disorder.maxLateness / 1000, c.disorder?.outOfOrderFraction ?? null,
    ])),
  );
  return new Map<string, SystemTable>([
    [tableStats.relation.name, tableStats], [columnStats.relation.name, columnStats],
    [jobs.relation.name, jobs], [stats.relation.name, stats], [late.relation.name, late], [sourceErrors.relation.name, sourceErrors],
    [checkpoints.relation.name, checkpoints],
  ]);
}
