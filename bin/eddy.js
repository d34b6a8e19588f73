#!/usr/bin/env node
// The `eddy` command: a thin shim over the compiled CLI (built by `npm install`).
import { main } from '../dist/bin/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exitCode = 1; },
);
