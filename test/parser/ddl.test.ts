// Parser tests: CREATE TABLE / VIEW / MATERIALIZED VIEW, DROP, DROP JOB, ANALYZE.

import { expect } from 'chai';
import type { CreateTable } from '../../parser/ast/index.js';
import { bin, call, col, id, num, parseErrorOf, query, select, stmt, table, type, warmUpParser } from './ast-builders.js';

describe('parser: DDL', () => {
  before(warmUpParser);

  describe('CREATE TABLE', () => {
    it('columns, watermark, primary key, options', () => {
      expect(stmt(`CREATE TABLE bids (
        auction BIGINT NOT NULL,
        price DECIMAL(10, 2),
        ts TIMESTAMP(3),
        WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
        PRIMARY KEY (auction) NOT ENFORCED
      ) WITH ('connector' = 'kafka', 'scan.startup.mode' = 'earliest-offset')`)).to.deep.equal({
        kind: 'CreateTable',
        temporary: false,
        ifNotExists: false,
        name: [id('bids')],
        columns: [
          { kind: 'PhysicalColumn', name: id('auction'), type: type('BIGINT'), notNull: true },
          { kind: 'PhysicalColumn', name: id('price'), type: type('DECIMAL', [10, 2]), notNull: false },
          { kind: 'PhysicalColumn', name: id('ts'), type: type('TIMESTAMP', [3]), notNull: false },
        ],
        watermark: {
          column: id('ts'),
          expr: bin('-', col('ts'), { kind: 'IntervalLiteral', value: '5', negative: false, qualifier: { from: 'SECOND' } }),
        },
        primaryKey: { columns: [id('auction')], enforced: false },
        options: [
          { key: 'connector', value: 'kafka' },
          { key: 'scan.startup.mode', value: 'earliest-offset' },
        ],
      });
    });
    it('computed, processing-time and metadata columns', () => {
      const t = stmt(`CREATE TABLE t (
        price INT,
        doubled AS price * 2 COMMENT 'twice',
        pt AS PROCTIME(),
        topic STRING METADATA FROM 'topic' VIRTUAL,
        "offset" BIGINT METADATA
      )`) as CreateTable;
      expect(t.columns).to.deep.equal([
        { kind: 'PhysicalColumn', name: id('price'), type: type('INT'), notNull: false },
        { kind: 'ComputedColumn', name: id('doubled'), expr: bin('*', col('price'), num('2')), comment: 'twice' },
        { kind: 'ComputedColumn', name: id('pt'), expr: call('proctime', []) },
        { kind: 'MetadataColumn', name: id('topic'), type: type('STRING'), from: 'topic', virtual: true },
        { kind: 'MetadataColumn', name: id('offset', true), type: type('BIGINT'), virtual: false },
      ]);
    });
    it('column constraints: NULL, column-level PRIMARY KEY, COMMENT', () => {
      const t = stmt("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED COMMENT 'the key', v STRING NULL, w INT CONSTRAINT c PRIMARY KEY)") as CreateTable;
      expect(t.columns).to.deep.equal([
        { kind: 'PhysicalColumn', name: id('id'), type: type('INT'), notNull: false, primaryKey: true, comment: 'the key' },
        { kind: 'PhysicalColumn', name: id('v'), type: type('STRING'), notNull: false },
        { kind: 'PhysicalColumn', name: id('w'), type: type('INT'), notNull: false, primaryKey: true },
      ]);
    });
    it('TEMPORARY, IF NOT EXISTS, qualified names, COMMENT, PARTITIONED BY', () => {
      const t = stmt("CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.t (a INT, b STRING) COMMENT 'a table' PARTITIONED BY (b)") as CreateTable;
      expect(t.temporary).to.equal(true);
      expect(t.ifNotExists).to.equal(true);
      expect(t.name).to.deep.equal([id('cat'), id('db'), id('t')]);
      expect(t.comment).to.equal('a table');
      expect(t.partitionedBy).to.deep.equal([id('b')]);
      expect(t.options).to.deep.equal([]);
    });
    it('a table-level key with a constraint name, enforced when NOT ENFORCED is absent', () => {
      const t = stmt('CREATE TABLE t (a INT, b INT, CONSTRAINT pk PRIMARY KEY (a, b))') as CreateTable;
      expect(t.primaryKey).to.deep.equal({ columns: [id('a'), id('b')], enforced: true });
    });
    it('columns named like keywords, including watermark', () => {
      const t = stmt('CREATE TABLE t (key STRING, value INT, watermark INT, timestamp TIMESTAMP(3), window_start TIMESTAMP(3))') as CreateTable;
      expect(t.columns.map((c) => c.name.value)).to.deep.equal(['key', 'value', 'watermark', 'timestamp', 'window_start']);
      expect(t.watermark).to.equal(undefined);
    });
    it('nested and multi-word types', () => {
      const t = stmt('CREATE TABLE t (a ARRAY<INT>, m MAP<STRING, INT>, r ROW<x INT, y STRING>, d DOUBLE PRECISION, z TIMESTAMP(3) WITH LOCAL TIME ZONE, l TIMESTAMP_LTZ(3), i INTERVAL DAY TO SECOND)') as CreateTable;
      expect(t.columns.map((c) => (c.kind === 'PhysicalColumn' ? c.type.name : ''))).to.deep.equal([
        'ARRAY', 'MAP', 'ROW', 'DOUBLE', 'TIMESTAMP_LTZ', 'TIMESTAMP_LTZ', 'INTERVAL',
      ]);
    });
    it('options with unquoted keys and values', () => {
      const t = stmt("CREATE TABLE t (a INT) WITH (connector = 'datagen', \"rows-per-second\" = 10, fields.a.min = -5, enabled = true)") as CreateTable;
      expect(t.options).to.deep.equal([
        { key: 'connector', value: 'datagen' },
        { key: 'rows-per-second', value: '10' },
        { key: 'fields.a.min', value: '-5' },
        { key: 'enabled', value: 'true' },
      ]);
    });
    it('rejects two primary keys and two watermarks', () => {
      expect(parseErrorOf(() => stmt('CREATE TABLE t (a INT, PRIMARY KEY (a), PRIMARY KEY (a))')).message)
        .to.equal('multiple primary keys for table "t" are not allowed at or near "PRIMARY"');
      expect(parseErrorOf(() => stmt('CREATE TABLE t (a TIMESTAMP(3), WATERMARK FOR a AS a, WATERMARK FOR a AS a)')).message)
        .to.equal('multiple WATERMARK definitions are not allowed at or near "WATERMARK"');
    });
    it('rejects FOR after a column that is not WATERMARK', () => {
      expect(parseErrorOf(() => stmt('CREATE TABLE t (wm FOR a AS a)')).message).to.equal('syntax error at or near "FOR"');
    });
  });

  describe('CREATE VIEW', () => {
    it('plain view', () => {
      expect(stmt('CREATE VIEW v AS SELECT a FROM t')).to.deep.equal({
        kind: 'CreateView', materialized: false, orReplace: false, temporary: false, ifNotExists: false,
        name: [id('v')], options: [], query: query(select([col('a')], { from: [table('t')] })),
      });
    });
    it('OR REPLACE TEMPORARY MATERIALIZED with columns and options', () => {
      expect(stmt("CREATE OR REPLACE TEMPORARY MATERIALIZED VIEW s.mv (x, y) WITH ('k' = 'v') AS SELECT 1, 2")).to.deep.equal({
        kind: 'CreateView', materialized: true, orReplace: true, temporary: true, ifNotExists: false,
        name: [id('s'), id('mv')], columns: [id('x'), id('y')], options: [{ key: 'k', value: 'v' }],
        query: query(select([num('1'), num('2')])),
      });
    });
    it('MATERIALIZED VIEW IF NOT EXISTS', () => {
      const v = stmt('CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1');
      expect(v).to.include({ kind: 'CreateView', materialized: true, ifNotExists: true });
    });
    it('a view over a query with WITH and ORDER BY ... LIMIT (a TopN)', () => {
      const v = stmt('CREATE MATERIALIZED VIEW top3 AS WITH x AS (SELECT a FROM t) SELECT a FROM x ORDER BY a DESC LIMIT 3');
      expect(v.kind === 'CreateView' && v.query.limit).to.deep.equal(num('3'));
    });
  });

  describe('DROP', () => {
    it('TABLE, VIEW, MATERIALIZED VIEW with IF EXISTS, lists, CASCADE / RESTRICT', () => {
      expect(stmt('DROP TABLE IF EXISTS a, s.b CASCADE')).to.deep.equal({
        kind: 'Drop', objectType: 'TABLE', ifExists: true, names: [[id('a')], [id('s'), id('b')]], cascade: true,
      });
      expect(stmt('DROP VIEW v RESTRICT')).to.deep.equal({ kind: 'Drop', objectType: 'VIEW', ifExists: false, names: [[id('v')]], cascade: false });
      expect(stmt('DROP MATERIALIZED VIEW mv')).to.deep.equal({
        kind: 'Drop', objectType: 'MATERIALIZED VIEW', ifExists: false, names: [[id('mv')]], cascade: false,
      });
    });
    it('DROP JOB by string, name or number', () => {
      expect(stmt("DROP JOB 'job-1'")).to.deep.equal({ kind: 'DropJob', ifExists: false, job: 'job-1' });
      expect(stmt('DROP JOB IF EXISTS My_Job')).to.deep.equal({ kind: 'DropJob', ifExists: true, job: 'my_job' });
      expect(stmt('DROP JOB 42')).to.deep.equal({ kind: 'DropJob', ifExists: false, job: '42' });
    });
  });

  describe('ANALYZE', () => {
    it('with and without a table', () => {
      expect(stmt('ANALYZE')).to.deep.equal({ kind: 'Analyze' });
      expect(stmt('ANALYZE TABLE s.t')).to.deep.equal({ kind: 'Analyze', name: [id('s'), id('t')] });
      expect(stmt('ANALYZE t')).to.deep.equal({ kind: 'Analyze', name: [id('t')] });
    });
  });
});

