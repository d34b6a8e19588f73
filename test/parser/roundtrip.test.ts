// Printer round trip over every statement of the parser corpus and of the regression files:
// parse -> print -> parse gives the same AST, and printing is idempotent.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conditionsAllow } from '../../bin/slt/record.js';
import { parseSlt } from '../../bin/slt/parser.js';
import { ParseError, parseStatement, parseStatements, type Statement } from '../../parser/index.js';
import { printStatement } from '../../parser/printer/index.js';
import { stripSpans } from './strip-spans.js';

/** The repository root: this file runs from test/parser (tsx) or dist/test/parser (npm test). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

const root = repositoryRoot();

function describeError(e: unknown): string {
  if (e instanceof ParseError) return e.errors.map((x) => `${x.line}:${x.column}: ${x.message}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/** Checks the contract of the printer for one parsed statement. */
function checkRoundTrip(ast: Statement): void {
  const printed = printStatement(ast);
  let reparsed: Statement;
  try {
    reparsed = parseStatement(printed);
  } catch (e) {
    throw new Error(`printed text does not parse (${describeError(e)}):\n${printed}`);
  }
  expect(stripSpans(reparsed), `printed as:\n${printed}\n`).to.deep.equal(stripSpans(ast));
  expect(printStatement(reparsed), 'printing is not idempotent').to.equal(printed);
}

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

