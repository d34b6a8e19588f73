// The library of query shapes for the differential test: each builds, from a seed's schema, one SQL query valid in both Eddy and DuckDB.
//
// Dialect differences avoided on purpose (so a difference is always a bug):
// - INT / INT is integer division in Eddy (as in Flink) and float division in
//   DuckDB: no `/` on integers; AVG only over DOUBLE (Flink's AVG(INT) is an INT).
// - NULL ordering defaults differ (DuckDB: NULLS LAST always): every ORDER BY
//   says NULLS FIRST or NULLS LAST and ends with a unique column, so a top-N
//   or ORDER BY .. LIMIT has exactly one right answer.
// - DuckDB's x / 0 is NULL, Eddy's is an error: divisors are non-zero constants.
// - CAST(DOUBLE AS INT) truncates in Eddy (as in Flink) and rounds in DuckDB: not used.
// - DOUBLE literals are written as CASTs (a bare 1.5 is a DECIMAL in both,
//   and DECIMAL arithmetic widens differently); DECIMALs are compared as numbers.

import type { Random } from './random.js';
import { columnsOf, doubleLiteral, literal, type Column, type ColumnType, type Schema, type Table } from './schema.js';

export interface Shape {
  /** Stable name: the mocha test title and the replay filter. */
  readonly name: string;
  readonly generate: (s: Schema, r: Random) => string | Stacked;
}

/**
 * A materialized view over another one: Eddy materializes `inner`, then a
 * view reading it through `outer`; DuckDB runs `outer` over `inner` inlined.
 * This checks the changes a view passes on to the views that follow it.
 */
export interface Stacked {
  readonly inner: string;
  readonly outer: (relation: string) => string;
}

// ---- building blocks --------------------------------------------------------

function table(s: Schema, r: Random): Table {
  return r.pick(s.tables);
}

/** Two tables to combine; sometimes the same one twice (a self-join sees each change on both inputs). */
function twoTables(s: Schema, r: Random): [Table, Table] {
  const a = r.pick(s.tables);
  if (r.chance(0.2)) return [a, a];
  const others = s.tables.filter((t) => t !== a);
  return [a, r.pick(others)];
}

function column(r: Random, t: Table, type: ColumnType): Column {
  return r.pick(columnsOf(t, type));
}

function dataColumn(r: Random, t: Table): Column {
  return r.pick(t.columns.slice(1));
}

/** A type to group or join on: mostly INT and VARCHAR; DOUBLE now and then (its values are exact). */
function keyType(r: Random): ColumnType {
  return r.pick<ColumnType>(['INT', 'INT', 'VARCHAR', 'VARCHAR', 'DOUBLE']);
}

const q = (alias: string, c: Column): string => (alias ? `${alias}.${c.name}` : c.name);

/** A random predicate over the columns of `t` (three-valued logic: NULLs make it unknown). */
function predicate(s: Schema, r: Random, t: Table, alias = '', depth = 0): string {
  const roll = r.next();
  if (depth < 1 && roll < 0.2) {
    const op = r.pick(['AND', 'OR']);
    return `(${predicate(s, r, t, alias, depth + 1)} ${op} ${predicate(s, r, t, alias, depth + 1)})`;
  }
  if (depth < 1 && roll < 0.27) return `NOT (${predicate(s, r, t, alias, depth + 1)})`;
  const c = dataColumn(r, t);
  const ref = q(alias, c);
  if (roll < 0.37) return `${ref} IS ${r.chance(0.5) ? '' : 'NOT '}NULL`;
  if (roll < 0.47) {
    const items = Array.from({ length: r.between(1, 3) }, () => literal(s, r, c.type, false));
    return `${ref} ${r.chance(0.3) ? 'NOT ' : ''}IN (${items.join(', ')})`;
  }
  if (roll < 0.55 && c.type !== 'VARCHAR') {
    const [lo, hi] = [literal(s, r, c.type, false), literal(s, r, c.type, false)];
    return `${ref} BETWEEN ${lo} AND ${hi}`;
  }
  if (roll < 0.62 && c.type === 'VARCHAR') return `${ref} LIKE '${r.pick(['a%', '%b', '_', '%a%', ''])}'`;
  const op = r.pick(['=', '<>', '<', '<=', '>', '>=']);
  return `${ref} ${op} ${literal(s, r, c.type, false)}`;
}

