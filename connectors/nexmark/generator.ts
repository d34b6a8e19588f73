// The Nexmark event generator: Person, Auction and Bid events as the public Nexmark generator (Flink version) makes them.
//
// Event n (0-based) is a person when n mod 50 is 0, an auction when it is 1-3 and a
// bid otherwise (proportions 1 : 3 : 46). Its time is baseTime + n / rate. Ids follow
// from n: person ids and auction ids grow with the events that created them, and a
// bid or auction picks among the 1,000 most recent people and the 100 most recent
// auctions (plus a lead of 10 not created yet), or a "hot" one: half of the bids go to
// the first auction of the latest block of 100, three quarters come from the second
// person of the latest block of 100 people, three quarters of the auctions are sold by
// the first person of that block. Prices are 10^(6u) * 100 for uniform u (1 cent to
// $10,000), and `extra` pads each event to its average size (100 / 200 / 500 bytes).
//
// Unlike the Flink version (one unseeded java.util.Random), every event draws from a
// generator seeded with (seed, n): a run is deterministic for a seed, and event n can
// be made without making events 0..n-1, which is what lets a reader resume from an
// offset and lets the person, auction and bid tables each skip the others' events.
// Strings are cut from per-seed pools of random letters rather than drawn letter by
// letter: the same distribution of lengths and letters, at a fraction of the cost.

import { fmix32 } from '../../common/hash-mix.js';
import type { Row } from '../../common/value.js';

export interface NexmarkConfig {
  /** Events per second of event time (Flink's 'first-event.rate'). */
  readonly rate: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  /** 1 in this many bids is for a random auction, the rest for the hot one (Flink's hotAuctionRatio). */
  readonly hotAuctionRatio: number;
  readonly hotBiddersRatio: number;
  readonly hotSellersRatio: number;
  readonly numActivePeople: number;
  readonly numInFlightAuctions: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  /** Event time of event 0, in milliseconds since the epoch. */
  readonly baseTime: number;
  readonly seed: number;
}

/** 2015-07-15 00:00:00 UTC: a fixed event-time origin, so runs agree. */
export const DEFAULT_BASE_TIME_MS = 1_436_918_400_000;

export const defaultNexmarkConfig: NexmarkConfig = {
  rate: 10_000_000,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  hotSellersRatio: 4,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  baseTime: DEFAULT_BASE_TIME_MS,
  seed: 0,
};

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
const HOT_SELLER_RATIO = 100;
const HOT_AUCTION_RATIO = 100;
const HOT_BIDDER_RATIO = 100;
const NUM_CATEGORIES = 5;
const HOT_CHANNELS_RATIO = 2;
const CHANNELS_NUMBER = 10_000;
const PRICE_EXPONENT = 6 * Math.LN10;

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];

export type EventKind = 'person' | 'auction' | 'bid';

/** A small fast generator (mulberry32) whose whole state is one 32-bit number, re-seeded per event. */
export class EventRandom {
  private state = 0;

  /** Seeds from (seed, n) for any n up to 2^53. */
  reseed(seed: number, n: number): void {
    const lo = n >>> 0;
    const hi = Math.floor(n / 4294967296) >>> 0;
    this.state = fmix32(lo ^ fmix32(hi ^ fmix32(seed ^ 0x5bd1e995)));
  }

  /** Uniform in [0, 1). */
  next(): number {
    const a = (this.state = (this.state + 0x6d2b79f5) | 0);
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [0, n) for n beyond 2^32 too. */
  nextLong(n: number): number {
    if (n <= 4294967296) return Math.floor(this.next() * n);
    const hi = Math.floor(this.next() * 4294967296);
    const lo = Math.floor(this.next() * 4294967296);
    return Math.floor(((hi * 4294967296 + lo) / 18446744073709551616) * n);
  }
}

/** Random text cut from fixed pools: letters only, or letters with a space in every 13 characters on average. */
class StringPools {
  private static readonly SIZE = 1 << 16;
  readonly letters: string;
  readonly words: string;

  constructor(seed: number) {
    const r = new EventRandom();
    r.reseed(seed, 0x7fffffff);
    const letters: string[] = [];
    const words: string[] = [];
    for (let i = 0; i < StringPools.SIZE + 256; i++) {
      letters.push(String.fromCharCode(97 + r.nextInt(26)));
      words.push(r.nextInt(13) === 0 ? ' ' : String.fromCharCode(97 + r.nextInt(26)));
    }
    this.letters = letters.join('');
    this.words = words.join('');
  }

  /** A random string of exactly `length` letters (length <= 256). */
  exact(r: EventRandom, length: number): string {
    const at = r.nextInt(StringPools.SIZE);
    return this.letters.substring(at, at + length);
  }

