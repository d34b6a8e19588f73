// The Nexmark generator: the 1 : 3 : 46 mix, hot auction / bidder / seller ratios, ids, prices, padding, event times, determinism.

import { expect } from 'chai';
import type { Row } from '../../common/value.js';
import { defaultNexmarkConfig, DEFAULT_BASE_TIME_MS, NexmarkGenerator } from '../../connectors/nexmark/generator.js';

const N = 100_000;

function events(g: NexmarkGenerator, n: number): { kind: string; row: Row; n: number }[] {
  const out: { kind: string; row: Row; n: number }[] = [];
  for (let i = 0; i < n; i++) out.push({ kind: g.kindOf(i), row: g.event(i), n: i });
  return out;
}

describe('nexmark generator', () => {
  const g = new NexmarkGenerator(defaultNexmarkConfig);
  const all = events(g, N);
  const bids = all.filter((e) => e.kind === 'bid');
  const auctions = all.filter((e) => e.kind === 'auction');
  const people = all.filter((e) => e.kind === 'person');

  it('mixes person : auction : bid as 1 : 3 : 46 by event number', () => {
    expect([people.length, auctions.length, bids.length]).to.deep.equal([N / 50, (3 * N) / 50, (46 * N) / 50]);
    for (const e of all.slice(0, 100)) {
      const rem = e.n % 50;
      expect(e.kind).to.equal(rem === 0 ? 'person' : rem <= 3 ? 'auction' : 'bid');
    }
  });

  it('numbers people and auctions in creation order from 1000', () => {
    expect(people.map((p) => p.row[0])).to.deep.equal(people.map((_, i) => 1000 + i));
    expect(auctions.map((a) => a.row[0])).to.deep.equal(auctions.map((_, i) => 1000 + i));
  });

  it('sends half the bids to the hot auction and three quarters from the hot bidder', () => {
    const hotAuction = bids.filter((b) => b.row[0] === g.hotAuction(b.n)).length / bids.length;
    const hotBidder = bids.filter((b) => b.row[1] === g.hotBidder(b.n)).length / bids.length;
    // Random picks land on the hot one now and then too: a little above 1/2 and 3/4.
    expect(hotAuction).to.be.within(0.49, 0.53);
    expect(hotBidder).to.be.within(0.74, 0.77);
  });

  it('has three quarters of the auctions sold by the hot seller', () => {
    const hot = auctions.filter((a) => a.row[7] === g.hotSeller(a.n)).length / auctions.length;
    expect(hot).to.be.within(0.74, 0.77);
  });

  it('picks bidders among the 1,000 active people and auctions among the 100 in flight', () => {
    const outside: unknown[] = [];
    for (const b of bids) {
      const lastPerson = g.lastBase0PersonId(b.n) + 1000;
      const lastAuction = g.lastBase0AuctionId(b.n) + 1000;
      const bidder = b.row[1] as number;
      const auction = b.row[0] as number;
      if (bidder < Math.max(1000, lastPerson - 999) || bidder > lastPerson + 10) outside.push(['bidder', b.n, bidder]);
      if (auction < Math.max(1000, lastAuction - 100) || auction > lastAuction + 10) outside.push(['auction', b.n, auction]);
    }
    expect(outside).to.deep.equal([]);
  });

  it('draws prices log-uniformly from $1 to $10,000 (in cents)', () => {
    const prices = bids.map((b) => b.row[2] as number).sort((a, b) => a - b);
    expect(prices[0]).to.be.at.least(100);
    expect(prices[prices.length - 1]).to.be.at.most(100_000_000);
    // log10(price / 100) is uniform on [0, 6): each decade holds about a sixth.
    for (let d = 0; d < 6; d++) {
      const share = prices.filter((p) => p >= 100 * 10 ** d && p < 100 * 10 ** (d + 1)).length / prices.length;
      expect(share, `decade ${d}`).to.be.within(0.15, 0.185);
    }
    const auctionRows = auctions.map((a) => a.row);
    for (const a of auctionRows) expect(a[4] as number).to.be.above(a[3] as number);
  });

  it('pads events with extra to their average sizes', () => {
    const avg = (rows: Row[], size: (r: Row) => number): number => rows.reduce((s, r) => s + size(r), 0) / rows.length;
    const strings = (r: Row, idx: number[]): number => idx.reduce((s, i) => s + (r[i] as string).length, 0);
    expect(avg(bids.map((b) => b.row), (r) => 32 + (r[6] as string).length)).to.be.within(97, 103);
    expect(avg(people.map((p) => p.row), (r) => 8 + strings(r, [1, 2, 3, 4, 5, 7]))).to.be.within(190, 210);
    expect(avg(auctions.map((a) => a.row), (r) => 48 + strings(r, [1, 2, 9]))).to.be.within(485, 515);
  });

  it('times events from their number and the rate, in milliseconds', () => {
    const slow = new NexmarkGenerator({ ...defaultNexmarkConfig, rate: 1000 });
    expect(slow.bid(4)[5]).to.equal((DEFAULT_BASE_TIME_MS + 4) * 1000);
    expect(slow.person(50_000)[6]).to.equal((DEFAULT_BASE_TIME_MS + 50_000) * 1000);
    // At 10 M events a second, 10,000 events share a millisecond.
    expect(g.bid(9_999)[5]).to.equal(DEFAULT_BASE_TIME_MS * 1000);
    expect(g.bid(10_004)[5]).to.equal((DEFAULT_BASE_TIME_MS + 1) * 1000);
    // Auctions expire after they open, on average once 100 more auctions have opened.
    const a = slow.auction(1001);
    expect(a[6] as number).to.be.above(a[5] as number);
  });

  it('fills every field with values of the public generator', () => {
    const person = people[3]?.row as Row;
    expect(person[1]).to.match(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(person[2]).to.match(/^[a-z ]*@[a-z ]*\.com$/);
    expect(person[3]).to.match(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']).to.include(person[5]);
    const categories = new Set(auctions.map((x) => x.row[8]));
    expect([...categories].sort()).to.deep.equal([10, 11, 12, 13, 14]);
    const channels = new Set(bids.map((b) => b.row[3]));
    for (const c of ['Google', 'Facebook', 'Baidu', 'Apple']) expect(channels.has(c)).to.equal(true);
    const hotChannel = bids.filter((b) => ['Google', 'Facebook', 'Baidu', 'Apple'].includes(b.row[3] as string)).length / bids.length;
    expect(hotChannel).to.be.within(0.48, 0.52);
    for (const b of bids.slice(0, 1000)) expect(b.row[4]).to.match(/^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1(&channel_id=\d+)?$/);
  });

  it('is deterministic for a seed, whatever order events are made in, and differs between seeds', () => {
    const again = new NexmarkGenerator(defaultNexmarkConfig);
    for (let i = 999; i >= 0; i--) expect(again.event(i)).to.deep.equal(all[i]?.row);
    const other = new NexmarkGenerator({ ...defaultNexmarkConfig, seed: 42 });
    const same = all.slice(0, 1000).filter((e) => JSON.stringify(other.event(e.n)) === JSON.stringify(e.row)).length;
    expect(same).to.equal(0);
  });
});
