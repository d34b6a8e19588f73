// A reference matcher for tests only: backtracking over a whole sorted partition, following the standard's definition of the match literally.
//
// From each starting row, the pattern is searched depth first, alternatives in
// preference order (left before right, a greedy quantifier one more iteration
// before fewer, a reluctant one fewer first, PERMUTE's permutations in
// lexicographic order); the first complete match found is the match. Then the
// next start follows AFTER MATCH SKIP (the next row after an empty match or no
// match). An iteration of a quantifier past its minimum that matched no rows
// ends the repetition. Nothing here is shared with the executor's matcher.

import type { RowPattern } from '../../planner/logical/match-recognize.js';

/** What a DEFINE condition sees: the partition, the row being tried, the rows mapped so far (this one included). */
export interface RefContext {
  /** Values of the partition's rows, in order. */
  readonly values: readonly (number | null)[];
  readonly start: number;
  readonly current: number;
  /** Variable of each row start .. current. */
  readonly labels: readonly number[];
  /** The number the match would get. */
  readonly matchNumber: number;
}

/** A condition: true, false or null (unknown), as SQL. */
export type RefCondition = (c: RefContext) => boolean | null;

export interface RefSpec {
  readonly pattern: RowPattern;
  /** Per variable; undefined: always true. */
  readonly conditions: readonly (RefCondition | undefined)[];
  readonly skip: { readonly kind: 'PAST LAST ROW' | 'TO NEXT ROW' } | { readonly kind: 'TO FIRST' | 'TO LAST'; readonly variables: readonly number[] };
  /** WITHIN: every row of a match less than this after the first (in the units of `times`). */
  readonly within?: number;
}

export type RefEvent =
  | { readonly kind: 'match'; readonly start: number; readonly end: number; readonly labels: readonly number[]; readonly excluded: readonly boolean[]; readonly number: number }
  | { readonly kind: 'unmatched'; readonly pos: number };

/** Thrown when AFTER MATCH SKIP cannot go on (the executor raises 22000 there). */
export class RefSkipError extends Error {}

/** Thrown when the search takes more steps than allowed (the case is too costly to check this way). */
export class RefBudgetExceeded extends Error {}

interface Partial {
  readonly labels: readonly number[];
  readonly excluded: readonly boolean[];
}

type Cont = (pos: number, p: Partial) => { end: number; p: Partial } | null;

/** The events of one partition whose rows have `values` and `times`, in order. */
export function referenceMatches(spec: RefSpec, values: readonly (number | null)[], times: readonly number[], budget = 2_000_000): RefEvent[] {
  const n = values.length;
  const out: RefEvent[] = [];
  let steps = 0;
  let matchNumber = 0;
  let covered = 0;
  let s = 0;
  while (s < n) {
    const start = s;
    const tryRow = (v: number, excl: boolean, pos: number, p: Partial, k: Cont): { end: number; p: Partial } | null => {
      if (++steps > budget) throw new RefBudgetExceeded();
      if (pos >= n) return null;
      if (spec.within !== undefined && (times[pos] as number) - (times[start] as number) >= spec.within) return null;
      const labels = [...p.labels, v];
      const cond = spec.conditions[v];
      if (cond !== undefined && cond({ values, start, current: pos, labels, matchNumber: matchNumber + 1 }) !== true) return null;
      return k(pos + 1, { labels, excluded: [...p.excluded, excl] });
    };
    const m = (t: RowPattern, excl: boolean, pos: number, p: Partial, k: Cont): { end: number; p: Partial } | null => {
      if (++steps > budget) throw new RefBudgetExceeded();
      switch (t.kind) {
        case 'Var': return tryRow(t.variable, excl, pos, p, k);
        case 'Empty': return k(pos, p);
        case 'Anchor': return (t.anchor === 'start' ? pos === 0 : pos === n) ? k(pos, p) : null;
        case 'Exclusion': return m(t.term, true, pos, p, k);
        case 'Concat': {
          const go = (i: number, q: number, pp: Partial): { end: number; p: Partial } | null =>
            i === t.items.length ? k(q, pp) : m(t.items[i] as RowPattern, excl, q, pp, (q2, p2) => go(i + 1, q2, p2));
          return go(0, pos, p);
        }
        case 'Alternation': {
          for (const alt of t.alternatives) {
            const r = m(alt, excl, pos, p, k);
            if (r !== null) return r;
          }
          return null;
        }
        case 'Permute': {
          for (const order of lexicographicPermutations(t.items.length)) {
            const r = m({ kind: 'Concat', items: order.map((i) => t.items[i] as RowPattern) }, excl, pos, p, k);
            if (r !== null) return r;
          }
          return null;
        }
        case 'Quantified': {
          const rep = (i: number, q: number, pp: Partial): { end: number; p: Partial } | null => {
            if (i < t.min) return m(t.term, excl, q, pp, (q2, p2) => rep(i + 1, q2, p2));
            if (t.max !== null && i >= t.max) return k(q, pp);
            const iterate = (): { end: number; p: Partial } | null =>
              m(t.term, excl, q, pp, (q2, p2) => (q2 === q ? k(q2, p2) : rep(i + 1, q2, p2)));
            if (t.reluctant) return k(q, pp) ?? iterate();
            return iterate() ?? k(q, pp);
          };
          return rep(0, pos, p);
        }
      }
    };
    const found = m(spec.pattern, false, s, { labels: [], excluded: [] }, (pos, p) => ({ end: pos, p }));
    if (found === null) {
      if (s >= covered) out.push({ kind: 'unmatched', pos: s });
      s++;
      continue;
    }
    matchNumber++;
    out.push({ kind: 'match', start: s, end: found.end, labels: found.p.labels, excluded: found.p.excluded, number: matchNumber });
    if (found.end > covered) covered = found.end;
    s = nextStart(spec, s, found.end, found.p.labels);
  }
  return out;
}

function nextStart(spec: RefSpec, start: number, end: number, labels: readonly number[]): number {
  if (end === start) return start + 1;
  const skip = spec.skip;
  switch (skip.kind) {
    case 'PAST LAST ROW': return end;
    case 'TO NEXT ROW': return start + 1;
    case 'TO FIRST':
    case 'TO LAST': {
      const at = skip.kind === 'TO FIRST'
        ? labels.findIndex((v) => skip.variables.includes(v))
        : labels.map((v, i) => (skip.variables.includes(v) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
      if (at <= 0) throw new RefSkipError(at < 0 ? 'no row mapped to the skip variable' : 'skip to the first row of the match');
      return start + at;
    }
  }
}

function lexicographicPermutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++) {
    for (const rest of lexicographicPermutations(n - 1)) out.push([first, ...rest.map((x) => (x >= first ? x + 1 : x))]);
  }
  return out;
}
