// Differential test: random tables and DML, every query shape kept as a materialized view in Eddy and compared with DuckDB after each batch.
//
// `npm test` runs a fixed set of seeds (1..10). To run more, or replay one:
//   EDDY_DIFF_SEEDS=5000 npx mocha dist/test/differential/differential.test.js   seeds 1..5000
//   EDDY_DIFF_FIRST_SEED=5001 EDDY_DIFF_SEEDS=5000 ...                           seeds 5001..10000
//   EDDY_DIFF_SEED=1234 EDDY_DIFF_SHAPES=join-left ...                           one seed, shapes whose name contains "join-left"
//   EDDY_DIFF_BATCHES=20 ...                                                     batches per seed (default 8)
// A failure names the seed, the batch, the query, the rows that differ and an
// Eddy script (DDL, DML, the view) that replays it with `eddy run`.

import { expect } from 'chai';
import { shapes, type Shape } from './queries.js';
import { DifferentialRunner, TABLES_CHECK, describeFailure, type Failure } from './runner.js';

/** Seeds run by `npm test`: about 10 s on an idle 2-core machine, under 30 s on a busy one. */
const CI_SEEDS = 10;
const DEFAULT_BATCHES = 8;

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function selectedSeeds(): number[] {
  const list = process.env['EDDY_DIFF_SEED'];
  if (list) return list.split(',').map((s) => Number(s.trim()));
  const first = envInt('EDDY_DIFF_FIRST_SEED') ?? 1;
  const count = envInt('EDDY_DIFF_SEEDS') ?? CI_SEEDS;
  return Array.from({ length: count }, (_, i) => first + i);
}

function selectedShapes(): readonly Shape[] {
  const filter = process.env['EDDY_DIFF_SHAPES'];
  if (!filter) return shapes;
  const parts = filter.split(',').map((s) => s.trim());
  return shapes.filter((s) => parts.some((p) => s.name.includes(p)));
}

describe('differential: materialized views against DuckDB', function () {
  this.timeout(0);
  const seeds = selectedSeeds();
  const chosen = selectedShapes();
  const batches = envInt('EDDY_DIFF_BATCHES') ?? DEFAULT_BATCHES;
  const failures = new Map<string, Failure[]>();
  const verbose = seeds.length > CI_SEEDS;

  before(async () => {
    const runner = new DifferentialRunner();
    const started = Date.now();
    try {
      for (const [i, seed] of seeds.entries()) {
        for (const f of await runner.runSeed(seed, { shapes: chosen, batches })) {
          const list = failures.get(f.shape) ?? [];
          list.push(f);
          failures.set(f.shape, list);
        }
        if (verbose && (i + 1) % 100 === 0) {
          const failing = [...failures.entries()].map(([k, v]) => `${k}: ${v.length}`).join(', ');
          process.stderr.write(`differential: ${i + 1}/${seeds.length} seeds, ${((Date.now() - started) / 1000).toFixed(0)} s${failing ? `; failing seeds per shape: ${failing}` : ''}\n`);
        }
      }
    } finally {
      runner.close();
    }
  });

  for (const name of [TABLES_CHECK, ...chosen.map((s) => s.name)]) {
    it(`${name} (${seeds.length} seeds)`, () => {
      const list = failures.get(name) ?? [];
      const first = list[0];
      if (first === undefined) return;
      const others = list.slice(1, 20).map((f) => f.seed);
      const summary = `${name}: ${list.length} of ${seeds.length} seeds differ${others.length > 0 ? ` (also seeds ${others.join(', ')}${list.length > 20 ? ', ...' : ''})` : ''}`;
      expect.fail(`${summary}\n${describeFailure(first)}`);
    });
  }
});
