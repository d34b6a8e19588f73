// LIKE, ILIKE, SIMILAR TO and regular expressions: semantics and linear running time.

import { expect } from 'chai';
import { Types } from '../../common/data-type.js';
import { compileLike } from '../../executor/expr/pattern/like.js';
import { compileRegex } from '../../executor/expr/pattern/regex.js';
import { compileSimilar } from '../../executor/expr/pattern/similar.js';
import { call, col, ev, evRow, int, nul, str } from './helpers.js';
import { compileScalar } from '../../executor/expr/compile.js';

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { sqlstate?: string }).sqlstate;
  }
  return undefined;
}

// A backtracking matcher would need longer than the age of the universe on
// these inputs; a linear one needs milliseconds. The bound is loose on purpose
// so that a busy machine never fails the test, while a hang still does.
function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('LIKE / ILIKE', () => {
  const like = (s: string, p: string, esc?: string) => compileLike(p, esc)(s);

  it('matches % and _', () => {
    expect(like('abc', 'abc')).to.equal(true);
    expect(like('abc', 'a%')).to.equal(true);
    expect(like('abc', '%c')).to.equal(true);
    expect(like('abc', '%b%')).to.equal(true);
    expect(like('abc', 'a_c')).to.equal(true);
    expect(like('abc', 'a_')).to.equal(false);
    expect(like('abc', '%')).to.equal(true);
    expect(like('', '%')).to.equal(true);
    expect(like('', '_')).to.equal(false);
    expect(like('aXbYc', 'a%b%c')).to.equal(true);
    expect(like('abab', '%ab')).to.equal(true);
    expect(like('aab', 'a%ab')).to.equal(true);
    expect(like('ab', 'a%ab')).to.equal(false);
    expect(like('a😀c', 'a_c')).to.equal(true);
    expect(like('xyz', '%_y_%')).to.equal(true);
  });

  it('honours escapes (backslash by default, ESCAPE, or none)', () => {
    expect(like('a%c', 'a\\%c')).to.equal(true);
    expect(like('abc', 'a\\%c')).to.equal(false);
    expect(like('a_c', 'a#_c', '#')).to.equal(true);
    expect(like('a\\c', 'a\\c', '')).to.equal(true);
    expect(sqlstate(() => compileLike('abc\\'))).to.equal('22025');
    expect(like('50%', '%\\%')).to.equal(true);
    expect(like('50', '%\\%')).to.equal(false);
    expect(like('a%b', 'a\\%%')).to.equal(true);
    expect(like('ab%', '%b\\%')).to.equal(true);
  });

  it('is case-insensitive for ILIKE', () => {
    expect(ev(call('ilike', str('HeLLo'), str('h%O')))).to.equal(true);
    expect(ev(call('like', str('HeLLo'), str('h%O')))).to.equal(false);
    expect(ev(call('like', nul(Types.string), str('%')))).to.equal(null);
    expect(ev(call('not', call('like', str('abc'), str('a%'))))).to.equal(false);
  });

  it('compiles a per-row pattern and the ESCAPE argument', () => {
    const f = compileScalar(call('like', col(0, Types.string), col(1, Types.string), str('!')));
    expect(f(['a_b', 'a!_b'])).to.equal(true);
    expect(f(['axb', 'a!_b'])).to.equal(false);
  });

  it('runs in linear time on adversarial patterns', () => {
    const s = 'a'.repeat(200_000);
    const { value, ms } = timed(() => compileLike('%a%a%a%a%a%a%a%a%a%a%b')(s));
    expect(value).to.equal(false);
    expect(ms).to.be.below(10_000);
  });
});

describe('SIMILAR TO', () => {
  const sim = (s: string, p: string, esc?: string) => compileSimilar(p, esc)(s);

  it('matches the whole string with regex operators', () => {
    expect(sim('abc', 'abc')).to.equal(true);
    expect(sim('abc', 'a')).to.equal(false);
    expect(sim('abc', '%(b|d)%')).to.equal(true);
    expect(sim('abc', '(a|b)%')).to.equal(true);
    expect(sim('bbb', 'b{2,3}')).to.equal(true);
    expect(sim('bbbb', 'b{2,3}')).to.equal(false);
    expect(sim('a.c', 'a.c')).to.equal(true);
    expect(sim('abc', 'a.c')).to.equal(false);
    expect(sim('a1', 'a[0-9]')).to.equal(true);
    expect(sim('ax', 'a_')).to.equal(true);
    expect(sim('a%', 'a\\%')).to.equal(true);
    expect(sim('ab', 'a\\%')).to.equal(false);
    expect(sim('a+', 'a#+', '#')).to.equal(true);
    expect(ev(call('similar_to', str('xyz'), str('x(y|q)z')))).to.equal(true);
  });

  it('runs in linear time on a catastrophic pattern', () => {
    const s = `${'a'.repeat(50_000)}!`;
    const { value, ms } = timed(() => sim(s, '(a|a|aa)*(a+)+'));
    expect(value).to.equal(false);
    expect(ms).to.be.below(10_000);
  });
});