  /** A random string of 3 to maxLength - 1 characters with spaces, trimmed (Nexmark's nextString). */
  text(r: EventRandom, maxLength: number): string {
    const length = 3 + r.nextInt(maxLength - 3);
    const at = r.nextInt(StringPools.SIZE);
    return this.words.substring(at, at + length).trim();
  }
}

/**
 * Makes events by number. Stateless between events apart from caches: `kindOf(n)` and
 * the row makers can be called for any n in any order.
 */
export class NexmarkGenerator {
  readonly total: number;
  private readonly interEventDelayUs: number;
  private readonly r = new EventRandom();
  private readonly pools: StringPools;
  private readonly hotUrls: string[];
  /** Channel names and urls by number, made on first use (an array: this lookup is on every other bid). */
  private readonly channelNames: (string | undefined)[] = new Array<string | undefined>(CHANNELS_NUMBER);
  private readonly channelUrls: string[] = new Array<string>(CHANNELS_NUMBER);
  /** How many events ahead an auction's horizon reaches (numInFlightAuctions auctions from now). */
  private readonly auctionHorizonEvents: number;

  constructor(readonly config: NexmarkConfig) {
    this.total = config.personProportion + config.auctionProportion + config.bidProportion;
    this.interEventDelayUs = 1_000_000 / config.rate;
    this.pools = new StringPools(config.seed);
    this.auctionHorizonEvents = Math.floor((config.numInFlightAuctions * this.total) / config.auctionProportion);
    this.hotUrls = HOT_CHANNELS.map((_, i) => {
      const r = new EventRandom();
      r.reseed(config.seed ^ 0x2c1b3c6d, i);
      return this.baseUrl(r);
    });
  }

  kindOf(n: number): EventKind {
    const rem = n % this.total;
    if (rem < this.config.personProportion) return 'person';
    if (rem < this.config.personProportion + this.config.auctionProportion) return 'auction';
    return 'bid';
  }

  /** Event time of event n, in milliseconds (Nexmark's timestampForEvent). */
  timestampMs(n: number): number {
    return this.config.baseTime + Math.floor(Math.floor(n * this.interEventDelayUs) / 1000);
  }

  /** The last person id (base 0) created by event n or before it. */
  lastBase0PersonId(n: number): number {
    const epoch = Math.floor(n / this.total);
    let offset = n % this.total;
    if (offset >= this.config.personProportion) offset = this.config.personProportion - 1;
    return epoch * this.config.personProportion + offset;
  }

  /** The last auction id (base 0) created by event n or before it. */
  lastBase0AuctionId(n: number): number {
    let epoch = Math.floor(n / this.total);
    let offset = n % this.total;
    const { personProportion, auctionProportion } = this.config;
    if (offset < personProportion) {
      epoch--;
      offset = auctionProportion - 1;
    } else if (offset >= personProportion + auctionProportion) offset = auctionProportion - 1;
    else offset -= personProportion;
    return epoch * auctionProportion + offset;
  }

  /** A random recent person (base 0), possibly one a few events ahead. */
  private nextBase0PersonId(n: number): number {
    const numPeople = this.lastBase0PersonId(n) + 1;
    const active = Math.min(numPeople, this.config.numActivePeople);
    return numPeople - active + this.r.nextLong(active + PERSON_ID_LEAD);
  }

  /** A random auction likely still in flight (base 0), possibly one a few events ahead. */
  private nextBase0AuctionId(n: number): number {
    const max = this.lastBase0AuctionId(n);
    const min = Math.max(max - this.config.numInFlightAuctions, 0);
    return min + this.r.nextLong(max - min + 1 + AUCTION_ID_LEAD);
  }

  /** 10^(6u) * 100 cents, rounded; exp is several times faster than Math.pow here. */
  private nextPrice(): number {
    return Math.round(Math.exp(this.r.next() * PRICE_EXPONENT) * 100);
  }

  /** Padding so that an event of `currentSize` bytes is on average `averageSize` (Nexmark's nextExtra). */
  private nextExtra(currentSize: number, averageSize: number): string {
    if (currentSize > averageSize) return '';
    const desired = averageSize - currentSize;
    const delta = Math.round(desired * 0.2);
    const size = desired - delta + (delta === 0 ? 0 : this.r.nextInt(2 * delta));
    return this.exactString(size);
  }

  private exactString(length: number): string {
    if (length <= 256) return this.pools.exact(this.r, length);
    let s = '';
    while (s.length < length) s += this.pools.exact(this.r, Math.min(256, length - s.length));
    return s;
  }

  private baseUrl(r: EventRandom): string {
    const dir = (): string => this.pools.text(r, 5).replace(/ /g, '_');
    return `https://www.nexmark.com/${dir()}/${dir()}/${dir()}/item.htm?query=1`;
  }

  /** Makes channel `i`'s name and url: fixed per seed, whatever order channels are first met in. */
  private makeChannel(i: number): string {
    // The channel's own generator, so the event's draws stay the same.
    const r = new EventRandom();
    r.reseed(this.config.seed ^ 0x1b873593, i);
    let url = this.baseUrl(r);
    if (r.nextInt(10) > 0) url += `&channel_id=${Math.abs(reverseBits32(i))}`;
    const name = `channel-${i}`;
    this.channelNames[i] = name;
    this.channelUrls[i] = url;
    return name;
  }

