// `eddy bench <suite>`: benchmarks, one subcommand per suite (each defined beside its code under bench/).

import type { Argv, ArgumentsCamelCase } from 'yargs';
import { microBenchCommand } from '../../bench/micro/command.js';
import { nexmarkBenchCommand } from '../../bench/nexmark/command.js';
import { serveBenchCommand } from '../../bench/serve/command.js';
import type { EddyCommand } from './command.js';

/** The suites, in the order --help lists them. A new suite (nexmark) is one more entry. */
export const benchSuites: readonly EddyCommand[] = [
  microBenchCommand,
  nexmarkBenchCommand,
  serveBenchCommand,
];

export const benchCommand: EddyCommand = {
  command: 'bench',
  describe: 'run a benchmark suite',
  builder: (y: Argv) => {
    let out = y.demandCommand(1, `name a suite: ${benchSuites.map((s) => s.command.split(' ')[0]).join(', ')}`);
    for (const suite of benchSuites) {
      out = out.command({
        command: suite.command,
        describe: suite.describe,
        builder: suite.builder,
        // The top-level handler never runs when a subcommand matches, so its
        // exit code cannot be returned through it: a failing suite throws.
        handler: async (args: ArgumentsCamelCase) => {
          const code = await suite.run(args);
          if (code !== 0) throw new Error(`eddy bench ${suite.command}: exited with ${code}`);
        },
      });
    }
    return out;
  },
  run: async () => 0,
};
