// System tables: eddy_jobs and eddy_operator_stats, computed when read.

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
      ['rows_in', bigint], ['rows_out', bigint], ['state_keys', bigint], ['state_bytes', bigint],
    ]),
    () => {
      const out: Row[] = [];
      for (const job of engine.jobs.values()) {
        for (const s of job.built.dataflow.stats()) {
          out.push([Number(job.id), s.id, s.operator, s.detail, s.rowsIn, s.rowsOut, s.state.keys, s.state.bytes]);
        }
      }
      return out;
    },
  );
  return new Map<string, SystemTable>([[jobs.relation.name, jobs], [stats.relation.name, stats]]);
}
