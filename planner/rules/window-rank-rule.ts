// window-rank: a top-N or deduplication partitioned by window_start and window_end of one window becomes a WindowTopN or WindowDeduplicate.
//
// Within a window the ranking is final once the window closes, so instead of maintaining
// ranks with retractions the operator waits for the window to close, emits its top rows
// once (append-only) and frees the window. ROW_NUMBER() <= 1 ordered by one timestamp is
// a deduplication: the first (ascending) or last (descending) row per key and window.

import type { LogicalPlan, WindowColumns, WindowDeduplicate, WindowTopN } from '../logical/index.js';
import { transformUp } from '../binder/bound-utils.js';
import { windowOrigin } from '../binder/window-aggregates.js';
import type { Rule } from './rule.js';

export const windowRankRule: Rule = {
  name: 'window-rank',
  rewrite(plan) {
    const out = transformUp(plan, (node) => {
      if (node.kind === 'TopN') return windowTopN(node) ?? node;
      if (node.kind === 'Deduplicate') {
        const window = windowOfPartition(node.input, node.keys);
        if (window === undefined) return node;
        const d: WindowDeduplicate = { ...node, kind: 'WindowDeduplicate', window };
        return d;
      }
      return node;
    });
    return { plan: out, changed: out !== plan };
  },
};

/** The window whose window_start and window_end are both among `keys`, when there is one. */
export function windowOfPartition(input: LogicalPlan, keys: readonly number[]): WindowColumns | undefined {
  let start: number | undefined;
  let end: number | undefined;
  let node: unknown;
  for (const k of keys) {
    const o = windowOrigin(input, k);
    if (o === undefined || o.property === 'time') continue;
    if (node !== undefined && o.node !== node) return undefined;
    node = o.node;
    if (o.property === 'start') start = k;
    else end = k;
  }
  const origin = end === undefined ? undefined : windowOrigin(input, end);
  if (start === undefined || end === undefined || origin === undefined) return undefined;
  const o = origin.node;
  const timeAttribute = o.kind === 'WindowTableFunction' ? o.window.timeAttribute : (o.schema[o.schema.length - 1]?.timeAttribute ?? 'ROWTIME');
  return { startIndex: start, endIndex: end, timeAttribute };
}

function windowTopN(node: Extract<LogicalPlan, { kind: 'TopN' }>): LogicalPlan | undefined {
  const window = windowOfPartition(node.input, node.partitionKeys);
  if (window === undefined) return undefined;
  const order = node.orderKeys[0];
  const orderType = order === undefined ? undefined : node.input.schema[order.index]?.type.kind;
  if (node.rankFn === 'ROW_NUMBER' && node.offset === 0 && node.limit === 1 && node.orderKeys.length === 1 && order !== undefined
    && (orderType === 'TIMESTAMP' || orderType === 'TIMESTAMP_LTZ')) {
    const d: WindowDeduplicate = {
      kind: 'WindowDeduplicate', input: node.input, window, keys: node.partitionKeys,
      keep: order.descending ? 'LAST' : 'FIRST', orderIndex: order.index, outputRank: node.outputRank, schema: node.schema,
    };
    return d;
  }
  const t: WindowTopN = { ...node, kind: 'WindowTopN', window };
  return t;
}