function whereClause(s: Schema, r: Random, t: Table, alias = '', p = 0.5): string {
  return r.chance(p) ? ` WHERE ${predicate(s, r, t, alias)}` : '';
}

/** Aggregate calls over `t`, named a0, a1, ...; at least one. */
function aggregates(s: Schema, r: Random, t: Table, alias = '', opts: { distinct?: boolean } = {}): string[] {
  const calls: string[] = [];
  const candidates: (() => string)[] = [
    () => 'COUNT(*)',
    () => `COUNT(${q(alias, dataColumn(r, t))})`,
    () => `SUM(${q(alias, column(r, t, 'INT'))})`,
    () => `SUM(${q(alias, column(r, t, 'DOUBLE'))})`,
    () => `MIN(${q(alias, dataColumn(r, t))})`,
    () => `MAX(${q(alias, dataColumn(r, t))})`,
    () => `AVG(${q(alias, column(r, t, 'DOUBLE'))})`,
  ];
  if (opts.distinct) {
    candidates.push(
      () => `COUNT(DISTINCT ${q(alias, dataColumn(r, t))})`,
      () => `SUM(DISTINCT ${q(alias, column(r, t, 'INT'))})`,
      () => `COUNT(DISTINCT ${q(alias, dataColumn(r, t))})`,
    );
  }
  const n = r.between(1, 4);
  for (let i = 0; i < n; i++) calls.push(r.pick(candidates)());
  if (opts.distinct && !calls.some((c) => c.includes('DISTINCT'))) calls.push(`COUNT(DISTINCT ${q(alias, dataColumn(r, t))})`);
  return calls.map((c, i) => `${c} AS a${i}`);
}

/** 1-2 grouping columns of `t`. */
function groupColumns(r: Random, t: Table): Column[] {
  // Every table has a column of each type.
  const first = column(r, t, keyType(r));
  if (r.chance(0.3)) {
    const rest = t.columns.slice(1).filter((c) => c !== first);
    if (rest.length > 0) return [first, r.pick(rest)];
  }
  return [first];
}

/** An equi-join condition between `a` and `b` on columns of one type, with an optional residual. */
function joinCondition(s: Schema, r: Random, a: Table, b: Table, residual = true): string {
  const type = keyType(r);
  const parts = [`a.${column(r, a, type).name} = b.${column(r, b, type).name}`];
  if (r.chance(0.2)) {
    const t2 = type === 'INT' ? 'VARCHAR' : 'INT';
    parts.push(`a.${column(r, a, t2).name} = b.${column(r, b, t2).name}`);
  }
  if (residual && r.chance(0.3)) {
    const t3 = r.pick<ColumnType>(['INT', 'DOUBLE']);
    parts.push(`a.${column(r, a, t3).name} ${r.pick(['<', '<=', '<>'])} b.${column(r, b, t3).name}`);
  }
  return parts.join(' AND ');
}

/** A few columns of each join side, named uniquely. */
function joinOutput(r: Random, a: Table, b: Table, right = true): string {
  const cols = [`a.id AS a_id`, ...r.sample(a.columns.slice(1), r.between(1, 2)).map((c) => `a.${c.name} AS a_${c.name}`)];
  if (right) cols.push(`b.id AS b_id`, ...r.sample(b.columns.slice(1), r.between(0, 2)).map((c) => `b.${c.name} AS b_${c.name}`));
  return cols.join(', ');
}

function direction(r: Random): string {
  return `${r.pick(['ASC', 'DESC'])} NULLS ${r.pick(['FIRST', 'LAST'])}`;
}

