// `eddy repl`: an interactive SQL shell on an embedded engine (statements over lines, \d commands, live SUBSCRIBE).

import type { Argv, ArgumentsCamelCase } from 'yargs';
import { version } from '../version.js';
import type { EddyCommand } from './command.js';
import { memoryLimitOf, memoryLimitOption } from './memory-limit.js';

export const replCommand: EddyCommand = {
  command: 'repl',
  describe: 'interactive SQL shell on an embedded engine (reads statements from standard input when piped)',
  builder: (y: Argv) => y
    .option('data-dir', { type: 'string', default: './eddy-data', describe: 'state directory (created if absent)' })
    .option('memory-limit', memoryLimitOption),
  run: async (args: ArgumentsCamelCase) => {
    const given = args['dataDir'];
    const dataDir = typeof given === 'string' && given !== '' ? given : './eddy-data';
    // Loaded on use so that the other commands start even while the engine cannot load.
    const { Engine } = await import('../../executor/engine/engine.js');
    const { formatValue } = await import('../../common/pg-text.js');
    const { getTimeZone, UTC } = await import('../../common/datetime.js');
    const { Repl } = await import('../repl/repl.js');
    const { historyPath } = await import('../repl/history.js');
    let engine: Awaited<ReturnType<typeof Engine.open>>;
    try {
      engine = await Engine.open({ dataDir, ...memoryLimitOf(args['memoryLimit']) });
    } catch (err) {
      process.stderr.write(`eddy repl: cannot open ${dataDir}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const session = engine.session();
    try {
      const repl = new Repl({
        session,
        catalog: engine.catalog,
        formatValue: (zoneName) => {
          let timeZone = UTC;
          try {
            if (zoneName !== undefined) timeZone = getTimeZone(zoneName);
          } catch {
            // SET checks the name; should one slip through, UTC still shows every value.
          }
          return (value, type) => formatValue(value, type, { timeZone });
        },
        input: process.stdin,
        output: process.stdout,
        errorOutput: process.stderr,
        historyFile: historyPath(),
        banner: `eddy ${version()}, data in ${dataDir}. Type \\? for help, \\q to quit.`,
      });
      return await repl.run();
    } finally {
      session.close();
      await engine.close();
    }
  },
};
