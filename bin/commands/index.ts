// Every registered `eddy` subcommand, in the order --help lists them.

import type { EddyCommand } from './command.js';
import { fmtCommand } from './fmt.js';
import { runCommand } from './run.js';
import { testCommand } from './test.js';

export const commands: readonly EddyCommand[] = [
  runCommand,
  testCommand,
  fmtCommand,
];
