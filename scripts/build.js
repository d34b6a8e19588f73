#!/usr/bin/env node
// `npm install` / `npm run build`: compile TypeScript into dist/. Type errors
// are printed but do not stop the install (tsc still emits), so a fresh clone
// always gets a runnable `eddy`; `npm test` counts a type error as a failure.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) console.error('eddy build: TypeScript reported errors (see above); npm test will fail until they are fixed');
process.exitCode = r.error ? 1 : 0;
