// Lexer tests: token kinds, keywords, identifiers, literals, comments, operators and lexical errors.

import { expect } from 'chai';
import { tokenize } from '../../parser/lexer/lexer.js';
import { LineIndex } from '../../parser/lexer/line-index.js';
import { splitStatements } from '../../parser/lexer/split.js';
import { expr, id, str, warmUpParser } from './ast-builders.js';

/** `[token type name, image]` pairs of a text. */
function lex(sql: string): [string, string][] {
  const { tokens, errors } = tokenize(sql, new LineIndex(sql));
  expect(errors, JSON.stringify(errors)).to.deep.equal([]);
  return tokens.map((t) => [t.tokenType.name, t.image]);
}

function lexErrors(sql: string) {
  return tokenize(sql, new LineIndex(sql)).errors;
}

describe('parser: lexer', () => {
  before(warmUpParser);

  it('keywords in any case', () => {
    expect(lex('SELECT select SeLeCt')).to.deep.equal([['SELECT', 'SELECT'], ['SELECT', 'select'], ['SELECT', 'SeLeCt']]);
  });

  it('identifiers: plain, with digits, underscores and $, and quoted', () => {
    expect(lex('a_1 b$c _x "Quoted ""Name"""')).to.deep.equal([
      ['Identifier', 'a_1'], ['Identifier', 'b$c'], ['Identifier', '_x'], ['QuotedIdentifier', '"Quoted ""Name"""'],
    ]);
  });

  it('non-reserved keywords are keyword tokens that the grammar accepts as names', () => {
    expect(lex('timestamp first value')).to.deep.equal([['TIMESTAMP', 'timestamp'], ['FIRST', 'first'], ['Identifier', 'value']]);
    expect(expr('timestamp')).to.deep.equal({ kind: 'ColumnRef', parts: [id('timestamp')] });
    expect(expr('value')).to.deep.equal({ kind: 'ColumnRef', parts: [id('value')] });
  });

  it('numbers, including exponents and a leading dot', () => {
    expect(lex('1 1.5 .5 5. 1e10 1E-3 2.5e+4')).to.deep.equal(
      ['1', '1.5', '.5', '5.', '1e10', '1E-3', '2.5e+4'].map((n) => ['Number', n] as [string, string]),
    );
  });

  it('string literals of every spelling', () => {
    expect(lex("'a''b' E'\\n' e'x' U&'\\0041' X'0F' x'ff' $$d$$ $t$e$t$")).to.deep.equal([
      ['String', "'a''b'"], ['EString', "E'\\n'"], ['EString', "e'x'"], ['UString', "U&'\\0041'"],
      ['XString', "X'0F'"], ['XString', "x'ff'"], ['DollarString', '$$d$$'], ['DollarString', '$t$e$t$'],
    ]);
  });

  it('a string may span lines', () => expect(expr("'a\nb'")).to.deep.equal(str('a\nb')));

  it('E strings keep an escaped quote inside', () => {
    expect(lex("E'it\\'s' x")).to.deep.equal([['EString', "E'it\\'s'"], ['Identifier', 'x']]);
    expect(expr("E'it\\'s'")).to.deep.equal(str("it's"));
  });

  it('parameters and the $ anchor', () => {
    expect(lex('$1 $23 $')).to.deep.equal([['Parameter', '$1'], ['Parameter', '$23'], ['Dollar', '$']]);
  });

  it('operators, longest first', () => {
    expect(lex(':: => <= >= <> != || {- -} ( ) [ ] { } , ; . + - * / % ^ < > = | ? :').map(([t]) => t)).to.deep.equal([
      'DoubleColon', 'Arrow', 'Le', 'Ge', 'Neq', 'BangEq', 'Concat', 'LExclusion', 'RExclusion', 'LParen', 'RParen',
      'LBracket', 'RBracket', 'LBrace', 'RBrace', 'Comma', 'Semicolon', 'Dot', 'Plus', 'Minus', 'Star', 'Slash',
      'Percent', 'Caret', 'Lt', 'Gt', 'Eq', 'Pipe', 'Question', 'Colon',
    ]);
    expect(lex('a::int')).to.deep.equal([['Identifier', 'a'], ['DoubleColon', '::'], ['Identifier', 'int']]);
  });

  it('comments: line, block, nested block', () => {
    expect(lex('a -- comment\nb /* c /* nested */ still comment */ c')).to.deep.equal([
      ['Identifier', 'a'], ['Identifier', 'b'], ['Identifier', 'c'],
    ]);
    expect(lex('a/**/b')).to.deep.equal([['Identifier', 'a'], ['Identifier', 'b']]);
  });

  it('skips a byte-order mark', () => {
    expect(lex('\ufeffSELECT x')).to.deep.equal([['SELECT', 'SELECT'], ['Identifier', 'x']]);
  });

  it('offsets of tokens', () => {
    const { tokens } = tokenize('SELECT  x', new LineIndex('SELECT  x'));
    expect(tokens.map((t) => t.startOffset)).to.deep.equal([0, 8]);
  });

  describe('errors', () => {
    it('an unterminated string', () => {
      expect(lexErrors("SELECT 'abc")).to.deep.equal([{
        message: 'unterminated quoted string at or near "\'abc"', offset: 7, line: 1, column: 8, token: "'abc", expected: [],
      }]);
    });
    it('an unterminated E string and a hexadecimal one', () => {
      expect(lexErrors("SELECT E'abc")[0]?.message).to.equal('unterminated quoted string at or near "E\'abc"');
      expect(lexErrors("SELECT X'ab")[0]?.message).to.equal('unterminated hexadecimal string literal at or near "X\'ab"');
    });
    it('an unterminated quoted identifier', () => {
      expect(lexErrors('SELECT "abc')[0]).to.include({ message: 'unterminated quoted identifier at or near ""abc"', offset: 7 });
    });
    it('an unterminated block comment, nested ones counted', () => {
      expect(lexErrors('SELECT 1 /* a /* b */')[0]).to.include({ message: 'unterminated /* comment at or near "/* a /* b */"', offset: 9 });
    });
    it('a character that starts no token', () => {
      expect(lexErrors('SELECT 1 # 2')).to.deep.equal([{
        message: 'syntax error at or near "#"', offset: 9, line: 1, column: 10, token: '#', expected: [],
      }]);
    });
    it('positions on later lines', () => {
      expect(lexErrors("SELECT 1,\n  2,\n  'x")[0]).to.include({ offset: 17, line: 3, column: 3 });
    });
  });
});

