// A materialized view whose input has a unique key files its rows by that key: one state
// entry per key value, so an update changes one entry instead of two. It must hold exactly
// the multiset a view filed by row holds, whatever the order of changes within a batch, and
// after a restart; a view filed by row (checkpointed before views had keys) stays so.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowKey } from '../../common/key.js';
import type { Row } from '../../common/value.js';
import { DELETE, INSERT, UPDATE_AFTER, UPDATE_BEFORE, type ChangeKind } from '../../executor/change.js';
import { Engine } from '../../executor/engine/engine.js';
import { MaterializeOperator } from '../../executor/engine/materialized-view.js';
import { MemoryStateBackend } from '../../executor/state/memory-backend.js';
import { query } from '../connectors/helpers.js';
import { Harness, sortRows, type Change } from '../operators/harness.js';

function contents(sink: MaterializeOperator): Row[] {
  return sortRows([...sink.contents()]);
}

describe('materialized views filed by a unique key', () => {
  describe('the sink on its own', () => {
    it('applies an update whose +U comes before its -U, and duplicates, as a multiset does', () => {
      const sink = new MaterializeOperator('v', [0]);
      const h = new Harness(sink);
      h.feed('+I 1 10\n+I 2 20');
      // Key 1 goes from (1, 10) to (1, 11), the new row first; key 2 is deleted and inserted again.
      h.feed('+U 1 11\n-U 1 10\n-D 2 20\n+I 2 21');
      expect(contents(sink)).to.deep.equal([[1, 11], [2, 21]]);
      expect(sink.rowCount).to.equal(2);
      // Within one batch key 3 holds (3, 30) twice, then once; then another row beside it.
      h.feed('+I 3 30\n+I 3 30\n-D 3 30\n+I 3 31\n-D 3 31');
      expect(contents(sink)).to.deep.equal([[1, 11], [2, 21], [3, 30]]);
      // One entry per key: three keys, three entries.
      const keyed = h.backend.forOperator(h.operatorId).map<unknown>('keyed');
      expect(keyed.size([])).to.equal(3);
      expect(h.backend.forOperator(h.operatorId).map<unknown>('rows').size([])).to.equal(0);
    });

    it('refuses a retraction of a row it does not hold, even one whose key it holds', () => {
      const sink = new MaterializeOperator('v', [0]);
      const h = new Harness(sink);
      h.feed('+I 1 10');
      expect(() => h.feed('-U 1 99')).to.throw(/received a retraction of a row it does not hold/);
      const other = new Harness(new MaterializeOperator('w', [0]));
      expect(() => other.feed('-D 5 50')).to.throw(/received a retraction of a row it does not hold/);
    });

    it('keeps its point-read index right while a key briefly holds two rows', () => {
      const sink = new MaterializeOperator('v', [0]);
      const h = new Harness(sink);
      h.feed('+I 1 10 7\n+I 2 20 7');
      expect(sortRows(sink.lookup(2, 7) ?? [])).to.deep.equal([[1, 10, 7], [2, 20, 7]]);
      expect(sink.lookup(1, 10)).to.deep.equal([[1, 10, 7]]);
      // Key 1: the new row (same third column) comes first, then the old one leaves.
      h.feed('+U 1 11 7\n-U 1 10 7');
      expect(sink.lookup(1, 10)).to.deep.equal([]);
      expect(sink.lookup(1, 11)).to.deep.equal([[1, 11, 7]]);
      expect(sortRows(sink.lookup(2, 7) ?? [])).to.deep.equal([[1, 11, 7], [2, 20, 7]]);
      // Key 2 moves to another third column, the new row first: 7 keeps only key 1.
      h.feed('+U 2 20 8\n-U 2 20 7');
      expect(sink.lookup(2, 7)).to.deep.equal([[1, 11, 7]]);
      expect(sink.lookup(2, 8)).to.deep.equal([[2, 20, 8]]);
      // Whole reads go through the index now: each row once.
      expect(contents(sink)).to.deep.equal([[1, 11, 7], [2, 20, 8]]);
      h.feed('-D 1 11 7');
      expect(sink.lookup(2, 7)).to.deep.equal([]);
      expect(contents(sink)).to.deep.equal([[2, 20, 8]]);
    });

    it('holds what a reference multiset holds over random batches in any order', () => {
      let seed = 7;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const sink = new MaterializeOperator('v', [0]);
      const h = new Harness(sink);
      // The reference: the one row per key the input holds between batches.
      const current = new Map<number, number>();
      for (let round = 0; round < 300; round++) {
        const changes: Change[] = [];
        for (let i = 0; i < 1 + random(4); i++) {
          const k = random(8);
          if (changes.some(([, r]) => r[0] === k)) continue;
          const old = current.get(k);
          const next = random(3) === 0 ? undefined : random(5);
          const pair: Change[] = [];
          if (old !== undefined) pair.push([next === undefined ? DELETE : UPDATE_BEFORE, [k, old]]);
          if (next !== undefined) pair.push([old === undefined ? INSERT : UPDATE_AFTER, [k, next]]);
          // The new row before the old one half of the time.
          if (random(2) === 0) pair.reverse();
          changes.push(...pair);
          if (next === undefined) current.delete(k);
          else current.set(k, next);
        }
        h.push(changes);
        expect(contents(sink), `round ${round}`).to.deep.equal(sortRows([...current].map(([k, v]) => [k, v])));
        expect(sink.rowCount).to.equal(current.size);
      }
      // A lookup by the second column returns exactly the rows with that value.
      for (let v = 0; v < 5; v++) {
        expect(sortRows(sink.lookup(1, v) ?? [])).to.deep.equal(sortRows([...current].filter(([, x]) => x === v).map(([k, x]) => [k, x])));
      }
    });

    it('keeps filing by row a view whose rows were filed by row, and by key only with the same key', () => {
      const backend = new MemoryStateBackend({ copyValues: true });
      const byRow = new Harness(new MaterializeOperator('v'), { backend, operatorId: 'old' });
      byRow.feed('+I 1 10\n+I 2 20');
      // Reopened with a key (as after an upgrade): the rows stay where they are.
      const reopened = new MaterializeOperator('v', [0]);
      byRow.restart(reopened);
      byRow.feed('-U 1 10\n+U 1 11');
      expect(contents(reopened)).to.deep.equal([[1, 11], [2, 20]]);
      expect(backend.forOperator('old').map<unknown>('keyed').size([])).to.equal(0);
      expect(backend.forOperator('old').map<unknown>('rows').size([])).to.equal(2);

      const byKey = new Harness(new MaterializeOperator('w', [0]), { backend, operatorId: 'new' });
      byKey.feed('+I 1 10\n+I 2 20');
      // Reopened without its key, or with another one (a plan that changed): its entries could not be found again.
      expect(() => byKey.restart(new MaterializeOperator('w'))).to.throw(/filed by another key/);
      expect(() => byKey.restart(new MaterializeOperator('w', [1]))).to.throw(/filed by another key/);
      const again = new MaterializeOperator('w', [0]);
      byKey.restart(again);
      byKey.feed('+U 1 11\n-U 1 10\n-D 2 20');
      expect(contents(again)).to.deep.equal([[1, 11]]);
      expect(backend.forOperator('new').map<unknown>('rows').size([])).to.equal(0);
      expect(backend.forOperator('new').map<unknown>('keyed').size([])).to.equal(1);
    });
  });

  describe('through the engine', () => {
    let dir: string;
    const open = (): Promise<Engine> => Engine.open({ dataDir: dir }).then(async (e) => {
      await e.execute("SET 'execution.checkpointing.interval' = 'off'");
      return e;
    });

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'eddy-unique-key-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps a GROUP BY view right through many updates of its groups', async () => {
      const engine = await open();
      await engine.execute('CREATE TABLE t (k INT, v INT)');
      await engine.execute('CREATE MATERIALIZED VIEW agg AS SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k');
      const expected = new Map<number, [number, number]>();
      for (let round = 0; round < 20; round++) {
        const values: string[] = [];
        for (let k = round % 3; k < 30; k += 1 + (round % 4)) {
          const v = (k * 3 + round) % 11;
          values.push(`(${k}, ${v})`);
          const [n, s] = expected.get(k) ?? [0, 0];
          expected.set(k, [n + 1, s + v]);
        }
        await engine.execute(`INSERT INTO t VALUES ${values.join(', ')}`);
      }
      const rows = sortRows(await query(engine, 'SELECT k, n, s FROM agg'));
      expect(rows).to.deep.equal(sortRows([...expected].map(([k, [n, s]]) => [k, n, s])));
      // A point read and a filtered read see the same.
      expect(await query(engine, 'SELECT n, s FROM agg WHERE k = 6')).to.deep.equal([expected.get(6)]);
      await engine.close();
    });

    it('follows UPDATE and DELETE statements that move rows between groups', async () => {
      const engine = await open();
      await engine.execute('CREATE TABLE p (id INT, grp INT, v INT, PRIMARY KEY (id) NOT ENFORCED)');
      await engine.execute('CREATE MATERIALIZED VIEW totals AS SELECT grp, count(*) AS n, sum(v) AS s FROM p GROUP BY grp');
      await engine.execute('CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(v) AS s FROM p');
      await engine.execute('INSERT INTO p VALUES (1, 1, 10), (2, 1, 20), (3, 2, 30), (4, 3, 40)');
      await engine.execute('UPDATE p SET grp = 2 WHERE id = 1');
      await engine.execute('UPDATE p SET v = v + 1 WHERE grp = 2');
      await engine.execute('DELETE FROM p WHERE id = 4');
      await engine.execute('INSERT INTO p VALUES (2, 3, 5)');
      // p: (1, 2, 11), (2, 3, 5), (3, 2, 31).
      expect(sortRows(await query(engine, 'SELECT grp, n, s FROM totals'))).to.deep.equal([[2, 2, 42], [3, 1, 5]]);
      expect(await query(engine, 'SELECT n, s FROM total')).to.deep.equal([[3, 47]]);
      await engine.execute('DELETE FROM p WHERE id > 0');
      expect(await query(engine, 'SELECT grp, n, s FROM totals')).to.deep.equal([]);
      expect(await query(engine, 'SELECT n, s FROM total')).to.deep.equal([[0, null]]);
      await engine.close();
    });

    it('comes back after a crash from its checkpoint and the writes after it', async () => {
      const first = await open();
      await first.execute('CREATE TABLE t (k INT, v INT)');
      await first.execute('CREATE MATERIALIZED VIEW agg AS SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k');
      await first.execute('INSERT INTO t VALUES (1, 10), (2, 20), (1, 5)');
      await first.execute('CHECKPOINT');
      await first.execute('INSERT INTO t VALUES (2, 1), (3, 3)');
      await first.crash();

      const second = await open();
      expect(sortRows(await query(second, 'SELECT k, n, s FROM agg'))).to.deep.equal([[1, 2, 15], [2, 2, 21], [3, 1, 3]]);
      await second.execute('INSERT INTO t VALUES (1, 100), (3, 3)');
      expect(sortRows(await query(second, 'SELECT k, n, s FROM agg'))).to.deep.equal([[1, 3, 115], [2, 2, 21], [3, 2, 6]]);
      await second.execute('CHECKPOINT');
      await second.close();

      const third = await open();
      expect(sortRows(await query(third, 'SELECT k, n, s FROM agg'))).to.deep.equal([[1, 3, 115], [2, 2, 21], [3, 2, 6]]);
      expect(await query(third, 'SELECT n FROM agg WHERE k = 3')).to.deep.equal([[2]]);
      await third.close();
    });

    it('writes one view entry per updated group at a checkpoint, where a view filed by row writes two', async () => {
      const engine = await open();
      const written: number[] = [];
      const backend = engine.stateBackend;
      const collect = backend.collectCheckpoint.bind(backend);
      backend.collectCheckpoint = (id) => {
        const c = collect(id);
        written.push(c.entries);
        return c;
      };
      const entriesOf = async (sql: string): Promise<number> => {
        await engine.execute(sql);
        await engine.execute('CHECKPOINT');
        return written[written.length - 1] as number;
      };
      await engine.execute('CREATE TABLE t (k INT, v INT)');
      await engine.execute('CREATE MATERIALIZED VIEW keyed AS SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k');
      await engine.execute('INSERT INTO t VALUES (1, 1), (2, 2), (3, 3), (4, 4)');
      await engine.execute('CHECKPOINT');
      // Three groups updated. Per group: its aggregate record, and the view's entry for the key.
      expect(await entriesOf('INSERT INTO t VALUES (1, 10), (2, 10), (3, 10)')).to.equal(3 * (1 + 1));

      // The same aggregation with its key cast: no key is known, the view files by row.
      await engine.execute('CREATE MATERIALIZED VIEW byrow AS SELECT CAST(k AS BIGINT) AS k, count(*) AS n, sum(v) AS s FROM t GROUP BY k');
      await engine.execute('CHECKPOINT');
      // Both views follow t now: per group, the keyed view's two entries, and the other's record,
      // its old row's entry (deleted) and its new row's; deleting and adding rows also rewrites
      // the count of the other view's rows (one entry).
      expect(await entriesOf('INSERT INTO t VALUES (1, 10), (2, 10), (3, 10)')).to.equal(3 * (1 + 1) + 3 * (1 + 2) + 1);
      const keyedRows = sortRows(await query(engine, 'SELECT k, n, s FROM keyed'));
      expect(keyedRows).to.deep.equal([[1, 3, 21], [2, 3, 22], [3, 3, 23], [4, 1, 4]]);
      expect(sortRows(await query(engine, 'SELECT k, n, s FROM byrow')).map((r) => rowKey(r))).to.deep.equal(keyedRows.map((r) => rowKey(r)));
      await engine.close();
    });
  });
});
