// Pattern matching: LIKE, ILIKE, SIMILAR TO and the REGEXP family, all in linear time (see pattern/).
//
// Constant patterns are compiled once per call site; patterns that vary per row go through a
// small per-site cache. A pattern that fails to compile raises its error (2201B, 22025) when
// the call is first evaluated with non-NULL arguments, not when the query is planned.

import type { Value } from '../../../common/value.js';
import { compileLike } from '../pattern/like.js';
import type { Regex } from '../pattern/regex.js';
import { compileRegex } from '../pattern/regex.js';
import { compileSimilar } from '../pattern/similar.js';
import type { CallSite, Evaluator, FunctionTable } from './table.js';
import { strict2, strict3, strictN } from './table.js';

const CACHE_LIMIT = 64;

/**
 * A compile-once function for patterns: constant arguments compile at once (errors deferred to
 * the first evaluation), others through a per-site cache keyed by the pattern text.
 */
function cachedCompiler<T>(site: CallSite, patternArgs: readonly number[], compile: (...parts: string[]) => T): (...parts: string[]) => T {
  const allConst = patternArgs.every((i) => site.consts[i] !== undefined && site.consts[i]!.value !== null);
  if (allConst) {
    const parts = patternArgs.map((i) => site.consts[i]!.value as string);
    let compiled: T | undefined;
    let error: unknown;
    try {
      compiled = compile(...parts);
    } catch (e) {
      error = e;
    }
    return () => {
      if (compiled === undefined) throw error;
      return compiled;
    };
  }
  const cache = new Map<string, T>();
  return (...parts) => {
    const key = parts.join('\u0000');
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = compile(...parts);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
}

function like(caseInsensitive: boolean) {
  return (site: CallSite): Evaluator => {
    if (site.evals.length === 2) {
      const get = cachedCompiler(site, [1], (p) => compileLike(p, '\\', caseInsensitive));
      return strict2(site, (s: string, p: string) => get(p)(s));
    }
    const get = cachedCompiler(site, [1, 2], (p, e) => compileLike(p, e, caseInsensitive));
    return strict3(site, (s: string, p: string, e: string) => get(p, e)(s));
  };
}

function similar(site: CallSite): Evaluator {
  if (site.evals.length === 2) {
    const get = cachedCompiler(site, [1], (p) => compileSimilar(p));
    return strict2(site, (s: string, p: string) => get(p)(s));
  }
  const get = cachedCompiler(site, [1, 2], (p, e) => compileSimilar(p, e));
  return strict3(site, (s: string, p: string, e: string) => get(p, e)(s));
}

function regexCompiler(site: CallSite, patternIndex: number, flagsIndex?: number): (p: string, flags?: string) => Regex {
  const idx = flagsIndex !== undefined && site.evals.length > flagsIndex ? [patternIndex, flagsIndex] : [patternIndex];
  const get = cachedCompiler(site, idx, (p, f) => compileRegex(p, (f ?? '').replace(/[gcn]/g, '')));
  return (p, f) => (f === undefined ? get(p) : get(p, f));
}

/** REGEXP_EXTRACT(s, re [, group]): the group (0 = whole match) of the first match; NULL if none. */
function regexpExtract(site: CallSite): Evaluator {
  const re = regexCompiler(site, 1);
  const extract = (s: string, p: string, g: number): Value => {
    const r = re(p);
    if (g < 0 || g > r.groupCount) return null;
    const m = r.exec(s);
    if (m === null) return null;
    const start = m[2 * g]!;
    const end = m[2 * g + 1]!;
    return start < 0 || end < 0 ? null : s.slice(start, end);
  };
  if (site.evals.length === 2) return strict2(site, (s: string, p: string) => extract(s, p, 0));
  return strict3(site, extract);
}

/**
 * Expands a replacement: `$n` / `${n}` (Java, Flink) and `\n` / `\&` (PostgreSQL) insert groups,
 * `\\` and `\$` are literal.
 */
function expandReplacement(rep: string, s: string, m: readonly number[], groups: number): string {
  if (!rep.includes('$') && !rep.includes('\\')) return rep;
  let out = '';
  const group = (g: number): string => {
    if (g > groups) return '';
    const a = m[2 * g]!;
    const b = m[2 * g + 1]!;
    return a < 0 ? '' : s.slice(a, b);
  };
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\' && i + 1 < rep.length) {
      const d = rep[i + 1]!;
      if (d >= '0' && d <= '9') out += group(Number(d));
      else if (d === '&') out += group(0);
      else out += d;
      i++;
    } else if (c === '$' && i + 1 < rep.length) {
      const braced = /^\{(\d+)\}/.exec(rep.slice(i + 1));
      if (braced) {
        out += group(Number(braced[1]));
        i += braced[0].length;
      } else if (rep[i + 1]! >= '0' && rep[i + 1]! <= '9') {
        out += group(Number(rep[i + 1]));
        i++;
      } else out += c;
    } else out += c;
  }
  return out;
}

