// IntervalJoin: L ⋈ R on keys where right.time - left.time ∈ [lower, upper]; rows wait for partners only as long as the bounds allow.

import { fmix32 } from '../../common/hash-mix.js';
import { projectedKey } from '../../common/key.js';
import type { Row, Value } from '../../common/value.js';
import { ChangeBatch, INSERT } from '../change.js';
import { WatermarkTracker, type OperatorContext, type Output, type StreamOperator } from '../operator.js';
import type { SortedState, StateKey, ValueState } from '../state/state-api.js';
import { decodeValue, encodeValue } from '../state/state-codec.js';

export interface IntervalJoinOptions {
  readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  /** Equi-join columns, pairwise; both empty when the rows only meet in time. */
  readonly leftKeys: readonly number[];
  readonly rightKeys: readonly number[];
  /** The ON condition apart from the equi keys (the time bounds included), over the concatenated row. */
  readonly residual?: (row: Row) => boolean;
  readonly leftTime: number;
  readonly rightTime: number;
  /** Microseconds: a left row at t meets right rows at t + lower .. t + upper. */
  readonly lower: number;
  readonly upper: number;
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly timeAttribute: 'ROWTIME' | 'PROCTIME';
}

/** A stored row of a padded side and whether it has met a partner (outer joins pad those that never do). */
type Entry = [Row, boolean];

/** Rows are filed by time in buckets of whole seconds (microseconds here), at least one. */
const MIN_BUCKET = 1_000_000;
/** Rows per part of a sealed chunk, about: a probe reads one part of each chunk its key may be in. */
const PART_ROWS = 64;
/** An open chunk is sealed at each checkpoint, or once it holds this many rows. */
const SEAL_ROWS = 65_536;
/** Bloom filter of a chunk's keys: bits per row and probes per key (about 1% false hits). */
const BLOOM_BITS = 10;
const BLOOM_PROBES = 4;

/**
 * A side whose rows are padded (the preserved side of an outer join): one entry per
 * row, [bucket, join key, time, seq] -> [row, matched], and [0, time, join key,
 * seq] -> 1 in "<side>Times" to free (and pad) rows at the exact watermark.
 */
interface RowSide {
  readonly kind: 'rows';
  readonly isLeft: boolean;
  readonly keys: readonly number[];
  readonly time: number;
  readonly rows: SortedState<Entry>;
  readonly times: SortedState<number>;
}

/** A sealed chunk of a ChunkSide: its rows of one bucket, split into parts by key hash. */
interface Chunk {
  readonly id: number;
  readonly parts: number;
  readonly bloom: Uint8Array;
  readonly minTime: number;
  readonly maxTime: number;
}

/**
 * A side whose rows are never padded: rows arriving since the last seal are held in
 * memory by bucket and key (the open chunk); sealing writes them as chunks of one
 * bucket each, [bucket, chunk, part] -> the encoding of [row, row, ...] (key and
 * time are read from the rows) in "<side>Parts", a part holding about PART_ROWS
 * rows of the keys that hash to it (as bytes: a cached part is one buffer, not a tree of small objects
 * the garbage collector walks, and a checkpoint copies it as it is),
 * and [bucket, chunk] -> [bloom filter of its keys, parts, min time, max time] in
 * "<side>Chunks", kept in memory too. A probe reads, per chunk within the time
 * bounds whose filter may hold the key, one part. A whole bucket is freed at once.
 */
interface ChunkSide {
  readonly kind: 'chunks';
  readonly isLeft: boolean;
  readonly keys: readonly number[];
  readonly time: number;
  readonly parts: SortedState<Uint8Array>;
  readonly chunks: SortedState<[Uint8Array, number, number, number]>;
  /** Sealed chunks by bucket. */
  readonly sealed: Map<number, Chunk[]>;
  /** The open chunk: bucket -> join key -> [time, row, time, row, ...]. */
  readonly open: Map<number, Map<Value, Value[]>>;
  openRows: number;
}

type Side = RowSide | ChunkSide;

/**
 * Interval join. Each arriving row is joined at once with the other side's stored
 * rows of the same key whose time is within the bounds (+I per match), then stored.
 * Future rows are not behind the watermark W (those are late and dropped), so a
 * left row at t can only meet more partners while t + upper >= W, and a right row
 * at t while t - lower >= W: past that the watermark frees them; an outer join then
 * emits the row padded with NULLs if it never met a partner. The output is
 * append-only. With processing time the clock plays the watermark.
 *
 * Rows are filed by time in buckets, bucket = floor(time / width), width being
 * upper - lower rounded up to whole seconds (at least one): a row meets the other
 * side's rows of at most three buckets. A padded side (RowSide) keeps one entry per
 * row and frees rows at the exact watermark, padding those that never matched. A
 * side that is not padded (ChunkSide; both sides of an inner join) packs its rows
 * into chunks written at checkpoints, so that a row costs no state access of its
 * own, and frees whole buckets once the watermark has passed all of one: rows
 * outlive their bounds by up to one width, and meet nothing meanwhile (rows behind
 * the watermark never arrive). The sequence and the progress are written at
 * checkpoints only.
 */
