// The `nexmark` connector: Person, Auction and Bid tables (or Flink's one table of nested rows) over the Nexmark generator.
//
//   CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
//                     date_time TIMESTAMP(3), extra VARCHAR,
//                     WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
//   WITH ('connector' = 'nexmark', 'table' = 'bid', 'events.num' = '10000000');
//
// Each table reads the same numbered event stream and keeps its own kind, so three
// tables with the same options see the events one generator would make. The reader's
// offset is the next event number. Columns are matched to the generator's fields by
// name (`date_time` or Flink's `dateTime`, case and underscores aside), in any order,
// and may leave fields out.

import type { DataType } from '../../common/data-type.js';
import { SqlError, SqlState } from '../../common/errors.js';
import { parseTimestamp } from '../../common/datetime.js';
import type { Row, Value } from '../../common/value.js';
import { Opt, type OptionSpec } from '../options.js';
import type { Connector, ConnectorContext, StoredColumn } from '../registry.js';
import type { Source, SourceOffset, SourceRead, SourceReader } from '../source.js';
import { DEFAULT_BASE_TIME_MS, defaultNexmarkConfig, NexmarkGenerator, type EventKind, type NexmarkConfig } from './generator.js';

type FieldKind = 'bigint' | 'string' | 'timestamp';

/** The generator's fields per event kind, in the order its rows hold them. */
export const nexmarkFields: Readonly<Record<EventKind, readonly (readonly [string, FieldKind])[]>> = {
  person: [['id', 'bigint'], ['name', 'string'], ['email_address', 'string'], ['credit_card', 'string'], ['city', 'string'], ['state', 'string'], ['date_time', 'timestamp'], ['extra', 'string']],
  auction: [
    ['id', 'bigint'], ['item_name', 'string'], ['description', 'string'], ['initial_bid', 'bigint'], ['reserve', 'bigint'],
    ['date_time', 'timestamp'], ['expires', 'timestamp'], ['seller', 'bigint'], ['category', 'bigint'], ['extra', 'string'],
  ],
  bid: [['auction', 'bigint'], ['bidder', 'bigint'], ['price', 'bigint'], ['channel', 'string'], ['url', 'string'], ['date_time', 'timestamp'], ['extra', 'string']],
};

/** The SQL type of a generator field, as the DDL declares it. */
export function nexmarkFieldType(kind: FieldKind): DataType {
  return kind === 'bigint' ? { kind: 'BIGINT' } : kind === 'string' ? { kind: 'VARCHAR', length: null } : { kind: 'TIMESTAMP', precision: 3 };
}

/** `date_time`, `dateTime` and `DATETIME` name the same field. */
function normalName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function fits(kind: FieldKind, type: DataType): boolean {
  switch (kind) {
    case 'bigint': return type.kind === 'BIGINT';
    case 'string': return type.kind === 'VARCHAR' && type.length === null;
    case 'timestamp': return type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ';
  }
}

/** For each declared column, the index of the generator field it reads; errors name the column. */
function fieldMapping(table: string, kind: EventKind, columns: readonly { readonly name: string; readonly type: DataType }[]): number[] {
  const fields = nexmarkFields[kind];
  return columns.map((c) => {
    const at = fields.findIndex(([f]) => normalName(f) === normalName(c.name));
    if (at < 0) {
      throw new SqlError(SqlState.undefinedColumn, `column "${c.name}" of table "${table}" is not a field of nexmark ${kind} events`, {
        hint: `A ${kind} has: ${fields.map(([f]) => f).join(', ')}.`,
      });
    }
    const [field, fk] = fields[at] as readonly [string, FieldKind];
    if (!fits(fk, c.type)) {
      const want = fk === 'bigint' ? 'BIGINT' : fk === 'string' ? 'VARCHAR (STRING)' : 'TIMESTAMP(3)';
      throw new SqlError(SqlState.datatypeMismatch, `column "${c.name}" of table "${table}" must be of type ${want} to hold nexmark's ${kind} field "${field}"`);
    }
    return at;
  });
}

/** Turns a generated row into the table's row: the identity when the columns are the fields in order. */
function projector(mapping: readonly number[], width: number): ((row: Row) => Row) | undefined {
  if (mapping.length === width && mapping.every((m, i) => m === i)) return undefined;
  return (row) => mapping.map((m) => row[m] as Value);
}

/** How a table reads the event stream: one kind's rows, or Flink's nested [event_type, person, auction, bid]. */
type TableShape =
  | { readonly kind: EventKind; readonly project: ((row: Row) => Row) | undefined }
  | { readonly kind: 'events'; readonly nested: readonly (readonly [EventKind | 'event_type', ((row: Row) => Row) | undefined])[] };