/** Two SELECT lists of one type each, for the arms of a set operation. */
function setArms(s: Schema, r: Random): [string, string] {
  const [a, b] = twoTables(s, r);
  const types: ColumnType[] = r.chance(0.5) ? [keyType(r)] : [keyType(r), keyType(r)];
  const arm = (t: Table): string => {
    const cols = types.map((ty, i) => `${column(r, t, ty).name} AS c${i}`).join(', ');
    return `SELECT ${cols} FROM ${t.name}${whereClause(s, r, t, '', 0.4)}`;
  };
  return [arm(a), arm(b)];
}

// ---- the shapes --------------------------------------------------------------

const groupBy: Shape = {
  name: 'group-by',
  generate: (s, r) => {
    const t = table(s, r);
    const keys = groupColumns(r, t).map((c) => c.name);
    return `SELECT ${keys.join(', ')}, ${aggregates(s, r, t).join(', ')} FROM ${t.name}${whereClause(s, r, t, '', 0.3)} GROUP BY ${keys.join(', ')}`;
  },
};

const groupByDistinct: Shape = {
  name: 'group-by-distinct-aggregates',
  generate: (s, r) => {
    const t = table(s, r);
    const keys = groupColumns(r, t).map((c) => c.name);
    return `SELECT ${keys.join(', ')}, ${aggregates(s, r, t, '', { distinct: true }).join(', ')} FROM ${t.name} GROUP BY ${keys.join(', ')}`;
  },
};

const having: Shape = {
  name: 'group-by-having',
  generate: (s, r) => {
    const t = table(s, r);
    const keys = groupColumns(r, t).map((c) => c.name);
    const cond = r.pick([
      () => `COUNT(*) > ${r.between(1, 2)}`,
      () => `SUM(${column(r, t, 'INT').name}) >= ${r.int(s.intCount * 2)}`,
      () => `MIN(${column(r, t, 'VARCHAR').name}) < '${r.pick(s.strings)}'`,
      () => `AVG(${column(r, t, 'DOUBLE').name}) > ${doubleLiteral(r.pick(s.doubles))}`,
      () => `COUNT(${dataColumn(r, t).name}) = COUNT(*)`,
    ])();
    return `SELECT ${keys.join(', ')}, ${aggregates(s, r, t).join(', ')} FROM ${t.name} GROUP BY ${keys.join(', ')} HAVING ${cond}`;
  },
};

const globalAggregate: Shape = {
  name: 'global-aggregate',
  generate: (s, r) => {
    const t = table(s, r);
    return `SELECT ${aggregates(s, r, t, '', { distinct: r.chance(0.5) }).join(', ')} FROM ${t.name}${whereClause(s, r, t)}`;
  },
};

const aggregateFilter: Shape = {
  name: 'aggregate-filter',
  generate: (s, r) => {
    const t = table(s, r);
    const k = groupColumns(r, t)[0] as Column;
    return `SELECT ${k.name}, COUNT(*) FILTER (WHERE ${predicate(s, r, t)}) AS f0, SUM(${column(r, t, 'INT').name}) FILTER (WHERE ${predicate(s, r, t)}) AS f1, COUNT(*) AS n FROM ${t.name} GROUP BY ${k.name}`;
  },
};

const groupByExpression: Shape = {
  name: 'group-by-expression',
  generate: (s, r) => {
    const t = table(s, r);
    const i = column(r, t, 'INT').name;
    const v = column(r, t, 'VARCHAR').name;
    const expr = r.pick([
      `COALESCE(${v}, 'none')`,
      `CASE WHEN ${i} > ${r.int(s.intCount)} THEN 'big' WHEN ${i} IS NULL THEN 'null' ELSE 'small' END`,
      `${i} * 2 + 1`,
    ]);
    return `SELECT ${expr} AS g, ${aggregates(s, r, t).join(', ')} FROM ${t.name} GROUP BY ${expr}`;
  },
};

