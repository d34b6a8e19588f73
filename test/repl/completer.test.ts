// Tab completion given a catalog: keywords in the case typed, relation names where a relation goes, columns of the statement's relations.

import { expect } from 'chai';
import { complete, quoteIdentifier, type CompletionCatalog } from '../../bin/repl/completer.js';
import type { RelationKind } from '../../planner/binder/catalog-reader.js';

function catalogOf(relations: Record<string, { kind: RelationKind; columns: string[] }>): CompletionCatalog {
  return {
    relationNames: () => Object.keys(relations),
    relation: (name) => {
      const r = relations[name];
      return r === undefined ? undefined : { kind: r.kind, columns: r.columns.map((c) => ({ name: c })) };
    },
  };
}

const catalog = catalogOf({
  bids: { kind: 'TABLE', columns: ['auction', 'price', 'bidder'] },
  bidders: { kind: 'TABLE', columns: ['id', 'name'] },
  top_bids: { kind: 'MATERIALIZED VIEW', columns: ['auction', 'max_price'] },
  cheap: { kind: 'VIEW', columns: ['auction'] },
  MixedCase: { kind: 'TABLE', columns: ['Weird Col'] },
  eddy_jobs: { kind: 'SYSTEM TABLE', columns: ['job', 'status'] },
});

describe('complete', () => {
  it('completes keywords in the case they are typed', () => {
    expect(complete('SEL', catalog)).to.deep.equal([['SELECT'], 'SEL']);
    expect(complete('sel', catalog)).to.deep.equal([['select'], 'sel']);
    expect(complete('SELECT * FR', catalog)).to.deep.equal([['FROM'], 'FR']);
    expect(complete('subscr', catalog)[0]).to.deep.equal(['subscribe']);
  });

  it('completes relation names after FROM, JOIN, INTO, SUBSCRIBE TO and DESCRIBE', () => {
    expect(complete('SELECT * FROM bi', catalog)).to.deep.equal([['bidders', 'bids'], 'bi']);
    expect(complete('SELECT * FROM bids JOIN t', catalog)).to.deep.equal([['top_bids'], 't']);
    expect(complete('INSERT INTO bidd', catalog)).to.deep.equal([['bidders'], 'bidd']);
    expect(complete('SUBSCRIBE TO top', catalog)).to.deep.equal([['top_bids'], 'top']);
    expect(complete('describe ch', catalog)).to.deep.equal([['cheap'], 'ch']);
    // System tables are offered once a name is started, not in the first list.
    expect(complete('SELECT * FROM ', catalog)[0]).to.deep.equal(['"MixedCase"', 'bidders', 'bids', 'cheap', 'top_bids']);
    expect(complete('SELECT * FROM ed', catalog)[0]).to.deep.equal(['eddy_jobs']);
  });

  it('offers nothing where a new relation is named', () => {
    expect(complete('CREATE TABLE bi', catalog)).to.deep.equal([[], 'bi']);
    expect(complete('CREATE MATERIALIZED VIEW to', catalog)).to.deep.equal([[], 'to']);
    expect(complete('DROP MATERIALIZED VIEW to', catalog)).to.deep.equal([['top_bids'], 'to']);
    expect(complete('SHOW CREATE TABLE bi', catalog)).to.deep.equal([['bidders', 'bids'], 'bi']);
  });

  it('completes columns of the relations the statement names, wherever they are named, beside keywords', () => {
    expect(complete('SELECT pr', catalog, { lineAfterCursor: ' FROM bids' })[0]).to.deep.equal(['preceding', 'precision', 'price', 'primary']);
    expect(complete('SELECT max', catalog, { lineAfterCursor: ' FROM top_bids' })[0]).to.deep.equal(['max_price']);
    expect(complete('  AND na', catalog, { buffer: 'SELECT * FROM bids JOIN bidders ON bidder = id\nWHERE price > 1' })[0]).to.deep.equal(['name', 'nanosecond', 'nanoseconds', 'natural']);
    // Columns of relations the statement does not name are not offered once it names some.
    expect(complete('SELECT na', catalog, { lineAfterCursor: ' FROM bids' })[0]).to.deep.equal(['nanosecond', 'nanoseconds', 'natural']);
    // Before any relation is named, any relation's column may be meant.
    expect(complete('SELECT bidd', catalog)[0]).to.deep.equal(['bidder', 'bidders']);
  });

  it('completes qualified columns through relation names and aliases', () => {
    expect(complete('SELECT b.pr', catalog, { lineAfterCursor: ' FROM bids b' })).to.deep.equal([['b.price'], 'b.pr']);
    expect(complete('SELECT x.', catalog, { lineAfterCursor: ' FROM bidders AS x' })).to.deep.equal([['x.id', 'x.name'], 'x.']);
    expect(complete('SELECT bids.au', catalog)).to.deep.equal([['bids.auction'], 'bids.au']);
    expect(complete('SELECT "MixedCase".', catalog)).to.deep.equal([['"MixedCase"."Weird Col"'], '"MixedCase".']);
  });

  it('quotes names that need it, and completes a started quoted name', () => {
    expect(complete('SELECT * FROM "Mi', catalog)).to.deep.equal([['"MixedCase"'], '"Mi']);
    expect(quoteIdentifier('bids')).to.equal('bids');
    expect(quoteIdentifier('MixedCase')).to.equal('"MixedCase"');
    expect(quoteIdentifier('select')).to.equal('"select"');
    expect(quoteIdentifier('a"b')).to.equal('"a""b"');
  });

  it('completes nothing inside strings and comments', () => {
    expect(complete("SELECT 'bi", catalog)[0]).to.deep.equal([]);
    expect(complete('SELECT 1 -- FROM bi', catalog)[0]).to.deep.equal([]);
    expect(complete('an', catalog, { buffer: "SELECT 'open string" })[0]).to.deep.equal([]);
  });

  it('completes backslash commands, relation names after \\d, and files after \\i', () => {
    expect(complete('\\ti', catalog)).to.deep.equal([['\\timing'], '\\ti']);
    expect(complete('\\d', catalog)[0]).to.deep.equal(['\\d', '\\dS', '\\dm', '\\dt', '\\dv']);
    expect(complete('\\d bi', catalog)).to.deep.equal([['bidders', 'bids'], 'bi']);
    expect(complete('\\dm ', catalog)).to.deep.equal([['top_bids'], '']);
    const listFiles = (dir: string): string[] => (dir === '.' ? ['setup.sql', 'sql/', 'notes.txt'] : dir === 'sql/' ? ['a.sql'] : []);
    expect(complete('\\i se', catalog, { listFiles })).to.deep.equal([['setup.sql'], 'se']);
    expect(complete('\\i sql/', catalog, { listFiles })).to.deep.equal([['sql/a.sql'], 'sql/']);
  });
});
