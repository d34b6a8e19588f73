// Rows as stored on disk: the runtime values, with the ones a generic encoder
// cannot carry (Decimal) turned into tagged objects and back.

import { Decimal } from './decimal.js';
import type { Row, Value } from './value.js';

interface TaggedDecimal {
  readonly $d: string;
}

function needsEncoding(v: Value): boolean {
  return v instanceof Decimal || (Array.isArray(v) && v.some(needsEncoding));
}

function encodeValue(v: Value): unknown {
  if (v instanceof Decimal) return { $d: v.toString() } satisfies TaggedDecimal;
  if (Array.isArray(v)) return v.map(encodeValue);
  return v;
}

/** What to hand to the store for a row (the row itself when nothing needs tagging). */
export function encodeRow(row: Row): unknown {
  for (const v of row) if (needsEncoding(v)) return row.map(encodeValue);
  return row;
}

function decodeValue(v: unknown): Value {
  if (v === null || typeof v !== 'object') return v as Value;
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v instanceof Uint8Array || v instanceof Map) return v as Value;
  const d = (v as Partial<TaggedDecimal>).$d;
  if (typeof d === 'string') {
    const parsed = Decimal.parse(d);
    if (parsed) return parsed;
  }
  throw new Error('stored value of an unknown shape');
}

/** A row read back from the store. */
export function decodeRow(stored: unknown): Row {
  if (!Array.isArray(stored)) throw new Error('stored row is not an array');
  for (const v of stored) {
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return stored.map(decodeValue);
  }
  return stored as Row;
}