describe('parser: DML', () => {
  it('INSERT INTO ... VALUES with a column list', () => {
    expect(stmt("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')")).to.deep.equal({
      kind: 'Insert', overwrite: false, table: [id('t')], columns: [id('a'), id('b')],
      source: query({ kind: 'Values', rows: [[num('1'), { kind: 'Literal', value: { type: 'string', value: 'x' } }], [num('2'), { kind: 'Literal', value: { type: 'string', value: 'y' } }]] }),
    });
  });
  it('INSERT OVERWRITE ... SELECT, and a parenthesized query', () => {
    expect(stmt('INSERT OVERWRITE sink SELECT a FROM src')).to.deep.equal({
      kind: 'Insert', overwrite: true, table: [id('sink')], source: query(select([col('a')], { from: [table('src')] })),
    });
    const s = stmt('INSERT INTO sink (SELECT a FROM src)');
    expect(s.kind === 'Insert' && s.source.body.kind).to.equal('NestedQuery');
    expect(s).to.not.have.property('columns');
  });
  it('INSERT with WITH', () => {
    const s = stmt('INSERT INTO sink WITH x AS (SELECT 1) SELECT * FROM x');
    expect(s.kind === 'Insert' && s.source.with?.ctes.length).to.equal(1);
  });
  it('UPDATE ... SET ... WHERE, with an alias', () => {
    expect(stmt("UPDATE t AS x SET a = a + 1, b = 'z' WHERE id = 5")).to.deep.equal({
      kind: 'Update', table: [id('t')], alias: id('x'),
      assignments: [
        { column: id('a'), value: bin('+', col('a'), num('1')) },
        { column: id('b'), value: { kind: 'Literal', value: { type: 'string', value: 'z' } } },
      ],
      where: bin('=', col('id'), num('5')),
    });
    expect(stmt('UPDATE t SET a = 1')).to.deep.equal({ kind: 'Update', table: [id('t')], assignments: [{ column: id('a'), value: num('1') }] });
  });
  it('DELETE FROM ... WHERE', () => {
    expect(stmt('DELETE FROM t WHERE id = 1')).to.deep.equal({ kind: 'Delete', table: [id('t')], where: bin('=', col('id'), num('1')) });
    expect(stmt('DELETE FROM s.t x')).to.deep.equal({ kind: 'Delete', table: [id('s'), id('t')], alias: id('x') });
  });

  describe('COPY', () => {
    it('FROM STDIN with options', () => {
      expect(stmt('COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER \',\', NULL \'\')')).to.deep.equal({
        kind: 'Copy', source: { kind: 'CopyTable', table: [id('t')], columns: [id('a'), id('b')] },
        direction: 'FROM', target: 'STDIN',
        options: [
          { key: 'format', value: 'csv' },
          { key: 'header', value: 'true' },
          { key: 'delimiter', value: ',' },
          { key: 'null', value: '' },
        ],
      });
    });
    it('old-style options: WITH CSV HEADER', () => {
      expect(stmt('COPY t TO STDOUT WITH CSV HEADER')).to.deep.equal({
        kind: 'Copy', source: { kind: 'CopyTable', table: [id('t')] }, direction: 'TO', target: 'STDOUT',
        options: [{ key: 'csv', value: '' }, { key: 'header', value: '' }],
      });
      expect(stmt("COPY t FROM STDIN DELIMITER AS '|' NULL AS 'none'")).to.deep.include({
        options: [{ key: 'delimiter', value: '|' }, { key: 'null', value: 'none' }],
      });
    });
    it('a query and SUBSCRIBE to STDOUT', () => {
      expect(stmt('COPY (SELECT 1) TO STDOUT')).to.deep.equal({
        kind: 'Copy', source: { kind: 'CopyQuery', query: query(select([num('1')])) }, direction: 'TO', target: 'STDOUT', options: [],
      });
      expect(stmt('COPY (SUBSCRIBE mv WITH (SNAPSHOT = false)) TO STDOUT')).to.deep.equal({
        kind: 'Copy',
        source: {
          kind: 'CopySubscribe',
          subscribe: { kind: 'Subscribe', target: { kind: 'SubscribeName', name: [id('mv')] }, options: [{ key: 'snapshot', value: 'false' }] },
        },
        direction: 'TO', target: 'STDOUT', options: [],
      });
    });
    it('rejects a query copied from standard input', () => {
      expect(parseErrorOf(() => stmt('COPY (SELECT 1) FROM STDIN')).message).to.equal('syntax error at or near "FROM"');
    });
  });
});
