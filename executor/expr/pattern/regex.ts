// A linear-time regular expression engine (Thompson NFA run as a Pike VM) for user patterns.
//
// Why not JavaScript's RegExp: it backtracks, so a pattern like `(a+)+$` over a long input runs
// for exponential time and would stall the engine's event loop. Here every match runs in
// O(pattern size x input length) with leftmost-first (Java/Perl) semantics for captures, which is
// what Flink's REGEXP_EXTRACT / REGEXP_REPLACE users expect. The syntax is Java's common subset:
// literals, `.`, classes `[a-z]` `[^...]` with `\d \w \s` and POSIX `[:alpha:]`, `\p{L}`-style
// properties, groups `( )` `(?: )` `(?<name> )`, alternation, greedy and lazy quantifiers
// `* + ? {n} {n,} {n,m}`, anchors `^ $ \A \z \Z \b \B`, inline flags `(?i)` `(?s)` `(?m)`
// (also scoped `(?i: )`), `\Q...\E`. Back-references, lookaround, atomic groups and possessive
// quantifiers need backtracking and are rejected with 2201B.

import { SqlError, SqlState } from '../../../common/errors.js';

/** A compiled pattern. Positions are UTF-16 indices into the input. */
export interface Regex {
  /** Number of capturing groups (group 0, the whole match, not counted). */
  readonly groupCount: number;
  /** The leftmost-first match at or after `from`: [start0, end0, start1, end1, ...] (-1 when a group did not take part), or null. */
  exec(input: string, from?: number): number[] | null;
  /** Whether the pattern matches anywhere in the input. */
  test(input: string): boolean;
}

export function regexError(message: string, pattern: string): SqlError {
  return new SqlError(SqlState.invalidRegularExpression, `invalid regular expression: ${message}`, { detail: `Pattern: ${pattern}` });
}

// ---------------------------------------------------------------- character sets

/** Sorted, non-overlapping inclusive code point ranges, plus predicates for Unicode properties. */
export interface CharSet {
  ranges: number[];
  preds: ((cp: number) => boolean)[];
  negated: boolean;
}

export type CharTest = (cp: number) => boolean;

const WORD_RANGES = [48, 57, 65, 90, 95, 95, 97, 122];
const DIGIT_RANGES = [48, 57];
const SPACE_RANGES = [9, 13, 32, 32];

function normalizeRanges(r: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function simpleFold(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const lo = s.toLowerCase();
  const up = s.toUpperCase();
  const out = [cp];
  if (lo.length === s.length) out.push(lo.codePointAt(0)!);
  if (up.length === s.length) out.push(up.codePointAt(0)!);
  return out;
}

/** Compiles a set to a test, with a lookup table for ASCII. */
export function compileCharSet(set: CharSet, caseInsensitive: boolean): CharTest {
  const ranges = normalizeRanges(set.ranges);
  const preds = set.preds;
  const negated = set.negated;
  const raw = (cp: number): boolean => {
    let lo = 0;
    let hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < ranges[2 * mid]!) hi = mid - 1;
      else if (cp > ranges[2 * mid + 1]!) lo = mid + 1;
      else return true;
    }
    for (const p of preds) if (p(cp)) return true;
    return false;
  };
  const inSet = caseInsensitive ? (cp: number) => simpleFold(cp).some(raw) : raw;
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = inSet(c) !== negated ? 1 : 0;
  if (ranges.length === 2 && preds.length === 0 && !caseInsensitive && ranges[0] === ranges[1]) {
    const only = ranges[0]!;
    return negated ? (cp) => cp !== only : (cp) => cp === only;
  }
  return (cp) => (cp < 128 ? ascii[cp] === 1 : inSet(cp) !== negated);
}

