// Point reads of a materialized view (`WHERE col = constant`) are served from an
// index of the view's rows by that column: they must return exactly what a scan
// of the whole view filtered by hand returns, as the view changes after the
// index was built, with duplicate rows, and after a restart.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row, Value } from '../../common/value.js';
import { Engine } from '../../executor/engine/engine.js';
import { rowsOf } from '../connectors/helpers.js';

function sorted(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('point reads of a materialized view', () => {
  let dir: string;
  let engine: Engine;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-point-read-'));
    engine = await Engine.open({ dataDir: dir });
    await engine.execute('CREATE TABLE p (id INT, grp STRING, v INT, PRIMARY KEY (id) NOT ENFORCED)');
    await engine.execute('CREATE MATERIALIZED VIEW totals AS SELECT grp, count(*) AS n, sum(v) AS s FROM p GROUP BY grp');
    await engine.execute('CREATE MATERIALIZED VIEW members AS SELECT grp, v FROM p');
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function read(sql: string, params: Value[] = []): Promise<Row[]> {
    return sorted(rowsOf(await engine.execute(sql, params)));
  }

  it('follows inserts, updates and deletes made after the first point read', async () => {
    await engine.execute("INSERT INTO p VALUES (1, 'x', 10), (2, 'x', 5), (3, 'y', 7)");
    expect(await read("SELECT * FROM totals WHERE grp = 'x'")).to.deep.equal([['x', 2, 15]]);
    expect(await read('SELECT n, s FROM totals WHERE grp = $1', ['y'])).to.deep.equal([[1, 7]]);
    // A group that did not exist when the index was built.
    await engine.execute("INSERT INTO p VALUES (4, 'z', 1)");
    expect(await read("SELECT * FROM totals WHERE grp = 'z'")).to.deep.equal([['z', 1, 1]]);
    // id 2 moves from x to y: x becomes (1, 10), y (2, 12).
    await engine.execute("INSERT INTO p VALUES (2, 'y', 5)");
    expect(await read("SELECT * FROM totals WHERE grp = 'x'")).to.deep.equal([['x', 1, 10]]);
    expect(await read("SELECT * FROM totals WHERE grp = 'y'")).to.deep.equal([['y', 2, 12]]);
    // Emptying x removes its row.
    await engine.execute('DELETE FROM p WHERE id = 1');
    expect(await read("SELECT * FROM totals WHERE grp = 'x'")).to.deep.equal([]);
    expect(await read("SELECT * FROM totals WHERE grp = 'nope'")).to.deep.equal([]);
    // Another predicate beside the equality still applies: y's count is 2, not 1.
    expect(await read("SELECT grp FROM totals WHERE grp = 'y' AND n = 1")).to.deep.equal([]);
    expect(await read("SELECT grp FROM totals WHERE n = 2 AND grp = 'y'")).to.deep.equal([['y']]);
  });

  it('returns a duplicated row as often as the view holds it, by an integer column too', async () => {
    await engine.execute("INSERT INTO p VALUES (1, 'x', 3), (2, 'x', 3), (3, 'x', 4), (4, 'y', 3)");
    expect(await read("SELECT * FROM members WHERE grp = 'x'")).to.deep.equal([['x', 3], ['x', 3], ['x', 4]]);
    expect(await read('SELECT * FROM members WHERE v = 3')).to.deep.equal([['x', 3], ['x', 3], ['y', 3]]);
    // A number as a parameter is a BIGINT: the INT column is compared widened.
    expect(await read('SELECT * FROM members WHERE v = $1', [4])).to.deep.equal([['x', 4]]);
    // One of the two (x, 3) rows goes: the other stays.
    await engine.execute('DELETE FROM p WHERE id = 1');
    expect(await read("SELECT * FROM members WHERE grp = 'x'")).to.deep.equal([['x', 3], ['x', 4]]);
    expect(await read('SELECT * FROM members WHERE v = 3')).to.deep.equal([['x', 3], ['y', 3]]);
    await engine.execute("INSERT INTO p VALUES (5, 'y', 3)");
    expect(await read('SELECT * FROM members WHERE v = 3')).to.deep.equal([['x', 3], ['y', 3], ['y', 3]]);
  });

  it('reads the whole view through the index once one exists, as the view changes', async () => {
    await engine.execute("INSERT INTO p VALUES (1, 'x', 3), (2, 'x', 3), (3, 'y', 4)");
    // The point read builds the index by grp; every later full or range read goes through it.
    expect(await read("SELECT * FROM members WHERE grp = 'x'")).to.deep.equal([['x', 3], ['x', 3]]);
    expect(await read('SELECT * FROM members')).to.deep.equal([['x', 3], ['x', 3], ['y', 4]]);
    // id 2 moves to z with v 6, id 4 arrives in y, id 3 leaves: members (x, 3), (z, 6), (y, 1).
    await engine.execute("INSERT INTO p VALUES (2, 'z', 6), (4, 'y', 1)");
    await engine.execute('DELETE FROM p WHERE id = 3');
    expect(await read('SELECT * FROM members')).to.deep.equal([['x', 3], ['y', 1], ['z', 6]]);
    expect(await read('SELECT * FROM members WHERE v >= 3')).to.deep.equal([['x', 3], ['z', 6]]);
    // totals: x (1, 3), y (1, 1), z (1, 6); its index is built by a point read after the changes.
    expect(await read("SELECT n FROM totals WHERE grp = 'z'")).to.deep.equal([[1]]);
    expect(await read('SELECT * FROM totals')).to.deep.equal([['x', 1, 3], ['y', 1, 1], ['z', 1, 6]]);
    expect(await read('SELECT count(*), sum(s) FROM totals')).to.deep.equal([[3, 10]]);
  });

  it('reads the same after a restart (the index is built again)', async () => {
    await engine.execute("INSERT INTO p VALUES (1, 'x', 10), (2, 'y', 5)");
    expect(await read("SELECT * FROM totals WHERE grp = 'x'")).to.deep.equal([['x', 1, 10]]);
    await engine.execute('CHECKPOINT');
    await engine.execute("INSERT INTO p VALUES (3, 'x', 1)");
    await engine.close();
    engine = await Engine.open({ dataDir: dir });
    expect(await read("SELECT * FROM totals WHERE grp = 'x'")).to.deep.equal([['x', 2, 11]]);
    await engine.execute("INSERT INTO p VALUES (4, 'y', 1)");
    expect(await read("SELECT * FROM totals WHERE grp = 'y'")).to.deep.equal([['y', 2, 6]]);
  });
});