function replaceWith(r: Regex, s: string, rep: string, global: boolean): string {
  let out = '';
  let last = 0;
  let from = 0;
  while (from <= s.length) {
    const m = r.exec(s, from);
    if (m === null) break;
    const start = m[0]!;
    const end = m[1]!;
    out += s.slice(last, start) + expandReplacement(rep, s, m, r.groupCount);
    last = end;
    if (!global) break;
    if (end === start) {
      // An empty match: copy one character and move on.
      if (end < s.length) {
        const cp = s.codePointAt(end)!;
        const w = cp > 0xffff ? 2 : 1;
        out += s.slice(end, end + w);
        last = end + w;
        from = end + w;
      } else break;
    } else from = end;
  }
  return out + s.slice(last);
}

/** REGEXP_REPLACE(s, re, rep): every match (Flink); with a 4th `flags` argument PostgreSQL's rules: first match unless 'g'. */
function regexpReplace(site: CallSite): Evaluator {
  if (site.evals.length === 3) {
    const re = regexCompiler(site, 1);
    return strict3(site, (s: string, p: string, rep: string) => replaceWith(re(p), s, rep, true));
  }
  const re = regexCompiler(site, 1, 3);
  return strictN(site, (args: readonly never[]) => {
    const [s, p, rep, flags] = args as unknown as [string, string, string, string];
    return replaceWith(re(p, flags), s, rep, flags.includes('g'));
  });
}

function regexpLike(site: CallSite): Evaluator {
  if (site.evals.length === 2) {
    const re = regexCompiler(site, 1);
    return strict2(site, (s: string, p: string) => re(p).test(s));
  }
  const re = regexCompiler(site, 1, 2);
  return strict3(site, (s: string, p: string, f: string) => re(p, f).test(s));
}

function regexpCount(site: CallSite): Evaluator {
  const re = regexCompiler(site, 1);
  return strict2(site, (s: string, p: string) => {
    const r = re(p);
    let n = 0;
    let from = 0;
    while (from <= s.length) {
      const m = r.exec(s, from);
      if (m === null) break;
      n++;
      from = m[1] === m[0] ? m[1]! + 1 : m[1]!;
    }
    return n;
  });
}

function regexpSubstr(site: CallSite): Evaluator {
  const re = regexCompiler(site, 1);
  return strict2(site, (s: string, p: string) => {
    const m = re(p).exec(s);
    return m === null ? null : s.slice(m[0], m[1]);
  });
}

export function registerRegex(t: FunctionTable): void {
  t.set('like', like(false));
  t.set('ilike', like(true));
  t.set('similar_to', similar);
  t.set('regexp_extract', regexpExtract);
  t.set('regexp_replace', regexpReplace);
  t.set('regexp', regexpLike);
  t.set('regexp_count', regexpCount);
  t.set('regexp_substr', regexpSubstr);
}
