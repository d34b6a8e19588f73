// Parser tests: syntax errors — SQLSTATE 42601, PostgreSQL's wording, exact positions, every error reported.

import { expect } from 'chai';
import { SqlError } from '../../common/errors.js';
import { ParseError, parseExpression, parseStatement, parseStatements } from '../../parser/index.js';
import { parseErrorOf, warmUpParser } from './ast-builders.js';

describe('parser: syntax errors', () => {
  before(warmUpParser);

  it('is a SqlError with SQLSTATE 42601 and a 1-based position', () => {
    const e = parseErrorOf(() => parseStatement('SELECT a, FROM t'));
    expect(e).to.be.instanceOf(SqlError);
    expect(e.sqlstate).to.equal('42601');
    expect(e.message).to.equal('syntax error at or near "FROM"');
    expect(e.position).to.equal(11);
    expect(e.errors).to.have.length(1);
    const [detail] = e.errors;
    expect(detail).to.include({ message: 'syntax error at or near "FROM"', offset: 10, line: 1, column: 11, token: 'FROM' });
    expect(detail?.expected).to.include.members(['identifier', "'*'", "'('", 'CASE', 'NOT']);
  });

  it('at end of input', () => {
    const e = parseErrorOf(() => parseStatement('SELECT * FROM t WHERE'));
    expect(e.message).to.equal('syntax error at end of input');
    expect(e.position).to.equal(22);
    expect(e.errors[0]).to.include({ offset: 21, line: 1, column: 22, token: '' });
  });

  it('at a terminating semicolon', () => {
    const e = parseErrorOf(() => parseStatements('SELECT * FROM;'));
    expect(e.message).to.equal('syntax error at or near ";"');
    expect(e.errors[0]).to.include({ offset: 13, column: 14, token: ';' });
  });

  it('extra input after a complete statement', () => {
    const e = parseErrorOf(() => parseStatement('SELECT a b c FROM t'));
    expect(e.message).to.equal('syntax error at or near "c"');
    expect(e.errors[0]).to.include({ offset: 11, line: 1, column: 12 });
  });

  it('lines and columns on later lines', () => {
    const e = parseErrorOf(() => parseStatement('SELECT a\nFROM t\nWHERE x = = 1'));
    expect(e.errors[0]).to.include({ message: 'syntax error at or near "="', offset: 26, line: 3, column: 11 });
    expect(e.position).to.equal(27);
  });

  it('reports two errors of one statement', () => {
    const e = parseErrorOf(() => parseStatement('SELECT (1 + 2 FROM t WHERE x = = 1'));
    expect(e.errors.map((x) => [x.message, x.offset, x.line, x.column])).to.deep.equal([
      ['syntax error at or near "FROM"', 14, 1, 15],
      ['syntax error at or near "="', 31, 1, 32],
    ]);
    expect(e.errors[0]?.expected).to.deep.equal(["')'"]);
    expect(e.message).to.equal('syntax error at or near "FROM"');
    expect(e.position).to.equal(15);
  });

  it('reports two errors in a CREATE TABLE, on their lines', () => {
    const e = parseErrorOf(() => parseStatement('CREATE TABLE t (\n  a INT b INT,\n  c\n)'));
    expect(e.errors.map((x) => [x.message, x.line, x.column])).to.deep.equal([
      ['syntax error at or near "b"', 2, 9],
      ['syntax error at or near ")"', 4, 1],
    ]);
  });

  it('reports the errors of every statement of a script, and parses none of them', () => {
    const e = parseErrorOf(() => parseStatements('SELECT 1;\nSELEC 2;\nSELECT 3 FROM;\nSELECT 4'));
    expect(e.errors.map((x) => [x.message, x.line, x.column])).to.deep.equal([
      ['syntax error at or near "SELEC"', 2, 1],
      ['syntax error at or near ";"', 3, 14],
    ]);
  });

  it('errors found while building the tree are reported with the others', () => {
    const e = parseErrorOf(() => parseStatements('SELECT 1 LIMIT 1 LIMIT 2;\nSELECT FROM'));
    expect(e.errors.map((x) => x.message)).to.deep.equal([
      'multiple LIMIT clauses not allowed',
      'syntax error at or near "FROM"',
      'syntax error at end of input',
    ]);
  });

  describe('lexical errors', () => {
    it('an unterminated string, as PostgreSQL words it', () => {
      const e = parseErrorOf(() => parseStatement("SELECT 'abc"));
      expect(e.sqlstate).to.equal('42601');
      expect(e.message).to.equal('unterminated quoted string at or near "\'abc"');
      expect(e.position).to.equal(8);
    });
    it('an unterminated quoted identifier', () => {
      expect(parseErrorOf(() => parseStatement('SELECT "abc')).message).to.equal('unterminated quoted identifier at or near ""abc"');
    });
    it('an unterminated comment', () => {
      expect(parseErrorOf(() => parseStatement('SELECT 1 /* x')).message).to.equal('unterminated /* comment at or near "/* x"');
    });
    it('an unexpected character', () => {
      const e = parseErrorOf(() => parseStatement('SELECT 1 # 2'));
      expect(e.message).to.equal('syntax error at or near "#"');
      expect(e.position).to.equal(10);
    });
    it('a lexical error in one statement and a syntax error in another', () => {
      const e = parseErrorOf(() => parseStatements('SELECT 1 # 2;\nSELECT FROM t'));
      expect(e.errors.map((x) => [x.message, x.line])).to.deep.equal([
        ['syntax error at or near "#"', 1],
        ['syntax error at or near "FROM"', 2],
      ]);
    });
  });

  describe('malformed literals', () => {
    it('a bad Unicode escape', () => {
      const e = parseErrorOf(() => parseExpression("U&'\\00zz'"));
      expect(e.message).to.equal('invalid Unicode escape at or near "U&\'\\00zz\'"');
      expect(e.errors[0]?.offset).to.equal(3);
    });
    it('a bad UESCAPE character', () => {
      expect(parseErrorOf(() => parseExpression("U&'x' UESCAPE '+'")).message).to.equal('invalid Unicode escape character at or near "\'+\'"');
    });
    it('UESCAPE after a plain string', () => {
      expect(parseErrorOf(() => parseExpression("'x' UESCAPE '!'")).message).to.equal('UESCAPE must follow a U& string at or near "UESCAPE"');
    });
    it('a bad hexadecimal digit', () => {
      const e = parseErrorOf(() => parseExpression("X'0G'"));
      expect(e.message).to.equal('"G" is not a valid hexadecimal digit at or near "X\'0G\'"');
      expect(e.errors[0]?.offset).to.equal(3);
    });
    it('a zero-length quoted identifier', () => {
      expect(parseErrorOf(() => parseExpression('""')).message).to.equal('zero-length delimited identifier at or near """"');
    });
    it('a non-integer type argument', () => {
      expect(parseErrorOf(() => parseExpression('CAST(a AS VARCHAR(1.5))')).message).to.equal('syntax error at or near "1.5"');
    });
    it('an unknown EXTRACT field', () => {
      expect(parseErrorOf(() => parseExpression("EXTRACT('fortnight' FROM ts)")).message)
        .to.equal('unknown time unit "fortnight" at or near "\'fortnight\'"');
    });
    it('PRECISION after a type other than DOUBLE', () => {
      expect(parseErrorOf(() => parseExpression('CAST(a AS INT PRECISION)')).message).to.equal('syntax error at or near "PRECISION"');
    });
  });

  describe('parseStatement and parseExpression', () => {
    it('parseStatement wants exactly one statement', () => {
      const two = parseErrorOf(() => parseStatement('SELECT 1; SELECT 2'));
      expect(two.message).to.equal('cannot insert multiple commands into a prepared statement');
      expect(two.position).to.equal(11);
      expect(parseErrorOf(() => parseStatement('  -- nothing\n')).message).to.equal('syntax error at end of input');
    });
    it('parseStatement accepts a trailing semicolon', () => {
      expect(parseStatement('SELECT 1;').kind).to.equal('Query');
    });
    it('parseExpression rejects trailing input', () => {
      const e = parseErrorOf(() => parseExpression('a + 1 b'));
      expect(e.message).to.equal('syntax error at or near "b"');
      expect(e.position).to.equal(7);
    });
    it('parseExpression reports an empty input at its end', () => {
      expect(parseErrorOf(() => parseExpression('')).message).to.equal('syntax error at end of input');
    });
  });

  it('nesting too deep for the parser is 54001, not a crash', () => {
    let caught: unknown;
    try {
      parseExpression(`${'('.repeat(5000)}1${')'.repeat(5000)}`);
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(SqlError);
    expect(caught).to.include({ sqlstate: '54001', message: 'stack depth limit exceeded' });
    // The parser is still usable afterwards.
    expect(parseExpression('((1))').kind).to.equal('Literal');
  });

  it('ParseError is exported from the parser', () => {
    expect(ParseError.prototype).to.be.instanceOf(SqlError);
  });
});
