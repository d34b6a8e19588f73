#!/usr/bin/env node
// `npm test`: type-check and build, run the mocha suites over the build, run
// the regression files through `eddy test`, and end with one plain line
// `N passed, N failed` (exit code 1 on any failure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

// 1. Type-check and build from scratch (so no output of a deleted source file
//    lingers in dist/). A type error is a failure, but the tests still run
//    over what was emitted, so one report shows everything.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
if (tsc.status === 0) passed += 1;
else { failed += 1; console.error('typecheck: failed'); }

// 2. Mocha over the compiled tests.
const statsFile = join(mkdtempSync(join(tmpdir(), 'eddy-test-')), 'stats.json');
const mochaArgs = [
  join(root, 'node_modules/mocha/bin/mocha.js'),
  '--reporter', join(root, 'scripts/count-reporter.cjs'),
  '--timeout', '60000',
  '--recursive', 'dist/test',
  '--extension', 'test.js',
];
if (process.env.CI) mochaArgs.push('--forbid-only');
const mocha = run(process.execPath, mochaArgs, { EDDY_TEST_STATS: statsFile });
if (existsSync(statsFile)) {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  passed += stats.passes;
  failed += stats.failures;
  skipped += stats.pending;
  if (mocha.status !== 0 && stats.failures === 0) failed += 1;
} else {
  console.error('mocha: did not report its results');
  failed += 1;
}

// 3. The regression files.
function hasSlt(dir) {
  if (!existsSync(dir)) return false;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory() ? hasSlt(p) : name.endsWith('.slt')) return true;
  }
  return false;
}
if (hasSlt(join(root, 'sql-tests'))) {
  const slt = spawnSync(process.execPath, [join(root, 'bin/eddy.js'), 'test', 'sql-tests'], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(slt.stdout ?? '');
  const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/m.exec(slt.stdout ?? '');
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    skipped += Number(m[3] ?? 0);
  }
  if (!m || (slt.status !== 0 && Number(m[2]) === 0)) {
    console.error('eddy test: did not finish cleanly');
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