function propertyPredicate(name: string, pattern: string): (cp: number) => boolean {
  const posix: Record<string, string> = {
    Alpha: '\\p{L}', Digit: '[0-9]', Alnum: '[\\p{L}\\p{Nd}]', Upper: '\\p{Lu}', Lower: '\\p{Ll}', Punct: '[!-\\/:-@\\[-`{-~]',
    Space: '\\s', XDigit: '[0-9a-fA-F]', Cntrl: '\\p{Cc}', Print: '[^\\p{C}]', Graph: '[^\\p{C}\\s]', Blank: '[ \\t]', ASCII: '[\\x00-\\x7F]',
    IsAlphabetic: '\\p{Alphabetic}', IsDigit: '\\p{Nd}', IsLetter: '\\p{L}', IsUppercase: '\\p{Lu}', IsLowercase: '\\p{Ll}',
    IsWhite_Space: '\\s', IsPunctuation: '\\p{P}',
  };
  let src = posix[name];
  if (src === undefined) {
    const prop = name.startsWith('Is') ? name.slice(2) : name.startsWith('In') ? `Script=${name.slice(2)}` : name;
    src = `\\p{${prop}}`;
  }
  let re: RegExp;
  try {
    // A one-character test: no backtracking is possible.
    re = new RegExp(`^${src}$`, 'u');
  } catch {
    throw regexError(`unknown character property "${name}"`, pattern);
  }
  return (cp) => re.test(String.fromCodePoint(cp));
}

const posixClasses: Record<string, [number[], string?]> = {
  alpha: [[], 'Alpha'], digit: [DIGIT_RANGES], alnum: [[], 'Alnum'], upper: [[], 'Upper'], lower: [[], 'Lower'],
  space: [SPACE_RANGES], punct: [[], 'Punct'], xdigit: [[48, 57, 65, 70, 97, 102]], cntrl: [[0, 31, 127, 127]],
  print: [[32, 126]], graph: [[33, 126]], blank: [[9, 9, 32, 32]], word: [WORD_RANGES],
};

// ---------------------------------------------------------------- syntax tree

