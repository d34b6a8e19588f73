// Loaded into the crash harness's server (`node --import`): once armed, the process kills itself between a durable
// checkpoint and the file sink's publication of that checkpoint's files, or in the middle of it.
//
// The harness arms it by writing a number n into the file named by EDDY_CRASH_ARM: the next n renames of in-progress
// files go through, and the one after them never happens, the process dies with SIGKILL first. A file sink renames
// in-progress files only in its commit, which runs once the checkpoint is durable, so the kill lands exactly in the
// window a recovery must close: the checkpoint is the one recovered from, and (some of) its files are unpublished.

import { createRequire, syncBuiltinESMExports } from 'node:module';

const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
const arm = process.env.EDDY_CRASH_ARM;

if (arm !== undefined && arm !== '') {
  const rename = fs.renameSync;
  fs.renameSync = (from, to): void => {
    if (String(from).endsWith('.inprogress') && fs.existsSync(arm)) {
      const through = Number(fs.readFileSync(arm, 'utf8'));
      if (through > 0) fs.writeFileSync(arm, String(through - 1));
      else {
        fs.unlinkSync(arm);
        process.kill(process.pid, 'SIGKILL');
        throw new Error('killed before the rename');
      }
    }
    rename(from, to);
  };
  // `import { renameSync } from 'node:fs'` in the sink sees the wrapper too.
  syncBuiltinESMExports();
}
