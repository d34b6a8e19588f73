// Test support for the binder and the rules: a small catalog built from DDL, and helpers to bind, explain and check errors.

import { expect } from 'chai';
import { typeToSql } from '../../common/data-type.js';
import { SqlError } from '../../common/errors.js';
import type { CreateTable, Delete, Insert, Query, Statement, Update } from '../../parser/ast/index.js';
import { parseStatement } from '../../parser/index.js';
import { bindCreateTable, bindDelete, bindInsert, bindQuery, bindUpdate } from '../../planner/binder/index.js';
import type { BoundQuery } from '../../planner/binder/index.js';
import type { CatalogReader, CatalogRelation } from '../../planner/binder/catalog-reader.js';
import { explainLogical } from '../../planner/explain.js';
import type { LogicalPlan } from '../../planner/logical/index.js';
import { optimize } from '../../planner/rules/index.js';
import { tableScan } from '../../planner/binder/relation.js';
import type { Row } from '../../common/value.js';
import { generate, multiset, random, run } from '../rules/interpreter.js';

export class TestCatalog implements CatalogReader {
  private readonly relations = new Map<string, CatalogRelation>();

  relation(name: string): CatalogRelation | undefined {
    return this.relations.get(name);
  }

  relationNames(): readonly string[] {
    return [...this.relations.keys()];
  }

  add(r: CatalogRelation): this {
    this.relations.set(r.name, r);
    return this;
  }

  /** CREATE TABLE through the binder itself. */
  table(ddl: string): this {
    return this.add(bindCreateTable(parse(ddl) as CreateTable, this));
  }

  /** A VIEW or MATERIALIZED VIEW over `sql`, its columns as the binder types them. */
  view(name: string, sql: string, kind: 'VIEW' | 'MATERIALIZED VIEW' = 'VIEW'): this {
    const query = parse(sql) as Query;
    const b = bindQuery(query, this);
    return this.add({
      name,
      kind,
      columns: b.plan.schema.map((f, i) => ({ name: b.columnNames[i] as string, type: f.type, nullable: f.nullable })),
      query,
      options: [],
    });
  }
}

export function parse(sql: string): Statement {
  return parseStatement(sql);
}

/** The catalog most tests use: a Nexmark-like bids/auctions/people, small t/u tables, a computed-column table, a view and an MV. */
export function catalog(): TestCatalog {
  return new TestCatalog()
    .table(`CREATE TABLE bids (auction BIGINT NOT NULL, bidder BIGINT, price INT, channel VARCHAR, ts TIMESTAMP(3),
            WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)`)
    .table('CREATE TABLE auctions (id BIGINT, seller BIGINT, category INT, name VARCHAR, PRIMARY KEY (id) NOT ENFORCED)')
    .table('CREATE TABLE people (id BIGINT PRIMARY KEY, name VARCHAR, city VARCHAR, state VARCHAR)')
    .table('CREATE TABLE t (a INT, b INT, c VARCHAR)')
    .table('CREATE TABLE u (a INT, d DOUBLE)')
    .table('CREATE TABLE nn (x INT NOT NULL, y INT NOT NULL)')
    .table('CREATE TABLE orders (id INT, qty INT, price DECIMAL(10, 2), total AS qty * price, pt AS PROCTIME())')
    .view('expensive', 'SELECT auction, price FROM bids WHERE price > 100')
    .view('counts', 'SELECT auction, count(*) AS n FROM bids GROUP BY auction', 'MATERIALIZED VIEW');
}

export function bind(sql: string, cat: CatalogReader = catalog()): BoundQuery {
  return bindQuery(parse(sql) as Query, cat);
}

/** EXPLAIN of the bound (unoptimized) plan. */
export function explain(sql: string, cat: CatalogReader = catalog()): string {
  return explainLogical(bind(sql, cat).plan);
}

/** EXPLAIN of the optimized plan. */
export function explainOptimized(sql: string, cat: CatalogReader = catalog()): string {
  return explainLogical(optimize(bind(sql, cat).plan));
}

export function optimized(sql: string, cat: CatalogReader = catalog()): LogicalPlan {
  return optimize(bind(sql, cat).plan);
}

/** Output column types as SQL spells them. */
export function types(sql: string, cat: CatalogReader = catalog()): string[] {
  return bind(sql, cat).plan.schema.map((f) => typeToSql(f.type));
}

export function lines(...l: string[]): string {
  return l.join('\n');
}

export interface ExpectedError {
  readonly sqlstate: string;
  readonly message: string;
  readonly position?: number;
  readonly hint?: string;
}

/** Runs `f` and checks the SqlError it throws. */
export function expectSqlError(f: () => unknown, e: ExpectedError): SqlError {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'an error').to.be.instanceOf(SqlError);
  const err = caught as SqlError;
  expect({ sqlstate: err.sqlstate, message: err.message }).to.deep.equal({ sqlstate: e.sqlstate, message: e.message });
  if (e.position !== undefined) expect(err.position, 'position').to.equal(e.position);
  if (e.hint !== undefined) expect(err.hint, 'hint').to.equal(e.hint);
  return err;
}

/** The 1-based position of `needle` in `sql` (its `nth` occurrence), as PostgreSQL reports positions. */
export function pos(sql: string, needle: string, nth = 1): number {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = sql.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not in ${sql}`);
  }
  return at + 1;
}

export function queryError(sql: string, e: ExpectedError, cat: CatalogReader = catalog()): SqlError {
  return expectSqlError(() => bindQuery(parse(sql) as Query, cat), e);
}

export function optimizeError(sql: string, e: ExpectedError, cat: CatalogReader = catalog()): SqlError {
  return expectSqlError(() => optimize(bindQuery(parse(sql) as Query, cat).plan), e);
}

export function insert(sql: string, cat: CatalogReader = catalog()) {
  return bindInsert(parse(sql) as Insert, cat);
}

export function update(sql: string, cat: CatalogReader = catalog()) {
  return bindUpdate(parse(sql) as Update, cat);
}

export function del(sql: string, cat: CatalogReader = catalog()) {
  return bindDelete(parse(sql) as Delete, cat);
}

export function createTable(sql: string, cat: CatalogReader = catalog()): CatalogRelation {
  return bindCreateTable(parse(sql) as CreateTable, cat);
}

/** Random rows for every table and materialized view of `cat` (stored columns only), for result comparisons. */
export function randomTables(cat: TestCatalog, seed: number, rows = 12): Map<string, Row[]> {
  const rnd = random(seed);
  const out = new Map<string, Row[]>();
  for (const name of cat.relationNames()) {
    const rel = cat.relation(name) as CatalogRelation;
    if (rel.kind === 'VIEW') continue;
    const schema = rel.kind === 'TABLE' ? tableScan(rel).schema : rel.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
    out.set(name, generate(schema, rows, rnd));
  }
  return out;
}

/**
 * Checks that optimizing `sql` keeps its result on several random data sets: the bound plan
 * (subqueries evaluated row by row) and the optimized plan give the same multiset of rows.
 */
export function expectSameResults(sql: string, cat: TestCatalog = catalog(), seeds: readonly number[] = [1, 2, 3, 4, 5, 6]): void {
  const plan = bind(sql, cat).plan;
  const opt = optimize(plan);
  for (const seed of seeds) {
    const data = randomTables(cat, seed);
    const before = multiset(run(plan, data));
    const after = multiset(run(opt, data));
    expect(after, `seed ${seed}:\n${explainLogical(opt)}`).to.deep.equal(before);
  }
}
