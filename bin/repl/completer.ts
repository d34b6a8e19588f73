// Tab completion for the REPL: SQL keywords, relation names where a relation goes, column names of the relations in the statement.

import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS, TIME_UNIT_KEYWORDS } from '../../parser/lexer/keywords.js';
import type { RelationKind } from '../../planner/binder/catalog-reader.js';
import { endsAtTopLevel } from './line-accumulator.js';
import { META_COMMAND_NAMES } from './meta-command.js';

/** What completion reads of the catalog (the engine's Catalog has it). */
export interface CompletionCatalog {
  relationNames(): readonly string[];
  relation(name: string): { readonly kind: RelationKind; readonly columns: readonly { readonly name: string }[] } | undefined;
}

export interface CompletionContext {
  /** The unfinished statement typed on earlier lines. */
  readonly buffer?: string;
  /** The rest of the current line after the cursor (relations named there count too). */
  readonly lineAfterCursor?: string;
  /** Entries of a directory (a trailing `/` marks folders), for `\i FILE`; none when absent. */
  readonly listFiles?: (dir: string) => readonly string[];
}

/** readline's completer answer: the candidates, and the text before the cursor they replace. */
export type Completion = [string[], string];

const KEYWORDS: readonly string[] = [...new Set<string>([...RESERVED_KEYWORDS, ...NON_RESERVED_KEYWORDS, ...TIME_UNIT_KEYWORDS])].sort();
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const RESERVED_SET: ReadonlySet<string> = new Set<string>(RESERVED_KEYWORDS);

/** Words after which a relation name goes (with the words before them that make it a new name instead). */
const RELATION_WORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'DESCRIBE', 'TABLE', 'VIEW', 'SUBSCRIBE', 'TO', 'EXISTS']);

const IDENT = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)`;
/** At the end of the text before the cursor: an optional `qualifier.` and the word being typed. */
const WORD_AT_END = new RegExp(String.raw`((?:${IDENT}\.)*)("(?:[^"]|"")*|[A-Za-z_][A-Za-z0-9_$]*|)$`);

/** An identifier as SQL must write it: bare when it folds to itself and is not reserved, else double-quoted. */
export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED_SET.has(name.toUpperCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** The canonical name of an identifier as written: quoted ones as they are, bare ones folded to lower case. */
function canonical(written: string): string {
  return written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written.toLowerCase();
}

/** Candidates for `word` among `names`, each starting with `word` exactly (readline inserts only what follows it). */
function nameCandidates(word: string, names: Iterable<string>): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (word.startsWith('"')) {
      const written = `"${name.replace(/"/g, '""')}"`;
      if (written.startsWith(word)) out.push(written);
      continue;
    }
    const written = quoteIdentifier(name);
    if (written.startsWith('"')) {
      if (word === '') out.push(written);
    } else if (written.startsWith(word.toLowerCase())) {
      out.push(word + written.slice(word.length));
    }
  }
  return out;
}

/** Keywords starting with `word`, in its case (upper case unless the word is typed in lower case). */
function keywordCandidates(word: string): string[] {
  if (word.startsWith('"')) return [];
  const upper = word.toUpperCase();
  const lower = /[a-z]/.test(word);
  return KEYWORDS.filter((k) => k.startsWith(upper)).map((k) => word + (lower ? k.toLowerCase() : k).slice(word.length));
}

/** Relation names the text mentions, with the aliases given to them (`FROM bids b`, `JOIN t AS x`). */
function mentionedRelations(text: string, catalog: CompletionCatalog): Map<string, string> {
  const known = new Set(catalog.relationNames());
  const byName = new Map<string, string>();
  const identifiers = new RegExp(IDENT, 'g');
  for (const m of text.matchAll(identifiers)) {
    const name = canonical(m[0]);
    if (known.has(name)) byName.set(name, name);
  }
  // The alias is looked at ahead, so that every identifier gets its turn as a relation.
  const aliased = new RegExp(String.raw`(${IDENT})(?=\s+(?:AS\s+)?(${IDENT}))`, 'gi');
  for (const m of text.matchAll(aliased)) {
    const relation = canonical(m[1]!);
    const alias = m[2]!;
    if (known.has(relation) && (alias.startsWith('"') || !KEYWORD_SET.has(alias.toUpperCase()))) byName.set(canonical(alias), relation);
  }
  return byName;
}

function columnsOf(catalog: CompletionCatalog, relations: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const r of relations) for (const c of catalog.relation(r)?.columns ?? []) out.add(c.name);
  return [...out];
}

function userRelations(catalog: CompletionCatalog, kinds?: readonly RelationKind[]): string[] {
  return catalog.relationNames().filter((n) => {
    const kind = catalog.relation(n)?.kind;
    return kinds === undefined ? kind !== 'SYSTEM TABLE' : kind !== undefined && kinds.includes(kind);
  });
}

