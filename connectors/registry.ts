// The connectors by name: what `WITH ('connector' = '...')` can choose, each with its options, source and sink.

import type { DataType } from '../common/data-type.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { CatalogRelation } from '../planner/binder/catalog-reader.js';
import type { OptionEntry } from '../parser/ast/node.js';
import { blackholeConnector } from './blackhole/blackhole-sink.js';
import { datagenConnector } from './datagen/datagen-source.js';
import { filesystemConnector } from './filesystem/filesystem-connector.js';
import { nexmarkConnector } from './nexmark/nexmark-source.js';
import { ConnectorOptions, type OptionSpec } from './options.js';
import { printConnector } from './print/print-sink.js';
import type { Row, Value } from '../common/value.js';
import { ConnectorTable } from './connector-table.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';
import { SourceErrorLog } from './source-errors.js';

/** A stored (non-computed) column of a connector table: what its rows hold, in order. */
export interface StoredColumn {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** What a connector gets to build its source or sink for one table. */
export interface ConnectorContext {
  readonly table: string;
  /** The stored columns, in the order of the rows the source produces and the sink takes. */
  readonly columns: readonly StoredColumn[];
  /** Indexes into `columns` of `PARTITIONED BY` columns (filesystem). */
  readonly partitionKeys: readonly number[];
  readonly options: ConnectorOptions;
  /** Where skipped bad rows are counted (eddy_source_errors). */
  readonly errors: SourceErrorLog;
  /** Wall clock in microseconds (rate-limited sources). */
  readonly now: () => number;
}

export interface Connector {
  readonly name: string;
  readonly options: readonly OptionSpec[];
  readonly source?: (ctx: ConnectorContext) => Source;
  readonly sink?: (ctx: ConnectorContext) => Sink;
  /** Checks that go beyond single options (the columns a generator can fill, combinations). */
  readonly check?: (ctx: ConnectorContext) => void;
}

const connectors: ReadonlyMap<string, Connector> = new Map(
  [datagenConnector, nexmarkConnector, filesystemConnector, printConnector, blackholeConnector].map((c) => [c.name, c]),
);

/** The connector `name`, or 42704 listing the ones there are. */
export function connectorNamed(name: string, entry?: OptionEntry): Connector {
  const c = connectors.get(name.toLowerCase());
  if (c) return c;
  throw new SqlError(SqlState.undefinedObject, `connector "${name}" does not exist`, {
    ...(entry?.span === undefined ? {} : { position: entry.span.start + 1 }),
    hint: `Choose one of: ${[...connectors.keys()].join(', ')}.`,
  });
}

/** The stored columns of a table, with their types. */
export function storedColumns(relation: CatalogRelation): StoredColumn[] {
  return relation.columns.filter((c) => c.computed === undefined).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
}

/** Validates the options of `relation` for its connector. */
export function connectorOptions(connector: Connector, relation: CatalogRelation): ConnectorOptions {
  return ConnectorOptions.validate(connector.name, relation.options, connector.options, relation.columns.map((c) => c.name));
}

export interface ConnectorTableSpec {
  readonly relation: CatalogRelation;
  /** `PARTITIONED BY` column names. */
  readonly partitionedBy: readonly string[];
  /** The WATERMARK expression over a stored row, compiled. */
  readonly watermark?: (row: Row) => Value;
  readonly now: () => number;
}

/**
 * Builds the table a `WITH ('connector' = ...)` declares: validates the options and the
 * columns against the connector, and makes its source and/or sink. Errors name the option
 * or column at fault; nothing is opened or read yet.
 */
export function openConnectorTable(spec: ConnectorTableSpec): ConnectorTable {
  const { relation } = spec;
  const entry = relation.options.find((o) => o.key.toLowerCase() === 'connector');
  if (entry === undefined) throw new SqlError(SqlState.internalError, `table "${relation.name}" has no connector`);
  const connector = connectorNamed(entry.value, entry);
  const columns = storedColumns(relation);
  const partitionKeys = spec.partitionedBy.map((name) => {
    const at = columns.findIndex((c) => c.name === name);
    if (at < 0) throw new SqlError(SqlState.undefinedColumn, `partition column "${name}" is not a column of table "${relation.name}"`);
    return at;
  });
  if (partitionKeys.length > 0 && connector.name !== 'filesystem') {
    throw new SqlError(SqlState.featureNotSupported, `PARTITIONED BY is not supported for connector "${connector.name}"`, {
      hint: 'Only filesystem tables are partitioned (into name=value directories).',
    });
  }
  const errors = new SourceErrorLog();
  const ctx: ConnectorContext = { table: relation.name, columns, partitionKeys, options: connectorOptions(connector, relation), errors, now: spec.now };
  connector.check?.(ctx);
  const source = connector.source?.(ctx);
  const sink = connector.sink?.(ctx);
  const lookupTtl = ctx.options.duration('lookup.join.cache.ttl');
  return new ConnectorTable(relation.name, connector.name, source, sink, errors, {
    now: spec.now,
    ...(spec.watermark === undefined ? {} : { watermark: spec.watermark }),
    // Flink's default: the copy is read again after an hour.
    lookupTtlMs: lookupTtl ?? 3_600_000,
  });
}