  /** Person of event n: [id, name, email_address, credit_card, city, state, date_time (µs), extra]. */
  person(n: number): Row {
    const r = this.r;
    r.reseed(this.config.seed, n);
    const id = this.lastBase0PersonId(n) + FIRST_PERSON_ID;
    const name = `${FIRST_NAMES[r.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[r.nextInt(LAST_NAMES.length)]}`;
    const email = `${this.pools.text(r, 7)}@${this.pools.text(r, 5)}.com`;
    const card = `${pad4(r.nextInt(10000))} ${pad4(r.nextInt(10000))} ${pad4(r.nextInt(10000))} ${pad4(r.nextInt(10000))}`;
    const city = US_CITIES[r.nextInt(US_CITIES.length)] as string;
    const state = US_STATES[r.nextInt(US_STATES.length)] as string;
    const size = 8 + name.length + email.length + card.length + city.length + state.length;
    const extra = this.nextExtra(size, this.config.avgPersonByteSize);
    return [id, name, email, card, city, state, this.timestampMs(n) * 1000, extra];
  }

  /**
   * Auction of event n: [id, item_name, description, initial_bid, reserve, date_time, expires,
   * seller, category, extra], times in microseconds.
   */
  auction(n: number): Row {
    const r = this.r;
    r.reseed(this.config.seed, n);
    const id = this.lastBase0AuctionId(n) + FIRST_AUCTION_ID;
    let seller: number;
    if (r.nextInt(this.config.hotSellersRatio) > 0) seller = Math.floor(this.lastBase0PersonId(n) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO;
    else seller = this.nextBase0PersonId(n);
    seller += FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + r.nextInt(NUM_CATEGORIES);
    const initialBid = this.nextPrice();
    const timestamp = this.timestampMs(n);
    // Auctions last on average until numInFlightAuctions more auctions have been created.
    const horizonMs = this.timestampMs(n + this.auctionHorizonEvents) - timestamp;
    const expires = timestamp + 1 + r.nextLong(Math.max(horizonMs * 2, 1));
    const itemName = this.pools.text(r, 20);
    const description = this.pools.text(r, 100);
    const reserve = initialBid + this.nextPrice();
    const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    const extra = this.nextExtra(size, this.config.avgAuctionByteSize);
    return [id, itemName, description, initialBid, reserve, timestamp * 1000, expires * 1000, seller, category, extra];
  }

  /** Bid of event n: [auction, bidder, price, channel, url, date_time (µs), extra]. */
  bid(n: number): Row {
    const r = this.r;
    r.reseed(this.config.seed, n);
    let auction: number;
    if (r.nextInt(this.config.hotAuctionRatio) > 0) auction = Math.floor(this.lastBase0AuctionId(n) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO;
    else auction = this.nextBase0AuctionId(n);
    auction += FIRST_AUCTION_ID;
    // The second person of the block, so hot bidders and hot sellers differ. (The Flink
    // version adds FIRST_PERSON_ID twice here, so its bidders never match a person; the
    // original Nexmark adds it once, as here.)
    let bidder: number;
    if (r.nextInt(this.config.hotBiddersRatio) > 0) bidder = Math.floor(this.lastBase0PersonId(n) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1;
    else bidder = this.nextBase0PersonId(n);
    bidder += FIRST_PERSON_ID;
    const price = this.nextPrice();
    let channel: string;
    let url: string;
    if (r.nextInt(HOT_CHANNELS_RATIO) > 0) {
      const i = r.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i] as string;
      url = this.hotUrls[i] as string;
    } else {
      const i = r.nextInt(CHANNELS_NUMBER);
      channel = this.channelNames[i] ?? this.makeChannel(i);
      url = this.channelUrls[i] as string;
    }
    const extra = this.nextExtra(32, this.config.avgBidByteSize);
    return [auction, bidder, price, channel, url, this.timestampMs(n) * 1000, extra];
  }

  /** The event's row for its own table. */
  event(n: number): Row {
    const kind = this.kindOf(n);
    return kind === 'person' ? this.person(n) : kind === 'auction' ? this.auction(n) : this.bid(n);
  }

  /** The hot auction id a bid of event n favours. */
  hotAuction(n: number): number {
    return Math.floor(this.lastBase0AuctionId(n) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO + FIRST_AUCTION_ID;
  }

  /** The hot bidder id of event n. */
  hotBidder(n: number): number {
    return Math.floor(this.lastBase0PersonId(n) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1 + FIRST_PERSON_ID;
  }

  /** The hot seller id of event n. */
  hotSeller(n: number): number {
    return Math.floor(this.lastBase0PersonId(n) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO + FIRST_PERSON_ID;
  }
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}

/** Java's Integer.reverse: the 32 bits in reverse order, as a signed int. */
export function reverseBits32(x: number): number {
  let v = x >>> 0;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  v = (v >>> 16) | (v << 16);
  return v | 0;
}