function shapeOf(ctx: ConnectorContext, declared: string | undefined): TableShape {
  const table = ctx.table;
  const which = declared ?? (['person', 'auction', 'bid'].includes(table) ? table : ctx.columns.some((c) => normalName(c.name) === 'eventtype') ? 'events' : undefined);
  if (which === undefined) {
    throw new SqlError(SqlState.syntaxError, `connector "nexmark" needs option "table" for table "${table}"`, {
      hint: "Add 'table' = 'person', 'auction', 'bid' or 'events' (one table of nested rows, as Flink's nexmark connector has).",
    });
  }
  if (which !== 'events') {
    const kind = which as EventKind;
    const mapping = fieldMapping(table, kind, ctx.columns);
    return { kind, project: projector(mapping, nexmarkFields[kind].length) };
  }
  const nested = ctx.columns.map((c): readonly [EventKind | 'event_type', ((row: Row) => Row) | undefined] => {
    const n = normalName(c.name);
    if (n === 'eventtype') {
      if (c.type.kind !== 'INT' && c.type.kind !== 'BIGINT') throw new SqlError(SqlState.datatypeMismatch, `column "${c.name}" of table "${table}" must be of type INT`);
      return ['event_type', undefined];
    }
    if (n !== 'person' && n !== 'auction' && n !== 'bid') {
      throw new SqlError(SqlState.undefinedColumn, `column "${c.name}" of table "${table}" is not a column of nexmark's events table`, {
        hint: 'It has event_type INT, person ROW<...>, auction ROW<...> and bid ROW<...>.',
      });
    }
    if (c.type.kind !== 'ROW') throw new SqlError(SqlState.datatypeMismatch, `column "${c.name}" of table "${table}" must be of type ROW<...>`);
    const mapping = fieldMapping(table, n, c.type.fields);
    return [n, projector(mapping, nexmarkFields[n].length)];
  });
  return { kind: 'events', nested };
}

const EVENT_TYPE: Readonly<Record<EventKind, number>> = { person: 0, auction: 1, bid: 2 };

class NexmarkReader implements SourceReader {
  private next = 0;
  /** The event the pacing counts from, and the wall-clock time it started (a resumed reader paces from its offset). */
  private paceFrom = 0;
  private startWall: number;

  constructor(
    private readonly generator: NexmarkGenerator,
    private readonly shape: TableShape,
    /** Events in the stream; 0 = endless. */
    private readonly events: number,
    /** Wall-clock microseconds when rows are due at the configured rate; undefined: at full speed. */
    private readonly clock: (() => number) | undefined,
  ) {
    this.startWall = clock?.() ?? 0;
  }

  read(max: number): SourceRead {
    const g = this.generator;
    let end = this.next + max;
    if (this.events > 0 && end > this.events) end = this.events;
    if (this.clock !== undefined) {
      // Events are due when their event time (relative to event 0) has passed on the wall clock.
      const due = this.paceFrom + Math.floor(((this.clock() - this.startWall) * g.config.rate) / 1_000_000) + 1;
      if (due <= this.next) return { rows: [], status: 'wait', retryMs: Math.max(1, Math.ceil(1000 / g.config.rate)) };
      if (end > due) end = due;
    }
    const rows: Row[] = [];
    const shape = this.shape;
    const { personProportion, auctionProportion } = g.config;
    const total = g.total;
    let rem = this.next % total;
    for (let n = this.next; n < end; n++) {
      const kind: EventKind = rem < personProportion ? 'person' : rem < personProportion + auctionProportion ? 'auction' : 'bid';
      if (++rem === total) rem = 0;
      if (shape.kind === 'events') {
        const row: Value[] = [];
        for (const [col, project] of shape.nested) {
          if (col === 'event_type') row.push(EVENT_TYPE[kind]);
          else if (col !== kind) row.push(null);
          else {
            const r = kind === 'person' ? g.person(n) : kind === 'auction' ? g.auction(n) : g.bid(n);
            row.push(project === undefined ? r : project(r));
          }
        }
        rows.push(row);
      } else if (kind === shape.kind) {
        const r = kind === 'bid' ? g.bid(n) : kind === 'auction' ? g.auction(n) : g.person(n);
        rows.push(shape.project === undefined ? r : shape.project(r));
      }
    }
    this.next = end;
    const status = this.events > 0 && end >= this.events ? 'end' : 'more';
    return { rows, status };
  }

  offset(): SourceOffset {
    return { event: this.next };
  }

  seek(offset: SourceOffset): void {
    const n = offset['event'];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new SqlError(SqlState.invalidParameterValue, `invalid nexmark offset ${JSON.stringify(offset)}`);
    this.next = n;
    this.paceFrom = n;
    this.startWall = this.clock?.() ?? 0;
  }

  close(): void {}
}