describe('parser: statement splitting', () => {
  const texts = (sql: string) => splitStatements(sql).map((r) => sql.slice(r.start, r.end));

  it('splits at semicolons, keeping each one with its statement', () => {
    expect(texts('SELECT 1; SELECT 2;SELECT 3')).to.deep.equal(['SELECT 1;', ' SELECT 2;', 'SELECT 3']);
    expect(texts(';;')).to.deep.equal([';', ';']);
    expect(texts('')).to.deep.equal([]);
  });

  it('ignores semicolons inside literals, quoted names and comments', () => {
    expect(texts("SELECT 'a;''b'; x")).to.deep.equal(["SELECT 'a;''b';", ' x']);
    expect(texts("SELECT E'\\';' ; y")).to.deep.equal(["SELECT E'\\';' ;", ' y']);
    expect(texts('SELECT "a;""b", `c;d`; z')).to.deep.equal(['SELECT "a;""b", `c;d`;', ' z']);
    expect(texts('SELECT 1 -- ;\n; w')).to.deep.equal(['SELECT 1 -- ;\n;', ' w']);
    expect(texts('SELECT /* ; /* ; */ ; */ 1; v')).to.deep.equal(['SELECT /* ; /* ; */ ; */ 1;', ' v']);
    expect(texts('SELECT $$;$$, $t$;$t$; u')).to.deep.equal(['SELECT $$;$$, $t$;$t$;', ' u']);
  });

  it('reads quotes the way the lexer does', () => {
    // `e` inside a name does not start an escape string: the backslash is an ordinary character.
    expect(texts("SELECT name'\\'; 1")).to.deep.equal(["SELECT name'\\';", ' 1']);
    // `$` inside a name does not open a dollar quote; a parameter followed by one does.
    expect(texts('SELECT a$$b; c')).to.deep.equal(['SELECT a$$b;', ' c']);
    expect(texts('SELECT $1$$;$$; d')).to.deep.equal(['SELECT $1$$;$$;', ' d']);
    expect(texts('SELECT $ 1; e')).to.deep.equal(['SELECT $ 1;', ' e']);
  });

  it('runs an unterminated literal or comment to the end', () => {
    expect(texts("SELECT 'a; b")).to.deep.equal(["SELECT 'a; b"]);
    expect(texts('SELECT /* a; b')).to.deep.equal(['SELECT /* a; b']);
  });
});
