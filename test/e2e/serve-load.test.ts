// A short run of the serving load test (`eddy bench serve`) as a correctness check: no errors, every acknowledged INSERT reaches every subscriber. Never timing.

import { expect } from 'chai';
import { startServerProcess, type ServerProcess } from '../../bench/serve/server-process.js';
import { runLoad } from '../../bench/serve/workload.js';

describe('e2e: eddy serve under a short mixed load', function () {
  this.timeout(90_000);
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('20 clients inserting, reading and subscribing for 5 s: no errors, nothing lost or doubled', async () => {
    server = await startServerProcess();
    const r = await runLoad({ port: server.port, clients: 20, seconds: 5, drainSeconds: 30 });
    expect(r.errorSamples, 'errors').to.deep.equal([]);
    expect(r.errors).to.equal(0);
    expect(r.acknowledged, 'INSERTs acknowledged').to.be.above(0);
    expect(r.missing, 'acknowledged INSERTs a table subscriber never received').to.equal(0);
    expect(r.duplicates, 'rows a table subscriber received twice').to.equal(0);
    expect(r.viewMismatches, 'view subscribers whose changes do not add up to the view').to.equal(0);
    for (const n of r.received) expect(n, 'changes each subscriber received').to.be.above(0);
    const reads = r.phases.reduce((s, p) => s + p.counts['point read'] + p.counts.scan, 0);
    expect(reads, 'SELECTs answered').to.be.above(0);
    expect(await server.stop()).to.equal(0);
    expect(server.stderr(), 'server log').to.equal('');
  });
});
