// A short seeded crash run for CI: eddy serve killed with SIGKILL mid-ingest, mid-checkpoint and right after a commit,
// each time checked against a failure-free run (the long run: node dist/test/crash/harness.js --crashes 200).

import { expect } from 'chai';
import { runCrashTest } from './harness.js';

describe('crash: kill -9 and recover', function () {
  this.timeout(120_000);

  it('loses no acknowledged write and counts none twice, in any table or view', async () => {
    const summary = await runCrashTest({ crashes: 3, seed: 7, modes: 'cycle' });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.crashes).to.equal(3);
    expect(summary.acknowledged).to.be.greaterThan(0);
  });
});