export type Node =
  | { readonly t: 'set'; readonly set: CharSet; readonly ci: boolean }
  | { readonly t: 'cat'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  | { readonly t: 'rep'; readonly node: Node; readonly min: number; readonly max: number; readonly greedy: boolean }
  | { readonly t: 'group'; readonly node: Node; readonly index: number }
  | { readonly t: 'assert'; readonly kind: AssertKind };

export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'eotnl' | 'mbol' | 'meol' | 'wordb' | 'nwordb';

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

const MAX_REPEAT = 1000;

class Parser {
  pos = 0;
  groups = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw regexError(msg, this.src);
  }

  parse(flags: Flags): Node {
    const n = this.alternation(flags);
    if (this.pos < this.src.length) this.fail(this.src[this.pos] === ')' ? 'unmatched parentheses' : `unexpected "${this.src[this.pos]}"`);
    return n;
  }

  alternation(flags: Flags): Node {
    const items: Node[] = [this.sequence(flags)];
    while (this.src[this.pos] === '|') {
      this.pos++;
      items.push(this.sequence(flags));
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  sequence(flags: Flags): Node {
    const items: Node[] = [];
    const src = this.src;
    while (this.pos < src.length && src[this.pos] !== '|' && src[this.pos] !== ')') {
      // Inline flags change the rest of the enclosing group.
      const fm = /^\(\?([imsx]*)(?:-([imsx]*))?\)/.exec(src.slice(this.pos, this.pos + 12));
      if (fm) {
        for (const c of fm[1]!) if (c !== 'x') flags[c as keyof Flags] = true;
        for (const c of fm[2] ?? '') if (c !== 'x') flags[c as keyof Flags] = false;
        this.pos += fm[0].length;
        continue;
      }
      if (src.startsWith('\\Q', this.pos)) {
        const end = src.indexOf('\\E', this.pos + 2);
        const lit = src.slice(this.pos + 2, end < 0 ? src.length : end);
        this.pos = end < 0 ? src.length : end + 2;
        for (const ch of lit) items.push(this.quantified(literal(ch.codePointAt(0)!, flags.i), flags));
        continue;
      }
      const atom = this.atom(flags);
      items.push(this.quantified(atom, flags));
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  quantified(atom: Node, _flags: Flags): Node {
    let node = atom;
    for (;;) {
      const c = this.src[this.pos];
      let min: number;
      let max: number;
      if (c === '*') { min = 0; max = Infinity; this.pos++; }
      else if (c === '+') { min = 1; max = Infinity; this.pos++; }
      else if (c === '?') { min = 0; max = 1; this.pos++; }
      else if (c === '{') {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos));
        if (!m || (m[1] === '' && m[2] === undefined)) return node; // a literal brace
        if (m[1] === '' && m[3] === '') return node;
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > max) this.fail('invalid repetition count(s)');
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail(`repetition count above ${MAX_REPEAT}`);
        this.pos += m[0].length;
      } else return node;
      let greedy = true;
      if (this.src[this.pos] === '?') { greedy = false; this.pos++; }
      else if (this.src[this.pos] === '+') this.fail('possessive quantifiers are not supported');
      node = { t: 'rep', node, min, max, greedy };
    }
  }

  atom(flags: Flags): Node {
    const src = this.src;
    const c = src[this.pos]!;
    switch (c) {
      case '(': return this.group(flags);
      case '[': return { t: 'set', set: this.charClass(flags), ci: flags.i };
      case '.':
        this.pos++;
        return { t: 'set', set: flags.s ? { ranges: [], preds: [], negated: true } : { ranges: [10, 10], preds: [], negated: true }, ci: false };
      case '^': this.pos++; return { t: 'assert', kind: flags.m ? 'mbol' : 'bol' };
      case '$': this.pos++; return { t: 'assert', kind: flags.m ? 'meol' : 'eotnl' };
      case '\\': return this.escape(flags);
      case '*': case '+': case '?': this.fail(`quantifier "${c}" follows nothing`);
      // eslint-disable-next-line no-fallthrough
      default: {
        const cp = src.codePointAt(this.pos)!;
        this.pos += cp > 0xffff ? 2 : 1;
        return literal(cp, flags.i);
      }
    }
  }

  group(flags: Flags): Node {
    const src = this.src;
    this.pos++;
    let capture = true;
    const inner: Flags = { ...flags };
    if (src[this.pos] === '?') {
      const rest = src.slice(this.pos, this.pos + 4);
      if (rest.startsWith('?:')) { capture = false; this.pos += 2; }
      else if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) this.fail('lookaround is not supported');
      else if (rest.startsWith('?>')) this.fail('atomic groups are not supported');
      else if (rest.startsWith('?<') || rest.startsWith('?P<')) {
        const close = src.indexOf('>', this.pos);
        if (close < 0) this.fail('unterminated group name');
        this.pos = close + 1;
      } else {
        const fm = /^\?([imsx]*)(?:-([imsx]*))?:/.exec(src.slice(this.pos, this.pos + 12));
        if (!fm) this.fail('unknown group construct');
        for (const ch of fm[1]!) if (ch !== 'x') inner[ch as keyof Flags] = true;
        for (const ch of fm[2] ?? '') if (ch !== 'x') inner[ch as keyof Flags] = false;
        capture = false;
        this.pos += fm[0].length;
      }
    }
    const index = capture ? ++this.groups : 0;
    const node = this.alternation(inner);
    if (src[this.pos] !== ')') this.fail('unmatched parentheses');
    this.pos++;
    return capture ? { t: 'group', node, index } : node;
  }

  /** An escape outside a class: classes, anchors or a literal. */
  escape(flags: Flags): Node {
    const src = this.src;
    const c = src[this.pos + 1];
    if (c === undefined) this.fail('trailing backslash');
    switch (c) {
      case 'b': this.pos += 2; return { t: 'assert', kind: 'wordb' };
      case 'B': this.pos += 2; return { t: 'assert', kind: 'nwordb' };
      case 'A': this.pos += 2; return { t: 'assert', kind: 'bot' };
      case 'z': this.pos += 2; return { t: 'assert', kind: 'eot' };
      case 'Z': this.pos += 2; return { t: 'assert', kind: 'eotnl' };
      default: break;
    }
    if (/[1-9]/.test(c) || c === 'k') this.fail('back-references are not supported');
    const set = this.classEscape(true);
    return { t: 'set', set, ci: flags.i };
  }

  /** `\d`, `\w`, `\p{L}`, `\n`, `\x41`, `\.` ... at this.pos (the backslash) as a set. */
  classEscape(outside: boolean): CharSet {
    const src = this.src;
    const c = src[this.pos + 1]!;
    this.pos += 2;
    const set = (ranges: number[], negated = false): CharSet => ({ ranges, preds: [], negated });
    switch (c) {
      case 'd': return set(DIGIT_RANGES);
      case 'D': return set(DIGIT_RANGES, true);
      case 'w': return set(WORD_RANGES);
      case 'W': return set(WORD_RANGES, true);
      case 's': return set(SPACE_RANGES);
      case 'S': return set(SPACE_RANGES, true);
      case 'h': return set([9, 9, 32, 32, 0xa0, 0xa0]);
      case 'v': return set([10, 13]);
      case 'p': case 'P': {
        let name: string;
        if (src[this.pos] === '{') {
          const close = src.indexOf('}', this.pos);
          if (close < 0) this.fail('unterminated \\p{...}');
          name = src.slice(this.pos + 1, close);
          this.pos = close + 1;
        } else {
          name = src[this.pos] ?? '';
          this.pos++;
        }
        return { ranges: [], preds: [propertyPredicate(name, src)], negated: c === 'P' };
      }
      default: break;
    }
    const cp = this.escapedCodePoint(c, outside);
    return set([cp, cp]);
  }

  escapedCodePoint(c: string, _outside: boolean): number {
    const src = this.src;
    switch (c) {
      case 't': return 9;
      case 'n': return 10;
      case 'r': return 13;
      case 'f': return 12;
      case 'a': return 7;
      case 'e': return 27;
      case '0': {
        const m = /^[0-7]{1,3}/.exec(src.slice(this.pos));
        const digits = m ? m[0] : '';
        this.pos += digits.length;
        return digits === '' ? 0 : parseInt(digits, 8);
      }
      case 'x': {
        if (src[this.pos] === '{') {
          const close = src.indexOf('}', this.pos);
          const hex = src.slice(this.pos + 1, close);
          if (close < 0 || !/^[0-9a-fA-F]{1,6}$/.test(hex)) this.fail('invalid \\x{...} escape');
          this.pos = close + 1;
          return parseInt(hex, 16);
        }
        const hex = src.slice(this.pos, this.pos + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('invalid \\x escape');
        this.pos += 2;
        return parseInt(hex, 16);
      }
      case 'u': {
        const hex = src.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        this.pos += 4;
        return parseInt(hex, 16);
      }
      case 'c': {
        const ch = src.charCodeAt(this.pos);
        this.pos++;
        return ch ^ 64;
      }
      default:
        if (/[A-Za-z0-9]/.test(c)) this.fail(`unknown escape "\\${c}"`);
        // Escaped punctuation (and any non-ASCII character) stands for itself.
        this.pos -= 1;
        {
          const cp = src.codePointAt(this.pos)!;
          this.pos += cp > 0xffff ? 2 : 1;
          return cp;
        }
    }
  }

  charClass(_flags: Flags): CharSet {
    const src = this.src;
    this.pos++; // [
    let negated = false;
    if (src[this.pos] === '^') { negated = true; this.pos++; }
    const ranges: number[] = [];
    const preds: ((cp: number) => boolean)[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= src.length) this.fail('brackets [] not balanced');
      const c = src[this.pos]!;
      if (c === ']' && !first) { this.pos++; break; }
      first = false;
      if (c === '[') {
        const pm = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.pos));
        if (pm) {
          const spec = posixClasses[pm[2]!];
          if (spec === undefined) this.fail(`unknown character class "${pm[2]}"`);
          const [r, prop] = spec;
          if (pm[1] === '^') this.fail('negated POSIX classes are not supported');
          ranges.push(...r);
          if (prop !== undefined) preds.push(propertyPredicate(prop, src));
          this.pos += pm[0].length;
          continue;
        }
        this.fail('nested character classes are not supported');
      }
      if (c === '&' && src[this.pos + 1] === '&') this.fail('character class intersection is not supported');
      let lo: number;
      if (c === '\\') {
        const sub = this.classEscape(false);
        if (sub.preds.length > 0 || sub.negated || sub.ranges.length !== 2 || sub.ranges[0] !== sub.ranges[1]) {
          // \d, \w, \p{..} inside a class: merged as a predicate when negated.
          if (sub.negated) {
            const t = compileCharSet(sub, false);
            preds.push(t);
          } else {
            ranges.push(...sub.ranges);
            preds.push(...sub.preds);
          }
          continue;
        }
        lo = sub.ranges[0]!;
      } else {
        lo = src.codePointAt(this.pos)!;
        this.pos += lo > 0xffff ? 2 : 1;
      }
      if (src[this.pos] === '-' && src[this.pos + 1] !== ']' && this.pos + 1 < src.length) {
        this.pos++;
        let hi: number;
        if (src[this.pos] === '\\') {
          const sub = this.classEscape(false);
          if (sub.ranges.length !== 2 || sub.ranges[0] !== sub.ranges[1] || sub.preds.length > 0) this.fail('invalid character range');
          hi = sub.ranges[0]!;
        } else {
          hi = src.codePointAt(this.pos)!;
          this.pos += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) this.fail('invalid character range');
        ranges.push(lo, hi);
      } else {
        ranges.push(lo, lo);
      }
    }
    return { ranges, preds, negated };
  }
}

