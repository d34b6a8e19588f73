// Every `eddy` subcommand, in the order --help lists them. Each module is
// loaded only when its command runs (or for --help), so starting one command
// does not pay for loading the others.

import type { EddyCommand } from './command.js';

export interface CommandEntry {
  /** The first word of the command, as typed. */
  readonly name: string;
  readonly load: () => Promise<EddyCommand>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'repl', load: async () => (await import('./repl.js')).replCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'serve', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'test', load: async () => (await import('./test.js')).testCommand },
  { name: 'fmt', load: async () => (await import('./fmt.js')).fmtCommand },
  { name: 'bench', load: async () => (await import('./bench.js')).benchCommand },
];

/** The commands to register for `argv`: just the one named, or all of them. */
export async function loadCommands(argv: readonly string[]): Promise<EddyCommand[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  const named = commandEntries.find((c) => c.name === first);
  if (named) return [await named.load()];
  return Promise.all(commandEntries.map((c) => c.load()));
}
