// Row pattern compilation: a RowPattern becomes a program for a backtracking-order NFA (a Pike VM whose threads keep the standard's preference order).
//
// Instructions (one per pc, in parallel typed arrays):
//   LABEL  v, next, excluded   consume the current row as variable v when v's DEFINE holds
//   SPLIT  first, second       try `first`, then `second` (the order is the preference order)
//   JUMP   to
//   BEGIN  next                `^`: only at the partition's first row
//   END    next                `$`: only after the partition's last row (the end of the input)
//   MARK   reg, next           a quantifier iteration starts: remember that nothing is consumed yet
//   ITER   reg, loop, exit     an iteration ends: if it consumed no row, leave the quantifier
//   MATCH
//
// Preference, as the standard orders matches: alternatives left to right, a
// greedy quantifier prefers one more iteration, a reluctant one fewer, and
// PERMUTE(a, b, c) is the alternation of the permutations in lexicographic order
// of the items' positions. Bounded quantifiers are unrolled.
//
// Empty iterations: once a quantifier has its minimum, an iteration that
// matched no rows ends the repetition (what follows the quantifier is tried
// next, as after any iteration); without this rule `(a*)*` would loop forever.
// Iterations needed to reach the minimum may be empty.

import { SqlError, SqlState } from '../../common/errors.js';
import type { RowPattern } from '../../planner/logical/match-recognize.js';

export const LABEL = 0;
export const SPLIT = 1;
export const JUMP = 2;
export const BEGIN = 3;
export const END = 4;
export const MARK = 5;
export const ITER = 6;
export const MATCH = 7;

/** Programs larger than this are refused (a bounded quantifier or PERMUTE can multiply the pattern). */
export const MAX_PROGRAM_SIZE = 100_000;

export interface Program {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Int32Array;
  readonly start: number;
  /** Registers used by MARK/ITER (one per quantifier whose body can match no rows). */
  readonly registers: number;
  /** Whether BEGIN / END occur. */
  readonly anchorsStart: boolean;
  readonly anchorsEnd: boolean;
}

/** Whether `p` can match without consuming a row. */
export function canBeEmpty(p: RowPattern): boolean {
  switch (p.kind) {
    case 'Var': return false;
    case 'Concat': return p.items.every(canBeEmpty);
    case 'Alternation': return p.alternatives.some(canBeEmpty);
    case 'Quantified': return p.min === 0 || canBeEmpty(p.term);
    case 'Permute': return p.items.every(canBeEmpty);
    case 'Exclusion': return canBeEmpty(p.term);
    case 'Anchor': return true;
    case 'Empty': return true;
    default: {
      const unreachable: never = p;
      throw new Error(`unknown row pattern ${(unreachable as RowPattern).kind}`);
    }
  }
}

/** The permutations of 0..n-1 in lexicographic order. */
export function permutations(n: number): number[][] {
  const out: number[][] = [];
  const used = new Array<boolean>(n).fill(false);
  const cur: number[] = [];
  const go = (): void => {
    if (cur.length === n) {
      out.push([...cur]);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      cur.push(i);
      go();
      cur.pop();
      used[i] = false;
    }
  };
  go();
  return out;
}

class Builder {
  readonly op: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly c: number[] = [];
  private readonly registers = new Map<RowPattern, number>();
  anchorsStart = false;
  anchorsEnd = false;

  emit(op: number, a = 0, b = 0, c = 0): number {
    if (this.op.length >= MAX_PROGRAM_SIZE) {
      throw new SqlError(SqlState.programLimitExceeded, 'row pattern is too large', {
        detail: `Its automaton would have more than ${MAX_PROGRAM_SIZE} states.`,
        hint: 'Use smaller bounds in quantifiers, or fewer items in PERMUTE.',
      });
    }
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    return this.op.length - 1;
  }

  set(pc: number, op: number, a: number, b = 0, c = 0): void {
    this.op[pc] = op;
    this.a[pc] = a;
    this.b[pc] = b;
    this.c[pc] = c;
  }

  get registerCount(): number {
    return this.registers.size;
  }

  /** One register per quantifier node: copies of a node made by unrolling never nest, so they can share it. */
  register(p: RowPattern): number {
    let r = this.registers.get(p);
    if (r === undefined) {
      r = this.registers.size;
      this.registers.set(p, r);
    }
    return r;
  }

  /** Compiles `p` so that it continues at `next`; returns its entry. */
  compile(p: RowPattern, next: number, excluded: boolean): number {
    switch (p.kind) {
      case 'Var':
        return this.emit(LABEL, p.variable, next, excluded ? 1 : 0);
      case 'Concat': {
        let entry = next;
        for (let i = p.items.length - 1; i >= 0; i--) entry = this.compile(p.items[i] as RowPattern, entry, excluded);
        return entry;
      }
      case 'Alternation':
        return this.alternation(p.alternatives.map((alt) => (n: number) => this.compile(alt, n, excluded)), next);
      case 'Permute': {
        const orders = permutations(p.items.length);
        return this.alternation(orders.map((order) => (n: number) => {
          let entry = n;
          for (let i = order.length - 1; i >= 0; i--) entry = this.compile(p.items[order[i] as number] as RowPattern, entry, excluded);
          return entry;
        }), next);
      }
      case 'Quantified':
        return this.quantified(p, next, excluded);
      case 'Exclusion':
        return this.compile(p.term, next, true);
      case 'Anchor':
        if (p.anchor === 'start') this.anchorsStart = true;
        else this.anchorsEnd = true;
        return this.emit(p.anchor === 'start' ? BEGIN : END, next);
      case 'Empty':
        return next;
      default: {
        const unreachable: never = p;
        throw new Error(`unknown row pattern ${(unreachable as RowPattern).kind}`);
      }
    }
  }

