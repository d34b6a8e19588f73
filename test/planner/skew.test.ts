// Skew: a per-auction aggregation over a Nexmark-like bid stream where half the bids go to one hot auction, run one
// phase (as without mini-batches), one phase behind a mini-batch, and in two phases; same results, state accesses counted.

import { expect } from 'chai';
import type { Row } from '../../common/value.js';
import { ChangeBatch } from '../../executor/change.js';
import { Collector } from '../../executor/engine/sinks.js';
import { defaultOptimizerSettings, type OptimizerContext, type OptimizerSettings } from '../../planner/cost/context.js';
import type { Aggregate, LogicalPlan } from '../../planner/logical/index.js';
import { children } from '../../planner/logical/index.js';
import { buildDataflow } from '../../planner/physical/build-dataflow.js';
import { optimizeByCost } from '../../planner/rules/index.js';
import { TableStatistics } from '../../planner/stats/table-stats.js';
import { TestCatalog, bind } from '../binder/support.js';
import { multiset } from '../rules/interpreter.js';
import { CountingStateBackend } from './counting-state.js';

const QUERY = 'SELECT auction, count(*) AS bids, sum(price) AS volume, max(price) AS top FROM bids GROUP BY auction';
const HOT_AUCTION = 1000;

/** Bids in batches of `batchRows` (a source pushing small batches): every other bid is for the hot auction, as Nexmark's hotAuctionRatio = 2. */
function bidBatches(batches: number, batchRows: number): Row[][] {
  let seed = 42;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const out: Row[][] = [];
  for (let b = 0; b < batches; b++) {
    const rows: Row[] = [];
    for (let i = 0; i < batchRows; i++) {
      const hot = next() % 2 === 0;
      rows.push([hot ? HOT_AUCTION : HOT_AUCTION + 1 + (next() % 100), next() % 5000, 1 + (next() % 10_000)]);
    }
    out.push(rows);
  }
  return out;
}

interface Run {
  readonly rows: Row[];
  readonly plan: LogicalPlan;
  /** State reads and writes of the aggregation (the global phase when there are two). */
  readonly accesses: number;
  /** Rows the stateful aggregation took in (partials, for the global phase). */
  readonly rowsIntoAggregate: number;
}

function aggregateOf(plan: LogicalPlan): Aggregate {
  const found = findAggregate(plan);
  if (found === undefined) throw new Error('no aggregate');
  return found;
}

function findAggregate(plan: LogicalPlan): Aggregate | undefined {
  if (plan.kind === 'Aggregate') return plan;
  for (const c of children(plan)) {
    const a = findAggregate(c);
    if (a !== undefined) return a;
  }
  return undefined;
}

function runWith(settings: Partial<OptimizerSettings>, batches: Row[][]): Run {
  const cat = new TestCatalog().table('CREATE TABLE bids (auction BIGINT, bidder BIGINT, price INT)');
  // The planner sees the stream's statistics: the hot auction's share of the rows among them.
  const stats = new TableStatistics([{ name: 'auction', type: { kind: 'BIGINT' } }, { name: 'bidder', type: { kind: 'BIGINT' } }, { name: 'price', type: { kind: 'INT' } }]);
  for (const b of batches.slice(0, 20)) stats.observe(b.map(() => 0), b, 0);
  const modes = { scanMode: (): 'append' => 'append' };
  const ctx: OptimizerContext = {
    stats: { relation: (name) => (name === 'bids' ? stats.summary() : undefined) },
    modes,
    settings: { ...defaultOptimizerSettings, ...settings },
    notes: [],
    continuous: true,
  };
  const plan = optimizeByCost(bind(QUERY, cat).plan, ctx);
  const built = buildDataflow(plan, 'job', { modes });
  const collector = new Collector();
  const sink = built.dataflow.add(collector, 'result');
  built.dataflow.connect(built.root, sink, 0);
  const state = new CountingStateBackend();
  built.dataflow.open(state, () => 0);
  const port = built.ports[0]?.node;
  if (port === undefined) throw new Error('no scan');
  for (const b of batches) port.push(0, ChangeBatch.inserts(b));
  // What a read does first: bundles still held go out.
  built.dataflow.passOnHeld();
  const agg = built.dataflow.nodes.find((n) => n.operator.name === 'GroupAggregate' || n.operator.name === 'GlobalGroupAggregate');
  if (agg === undefined) throw new Error('no GroupAggregate');
  return { rows: collector.result(), plan, accesses: state.accesses(`job/${agg.id}`), rowsIntoAggregate: agg.rowsIn };
}

describe('skewed aggregation: two phases', () => {
  const batches = bidBatches(400, 50); // 20,000 bids
  const onePhase = runWith({ aggPhaseStrategy: 'ONE_PHASE' }, batches);
  const miniBatch = runWith({ aggPhaseStrategy: 'ONE_PHASE', miniBatch: { enabled: true, size: 1000, allowLatency: 0 } }, batches);
  const twoPhase = runWith({ aggPhaseStrategy: 'AUTO', miniBatch: { enabled: true, size: 1000, allowLatency: 0 } }, batches);

  it('chooses two phases by cost for the hot key, and says why', () => {
    expect(aggregateOf(onePhase.plan).strategy).to.equal(undefined);
    expect(aggregateOf(miniBatch.plan).strategy?.kind).to.equal('one-phase');
    const s = aggregateOf(twoPhase.plan).strategy;
    expect(s?.kind).to.equal('two-phase');
    // The statistics' heavy hitters see the hot auction (a lower bound: Misra-Gries undercounts).
    const share = Number(/hottest key holding (\d+)% of rows/.exec(s?.reason ?? '')?.[1]);
    expect(share).to.be.within(30, 55);
  });

  it('gives the same results every way', () => {
    expect(onePhase.rows.length).to.equal(101);
    expect(multiset(miniBatch.rows)).to.deep.equal(multiset(onePhase.rows));
    expect(multiset(twoPhase.rows)).to.deep.equal(multiset(onePhase.rows));
    const hot = twoPhase.rows.find((r) => r[0] === HOT_AUCTION);
    expect(hot?.[1]).to.be.within(9_500, 10_500);
  });

  it('reads and writes the hot group once per bundle instead of once per batch', () => {
    // One phase: every batch of 50 touches the hot group and ~25 others, each read and written.
    // Two phases: 20 bundles of 1,000 rows, each touching every group once.
    expect(twoPhase.accesses).to.be.below(onePhase.accesses / 3);
    // The global phase takes a partial per group and bundle, not every row.
    expect(twoPhase.rowsIntoAggregate).to.be.below(miniBatch.rowsIntoAggregate / 4);
    expect(miniBatch.rowsIntoAggregate).to.equal(20_000);
  });
});

