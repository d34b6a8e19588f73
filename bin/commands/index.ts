// Every registered `eddy` subcommand, in the order --help lists them.

import type { EddyCommand } from './command.js';

export const commands: readonly EddyCommand[] = [];
