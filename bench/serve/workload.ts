// The serving load: many `pg` clients mixing INSERTs, view reads and subscriptions against one server, measured per phase.
//
// Schema: `events` holds one row per slot (PRIMARY KEY, so an INSERT upserts
// and the table's state stays bounded however long the run), `per_key`
// aggregates it. Every INSERT carries its id and the client's send time, so a
// subscriber can tell which acknowledged INSERT reached it and how late: a
// table subscriber by the row's id, a view subscriber by its group's newest id
// (`last_id`), timed from the send and from the writer receiving
// CommandComplete.
//
// Two phases: `peak` runs every client in a closed loop (the next statement as
// soon as the last one answers) to find the peak rates; `half` paces INSERTs
// and reads at half of those rates, where the insert-to-subscriber latency is
// the figure of interest. Subscribers FETCH in a loop throughout. After the
// phases the writers stop and every subscriber drains until it has seen every
// acknowledged INSERT (or a deadline passes, and what is missing is counted).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { LatencyHistogram } from './histogram.js';

/** What a client does with its connection. */
export type Role = 'insert' | 'read' | 'subscribe-table' | 'subscribe-view';
/** Statement kinds timed separately. */
export const STATEMENT_KINDS = ['insert', 'point read', 'scan', 'fetch'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
export type PhaseName = 'peak' | 'half';

export interface LoadOptions {
  readonly port: number;
  /** Concurrent connections (default 200). */
  readonly clients?: number;
  /** Length of the two phases together, in seconds (default 60). */
  readonly seconds?: number;
  /** Rows of `events` (its slots); INSERTs cycle through them (default 10,000). */
  readonly slots?: number;
  /** Groups of `per_key` (default 1,000). */
  readonly keys?: number;
  /** How long subscribers may take to catch up once the writers stop (default 30 s). */
  readonly drainSeconds?: number;
  /** Stops the run early (the phases end, the drain and checks still run). */
  readonly signal?: AbortSignal;
  /** Called once every client is connected and subscribed, as the first phase starts. */
  readonly onLoadStart?: () => void;
  /** The server's CPU seconds so far, to report its load per phase (when given). */
  readonly serverCpuSeconds?: () => number | undefined;
  /** A line about the run every second (when given). */
  readonly progress?: (line: string) => void;
}

export interface PhaseResult {
  readonly name: PhaseName;
  readonly seconds: number;
  readonly counts: Readonly<Record<StatementKind, number>>;
  readonly latency: Readonly<Record<StatementKind, LatencyHistogram>>;
  /** INSERTs per second the writers were paced at (the `half` phase only). */
  readonly targetInsertRate?: number;
  readonly targetReadRate?: number;
  /** From the client sending an INSERT to a table subscriber holding the row (INSERTs sent in this phase). */
  readonly visibleFromSend: LatencyHistogram;
  /** From the INSERT being acknowledged to a table subscriber holding the row (0 when the row arrived first). */
  readonly visibleFromAck: LatencyHistogram;
  /** Of those, rows a subscriber held before their writer had the acknowledgement. */
  readonly beforeAck: number;
  /** From sending an INSERT to a view subscriber seeing its group's newest send time. */
  readonly viewVisibleFromSend: LatencyHistogram;
  /** From the INSERT being acknowledged to a view subscriber seeing it as its group's newest id (0 when it arrived first). */
  readonly viewVisibleFromAck: LatencyHistogram;
  readonly viewBeforeAck: number;
  /** Cores' worth of CPU the server used over the phase (1 = one core busy throughout), when known. */
  readonly serverCores?: number;
  /** The same for this process, where every client runs. */
  readonly clientCores: number;
}

export interface LoadResult {
  readonly clients: Readonly<Record<Role, number>>;
  readonly phases: readonly PhaseResult[];
  readonly errors: number;
  /** The first few error messages. */
  readonly errorSamples: readonly string[];
  readonly acknowledged: number;
  /** Acknowledged INSERTs a table subscriber never received, summed over table subscribers. */
  readonly missing: number;
  /** Rows a table subscriber received twice. */
  readonly duplicates: number;
  /** View subscribers whose replayed changes do not end equal to `SELECT * FROM per_key`. */
  readonly viewMismatches: number;
  /** Changes received by each subscriber (table ones first). */
  readonly received: readonly number[];
  readonly drainSeconds: number;
  /** This process's event-loop delay while the phases ran: how far the clients themselves lagged. */
  readonly clientLagP99Ms: number;
  readonly clientLagMaxMs: number;
}

/** Upper bounds that keep every loop finite whatever the rates. */
const MAX_STATEMENTS_PER_CLIENT = 50_000_000;
const QUERY_TIMEOUT_MS = 30_000;
const FETCH_TIMEOUT = "'500ms'";
const FETCH_BATCH = 10_000;

/** Microseconds on one clock shared by every client of this process. */
function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Float64Array indexed by INSERT id that grows as ids do. */
class IdArray {
  private data = new Float64Array(1 << 16);

  set(id: number, v: number): void {
    if (id >= this.data.length) {
      let n = this.data.length;
      while (n <= id) n *= 2;
      const grown = new Float64Array(n);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[id] = v;
  }

  get(id: number): number {
    return this.data[id] ?? 0;
  }
}

/** One bit per INSERT id, growing as ids do. */
class IdBits {
  private data = new Uint8Array(1 << 13);

  /** Sets the bit; false when it was already set. */
  add(id: number): boolean {
    const byte = id >>> 3;
    if (byte >= this.data.length) {
      let n = this.data.length;
      while (n <= byte) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.data);
      this.data = grown;
    }
    const mask = 1 << (id & 7);
    const had = ((this.data[byte] as number) & mask) !== 0;
    this.data[byte] = (this.data[byte] as number) | mask;
    return !had;
  }

  has(id: number): boolean {
    return (((this.data[id >>> 3] ?? 0) >> (id & 7)) & 1) === 1;
  }
}

/** A phase while it runs: counters the clients update, and where it starts and ends. */
interface Phase {
  readonly name: PhaseName;
  startUs: number;
  endUs: number;
  readonly counts: Record<StatementKind, number>;
  readonly latency: Record<StatementKind, LatencyHistogram>;
  targetInsertRate?: number;
  targetReadRate?: number;
  readonly visibleFromSend: LatencyHistogram;
  readonly visibleFromAck: LatencyHistogram;
  beforeAck: number;
  readonly viewVisibleFromSend: LatencyHistogram;
  readonly viewVisibleFromAck: LatencyHistogram;
  viewBeforeAck: number;
  serverCpu0: number | undefined;
  serverCpu1: number | undefined;
  clientCpu0: NodeJS.CpuUsage;
  clientCpuSeconds: number;
}

function newPhase(name: PhaseName): Phase {
  const counts = { insert: 0, 'point read': 0, scan: 0, fetch: 0 };
  const latency = { insert: new LatencyHistogram(), 'point read': new LatencyHistogram(), scan: new LatencyHistogram(), fetch: new LatencyHistogram() };
  return {
    name, startUs: 0, endUs: 0, counts, latency, serverCpu0: undefined, serverCpu1: undefined, clientCpu0: process.cpuUsage(), clientCpuSeconds: 0,
    visibleFromSend: new LatencyHistogram(), visibleFromAck: new LatencyHistogram(), beforeAck: 0,
    viewVisibleFromSend: new LatencyHistogram(), viewVisibleFromAck: new LatencyHistogram(), viewBeforeAck: 0,
  };
}

/** How the clients split: a tenth subscribe (half to the table, half to the view), the rest half write and half read. */
export function splitClients(clients: number): Record<Role, number> {
  const subscribers = Math.max(2, Math.round(clients / 10));
  const table = Math.ceil(subscribers / 2);
  const rest = Math.max(2, clients - subscribers);
  const insert = Math.ceil(rest / 2);
  return { insert, read: rest - insert, 'subscribe-table': table, 'subscribe-view': subscribers - table };
}

export const SETUP_SQL = [
  'CREATE TABLE events (slot INT, id BIGINT, k INT, v BIGINT, sent_us BIGINT, PRIMARY KEY (slot) NOT ENFORCED)',
  'CREATE MATERIALIZED VIEW per_key AS SELECT k, count(*) AS n, sum(v) AS total, max(sent_us) AS last_sent, max(id) AS last_id FROM events GROUP BY k',
] as const;

/** Runs the load against a server already listening on `options.port` (with an empty catalog). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const clientCount = options.clients ?? 200;
  const totalSeconds = options.seconds ?? 60;
  const slots = options.slots ?? 10_000;
  const keys = options.keys ?? 1_000;
  const drainMs = (options.drainSeconds ?? 30) * 1000;
  const roles = splitClients(clientCount);

  let errors = 0;
  const errorSamples: string[] = [];
  const fail = (where: string, e: unknown): void => {
    errors += 1;
    if (errorSamples.length < 10) errorSamples.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      host: '127.0.0.1', port: options.port, user: 'eddy', database: 'eddy',
      connectionTimeoutMillis: 10_000, query_timeout: QUERY_TIMEOUT_MS,
    });
    c.on('error', (e) => fail('connection', e));
    await c.connect();
    return c;
  };

  const admin = await connect();
  const all: pg.Client[] = [admin];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  try {
    for (const sql of SETUP_SQL) await admin.query(sql);

    // Connect everyone, a few dozen at a time, before any load starts.
    const total = roles.insert + roles.read + roles['subscribe-table'] + roles['subscribe-view'];
    const conns: pg.Client[] = [];
    while (conns.length < total) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, total - conns.length) }, () => connect()));
      conns.push(...batch);
      all.push(...batch);
    }

    const ackUs = new IdArray();
    const acked = new IdBits();
    let nextId = 1;
    let ackedCount = 0;
    const phases: Phase[] = [];
    let current: Phase | undefined;
    let writersDone = false;
    /** Set once every INSERT has been answered: only then is "caught up" final. */
    let draining = false;
    let subscribersDone = false;
    const phaseOfSend = (us: number): Phase | undefined => {
      for (let i = phases.length - 1; i >= 0; i--) if (us >= (phases[i] as Phase).startUs) return phases[i];
      return undefined;
    };

    // Subscribers declare their cursors before the first INSERT, so with
    // SNAPSHOT = false each one must see every change of the run.
    const tableSeen: IdBits[] = [];
    const received: number[] = [];
    let duplicates = 0;
    const subscriberTasks: Promise<void>[] = [];
    /** Each view subscriber's replay of the changes, and whether it has reached the view's final contents. */
    const viewReplays: { readonly state: Map<number, string>; matched: boolean }[] = [];
    let expectedView: Map<number, string> | undefined;
    const drainDeadline = { at: Number.POSITIVE_INFINITY };

    const fetchLoop = async (c: pg.Client, index: number, onRows: (rows: unknown[][], recvUs: number) => void, caughtUp: () => boolean): Promise<void> => {
      for (let n = 0; n < MAX_STATEMENTS_PER_CLIENT; n++) {
        if (subscribersDone) return;
        if (draining && (caughtUp() || Date.now() > drainDeadline.at)) return;
        const t0 = nowUs();
        let rows: unknown[][];
        try {
          rows = (await c.query({ text: `FETCH ${FETCH_BATCH} c WITH (timeout = ${FETCH_TIMEOUT})`, rowMode: 'array' })).rows as unknown[][];
        } catch (e) {
          fail('fetch', e);
          return;
        }
        const recv = nowUs();
        const phase = current;
        if (phase && !writersDone) {
          phase.counts.fetch += 1;
          phase.latency.fetch.record(recv - t0);
        }
        received[index] = (received[index] ?? 0) + rows.length;
        onRows(rows, recv);
      }
    };

    let ci = 0;
    for (let i = 0; i < roles['subscribe-table']; i++) {
      const c = conns[ci++] as pg.Client;
      const seen = new IdBits();
      tableSeen.push(seen);
      let seenCount = 0;
      const index = received.length;
      received.push(0);
      await c.query('DECLARE c CURSOR FOR SUBSCRIBE events WITH (SNAPSHOT = false)');
      subscriberTasks.push(fetchLoop(c, index, (rows, recv) => {
        for (const r of rows) {
          const op = r[0];
          if (op !== '+I' && op !== '+U') continue;
          const id = Number(r[2]);
          if (!seen.add(id)) {
            duplicates += 1;
            continue;
          }
          seenCount += 1;
          const sent = Number(r[5]);
          const phase = phaseOfSend(sent);
          if (!phase) continue;
          phase.visibleFromSend.record(recv - sent);
          const ack = ackUs.get(id);
          // Not yet acknowledged: the row reached the subscriber before the writer saw its answer.
          phase.visibleFromAck.record(ack > 0 ? recv - ack : 0);
          if (ack === 0 || recv < ack) phase.beforeAck += 1;
        }
      }, () => seenCount >= ackedCount));
    }
    for (let i = 0; i < roles['subscribe-view']; i++) {
      const c = conns[ci++] as pg.Client;
      const replay = { state: new Map<number, string>(), matched: false };
      const { state } = replay;
      viewReplays.push(replay);
      const newest = new Map<number, number>();
      const newestId = new Map<number, number>();
      const index = received.length;
      received.push(0);
      await c.query('DECLARE c CURSOR FOR SUBSCRIBE per_key WITH (SNAPSHOT = false)');
      subscriberTasks.push(fetchLoop(c, index, (rows, recv) => {
        for (const r of rows) {
          const op = r[0];
          const k = Number(r[1]);
          if (op === '-U' || op === '-D') {
            state.delete(k);
            continue;
          }
          state.set(k, `${String(r[2])} ${String(r[3])} ${String(r[4])}`);
          const sent = Number(r[4]);
          // Only a group's newest send time growing marks the arrival of an INSERT into it.
          if (sent > (newest.get(k) ?? 0)) {
            newest.set(k, sent);
            phaseOfSend(sent)?.viewVisibleFromSend.record(recv - sent);
          }
          // Likewise the group's newest id names the INSERT that just reached it (one that did not raise it goes untimed).
          const id = Number(r[5]);
          if (id > (newestId.get(k) ?? 0)) {
            newestId.set(k, id);
            const phase = phaseOfSend(sent);
            if (phase) {
              const ack = ackUs.get(id);
              phase.viewVisibleFromAck.record(ack > 0 ? recv - ack : 0);
              if (ack === 0 || recv < ack) phase.viewBeforeAck += 1;
            }
          }
        }
        if (expectedView && !replay.matched) replay.matched = sameState(state, expectedView);
      }, () => replay.matched));
    }

    const writerTasks: Promise<void>[] = [];
    for (let w = 0; w < roles.insert; w++) {
      const c = conns[ci++] as pg.Client;
      writerTasks.push(paced(w, roles.insert, (p) => p.targetInsertRate, async () => {
        const id = nextId++;
        const sent = nowUs();
        const k = Math.floor(Math.random() * keys);
        const v = Math.floor(Math.random() * 1000);
        const phase = current as Phase;
        try {
          await c.query({ name: 'ins', text: 'INSERT INTO events VALUES ($1, $2, $3, $4, $5)', values: [id % slots, id, k, v, sent] });
        } catch (e) {
          fail('insert', e);
          return false;
        }
        const ack = nowUs();
        ackUs.set(id, ack);
        acked.add(id);
        ackedCount += 1;
        phase.counts.insert += 1;
        phase.latency.insert.record(ack - sent);
        return true;
      }));
    }
    for (let r = 0; r < roles.read; r++) {
      const c = conns[ci++] as pg.Client;
      let turn = r;
      writerTasks.push(paced(r, roles.read, (p) => p.targetReadRate, async () => {
        const kind: StatementKind = turn++ % 2 === 0 ? 'point read' : 'scan';
        const k = Math.floor(Math.random() * keys);
        const phase = current as Phase;
        const t0 = nowUs();
        try {
          if (kind === 'point read') {
            await c.query({ name: 'point', text: 'SELECT k, n, total, last_sent FROM per_key WHERE k = $1', values: [k], rowMode: 'array' });
          } else {
            await c.query({ text: `SELECT k, n, total FROM per_key WHERE k >= ${k} AND k < ${k + 10} ORDER BY k`, rowMode: 'array' });
          }
        } catch (e) {
          fail(kind, e);
          return false;
        }
        const t1 = nowUs();
        phase.counts[kind] += 1;
        phase.latency[kind].record(t1 - t0);
        return true;
      }));
    }

    /**
     * A client's statement loop: closed (as fast as answers come) in the peak
     * phase; in the half phase statement n of worker `w` of `of` is due at
     * phase start + (n + w/of) / rate-per-worker, and runs as soon as it is due
     * (never early). Ends at the first error, when the phases end, or at the
     * statement cap.
     */
    async function paced(w: number, of: number, rateOf: (p: Phase) => number | undefined, step: () => Promise<boolean>): Promise<void> {
      let phase: Phase | undefined;
      let n = 0;
      for (let total = 0; total < MAX_STATEMENTS_PER_CLIENT; total++) {
        // Waits for the first phase, which starts as soon as every client is set up.
        for (let i = 0; i < 60_000 && current === undefined && !writersDone; i++) await sleep(5);
        if (writersDone || current === undefined) return;
        if (current !== phase) {
          phase = current;
          n = 0;
        }
        const rate = rateOf(phase);
        if (rate !== undefined && rate > 0) {
          const perWorker = rate / of;
          const due = phase.startUs + ((n + w / of) / perWorker) * 1e6;
          n += 1;
          const wait = (due - nowUs()) / 1000;
          if (wait > 0) {
            // In slices, so the end of a phase is noticed quickly.
            await sleep(Math.min(wait, 100));
            if (nowUs() < due) {
              n -= 1;
              continue;
            }
          }
          if (current !== phase || writersDone) continue;
        }
        if (!(await step())) return;
      }
    }

    // The phases.
    const signal = options.signal;
    lag.enable();
    options.onLoadStart?.();
    const halfMs = (totalSeconds * 1000) / 2;
    for (const name of ['peak', 'half'] as const) {
      const phase = newPhase(name);
      if (name === 'half') {
        const peak = phases[0] as Phase;
        const peakSeconds = (peak.endUs - peak.startUs) / 1e6;
        phase.targetInsertRate = Math.max(1, peak.counts.insert / peakSeconds / 2);
        phase.targetReadRate = Math.max(1, (peak.counts['point read'] + peak.counts.scan) / peakSeconds / 2);
      }
      phase.startUs = nowUs();
      phase.serverCpu0 = options.serverCpuSeconds?.();
      phase.clientCpu0 = process.cpuUsage();
      phases.push(phase);
      current = phase;
      const until = Date.now() + halfMs;
      for (let tick = 0; tick < 1_000_000 && Date.now() < until && !signal?.aborted; tick++) {
        await sleep(Math.min(1000, until - Date.now()));
        const s = (nowUs() - phase.startUs) / 1e6;
        options.progress?.(`${name}: ${s.toFixed(0)} s, ${phase.counts.insert} inserts, ${phase.counts['point read'] + phase.counts.scan} reads, ${errors} errors`);
      }
      phase.endUs = nowUs();
      phase.serverCpu1 = options.serverCpuSeconds?.();
      const cpu = process.cpuUsage(phase.clientCpu0);
      phase.clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (signal?.aborted) break;
    }
    for (const p of phases) if (p.endUs === 0) p.endUs = nowUs();
    writersDone = true;
    lag.disable();
    current = undefined;
    await Promise.all(writerTasks);

    // Drain: the view's final contents, then every subscriber catches up.
    draining = true;
    const drainStart = Date.now();
    drainDeadline.at = drainStart + drainMs;
    try {
      const final = await admin.query({ text: 'SELECT k, n, total, last_sent FROM per_key', rowMode: 'array' });
      expectedView = new Map((final.rows as unknown[][]).map((r) => [Number(r[0]), `${String(r[1])} ${String(r[2])} ${String(r[3])}`]));
      for (const replay of viewReplays) replay.matched = sameState(replay.state, expectedView);
    } catch (e) {
      fail('final select', e);
    }
    await Promise.all(subscriberTasks);
    subscribersDone = true;
    const drainSeconds = (Date.now() - drainStart) / 1000;

    let missing = 0;
    for (const seen of tableSeen) {
      for (let id = 1; id < nextId; id++) if (acked.has(id) && !seen.has(id)) missing += 1;
    }
    const viewMismatches = viewReplays.filter((r) => !r.matched).length;

    return {
      clients: roles,
      phases: phases.map((p) => ({
        name: p.name, seconds: (p.endUs - p.startUs) / 1e6, counts: p.counts, latency: p.latency,
        ...(p.targetInsertRate !== undefined ? { targetInsertRate: p.targetInsertRate } : {}),
        ...(p.targetReadRate !== undefined ? { targetReadRate: p.targetReadRate } : {}),
        visibleFromSend: p.visibleFromSend, visibleFromAck: p.visibleFromAck, beforeAck: p.beforeAck,
        viewVisibleFromSend: p.viewVisibleFromSend, viewVisibleFromAck: p.viewVisibleFromAck, viewBeforeAck: p.viewBeforeAck,
        ...(p.serverCpu0 !== undefined && p.serverCpu1 !== undefined ? { serverCores: (p.serverCpu1 - p.serverCpu0) / ((p.endUs - p.startUs) / 1e6) } : {}),
        clientCores: p.clientCpuSeconds / ((p.endUs - p.startUs) / 1e6),
      })),
      errors, errorSamples, acknowledged: ackedCount, missing, duplicates, viewMismatches, received, drainSeconds,
      clientLagP99Ms: lag.percentile(99) / 1e6,
      clientLagMaxMs: lag.max / 1e6,
    };
  } finally {
    lag.disable();
    await Promise.all(all.map((c) => c.end().catch(() => {})));
  }
}

function sameState(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