function joinShape(kind: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'): Shape {
  return {
    name: `join-${kind.toLowerCase()}`,
    generate: (s, r) => {
      const [a, b] = twoTables(s, r);
      // Now and then a theta join (no equality at all), maintained as a filtered cross product.
      const on = kind !== 'FULL' && r.chance(0.1)
        ? `a.${column(r, a, 'INT').name} < b.${column(r, b, 'INT').name}`
        : joinCondition(s, r, a, b);
      const preserved = kind === 'RIGHT' ? b : a;
      const alias = kind === 'RIGHT' ? 'b' : 'a';
      const where = kind !== 'FULL' ? whereClause(s, r, preserved, alias, 0.3) : '';
      return `SELECT ${joinOutput(r, a, b)} FROM ${a.name} a ${kind} JOIN ${b.name} b ON ${on}${where}`;
    },
  };
}

const threeWayJoin: Shape = {
  name: 'join-three-way',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const c = r.pick(s.tables);
    const kind = r.pick(['JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']);
    const type = keyType(r);
    return `SELECT a.id AS a_id, b.id AS b_id, c.id AS c_id, c.${dataColumn(r, c).name} AS c_x FROM ${a.name} a JOIN ${b.name} b ON ${joinCondition(s, r, a, b, false)} ${kind} ${c.name} c ON b.${column(r, b, type).name} = c.${column(r, c, type).name}`;
  },
};

const joinThenAggregate: Shape = {
  name: 'join-then-aggregate',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const kind = r.pick(['JOIN', 'LEFT JOIN', 'FULL JOIN']);
    const k = groupColumns(r, a)[0] as Column;
    return `SELECT a.${k.name} AS k, ${aggregates(s, r, b, 'b').join(', ')} FROM ${a.name} a ${kind} ${b.name} b ON ${joinCondition(s, r, a, b)} GROUP BY a.${k.name}`;
  },
};

const aggregateThenJoin: Shape = {
  name: 'aggregate-then-join',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const type = keyType(r);
    const ka = column(r, a, type).name;
    const kb = column(r, b, type).name;
    const kind = r.pick(['JOIN', 'LEFT JOIN']);
    return `SELECT a.id AS a_id, a.${ka} AS k, g.n, g.m FROM ${a.name} a ${kind} (SELECT ${kb} AS k, COUNT(*) AS n, MAX(${dataColumn(r, b).name}) AS m FROM ${b.name} GROUP BY ${kb}) g ON a.${ka} = g.k`;
  },
};

function inShape(negated: boolean): Shape {
  return {
    name: negated ? 'not-in-subquery' : 'in-subquery',
    generate: (s, r) => {
      const [a, b] = twoTables(s, r);
      const type = keyType(r);
      const ka = column(r, a, type).name;
      const kb = column(r, b, type).name;
      // NOT IN over a column with NULLs is empty or unknown: keep that case (it is the point), but not always.
      const inner = negated && r.chance(0.5) ? ` WHERE ${kb} IS NOT NULL` : whereClause(s, r, b, '', 0.4);
      return `SELECT id, ${ka} FROM ${a.name} WHERE ${ka} ${negated ? 'NOT ' : ''}IN (SELECT ${kb} FROM ${b.name}${inner})`;
    },
  };
}

function existsShape(negated: boolean): Shape {
  return {
    name: negated ? 'not-exists-subquery' : 'exists-subquery',
    generate: (s, r) => {
      const [a, b] = twoTables(s, r);
      const type = keyType(r);
      let cond = `b.${column(r, b, type).name} = a.${column(r, a, type).name}`;
      if (r.chance(0.4)) {
        const t2 = r.pick<ColumnType>(['INT', 'VARCHAR', 'DOUBLE']);
        cond += ` AND b.${column(r, b, t2).name} ${r.pick(['<>', '<', '>='])} a.${column(r, a, t2).name}`;
      }
      if (r.chance(0.3)) cond += ` AND ${predicate(s, r, b, 'b')}`;
      return `SELECT a.id, a.${dataColumn(r, a).name} AS x FROM ${a.name} a WHERE ${negated ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${b.name} b WHERE ${cond})`;
    },
  };
}

