// `eddy run FILE.sql`: executes a script's statements on an embedded engine and prints results as psql does.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { DataType } from '../../common/data-type.js';
import type { Row, Value } from '../../common/value.js';
import type { ResultColumn, StatementResult } from '../../executor/engine/api.js';
import { formatError } from '../format/error.js';
import { splitStatements } from '../format/statements.js';
import { alignFor, formatTable } from '../format/table.js';
import { memoryLimitOf, memoryLimitOption } from './memory-limit.js';
import type { EddyCommand } from './command.js';

/** How long a SUBSCRIBE run directly waits for more changes before the script moves on. */
const SUBSCRIBE_QUIET_MS = 200;

type FormatValue = (value: Value, type: DataType) => string | null;

function tableLines(columns: readonly ResultColumn[], rows: readonly Row[], formatValue: FormatValue): string[] {
  return formatTable(
    columns.map((c) => ({ name: c.name, align: alignFor(c.type) })),
    rows.map((row) => columns.map((c, i) => {
      const v = row[i] ?? null;
      return v === null ? null : formatValue(v, c.type);
    })),
  );
}

/** The lines psql prints for one result. */
async function resultLines(result: StatementResult, formatValue: FormatValue): Promise<string[]> {
  switch (result.kind) {
    case 'rows':
      return [...tableLines(result.columns, result.rows, formatValue), ''];
    case 'command':
      return [result.tag];
    case 'stream': {
      // A script cannot wait for a subscription forever: print what arrives until
      // it goes quiet, then close it.
      const rows: Row[] = [];
      try {
        for (;;) {
          const batch = await result.stream.next(undefined, SUBSCRIBE_QUIET_MS);
          if (batch.length === 0) break;
          rows.push(...batch);
        }
      } finally {
        result.stream.close();
      }
      return [...tableLines(result.columns, rows, formatValue), ''];
    }
  }
}

export const runCommand: EddyCommand = {
  command: 'run <file>',
  describe: 'execute the statements of a SQL file and print their results',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', describe: 'the SQL script' })
      .option('data-dir', { type: 'string', describe: 'state directory (default: a fresh temporary one, deleted afterwards)' })
      .option('continue', { type: 'boolean', default: false, describe: 'go on after a failing statement (the exit code still reports it)' })
      .option('memory-limit', memoryLimitOption),
  run: async (args: ArgumentsCamelCase) => {
    const file = String(args['file']);
    let script: string;
    try {
      script = await readFile(file, 'utf8');
    } catch (err) {
      process.stderr.write(`eddy run: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    // Loaded on use so that the other commands start even while the engine cannot load.
    const { Engine } = await import('../../executor/engine/engine.js');
    const { formatValue } = await import('../../common/pg-text.js');
    const given = args['dataDir'];
    const dataDir = typeof given === 'string' && given !== '' ? given : await mkdtemp(join(tmpdir(), 'eddy-run-'));
    const keepGoing = args['continue'] === true;
    let failed = false;
    const engine = await Engine.open({ dataDir, ...memoryLimitOf(args['memoryLimit']) });
    const session = engine.session();
    try {
      for (const statement of splitStatements(script)) {
        try {
          const results = await session.execute(statement.text);
          for (const result of results) process.stdout.write((await resultLines(result, formatValue)).map((l) => `${l}\n`).join(''));
        } catch (err) {
          failed = true;
          // As psql -f does: the file and the statement's line first, then the error.
          const lines = formatError(err, { sql: statement.text, firstLine: statement.line });
          process.stderr.write(`${file}:${statement.line}: ${lines.join('\n')}\n`);
          if (!keepGoing) break;
        }
      }
    } finally {
      session.close();
      await engine.close();
      if (dataDir !== given) await rm(dataDir, { recursive: true, force: true });
    }
    return failed ? 1 : 0;
  },
};