export function literal(cp: number, ci: boolean): Node {
  return { t: 'set', set: { ranges: [cp, cp], preds: [], negated: false }, ci };
}

/** Parses a Java-style pattern into a syntax tree (group 0 not included). */
export function parseRegex(pattern: string, caseInsensitive = false, dotAll = false, multiline = false): { node: Node; groups: number } {
  const p = new Parser(pattern);
  const node = p.parse({ i: caseInsensitive, s: dotAll, m: multiline });
  return { node, groups: p.groups };
}

// ---------------------------------------------------------------- program

const CHAR = 0;
const MATCH = 1;
const JMP = 2;
const SPLIT = 3;
const SAVE = 4;
const ASSERT = 5;

/** Largest program accepted; bounds both compile time and the per-character work. */
const MAX_PROGRAM = 20_000;

interface Program {
  op: number[];
  a: number[];
  b: number[];
  tests: CharTest[];
  asserts: AssertKind[];
}

class Compiler {
  readonly prog: Program = { op: [], a: [], b: [], tests: [], asserts: [] };
  private readonly testCache = new Map<Node, number>();

  constructor(readonly pattern: string) {}

  emit(op: number, a = 0, b = 0): number {
    const p = this.prog;
    if (p.op.length >= MAX_PROGRAM) throw regexError('pattern is too complex', this.pattern);
    p.op.push(op);
    p.a.push(a);
    p.b.push(b);
    return p.op.length - 1;
  }

