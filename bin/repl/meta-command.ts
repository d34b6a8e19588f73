// Backslash commands of the REPL (`\d`, `\timing`, `\i`, ...): parsed from a line into a tagged union, and their help.

import type { RelationKind } from '../../planner/binder/catalog-reader.js';

export type MetaCommand =
  /** `\d`, `\dt`, `\dv`, `\dm`, `\dS` [PATTERN]: relations of some kinds, optionally matching a pattern. */
  | { readonly kind: 'list'; readonly relationKinds: readonly RelationKind[]; readonly pattern: string | undefined }
  /** `\d NAME`: the columns of one relation. */
  | { readonly kind: 'describe'; readonly name: string }
  /** `\timing [on|off]`: `undefined` toggles. */
  | { readonly kind: 'timing'; readonly on: boolean | undefined }
  /** `\i FILE`, `\ir FILE` (relative to the including script). */
  | { readonly kind: 'include'; readonly file: string; readonly relative: boolean }
  | { readonly kind: 'reset' }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  /** A known command used wrongly, or an unknown one: the message says which. */
  | { readonly kind: 'invalid'; readonly message: string };

const USER_RELATIONS: readonly RelationKind[] = ['TABLE', 'VIEW', 'MATERIALIZED VIEW'];

const listCommands: Readonly<Record<string, readonly RelationKind[]>> = {
  d: USER_RELATIONS,
  dt: ['TABLE'],
  dv: ['VIEW'],
  dm: ['MATERIALIZED VIEW'],
  dS: ['SYSTEM TABLE'],
};

/** Names of the commands, for completion. */
export const META_COMMAND_NAMES: readonly string[] = ['\\?', '\\d', '\\dS', '\\dm', '\\dt', '\\dv', '\\i', '\\ir', '\\q', '\\r', '\\timing'];

/** A relation name as SQL writes it: identifiers, possibly double-quoted, possibly dotted. */
const NAME = /^(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))*$/;

/** An argument with its single quotes removed, as psql reads `\i 'my file.sql'`. */
function unquote(arg: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(arg);
  return m ? m[1]!.replace(/''/g, "'") : arg;
}

/**
 * Parses a command line (starting at the backslash).
 *
 * @example
 *   parseMetaCommand('\\d bids')   // { kind: 'describe', name: 'bids' }
 *   parseMetaCommand('\\timing')   // { kind: 'timing', on: undefined }
 */
export function parseMetaCommand(line: string): MetaCommand {
  const m = /^\\(\S*)\s*(.*)$/s.exec(line.trim());
  const name = m?.[1] ?? '';
  const arg = (m?.[2] ?? '').trim();
  const listed = listCommands[name];
  if (listed !== undefined) {
    if (arg === '') return { kind: 'list', relationKinds: listed, pattern: undefined };
    if (/[*?]/.test(arg)) return { kind: 'list', relationKinds: listed, pattern: arg };
    if (name !== 'd') return { kind: 'list', relationKinds: listed, pattern: arg };
    if (!NAME.test(arg)) return { kind: 'invalid', message: `\\d: invalid relation name: ${arg}` };
    return { kind: 'describe', name: arg };
  }
  switch (name) {
    case 'timing': {
      const v = arg.toLowerCase();
      if (v === '') return { kind: 'timing', on: undefined };
      if (v === 'on') return { kind: 'timing', on: true };
      if (v === 'off') return { kind: 'timing', on: false };
      return { kind: 'invalid', message: `unrecognized value "${arg}" for "\\timing": Boolean expected` };
    }
    case 'i':
    case 'ir':
    case 'include':
    case 'include_relative':
      if (arg === '') return { kind: 'invalid', message: `\\${name}: missing required argument` };
      return { kind: 'include', file: unquote(arg), relative: name === 'ir' || name === 'include_relative' };
    case 'r':
    case 'reset':
      return { kind: 'reset' };
    case '?':
      return { kind: 'help' };
    case 'q':
    case 'quit':
      return { kind: 'quit' };
    default:
      return { kind: 'invalid', message: `invalid command \\${name}` };
  }
}

/** Whether a relation name matches a psql-style pattern (`*` any run, `?` one character; case-insensitive unless quoted). */
export function matchesPattern(name: string, pattern: string): boolean {
  const quoted = /^".*"$/.test(pattern);
  const body = quoted ? pattern.slice(1, -1).replace(/""/g, '"') : pattern.toLowerCase();
  const source = [...body].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(name);
}

/** What `\?` prints. */
export const HELP_TEXT: readonly string[] = [
  'General',
  '  \\q                     quit (Ctrl-D does too)',
  '  \\?                     show this help',
  '  \\timing [on|off]       show how long each statement takes',
  '  \\i FILE                run the statements and commands of a file',
  '  \\ir FILE               as \\i, relative to the file that runs it',
  '  \\r                     forget the statement being typed (Ctrl-C does too)',
  '',
  'Catalog',
  '  \\d                     list tables, views and materialized views',
  '  \\d NAME                describe a relation: columns, types, nullability, keys',
  '  \\dt [PATTERN]          list tables',
  '  \\dv [PATTERN]          list views',
  '  \\dm [PATTERN]          list materialized views',
  '  \\dS [PATTERN]          list system tables',
  '',
  'Statements end with ;  and may span lines. SUBSCRIBE shows a live result',
  'until Ctrl-C. Tab completes keywords, relation and column names.',
];
