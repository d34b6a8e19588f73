// The .slt parser: every record kind, the line each record starts on, and what makes a file invalid.

import { expect } from 'chai';
import { SltParseError, parseSlt } from '../../bin/slt/parser.js';
import type { QueryRecord, SltRecord, StatementRecord } from '../../bin/slt/record.js';

function only<K extends SltRecord['kind']>(records: SltRecord[], kind: K): Extract<SltRecord, { kind: K }> {
  expect(records).to.have.length(1);
  const r = records[0]!;
  expect(r.kind).to.equal(kind);
  return r as Extract<SltRecord, { kind: K }>;
}

describe('slt parser', () => {
  it('parses statement ok, count and error with their SQL and lines', () => {
    const text = [
      '# a comment',
      'statement ok',
      'CREATE TABLE t (a INT,',
      '  b INT)',
      '',
      'statement count 3',
      'INSERT INTO t VALUES (1, 2), (3, 4), (5, 6)',
      '',
      'statement error 42P01',
      'SELECT * FROM nope',
      '',
      'statement error table "nope" does not exist',
      'SELECT * FROM nope',
    ].join('\n');
    const records = parseSlt(text, 'x.slt') as StatementRecord[];
    expect(records.map((r) => r.location.line)).to.deep.equal([2, 6, 9, 12]);
    expect(records[0]!.sql).to.equal('CREATE TABLE t (a INT,\n  b INT)');
    expect(records[0]!.expect).to.deep.equal({ kind: 'ok' });
    const count = records[1]!.expect;
    expect(count.kind).to.equal('count');
    if (count.kind === 'count') {
      expect(count.count).to.equal(3);
      expect(text.slice(count.countRange.start, count.countRange.end)).to.equal('3');
    }
    expect(records[2]!.expect).to.deep.equal({ kind: 'error', pattern: '42P01' });
    expect(records[3]!.expect).to.deep.equal({ kind: 'error', pattern: 'table "nope" does not exist' });
    expect(records[3]!.location).to.deep.equal({ file: 'x.slt', line: 12 });
  });

  it('parses a query with types, sort mode, SQL and expected rows', () => {
    const text = 'query ITR rowsort\nSELECT a, b,\n  c FROM t\n----\n1 x 1.5\n2 NULL (empty)\n\n';
    const q = only(parseSlt(text, 'q.slt'), 'query');
    expect(q.types).to.equal('ITR');
    expect(q.sort).to.equal('rowsort');
    expect(q.sql).to.equal('SELECT a, b,\n  c FROM t');
    expect(q.expected).to.deep.equal(['1 x 1.5', '2 NULL (empty)']);
    expect(q.location.line).to.equal(1);
    expect(text.slice(q.placement.rows!.start, q.placement.rows!.end)).to.equal('1 x 1.5\n2 NULL (empty)');
  });

  it('defaults to nosort and reads a query without a result block as expecting no rows', () => {
    const q = only(parseSlt('query I\nSELECT 1 WHERE false\n', 'q.slt'), 'query');
    expect(q.sort).to.equal('nosort');
    expect(q.expected).to.deep.equal([]);
    expect(q.placement.dividerEnd).to.equal(null);
    const q2 = only(parseSlt('query I valuesort\nSELECT 1 WHERE false\n----\n', 'q.slt'), 'query') as QueryRecord;
    expect(q2.sort).to.equal('valuesort');
    expect(q2.expected).to.deep.equal([]);
    expect(q2.placement.rows).to.equal(null);
  });

  it('parses query error with a SQLSTATE or a message', () => {
    const r = parseSlt('query error 22012\nSELECT 1 / 0\n\nquery error division by zero\nSELECT 1 / 0\n', 'e.slt');
    expect(r.map((x) => x.kind)).to.deep.equal(['query-error', 'query-error']);
    expect(r.map((x) => (x.kind === 'query-error' ? x.pattern : ''))).to.deep.equal(['22012', 'division by zero']);
    expect(r.map((x) => x.location.line)).to.deep.equal([1, 4]);
  });

  it('parses include, halt, restart, checkpoint and connection, directly followed by a record', () => {
    const text = [
      'include setup.slt.part',
      '',
      'connection other',
      'statement ok',
      'SET x = 1',
      '',
      'checkpoint',
      'restart',
      '',
      'halt',
    ].join('\n');
    const r = parseSlt(text, 'd.slt');
    expect(r.map((x) => [x.kind, x.location.line])).to.deep.equal([
      ['include', 1],
      ['connection', 3],
      ['statement', 4],
      ['checkpoint', 7],
      ['restart', 8],
      ['halt', 10],
    ]);
    expect(r[0]!.kind === 'include' && r[0]!.path).to.equal('setup.slt.part');
    expect(r[1]!.kind === 'connection' && r[1]!.name).to.equal('other');
  });

  it('attaches skipif/onlyif to the record that follows', () => {
    const text = 'skipif eddy\nonlyif postgresql\nstatement ok\nSELECT 1\n\nstatement ok\nSELECT 2\n';
    const r = parseSlt(text, 'c.slt');
    expect(r[0]!.conditions).to.deep.equal([
      { kind: 'skipif', engine: 'eddy' },
      { kind: 'onlyif', engine: 'postgresql' },
    ]);
    expect(r[0]!.location.line).to.equal(3);
    expect(r[1]!.conditions).to.deep.equal([]);
  });

  it('keeps line numbers right with CRLF line breaks', () => {
    const r = parseSlt('statement ok\r\nSELECT 1\r\n\r\nquery I\r\nSELECT 1\r\n----\r\n1\r\n', 'w.slt');
    expect(r.map((x) => x.location.line)).to.deep.equal([1, 4]);
    const q = r[1] as QueryRecord;
    expect(q.sql).to.equal('SELECT 1');
    expect(q.expected).to.deep.equal(['1']);
  });

  const bad: [string, string, number, RegExp][] = [
    ['an unknown record', 'statment ok\nSELECT 1\n', 1, /unknown record "statment"/],
    ['bad type letters', '\nquery IX\nSELECT 1\n', 2, /bad column types "IX"/],
    ['a query without types', 'query\nSELECT 1\n', 1, /column types/],
    ['an unknown sort mode', 'query I sorted\nSELECT 1\n', 1, /unknown sort mode "sorted"/],
    ['a statement without SQL', 'statement ok\n\n', 1, /statement without SQL/],
    ['a statement with a result block', 'statement ok\nSELECT 1\n----\n1\n', 3, /no result block/],
    ['statement count without a number', 'statement count x\nSELECT 1\n', 1, /statement count needs one number/],
    ['a bad statement kind', 'statement maybe\nSELECT 1\n', 1, /expected statement ok/],
    ['a condition with nothing after it', '# c\nskipif eddy\n\n', 2, /must be followed by a record/],
    ['a condition at the end', 'onlyif eddy\n', 1, /must be followed by a record/],
    ['connection without a name', 'connection\n', 1, /one session name/],
  ];
  for (const [what, text, line, message] of bad) {
    it(`rejects ${what}, naming the line`, () => {
      let caught: unknown;
      try {
        parseSlt(text, 'bad.slt');
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(SltParseError);
      const e = caught as SltParseError;
      expect(e.line).to.equal(line);
      expect(e.message).to.match(message);
      expect(e.message.startsWith(`bad.slt:${line}: `)).to.equal(true);
    });
  }
});
