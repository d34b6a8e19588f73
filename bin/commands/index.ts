// Every registered `eddy` subcommand, in the order --help lists them.

import { benchCommand } from './bench.js';
import type { EddyCommand } from './command.js';
import { fmtCommand } from './fmt.js';
import { replCommand } from './repl.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';

export const commands: readonly EddyCommand[] = [
  replCommand,
  runCommand,
  serveCommand,
  testCommand,
  fmtCommand,
  benchCommand,
];
