// Parser tests: SET, RESET, SHOW, DESCRIBE, EXPLAIN, SUBSCRIBE, cursors, CHECKPOINT, transactions.

import { expect } from 'chai';
import { bin, col, id, num, query, select, stmt, table, warmUpParser } from './ast-builders.js';

describe('parser: session statements', () => {
  before(warmUpParser);

  describe('SET', () => {
    it("Flink's quoted form", () => {
      expect(stmt("SET 'table.exec.source.idle-timeout' = '10 s'")).to.deep.equal({
        kind: 'Set', name: 'table.exec.source.idle-timeout', value: '10 s', quoted: true, local: false,
      });
    });
    it("PostgreSQL's forms", () => {
      expect(stmt('SET search_path TO public, "MySchema"')).to.deep.equal({
        kind: 'Set', name: 'search_path', value: 'public, MySchema', quoted: false, local: false,
      });
      expect(stmt('SET SESSION statement_timeout = 5000')).to.deep.equal({
        kind: 'Set', name: 'statement_timeout', value: '5000', quoted: false, local: false,
      });
      expect(stmt('SET LOCAL my.setting = on')).to.deep.equal({ kind: 'Set', name: 'my.setting', value: 'on', quoted: false, local: true });
      expect(stmt("SET application_name = 'psql'")).to.deep.equal({
        kind: 'Set', name: 'application_name', value: 'psql', quoted: false, local: false,
      });
      expect(stmt('SET extra_float_digits = -3')).to.deep.equal({
        kind: 'Set', name: 'extra_float_digits', value: '-3', quoted: false, local: false,
      });
    });
    it('DEFAULT leaves no value', () => {
      expect(stmt('SET x TO DEFAULT')).to.deep.equal({ kind: 'Set', name: 'x', quoted: false, local: false });
    });
    it('SET TIME ZONE', () => {
      expect(stmt("SET TIME ZONE 'UTC'")).to.deep.equal({ kind: 'Set', name: 'timezone', value: 'UTC', quoted: false, local: false });
      expect(stmt('SET TIME ZONE LOCAL')).to.deep.equal({ kind: 'Set', name: 'timezone', quoted: false, local: false });
      expect(stmt('SET TIME ZONE DEFAULT')).to.deep.equal({ kind: 'Set', name: 'timezone', quoted: false, local: false });
    });
    it('a bare SET lists the settings', () => {
      expect(stmt('SET')).to.deep.equal({ kind: 'Set', quoted: false, local: false });
    });
  });

  describe('RESET', () => {
    it('every form', () => {
      expect(stmt("RESET 'a.b'")).to.deep.equal({ kind: 'Reset', name: 'a.b' });
      expect(stmt('RESET search_path')).to.deep.equal({ kind: 'Reset', name: 'search_path' });
      expect(stmt('RESET TIME ZONE')).to.deep.equal({ kind: 'Reset', name: 'timezone' });
      expect(stmt('RESET ALL')).to.deep.equal({ kind: 'Reset' });
      expect(stmt('RESET')).to.deep.equal({ kind: 'Reset' });
    });
  });

  describe('SHOW', () => {
    it('object lists', () => {
      expect(stmt('SHOW TABLES')).to.deep.equal({ kind: 'ShowObjects', objectType: 'TABLES' });
      expect(stmt('SHOW VIEWS')).to.deep.equal({ kind: 'ShowObjects', objectType: 'VIEWS' });
      expect(stmt('SHOW MATERIALIZED VIEWS')).to.deep.equal({ kind: 'ShowObjects', objectType: 'MATERIALIZED VIEWS' });
      expect(stmt('show jobs')).to.deep.equal({ kind: 'ShowObjects', objectType: 'JOBS' });
      expect(stmt('SHOW FUNCTIONS')).to.deep.equal({ kind: 'ShowObjects', objectType: 'FUNCTIONS' });
      expect(stmt('SHOW CURSORS')).to.deep.equal({ kind: 'ShowObjects', objectType: 'CURSORS' });
    });
    it('SHOW CREATE', () => {
      expect(stmt('SHOW CREATE TABLE s.t')).to.deep.equal({ kind: 'ShowCreate', objectType: 'TABLE', name: [id('s'), id('t')] });
      expect(stmt('SHOW CREATE VIEW v')).to.deep.equal({ kind: 'ShowCreate', objectType: 'VIEW', name: [id('v')] });
      expect(stmt('SHOW CREATE MATERIALIZED VIEW mv')).to.deep.equal({ kind: 'ShowCreate', objectType: 'MATERIALIZED VIEW', name: [id('mv')] });
    });
    it('variables', () => {
      expect(stmt('SHOW search_path')).to.deep.equal({ kind: 'ShowVariable', name: 'search_path' });
      expect(stmt('SHOW ALL')).to.deep.equal({ kind: 'ShowVariable', name: 'all' });
      expect(stmt('SHOW TIME ZONE')).to.deep.equal({ kind: 'ShowVariable', name: 'timezone' });
      expect(stmt("SHOW 'table.exec.mini-batch.enabled'")).to.deep.equal({ kind: 'ShowVariable', name: 'table.exec.mini-batch.enabled' });
      expect(stmt('SHOW TRANSACTION ISOLATION LEVEL')).to.deep.equal({ kind: 'ShowVariable', name: 'transaction_isolation' });
      expect(stmt('SHOW server_version')).to.deep.equal({ kind: 'ShowVariable', name: 'server_version' });
    });
  });

  it('DESCRIBE and DESC', () => {
    expect(stmt('DESCRIBE t')).to.deep.equal({ kind: 'Describe', name: [id('t')] });
    expect(stmt('DESC s.t')).to.deep.equal({ kind: 'Describe', name: [id('s'), id('t')] });
  });

  describe('EXPLAIN', () => {
    const one = query(select([num('1')]));
    it('every mode', () => {
      expect(stmt('EXPLAIN SELECT 1')).to.deep.equal({ kind: 'Explain', mode: 'PLAN', statement: one });
      expect(stmt('EXPLAIN PLAN FOR SELECT 1')).to.deep.equal({ kind: 'Explain', mode: 'PLAN', statement: one });
      expect(stmt('EXPLAIN CHANGELOG_MODE SELECT 1')).to.deep.equal({ kind: 'Explain', mode: 'CHANGELOG_MODE', statement: one });
      expect(stmt('EXPLAIN ESTIMATED_COST SELECT 1')).to.deep.equal({ kind: 'Explain', mode: 'ESTIMATED_COST', statement: one });
      expect(stmt('EXPLAIN ANALYZE SELECT 1')).to.deep.equal({ kind: 'Explain', mode: 'ANALYZE', statement: one });
    });
    it('of other statements', () => {
      expect(stmt('EXPLAIN INSERT INTO s SELECT * FROM t')).to.deep.include({ kind: 'Explain', mode: 'PLAN' });
      expect(stmt('EXPLAIN CREATE MATERIALIZED VIEW mv AS SELECT 1')).to.deep.include({ kind: 'Explain', mode: 'PLAN' });
    });
  });

  describe('SUBSCRIBE', () => {
    it('a name, with and without TO, with options', () => {
      expect(stmt('SUBSCRIBE mv')).to.deep.equal({ kind: 'Subscribe', target: { kind: 'SubscribeName', name: [id('mv')] }, options: [] });
      expect(stmt('SUBSCRIBE TO s.mv WITH (SNAPSHOT = false, PROGRESS)')).to.deep.equal({
        kind: 'Subscribe', target: { kind: 'SubscribeName', name: [id('s'), id('mv')] },
        options: [{ key: 'snapshot', value: 'false' }, { key: 'progress', value: '' }],
      });
    });
    it('a query', () => {
      expect(stmt('SUBSCRIBE TO (SELECT a FROM t WHERE a > 1)')).to.deep.equal({
        kind: 'Subscribe',
        target: { kind: 'SubscribeQuery', query: query(select([col('a')], { from: [table('t')], where: bin('>', col('a'), num('1')) })) },
        options: [],
      });
    });
  });

  describe('cursors', () => {
    it('DECLARE ... CURSOR FOR SUBSCRIBE or a query', () => {
      expect(stmt('DECLARE c CURSOR FOR SUBSCRIBE mv')).to.deep.equal({
        kind: 'DeclareCursor', name: id('c'), binary: false, hold: false,
        query: { kind: 'Subscribe', target: { kind: 'SubscribeName', name: [id('mv')] }, options: [] },
      });
      expect(stmt('DECLARE c BINARY NO SCROLL CURSOR WITH HOLD FOR SELECT 1')).to.deep.equal({
        kind: 'DeclareCursor', name: id('c'), binary: true, hold: true, query: query(select([num('1')])),
      });
      expect(stmt('DECLARE c SCROLL CURSOR WITHOUT HOLD FOR SELECT 1')).to.deep.include({ hold: false, binary: false });
    });
    it('FETCH in its forms', () => {
      expect(stmt('FETCH c')).to.deep.equal({ kind: 'Fetch', cursor: id('c'), options: [] });
      expect(stmt('FETCH 10 c')).to.deep.equal({ kind: 'Fetch', count: 10, cursor: id('c'), options: [] });
      expect(stmt('FETCH ALL FROM c')).to.deep.equal({ kind: 'Fetch', count: 'ALL', cursor: id('c'), options: [] });
      expect(stmt('FETCH NEXT FROM c')).to.deep.equal({ kind: 'Fetch', cursor: id('c'), options: [] });
      expect(stmt('FETCH FORWARD ALL IN c')).to.deep.equal({ kind: 'Fetch', count: 'ALL', cursor: id('c'), options: [] });
      expect(stmt("FETCH FORWARD 5 FROM c WITH (timeout = '1s')")).to.deep.equal({
        kind: 'Fetch', count: 5, cursor: id('c'), options: [{ key: 'timeout', value: '1s' }],
      });
    });
    it('CLOSE', () => {
      expect(stmt('CLOSE c')).to.deep.equal({ kind: 'CloseCursor', cursor: id('c') });
      expect(stmt('CLOSE ALL')).to.deep.equal({ kind: 'CloseCursor' });
    });
  });

  it('CHECKPOINT', () => expect(stmt('CHECKPOINT')).to.deep.equal({ kind: 'Checkpoint' }));

  it('transaction control', () => {
    const cases: [string, string][] = [
      ['BEGIN', 'BEGIN'], ['BEGIN WORK', 'BEGIN'], ['BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY', 'BEGIN'],
      ['START TRANSACTION', 'BEGIN'], ['START TRANSACTION READ WRITE', 'BEGIN'],
      ['COMMIT', 'COMMIT'], ['COMMIT WORK', 'COMMIT'], ['END', 'COMMIT'], ['END TRANSACTION', 'COMMIT'],
      ['ROLLBACK', 'ROLLBACK'], ['ROLLBACK TRANSACTION', 'ROLLBACK'], ['ABORT', 'ROLLBACK'],
    ];
    for (const [sql, action] of cases) expect(stmt(sql), sql).to.deep.equal({ kind: 'Transaction', action });
  });
});
