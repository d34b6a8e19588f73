// String functions, PostgreSQL and Flink spellings.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { big, call, ev, evRow, int, lit, nul, str } from './helpers.js';

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { sqlstate?: string }).sqlstate;
  }
  return undefined;
}

describe('string functions', () => {
  it('changes case', () => {
    expect(ev(call('upper', str('abc')))).to.equal('ABC');
    expect(ev(call('lower', str('ÄBC')))).to.equal('äbc');
    expect(ev(call('initcap', str('hello wORLD-foo bar1x')))).to.equal('Hello World-Foo Bar1x');
    expect(ev(call('upper', nul(Types.string)))).to.equal(null);
  });

  it('takes substrings with PostgreSQL rules', () => {
    expect(ev(call('substring', str('hello'), int(2), int(3)))).to.equal('ell');
    expect(ev(call('substring', str('hello'), int(0), int(3)))).to.equal('he');
    expect(ev(call('substring', str('hello'), int(-1), int(3)))).to.equal('h');
    expect(ev(call('substring', str('hello'), int(3)))).to.equal('llo');
    expect(ev(call('substr', str('hello'), int(10)))).to.equal('');
    expect(sqlstate(() => evRow('substring', ['hello', 1, -1], [Types.string, Types.int, Types.int]))).to.equal('22011');
    expect(ev(call('substring', str('a😀b'), int(2), int(1)))).to.equal('😀');
  });

  it('trims', () => {
    expect(ev(call('btrim', str('  a b  ')))).to.equal('a b');
    expect(ev(call('ltrim', str('  ab ')))).to.equal('ab ');
    expect(ev(call('rtrim', str('  ab ')))).to.equal('  ab');
    expect(ev(call('btrim', str('xxabxyx'), str('xy')))).to.equal('ab');
    expect(ev(call('trim', str('\tab ')))).to.equal('\tab');
  });

  it('concatenates', () => {
    expect(ev(call('concat', str('a'), str('b'), str('c')))).to.equal('abc');
    expect(ev(call('concat', str('a'), nul(Types.string)))).to.equal(null);
    expect(ev(call('concat', str('n='), int(5)))).to.equal('n=5');
    expect(ev(call('concat_ws', str(','), str('a'), nul(Types.string), str('b')))).to.equal('a,b');
    expect(ev(call('concat_ws', nul(Types.string), str('a')))).to.equal(null);
  });

  it('replaces, translates, splits', () => {
    expect(ev(call('replace', str('abcabc'), str('b'), str('$&')))).to.equal('a$&ca$&c');
    expect(ev(call('replace', str('abc'), str(''), str('x')))).to.equal('abc');
    expect(ev(call('translate', str('12345'), str('143'), str('ax')))).to.equal('a2x5');
    expect(ev(call('split_part', str('a,b,c'), str(','), int(2)))).to.equal('b');
    expect(ev(call('split_part', str('a,b,c'), str(','), int(-1)))).to.equal('c');
    expect(ev(call('split_part', str('a,b,c'), str(','), int(5)))).to.equal('');
    expect(sqlstate(() => ev(call('split_part', str('a'), str(','), int(0))))).to.equal('22023');
    expect(ev(call('split_index', str('a,b,c'), str(','), int(0)))).to.equal('a');
    expect(ev(call('split_index', str('a,b,c'), str(','), int(3)))).to.equal(null);
  });

  it('measures lengths in characters and bytes', () => {
    expect(ev(call('char_length', str('héllo')))).to.equal(5);
    expect(ev(call('length', str('a😀')))).to.equal(2);
    expect(ev(call('octet_length', str('héllo')))).to.equal(6);
    expect(ev(call('bit_length', str('ab')))).to.equal(16);
    expect(ev(call('octet_length', lit(new Uint8Array([1, 2, 3]), Types.bytes)))).to.equal(3);
  });

  it('finds positions', () => {
    expect(ev(call('position', str('lo'), str('hello')))).to.equal(4);
    expect(ev(call('position', str('z'), str('hello')))).to.equal(0);
    expect(ev(call('position', str(''), str('hello')))).to.equal(1);
    expect(ev(call('strpos', str('hello'), str('l')))).to.equal(3);
    expect(ev(call('locate', str('l'), str('hello'), int(4)))).to.equal(4);
    expect(ev(call('position', str('b'), str('😀b')))).to.equal(2);
  });

  it('takes left and right parts, pads and repeats', () => {
    expect(ev(call('left', str('abcde'), int(2)))).to.equal('ab');
    expect(ev(call('left', str('abcde'), int(-2)))).to.equal('abc');
    expect(ev(call('right', str('abcde'), int(2)))).to.equal('de');
    expect(ev(call('right', str('abcde'), int(-2)))).to.equal('cde');
    expect(ev(call('lpad', str('hi'), int(5)))).to.equal('   hi');
    expect(ev(call('lpad', str('hi'), int(5), str('xy')))).to.equal('xyxhi');
    expect(ev(call('rpad', str('hello'), int(3)))).to.equal('hel');
    expect(ev(call('repeat', str('ab'), int(3)))).to.equal('ababab');
    expect(ev(call('repeat', str('ab'), int(-1)))).to.equal('');
    expect(ev(call('reverse', str('abc😀')))).to.equal('😀cba');
  });

  it('hashes and encodes', () => {
    expect(ev(call('md5', str('abc')))).to.equal('900150983cd24fb0d6963f7d28e17f72');
    expect(ev(call('hash_code', str('abc')))).to.equal(96354);
    expect(ev(call('to_base64', str('hello')))).to.equal('aGVsbG8=');
    expect(ev(call('from_base64', str('aGVsbG8=')))).to.equal('hello');
    expect(ev(call('ascii', str('A')))).to.equal(65);
    expect(ev(call('chr', int(65)))).to.equal('A');
    expect(ev(call('to_hex', big(255)))).to.equal('ff');
    expect(ev(call('to_hex', big(-1)))).to.equal('ffffffffffffffff');
    expect(ev(call('hex', big(17)))).to.equal('11');
    expect(ev(call('bin', big(5)))).to.equal('101');
    expect(ev(call('starts_with', str('hello'), str('he')))).to.equal(true);
  });

  it('overlays', () => {
    expect(ev(call('overlay', str('Txxxxas'), str('hom'), int(2), int(4)))).to.equal('Thomas');
    expect(ev(call('overlay', str('abcdef'), str('XY'), int(3)))).to.equal('abXYef');
  });

  it('tests character classes and splits into arrays', () => {
    expect(ev(call('is_alpha', str('abC')))).to.equal(true);
    expect(ev(call('is_alpha', str('')))).to.equal(false);
    expect(ev(call('is_digit', str('0123')))).to.equal(true);
    expect(ev(call('is_decimal', str('-1.5e3')))).to.equal(true);
    expect(ev(call('is_decimal', str('1.2.3')))).to.equal(false);
    expect(ev(call('string_to_array', str('a,b,,c'), str(',')))).to.deep.equal(['a', 'b', '', 'c']);
    expect(ev(call('split', str('a b'), str(' ')))).to.deep.equal(['a', 'b']);
    const arr = lit(['a', null, 'c'], { kind: 'ARRAY', element: Types.string });
    expect(ev(call('array_to_string', arr, str('-')))).to.equal('a-c');
    expect(ev(call('array_to_string', arr, str('-'), str('?')))).to.equal('a-?-c');
  });
});
