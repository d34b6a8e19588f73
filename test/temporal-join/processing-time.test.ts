// Processing-time TemporalJoin (streamed versions, latest per key) and LookupJoin (a table read at arrival, with its cache).

import { expect } from 'chai';
import type { Row, Value } from '../../common/value.js';
import { cachedLookup, sqlTableLookup } from '../../connectors/lookup.js';
import { SqlTable } from '../../connectors/sql-table/sql-table.js';
import { LookupJoin, type LookupJoinOptions } from '../../executor/operators/lookup-join.js';
import { columnsKey, TemporalJoin } from '../../executor/operators/temporal-join.js';
import { table } from '../operators/harness.js';
import { TimedHarness } from './harness.js';

describe('TemporalJoin (processing time)', () => {
  const options = {
    joinType: 'LEFT' as const, timeAttribute: 'PROCTIME' as const, leftKey: columnsKey([1]), rightKey: columnsKey([0]),
    leftTime: 2, rightTime: -1, leftWidth: 3, rightWidth: 2,
  };

  it('joins the latest row per key at arrival; later changes never touch what was emitted', () => {
    const h = new TimedHarness(new TemporalJoin(options));
    h.right('+I EUR 2');
    expect(h.left('+I a EUR 0')).to.equal(table('+I a EUR 0 EUR 2'));
    h.right('-U EUR 2\n+U EUR 3');
    expect(h.left('+I b EUR 0\n+I c USD 0')).to.equal(table('+I b EUR 0 EUR 3\n+I c USD 0 NULL NULL'));
    h.right('-D EUR 3');
    expect(h.left('+I d EUR 0')).to.equal(table('+I d EUR 0 NULL NULL'));
    // One row per key, no time-ordered buffers.
    h.right('+I EUR 4\n+I USD 1');
    expect(h.stateKeys()).to.equal(2);
  });

  it('forwards the smaller of its inputs\' watermarks without holding rows back', () => {
    const h = new TimedHarness(new TemporalJoin(options));
    h.watermark(500, 0);
    expect(h.watermarks).to.deep.equal([]);
    h.watermark(300, 1);
    expect(h.watermarks).to.deep.equal([300]);
    expect(h.left('+I a EUR 100')).to.equal(table('+I a EUR 100 NULL NULL'));
  });

  it('an updating left side takes back what a row produced, whatever the versions are now', () => {
    const h = new TimedHarness(new TemporalJoin({ ...options, retractingLeft: true, leftIdentity: [0, 1] }));
    h.right('+I EUR 2');
    h.left('+I a EUR 1');
    h.right('+I EUR 3');
    // The processing-time column (2) differs in the retraction: it is not part of the row's identity.
    expect(h.left('-U a EUR 7\n+U a EUR 8')).to.equal(table('-U a EUR 1 EUR 2\n+U a EUR 8 EUR 3'));
  });
});