  /** Alternatives in preference order: a chain of SPLITs, each preferring its first branch. */
  private alternation(branches: readonly ((next: number) => number)[], next: number): number {
    if (branches.length === 0) return next;
    let entry = (branches[branches.length - 1] as (n: number) => number)(next);
    for (let i = branches.length - 2; i >= 0; i--) {
      const first = (branches[i] as (n: number) => number)(next);
      entry = this.emit(SPLIT, first, entry);
    }
    return entry;
  }

  private split(reluctant: boolean, iterate: number, exit: number): [number, number] {
    return reluctant ? [exit, iterate] : [iterate, exit];
  }

  private quantified(p: Extract<RowPattern, { kind: 'Quantified' }>, next: number, excluded: boolean): number {
    const nullable = canBeEmpty(p.term);
    let tail: number;
    if (p.max === null) {
      // loop: SPLIT(body, exit); body: [MARK r] term [ITER r, loop, exit]
      const loop = this.emit(JUMP, 0);
      let body: number;
      if (nullable) {
        const reg = this.register(p);
        const iter = this.emit(ITER, reg, loop, next);
        body = this.emit(MARK, reg, this.compile(p.term, iter, excluded));
      } else {
        body = this.compile(p.term, loop, excluded);
      }
      const [first, second] = this.split(p.reluctant, body, next);
      this.set(loop, SPLIT, first, second);
      tail = loop;
    } else {
      // Optional iterations min+1 .. max, built from the last one back.
      let after = next;
      const optional = p.max - p.min;
      for (let j = 0; j < optional; j++) {
        let body: number;
        if (j === 0) body = this.compile(p.term, next, excluded);
        else if (nullable) {
          const reg = this.register(p);
          const iter = this.emit(ITER, reg, after, next);
          body = this.emit(MARK, reg, this.compile(p.term, iter, excluded));
        } else body = this.compile(p.term, after, excluded);
        const [first, second] = this.split(p.reluctant, body, next);
        after = this.emit(SPLIT, first, second);
      }
      tail = after;
    }
    let entry = tail;
    for (let i = 0; i < p.min; i++) entry = this.compile(p.term, entry, excluded);
    return entry;
  }
}

/**
 * Compiles a row pattern.
 *
 * @example
 *   compilePattern({ kind: 'Concat', items: [{ kind: 'Var', variable: 0 }, { kind: 'Quantified', term: { kind: 'Var', variable: 1 }, min: 1, max: null, reluctant: false }] })
 *   // a b+ : 0 LABEL a -> 1, 1 LABEL b -> 2, 2 SPLIT 1, 3, 3 MATCH (pcs in emission order)
 */
export function compilePattern(pattern: RowPattern): Program {
  const b = new Builder();
  const match = b.emit(MATCH);
  const start = b.compile(pattern, match, false);
  return {
    op: Uint8Array.from(b.op),
    a: Int32Array.from(b.a),
    b: Int32Array.from(b.b),
    c: Int32Array.from(b.c),
    start,
    registers: b.registerCount,
    anchorsStart: b.anchorsStart,
    anchorsEnd: b.anchorsEnd,
  };
}

/**
 * The program as text for EXPLAIN, states renumbered in order of reachability
 * from the start: `0: a -> 1; 1: split 2 | 3; ...`. JUMPs are followed, not shown.
 */
export function describeProgram(program: Program, variables: readonly string[]): string {
  const order: number[] = [];
  const number = new Map<number, number>();
  const resolve = (pc: number): number => {
    let x = pc;
    for (let guard = 0; program.op[x] === JUMP && guard < program.op.length; guard++) x = program.a[x] as number;
    return x;
  };
  const visit = (pc0: number): void => {
    const stack = [resolve(pc0)];
    while (stack.length > 0) {
      const pc = stack.pop() as number;
      if (number.has(pc)) continue;
      number.set(pc, order.length);
      order.push(pc);
      const targets = successors(program, pc).map(resolve);
      for (let i = targets.length - 1; i >= 0; i--) stack.push(targets[i] as number);
    }
  };
  visit(program.start);
  const n = (pc: number): string => String(number.get(resolve(pc)) ?? '?');
  const parts = order.map((pc, i) => {
    const a = program.a[pc] as number;
    const b = program.b[pc] as number;
    const c = program.c[pc] as number;
    switch (program.op[pc]) {
      case LABEL: return `${i}: ${c === 1 ? `{-${variables[a] ?? a}-}` : variables[a] ?? a} -> ${n(b)}`;
      case SPLIT: return `${i}: split ${n(a)} | ${n(b)}`;
      case BEGIN: return `${i}: ^ -> ${n(a)}`;
      case END: return `${i}: $ -> ${n(a)}`;
      case MARK: return `${i}: mark r${a} -> ${n(b)}`;
      case ITER: return `${i}: iter r${a} -> ${n(b)} | empty ${n(c)}`;
      case MATCH: return `${i}: match`;
      default: return `${i}: ?`;
    }
  });
  return parts.join('; ');
}

function successors(program: Program, pc: number): number[] {
  const a = program.a[pc] as number;
  const b = program.b[pc] as number;
  const c = program.c[pc] as number;
  switch (program.op[pc]) {
    case LABEL: return [b];
    case SPLIT: return [a, b];
    case JUMP: return [a];
    case BEGIN: case END: return [a];
    case MARK: return [b];
    case ITER: return [b, c];
    default: return [];
  }
}
