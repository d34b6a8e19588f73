// Every Nexmark query the engine runs gives DuckDB's batch answer over a small stream; the others say why they do not run.

import { expect } from 'chai';
import { compareResults, duckdbResult } from '../../bench/nexmark/correctness.js';
import { ALL_QUERIES, duckdbSql } from '../../bench/nexmark/queries.js';
import { errorMessage, isUnsupported, resultOf } from '../../bench/nexmark/run-query.js';

/** Small, and slow in event time, so windows, sessions and auctions span many events. */
const SOURCE = { events: 4000, rate: 100, seed: 5 };

describe('nexmark queries against DuckDB', () => {
  for (const query of ALL_QUERIES) {
    it(`${query} gives the batch result`, async function () {
      let run;
      try {
        run = await resultOf(query, SOURCE, duckdbSql(query).eddy);
      } catch (e) {
        // A query that needs a feature still to come is reported as such, not as a pass.
        if (isUnsupported(e)) this.skip();
        throw new Error(`${query} failed: ${errorMessage(e)}`);
      }
      const expected = await duckdbResult(query, run.events);
      if (expected === undefined) this.skip();
      const verdict = compareResults(run.result, expected);
      expect(verdict.correct, verdict.detail).to.equal(true);
      expect(run.result.rows.length, `${query} returned no rows: the check would prove little`).to.be.above(0);
    });
  }
});
