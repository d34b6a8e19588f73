// The `blackhole` connector: a sink that discards every change (for benchmarks), counting them.

import type { ChangeBatch } from '../../executor/change.js';
import type { Connector } from '../registry.js';
import type { Sink, SinkWriter } from '../sink.js';

class BlackholeWriter implements SinkWriter {
  changes = 0;

  write(batch: ChangeBatch): void {
    this.changes += batch.length;
  }

  prepareCommit(): void {}

  commit(): void {}

  finish(): void {}

  close(): void {}

  abort(): void {}
}

export const blackholeConnector: Connector = {
  name: 'blackhole',
  options: [],
  sink: (): Sink => ({ connector: 'blackhole', acceptsRetractions: true, open: () => new BlackholeWriter() }),
};
