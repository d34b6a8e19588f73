// SIMILAR TO: the SQL-standard pattern language translated to the linear-time regex engine.
//
// `%` is any sequence, `_` any one character, `|` `*` `+` `?` `{m,n}` `( )` and `[...]` are as in
// regular expressions, every other character (including `.`, `^`, `$`) is literal, and the
// pattern must match the whole string. The escape character (default backslash, as PostgreSQL)
// makes the next character literal.

import { SqlError, SqlState } from '../../../common/errors.js';
import type { Node } from './regex.js';
import { compileNode, literal, parseBracketExpression, regexError } from './regex.js';

const anyChar: Node = { t: 'set', set: { ranges: [], preds: [], negated: true }, ci: false };

/**
 * Compiles a SIMILAR TO pattern to a whole-string matcher.
 *
 * @example compileSimilar('(a|b)%')('bcd') // true
 */
export function compileSimilar(pattern: string, escape = '\\'): (s: string) => boolean {
  if ([...escape].length > 1) {
    throw new SqlError(SqlState.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  }
  let pos = 0;
  let groups = 0;
  const src = pattern;

  const alternation = (): Node => {
    const items: Node[] = [sequence()];
    while (src[pos] === '|') {
      pos++;
      items.push(sequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  };

  const sequence = (): Node => {
    const items: Node[] = [];
    while (pos < src.length && src[pos] !== '|' && src[pos] !== ')') {
      let atom: Node;
      const c = src[pos]!;
      if (escape !== '' && src.startsWith(escape, pos)) {
        pos += escape.length;
        if (pos >= src.length) throw new SqlError(SqlState.invalidEscapeSequence, 'SIMILAR TO pattern must not end with escape character');
        const cp = src.codePointAt(pos)!;
        pos += cp > 0xffff ? 2 : 1;
        atom = literal(cp, false);
      } else if (c === '%') {
        pos++;
        atom = { t: 'rep', node: anyChar, min: 0, max: Infinity, greedy: true };
      } else if (c === '_') {
        pos++;
        atom = anyChar;
      } else if (c === '(') {
        pos++;
        const inner = alternation();
        if (src[pos] !== ')') throw regexError('unmatched parentheses', pattern);
        pos++;
        atom = { t: 'group', node: inner, index: ++groups };
      } else if (c === '[') {
        const r = parseBracketExpression(src, pos);
        pos = r.end;
        atom = { t: 'set', set: r.set, ci: false };
      } else if (c === '*' || c === '+' || c === '?') {
        throw regexError(`quantifier "${c}" follows nothing`, pattern);
      } else {
        const cp = src.codePointAt(pos)!;
        pos += cp > 0xffff ? 2 : 1;
        atom = literal(cp, false);
      }
      // Quantifiers.
      for (;;) {
        const q = src[pos];
        if (q === '*') { pos++; atom = { t: 'rep', node: atom, min: 0, max: Infinity, greedy: true }; }
        else if (q === '+') { pos++; atom = { t: 'rep', node: atom, min: 1, max: Infinity, greedy: true }; }
        else if (q === '?') { pos++; atom = { t: 'rep', node: atom, min: 0, max: 1, greedy: true }; }
        else if (q === '{') {
          const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(pos));
          if (!m) throw regexError('invalid repetition count(s)', pattern);
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
          if (min > max || min > 1000 || (max !== Infinity && max > 1000)) throw regexError('invalid repetition count(s)', pattern);
          pos += m[0].length;
          atom = { t: 'rep', node: atom, min, max, greedy: true };
        } else break;
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  };

  const body = alternation();
  if (pos < src.length) throw regexError('unmatched parentheses', pattern);
  const anchored: Node = { t: 'cat', items: [{ t: 'assert', kind: 'bot' }, body, { t: 'assert', kind: 'eot' }] };
  const re = compileNode(anchored, groups, pattern);
  return (s) => re.test(s);
}
