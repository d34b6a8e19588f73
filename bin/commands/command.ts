// The shape of one `eddy` subcommand.

import type { Argv, ArgumentsCamelCase } from 'yargs';

export interface EddyCommand {
  /** yargs command string, e.g. `fmt <file>`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  /** Resolves to the exit code. */
  readonly run: (args: ArgumentsCamelCase) => Promise<number>;
}
