// The `eddy` command line: one yargs command per file under bin/commands/.

import yargs from 'yargs';
import { loadCommands } from './commands/index.js';
import { version } from './version.js';

/** Runs the CLI with the given arguments; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let cli = yargs([...argv])
    .scriptName('eddy')
    .version(version())
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'name a command; see eddy --help')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err, y) => {
      if (err) throw err;
      console.error(`${y.help()}`);
      console.error(`\n${msg}`);
      exitCode = 2;
    });
  for (const command of await loadCommands(argv)) {
    cli = cli.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (args) => {
        exitCode = await command.run(args);
      },
    });
  }
  await cli.parseAsync();
  return exitCode;
}
