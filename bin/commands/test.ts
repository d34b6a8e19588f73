// `eddy test PATH...`: runs regression files (sql-tests/**/*.slt) and ends with `N passed, N failed`.

import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { SltEnvironment } from '../slt/executor.js';
import { runTests, summaryLine } from '../slt/runner.js';
import type { EddyCommand } from './command.js';

export const testCommand: EddyCommand = {
  command: 'test <paths..>',
  describe: 'run regression files (.slt): files, or folders searched for *.slt',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'files or folders' })
      .option('complete', { type: 'boolean', default: false, describe: 'rewrite expected results from actual output' })
      .option('verbose', { type: 'boolean', default: false, describe: 'print each file as it runs' })
      .option('timeout', { type: 'number', default: 60, describe: 'seconds a record may run before it fails' }),
  run: async (args: ArgumentsCamelCase) => {
    const paths = (args['paths'] as string[] | undefined) ?? [];
    const timeout = Number(args['timeout']);
    const print = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    // Loaded here rather than at startup, so that an engine that fails to load is
    // one reported failure (with the totals line scripts read) and other commands still work.
    let env: SltEnvironment;
    try {
      env = (await import('../slt/engine-environment.js')).engineEnvironment;
    } catch (err) {
      print(`cannot load the engine: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      print(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
      return 1;
    }
    const totals = await runTests(paths, env, {
      complete: args['complete'] === true,
      verbose: args['verbose'] === true,
      recordTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 60_000,
      print,
    });
    return totals.failed > 0 ? 1 : 0;
  },
};