export class IntervalJoin implements StreamOperator {
  readonly name = 'IntervalJoin';
  private output!: Output;
  private context!: OperatorContext;
  private left!: Side;
  private right!: Side;
  private progressState!: ValueState<number>;
  private sequenceState!: ValueState<number>;
  private sequence = 0;
  private progress = Number.NEGATIVE_INFINITY;
  private readonly watermarks = new WatermarkTracker(2);
  private readonly nullLeft: Row;
  private readonly nullRight: Row;
  private readonly width: number;
  private readonly proctime: boolean;

  constructor(private readonly options: IntervalJoinOptions) {
    this.nullLeft = new Array<Value>(options.leftWidth).fill(null);
    this.nullRight = new Array<Value>(options.rightWidth).fill(null);
    this.width = Math.max(MIN_BUCKET, Math.ceil((options.upper - options.lower) / MIN_BUCKET) * MIN_BUCKET);
    this.proctime = options.timeAttribute === 'PROCTIME';
  }

  open(context: OperatorContext): void {
    this.context = context;
    this.output = context.output;
    const s = context.state;
    const o = this.options;
    const t = o.joinType;
    const side = (isLeft: boolean, pads: boolean): Side => {
      const name = isLeft ? 'left' : 'right';
      const keys = isLeft ? o.leftKeys : o.rightKeys;
      const time = isLeft ? o.leftTime : o.rightTime;
      if (pads) return { kind: 'rows', isLeft, keys, time, rows: s.sorted<Entry>(name), times: s.sorted<number>(`${name}Times`) };
      const c: ChunkSide = {
        kind: 'chunks', isLeft, keys, time,
        parts: s.sorted<Uint8Array>(`${name}Parts`),
        chunks: s.sorted<[Uint8Array, number, number, number]>(`${name}Chunks`),
        sealed: new Map(), open: new Map(), openRows: 0,
      };
      for (const [k, [bloom, parts, minTime, maxTime]] of c.chunks.range(undefined, undefined)) {
        const bucket = k[0] as number;
        const list = c.sealed.get(bucket) ?? [];
        list.push({ id: k[1] as number, parts, bloom, minTime, maxTime });
        c.sealed.set(bucket, list);
      }
      return c;
    };
    this.left = side(true, t === 'LEFT' || t === 'FULL');
    this.right = side(false, t === 'RIGHT' || t === 'FULL');
    this.progressState = s.value<number>('progress');
    this.progress = this.progressState.get([]) ?? Number.NEGATIVE_INFINITY;
    this.sequenceState = s.value<number>('sequence');
    this.sequence = this.sequenceState.get([]) ?? 0;
    this.watermarks.configure(context);
  }

  processBatch(input: number, batch: ChangeBatch): void {
    if (this.proctime) this.expire(this.context.now());
    const out = new ChangeBatch();
    const side = input === 0 ? this.left : this.right;
    const other = input === 0 ? this.right : this.left;
    const rows = batch.rows;
    for (let i = 0; i < rows.length; i++) this.arrive(side, other, rows[i] as Row, out);
    if (side.kind === 'chunks' && side.openRows >= SEAL_ROWS) this.seal(side);
    if (out.length > 0) this.output.emit(out);
    if (this.proctime) this.expire(this.context.now());
    else {
      const w = this.watermarks.active(input);
      if (w !== undefined) this.closeUpTo(w);
    }
  }

  processWatermark(input: number, watermark: number): void {
    const w = this.watermarks.update(input, watermark);
    if (this.proctime) {
      this.expire(this.context.now());
      if (w !== undefined) this.output.emitWatermark(w);
      return;
    }
    if (w !== undefined) this.closeUpTo(w);
  }

  snapshot(_checkpointId: number): void {
    if (this.left.kind === 'chunks') this.seal(this.left);
    if (this.right.kind === 'chunks') this.seal(this.right);
    this.sequenceState.put([], this.sequence);
    if (this.progress !== Number.NEGATIVE_INFINITY) this.progressState.put([], this.progress);
  }

  close(): void {}

  private closeUpTo(watermark: number): void {
    this.expire(watermark);
    this.output.emitWatermark(watermark);
  }

