// Printer round trip over every statement of the parser corpus and of the regression files:
// parse -> print -> parse gives the same AST, and printing is idempotent.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conditionsAllow } from '../../bin/slt/record.js';
import { parseSlt } from '../../bin/slt/parser.js';
import { ParseError, parseStatement, parseStatements, type Statement } from '../../parser/index.js';
import { printStatement } from '../../parser/printer/index.js';

/** The repository root: this file runs from test/parser (tsx) or dist/test/parser (npm test). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

const root = repositoryRoot();

/**
 * A copy of an AST without source spans (which differ between the original
 * text and the printed one) and without properties set to undefined (which
 * mean the same as absent ones).
 */
function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'span' || v === undefined) continue;
    out[k] = stripSpans(v);
  }
  return out;
}

function describeError(e: unknown): string {
  if (e instanceof ParseError) return e.errors.map((x) => `${x.line}:${x.column}: ${x.message}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/** Checks the contract of the printer for one parsed statement. */
function checkRoundTrip(ast: Statement): void {
  const printed = printStatement(ast);
  let reparsed: Statement;
  try {
    reparsed = parseStatement(printed);
  } catch (e) {
    throw new Error(`printed text does not parse (${describeError(e)}):\n${printed}`);
  }
  expect(stripSpans(reparsed), `printed as:\n${printed}\n`).to.deep.equal(stripSpans(ast));
  expect(printStatement(reparsed), 'printing is not idempotent').to.equal(printed);
}

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

/** The first line of a statement, shortened, to name its test. */
function title(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

describe('printer round trip', () => {
  describe('parser corpus', () => {
    for (const file of filesUnder(join(root, 'test/parser/corpus'), '.sql')) {
      const name = relative(root, file);
      describe(name, () => {
        const sql = readFileSync(file, 'utf8');
        let statements: ReturnType<typeof parseStatements>;
        try {
          statements = parseStatements(sql);
        } catch (e) {
          it('parses', () => expect.fail(`${name}: ${describeError(e)}`));
          return;
        }
        statements.forEach((s, i) => {
          it(`#${i + 1} (line ${s.span.line}): ${title(s.text)}`, () => checkRoundTrip(s.statement));
        });
      });
    }
  });

  describe('regression files', () => {
    for (const file of filesUnder(join(root, 'sql-tests'), '.slt')) {
      const name = relative(root, file);
      describe(name, () => {
        const records = parseSlt(readFileSync(file, 'utf8'), name);
        for (const r of records) {
          // Records expected to fail may be syntax errors on purpose.
          if (r.kind !== 'statement' && r.kind !== 'query') continue;
          if (r.kind === 'statement' && r.expect.kind === 'error') continue;
          if (!conditionsAllow(r.conditions)) continue;
          it(`line ${r.location.line}: ${title(r.sql)}`, function () {
            let statements: ReturnType<typeof parseStatements>;
            try {
              statements = parseStatements(r.sql);
            } catch {
              // Whether the parser accepts the record is the parser's and the
              // regression runner's concern; here only what parses is printed.
              this.skip();
              return;
            }
            for (const s of statements) checkRoundTrip(s.statement);
          });
        }
      });
    }
  });
});
