// Pattern compilation: automata for each pattern construct, in the standard's preference order, as EXPLAIN describes them.

import { expect } from 'chai';
import { SqlError } from '../../common/errors.js';
import type { RowPattern } from '../../planner/logical/match-recognize.js';
import { rowPatternText } from '../../planner/logical/match-recognize.js';
import { canBeEmpty, compilePattern, describeProgram, MAX_PROGRAM_SIZE, permutations } from '../../executor/match-recognize/pattern.js';

const names = ['a', 'b', 'c'];
const a: RowPattern = { kind: 'Var', variable: 0 };
const b: RowPattern = { kind: 'Var', variable: 1 };
const c: RowPattern = { kind: 'Var', variable: 2 };
const q = (term: RowPattern, min: number, max: number | null, reluctant = false): RowPattern => ({ kind: 'Quantified', term, min, max, reluctant });
const seq = (...items: RowPattern[]): RowPattern => ({ kind: 'Concat', items });
const alt = (...alternatives: RowPattern[]): RowPattern => ({ kind: 'Alternation', alternatives });
const nfa = (p: RowPattern): string => describeProgram(compilePattern(p), names);

describe('MATCH_RECOGNIZE pattern compiler', () => {
  it('compiles a concatenation to a chain of labels', () => {
    expect(nfa(seq(a, b, c))).to.equal('0: a -> 1; 1: b -> 2; 2: c -> 3; 3: match');
  });

  it('orders the branches of a greedy loop before the exit, of a reluctant one after', () => {
    expect(nfa(q(a, 0, null))).to.equal('0: split 1 | 2; 1: a -> 0; 2: match');
    expect(nfa(q(a, 0, null, true))).to.equal('0: split 1 | 2; 1: match; 2: a -> 0');
    // a+ is one a, then a*.
    expect(nfa(q(a, 1, null))).to.equal('0: a -> 1; 1: split 2 | 3; 2: a -> 1; 3: match');
    expect(nfa(q(a, 1, null, true))).to.equal('0: a -> 1; 1: split 2 | 3; 2: match; 3: a -> 1');
    expect(nfa(q(a, 0, 1))).to.equal('0: split 1 | 2; 1: a -> 2; 2: match');
    expect(nfa(q(a, 0, 1, true))).to.equal('0: split 1 | 2; 1: match; 2: a -> 1');
  });

  it('unrolls bounded quantifiers', () => {
    expect(nfa(q(a, 2, 2))).to.equal('0: a -> 1; 1: a -> 2; 2: match');
    // {1,3}: one a, then two optional ones; not taking one goes straight to the end.
    expect(nfa(q(a, 1, 3))).to.equal('0: a -> 1; 1: split 2 | 5; 2: a -> 3; 3: split 4 | 5; 4: a -> 5; 5: match');
    expect(nfa(q(a, 2, null))).to.equal('0: a -> 1; 1: a -> 2; 2: split 3 | 4; 3: a -> 2; 4: match');
    expect(nfa(q(a, 0, 0))).to.equal('0: match');
  });

  it('prefers alternatives left to right', () => {
    expect(nfa(alt(a, b, c))).to.equal('0: split 1 | 3; 1: a -> 2; 2: match; 3: split 4 | 5; 4: b -> 2; 5: c -> 2');
  });

  it('expands PERMUTE to the permutations in lexicographic order', () => {
    expect(permutations(3)).to.deep.equal([[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]);
    const p = compilePattern({ kind: 'Permute', items: [a, b] });
    expect(describeProgram(p, names)).to.equal('0: split 1 | 4; 1: a -> 2; 2: b -> 3; 3: match; 4: b -> 5; 5: a -> 3');
  });

  it('marks excluded labels and compiles anchors', () => {
    expect(nfa(seq(a, { kind: 'Exclusion', term: b }, c))).to.equal('0: a -> 1; 1: {-b-} -> 2; 2: c -> 3; 3: match');
    const p = compilePattern(seq({ kind: 'Anchor', anchor: 'start' }, a, { kind: 'Anchor', anchor: 'end' }));
    expect(describeProgram(p, names)).to.equal('0: ^ -> 1; 1: a -> 2; 2: $ -> 3; 3: match');
    expect(p.anchorsStart && p.anchorsEnd).to.equal(true);
  });

  it('guards iterations that can match nothing with a register', () => {
    // (a*)*: the inner loop can match no rows, so each outer iteration is marked and
    // an iteration that consumed nothing leaves the loop.
    const p = compilePattern(q(q(a, 0, null), 0, null));
    expect(p.registers).to.equal(1);
    expect(describeProgram(p, names)).to.equal('0: split 1 | 5; 1: mark r0 -> 2; 2: split 3 | 4; 3: a -> 2; 4: iter r0 -> 0 | empty 5; 5: match');
    // a+ cannot be empty: no register.
    expect(compilePattern(q(q(a, 1, null), 0, null)).registers).to.equal(0);
  });

  it('knows which patterns can match no rows', () => {
    expect(canBeEmpty(a)).to.equal(false);
    expect(canBeEmpty(q(a, 0, 3))).to.equal(true);
    expect(canBeEmpty(seq(q(a, 0, null), { kind: 'Anchor', anchor: 'end' }))).to.equal(true);
    expect(canBeEmpty(alt(a, { kind: 'Empty' }))).to.equal(true);
    expect(canBeEmpty({ kind: 'Permute', items: [a, q(b, 0, 1)] })).to.equal(false);
  });

  it('refuses automata that unrolling would make too large', () => {
    let err: unknown;
    try {
      compilePattern(q(q(a, 1, 1000), 1000, 1000));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SqlError);
    expect((err as SqlError).sqlstate).to.equal('54000');
    expect((err as SqlError).detail).to.contain(String(MAX_PROGRAM_SIZE));
  });

  it('prints patterns as SQL writes them', () => {
    expect(rowPatternText(seq(a, q(b, 1, null, true), q(alt(a, c), 2, 3)), names)).to.equal('a b+? (a | c){2,3}');
    expect(rowPatternText(q(q(a, 0, 1), 2, null), names)).to.equal('(a?){2,}');
    expect(rowPatternText(seq({ kind: 'Anchor', anchor: 'start' }, { kind: 'Permute', items: [a, b] }, { kind: 'Exclusion', term: c }, { kind: 'Empty' }), names))
      .to.equal('^ PERMUTE(a, b) {- c -} ()');
  });
});
