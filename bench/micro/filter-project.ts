// Micro-benchmark: filter + project (Calc) over a stream of inserts, through the dataflow the planner builds for a SELECT.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../../executor/change.js';
import { Engine } from '../../executor/engine/engine.js';
import type { StreamOperator } from '../../executor/operator.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import { parseStatement } from '../../parser/index.js';
import { buildDataflow } from '../../planner/physical/build-dataflow.js';
import { planQuery } from '../../planner/planner.js';
import { heapUsed, settle, SpanClock, xorshift, type Figure } from './measure.js';
import { CountingOutput } from './operators.js';

export const FILTER_PROJECT_QUERY = 'SELECT id, v * 2 + 1 AS w, s FROM t WHERE k < 50';

/** Distinct input batches, cycled: Calc keeps no state, so reusing rows changes nothing but the generator's cost. */
const POOL_BATCHES = 64;

/** Receives the dataflow's result and counts it. */
class CountingSink implements StreamOperator {
  readonly name = 'CountingSink';
  readonly counter = new CountingOutput();
  open(): void {}
  processBatch(_input: number, batch: ChangeBatch): void {
    this.counter.emit(batch);
  }
  processWatermark(): void {}
  snapshot(): void {}
  close(): void {}
}

/**
 * Plans FILTER_PROJECT_QUERY over `t (id BIGINT, k INT, v DOUBLE, s VARCHAR)`,
 * builds its dataflow (source port, Calc operators with compiled
 * expressions) and pushes `rows` inserts through it in batches.
 * Half of the rows pass the filter.
 */
export async function benchFilterProject(rows: number, batchSize: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-'));
  const engine = await Engine.open({ dataDir: dir });
  try {
    await engine.execute('CREATE TABLE t (id BIGINT, k INT, v DOUBLE, s VARCHAR)');
    const statement = parseStatement(FILTER_PROJECT_QUERY);
    if (statement.kind !== 'Query') throw new Error('expected a query');
    const planned = planQuery(statement, engine.catalog);
    const built = buildDataflow(planned.plan, 'bench', { modes: engine });
    const port = built.ports[0];
    if (port === undefined) throw new Error('the plan scans nothing');
    const sink = new CountingSink();
    built.dataflow.connect(built.root, built.dataflow.add(sink, 'sink'), 0);
    built.dataflow.open(new MemoryStateBackend(), () => 0);

    const rnd = xorshift(1);
    const words = ['auction', 'bid', 'person', 'seller', 'item', 'category', 'region', 'price'];
    const pool: ChangeBatch[] = [];
    for (let b = 0; b < POOL_BATCHES; b++) {
      const batch = new ChangeBatch();
      for (let i = 0; i < batchSize; i++) {
        const row: Value[] = [b * batchSize + i, Math.floor(rnd() * 100), rnd() * 1000, words[Math.floor(rnd() * words.length)] as string];
        batch.push(INSERT, row as Row);
      }
      pool.push(batch);
    }

    settle();
    const clock = new SpanClock();
    const batches = Math.ceil(rows / batchSize);
    clock.time(() => {
      for (let b = 0; b < batches; b++) port.node.push(0, pool[b % POOL_BATCHES] as ChangeBatch);
    });
    const pushed = batches * batchSize;
    const passed = sink.counter.changes;
    return {
      name: 'filter + project',
      detail: `${fmtInt(pushed)} rows, ${Math.round((100 * passed) / pushed)}% pass; ${built.dataflow.nodes.length - 2} Calc node(s)`,
      changes: pushed,
      wallSeconds: clock.wallSeconds,
      cpuSeconds: clock.cpuSeconds,
      target: 5_000_000,
      heapBytes: heapUsed(),
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
