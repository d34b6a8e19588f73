// Parser tests: MATCH_RECOGNIZE clauses and row patterns.

import { expect } from 'chai';
import type { MatchRecognize, PatternTerm } from '../../parser/ast/index.js';
import { bin, call, col, id, num, parseErrorOf, selectOf, table, warmUpParser } from './ast-builders.js';

function mr(body: string, alias = ''): MatchRecognize {
  const from = selectOf(`SELECT * FROM t MATCH_RECOGNIZE (${body}) ${alias}`).from[0];
  if (from?.kind !== 'MatchRecognize') throw new Error('not a MATCH_RECOGNIZE');
  return from;
}

function pattern(p: string): PatternTerm {
  return mr(`PATTERN (${p}) DEFINE A AS TRUE`).pattern;
}

const v = (name: string): PatternTerm => ({ kind: 'PatternVariable', name: id(name) });
const q = (term: PatternTerm, min: number, max: number | undefined, form: '*' | '+' | '?' | 'braces', reluctant = false): PatternTerm =>
  (max === undefined
    ? { kind: 'PatternQuantified', term, min, reluctant, form }
    : { kind: 'PatternQuantified', term, min, max, reluctant, form });

describe('parser: MATCH_RECOGNIZE', () => {
  before(warmUpParser);

  it('a complete clause', () => {
    expect(mr(`
      PARTITION BY symbol, market
      ORDER BY rowtime
      MEASURES A.price AS start_price, FINAL LAST(B.price) AS bottom, MATCH_NUMBER() AS m, CLASSIFIER() AS cls
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B+ C)
      WITHIN INTERVAL '1' HOUR
      SUBSET U = (B, C)
      DEFINE B AS B.price < PREV(B.price), C AS C.price > LAST(B.price, 1)`, 'AS mr')).to.deep.equal({
      kind: 'MatchRecognize',
      input: table('t'),
      partitionBy: [col('symbol'), col('market')],
      orderBy: [{ expr: col('rowtime') }],
      measures: [
        { expr: col('a', 'price'), alias: id('start_price') },
        { expr: { kind: 'NavigationSemantics', semantics: 'FINAL', expr: call('last', [col('b', 'price')]) }, alias: id('bottom') },
        { expr: call('match_number', []), alias: id('m') },
        { expr: call('classifier', []), alias: id('cls') },
      ],
      rowsPerMatch: { kind: 'OneRow' },
      afterMatch: { kind: 'PastLastRow' },
      pattern: { kind: 'PatternConcat', items: [v('a'), q(v('b'), 1, undefined, '+'), v('c')] },
      within: { kind: 'IntervalLiteral', value: '1', negative: false, qualifier: { from: 'HOUR' } },
      subsets: [{ name: id('u'), variables: [id('b'), id('c')] }],
      define: [
        { variable: id('b'), condition: bin('<', col('b', 'price'), call('prev', [col('b', 'price')])) },
        { variable: id('c'), condition: bin('>', col('c', 'price'), call('last', [col('b', 'price'), num('1')])) },
      ],
      alias: { name: id('mr') },
    });
  });

  it('defaults are absent', () => {
    const m = mr('PATTERN (A) DEFINE A AS A.x > 0');
    expect(m).to.not.have.property('rowsPerMatch');
    expect(m).to.not.have.property('afterMatch');
    expect(m).to.not.have.property('within');
    expect(m).to.not.have.property('alias');
    expect(m.partitionBy).to.deep.equal([]);
    expect(m.measures).to.deep.equal([]);
    expect(m.subsets).to.deep.equal([]);
  });

  it('ALL ROWS PER MATCH and its empty-match options', () => {
    expect(mr('ALL ROWS PER MATCH PATTERN (A)').rowsPerMatch).to.deep.equal({ kind: 'AllRows' });
    expect(mr('ALL ROWS PER MATCH SHOW EMPTY MATCHES PATTERN (A)').rowsPerMatch).to.deep.equal({ kind: 'AllRows', emptyMatches: 'SHOW' });
    expect(mr('ALL ROWS PER MATCH OMIT EMPTY MATCHES PATTERN (A)').rowsPerMatch).to.deep.equal({ kind: 'AllRows', emptyMatches: 'OMIT' });
    expect(mr('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (A)').rowsPerMatch).to.deep.equal({ kind: 'AllRows', emptyMatches: 'WITH UNMATCHED' });
  });

  it('AFTER MATCH SKIP in every form', () => {
    expect(mr('AFTER MATCH SKIP TO NEXT ROW PATTERN (A)').afterMatch).to.deep.equal({ kind: 'ToNextRow' });
    expect(mr('AFTER MATCH SKIP TO FIRST B PATTERN (A)').afterMatch).to.deep.equal({ kind: 'ToFirst', variable: id('b') });
    expect(mr('AFTER MATCH SKIP TO LAST B PATTERN (A)').afterMatch).to.deep.equal({ kind: 'ToLast', variable: id('b') });
    expect(mr('AFTER MATCH SKIP TO B PATTERN (A)').afterMatch).to.deep.equal({ kind: 'To', variable: id('b') });
    // Variables named like the keywords.
    expect(mr('AFTER MATCH SKIP TO next PATTERN (A)').afterMatch).to.deep.equal({ kind: 'To', variable: id('next') });
    expect(mr('AFTER MATCH SKIP TO FIRST last PATTERN (A)').afterMatch).to.deep.equal({ kind: 'ToFirst', variable: id('last') });
  });

  it('RUNNING and FINAL in measures', () => {
    const m = mr('MEASURES RUNNING COUNT(*) AS c, FINAL AVG(B.x) AS a PATTERN (A)');
    expect(m.measures.map((x) => x.expr.kind === 'NavigationSemantics' && x.expr.semantics)).to.deep.equal(['RUNNING', 'FINAL']);
  });

  describe('patterns', () => {
    const cases: [string, PatternTerm][] = [
      ['A', v('a')],
      ['A B C', { kind: 'PatternConcat', items: [v('a'), v('b'), v('c')] }],
      ['A | B | C', { kind: 'PatternAlternation', alternatives: [v('a'), v('b'), v('c')] }],
      ['A B | C', { kind: 'PatternAlternation', alternatives: [{ kind: 'PatternConcat', items: [v('a'), v('b')] }, v('c')] }],
      ['A*', q(v('a'), 0, undefined, '*')],
      ['A+', q(v('a'), 1, undefined, '+')],
      ['A?', q(v('a'), 0, 1, '?')],
      ['A*?', q(v('a'), 0, undefined, '*', true)],
      ['A+?', q(v('a'), 1, undefined, '+', true)],
      ['A??', q(v('a'), 0, 1, '?', true)],
      ['A{3}', q(v('a'), 3, 3, 'braces')],
      ['A{2,}', q(v('a'), 2, undefined, 'braces')],
      ['A{,4}', q(v('a'), 0, 4, 'braces')],
      ['A{2,4}', q(v('a'), 2, 4, 'braces')],
      ['A{2,4}?', q(v('a'), 2, 4, 'braces', true)],
      ['A{,}', q(v('a'), 0, undefined, 'braces')],
      ['(A B)+', q({ kind: 'PatternConcat', items: [v('a'), v('b')] }, 1, undefined, '+')],
      ['(C | D){2,3}', q({ kind: 'PatternAlternation', alternatives: [v('c'), v('d')] }, 2, 3, 'braces')],
      ['(A)', v('a')],
      ['((A) B) C', { kind: 'PatternConcat', items: [{ kind: 'PatternConcat', items: [v('a'), v('b')] }, v('c')] }],
      ['PERMUTE(A, B C, D)', { kind: 'PatternPermute', items: [v('a'), { kind: 'PatternConcat', items: [v('b'), v('c')] }, v('d')] }],
      ['A {- B -} C', { kind: 'PatternConcat', items: [v('a'), { kind: 'PatternExclusion', term: v('b') }, v('c')] }],
      ['^ A $', { kind: 'PatternConcat', items: [{ kind: 'PatternAnchor', anchor: '^' }, v('a'), { kind: 'PatternAnchor', anchor: '$' }] }],
      ['()', { kind: 'PatternEmpty' }],
      ['A ()', { kind: 'PatternConcat', items: [v('a'), { kind: 'PatternEmpty' }] }],
      ['(A |)', { kind: 'PatternAlternation', alternatives: [v('a'), { kind: 'PatternEmpty' }] }],
      ['"Up" down', { kind: 'PatternConcat', items: [{ kind: 'PatternVariable', name: id('Up', true) }, v('down')] }],
    ];
    for (const [text, ast] of cases) it(text, () => expect(pattern(text)).to.deep.equal(ast));

    it('a pattern of everything', () => {
      const p = pattern('^ A B+? (C | D){2,3} E* PERMUTE(X, Y) {- F -} $');
      expect(p.kind === 'PatternConcat' && p.items.length).to.equal(8);
    });
    it('rejects a quantifier whose bounds are reversed', () => {
      const e = parseErrorOf(() => pattern('A{4,2}'));
      expect(e.message).to.equal('the upper bound of a quantifier must not be less than its lower bound');
    });
    it('rejects {} without bounds', () => {
      expect(parseErrorOf(() => pattern('A{}')).message).to.equal('syntax error at or near "}"');
    });
  });

  it('over a subquery and a joined input, with an alias before', () => {
    const s = selectOf('SELECT * FROM (SELECT * FROM t) AS x MATCH_RECOGNIZE (ORDER BY ts PATTERN (A) DEFINE A AS TRUE) m JOIN u ON TRUE');
    const from = s.from[0];
    expect(from?.kind).to.equal('Join');
    if (from?.kind === 'Join') {
      expect(from.left.kind).to.equal('MatchRecognize');
      if (from.left.kind === 'MatchRecognize') {
        expect(from.left.input.kind).to.equal('DerivedTable');
        expect(from.left.alias).to.deep.equal({ name: id('m') });
      }
    }
  });

  it('Flink documentation-style query: a V shape', () => {
    const m = mr(`
      PARTITION BY symbol ORDER BY rowtime
      MEASURES START_ROW.rowtime AS start_tstamp, LAST(PRICE_DOWN.rowtime) AS bottom_tstamp, LAST(PRICE_UP.rowtime) AS end_tstamp
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST PRICE_UP
      PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
      DEFINE
        PRICE_DOWN AS (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price)
          OR PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
        PRICE_UP AS PRICE_UP.price > LAST(PRICE_DOWN.price, 1)`);
    expect(m.define.map((d) => d.variable.value)).to.deep.equal(['price_down', 'price_up']);
    expect(m.afterMatch).to.deep.equal({ kind: 'ToLast', variable: id('price_up') });
  });
});
