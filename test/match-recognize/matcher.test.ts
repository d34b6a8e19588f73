// The matcher of one partition: leftmost then most preferred matches, decisions that wait for rows, the end of the input, WITHIN, skip errors, and merged threads.

import { expect } from 'chai';
import { SqlError } from '../../common/errors.js';
import type { Row } from '../../common/value.js';
import type { AfterMatchSkip, RowPattern } from '../../planner/logical/match-recognize.js';
import { RowSetTable, type MatchEnv } from '../../executor/match-recognize/expressions.js';
import { Matcher, newPartitionRecord, releaseRows, type DefineCondition, type MatchEvent, type PartitionRecord } from '../../executor/match-recognize/matcher.js';
import { compilePattern } from '../../executor/match-recognize/pattern.js';

// Rows are [letter, time]; variable i matches rows whose letter is names[i] (x: any row).
const names = ['a', 'b', 'c', 'x'];
const a: RowPattern = { kind: 'Var', variable: 0 };
const b: RowPattern = { kind: 'Var', variable: 1 };
const c: RowPattern = { kind: 'Var', variable: 2 };
const x: RowPattern = { kind: 'Var', variable: 3 };
const q = (term: RowPattern, min: number, max: number | null, reluctant = false): RowPattern => ({ kind: 'Quantified', term, min, max, reluctant });
const seq = (...items: RowPattern[]): RowPattern => ({ kind: 'Concat', items });
const alt = (...alternatives: RowPattern[]): RowPattern => ({ kind: 'Alternation', alternatives });

const letter = (name: string): DefineCondition => ({
  historyFree: true,
  evaluate: (env: MatchEnv) => (env.row(env.position(-1, true, 0, false)) as Row)[0] === name,
});

interface Options {
  readonly skip?: AfterMatchSkip;
  readonly within?: number;
  readonly lookahead?: number;
  readonly defines?: (DefineCondition | undefined)[];
}

/** Runs a partition over rows given as letters (times 0, 1, 2, ... unless written as a@5). */
class Run {
  readonly matcher: Matcher;
  readonly rec: PartitionRecord = newPartitionRecord();
  readonly events: string[] = [];

  constructor(pattern: RowPattern, options: Options = {}) {
    this.matcher = new Matcher({
      program: compilePattern(pattern),
      variableNames: names,
      defines: options.defines ?? [letter('a'), letter('b'), letter('c'), undefined],
      sets: new RowSetTable(),
      aggregates: [],
      lookahead: options.lookahead ?? 0,
      measureLookahead: 0,
      afterMatch: options.skip ?? { kind: 'PAST LAST ROW' },
      ...(options.within === undefined ? {} : { within: options.within }),
      timeIndex: 1,
      reportUnmatched: true,
    });
  }

  /** Releases rows (letters, optionally with times as "a@5") and matches; returns the events decided meanwhile. */
  feed(text: string, options: { ended?: boolean; watermark?: number } = {}): string[] {
    const rows: Row[] = [];
    for (const token of text.split(' ').filter((t) => t !== '')) {
      const [l, t] = token.split('@');
      rows.push([l as string, t === undefined ? this.rec.avail + rows.length : Number(t)]);
    }
    releaseRows(this.rec, rows);
    const before = this.events.length;
    this.matcher.drive(this.rec, options.ended ?? false, options.watermark ?? Number.NEGATIVE_INFINITY, (e) => this.events.push(show(e)));
    return this.events.slice(before);
  }

  end(): string[] {
    return this.feed('', { ended: true });
  }
}

function show(e: MatchEvent): string {
  if (e.kind === 'unmatched') return `-${e.pos}`;
  const labels = [...e.labels].map((ch) => {
    const code = ch.charCodeAt(0);
    return (code & 1) === 1 ? `{${names[code >> 1]}}` : names[code >> 1];
  });
  return `#${e.number} ${e.start}..${e.end - 1} ${labels.join(' ')}`.trimEnd();
}