describe('LookupJoin', () => {
  function rates(rows: Row[]): SqlTable {
    const t = new SqlTable('rates', { names: ['currency', 'rate'], nullable: [false, true], primaryKey: [0] });
    t.insert(rows);
    return t;
  }

  function lookupJoin(t: SqlTable, extra: Partial<LookupJoinOptions> = {}): LookupJoin {
    const find = sqlTableLookup(t).prepare([0]);
    return new LookupJoin({
      joinType: 'LEFT', leftKey: (r) => (r[1] === null ? undefined : [r[1] as Value]), lookup: find, rightWidth: 2, ...extra,
    });
  }

  it('looks each left row up as it arrives', () => {
    const t = rates([['EUR', 2], ['USD', 1]]);
    const h = new TimedHarness(lookupJoin(t));
    expect(h.left('+I a EUR\n+I b GBP\n+I c NULL')).to.equal(table('+I a EUR EUR 2\n+I b GBP NULL NULL\n+I c NULL NULL NULL'));
    t.insert([['EUR', 3]]);
    expect(h.left('+I d EUR')).to.equal(table('+I d EUR EUR 3'));
    expect(h.output.length).to.equal(4);
    expect(h.stateKeys()).to.equal(0);
  });

  it('tests the residual on the row found: INNER drops, LEFT pads', () => {
    const t = rates([['EUR', 2]]);
    const residual = (row: Row): boolean => (row[3] as number) > 2;
    const inner = new TimedHarness(lookupJoin(t, { joinType: 'INNER', residual }));
    const left = new TimedHarness(lookupJoin(t, { residual }));
    expect(inner.left('+I a EUR')).to.equal('');
    expect(left.left('+I a EUR')).to.equal(table('+I a EUR NULL NULL'));
  });

  it('an updating left side retracts exactly what was emitted', () => {
    const t = rates([['EUR', 2]]);
    const h = new TimedHarness(lookupJoin(t, { retractingLeft: true }));
    h.left('+I a EUR\n+I a EUR');
    t.insert([['EUR', 5]]);
    expect(h.left('-D a EUR')).to.equal(table('-D a EUR EUR 2'));
    expect(h.left('+I a EUR\n-D a EUR\n-D a EUR\n-D a EUR')).to.equal(table('+I a EUR EUR 5\n-D a EUR EUR 5\n-D a EUR EUR 2'));
  });

  it('passes watermarks on', () => {
    const h = new TimedHarness(lookupJoin(rates([])));
    h.watermark(10, 0);
    h.watermark(5, 0);
    h.watermark(20, 0);
    expect(h.watermarks).to.deep.equal([10, 20]);
  });
});

describe('lookup sources', () => {
  it('a SQL-fed table answers by its primary key, and by other columns by scanning', () => {
    const t = new SqlTable('regions', { names: ['currency', 'region', 'n'], nullable: [true, false, true], primaryKey: [1] });
    t.insert([['EUR', 'de', 1], ['EUR', 'fr', 2], ['GBP', 'uk', 3]]);
    const source = sqlTableLookup(t);
    expect(source.prepare([1])(['fr'])).to.deep.equal([['EUR', 'fr', 2]]);
    expect(source.prepare([1])(['es'])).to.deep.equal([]);
    expect(source.prepare([0])(['EUR'])).to.deep.equal([['EUR', 'de', 1], ['EUR', 'fr', 2]]);
    expect(source.prepare([0, 2])(['EUR', 2])).to.deep.equal([['EUR', 'fr', 2]]);
    expect(source.prepare([0])([null])).to.deep.equal([]);
  });

  it('a composite key is matched in the key\'s order, whatever order the join lists it in', () => {
    const t = new SqlTable('fx', { names: ['base', 'quote', 'rate'], nullable: [false, false, true], primaryKey: [0, 1] });
    t.insert([['EUR', 'USD', 1.5]]);
    expect(sqlTableLookup(t).prepare([1, 0])(['USD', 'EUR'])).to.deep.equal([['EUR', 'USD', 1.5]]);
  });

  it('a cache serves a key until its entry expires, and evicts the least recently used beyond max-rows', () => {
    let now = 0;
    const reads: string[] = [];
    const find = (values: readonly Value[]): readonly Row[] => {
      reads.push(String(values[0]));
      return [[values[0] as Value, now]];
    };
    const cached = cachedLookup(find, { maxRows: 2, ttl: 100 }, () => now);
    expect(cached(['a'])).to.deep.equal([['a', 0]]);
    now = 50;
    expect(cached(['a'])).to.deep.equal([['a', 0]]);
    cached(['b']);
    cached(['a']); // a is now the most recently used
    cached(['c']); // evicts b
    cached(['b']);
    expect(reads).to.deep.equal(['a', 'b', 'c', 'b']);
    now = 100;
    expect(cached(['a'])).to.deep.equal([['a', 100]]); // expired after 100
    expect(reads).to.deep.equal(['a', 'b', 'c', 'b', 'a']);
  });
});