describe('regular expressions', () => {
  it('finds leftmost-first matches with groups (Java semantics)', () => {
    expect(compileRegex('(\\d+)-(\\d+)').exec('tel 12-34')).to.deep.equal([4, 9, 4, 6, 7, 9]);
    expect(compileRegex('a|ab').exec('ab')).to.deep.equal([0, 1]);
    expect(compileRegex('a+?').exec('aaa')).to.deep.equal([0, 1]);
    expect(compileRegex('(a)|b').exec('b')).to.deep.equal([0, 1, -1, -1]);
    expect(compileRegex('^abc$').test('abc')).to.equal(true);
    expect(compileRegex('^abc$').test('xabc')).to.equal(false);
    expect(compileRegex('\\bfoo\\b').test('a foo b')).to.equal(true);
    expect(compileRegex('\\bfoo\\b').test('afoob')).to.equal(false);
    expect(compileRegex('(?i)hello').test('HeLLo')).to.equal(true);
    expect(compileRegex('[[:alpha:]]+').exec('12ab3')).to.deep.equal([2, 4]);
    expect(compileRegex('\\p{Lu}').exec('abCd')).to.deep.equal([2, 3]);
    expect(compileRegex('x{2,3}').exec('xxxx')).to.deep.equal([0, 3]);
    expect(compileRegex('[^a-c]+').exec('abcdef')).to.deep.equal([3, 6]);
    expect(compileRegex('a.c').test('a\nc')).to.equal(false);
    expect(compileRegex('(?s)a.c').test('a\nc')).to.equal(true);
    expect(compileRegex('\\Qa.b\\E').test('axb')).to.equal(false);
  });

  it('rejects backtracking-only syntax with 2201B', () => {
    expect(sqlstate(() => compileRegex('(a)\\1'))).to.equal('2201B');
    expect(sqlstate(() => compileRegex('a(?=b)'))).to.equal('2201B');
    expect(sqlstate(() => compileRegex('a++'))).to.equal('2201B');
    expect(sqlstate(() => compileRegex('(a'))).to.equal('2201B');
    expect(sqlstate(() => compileRegex('[a'))).to.equal('2201B');
    expect(sqlstate(() => compileRegex('*a'))).to.equal('2201B');
  });

  it('returns promptly for (a+)+$ on a long input', () => {
    const s = `${'a'.repeat(100_000)}!`;
    const { value, ms } = timed(() => compileRegex('(a+)+$').test(s));
    expect(value).to.equal(false);
    expect(ms).to.be.below(10_000);
    const r = timed(() => ev(call('regexp_extract', str(s), str('(a+)+$'))));
    expect(r.value).to.equal(null);
    expect(r.ms).to.be.below(10_000);
  });

  it('implements REGEXP_EXTRACT, REGEXP_REPLACE, REGEXP and friends', () => {
    expect(ev(call('regexp_extract', str('foo=bar'), str('(\\w+)=(\\w+)'), int(2)))).to.equal('bar');
    expect(ev(call('regexp_extract', str('foo=bar'), str('(\\w+)=(\\w+)')))).to.equal('foo=bar');
    expect(ev(call('regexp_extract', str('foo'), str('(\\d+)'), int(1)))).to.equal(null);
    expect(ev(call('regexp_extract', str('foo'), str('(o)'), int(3)))).to.equal(null);
    expect(ev(call('regexp_replace', str('a1b22c'), str('\\d+'), str('#')))).to.equal('a#b#c');
    expect(ev(call('regexp_replace', str('john smith'), str('(\\w+) (\\w+)'), str('$2, $1')))).to.equal('smith, john');
    expect(ev(call('regexp_replace', str('john smith'), str('(\\w+) (\\w+)'), str('\\2 \\1')))).to.equal('smith john');
    expect(ev(call('regexp_replace', str('aaa'), str('a'), str('b'), str('')))).to.equal('baa');
    expect(ev(call('regexp_replace', str('aAa'), str('a'), str('b'), str('gi')))).to.equal('bbb');
    expect(ev(call('regexp_replace', str('abc'), str('x*'), str('-')))).to.equal('-a-b-c-');
    expect(ev(call('regexp', str('abc123'), str('\\d{3}')))).to.equal(true);
    expect(ev(call('regexp_like', str('abc'), str('^A'), str('i')))).to.equal(true);
    expect(ev(call('regexp_count', str('a1b2c3'), str('\\d')))).to.equal(3);
    expect(ev(call('regexp_substr', str('a1b22'), str('\\d+')))).to.equal('1');
  });

  it('raises 2201B for a bad constant pattern only when evaluated', () => {
    const e = call('regexp', col(0, Types.string), str('(unclosed'));
    const f = compileScalar(e);
    expect(f([null])).to.equal(null);
    expect(sqlstate(() => f(['x']))).to.equal('2201B');
    expect(sqlstate(() => evRow('regexp', ['x', '[z'], [Types.string, Types.string]))).to.equal('2201B');
  });
});

describe('regular expression anchors (DFA and VM agree)', () => {
  it('treats $ as end of input or before a final newline (Java)', () => {
    expect(compileRegex('a$').test('a\n')).to.equal(true);
    expect(compileRegex('a\\z').test('a\n')).to.equal(false);
    expect(compileRegex('a$').exec('a\n')).to.deep.equal([0, 1]);
    expect(compileRegex('^$').test('')).to.equal(true);
    expect(compileRegex('^').exec('xyz')).to.deep.equal([0, 0]);
    expect(compileRegex('(?m)^b').exec('a\nb')).to.deep.equal([2, 3]);
    expect(compileRegex('^b').test('a\nb')).to.equal(false);
  });

  it('matches characters outside the Basic Multilingual Plane as one character', () => {
    expect(compileRegex('^.$').test('😀')).to.equal(true);
    expect(compileRegex('[😀-😂]').test('x😁')).to.equal(true);
    expect(compileSimilar('_')('😀')).to.equal(true);
  });
});
