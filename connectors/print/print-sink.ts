// The `print` connector: a sink that writes each change with its kind (`+I[1, a]`) to stdout, stderr or a log file.

import { appendFileSync } from 'node:fs';
import { formatValue } from '../../common/pg-text.js';
import type { Row } from '../../common/value.js';
import { changeKindLabels, type ChangeBatch, type ChangeKind } from '../../executor/change.js';
import { Opt } from '../options.js';
import type { Connector, ConnectorContext, StoredColumn } from '../registry.js';
import type { Sink, SinkWriter } from '../sink.js';

/** A change as Flink's print sink shows it: `+I[1, a, null]`. */
export function printedChange(kind: ChangeKind, row: Row, columns: readonly StoredColumn[]): string {
  const values = row.map((v, i) => {
    const c = columns[i];
    return c === undefined ? String(v) : formatValue(v, c.type) ?? 'null';
  });
  return `${changeKindLabels[kind]}[${values.join(', ')}]`;
}

class PrintWriter implements SinkWriter {
  constructor(
    private readonly columns: readonly StoredColumn[],
    private readonly prefix: string,
    private readonly out: (text: string) => void,
  ) {}

  write(batch: ChangeBatch): void {
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      text += `${this.prefix}${printedChange(batch.kinds[i] as ChangeKind, batch.rows[i] as Row, this.columns)}\n`;
    }
    if (text !== '') this.out(text);
  }

  // Printing is for watching, not for exactly-once: lines go out as they come.
  prepareCommit(): void {}

  commit(): void {}

  finish(): void {}

  close(): void {}

  abort(): void {}
}

export const printConnector: Connector = {
  name: 'print',
  options: [
    { key: 'print-identifier', type: Opt.string, description: 'a prefix before each printed change' },
    { key: 'standard-error', type: Opt.boolean, description: 'print to stderr instead of stdout' },
    { key: 'path', type: Opt.string, description: 'append the changes to this log file instead' },
    { key: 'sink.parallelism', type: Opt.integer(1, 1), description: "accepted for Flink's DDL; Eddy runs one writer" },
  ],
  sink: (ctx: ConnectorContext): Sink => {
    const id = ctx.options.string('print-identifier');
    const prefix = id === undefined ? '' : `${id}> `;
    const path = ctx.options.string('path');
    const out = path !== undefined
      ? (text: string) => appendFileSync(path, text)
      : ctx.options.boolean('standard-error') === true
        ? (text: string) => void process.stderr.write(text)
        : (text: string) => void process.stdout.write(text);
    return {
      connector: 'print',
      acceptsRetractions: true,
      open: () => new PrintWriter(ctx.columns, prefix, out),
    };
  },
};