const options: readonly OptionSpec[] = [
  { key: 'table', type: Opt.oneOf('person', 'auction', 'bid', 'events'), description: "which events the table holds: 'person', 'auction', 'bid', or 'events' (nested rows)" },
  { key: 'events.num', type: Opt.integer(0), description: 'how many events (of all kinds) the stream has; 0 for an endless stream' },
  { key: 'first-event.rate', type: Opt.integer(1), description: 'events per second of event time (event n happens n / rate seconds after the first)' },
  { key: 'next-event.rate', type: Opt.integer(1), description: "the rate after the first period; Eddy keeps one rate, so it must equal 'first-event.rate'" },
  { key: 'rate.limited', type: Opt.boolean, description: 'emit events when their time comes on the wall clock instead of at full speed' },
  { key: 'person.proportion', type: Opt.integer(0), description: 'people in every (person + auction + bid) proportion events' },
  { key: 'auction.proportion', type: Opt.integer(1), description: 'auctions in every (person + auction + bid) proportion events' },
  { key: 'bid.proportion', type: Opt.integer(0), description: 'bids in every (person + auction + bid) proportion events' },
  { key: 'bid.hot-ratio.auctions', type: Opt.integer(1), description: 'one bid in this many is for a random auction, the others for the hot one' },
  { key: 'bid.hot-ratio.bidders', type: Opt.integer(1), description: 'one bid in this many is by a random person, the others by the hot bidder' },
  { key: 'auction.hot-ratio.sellers', type: Opt.integer(1), description: 'one auction in this many is by a random person, the others by the hot seller' },
  { key: 'person.avg-size', type: Opt.bytes, description: 'average size of a person event, padded with extra' },
  { key: 'auction.avg-size', type: Opt.bytes, description: 'average size of an auction event, padded with extra' },
  { key: 'bid.avg-size', type: Opt.bytes, description: 'average size of a bid event, padded with extra' },
  { key: 'seed', type: Opt.integer(0, 0xffffffff), description: 'the random seed: the same seed and options make the same events' },
  { key: 'base-time', type: Opt.string, description: "the event time of the first event, as a timestamp ('2015-07-15 00:00:00')" },
];

/** The generator configuration a nexmark table's options describe. */
export function nexmarkConfig(ctx: Pick<ConnectorContext, 'options'>): NexmarkConfig {
  const o = ctx.options;
  const rate = o.integer('first-event.rate') ?? defaultNexmarkConfig.rate;
  const next = o.integer('next-event.rate');
  if (next !== undefined && next !== rate) {
    throw o.invalid('next-event.rate', `option "next-event.rate" must equal "first-event.rate" (${rate}): Eddy generates at one rate`);
  }
  let baseTime = DEFAULT_BASE_TIME_MS;
  const bt = o.string('base-time');
  if (bt !== undefined) {
    try {
      baseTime = Math.floor(parseTimestamp(bt) / 1000);
    } catch {
      throw o.invalid('base-time', `invalid value for option "base-time": "${bt}"`, "Write a timestamp such as '2015-07-15 00:00:00'.");
    }
  }
  const config: NexmarkConfig = {
    ...defaultNexmarkConfig,
    rate,
    personProportion: o.integer('person.proportion') ?? defaultNexmarkConfig.personProportion,
    auctionProportion: o.integer('auction.proportion') ?? defaultNexmarkConfig.auctionProportion,
    bidProportion: o.integer('bid.proportion') ?? defaultNexmarkConfig.bidProportion,
    hotAuctionRatio: o.integer('bid.hot-ratio.auctions') ?? defaultNexmarkConfig.hotAuctionRatio,
    hotBiddersRatio: o.integer('bid.hot-ratio.bidders') ?? defaultNexmarkConfig.hotBiddersRatio,
    hotSellersRatio: o.integer('auction.hot-ratio.sellers') ?? defaultNexmarkConfig.hotSellersRatio,
    avgPersonByteSize: o.bytes('person.avg-size') ?? defaultNexmarkConfig.avgPersonByteSize,
    avgAuctionByteSize: o.bytes('auction.avg-size') ?? defaultNexmarkConfig.avgAuctionByteSize,
    avgBidByteSize: o.bytes('bid.avg-size') ?? defaultNexmarkConfig.avgBidByteSize,
    seed: o.integer('seed') ?? 0,
    baseTime,
  };
  if (config.personProportion === 0 && (config.auctionProportion > 0 || config.bidProportion > 0)) {
    // Auctions and bids refer to people: without any there is nobody to sell or bid.
    throw o.invalid('person.proportion', 'option "person.proportion" must be at least 1 when there are auctions or bids');
  }
  return config;
}

export const nexmarkConnector: Connector = {
  name: 'nexmark',
  options,
  check: (ctx) => {
    nexmarkConfig(ctx);
    shapeOf(ctx, ctx.options.string('table')?.toLowerCase());
  },
  source: (ctx): Source => {
    const config = nexmarkConfig(ctx);
    const shape = shapeOf(ctx, ctx.options.string('table')?.toLowerCase());
    const events = ctx.options.integer('events.num') ?? 0;
    const limited = ctx.options.boolean('rate.limited') === true;
    return {
      connector: 'nexmark',
      boundedness: events > 0 ? 'bounded' : 'endless',
      open: (o) => new NexmarkReader(new NexmarkGenerator(config), shape, events, limited && o.throttle ? ctx.now : undefined),
    };
  },
};

/** Columns of a nexmark table of `kind` as the generator fills them (for tests and the benchmark). */
export function nexmarkColumns(kind: EventKind): StoredColumn[] {
  return nexmarkFields[kind].map(([name, k]) => ({ name, type: nexmarkFieldType(k), nullable: false }));
}
