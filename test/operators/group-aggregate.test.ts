// GroupAggregate: hand-worked changelogs per aggregate, and random insert/delete runs against a from-scratch GROUP BY.

import { expect } from 'chai';
import { compareValues } from '../../common/compare.js';
import { Types, type DataType } from '../../common/data-type.js';
import { Decimal } from '../../common/decimal.js';
import { SqlError } from '../../common/errors.js';
import { rowKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { DELETE, INSERT } from '../../executor/change.js';
import { INLINE_VALUES } from '../../executor/operators/aggregates/min-max.js';
import { GroupAggregate, type GroupAggregateOptions } from '../../executor/operators/group-aggregate.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import type { AggCall } from '../../planner/logical/aggregate.js';
import { Harness, consolidate, rng, sortRows, table, takeRandom, type Change } from './harness.js';

function agg(fn: string, args: number[], type: DataType = Types.bigint, extra: Partial<AggCall> = {}): AggCall {
  return { fn, args, distinct: false, type, name: fn, ...extra };
}

const dec = (p: number, s: number): DataType => ({ kind: 'DECIMAL', precision: p, scale: s });

function harness(options: GroupAggregateOptions): Harness {
  return new Harness(new GroupAggregate(options));
}

describe('GroupAggregate', () => {
  it('counts and sums per group; a group that empties is deleted', () => {
    // SELECT k, COUNT(*), SUM(v) FROM t GROUP BY k   over (k, v)
    const h = harness({ groupKeys: [0], aggs: [agg('count_star', []), agg('sum', [1])] });
    expect(h.feed(`
      +I a 1
      +I b 5
      +I a 2
    `)).to.equal(table(`
      +I a 2 3
      +I b 1 5
    `));
    expect(h.feed(`
      -D a 1
      +I b 6
    `)).to.equal(table(`
      -U a 2 3
      +U a 1 2
      -U b 1 5
      +U b 2 11
    `));
    expect(h.feed('-D a 2')).to.equal(table('-D a 1 2'));
    expect(h.table()).to.equal(table('b 2 11'));
  });

  it('emits nothing when a group\'s result does not change', () => {
    // SELECT k, MAX(v) ... : a smaller value does not move the maximum.
    const h = harness({ groupKeys: [0], aggs: [agg('max', [1])] });
    expect(h.feed('+I a 5')).to.equal(table('+I a 5'));
    expect(h.feed('+I a 3')).to.equal('');
    expect(h.feed('-D a 3')).to.equal('');
  });

  it('folds a whole batch into one change per group', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('count_star', [])] });
    expect(h.feed('+I a 1\n+I a 2\n+I a 3')).to.equal(table('+I a 3'));
    // Inserted and deleted within one batch: no change at all.
    expect(h.feed('+I b 1\n-D b 1')).to.equal('');
  });

  it('MIN and MAX find the next extreme after the current one is deleted', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('min', [1], Types.int), agg('max', [1], Types.int)] });
    expect(h.feed(`
      +I a 5
      +I a 1
      +I a 9
      +I a 1
    `)).to.equal(table('+I a 1 9'));
    // One of two copies of the minimum goes: the minimum stays 1.
    expect(h.feed('-D a 1')).to.equal('');
    expect(h.feed('-D a 1')).to.equal(table(`
      -U a 1 9
      +U a 5 9
    `));
    expect(h.feed('-D a 9')).to.equal(table(`
      -U a 5 9
      +U a 5 5
    `));
    expect(h.feed('-D a 5')).to.equal(table('-D a 5 5'));
  });

  it('MIN/MAX stay right while a group\'s values move between the record and sorted state', () => {
    // More distinct values than INLINE_VALUES spill to sorted state; few enough come back.
    const backend = new MemoryStateBackend({ copyValues: true });
    const h = new Harness(new GroupAggregate({ groupKeys: [0], aggs: [agg('min', [1], Types.int), agg('max', [1], Types.int), agg('count', [1])] }), { backend });
    const r = rng(9);
    const live: Row[] = [];
    const check = (): void => {
      const vs = live.map((x) => x[1] as number);
      const want = vs.length === 0 ? '' : `a ${Math.min(...vs)} ${Math.max(...vs)} ${vs.length}`;
      expect(h.table()).to.equal(want);
    };
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3 * INLINE_VALUES; i++) {
        const row: Row = ['a', Math.floor(r() * 4 * INLINE_VALUES)];
        live.push(row);
        h.push([[INSERT, row]]);
        check();
      }
      expect(backend.forOperator('test/op').stats().keys).to.be.greaterThan(INLINE_VALUES);
      while (live.length > round) {
        for (const row of takeRandom(live, 1 + Math.floor(r() * 2), r)) h.push([[DELETE, row]]);
        check();
      }
    }
  });

  it('MIN/MAX skip NULLs and are NULL for a group of NULLs', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('count', [1]), agg('min', [1], Types.string)] });
    expect(h.feed('+I a NULL')).to.equal(table('+I a 0 NULL'));
    expect(h.feed('+I a x')).to.equal(table('-U a 0 NULL\n+U a 1 x'));
    expect(h.feed('-D a x')).to.equal(table('-U a 1 x\n+U a 0 NULL'));
  });

  it('COUNT(DISTINCT) and SUM(DISTINCT) under retraction', () => {
    // SELECT k, COUNT(DISTINCT v), SUM(DISTINCT v), COUNT(v) ... GROUP BY k
    const h = harness({
      groupKeys: [0],
      aggs: [agg('count', [1], Types.bigint, { distinct: true }), agg('sum', [1], Types.bigint, { distinct: true }), agg('count', [1])],
    });
    expect(h.feed(`
      +I a 1
      +I a 1
      +I a 2
      +I a NULL
    `)).to.equal(table('+I a 2 3 3'));
    // One of the two 1s goes: the distinct values are still {1, 2}.
    expect(h.feed('-D a 1')).to.equal(table('-U a 2 3 3\n+U a 2 3 2'));
    expect(h.feed('-D a 1')).to.equal(table('-U a 2 3 2\n+U a 1 2 1'));
    expect(h.feed('+I a 1')).to.equal(table('-U a 1 2 1\n+U a 2 3 2'));
  });

  it('DISTINCT calls over the same column, with and without FILTER, keep their own copies under retraction and restore', () => {
    // SELECT k, COUNT(DISTINCT x), COUNT(DISTINCT x) FILTER (WHERE f), SUM(DISTINCT x) FILTER (WHERE f), COUNT(*)
    // ... GROUP BY k   over (k, x, f)
    const options: GroupAggregateOptions = {
      groupKeys: [0],
      aggs: [
        agg('count', [1], Types.bigint, { distinct: true }),
        agg('count', [1], Types.bigint, { distinct: true, filter: 2 }),
        agg('sum', [1], Types.bigint, { distinct: true, filter: 2 }),
        agg('count_star', []),
      ],
    };
    const h = harness(options);
    // x = 1 reaches both calls once; x = 2 only the unfiltered one; NULL neither.
    expect(h.feed(`
      +I a 1 true
      +I a 1 false
      +I a 2 false
      +I a NULL true
    `)).to.equal(table('+I a 2 1 1 4'));
    // The filtered call's only 1 goes; the unfiltered call still has a 1.
    expect(h.feed('-D a 1 true')).to.equal(table('-U a 2 1 1 4\n+U a 2 0 NULL 3'));
    expect(h.feed('-D a 1 false')).to.equal(table('-U a 2 0 NULL 3\n+U a 1 0 NULL 2'));
    // 2 arrives for the filtered call (twice) while the unfiltered call already has it.
    expect(h.feed('+I a 2 true\n+I a 2 true')).to.equal(table('-U a 1 0 NULL 2\n+U a 1 1 2 4'));
    // The unfiltered call's own copy of 2 goes, but it still counts the two filtered rows' copies.
    expect(h.feed('-D a 2 false')).to.equal(table('-U a 1 1 2 4\n+U a 1 1 2 3'));
    h.restart(new GroupAggregate(options));
    expect(h.feed('-D a 2 true')).to.equal(table('-U a 1 1 2 3\n+U a 1 1 2 2'));
    expect(h.feed('-D a 2 true')).to.equal(table('-U a 1 1 2 2\n+U a 0 0 NULL 1'));
    // 2 is gone from every call: it comes back for the unfiltered one only.
    expect(h.feed('+I a 2 false')).to.equal(table('-U a 0 0 NULL 1\n+U a 1 0 NULL 2'));
  });

  it('a global aggregate has its row on empty input, and keeps it when the input empties', () => {
    // SELECT COUNT(*), SUM(v), MAX(v) FROM t
    const h = harness({ groupKeys: [], aggs: [agg('count_star', []), agg('sum', [0]), agg('max', [0], Types.int)] });
    expect(h.table()).to.equal(table('0 NULL NULL'));
    expect(h.feed('+I 4\n+I 6')).to.equal(table('-U 0 NULL NULL\n+U 2 10 6'));
    expect(h.feed('-D 4\n-D 6')).to.equal(table('-U 2 10 6\n+U 0 NULL NULL'));
  });

  it('a global aggregate reopened on its state does not emit its row again', () => {
    const backend = new MemoryStateBackend({ copyValues: true });
    const options = { groupKeys: [], aggs: [agg('count_star', [])] };
    const first = new Harness(new GroupAggregate(options), { backend });
    first.feed('+I 1');
    const second = new Harness(new GroupAggregate(options), { backend });
    expect(second.output).to.deep.equal([]);
    expect(second.feed('+I 2')).to.equal(table('-U 1\n+U 2'));
  });

  it('DISTINCT is a GroupAggregate without calls', () => {
    // SELECT DISTINCT a, b
    const h = harness({ groupKeys: [0, 1], aggs: [] });
    expect(h.feed('+I x 1\n+I x 1\n+I y 2')).to.equal(table('+I x 1\n+I y 2'));
    expect(h.feed('-D x 1')).to.equal('');
    expect(h.feed('-D x 1')).to.equal(table('-D x 1'));
    expect(h.table()).to.equal(table('y 2'));
  });

  it('treats -U/+U input like -D/+I', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('sum', [1])] });
    h.feed('+I a 1');
    expect(h.feed('-U a 1\n+U a 7')).to.equal(table('-U a 1\n+U a 7'));
  });

  it('ignores retractions into a group that has no rows', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('count_star', []), agg('min', [1], Types.int)] });
    expect(h.feed('-D a 1')).to.equal('');
    h.feed('+I a 1');
    // The group only counts rows, so a retraction of a row it never had still takes one away;
    // MIN, which keeps the values, ignores the unknown value.
    expect(h.feed('-D a 2')).to.equal(table('-D a 1 1'));
  });

  it('FILTER (WHERE ...) reads a boolean column', () => {
    // SELECT k, COUNT(*) FILTER (WHERE f), SUM(v) FILTER (WHERE f) over (k, v, f)
    const h = harness({ groupKeys: [0], aggs: [agg('count_star', [], Types.bigint, { filter: 2 }), agg('sum', [1], Types.bigint, { filter: 2 })] });
    expect(h.feed('+I a 1 true\n+I a 10 false\n+I a 100 NULL')).to.equal(table('+I a 1 1'));
    expect(h.feed('-D a 1 true')).to.equal(table('-U a 1 1\n+U a 0 NULL'));
  });

  it('SUM of integers raises 22003 when it leaves the safe range', () => {
    const h = harness({ groupKeys: [], aggs: [agg('sum', [0])] });
    h.feed(`+I ${Number.MAX_SAFE_INTEGER - 1}`);
    expect(() => h.feed('+I 5')).to.throw(SqlError).with.property('sqlstate', '22003');
  });

  it('SUM and AVG of DECIMAL are exact at the result type\'s scale', () => {
    const h = harness({ groupKeys: [], aggs: [agg('sum', [0], dec(38, 2)), agg('avg', [0], dec(38, 4))] });
    h.feed('+I 0.10d\n+I 0.20d\n+I 0.05d');
    expect(h.table()).to.equal(table('0.35d 0.1167d'));
    h.feed('-D 0.05d');
    expect(h.table()).to.equal(table('0.30d 0.1500d'));
  });

  it('AVG follows its type: DOUBLE, DECIMAL, or INT (truncated, as Flink)', () => {
    const h = harness({ groupKeys: [], aggs: [agg('avg', [0], Types.double), agg('avg', [0], dec(10, 2)), agg('avg', [0], Types.int)] });
    h.feed('+I 1\n+I 2\n+I 2');
    expect(h.table()).to.equal(table('1.6666666666666667 1.67d 1'));
    h.feed('+I -20');
    expect(h.table()).to.equal(table('-3.75 -3.75d -3'));
  });

  it('SUM of DOUBLE is exact under retraction, whatever the order', () => {
    const h = harness({ groupKeys: [], aggs: [agg('sum', [0], Types.double)] });
    h.feed('+I 1e20\n+I 1\n+I 0.1');
    h.feed('-D 1e20');
    // A running sum would say 0 or 0.1 here.
    expect(h.table()).to.equal(table('1.1'));
    h.feed('+I Infinity');
    expect(h.table()).to.equal(table('Infinity'));
    h.feed('-D Infinity\n+I NaN');
    expect(h.table()).to.equal(table('NaN'));
    h.feed('-D NaN\n-D 0.1');
    expect(h.table()).to.equal(table('1'));
  });

  it('variance and standard deviation, population and sample', () => {
    const h = harness({
      groupKeys: [],
      aggs: ['var_pop', 'var_samp', 'stddev_pop', 'stddev_samp', 'variance', 'stddev'].map((f) => agg(f, [0], Types.double)),
    });
    expect(h.table()).to.equal(table('NULL NULL NULL NULL NULL NULL'));
    h.feed('+I 5');
    expect(h.table()).to.equal(table('0 NULL 0 NULL NULL NULL'));
    h.feed('+I 1\n+I 3');
    // mean 3, squared deviations 4 + 0 + 4 = 8
    expect(h.table()).to.equal(table(`2.6666666666666665 4 ${Math.sqrt(8 / 3)} 2 4 2`));
    // Large mean, small spread: no cancellation.
    h.feed('-D 5\n-D 1\n-D 3\n+I 1000000000.1\n+I 1000000000.3');
    const [vp] = consolidate(h.output)[0] as Row;
    expect(vp as number).to.be.closeTo(0.01, 1e-6);
  });

  it('LISTAGG / STRING_AGG in arrival order, and in ORDER BY order, under retraction', () => {
    // STRING_AGG(s, '-'), LISTAGG(s) (',' by default), STRING_AGG(s, ';' ORDER BY n DESC) over (s, n, sep)
    const h = harness({
      groupKeys: [],
      aggs: [
        agg('string_agg', [0, 2], Types.string),
        agg('listagg', [0], Types.string),
        agg('string_agg', [0, 2], Types.string, { orderBy: [{ index: 1, descending: true, nullsFirst: true }] }),
      ],
    });
    h.feed(`
      +I a 1 -
      +I b 3 -
      +I c 2 -
    `);
    expect(h.table()).to.equal(table("'a-b-c' 'a,b,c' 'b-c-a'"));
    h.feed('-D b 3 -');
    expect(h.table()).to.equal(table("'a-c' 'a,c' 'c-a'"));
    h.feed('+I d NULL -\n+I NULL 9 -');
    expect(h.table()).to.equal(table("'a-c-d' 'a,c,d' 'd-c-a'"));
  });

  it('FIRST_VALUE and LAST_VALUE follow retractions', () => {
    const h = harness({ groupKeys: [0], aggs: [agg('first_value', [1], Types.string), agg('last_value', [1], Types.string)] });
    expect(h.feed('+I k x\n+I k y\n+I k z')).to.equal(table('+I k x z'));
    expect(h.feed('-D k x')).to.equal(table('-U k x z\n+U k y z'));
    expect(h.feed('-D k z')).to.equal(table('-U k y z\n+U k y y'));
    expect(h.feed('+I k NULL')).to.equal('');
  });

  it('BOOL_AND and BOOL_OR', () => {
    const h = harness({ groupKeys: [], aggs: [agg('bool_and', [0], Types.boolean), agg('bool_or', [0], Types.boolean)] });
    h.feed('+I true\n+I NULL');
    expect(h.table()).to.equal(table('true true'));
    h.feed('+I false');
    expect(h.table()).to.equal(table('false true'));
    h.feed('-D true');
    expect(h.table()).to.equal(table('false false'));
    h.feed('-D false');
    expect(h.table()).to.equal(table('NULL NULL'));
  });

  it('GROUPING SETS (ROLLUP) with GROUPING()', () => {
    // SELECT a, b, COUNT(*), GROUPING(a, b) FROM t GROUP BY ROLLUP (a, b)
    const h = harness({
      groupKeys: [0, 1],
      groupingSets: [[0, 1], [0], []],
      aggs: [agg('count_star', []), agg('grouping', [0, 1], Types.int)],
    });
    expect(h.table()).to.equal(table('NULL NULL 0 3'));
    h.feed('+I x 1\n+I x 2\n+I y NULL');
    expect(h.table()).to.equal(table(`
      x 1 1 0
      x 2 1 0
      x NULL 2 1
      y NULL 1 0
      y NULL 1 1
      NULL NULL 3 3
    `));
    expect(h.feed('-D y NULL')).to.equal(table(`
      -D y NULL 1 0
      -D y NULL 1 1
      -U NULL NULL 3 3
      +U NULL NULL 2 3
    `));
  });

  it('rejects an unknown aggregate with 42883', () => {
    expect(() => harness({ groupKeys: [], aggs: [agg('median', [0])] })).to.throw(SqlError).with.property('sqlstate', '42883');
  });

  it('append-only input keeps no per-value state for MIN/MAX/FIRST/LAST/LISTAGG', () => {
    const backend = new MemoryStateBackend();
    const h = new Harness(new GroupAggregate({
      groupKeys: [0],
      aggs: [agg('min', [1], Types.int), agg('max', [1], Types.int), agg('first_value', [1], Types.int), agg('last_value', [1], Types.int), agg('listagg', [2], Types.string)],
      appendOnlyInput: true,
    }), { backend });
    h.feed('+I a 3 p\n+I a 1 q\n+I a 7 r');
    expect(h.table()).to.equal(table("a 1 7 3 7 'p,q,r'"));
    expect(backend.forOperator('test/op').stats().keys).to.equal(1);
    expect(() => h.feed('-D a 3 p')).to.throw(/append-only/);
  });

  it('random runs of GROUP BY CUBE (a, b) equal grouping each set from scratch', () => {
    const sets = [[0, 1], [0], [1], []];
    const make = (): GroupAggregate => new GroupAggregate({
      groupKeys: [0, 1],
      groupingSets: sets,
      aggs: [agg('count_star', []), agg('sum', [2]), agg('min', [2], Types.int), agg('grouping', [0, 1], Types.int)],
    });
    const h = new Harness(make());
    const r = rng(77);
    const live: Row[] = [];
    for (let step = 0; step < 80; step++) {
      if (step === 40) h.restart(make());
      const batch: Change[] = [];
      for (let i = Math.floor(r() * 5); i > 0; i--) {
        const row: Row = [r() < 0.2 ? null : Math.floor(r() * 3), r() < 0.2 ? null : Math.floor(r() * 2), Math.floor(r() * 9)];
        batch.push([INSERT, row]);
        live.push(row);
      }
      for (const row of takeRandom(live, Math.floor(r() * 3), r)) batch.push([DELETE, row]);
      h.push(batch);
      const want: Row[] = [];
      for (const set of sets) {
        const groups = new Map<string, Row[]>();
        // A keyless set always has its row.
        if (set.length === 0) groups.set('', []);
        for (const row of live) {
          const k = rowKey(set.map((c) => row[c] as Value));
          const g = groups.get(k) ?? [];
          g.push(row);
          groups.set(k, g);
        }
        for (const rows of groups.values()) {
          const first = rows[0];
          const vs = rows.map((x) => x[2] as number);
          want.push([
            set.includes(0) ? (first?.[0] ?? null) : null,
            set.includes(1) ? (first?.[1] ?? null) : null,
            rows.length,
            vs.length === 0 ? null : vs.reduce((a, b) => a + b, 0),
            vs.length === 0 ? null : Math.min(...vs),
            (set.includes(0) ? 0 : 2) + (set.includes(1) ? 0 : 1),
          ]);
        }
      }
      expect(consolidate(h.output), `step ${step}`).to.deep.equal(sortRows(want));
    }
  });

  describe('random insert/delete runs equal a from-scratch GROUP BY', () => {
    // Rows (k, v, s, f): k small-domain string key (or NULL), v int or NULL, s string, f boolean.
    const calls: AggCall[] = [
      agg('count_star', []),
      agg('count', [1]),
      agg('sum', [1]),
      agg('min', [1], Types.int),
      agg('max', [2], Types.string),
      agg('count', [1], Types.bigint, { distinct: true }),
      agg('sum', [1], Types.bigint, { filter: 3 }),
      agg('avg', [1], dec(20, 3)),
      agg('first_value', [2], Types.string, { orderBy: [{ index: 1, descending: false, nullsFirst: false }, { index: 2, descending: true, nullsFirst: false }] }),
      agg('string_agg', [2, 4], Types.string, { orderBy: [{ index: 2, descending: false, nullsFirst: false }, { index: 4, descending: false, nullsFirst: false }] }),
      agg('bool_or', [3], Types.boolean),
      agg('var_pop', [1], Types.double),
      agg('max', [1], Types.int),
    ];

    /** The obviously correct GROUP BY over the live multiset. */
    function expected(live: readonly Row[], grouped: boolean): Row[] {
      const groups = new Map<string, Row[]>();
      if (!grouped) groups.set('', []);
      for (const r of live) {
        const k = grouped ? rowKey([r[0] as Value]) : '';
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(r);
      }
      const out: Row[] = [];
      for (const rows of groups.values()) {
        const nonNull = rows.filter((r) => r[1] !== null).map((r) => r[1] as number);
        const sum = (xs: number[]): Value => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0));
        const filtered = rows.filter((r) => r[3] === true && r[1] !== null).map((r) => r[1] as number);
        const strings = rows.map((r) => r[2] as string);
        const distinct = new Set(nonNull);
        const avg = nonNull.length === 0 ? null : (Decimal.parse((sum(nonNull) as number / nonNull.length).toFixed(3)) as Decimal);
        const byVThenSDesc = [...rows].filter((r) => r[2] !== null).sort((a, b) => compareValues(a[1] as Value, b[1] as Value) || -compareValues(a[2] as Value, b[2] as Value));
        const byS = [...rows].sort((a, b) => compareValues(a[2] as Value, b[2] as Value) || compareValues(a[4] as Value, b[4] as Value));
        const mean = nonNull.length === 0 ? 0 : (sum(nonNull) as number) / nonNull.length;
        const varPop = nonNull.length === 0 ? null : nonNull.reduce((a, x) => a + (x - mean) ** 2, 0) / nonNull.length;
        const key = grouped ? [rows[0]?.[0] as Value] : [];
        out.push([
          ...key,
          rows.length,
          nonNull.length,
          sum(nonNull),
          nonNull.length === 0 ? null : Math.min(...nonNull),
          strings.length === 0 ? null : strings.reduce((a, b) => (a > b ? a : b)),
          distinct.size,
          sum(filtered),
          avg,
          byVThenSDesc[0]?.[2] ?? null,
          byS.length === 0 ? null : byS.map((r, i) => (i === 0 ? '' : (r[4] as string)) + (r[2] as string)).join(''),
          rows.some((r) => r[3] === true) ? true : rows.some((r) => r[3] === false) ? false : null,
          varPop,
          nonNull.length === 0 ? null : Math.max(...nonNull),
        ]);
      }
      return sortRows(out);
    }

    function normalize(rows: readonly Row[]): string[] {
      // Decimals as text, doubles rounded: the check is about which rows, not the last ulp.
      return rows.map((r) => r.map((v) => (v instanceof Decimal ? v.toString() : typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(9) : v)).join('|'));
    }

    for (const grouped of [true, false]) {
      for (const seed of [1, 2, 3]) {
        it(`${grouped ? 'grouped' : 'global'}, seed ${seed}`, () => {
          const r = rng(seed * 100 + (grouped ? 1 : 0));
          const make = (): GroupAggregate => new GroupAggregate({ groupKeys: grouped ? [0] : [], aggs: calls });
          const h = new Harness(make());
          const live: Row[] = [];
          for (let step = 0; step < 60; step++) {
            // Halfway, recover into a fresh operator on the same state.
            if (step === 30) h.restart(make());
            const batch: Change[] = [];
            const inserts = Math.floor(r() * 6);
            for (let i = 0; i < inserts; i++) {
              const row: Row = [
                r() < 0.15 ? null : ['a', 'b', 'c', 'd'][Math.floor(r() * 4)] as string,
                r() < 0.2 ? null : Math.floor(r() * 10) - 3,
                ['p', 'q', 'r', 's', 't'][Math.floor(r() * 5)] as string,
                r() < 0.2 ? null : r() < 0.5,
                r() < 0.5 ? '+' : '/',
              ];
              batch.push([INSERT, row]);
              live.push(row);
            }
            for (const row of takeRandom(live, Math.floor(r() * 4), r)) batch.push([DELETE, row]);
            h.push(batch);
            const got = consolidate(h.output);
            expect(normalize(got), `step ${step}`).to.deep.equal(normalize(expected(live, grouped)));
          }
        });
      }
    }
  });
});