  node(n: Node): void {
    const p = this.prog;
    switch (n.t) {
      case 'set': {
        let idx = this.testCache.get(n);
        if (idx === undefined) {
          idx = p.tests.length;
          p.tests.push(compileCharSet(n.set, n.ci));
          this.testCache.set(n, idx);
        }
        this.emit(CHAR, idx);
        return;
      }
      case 'cat':
        for (const it of n.items) this.node(it);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let i = 0; i < n.items.length; i++) {
          if (i < n.items.length - 1) {
            const split = this.emit(SPLIT);
            p.a[split] = split + 1;
            this.node(n.items[i]!);
            jumps.push(this.emit(JMP));
            p.b[split] = p.op.length;
          } else {
            this.node(n.items[i]!);
          }
        }
        for (const j of jumps) p.a[j] = p.op.length;
        return;
      }
      case 'group':
        this.emit(SAVE, 2 * n.index);
        this.node(n.node);
        this.emit(SAVE, 2 * n.index + 1);
        return;
      case 'assert':
        p.asserts.push(n.kind);
        this.emit(ASSERT, p.asserts.length - 1);
        return;
      case 'rep': {
        for (let i = 0; i < n.min; i++) this.node(n.node);
        if (n.max === Infinity) {
          const split = this.emit(SPLIT);
          this.node(n.node);
          this.emit(JMP, split);
          const out = p.op.length;
          if (n.greedy) { p.a[split] = split + 1; p.b[split] = out; } else { p.a[split] = out; p.b[split] = split + 1; }
          return;
        }
        const splits: number[] = [];
        for (let i = n.min; i < n.max; i++) {
          const split = this.emit(SPLIT);
          splits.push(split);
          this.node(n.node);
        }
        const out = p.op.length;
        for (const s of splits) {
          if (n.greedy) { p.a[s] = s + 1; p.b[s] = out; } else { p.a[s] = out; p.b[s] = s + 1; }
        }
        return;
      }
    }
  }
}