/** `CREATE [OR REPLACE] [MATERIALIZED|TEMPORARY] TABLE|VIEW` names a new relation (but `SHOW CREATE TABLE` an existing one). */
function namesNewRelation(words: readonly string[]): boolean {
  const recent = words.slice(-5, -1).map((w) => w.toUpperCase());
  const create = recent.lastIndexOf('CREATE');
  if (create < 0) return false;
  const before = create > 0 ? recent[create - 1] : (words.at(-6) ?? '').toUpperCase();
  return before !== 'SHOW';
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function completeMeta(line: string, catalog: CompletionCatalog, context: CompletionContext): Completion | undefined {
  const name = /^\s*(\\\S*)$/.exec(line);
  if (name) {
    const typed = name[1]!;
    return [META_COMMAND_NAMES.filter((c) => c.startsWith(typed)), typed];
  }
  const relation = /^\s*\\d([tvmS]?)\s+(\S*)$/.exec(line);
  if (relation) {
    const word = relation[2]!;
    const kinds: Record<string, readonly RelationKind[]> = { t: ['TABLE'], v: ['VIEW'], m: ['MATERIALIZED VIEW'], S: ['SYSTEM TABLE'] };
    const names = relation[1] === '' ? catalog.relationNames() : userRelations(catalog, kinds[relation[1]!]);
    return [sorted(nameCandidates(word, names)), word];
  }
  const file = /^\s*\\(?:i|ir|include|include_relative)\s+(\S*)$/.exec(line);
  if (file) {
    const typed = file[1]!;
    const slash = typed.lastIndexOf('/');
    const dir = slash < 0 ? '' : typed.slice(0, slash + 1);
    const entries = context.listFiles?.(dir === '' ? '.' : dir) ?? [];
    return [sorted(entries.map((e) => dir + e).filter((e) => e.startsWith(typed))), typed];
  }
  return undefined;
}

/**
 * Completes the word before the cursor.
 *
 * @example
 *   complete('SELECT * FROM bi', catalog)   // [['bids'], 'bi']
 *   complete('sel', catalog)                // [['select'], 'sel']
 *   complete('SELECT b.pr', catalog, { lineAfterCursor: ' FROM bids b' })   // [['b.price'], 'b.pr']
 */
export function complete(lineBeforeCursor: string, catalog: CompletionCatalog, context: CompletionContext = {}): Completion {
  const buffer = context.buffer ?? '';
  const atLineStart = buffer === '' || endsAtTopLevel(`${buffer}\n`);
  if (atLineStart && /^\s*\\/.test(lineBeforeCursor)) return completeMeta(lineBeforeCursor, catalog, context) ?? [[], ''];

  const m = WORD_AT_END.exec(lineBeforeCursor);
  const qualifier = m?.[1] ?? '';
  const word = m?.[2] ?? '';
  const start = lineBeforeCursor.length - qualifier.length - word.length;
  const before = `${buffer}${buffer === '' ? '' : '\n'}${lineBeforeCursor.slice(0, start)}`;
  // Nothing to complete inside a string or a comment, or right after a digit (a number).
  if (!endsAtTopLevel(before) || /[0-9]$/.test(before)) return [[], word];

  const text = `${before}${qualifier}${word}${context.lineAfterCursor ?? ''}`;
  if (qualifier !== '') {
    // `alias.col` or `relation.col`: the columns of that one relation.
    const parts = qualifier.slice(0, -1).match(new RegExp(IDENT, 'g')) ?? [];
    const owner = canonical(parts.at(-1) ?? '');
    const relation = mentionedRelations(text, catalog).get(owner) ?? (catalog.relation(owner) ? owner : undefined);
    const columns = relation === undefined ? [] : columnsOf(catalog, [relation]);
    return [sorted(nameCandidates(word, columns).map((c) => qualifier + c)), qualifier + word];
  }

  const words = before.match(/[A-Za-z_][A-Za-z0-9_$]*|\S/g) ?? [];
  const previous = (words.at(-1) ?? '').toUpperCase();
  const second = (words.at(-2) ?? '').toUpperCase();
  if (RELATION_WORDS.has(previous)) {
    if ((previous === 'TABLE' || previous === 'VIEW') && namesNewRelation(words)) return [[], word];
    if (previous === 'TO' && second !== 'SUBSCRIBE') return [sorted(keywordCandidates(word)), word];
    if (previous === 'EXISTS' && second !== 'IF') return [sorted(keywordCandidates(word)), word];
    const relations = nameCandidates(word, userRelations(catalog).concat(word === '' ? [] : userRelations(catalog, ['SYSTEM TABLE'])));
    // SUBSCRIBE is followed by TO or by a name.
    const extra = previous === 'SUBSCRIBE' ? keywordCandidates(word).filter((k) => k.toUpperCase() === 'TO') : [];
    return [sorted([...relations, ...extra]), word];
  }

  const mentioned = new Set(mentionedRelations(text, catalog).values());
  // Before FROM is typed (`SELECT pr<TAB>`), any relation's column may be meant.
  const columnSource = mentioned.size > 0 ? mentioned : userRelations(catalog);
  const candidates = [
    ...keywordCandidates(word),
    ...nameCandidates(word, userRelations(catalog)),
    ...nameCandidates(word, columnsOf(catalog, columnSource)),
  ];
  // Every keyword for an empty word is noise; readline would ask to list hundreds.
  return [word === '' ? sorted(candidates.filter((c) => !KEYWORD_SET.has(c))) : sorted(candidates), word];
}