describe('MATCH_RECOGNIZE matcher', () => {
  it('finds the leftmost match, then the most preferred one from that row', () => {
    const r = new Run(seq(a, q(b, 0, null), c));
    // From 0: a b b c. Row 4 (b) is unmatched, 5..6 is a c.
    expect(r.feed('a b b c b a c')).to.deep.equal(['#1 0..3 a b b c', '-4', '#2 5..6 a c']);
  });

  it('decides a greedy match only when the row after it is known', () => {
    const r = new Run(seq(a, q(b, 0, null)));
    expect(r.feed('a b b')).to.deep.equal([]);
    expect(r.feed('c')).to.deep.equal(['#1 0..2 a b b', '-3']);
    // A reluctant quantifier needs no more rows.
    const s = new Run(seq(a, q(b, 0, null, true)));
    expect(s.feed('a b b')).to.deep.equal(['#1 0..0 a', '-1', '-2']);
  });

  it('prefers the first alternative that matches, not the longest', () => {
    expect(new Run(alt(a, seq(a, b))).feed('a b')).to.deep.equal(['#1 0..0 a', '-1']);
    expect(new Run(alt(seq(a, b), a)).feed('a b')).to.deep.equal(['#1 0..1 a b']);
  });

  it('gives back rows a greedy quantifier took when the rest of the pattern needs them', () => {
    // x* b: x takes everything, then gives back the last b.
    const r = new Run(seq(q(x, 0, null), b));
    expect(r.feed('a b a b c')).to.deep.equal([]);
    expect(r.end()).to.deep.equal(['#1 0..3 x x x b', '-4']);
  });

  it('reports empty matches and moves on by one row after them', () => {
    const r = new Run(q(a, 0, null));
    expect(r.feed('b a a b')).to.deep.equal(['#1 0..-1', '#2 1..2 a a', '#3 3..2']);
  });

  it('ends an iteration that matched no rows once the minimum is reached', () => {
    // (a?)* over a a b: a, a, then an empty iteration ends the loop before b.
    const r = new Run(seq(q(q(a, 0, 1), 0, null), b));
    expect(r.feed('a a b')).to.deep.equal(['#1 0..2 a a b']);
    // (a*)* terminates.
    expect(new Run(q(q(a, 0, null), 0, null)).feed('a b')).to.deep.equal(['#1 0..0 a', '#2 1..0']);
  });

  it('matches $ only at the end of the input and ^ only at the first row', () => {
    const r = new Run(seq(a, { kind: 'Anchor', anchor: 'end' }));
    expect(r.feed('a b a')).to.deep.equal(['-0', '-1']);
    expect(r.end()).to.deep.equal(['#1 2..2 a']);
    const s = new Run(seq({ kind: 'Anchor', anchor: 'start' }, a));
    expect(s.feed('a a')).to.deep.equal(['#1 0..0 a', '-1']);
  });

  it('applies each skip mode, and fails when it would loop or has nowhere to go', () => {
    // x a+ b over x a a b c. Rows of a match are never reported unmatched; the
    // attempt at 4 waits for the row after it.
    const text = 'x a a b c';
    const pattern = seq(x, q(a, 1, null), b);
    expect(new Run(pattern).feed(text)).to.deep.equal(['#1 0..3 x a a b']);
    expect(new Run(pattern, { skip: { kind: 'TO NEXT ROW' } }).feed(text)).to.deep.equal(['#1 0..3 x a a b', '#2 1..3 x a b']);
    expect(new Run(pattern, { skip: { kind: 'TO FIRST', rows: [0], name: 'a' } }).feed(text)).to.deep.equal(['#1 0..3 x a a b', '#2 1..3 x a b']);
    expect(new Run(pattern, { skip: { kind: 'TO LAST', rows: [0], name: 'a' } }).feed(text)).to.deep.equal(['#1 0..3 x a a b']);
    const past = new Run(pattern);
    past.feed(text);
    expect(past.end()).to.deep.equal(['-4']);
    const fail = (skip: AfterMatchSkip, p: RowPattern, rows: string): SqlError => {
      try {
        new Run(p, { skip }).feed(rows);
      } catch (e) {
        if (e instanceof SqlError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    expect(fail({ kind: 'TO FIRST', rows: [3], name: 'x' }, pattern, text).message).to.contain('at the first row of this one');
    expect(fail({ kind: 'TO LAST', rows: [2], name: 'c' }, pattern, text).message).to.contain('no row of the match is mapped to c');
  });

  it('gives up attempts WITHIN cannot complete, on a row or on the watermark alone', () => {
    // a x* b within 3: b at time 4 is too late for the a at 0; the a at 5 finds its b at 7.
    const r = new Run(seq(a, q(x, 0, null, true), b), { within: 3 });
    expect(r.feed('a@0 c@1 c@2 c@3 b@4 a@5 c@6')).to.deep.equal(['-0', '-1', '-2', '-3', '-4']);
    expect(r.feed('b@7')).to.deep.equal(['#1 5..7 a x b']);
    // a b* within 3: the match of a b waits for a next row, until the watermark reaches 0 + 3.
    const s = new Run(seq(a, q(b, 0, null)), { within: 3 });
    expect(s.feed('a@0 b@1', { watermark: 2 })).to.deep.equal([]);
    expect(s.feed('', { watermark: 3 })).to.deep.equal(['#1 0..1 a b']);
  });

  it('waits for the rows DEFINE reads ahead with NEXT', () => {
    // a's condition reads the next row: matching row 0 waits for row 1.
    const nextIsB: DefineCondition = {
      historyFree: true,
      evaluate: (env) => (env.row(env.position(-1, true, 0, false) + 1)?.[0] ?? null) === 'b',
    };
    const r = new Run(a, { lookahead: 1, defines: [nextIsB, undefined, undefined, undefined] });
    expect(r.feed('a')).to.deep.equal([]);
    expect(r.feed('b')).to.deep.equal(['#1 0..0 a']);
    expect(r.feed('a')).to.deep.equal(['-1']);
    expect(r.end()).to.deep.equal(['-2']);
  });

  it('marks rows matched inside an exclusion', () => {
    const r = new Run(seq(a, { kind: 'Exclusion', term: q(b, 1, null) }, c));
    expect(r.feed('a b b c')).to.deep.equal(['#1 0..3 a {b} {b} c']);
  });

  it('merges threads that no condition can tell apart, so ambiguity costs nothing', () => {
    // (a | x)* b over many a rows: without merging, the paths double with each row.
    const r = new Run(seq(q(alt(a, x), 0, null), b));
    r.feed(Array.from({ length: 2000 }, () => 'a').join(' '));
    expect(r.rec.attempt?.threads.length).to.be.at.most(3);
    // After b, x could still take b and more: decided at the end of the input.
    expect(r.feed('b')).to.deep.equal([]);
    expect(r.end()).to.deep.equal([`#1 0..2000 ${Array.from({ length: 2000 }, () => 'a').join(' ')} b`]);
  });

  it('keeps its whole state in the partition record (plain data)', () => {
    const r = new Run(seq(a, q(b, 0, null)));
    r.feed('a b');
    const copy = structuredClone(r.rec);
    expect(copy).to.deep.equal(r.rec);
    expect(JSON.parse(JSON.stringify(r.rec))).to.deep.equal(r.rec);
  });
});
