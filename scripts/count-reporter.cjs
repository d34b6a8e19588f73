// Mocha reporter: the spec reporter's output, plus the final counts written
// as JSON to the file named by EDDY_TEST_STATS, so scripts/test.js can add
// them to the regression runner's counts.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.EDDY_TEST_STATS;
      if (file) {
        const { passes, failures, pending } = this.stats;
        fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
      }
    });
  }
}

module.exports = CountReporter;