  private arrive(side: Side, other: Side, row: Row, out: ChangeBatch): void {
    const o = this.options;
    const isLeft = side.isLeft;
    const t = row[side.time];
    if (typeof t !== 'number' || t < this.progress) {
      this.context.lateRow?.(isLeft ? 0 : 1, row, typeof t === 'number' ? t : null, this.progress);
      return;
    }
    const key = joinKey(row, side.keys);
    if (key === null) {
      // A NULL key meets nothing: an outer row is padded at once, others dropped.
      if (side.kind === 'rows') out.push(INSERT, isLeft ? concat(row, this.nullRight) : concat(this.nullLeft, row));
      return;
    }
    // The other side's rows of this key within the bounds: right.time in [t + lower, t + upper] for a left row.
    const from = isLeft ? t + o.lower : t - o.upper;
    const to = isLeft ? t + o.upper : t - o.lower;
    const before = out.length;
    if (other.kind === 'rows') this.probeRows(other, row, key, from, to, out);
    else this.probeChunks(other, row, key, from, to, out);
    const bucket = Math.floor(t / this.width);
    if (side.kind === 'rows') {
      const seq = this.sequence++;
      side.rows.put([bucket, key, t, seq], [row, out.length > before]);
      side.times.put([0, t, key, seq], 1);
      return;
    }
    let byKey = side.open.get(bucket);
    if (byKey === undefined) {
      byKey = new Map();
      side.open.set(bucket, byKey);
    }
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [t, row]);
    else list.push(t, row);
    side.openRows++;
  }

  /** Joins `row` (of the other side) with the rows of `side` under `key` in [from, to], marking first matches. */
  private probeRows(side: RowSide, row: Row, key: Value, from: number, to: number, out: ChangeBatch): void {
    const width = this.width;
    const toLeft = !side.isLeft;
    let firstMatches: [StateKey, Row][] | undefined;
    for (let b = Math.floor(from / width), last = Math.floor(to / width); b <= last; b++) {
      for (const [k, entry] of side.rows.range([b, key, from], [b, key, to, Number.POSITIVE_INFINITY])) {
        if (!this.emit(toLeft, row, entry[0], out)) continue;
        // State must not change while it is read: the first matches are marked afterwards.
        if (!entry[1]) (firstMatches ??= []).push([k, entry[0]]);
      }
    }
    if (firstMatches !== undefined) for (const [k, partner] of firstMatches) side.rows.put(k, [partner, true]);
  }

  /** Joins `row` (of the other side) with the rows of `side` under `key` in [from, to]. */
  private probeChunks(side: ChunkSide, row: Row, key: Value, from: number, to: number, out: ChangeBatch): void {
    const width = this.width;
    const toLeft = !side.isLeft;
    let hash: number | undefined;
    for (let b = Math.floor(from / width), last = Math.floor(to / width); b <= last; b++) {
      const chunks = side.sealed.get(b);
      if (chunks !== undefined) {
        hash ??= hashKey(key);
        for (const c of chunks) {
          if (c.maxTime < from || c.minTime > to || !bloomHas(c.bloom, hash)) continue;
          const bytes = side.parts.get([b, c.id, partOf(hash, c.parts)]);
          if (bytes === undefined) continue;
          const part = decodeValue(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Row[];
          for (let i = 0; i < part.length; i++) {
            const stored = part[i] as Row;
            const t = stored[side.time] as number;
            if (t >= from && t <= to && joinKey(stored, side.keys) === key) this.emit(toLeft, row, stored, out);
          }
        }
      }
      const list = side.open.get(b)?.get(key);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i += 2) {
        const t = list[i] as number;
        if (t >= from && t <= to) this.emit(toLeft, row, list[i + 1] as Row, out);
      }
    }
  }

  /** Emits `row` joined with `partner` if the residual holds; `rowIsLeft` says which side `row` is. */
  private emit(rowIsLeft: boolean, row: Row, partner: Row, out: ChangeBatch): boolean {
    const joined = rowIsLeft ? concat(row, partner) : concat(partner, row);
    const residual = this.options.residual;
    if (residual !== undefined && residual(joined) !== true) return false;
    out.push(INSERT, joined);
    return true;
  }

  /** Writes the open chunk of `side` into state: one sealed chunk per bucket. */
  private seal(side: ChunkSide): void {
    for (const [bucket, byKey] of side.open) {
      let rows = 0;
      let minTime = Number.POSITIVE_INFINITY;
      let maxTime = Number.NEGATIVE_INFINITY;
      for (const list of byKey.values()) {
        rows += list.length / 2;
        for (let i = 0; i < list.length; i += 2) {
          const t = list[i] as number;
          if (t < minTime) minTime = t;
          if (t > maxTime) maxTime = t;
        }
      }
      const partCount = Math.max(1, Math.ceil(rows / PART_ROWS));
      const bloom = new Uint8Array(Math.max(8, Math.ceil((byKey.size * BLOOM_BITS) / 8)));
      const parts: Row[][] = [];
      for (const [key, list] of byKey) {
        const hash = hashKey(key);
        bloomAdd(bloom, hash);
        const p = partOf(hash, partCount);
        const part = (parts[p] ??= []);
        for (let i = 1; i < list.length; i += 2) part.push(list[i] as Row);
      }
      const id = this.sequence++;
      for (let p = 0; p < partCount; p++) {
        const part = parts[p];
        if (part !== undefined) side.parts.put([bucket, id, p], encodeValue(part));
      }
      side.chunks.put([bucket, id], [bloom, partCount, minTime, maxTime]);
      const list = side.sealed.get(bucket) ?? [];
      list.push({ id, parts: partCount, bloom, minTime, maxTime });
      side.sealed.set(bucket, list);
    }
    side.open.clear();
    side.openRows = 0;
  }

  /** Frees the rows no future row can meet, padding unmatched outer rows. */
  private expire(time: number): void {
    if (time <= this.progress) return;
    const o = this.options;
    const out = new ChangeBatch();
    // Left rows with t + upper < time; right rows with t - lower < time.
    this.free(this.left, time - o.upper, out);
    this.free(this.right, time + o.lower, out);
    this.progress = time;
    if (out.length > 0) this.output.emit(out);
  }

  /** Frees the rows of `side` with time < `before` (a chunked side: the buckets wholly before it). */
  private free(side: Side, before: number, out: ChangeBatch): void {
    if (side.kind === 'rows') {
      this.freeRows(side, before, out);
      return;
    }
    // Bucket b holds times below (b + 1) * width: all before `before` when b < below.
    const below = Math.floor(before / this.width);
    for (const b of side.open.keys()) {
      if (b >= below) continue;
      side.openRows -= rowCount(side.open.get(b) as Map<Value, Value[]>);
      side.open.delete(b);
    }
    for (const b of side.sealed.keys()) {
      if (b >= below) continue;
      side.sealed.delete(b);
      side.parts.deletePrefix([b]);
      side.chunks.deletePrefix([b]);
    }
  }

  private freeRows(side: RowSide, before: number, out: ChangeBatch): void {
    const gone: StateKey[] = [];
    for (const [k] of side.times.range(undefined, [0, before])) gone.push(k);
    const width = this.width;
    for (const k of gone) {
      side.times.delete(k);
      const t = k[1] as number;
      const key: StateKey = [Math.floor(t / width), k[2] as Value, t, k[3] as number];
      const entry = side.rows.get(key);
      if (entry === undefined) continue;
      side.rows.delete(key);
      if (!entry[1]) out.push(INSERT, side.isLeft ? concat(entry[0], this.nullRight) : concat(this.nullLeft, entry[0]));
    }
  }
}