function isWord(cp: number): boolean {
  return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;
}

function checkAssert(kind: AssertKind, s: string, pos: number): boolean {
  const n = s.length;
  switch (kind) {
    case 'bol': case 'bot': return pos === 0;
    case 'eot': return pos === n;
    case 'eol': case 'eotnl': return pos === n || (pos === n - 1 && s.charCodeAt(pos) === 10);
    case 'mbol': return pos === 0 || s.charCodeAt(pos - 1) === 10;
    case 'meol': return pos === n || s.charCodeAt(pos) === 10;
    case 'wordb': case 'nwordb': {
      const before = pos > 0 && isWord(s.charCodeAt(pos - 1));
      const after = pos < n && isWord(s.charCodeAt(pos));
      return (before !== after) === (kind === 'wordb');
    }
  }
}


/** A state of the lazy DFA: the NFA threads alive after some input, and its memoised transitions. */
interface DState {
  readonly pcs: readonly number[];
  readonly match: boolean;
  /** End-of-text assertions waiting for the end of the input. */
  readonly pending: readonly number[];
  readonly ascii: (DState | undefined)[];
  readonly other: Map<number, DState>;
}

const MAX_DFA_STATES = 4096;

/**
 * A lazily built DFA for yes/no matching (REGEXP, SIMILAR TO, and a pre-filter before capture
 * matching). Each state is a set of NFA program counters; transitions are computed on first use
 * and cached, so repeated matching costs one table lookup per character. Only used for programs
 * whose assertions are start/end of text; others run on the Pike VM alone.
 */
class LazyDfa {
  private states = new Map<string, DState>();
  private start!: DState;
  private later: readonly number[] = [];
  private readonly mark: Uint32Array;
  private gen = 1;

  constructor(private readonly prog: Program) {
    this.mark = new Uint32Array(prog.op.length);
    this.reset();
  }

  static supports(prog: Program): boolean {
    return prog.asserts.every((k) => k === 'bot' || k === 'bol' || k === 'eot' || k === 'eotnl' || k === 'eol');
  }

  private reset(): void {
    this.states.clear();
    this.later = this.closure([0], false).sort((a, b) => a - b);
    this.start = this.make(this.closure([0], true));
  }

  /** Program counters reachable without input from `seeds`; start-of-text holds only when `atStart`. */
  private closure(seeds: readonly number[], atStart: boolean): number[] {
    const prog = this.prog;
    const out: number[] = [];
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.mark.fill(0);
      this.gen = 1;
    }
    const stack = [...seeds];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (this.mark[pc] === this.gen) continue;
      this.mark[pc] = this.gen;
      switch (prog.op[pc]) {
        case JMP: stack.push(prog.a[pc]!); break;
        case SPLIT: stack.push(prog.b[pc]!, prog.a[pc]!); break;
        case SAVE: stack.push(pc + 1); break;
        case ASSERT: {
          const k = prog.asserts[prog.a[pc]!]!;
          if (k === 'bot' || k === 'bol') {
            if (atStart) stack.push(pc + 1);
          } else out.push(pc); // end assertions wait for the end of the input
          break;
        }
        default: out.push(pc);
      }
    }
    return out;
  }

  private make(pcs: number[]): DState {
    pcs.sort((a, b) => a - b);
    const key = pcs.join(',');
    let st = this.states.get(key);
    if (st === undefined) {
      const prog = this.prog;
      const live: number[] = [];
      const pending: number[] = [];
      let match = false;
      for (const pc of pcs) {
        if (prog.op[pc] === MATCH) match = true;
        else if (prog.op[pc] === ASSERT) pending.push(pc);
        else live.push(pc);
      }
      st = { pcs: live, match, pending, ascii: new Array<DState | undefined>(128), other: new Map() };
      this.states.set(key, st);
    }
    return st;
  }

  private step(st: DState, cp: number): DState {
    const prog = this.prog;
    const seeds: number[] = [];
    for (const pc of st.pcs) if (prog.tests[prog.a[pc]!]!(cp)) seeds.push(pc + 1);
    const next = this.closure(seeds, false);
    for (const pc of this.later) next.push(pc);
    const unique = [...new Set(next)];
    const ns = this.make(unique);
    if (cp < 128) st.ascii[cp] = ns;
    else st.other.set(cp, ns);
    return ns;
  }

  /** Whether a pending end assertion, taken at the end of the input, leads to a match. */
  private endMatches(st: DState, atStart: boolean, beforeFinalNewline: boolean): boolean {
    const prog = this.prog;
    for (const pc of st.pending) {
      const k = prog.asserts[prog.a[pc]!]!;
      if (beforeFinalNewline && k === 'eot') continue;
      const after = this.closure([pc + 1], atStart);
      for (const q of after) {
        if (prog.op[q] === MATCH) return true;
        if (prog.op[q] === ASSERT && !beforeFinalNewline) {
          const k2 = prog.asserts[prog.a[q]!]!;
          if (k2 === 'eot' || k2 === 'eotnl' || k2 === 'eol') {
            if (this.closure([q + 1], atStart).some((r) => prog.op[r] === MATCH)) return true;
          }
        }
      }
    }
    return false;
  }

  test(s: string): boolean {
    if (this.states.size > MAX_DFA_STATES) this.reset();
    let st = this.start;
    const n = s.length;
    for (let pos = 0; pos < n; pos++) {
      if (st.match) return true;
      if (st.pending.length > 0 && pos === n - 1 && s.charCodeAt(pos) === 10 && this.endMatches(st, pos === 0, true)) return true;
      if (st.pcs.length === 0 && this.later.length === 0) return false;
      let cp = s.charCodeAt(pos);
      if (cp >= 0xd800 && cp <= 0xdbff && pos + 1 < n) {
        const lo = s.charCodeAt(pos + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
          pos++;
        }
      }
      const next = cp < 128 ? st.ascii[cp] : st.other.get(cp);
      st = next ?? this.step(st, cp);
    }
    return st.match || (st.pending.length > 0 && this.endMatches(st, n === 0, false));
  }
}