/** The first line of a statement, shortened, to name its test. */
function title(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

/**
 * Statements for the constructs the corpus and the regression files may not
 * reach: every expression form, FROM item, MATCH_RECOGNIZE clause and statement kind.
 */
const CONSTRUCTS: readonly string[] = [
  'select a+b*c, (a+b)*c, a-(b-c), not (a and b), (a or b) and c, -(-x), - - x, -5, 1 - -1, x::int, ' +
    '(a+b)::bigint, cast(a as decimal(10,2)) from t',
  'select a = b = c, a < b is null, not a = b, a is distinct from b + c, a between 1 and 2 and c, ' +
    `x not between symmetric a+1 and b, x in (1,2), x not like 'a%' escape '!', x similar to 'x', ` +
    `x ilike 'y', x isnull, y notnull, z is not true, z is unknown from t`,
  'select (a).b, ((a).b).c, a[1][2], (-a)[1], arr[i+1], f(x).y, ROW(1,2), (1, 2), array[1,2], $1, ' +
    `x'0aff', e'a\\nb', 'it''s', $$dollar$$, U&'d\\0061t', date '2026-01-01', ` +
    `timestamp '2026-01-01 10:00:00', timestamp_ltz '2026-01-01 10:00:00', interval '1' hour, ` +
    `interval -'1' day, interval '2-3' year to month, interval '1 hour', interval 10 minutes, ` +
    `interval '1.5' second(3) from t`,
  `select case when a > 0 then 'p' else 'n' end, case a when 1 then 'x' end, ` +
    `extract(hour from ts), extract('dow' from ts), trim(x), trim(leading 'x' from y), ` +
    `trim(both from z), trim(trailing from z), trim(x, 'y'), substring(s from 2 for 3), ` +
    `substring(s for 3), substring(s, 1, 2), position('a' in s), ` +
    `overlay(s placing 'x' from 2 for 1), try_cast(x as int), coalesce(a, b), nullif(a, b), left(s, ` +
    '2), right(s, 2), current_timestamp, current_date, localtimestamp, current_user from t',
  'select count(*), count(distinct x), sum(x) filter (where y > 0), string_agg(x, ' +
    `',' order by y desc nulls last), listagg(x) within group (order by y), ` +
    'first_value(x) ignore nulls over (partition by k order by ts), last_value(x respect nulls) over w, ' +
    'row_number() over (partition by a order by b), ' +
    'sum(x) over (order by ts rows between 3 preceding and current row), ' +
    `avg(x) over (order by ts range between interval '1' hour preceding and current row exclude ties), ` +
    'sum(x) over (w rows unbounded preceding), ' +
    'max(x) over (order by ts groups between unbounded preceding and unbounded following) from t window w as (partition by k order by ts) qualify row_number() over w <= 3',
  'select distinct a, b as bb, t.*, * from s.t as x (c1, c2) where a > 1 group by a, rollup(a, (b, ' +
    'c)), cube(a), grouping sets ((a, b), a, ()), () having count(*) > 1 order by a desc, ' +
    'b nulls first limit 10 offset 5',
  'select * from a join b on a.k = b.k left outer join c using (k) right join d on true full join e on 1=1 cross join f natural join g natural left join h, ' +
    'i',
  'select * from a join (b join c on b.k = c.k) on a.k = b.k',
  'select * from (a join b on a.k = b.k) join c on true',
  'select * from orders o left join rates for system_time as of o.order_time as r on o.currency = r.currency',
  'with recursive x (a) as (select 1 union all select a + 1 from x where a < 10), y as (values (1), ' +
    '(2)) select * from x, y',
  'select 1 union select 2 intersect select 3 except all select 4',
  '(select 1 union select 2) intersect select 3',
  'select 1 union (select 2 union select 3)',
  '(select a from t order by a limit 3) union all (select b from u) order by 1 limit 5 offset 1',
  'select * from t where x in (select a from u where u.k = t.k) and exists (select 1 from v) and y = (select max(z) from w)',
  'select * from (select * from (select a from t) as i) as o',
  `values (1, 'a'), (2, 'b')`,
  `select * from table(tumble(table t, descriptor(ts), interval '10' minutes)) w`,
  `select * from table(tumble(data => table t, timecol => descriptor(ts), size => interval '10' minutes))`,
  'select * from table(f(x => 1))',
  'select * from table(f(a, x => 1))',
  'select * from lateral table(f(x)) as y, generate_series(1, 3) as z',
  'select * from table(f((select 1) partition by a))',
  `select * from t match_recognize (pattern (a) within interval '1' hour subset u = (a) define a as true)`,
  'select * from t match_recognize (pattern (a) subset u = (a) define a as true)',
  'select * from t match_recognize (all rows per match pattern (a) define a as true)',
  'select * from t match_recognize (measures final last(c.ts) as t3, running avg(b.price) as ab, ' +
    'match_number() as m, ' +
    'classifier() as cls pattern (a b+? (c | d){2,3} e* f? g{2} h{1,} i{,3} permute(x, ' +
    'y) {- z -} (a*)? () ^ $) define b as b.price < prev(b.price), c as c.price > last(b.price, 1)) as mr',
  'select * from t match_recognize (after match skip to first a pattern (a) define a as true) match_recognize (after match skip to a pattern (a) define a as true)',
  `select * from t match_recognize (pattern (a) within interval '1' hour subset u = (a), ` +
    'v = (a) define a as true)',
  'select * from table(session(table t partition by k))',
  `select * from table(hop(data => table t, timecol => descriptor(ts), slide => interval '1' minute, ` +
    `size => interval '5' minutes))`,
  'select * from table(f(table t order by ts))',
  'select * from lateral (select 1) as x',
  'select cast(x as varchar(10) array), cast(y as array<int not null>), cast(z as map<string, int>), ' +
    'cast(r as row<a int, "B" string>), cast(w as row(a int)), cast(q as interval day to second(3)), ' +
    'cast(d as double precision), cast(c as character varying(3)), ' +
    'cast(ts as timestamp(3) with local time zone), cast(ts as timestamp without time zone), ' +
    'cast(ts as timestamptz), cast(v as int array array) from t',
  'select cast(x as "MyType") from t',
  `create table if not exists bids (id bigint not null primary key not enforced comment 'the id', ` +
    `price decimal(10, 2) null, ts timestamp(3), pt as proctime(), total as price * 2 comment 'x', ` +
    `off bigint metadata from 'offset' virtual, part string metadata, ` +
    `watermark for ts as ts - interval '5' second, ` +
    `primary key (id) not enforced) comment 'bids table' partitioned by (part) with ('connector' = 'kafka', ` +
    `'topic' = 'bids', 'scan.startup.mode' = 'earliest-offset')`,
  'create temporary table t (a int, constraint pk primary key (a))',
  'create table t (a int primary key)',
  `create or replace temporary materialized view s.mv (a, b) with ('k' = 'v') as select a, b from t`,
  'create view if not exists v as select 1',
  'create temp view v as select 1',
  'drop table if exists a, s.b cascade',
  'drop view v restrict',
  'drop materialized view mv',
  `drop job 'abc-123'`,
  'drop job if exists abc',
  'drop job 42',
  'analyze table t',
  'analyze',
  `insert into t (a, b) values (1, 'x'), (2, 'y')`,
  'insert overwrite s.t select * from u',
  'insert into t with x as (select 1) select * from x',
  'update t set a = 1',
  'delete from t x where x.a in (select b from u)',
  'delete from t',
  `copy t (a, b) from stdin with (format csv, header true, delimiter ',', null '')`,
  'copy t from stdin csv header',
  `copy t to stdout with csv header delimiter as ';'`,
  'copy (select * from t) to stdout',
  'copy (subscribe mv with (snapshot = false)) to stdout',
  `copy t to stdout (format 'binary', "Quoted" 1, a.b -1)`,
  `set 'table.exec.source.idle-timeout' = '10 s'`,
  'set search_path to a, b',
  'set local statement_timeout = 1000',
  'set session x = default',
  `set time zone 'UTC'`,
  'set time zone local',
  'set "My.Var" = on',
  'set',
  `set 'k' = default`,
  'reset',
  'reset all',
  `reset 'table.exec.x'`,
  'reset time zone',
  'reset search_path',
  `reset 'all'`,
  'show tables',
  'show views',
  'show materialized views',
  'show jobs',
  'show functions',
  'show cursors',
  'show create table t',
  'show create view v',
  'show create materialized view mv',
  'show all',
  'show time zone',
  'show transaction isolation level',
  `show 'table.exec.x'`,
  'show search_path',
  `show 'tables'`,
  'describe t',
  'desc s.t',
  'explain select 1',
  'explain plan for select 1',
  'explain changelog_mode select a from t',
  'explain estimated_cost insert into t select 1',
  'explain analyze explain select 1',
  'subscribe to mv',
  'subscribe mv with (snapshot = false)',
  `subscribe (select a from t where b > 1) with ('snapshot' = 'true')`,
  'declare c binary no scroll cursor with hold for subscribe mv',
  'declare c cursor without hold for select 1',
  'fetch 10 from c',
  `fetch all in c with (timeout = '1s')`,
  'fetch next c',
  'fetch forward 5 c',
  'close c',
  'close all',
  'checkpoint',
  'begin',
  'start transaction isolation level serializable',
  'commit work',
  'end transaction',
  'rollback',
  'abort',
  'select "a""b", "Select", "with space", "ünï", a as "A", value, time, first, ' +
    `"x
y" from t as "T" ("A")`,
  `select e'\\x01\\x7f', 'a
b', '\\', '', .5, 1e-3, 1., +x, -x.y, -a[1], x'', u&'\\+01F600' from t`,
  'select x from t limit all',
  'select x from t offset 5 rows fetch first 3 rows only',
  'select x from t fetch next row only',
  'select row_number() over (), row_number() over (w), count(all x), ' +
    'first_value(x ignore nulls) over w from t window w as ()',
  'select coalesce((select 1), 2), x in ((select 1), 2), x in (values (1), (2)), ' +
    '(select 1 union select 2), exists (with q as (select 1) select * from q) from t',
  'select * from (with x as (select 1) select * from x) y, (values (1, 2)) as v (a, b)',
  'select * from (a join b on a.x = b.x) match_recognize (pattern (a) define a as true) m',
  'select * from a join t match_recognize (pattern (a) define a as true) m on a.k = m.k join (select 1) s on true',
  'select * from lateral f(x) as y, s.g(1) z',
  'select "F"(x), s.f(x), "count"(*) from t',
  'select * from t match_recognize (measures final last(b.p) - first(a.p) as d, ' +
    '-running count(*) as c pattern (a) define a as prev(a.p, 2) is null or a.p > next(a.p))',
  'select * from t match_recognize (pattern (a | ) define a as true)',
  'select * from t match_recognize (pattern (a () b (c d)) define a as true)',
  'select * from t match_recognize (pattern ((a b) | (c | d) e) define a as true)',
  'select * from t match_recognize (pattern ({- a b -} permute(a | b, c d)) define a as true)',
  'select x from t where a in (1) = true and not not a and - - - b > 0 and (a, b) = (1, ' +
    '2) and row(a) = row(1)',
  'select a from t group by rollup((a, b)), cube(a, (b)), grouping sets (a, (a, b), rollup(a)), ' +
    `tumble(ts, interval '1' hour)`,
  `select tumble_end(rowtime, interval '1' hour), avg(temp) from sensors group by tumble(rowtime, ` +
    `interval '1' hour), room`,
  `select * from t where a like b || 'x' and a between b and c || d and position(a || b in c) > 0`,
  'select a from t where a is not distinct from (b = c) and (a = b) is true and (a and b) is null',
  'select case when exists (select 1) then (select 2) else 3 end from t',
  'select cast(x as int)[1], (cast(x as row<a int>)).a, (x::int).a from t',
  `select - (1), -(a.b), - 'x', not (select true) from t`,
  'values (1, (select 2))',
  'select 1 from t where x = any_value(y)',
  `select * from t match_recognize (order by ts all rows per match with unmatched rows after match skip past last row ` +
    `pattern (a | b c | (d | e)) define a as true)`,
  `select * from t match_recognize (pattern (a) within interval '1' second subset s = (a) define a as a.x > 0) m ` +
    `match_recognize (all rows per match show empty matches after match skip to next row pattern (b) define b as true)`,
  `select * from t match_recognize (all rows per match omit empty matches pattern (a) define a as true)`,
  `select * from table(session(table t partition by k, descriptor(ts), interval '5' minutes))`,
  `select * from table(session(table t partition by (k, j) order by ts, descriptor(ts), interval '5' minutes))`,
  `select * from table(hop(data => table t partition by k order by ts desc, timecol => descriptor(ts), ` +
    `slide => interval '1' minute, size => interval '5' minutes)), table(f((select 1) partition by (a, b)))`,
];

describe('printer round trip', () => {
  describe('constructs', () => {
    for (const sql of CONSTRUCTS) {
      it(title(sql), () => checkRoundTrip(parseStatement(sql)));
    }
  });

  describe('parser corpus', () => {
    for (const file of filesUnder(join(root, 'test/parser/corpus'), '.sql')) {
      const name = relative(root, file);
      describe(name, () => {
        const sql = readFileSync(file, 'utf8');
        let statements: ReturnType<typeof parseStatements>;
        try {
          statements = parseStatements(sql);
        } catch (e) {
          it('parses', () => expect.fail(`${name}: ${describeError(e)}`));
          return;
        }
        statements.forEach((s, i) => {
          it(`#${i + 1} (line ${s.span.line}): ${title(s.text)}`, () => checkRoundTrip(s.statement));
        });
      });
    }
  });

  describe('regression files', () => {
    for (const file of filesUnder(join(root, 'sql-tests'), '.slt')) {
      const name = relative(root, file);
      describe(name, () => {
        const records = parseSlt(readFileSync(file, 'utf8'), name);
        for (const r of records) {
          // Records expected to fail may be syntax errors on purpose.
          if (r.kind !== 'statement' && r.kind !== 'query') continue;
          if (r.kind === 'statement' && r.expect.kind === 'error') continue;
          if (!conditionsAllow(r.conditions)) continue;
          it(`line ${r.location.line}: ${title(r.sql)}`, function () {
            let statements: ReturnType<typeof parseStatements>;
            try {
              statements = parseStatements(r.sql);
            } catch {
              // Whether the parser accepts the record is the parser's and the
              // regression runner's concern; here only what parses is printed.
              this.skip();
              return;
            }
            for (const s of statements) checkRoundTrip(s.statement);
          });
        }
      });
    }
  });
});