function rowCount(byKey: Map<Value, Value[]>): number {
  let n = 0;
  for (const list of byKey.values()) n += list.length / 2;
  return n;
}

/**
 * A row's join key as one value, or null when a key column is NULL. One number,
 * string or boolean column is its own key (-0 as 0: they are equal in SQL); other
 * keys are their canonical strings.
 */
function joinKey(row: Row, keys: readonly number[]): Value {
  if (keys.length === 0) return '';
  if (keys.length === 1) {
    const v = row[keys[0] as number] as Value;
    if (v === null) return null;
    if (typeof v === 'number') return v === 0 ? 0 : v;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    return projectedKey(row, keys);
  }
  for (let i = 0; i < keys.length; i++) if (row[keys[i] as number] === null) return null;
  return projectedKey(row, keys);
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** A 32-bit hash of a join key (number, string or boolean). */
function hashKey(key: Value): number {
  let h = 0x811c9dc5;
  if (typeof key === 'number') {
    f64[0] = key;
    h = Math.imul(h ^ (f64Words[0] as number), 0x01000193);
    h = Math.imul(h ^ (f64Words[1] as number), 0x01000193);
  } else if (typeof key === 'string') {
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  } else h = key === true ? 1 : 2;
  // Final mix, so the low bits depend on every input bit.
  return fmix32(h);
}

function partOf(hash: number, parts: number): number {
  return hash % parts;
}

/** Bit positions h1 + i * h2 (double hashing), h2 odd. */
function bloomAdd(bloom: Uint8Array, hash: number): void {
  const bits = bloom.length * 8;
  const h2 = (Math.imul(hash, 0x9e3779b1) >>> 0) | 1;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = ((hash + Math.imul(i, h2)) >>> 0) % bits;
    bloom[bit >>> 3] = (bloom[bit >>> 3] as number) | (1 << (bit & 7));
  }
}

function bloomHas(bloom: Uint8Array, hash: number): boolean {
  const bits = bloom.length * 8;
  const h2 = (Math.imul(hash, 0x9e3779b1) >>> 0) | 1;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = ((hash + Math.imul(i, h2)) >>> 0) % bits;
    if (((bloom[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

function concat(a: Row, b: Row): Row {
  const out = new Array<Value>(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] as Value;
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i] as Value;
  return out;
}