const scalarSubquery: Shape = {
  name: 'scalar-subquery-correlated',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const type = keyType(r);
    // COUNT(*) over no rows is 0, not NULL: the classic decorrelation trap.
    const agg = r.pick(['COUNT(*)', `MAX(b.${dataColumn(r, b).name})`, `SUM(b.${column(r, b, 'INT').name})`, `COUNT(b.${dataColumn(r, b).name})`]);
    return `SELECT a.id, (SELECT ${agg} FROM ${b.name} b WHERE b.${column(r, b, type).name} = a.${column(r, a, type).name}) AS v FROM ${a.name} a`;
  },
};

const uncorrelatedScalar: Shape = {
  name: 'scalar-subquery-uncorrelated',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const d = column(r, a, 'DOUBLE').name;
    const sub = `(SELECT ${r.pick(['AVG', 'MIN', 'MAX'])}(${column(r, b, 'DOUBLE').name}) FROM ${b.name})`;
    return r.chance(0.5)
      ? `SELECT id, ${d} FROM ${a.name} WHERE ${d} ${r.pick(['>', '<=', '='])} ${sub}`
      : `SELECT id, ${d} - ${sub} AS diff FROM ${a.name}`;
  },
};

const distinct: Shape = {
  name: 'select-distinct',
  generate: (s, r) => {
    const t = table(s, r);
    const cols = r.sample(t.columns.slice(1), r.between(1, 2)).map((c) => c.name);
    return `SELECT DISTINCT ${cols.join(', ')} FROM ${t.name}${whereClause(s, r, t, '', 0.3)}`;
  },
};

function setOpShape(op: string): Shape {
  return {
    name: `set-${op.toLowerCase().replace(' ', '-')}`,
    generate: (s, r) => {
      const [x, y] = setArms(s, r);
      return `${x} ${op} ${y}`;
    },
  };
}

const topN: Shape = {
  name: 'top-n-row-number',
  generate: (s, r) => {
    const t = table(s, r);
    const cols = r.sample(t.columns.slice(1), r.between(1, 3));
    const partition = r.chance(0.8) ? `PARTITION BY ${groupColumns(r, t).map((c) => c.name).join(', ')} ` : '';
    const order = `${dataColumn(r, t).name} ${direction(r)}, id ${r.pick(['ASC', 'DESC'])}`;
    const filter = r.chance(0.2) ? 'rn = 1' : `rn <= ${r.between(1, 3)}`;
    const rank = r.chance(0.5) ? ', rn' : '';
    return `SELECT id, ${cols.map((c) => c.name).join(', ')}${rank} FROM (SELECT id, ${cols.map((c) => c.name).join(', ')}, ROW_NUMBER() OVER (${partition}ORDER BY ${order}) AS rn FROM ${t.name}${whereClause(s, r, t, '', 0.3)}) t WHERE ${filter}`;
  },
};

const topNOverAggregate: Shape = {
  name: 'top-n-over-aggregate',
  generate: (s, r) => {
    const t = table(s, r);
    const k = groupColumns(r, t)[0] as Column;
    const agg = r.pick(['COUNT(*)', `SUM(${column(r, t, 'INT').name})`, `MAX(${dataColumn(r, t).name})`]);
    // The group key is unique in the aggregate's output: (v, k) is a total order.
    return `SELECT k, v FROM (SELECT k, v, ROW_NUMBER() OVER (ORDER BY v ${direction(r)}, k ${direction(r)}) AS rn FROM (SELECT ${k.name} AS k, ${agg} AS v FROM ${t.name} GROUP BY ${k.name}) g) t WHERE rn <= ${r.between(1, 3)}`;
  },
};

const orderByLimit: Shape = {
  name: 'order-by-limit',
  generate: (s, r) => {
    const t = table(s, r);
    const cols = r.sample(t.columns.slice(1), r.between(1, 3)).map((c) => c.name);
    const key = dataColumn(r, t).name;
    const offset = r.chance(0.3) ? ` OFFSET ${r.between(1, 2)}` : '';
    return `SELECT id, ${cols.join(', ')} FROM ${t.name}${whereClause(s, r, t, '', 0.3)} ORDER BY ${key} ${direction(r)}, id ${r.pick(['ASC', 'DESC'])} LIMIT ${r.between(1, 4)}${offset}`;
  },
};

