// Micro-benchmark: MATCH_RECOGNIZE with Flink's V-shape pattern over a tick stream of many symbols, the watermark advanced after every batch.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Row } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../../executor/change.js';
import { MatchRecognize } from '../../executor/operators/match-recognize.js';
import type { Query } from '../../parser/ast/index.js';
import { parseStatement } from '../../parser/index.js';
import { bindQuery } from '../../planner/binder/index.js';
import type { CatalogReader, CatalogRelation } from '../../planner/binder/catalog-reader.js';
import { bindCreateTable } from '../../planner/binder/index.js';
import type { CreateTable } from '../../parser/ast/index.js';
import type { LogicalPlan } from '../../planner/logical/index.js';
import type { MatchRecognize as MatchRecognizeNode } from '../../planner/logical/match-recognize.js';
import { fmtInt } from './filter-project.js';
import { heapUsed, settle, SpanClock, xorshift, type Figure } from './measure.js';
import { openOperator } from './operators.js';
import { machine, markdownTable } from './report.js';

const SECOND = 1_000_000;
/** Ticks per second of event time, over all symbols. */
const TICK_RATE = 10_000;
/** How far the watermark trails the newest tick, and how late (at most) a tick arrives. */
const DELAY = SECOND / 2;

/** The query of Flink's documentation (V shape, AFTER MATCH SKIP TO LAST PRICE_UP). */
export const V_SHAPE = `
SELECT * FROM ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    START_ROW.rowtime AS start_tstamp,
    LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
    LAST(PRICE_UP.rowtime) AS end_tstamp
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST PRICE_UP
  PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
  DEFINE
    PRICE_DOWN AS
      (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
        PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
    PRICE_UP AS
      PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
) MR`;

/** A catalog of one table, made from its DDL. */
class OneTable implements CatalogReader {
  private table: CatalogRelation | undefined;

  constructor(ddl: string) {
    this.table = bindCreateTable(parseStatement(ddl) as CreateTable, this);
  }

  relation(name: string): CatalogRelation | undefined {
    return name === this.table?.name ? this.table : undefined;
  }

  relationNames(): readonly string[] {
    return this.table === undefined ? [] : [this.table.name];
  }
}

/** The MatchRecognize node of `sql` over `ticker (symbol, price, tax, rowtime)`. */
export function tickerMatchRecognize(sql: string): MatchRecognizeNode {
  const catalog = new OneTable('CREATE TABLE ticker (symbol STRING, price BIGINT, tax BIGINT, rowtime TIMESTAMP(3), WATERMARK FOR rowtime AS rowtime)');
  let plan: LogicalPlan = bindQuery(parseStatement(sql) as Query, catalog).plan;
  while (plan.kind === 'Project') plan = plan.input;
  if (plan.kind !== 'MatchRecognize') throw new Error(`expected MatchRecognize, got ${plan.kind}`);
  return plan;
}

/**
 * `ticks` rows (symbol, price, tax, rowtime) over `symbols` symbols, each
 * symbol's price a random walk; ticks arrive in time order give or take up to
 * half a second, in batches, the watermark (half a second behind the newest
 * tick) advanced after each.
 */
export function benchMatchRecognize(ticks: number, symbols: number, batchSize: number): Figure {
  const { operator, output } = openOperator(new MatchRecognize({ node: tickerMatchRecognize(V_SHAPE) }));
  const rnd = xorshift(11);
  const names = Array.from({ length: symbols }, (_, i) => `S${i}`);
  const prices = new Float64Array(symbols).fill(100);
  settle();
  const clock = new SpanClock();
  let newest = 0;
  for (let start = 0; start < ticks; start += batchSize) {
    const batch = new ChangeBatch();
    const end = Math.min(ticks, start + batchSize);
    for (let i = start; i < end; i++) {
      const t = Math.floor((i * SECOND) / TICK_RATE);
      const ts = Math.max(t - Math.floor(rnd() * DELAY), newest - DELAY + 1);
      newest = Math.max(newest, ts);
      const s = Math.floor(rnd() * symbols);
      const p = Math.max(1, (prices[s] as number) + Math.floor(rnd() * 7) - 3);
      prices[s] = p;
      batch.push(INSERT, [names[s] as string, p, 1, ts] as Row);
    }
    const watermark = newest - DELAY;
    clock.time(() => {
      operator.processBatch(0, batch);
      operator.processWatermark(0, watermark);
    });
  }
  return {
    name: 'MATCH_RECOGNIZE: V shape',
    detail: `START_ROW PRICE_DOWN+ PRICE_UP, SKIP TO LAST PRICE_UP; ${fmtInt(ticks)} ticks over ${fmtInt(symbols)} symbols, ${fmtInt(output.changes)} matches out`,
    changes: ticks,
    wallSeconds: clock.wallSeconds,
    cpuSeconds: clock.cpuSeconds,
    heapBytes: heapUsed(),
  };
}

export const MATCH_RECOGNIZE_SECTION_TITLE = '## MATCH_RECOGNIZE micro-benchmark';
const BEGIN = '<!-- match-recognize micro-benchmark: generated by `eddy bench micro match-recognize --write`; edit outside these markers -->';
const END = '<!-- end of match-recognize micro-benchmark -->';

/** Replaces (or adds) the generated block of the MATCH_RECOGNIZE section of `file`, keeping the text around it. */
export function writeMatchRecognizeResults(file: string, figures: readonly Figure[], command: string): void {
  const m = machine();
  const block = [
    BEGIN,
    `Machine: ${m.cores} cores (\`nproc\`), ${m.cpu}; Node ${m.node}; commit ${m.commit}; ${m.date}.`,
    `Command: \`${command}\`. Rates are ticks per second on one core, the watermark advanced after every batch.`,
    '',
    markdownTable(figures),
    END,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) text = `${text.slice(0, begin)}${block}${text.slice(end + END.length)}`;
  else if (text.includes(MATCH_RECOGNIZE_SECTION_TITLE)) text = text.replace(MATCH_RECOGNIZE_SECTION_TITLE, `${MATCH_RECOGNIZE_SECTION_TITLE}\n\n${block}\n`);
  else text = `${text.trimEnd()}\n\n${MATCH_RECOGNIZE_SECTION_TITLE}\n\n${block}\n`;
  writeFileSync(file, text);
}
