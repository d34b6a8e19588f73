// `eddy fmt FILE`: prints every statement of a SQL file in canonical form, or its syntax errors with positions.

import { readFile } from 'node:fs/promises';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { SqlError } from '../../common/errors.js';
import { ParseError, parseStatements } from '../../parser/index.js';
import { printStatement } from '../../parser/printer/index.js';
import type { EddyCommand } from './command.js';

/** The whole of standard input, for `eddy fmt -`. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The formatted script: each statement ends with `;`, statements are
 * separated by a blank line, and the output ends with a newline (nothing at
 * all for a script without statements).
 */
export function formatScript(sql: string): string {
  const statements = parseStatements(sql);
  return statements.map((s) => `${printStatement(s.statement)};\n`).join('\n');
}

export const fmtCommand: EddyCommand = {
  command: 'fmt <file>',
  describe: 'print the statements of a SQL file in canonical form (- reads standard input)',
  builder: (y: Argv) => y.positional('file', { type: 'string', describe: 'the SQL file, or - for standard input' }),
  run: async (args: ArgumentsCamelCase) => {
    const file = String(args['file']);
    // yargs hands a lone `-` over as an empty string; no file has an empty name.
    const stdin = file === '-' || file === '';
    const name = stdin ? '<stdin>' : file;
    let sql: string;
    try {
      sql = stdin ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      process.stderr.write(`eddy fmt: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    let out: string;
    try {
      out = formatScript(sql);
    } catch (err) {
      if (err instanceof ParseError) {
        // Every error, not just the first: a file can be fixed in one pass.
        for (const e of err.errors) process.stderr.write(`${name}:${e.line}:${e.column}: ${e.message}\n`);
        return 1;
      }
      if (err instanceof SqlError) {
        process.stderr.write(`${name}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    process.stdout.write(out);
    return 0;
  },
};
