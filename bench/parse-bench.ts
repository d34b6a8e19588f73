// Parser throughput: generates over 1 MB of mixed SQL and reports MB/s and statements/s (`npm run bench:parse`).

import { parseStatements } from '../parser/index.js';

/** Size of the generated script; big enough that per-call overhead does not matter. */
const TARGET_BYTES = 1.5 * 1024 * 1024;
const WARMUP_RUNS = 2;
const MEASURED_RUNS = 5;

// A fixed-seed generator (mulberry32) so every run parses the same text and
// figures are comparable between commits.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(42);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const WORDS = ['bid', 'auction', 'price', 'seller', 'item', 'region', 'rate', 'order', 'sensor', 'temp', 'user', 'click'];
const name = (): string => `${pick(WORDS)}_${int(1000)}`;
const num = (): string => (rnd() < 0.5 ? String(int(100000)) : (rnd() * 1000).toFixed(2));
const str = (): string => `'${pick(WORDS)} ${int(100)}${rnd() < 0.1 ? "''s" : ''}'`;
const type = (): string => pick(['INT', 'BIGINT', 'DOUBLE', 'DECIMAL(10, 2)', 'VARCHAR(32)', 'STRING', 'BOOLEAN', 'TIMESTAMP(3)']);
const unit = (): string => pick(['SECOND', 'MINUTE', 'HOUR', 'DAY']);
const cmp = (): string => pick(['=', '<>', '<', '<=', '>', '>=']);

function createTable(): string {
  const cols = Array.from({ length: 3 + int(6) }, () => `  ${name()} ${type()}${rnd() < 0.3 ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS ${name()} (
  id BIGINT NOT NULL,
${cols.join(',\n')},
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '${1 + int(10)}' ${unit()},
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'datagen', 'rows-per-second' = '${int(1000)}')`;
}

function insert(): string {
  const rows = Array.from({ length: 2 + int(8) }, () => `(${num()}, ${str()}, ${num()}, TIMESTAMP '2026-01-0${1 + int(9)} 10:${10 + int(50)}:00')`);
  return `INSERT INTO ${name()} (id, label, amount, ts) VALUES ${rows.join(', ')}`;
}

function windowQuery(): string {
  const k = name();
  return `SELECT ${k}, ts, SUM(${name()}) OVER (PARTITION BY ${k} ORDER BY ts ROWS BETWEEN ${1 + int(9)} PRECEDING AND CURRENT ROW) AS s,
  ROW_NUMBER() OVER (PARTITION BY ${k} ORDER BY ${name()} DESC) AS rn,
  AVG(${name()}) OVER (PARTITION BY ${k} ORDER BY ts RANGE BETWEEN INTERVAL '${1 + int(59)}' ${unit()} PRECEDING AND CURRENT ROW) AS a
FROM ${name()}
WHERE ${name()} ${cmp()} ${num()} AND ${name()} LIKE ${str()}`;
}

function tumble(): string {
  return `SELECT window_start, window_end, ${name()} AS k, COUNT(*) AS n, MAX(${name()}) AS m
FROM TABLE(TUMBLE(TABLE ${name()}, DESCRIPTOR(ts), INTERVAL '${1 + int(30)}' MINUTES))
GROUP BY window_start, window_end, ${name()}
HAVING COUNT(*) > ${int(100)}`;
}

function joinQuery(): string {
  return `SELECT o.${name()}, r.${name()} * o.${name()} AS v, CASE WHEN o.${name()} > ${num()} THEN ${str()} ELSE ${str()} END AS c
FROM ${name()} AS o
JOIN ${name()} AS r ON o.${name()} = r.${name()}
LEFT JOIN ${name()} FOR SYSTEM_TIME AS OF o.ts AS x ON o.k = x.k
WHERE o.ts BETWEEN r.ts - INTERVAL '1' HOUR AND r.ts AND (o.${name()} IN (${num()}, ${num()}, ${num()}) OR x.${name()} IS NULL)
ORDER BY v DESC
LIMIT ${1 + int(100)}`;
}

function matchRecognize(): string {
  const v = name();
  return `SELECT * FROM ${name()} MATCH_RECOGNIZE (
  PARTITION BY ${name()} ORDER BY ts
  MEASURES A.${v} AS start_${v}, LAST(B.${v}) AS bottom, MATCH_NUMBER() AS m
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B+? C{${1 + int(3)},${4 + int(3)}})
  WITHIN INTERVAL '${1 + int(24)}' HOUR
  DEFINE B AS B.${v} < PREV(B.${v}), C AS C.${v} > LAST(B.${v}, 1) + ${num()}
) AS mr`;
}

function materializedView(): string {
  return `CREATE MATERIALIZED VIEW ${name()} AS
WITH recent AS (SELECT * FROM ${name()} WHERE ts > CURRENT_TIMESTAMP - INTERVAL '${1 + int(7)}' DAY)
SELECT ${name()}, COUNT(DISTINCT ${name()}) AS users, SUM(CAST(${name()} AS DOUBLE)) FILTER (WHERE ${name()} <> ${str()}) AS total
FROM recent
GROUP BY ${name()}`;
}

const GENERATORS = [createTable, insert, windowQuery, tumble, joinQuery, matchRecognize, materializedView];

function generate(): { text: string; statements: number } {
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const s = `${pick(GENERATORS)()};\n\n`;
    parts.push(s);
    bytes += Buffer.byteLength(s);
  }
  return { text: parts.join(''), statements: parts.length };
}

function main(): void {
  const { text, statements } = generate();
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  for (let i = 0; i < WARMUP_RUNS; i++) {
    const parsed = parseStatements(text);
    if (parsed.length !== statements) throw new Error(`parsed ${parsed.length} statements, generated ${statements}`);
  }
  const times: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) {
    const start = process.hrtime.bigint();
    parseStatements(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  // The median run: robust against one run slowed by garbage collection.
  const median = [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)] ?? 0;
  console.log(`parse: ${mb.toFixed(2)} MB, ${statements} statements, ${MEASURED_RUNS} runs, median ${(median * 1000).toFixed(0)} ms`);
  console.log(`parse: ${(mb / median).toFixed(2)} MB/s, ${Math.round(statements / median)} statements/s`);
}

main();
