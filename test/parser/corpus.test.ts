// Parser tests: every statement of the corpus (test/parser/corpus/*.sql) parses, on its own as in its script.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseError, parseStatement, parseStatements, type ParsedStatement } from '../../parser/index.js';
import { tokenize } from '../../parser/lexer/lexer.js';
import { LineIndex } from '../../parser/lexer/line-index.js';
import { splitStatements } from '../../parser/lexer/split.js';
import { T } from '../../parser/lexer/tokens.js';
import { warmUpParser } from './ast-builders.js';
import { stripSpans } from './strip-spans.js';

/** The corpus directory: this file runs from test/parser (tsx) or dist/test/parser (npm test). */
function corpusDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return join(dir, 'test', 'parser', 'corpus');
}

function describeError(e: unknown): string {
  if (e instanceof ParseError) return e.errors.map((x) => `${x.line}:${x.column}: ${x.message}`).join('\n');
  return e instanceof Error ? e.message : String(e);
}

describe('parser: corpus', () => {
  before(warmUpParser);

  const dir = corpusDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  let total = 0;

  it('has the expected files', () => {
    expect(files).to.include.members([
      'nexmark.sql', 'window-tvf.sql', 'group-windows.sql', 'joins.sql', 'over-topn-dedup.sql',
      'match-recognize.sql', 'ddl.sql', 'session.sql', 'postgres.sql',
    ]);
  });

  for (const file of files) {
    describe(file, () => {
      const sql = readFileSync(join(dir, file), 'utf8');
      let parsed: ParsedStatement[] = [];

      it('parses without errors', () => {
        try {
          parsed = parseStatements(sql);
        } catch (e) {
          expect.fail(`${file}:\n${describeError(e)}`);
        }
        expect(parsed.length).to.be.greaterThan(0);
        total += parsed.length;
      });

      it('is split where the lexer finds the semicolons', () => {
        const semicolons = tokenize(sql, new LineIndex(sql)).tokens
          .filter((t) => t.tokenType === T.Semicolon).map((t) => t.startOffset + 1);
        const ends = splitStatements(sql).map((r) => r.end).filter((end) => sql[end - 1] === ';');
        expect(ends).to.deep.equal(semicolons);
      });

      it('gives the same tree for each statement parsed on its own', () => {
        for (const p of parsed) {
          expect(stripSpans(parseStatement(p.text)), p.text).to.deep.equal(stripSpans(p.statement));
        }
      });
    });
  }

  // A suite of its own so that it runs after the files' suites.
  describe('in all', () => {
    it('holds at least 150 statements', () => expect(total).to.be.at.least(150));
  });
});
