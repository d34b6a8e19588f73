// The `filesystem` connector: a source and a sink over files of a path, in csv, json (lines) or arrow (IPC) format.
//
//   CREATE TABLE events (id BIGINT, name STRING, ts TIMESTAMP(3))
//   WITH ('connector' = 'filesystem', 'path' = '/data/events', 'format' = 'csv',
//         'source.monitor-interval' = '1s',            -- continuous: pick up new files
//         'format.ignore-parse-errors' = 'true');      -- skip (and count) bad rows

import { resolve } from 'node:path';
import { SqlError, SqlState } from '../../common/errors.js';
import { Opt, type OptionSpec } from '../options.js';
import type { Connector, ConnectorContext } from '../registry.js';
import type { Sink } from '../sink.js';
import type { Source } from '../source.js';
import { CsvCodec } from './csv-format.js';
import { FileSinkWriter } from './file-sink.js';
import { FileSourceReader } from './file-source.js';
import { checkFormatTypes, type FormatName, type TextCodec } from './format.js';
import { JsonCodec } from './json-format.js';

const options: readonly OptionSpec[] = [
  { key: 'path', type: Opt.string, required: true, description: 'the file or directory the table reads and writes' },
  { key: 'format', type: Opt.oneOf('csv', 'json', 'arrow'), required: true, description: "the file format: 'csv', 'json' (one object per line) or 'arrow' (Arrow IPC files)" },
  { key: 'source.monitor-interval', type: Opt.duration, description: 'read continuously: look for new files this often' },
  { key: 'format.ignore-parse-errors', type: Opt.boolean, description: 'skip rows that do not parse (counted in eddy_source_errors) instead of failing' },
  { key: 'csv.ignore-parse-errors', type: Opt.boolean, description: "Flink's name for 'format.ignore-parse-errors' with csv" },
  { key: 'json.ignore-parse-errors', type: Opt.boolean, description: "Flink's name for 'format.ignore-parse-errors' with json" },
  { key: 'csv.field-delimiter', type: Opt.string, description: 'the character between CSV fields (a comma by default)' },
  { key: 'sink.rolling-policy.file-size', type: Opt.bytes, description: 'start a new file once one is this big' },
  { key: 'partition.default-name', type: Opt.string, description: 'the directory name of a NULL partition value' },
  { key: 'lookup.join.cache.ttl', type: Opt.duration, description: 'how long a lookup join uses its copy of the files before reading them again (0: never again)' },
];

interface FilesystemSettings {
  readonly path: string;
  readonly format: FormatName;
  readonly codec: (columns: ConnectorContext['columns']) => TextCodec;
  readonly defaultPartitionName: string;
}

function settings(ctx: ConnectorContext): FilesystemSettings {
  const o = ctx.options;
  const format = (o.string('format') as string).toLowerCase() as FormatName;
  const delimiter = o.string('csv.field-delimiter') ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw o.invalid('csv.field-delimiter', `invalid value for option "csv.field-delimiter": "${delimiter}"`, 'Use one character other than a quote or a newline.');
  }
  if (o.has('csv.field-delimiter') && format !== 'csv') throw o.invalid('csv.field-delimiter', `option "csv.field-delimiter" does not apply to format "${format}"`);
  checkFormatTypes(format, ctx.columns);
  let raw = o.string('path') as string;
  // Flink writes paths as URIs ('file:///data/x'); a plain path works too.
  if (raw.startsWith('file://')) raw = raw.slice('file://'.length);
  if (raw.includes('://')) {
    throw o.invalid('path', `the filesystem connector reads local paths, not "${raw}"`);
  }
  return {
    path: resolve(raw),
    format,
    codec: format === 'csv' ? (cols) => new CsvCodec(cols, delimiter) : (cols) => new JsonCodec(cols),
    defaultPartitionName: o.string('partition.default-name') ?? '__DEFAULT_PARTITION__',
  };
}

export const filesystemConnector: Connector = {
  name: 'filesystem',
  options,
  check: (ctx) => {
    settings(ctx);
    if (ctx.partitionKeys.length === ctx.columns.length) {
      throw new SqlError(SqlState.invalidParameterValue, `table "${ctx.table}" partitions by every column: the files would hold nothing`);
    }
  },
  source: (ctx): Source => {
    const s = settings(ctx);
    const o = ctx.options;
    const monitor = o.duration('source.monitor-interval');
    const ignore = o.boolean('format.ignore-parse-errors') ?? o.boolean(`${s.format}.ignore-parse-errors`) ?? false;
    return {
      connector: 'filesystem',
      boundedness: monitor === undefined ? 'bounded' : 'continuous',
      open: () => new FileSourceReader({
        table: ctx.table,
        path: s.path,
        format: s.format,
        columns: ctx.columns,
        partitionKeys: ctx.partitionKeys,
        codec: s.codec,
        monitorInterval: monitor === undefined ? undefined : Math.max(1, monitor),
        ignoreParseErrors: ignore,
        errors: ctx.errors,
        defaultPartitionName: s.defaultPartitionName,
      }),
    };
  },
  sink: (ctx): Sink => {
    const s = settings(ctx);
    const rollSize = ctx.options.bytes('sink.rolling-policy.file-size') ?? 128 * 1024 * 1024;
    return {
      connector: 'filesystem',
      acceptsRetractions: false,
      open: (job) => new FileSinkWriter({
        path: s.path,
        format: s.format,
        columns: ctx.columns,
        partitionKeys: ctx.partitionKeys,
        codec: s.codec,
        rollSize,
        defaultPartitionName: s.defaultPartitionName,
      }, job),
    };
  },
};