/** Thread list of the Pike VM: program counters in priority order with their captures. */
class ThreadList {
  readonly pcs: Int32Array;
  readonly caps: (number[] | null)[];
  size = 0;
  readonly mark: Uint32Array;
  gen = 1;
  constructor(n: number) {
    this.pcs = new Int32Array(n);
    this.caps = new Array<number[] | null>(n).fill(null);
    this.mark = new Uint32Array(n);
  }
  reset(): void {
    this.size = 0;
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.mark.fill(0);
      this.gen = 1;
    }
  }
}

class PikeVm implements Regex {
  private readonly clist: ThreadList;
  private readonly nlist: ThreadList;
  private readonly nslots: number;
  /** Literal text every match starts with, for skipping ahead with indexOf. */
  private readonly prefix: string;

  /** Yes/no matcher, when the program's assertions allow one. */
  private readonly dfa: LazyDfa | undefined;

  constructor(private readonly prog: Program, readonly groupCount: number, prefix: string) {
    const n = prog.op.length;
    this.dfa = LazyDfa.supports(prog) ? new LazyDfa(prog) : undefined;
    this.clist = new ThreadList(n);
    this.nlist = new ThreadList(n);
    this.nslots = 2 * (groupCount + 1);
    this.prefix = prefix;
  }

  private add(list: ThreadList, pc: number, caps: number[] | null, s: string, pos: number): void {
    const prog = this.prog;
    for (;;) {
      if (list.mark[pc] === list.gen) return;
      list.mark[pc] = list.gen;
      switch (prog.op[pc]) {
        case JMP:
          pc = prog.a[pc]!;
          continue;
        case SPLIT:
          this.add(list, prog.a[pc]!, caps, s, pos);
          pc = prog.b[pc]!;
          continue;
        case SAVE:
          if (caps !== null) {
            const slot = prog.a[pc]!;
            if (slot < this.nslots) {
              caps = caps.slice();
              caps[slot] = pos;
            }
          }
          pc++;
          continue;
        case ASSERT:
          if (!checkAssert(prog.asserts[prog.a[pc]!]!, s, pos)) return;
          pc++;
          continue;
        default:
          list.pcs[list.size] = pc;
          list.caps[list.size] = caps;
          list.size++;
          return;
      }
    }
  }