const orderByLimitJoin: Shape = {
  name: 'order-by-limit-over-join',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const x = dataColumn(r, b).name;
    // (a.id, b.id) is unique in an inner join.
    return `SELECT a.id AS a_id, b.id AS b_id, b.${x} AS x FROM ${a.name} a JOIN ${b.name} b ON ${joinCondition(s, r, a, b)} ORDER BY b.${x} ${direction(r)}, a.id ${direction(r)}, b.id ${direction(r)} LIMIT ${r.between(1, 4)}`;
  },
};

const projection: Shape = {
  name: 'projection-expressions',
  generate: (s, r) => {
    const t = table(s, r);
    const i = column(r, t, 'INT').name;
    const i2 = column(r, t, 'INT').name;
    const v = column(r, t, 'VARCHAR').name;
    const d = column(r, t, 'DOUBLE').name;
    const exprs = [
      `CASE WHEN ${i} > ${r.int(s.intCount)} THEN 'hi' WHEN ${i} IS NULL THEN 'none' ELSE ${v} END`,
      `CASE ${v} WHEN '${r.pick(s.strings)}' THEN ${i} ELSE ${i2} END`,
      `COALESCE(${d}, ${doubleLiteral(r.pick(s.doubles))}) * 2 + ${i}`,
      `${i} * 3 - id`,
      `${i} + ${i2} * id`,
      `${d} / 4`,
      `-${d}`,
      `COALESCE(${v}, '?') || '-' || COALESCE(${v}, '!')`,
      `NULLIF(${i}, ${r.int(s.intCount)})`,
      `ABS(${i} - ${r.int(s.intCount)})`,
      `${i} + 0.5`,
      `${i} % 3`,
      `CHAR_LENGTH(${v})`,
      `UPPER(${v})`,
      `${i} BETWEEN 1 AND 2`,
      `${d} > ${doubleLiteral(r.pick(s.doubles))} OR ${v} IS NULL`,
      `COALESCE(${i}, ${i2}, -1)`,
      `TRIM(${v})`,
      `SUBSTRING(${v}, ${r.between(1, 2)}, ${r.between(1, 2)})`,
      `POSITION('b' IN ${v})`,
      `${v} LIKE '%${r.pick(s.strings)}%'`,
      `CAST(${i} AS VARCHAR) || ${v}`,
    ];
    const chosen = r.sample(exprs, r.between(2, 5)).map((e, k) => `${e} AS e${k}`);
    return `SELECT id, ${chosen.join(', ')} FROM ${t.name}${whereClause(s, r, t, '', 0.5)}`;
  },
};

const groupingSets: Shape = {
  name: 'grouping-sets',
  generate: (s, r) => {
    const t = table(s, r);
    const [x, y] = r.sample(t.columns.slice(1), 2).map((c) => c.name) as [string, string];
    const sets = r.pick([`ROLLUP (${x}, ${y})`, `CUBE (${x}, ${y})`, `GROUPING SETS ((${x}), (${y}), ())`, `GROUPING SETS ((${x}, ${y}), (${x}))`]);
    const grouping = r.chance(0.5) ? `, GROUPING(${x}) AS gx` : '';
    return `SELECT ${x}, ${y}${grouping}, ${aggregates(s, r, t).join(', ')} FROM ${t.name} GROUP BY ${sets}`;
  },
};

const varianceAggregates: Shape = {
  name: 'variance-aggregates',
  generate: (s, r) => {
    const t = table(s, r);
    const k = groupColumns(r, t)[0] as Column;
    const d = column(r, t, 'DOUBLE').name;
    const calls = r.sample(['STDDEV_POP', 'STDDEV_SAMP', 'VAR_POP', 'VAR_SAMP'], r.between(1, 3)).map((f, i) => `${f}(${d}) AS v${i}`);
    return `SELECT ${k.name}, ${calls.join(', ')}, COUNT(${d}) AS n FROM ${t.name} GROUP BY ${k.name}`;
  },
};

