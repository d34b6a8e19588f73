// psql-style output: aligned tables, errors with a caret under the position, and script splitting.

import { expect } from 'chai';
import { SqlError } from '../../common/errors.js';
import { formatError, positionLines } from '../../bin/format/error.js';
import { splitStatements } from '../../bin/format/statements.js';
import { formatTable } from '../../bin/format/table.js';

describe('formatTable', () => {
  it('centers titles, right-aligns numbers and leaves no trailing spaces on data lines', () => {
    expect(formatTable([{ name: 'id', align: 'right' }, { name: 'name', align: 'left' }], [['1', 'alice'], ['22', 'bo']])).to.deep.equal([
      ' id | name  ',
      '----+-------',
      '  1 | alice',
      ' 22 | bo',
      '(2 rows)',
    ]);
  });

  it('widens a column to its title and writes (1 row) and (0 rows)', () => {
    expect(formatTable([{ name: 'f1', align: 'right' }], [['-2147483647']])).to.deep.equal([
      '     f1      ',
      '-------------',
      ' -2147483647',
      '(1 row)',
    ]);
    expect(formatTable([{ name: 'count', align: 'right' }], [])).to.deep.equal([' count ', '-------', '(0 rows)']);
  });

  it('shows NULL as empty, keeping the separator of a null last column', () => {
    expect(formatTable([{ name: 'a', align: 'right' }, { name: 'b', align: 'left' }], [['1', null]])).to.deep.equal([
      ' a | b ',
      '---+---',
      ' 1 | ',
      '(1 row)',
    ]);
  });

  it('marks continued lines of a multi-line value with +', () => {
    expect(formatTable([{ name: 'x', align: 'left' }, { name: 'y', align: 'left' }], [['a\nbc', 'z']])).to.deep.equal([
      ' x  | y ',
      '----+---',
      ' a +| z',
      ' bc | ',
      '(1 row)',
    ]);
  });

  it('counts wide characters as two columns', () => {
    expect(formatTable([{ name: 'c', align: 'left' }, { name: 'd', align: 'left' }], [['日本', 'x'], ['ab', 'y']])).to.deep.equal([
      '  c   | d ',
      '------+---',
      ' 日本 | x',
      ' ab   | y',
      '(2 rows)',
    ]);
  });
});

describe('formatError', () => {
  it('prints SQLSTATE, message, the line and a caret under the position', () => {
    const err = new SqlError('42P01', 'table "nope" does not exist', { position: 15 });
    expect(formatError(err, { sql: 'SELECT * FROM nope' })).to.deep.equal([
      'ERROR:  42P01: table "nope" does not exist',
      'LINE 1: SELECT * FROM nope',
      '                      ^',
    ]);
  });

  it('names the file line of a position on a later line of the statement, then DETAIL and HINT', () => {
    const sql = 'SELECT a,\n  nope\nFROM t';
    const err = new SqlError('42703', 'column "nope" does not exist', { position: 13, detail: 'There is no such column.', hint: 'Check the spelling.' });
    expect(formatError(err, { sql, firstLine: 10 })).to.deep.equal([
      'ERROR:  42703: column "nope" does not exist',
      'LINE 11:   nope',
      '           ^',
      'DETAIL:  There is no such column.',
      'HINT:  Check the spelling.',
    ]);
  });

  it('prints no LINE without a position, and shows a crash of the engine as XX000', () => {
    expect(formatError(new SqlError('22012', 'division by zero'), { sql: 'SELECT 1/0' })).to.deep.equal(['ERROR:  22012: division by zero']);
    expect(formatError(new TypeError('x is undefined'))).to.deep.equal(['ERROR:  XX000: TypeError: x is undefined']);
  });

  it('cuts a long line around the caret', () => {
    const sql = `SELECT ${'a, '.repeat(40)}nope FROM t`;
    const pos = sql.indexOf('nope') + 1;
    const [line, caret] = positionLines(sql, pos);
    expect(line!.startsWith('LINE 1: ...')).to.equal(true);
    expect(line!.length).to.be.at.most('LINE 1: '.length + 66);
    expect(line!.slice(caret!.length - 1, caret!.length + 3)).to.equal('nope');
    const [head] = positionLines(`SELECT nope, ${'a, '.repeat(40)}b FROM t`, 8);
    expect(head!.endsWith('...')).to.equal(true);
  });

  it('puts the caret after the text for a position at the end', () => {
    expect(positionLines('SELECT (1', 10)).to.deep.equal(['LINE 1: SELECT (1', '                 ^']);
  });
});

describe('splitStatements', () => {
  it('splits at semicolons with the line of each statement', () => {
    const parts = splitStatements('CREATE TABLE t (a INT);\n\n-- a note\nINSERT INTO t VALUES (1);\nSELECT *\nFROM t');
    expect(parts.map((p) => [p.text, p.line, p.terminated])).to.deep.equal([
      ['CREATE TABLE t (a INT)', 1, true],
      ['INSERT INTO t VALUES (1)', 4, true],
      ['SELECT *\nFROM t', 5, false],
    ]);
  });

  it('does not split inside quotes, identifiers, dollar quotes or comments', () => {
    const script = "SELECT 'a;b', \"c;d\", E'e\\';f', $$g;h$$, $x$i;$x$ /* j; /* k; */ l; */ -- m;\n;SELECT 2;";
    const parts = splitStatements(script);
    expect(parts).to.have.length(2);
    expect(parts[0]!.text.startsWith("SELECT 'a;b'")).to.equal(true);
    expect(parts[1]!.text).to.equal('SELECT 2');
    expect(parts[1]!.line).to.equal(2);
  });

  it('drops empty statements and keeps offsets into the script', () => {
    const script = ';;  \n /* only */ ;\n  SELECT 1 ;';
    const parts = splitStatements(script);
    expect(parts).to.have.length(1);
    expect(parts[0]!.text).to.equal('SELECT 1');
    expect(script.slice(parts[0]!.start, parts[0]!.start + 8)).to.equal('SELECT 1');
    expect(parts[0]!.line).to.equal(3);
    expect(splitStatements("SELECT $1, a$b FROM t; SELECT ';")).to.have.length(2);
  });
});
