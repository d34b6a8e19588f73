// An in-memory B+tree over state keys (arrays of values ordered element-wise by compareValues), O(log n) per update.

import { compareValues } from '../../common/compare.js';
import type { Value } from '../../common/value.js';
import type { StateKey } from './state-api.js';

/**
 * Element-wise order over keys; a key that is a proper prefix of another sorts first.
 * This is the order SortedState promises.
 */
export function compareStateKeys(a: StateKey, b: StateKey, from = 0): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = from; i < n; i++) {
    const x = a[i] as Value;
    const y = b[i] as Value;
    if (x === y) continue;
    const c = compareValues(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** 0 when `key` starts with `prefix`; otherwise the sign of comparing the first prefix.length parts. */
function comparePrefix(key: StateKey, prefix: StateKey, from: number): number {
  const n = key.length < prefix.length ? key.length : prefix.length;
  for (let i = from; i < n; i++) {
    const x = key[i] as Value;
    const y = prefix[i] as Value;
    if (x === y) continue;
    const c = compareValues(x, y);
    if (c !== 0) return c;
  }
  return key.length >= prefix.length ? 0 : -1;
}

// Node capacity. 64 keeps splices short (a few cache lines of pointers) while
// keeping the tree shallow: 64^4 = 16 M entries at depth 4.
const MAX = 64;
const MIN = MAX >> 1;

class Leaf<V> {
  keys: StateKey[] = [];
  values: V[] = [];
  next: Leaf<V> | null = null;
  prev: Leaf<V> | null = null;
}

class Inner<V> {
  /** keys[i] separates children[i] (all keys < keys[i]) from children[i + 1] (all keys >= keys[i]). */
  keys: StateKey[] = [];
  children: Node<V>[] = [];
}

type Node<V> = Leaf<V> | Inner<V>;

/** First index in `keys` whose key is >= `key` (binary search). */
function lowerBound(keys: readonly StateKey[], key: StateKey, from: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStateKeys(keys[mid] as StateKey, key, from) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in `keys` whose key is > `key`. */
function upperBound(keys: readonly StateKey[], key: StateKey, from: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStateKeys(keys[mid] as StateKey, key, from) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key's first prefix.length parts compare greater than `prefix`. */
function upperBoundPrefix(keys: readonly StateKey[], prefix: StateKey, from: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePrefix(keys[mid] as StateKey, prefix, from) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Array.prototype.splice allocates the array of removed elements on every
// call; these shift in place (nodes hold at most MAX + 1 entries).
function insertAt<T>(a: T[], i: number, x: T): void {
  let j = a.length;
  a.push(x);
  for (; j > i; j--) a[j] = a[j - 1] as T;
  a[i] = x;
}

function removeAt<T>(a: T[], i: number): void {
  const n = a.length - 1;
  for (let j = i; j < n; j++) a[j] = a[j + 1] as T;
  a.length = n;
}

const scratchPathNodes: Inner<unknown>[] = [];
const scratchPathIndexes: number[] = [];

export class BPlusTree<V> {
  /**
   * `from`: how many leading key parts every key of this tree shares (they are
   * skipped when comparing, so a tree holding one partition compares less).
   */
  constructor(private readonly from = 0) {}

  private root: Node<V> = new Leaf<V>();
  private count = 0;
  // Descent path of the current split or rebalance. Module-wide scratch (no
  // tree operation is re-entered), so a small tree costs no arrays of its own.
  private readonly pathNodes = scratchPathNodes as Inner<V>[];
  private readonly pathIndexes = scratchPathIndexes;
  // Where the last `get` looked: a `set` of the same key object right after it
  // (read-modify-write, as counters do) starts there instead of descending again.
  private fingerKey: StateKey | null = null;
  private fingerLeaf: Leaf<V> | null = null;
  private fingerIndex = 0;

  get size(): number {
    return this.count;
  }

  get(key: StateKey): V | undefined {
    const leaf = this.findLeaf(key);
    const i = lowerBound(leaf.keys, key, this.from);
    this.fingerKey = key;
    this.fingerLeaf = leaf;
    this.fingerIndex = i;
    if (i < leaf.keys.length && compareStateKeys(leaf.keys[i] as StateKey, key, this.from) === 0) return leaf.values[i];
    return undefined;
  }

  /**
   * Inserts or replaces. The key array is kept, not copied: keys are readonly
   * (StateKey), so the caller must not change it afterwards.
   */
  set(key: StateKey, value: V): void {
    let leaf: Leaf<V>;
    let i: number;
    // Any change moves entries, so the finger is good for this one set only.
    const finger = key === this.fingerKey ? this.fingerLeaf : null;
    this.fingerKey = null;
    if (finger !== null) {
      leaf = finger;
      i = this.fingerIndex;
    } else {
      leaf = this.findLeaf(key);
      i = lowerBound(leaf.keys, key, this.from);
    }
    if (i < leaf.keys.length && compareStateKeys(leaf.keys[i] as StateKey, key, this.from) === 0) {
      leaf.values[i] = value;
      return;
    }
    insertAt(leaf.keys, i, key);
    insertAt(leaf.values, i, value);
    this.count++;
    if (leaf.keys.length > MAX) {
      // Splitting needs the path from the root; only now is it worth recording.
      this.descend(key);
      this.splitLeaf(leaf);
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: StateKey): boolean {
    this.fingerKey = null;
    const leaf = this.descend(key);
    const i = lowerBound(leaf.keys, key, this.from);
    if (i >= leaf.keys.length || compareStateKeys(leaf.keys[i] as StateKey, key, this.from) !== 0) return false;
    removeAt(leaf.keys, i);
    removeAt(leaf.values, i);
    this.count--;
    if (leaf.keys.length < MIN && this.pathNodes.length > 0) this.rebalanceLeaf(leaf);
    return true;
  }

  clear(): void {
    this.root = new Leaf<V>();
    this.count = 0;
    this.fingerKey = null;
  }

  /** Entries whose key starts with `prefix`, ascending or descending. */
  *scan(prefix: StateKey, reverse = false): IterableIterator<[StateKey, V]> {
    if (!reverse) {
      let leaf: Leaf<V> | null = this.findLeaf(prefix);
      let i = lowerBound(leaf.keys, prefix, this.from);
      while (leaf) {
        for (; i < leaf.keys.length; i++) {
          const k = leaf.keys[i] as StateKey;
          if (comparePrefix(k, prefix, this.from) !== 0) return;
          yield [k, leaf.values[i] as V];
        }
        leaf = leaf.next;
        i = 0;
      }
      return;
    }
    // Find the leaf holding the last prefixed key: descend by "first key past the prefix".
    let node: Node<V> = this.root;
    while (node instanceof Inner) node = node.children[upperBoundPrefix(node.keys, prefix, this.from)] as Node<V>;
    let leaf: Leaf<V> | null = node;
    let i = upperBoundPrefix(leaf.keys, prefix, this.from) - 1;
    // The last prefixed key may sit at the end of the previous leaf.
    while (leaf) {
      for (; i >= 0; i--) {
        const k = leaf.keys[i] as StateKey;
        const c = comparePrefix(k, prefix, this.from);
        if (c < 0) return;
        if (c === 0) yield [k, leaf.values[i] as V];
      }
      leaf = leaf.prev;
      i = leaf ? leaf.keys.length - 1 : -1;
    }
  }

  /** Entries with from <= key < to, ascending; an undefined bound is open. */
  *range(from: StateKey | undefined, to: StateKey | undefined): IterableIterator<[StateKey, V]> {
    let leaf: Leaf<V> | null;
    let i: number;
    if (from === undefined) {
      leaf = this.firstLeaf();
      i = 0;
    } else {
      leaf = this.findLeaf(from);
      i = lowerBound(leaf.keys, from, this.from);
    }
    while (leaf) {
      for (; i < leaf.keys.length; i++) {
        const k = leaf.keys[i] as StateKey;
        if (to !== undefined && compareStateKeys(k, to, this.from) >= 0) return;
        yield [k, leaf.values[i] as V];
      }
      leaf = leaf.next;
      i = 0;
    }
  }

  /** Every entry, ascending. */
  entries(): IterableIterator<[StateKey, V]> {
    return this.range(undefined, undefined);
  }

  /** Checks the structural invariants (ordering, separators, fill, links); for tests. */
  checkInvariants(): void {
    const leaves: Leaf<V>[] = [];
    const walk = (node: Node<V>, lo: StateKey | undefined, hi: StateKey | undefined, depth: number, isRoot: boolean): number => {
      if (node instanceof Leaf) {
        if (!isRoot && node.keys.length < MIN) throw new Error(`leaf underfull: ${node.keys.length}`);
        if (node.keys.length > MAX) throw new Error('leaf overfull');
        if (node.keys.length !== node.values.length) throw new Error('leaf keys/values differ');
        for (let i = 0; i < node.keys.length; i++) {
          const k = node.keys[i] as StateKey;
          if (i > 0 && compareStateKeys(node.keys[i - 1] as StateKey, k, this.from) >= 0) throw new Error('leaf out of order');
          if (lo !== undefined && compareStateKeys(k, lo, this.from) < 0) throw new Error('key below separator');
          if (hi !== undefined && compareStateKeys(k, hi, this.from) >= 0) throw new Error('key above separator');
        }
        leaves.push(node);
        return depth;
      }
      if (node.children.length !== node.keys.length + 1) throw new Error('inner arity');
      if (!isRoot && node.children.length < MIN) throw new Error('inner underfull');
      if (node.children.length > MAX) throw new Error('inner overfull');
      let d = -1;
      for (let i = 0; i < node.children.length; i++) {
        const cd = walk(node.children[i] as Node<V>, i === 0 ? lo : node.keys[i - 1], i === node.keys.length ? hi : node.keys[i], depth + 1, false);
        if (d === -1) d = cd;
        else if (d !== cd) throw new Error('unbalanced');
      }
      return d;
    };
    walk(this.root, undefined, undefined, 0, true);
    let n = 0;
    for (let i = 0; i < leaves.length; i++) {
      const l = leaves[i] as Leaf<V>;
      n += l.keys.length;
      if (l.prev !== (i === 0 ? null : leaves[i - 1])) throw new Error('prev link');
      if (l.next !== (i === leaves.length - 1 ? null : leaves[i + 1])) throw new Error('next link');
    }
    if (n !== this.count) throw new Error(`count ${this.count} but ${n} entries`);
  }

  private firstLeaf(): Leaf<V> {
    let node = this.root;
    while (node instanceof Inner) node = node.children[0] as Node<V>;
    return node;
  }

  private findLeaf(key: StateKey): Leaf<V> {
    let node = this.root;
    while (node instanceof Inner) node = node.children[upperBound(node.keys, key, this.from)] as Node<V>;
    return node;
  }

  /** Like findLeaf, recording the path for a split or a rebalance. */
  private descend(key: StateKey): Leaf<V> {
    this.pathNodes.length = 0;
    this.pathIndexes.length = 0;
    let node = this.root;
    while (node instanceof Inner) {
      const i = upperBound(node.keys, key, this.from);
      this.pathNodes.push(node);
      this.pathIndexes.push(i);
      node = node.children[i] as Node<V>;
    }
    return node;
  }

  private splitLeaf(leaf: Leaf<V>): void {
    const right = new Leaf<V>();
    const half = leaf.keys.length >> 1;
    right.keys = leaf.keys.splice(half);
    right.values = leaf.values.splice(half);
    right.next = leaf.next;
    if (right.next) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.insertIntoParent(leaf, right.keys[0] as StateKey, right, this.pathNodes.length - 1);
  }

  private insertIntoParent(left: Node<V>, separator: StateKey, right: Node<V>, level: number): void {
    if (level < 0) {
      const root = new Inner<V>();
      root.keys = [separator];
      root.children = [left, right];
      this.root = root;
      return;
    }
    const parent = this.pathNodes[level] as Inner<V>;
    const i = this.pathIndexes[level] as number;
    insertAt(parent.keys, i, separator);
    insertAt(parent.children, i + 1, right);
    if (parent.children.length <= MAX) return;
    const sibling = new Inner<V>();
    const half = parent.children.length >> 1;
    // keys[half - 1] moves up; the left node keeps half children and half - 1 keys.
    const up = parent.keys[half - 1] as StateKey;
    sibling.keys = parent.keys.splice(half);
    parent.keys.length = half - 1;
    sibling.children = parent.children.splice(half);
    this.insertIntoParent(parent, up, sibling, level - 1);
  }

  private rebalanceLeaf(leaf: Leaf<V>): void {
    const level = this.pathNodes.length - 1;
    const parent = this.pathNodes[level] as Inner<V>;
    const i = this.pathIndexes[level] as number;
    const left = i > 0 ? (parent.children[i - 1] as Leaf<V>) : null;
    const right = i < parent.children.length - 1 ? (parent.children[i + 1] as Leaf<V>) : null;
    if (right && right.keys.length > MIN) {
      leaf.keys.push(right.keys.shift() as StateKey);
      leaf.values.push(right.values.shift() as V);
      parent.keys[i] = right.keys[0] as StateKey;
      return;
    }
    if (left && left.keys.length > MIN) {
      leaf.keys.unshift(left.keys.pop() as StateKey);
      leaf.values.unshift(left.values.pop() as V);
      parent.keys[i - 1] = leaf.keys[0] as StateKey;
      return;
    }
    if (right) this.mergeLeaves(leaf, right, parent, i);
    else if (left) this.mergeLeaves(left, leaf, parent, i - 1);
    this.rebalanceInner(level);
  }

  /** Moves `right` into `left`; `i` is left's index in `parent`. */
  private mergeLeaves(left: Leaf<V>, right: Leaf<V>, parent: Inner<V>, i: number): void {
    for (let j = 0; j < right.keys.length; j++) {
      left.keys.push(right.keys[j] as StateKey);
      left.values.push(right.values[j] as V);
    }
    left.next = right.next;
    if (left.next) left.next.prev = left;
    removeAt(parent.keys, i);
    removeAt(parent.children, i + 1);
  }

  /** The inner node at path level `level` may have lost a child. */
  private rebalanceInner(level: number): void {
    const node = this.pathNodes[level] as Inner<V>;
    if (level === 0) {
      if (node.children.length === 1) this.root = node.children[0] as Node<V>;
      return;
    }
    if (node.children.length >= MIN) return;
    const parent = this.pathNodes[level - 1] as Inner<V>;
    const i = this.pathIndexes[level - 1] as number;
    const left = i > 0 ? (parent.children[i - 1] as Inner<V>) : null;
    const right = i < parent.children.length - 1 ? (parent.children[i + 1] as Inner<V>) : null;
    if (right && right.children.length > MIN) {
      node.keys.push(parent.keys[i] as StateKey);
      node.children.push(right.children.shift() as Node<V>);
      parent.keys[i] = right.keys.shift() as StateKey;
      return;
    }
    if (left && left.children.length > MIN) {
      node.keys.unshift(parent.keys[i - 1] as StateKey);
      node.children.unshift(left.children.pop() as Node<V>);
      parent.keys[i - 1] = left.keys.pop() as StateKey;
      return;
    }
    if (right) this.mergeInner(node, right, parent, i);
    else if (left) this.mergeInner(left, node, parent, i - 1);
    this.rebalanceInner(level - 1);
  }

  private mergeInner(left: Inner<V>, right: Inner<V>, parent: Inner<V>, i: number): void {
    left.keys.push(parent.keys[i] as StateKey);
    for (const k of right.keys) left.keys.push(k);
    for (const c of right.children) left.children.push(c);
    removeAt(parent.keys, i);
    removeAt(parent.children, i + 1);
  }
}