const orderedAndBooleanAggregates: Shape = {
  name: 'string-agg-and-bool-aggregates',
  generate: (s, r) => {
    const t = table(s, r);
    const k = groupColumns(r, t)[0] as Column;
    const v = column(r, t, 'VARCHAR').name;
    // STRING_AGG in a fixed order (by the value, then the key): arrival order differs between the systems.
    const calls = [
      `STRING_AGG(${v}, ',' ORDER BY ${v}, id) AS l`,
      `BOOL_AND(${predicate(s, r, t)}) AS ba`,
      `BOOL_OR(${predicate(s, r, t)}) AS bo`,
    ];
    return `SELECT ${k.name}, ${r.sample(calls, r.between(1, 3)).join(', ')} FROM ${t.name} GROUP BY ${k.name}`;
  },
};

const nestedAggregate: Shape = {
  name: 'aggregate-of-aggregate',
  generate: (s, r) => {
    const t = table(s, r);
    const k = groupColumns(r, t)[0] as Column;
    const inner = r.pick(['COUNT(*)', `MAX(${column(r, t, 'INT').name})`, `COUNT(DISTINCT ${dataColumn(r, t).name})`]);
    return `SELECT n, COUNT(*) AS groups, MIN(k) AS lo FROM (SELECT ${k.name} AS k, ${inner} AS n FROM ${t.name} GROUP BY ${k.name}) g GROUP BY n`;
  },
};

const globalHaving: Shape = {
  name: 'global-aggregate-having',
  generate: (s, r) => {
    const t = table(s, r);
    // The single row comes and goes with the condition.
    return `SELECT COUNT(*) AS n, SUM(${column(r, t, 'INT').name}) AS s FROM ${t.name} HAVING COUNT(*) ${r.pick(['>', '<', '='])} ${r.between(1, s.keyCount)}`;
  },
};

const unionThenAggregate: Shape = {
  name: 'union-all-then-aggregate',
  generate: (s, r) => {
    const [x, y] = setArms(s, r);
    return `SELECT c0, COUNT(*) AS n FROM (${x} UNION ALL ${y}) u GROUP BY c0`;
  },
};

const leftAntiJoin: Shape = {
  name: 'left-join-where-null',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    return `SELECT a.id, a.${dataColumn(r, a).name} AS x FROM ${a.name} a LEFT JOIN ${b.name} b ON ${joinCondition(s, r, a, b)} WHERE b.id IS NULL`;
  },
};

const cteJoin: Shape = {
  name: 'cte-aggregate-join',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const type = keyType(r);
    const ka = column(r, a, type).name;
    const kb = column(r, b, type).name;
    return `WITH g AS (SELECT ${ka} AS k, MAX(${dataColumn(r, a).name}) AS m, COUNT(*) AS n FROM ${a.name} GROUP BY ${ka}) SELECT g.k, g.m, g.n, b.id FROM g ${r.pick(['JOIN', 'RIGHT JOIN', 'FULL JOIN'])} ${b.name} b ON g.k = b.${kb}`;
  },
};

const distinctJoin: Shape = {
  name: 'distinct-over-join',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    return `SELECT DISTINCT a.${dataColumn(r, a).name} AS x, b.${dataColumn(r, b).name} AS y FROM ${a.name} a JOIN ${b.name} b ON ${joinCondition(s, r, a, b)}`;
  },
};