  private run(s: string, from: number, wantCaps: boolean): number[] | null {
    const prog = this.prog;
    let clist = this.clist;
    let nlist = this.nlist;
    clist.reset();
    nlist.reset();
    const n = s.length;
    let matched: number[] | null = null;
    const init = wantCaps ? new Array<number>(this.nslots).fill(-1) : null;
    let pos = from;
    for (;;) {
      if (matched === null) {
        if (clist.size === 0 && this.prefix !== '') {
          const at = s.indexOf(this.prefix, pos);
          if (at < 0) break;
          pos = at;
        }
        this.add(clist, 0, init, s, pos);
      }
      if (clist.size === 0) {
        if (matched !== null || pos >= n) break;
      }
      let cp = -1;
      let width = 1;
      if (pos < n) {
        cp = s.charCodeAt(pos);
        if (cp >= 0xd800 && cp <= 0xdbff && pos + 1 < n) {
          const lo = s.charCodeAt(pos + 1);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
            width = 2;
          }
        }
      }
      nlist.reset();
      for (let i = 0; i < clist.size; i++) {
        const pc = clist.pcs[i]!;
        if (prog.op[pc] === MATCH) {
          matched = clist.caps[i] ?? [];
          if (!wantCaps) return matched;
          break; // lower-priority threads are cut
        }
        if (cp >= 0 && prog.tests[prog.a[pc]!]!(cp)) this.add(nlist, pc + 1, clist.caps[i]!, s, pos + width);
      }
      const tmp = clist;
      clist = nlist;
      nlist = tmp;
      if (pos >= n) {
        // Threads added at the end still need their MATCH checked.
        for (let i = 0; i < clist.size; i++) {
          if (prog.op[clist.pcs[i]!] === MATCH) return clist.caps[i] ?? [];
        }
        break;
      }
      pos += width;
    }
    return matched;
  }

  exec(input: string, from = 0): number[] | null {
    // Most inputs do not match: the DFA says so without tracking captures.
    if (from === 0 && this.dfa !== undefined && !this.dfa.test(input)) return null;
    return this.run(input, from, true);
  }

  test(input: string): boolean {
    if (this.dfa !== undefined) return this.dfa.test(input);
    return this.run(input, 0, false) !== null;
  }
}

/** The literal characters every match must begin with (for an indexOf skip), if any. */
function literalPrefix(node: Node): string {
  const first = node.t === 'group' ? node.node : node;
  const items = first.t === 'cat' ? first.items : [first];
  let out = '';
  for (const it of items) {
    const inner = it.t === 'group' ? it.node : it;
    if (inner.t !== 'set' || inner.ci || inner.set.negated || inner.set.preds.length > 0) break;
    const r = inner.set.ranges;
    if (r.length !== 2 || r[0] !== r[1]) break;
    out += String.fromCodePoint(r[0]!);
    if (it.t === 'group') break;
  }
  return out;
}

/** Compiles a syntax tree (from parseRegex or a SIMILAR TO translation) into a matcher. */
export function compileNode(node: Node, groups: number, pattern: string): Regex {
  const c = new Compiler(pattern);
  c.emit(SAVE, 0);
  c.node(node);
  c.emit(SAVE, 1);
  c.emit(MATCH);
  return new PikeVm(c.prog, groups, literalPrefix(node));
}

/**
 * Compiles a Java-style pattern. `flags`: `i` case-insensitive, `s` dot matches newline,
 * `m` multi-line anchors. Throws 2201B for invalid or unsupported syntax.
 *
 * @example compileRegex('(\\d+)-(\\d+)').exec('tel 12-34') // [4, 9, 4, 6, 7, 9]
 */
export function compileRegex(pattern: string, flags = ''): Regex {
  const { node, groups } = parseRegex(pattern, flags.includes('i'), flags.includes('s'), flags.includes('m'));
  return compileNode(node, groups, pattern);
}

/** Parses a bracket expression `[...]` starting at `pos` (for SIMILAR TO); returns the set and the index after `]`. */
export function parseBracketExpression(src: string, pos: number): { set: CharSet; end: number } {
  const p = new Parser(src);
  p.pos = pos;
  const set = p.charClass({ i: false, s: false, m: false });
  return { set, end: p.pos };
}