const subqueryInExpression: Shape = {
  name: 'subquery-in-expression',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const type = keyType(r);
    const ka = column(r, a, type).name;
    const kb = column(r, b, type).name;
    return r.pick([
      // IN as a value: TRUE, FALSE or NULL (three-valued when either side has NULLs).
      () => `SELECT id, ${ka} ${r.chance(0.5) ? 'NOT ' : ''}IN (SELECT ${kb} FROM ${b.name}${whereClause(s, r, b, '', 0.4)}) AS f FROM ${a.name}`,
      () => `SELECT a.id FROM ${a.name} a WHERE EXISTS (SELECT 1 FROM ${b.name} b WHERE b.${kb} = a.${ka}) OR ${predicate(s, r, a, 'a')}`,
      () => `SELECT a.id, a.${column(r, a, 'DOUBLE').name} AS d FROM ${a.name} a WHERE a.${column(r, a, 'DOUBLE').name} ${r.pick(['>', '<='])} (SELECT AVG(b.${column(r, b, 'DOUBLE').name}) FROM ${b.name} b WHERE b.${kb} = a.${ka})`,
    ])();
  },
};

const topNRank: Shape = {
  name: 'top-n-rank',
  generate: (s, r) => {
    const t = table(s, r);
    const fn = r.pick(['RANK', 'DENSE_RANK']);
    const partition = r.chance(0.7) ? `PARTITION BY ${column(r, t, keyType(r)).name} ` : '';
    // Ties are fine: every row ranked <= n is in the answer, so it is unique without a tiebreaker.
    return `SELECT id, r FROM (SELECT id, ${fn}() OVER (${partition}ORDER BY ${dataColumn(r, t).name} ${direction(r)}) AS r FROM ${t.name}) t WHERE r <= ${r.between(1, 3)}`;
  },
};

const topNOverJoin: Shape = {
  name: 'top-n-over-join',
  generate: (s, r) => {
    const [a, b] = twoTables(s, r);
    const x = dataColumn(r, b).name;
    return `SELECT a_id, b_id, x FROM (SELECT a.id AS a_id, b.id AS b_id, b.${x} AS x, ROW_NUMBER() OVER (PARTITION BY a.id ORDER BY b.${x} ${direction(r)}, b.id) AS rn FROM ${a.name} a JOIN ${b.name} b ON ${joinCondition(s, r, a, b)}) t WHERE rn <= ${r.between(1, 2)}`;
  },
};

const viewOverView: Shape = {
  name: 'view-over-view',
  generate: (s, r) => {
    const base = r.pick([groupBy, having, joinShape('LEFT'), joinShape('FULL'), topN, orderByLimit, setOpShape('UNION ALL'), setOpShape('EXCEPT'), existsShape(true), scalarSubquery]);
    const inner = base.generate(s, r) as string;
    const outer = r.pick<(rel: string) => string>([
      (rel) => `SELECT * FROM ${rel}`,
      (rel) => `SELECT COUNT(*) AS n FROM ${rel}`,
      (rel) => `SELECT DISTINCT * FROM ${rel}`,
    ]);
    return { inner, outer };
  },
};

/** Every shape, in a fixed order (the order of the tests). */
export const shapes: readonly Shape[] = [
  groupBy,
  groupByDistinct,
  having,
  globalAggregate,
  aggregateFilter,
  groupByExpression,
  groupingSets,
  varianceAggregates,
  orderedAndBooleanAggregates,
  nestedAggregate,
  globalHaving,
  joinShape('INNER'),
  joinShape('LEFT'),
  joinShape('RIGHT'),
  joinShape('FULL'),
  threeWayJoin,
  joinThenAggregate,
  aggregateThenJoin,
  leftAntiJoin,
  cteJoin,
  distinctJoin,
  inShape(false),
  inShape(true),
  existsShape(false),
  existsShape(true),
  scalarSubquery,
  uncorrelatedScalar,
  subqueryInExpression,
  distinct,
  setOpShape('UNION'),
  setOpShape('UNION ALL'),
  setOpShape('INTERSECT'),
  setOpShape('INTERSECT ALL'),
  setOpShape('EXCEPT'),
  setOpShape('EXCEPT ALL'),
  unionThenAggregate,
  topN,
  topNRank,
  topNOverAggregate,
  topNOverJoin,
  orderByLimit,
  orderByLimitJoin,
  projection,
  viewOverView,
];
