// EXPLAIN CHANGELOG_MODE: the operator tree the engine would run, one operator
// a line, each with the kinds of change it emits.

import { exprText, sharedText } from '../explain.js';
import type { Aggregate, LogicalPlan, SharedSide } from '../logical/index.js';
import { children } from '../logical/index.js';
import { compilePattern, describeProgram } from '../../executor/match-recognize/pattern.js';
import { changelogMode, checkTimeOperators, modeLabel, type ModeContext } from './changelog-mode.js';

export interface PhysicalExplainOptions {
  readonly engine: ModeContext;
  readonly changelogMode: boolean;
  /**
   * Extra `, name=[value]` items for an operator's line (estimates, measured figures);
   * `part` is 'local' for the local phase of a two-phase aggregation.
   */
  readonly annotate?: (plan: LogicalPlan, part: 'main' | 'local') => string;
  /** Who else reads a shared join input already (job ids), for its `shared=[...]` item. */
  readonly sharedReaders?: (side: SharedSide) => readonly string[];
}

function aggregateText(plan: Aggregate): { keys: string; aggs: string } {
  const keys = plan.groupKeys.map((k) => plan.input.schema[k]?.name ?? `#${k}`);
  const aggs = plan.aggs.map((a) => `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.map((i) => plan.input.schema[i]?.name ?? `#${i}`).join(', ')})`);
  return { keys: keys.join(', '), aggs: aggs.join(', ') };
}

function operatorName(plan: LogicalPlan, options?: PhysicalExplainOptions): string {
  switch (plan.kind) {
    case 'Scan': return `TableSourceScan(table=[${plan.object}])`;
    case 'Values': return `Values(rows=${plan.rows.length})`;
    case 'Project': return `Calc(select=[${plan.exprs.map((e, i) => {
      const text = exprText(e, plan.input.schema);
      const name = plan.schema[i]?.name;
      return name === undefined || name === text ? text : `${text} AS ${name}`;
    }).join(', ')}])`;
    case 'Filter': return `Calc(where=[${exprText(plan.predicate, plan.input.schema)}])`;
    case 'Aggregate': {
      const { keys, aggs } = aggregateText(plan);
      const name = plan.strategy?.kind === 'two-phase' ? 'GlobalGroupAggregate' : 'GroupAggregate';
      return `${name}(groupBy=[${keys}], select=[${aggs}])`;
    }
    case 'Join': {
      const on = plan.condition === null ? '' : `, where=[${exprText(plan.condition, [...plan.left.schema, ...plan.right.schema])}]`;
      return `Join(joinType=[${plan.joinType}]${on}${sharedText(plan, options?.sharedReaders)})`;
    }
    case 'Union': return 'Union(all=[true])';
    case 'SetOp': return `${plan.op === 'INTERSECT' ? 'Intersect' : 'Except'}(all=[${plan.all}])`;
    case 'Sort': return plan.limit === undefined ? 'Sort' : `TopN(limit=[${plan.limit}], offset=[${plan.offset}])`;
    case 'TopN': return `Rank(rankFn=[${plan.rankFn}], partitionBy=[${plan.partitionKeys.map((k) => plan.input.schema[k]?.name).join(', ')}], rankRange=[${plan.offset + 1}..${plan.offset + plan.limit}])`;
    case 'Deduplicate': return `Deduplicate(keep=[${plan.keep}], key=[${plan.keys.map((k) => plan.input.schema[k]?.name).join(', ')}])`;
    case 'Over': return 'OverAggregate';
    case 'WindowTableFunction': return `WindowTableFunction(window=[${plan.window.kind}])`;
    case 'WindowAggregate': {
      const keys = plan.groupKeys.map((k) => plan.input.schema[k]?.name ?? `#${k}`);
      const window = plan.window.kind === 'assign' ? plan.window.spec.kind : 'assigned';
      return `WindowAggregate(window=[${window}], groupBy=[${keys.join(', ')}], select=[${plan.aggs.map((a) => a.name).join(', ')}])`;
    }
    case 'WindowTopN': return `WindowRank(rankFn=[${plan.rankFn}], rankRange=[${plan.offset + 1}..${plan.offset + plan.limit}])`;
    case 'WindowDeduplicate': return `WindowDeduplicate(keep=[${plan.keep}])`;
    case 'WindowJoin': return `WindowJoin(joinType=[${plan.joinType}])`;
    case 'IntervalJoin': return `IntervalJoin(joinType=[${plan.joinType}])`;
    case 'TemporalJoin': {
      const at = `${plan.left.schema[plan.leftTimeIndex]?.name ?? `#${plan.leftTimeIndex}`} ${plan.timeAttribute}`;
      return plan.lookup === undefined
        ? `TemporalJoin(joinType=[${plan.joinType}], asOf=[${at}])`
        : `LookupJoin(table=[${plan.lookup.table}], joinType=[${plan.joinType}], asOf=[${at}])`;
    }
    case 'MatchRecognize': return `MatchRecognize(partitionBy=[${plan.partitionKeys.map((k) => plan.input.schema[k]?.name).join(', ')}], orderBy=[${plan.orderKeys.map((k) => plan.input.schema[k.index]?.name).join(', ')}], pattern=[${describeProgram(compilePattern(plan.pattern), plan.variables)}])`;
  }
}

export function explainPhysical(plan: LogicalPlan, options: PhysicalExplainOptions): string {
  checkTimeOperators(plan, options.engine);
  const lines: string[] = [];
  const line = (depth: number, name: string, extra: string): void => {
    lines.push(`${'  '.repeat(depth)}${name.endsWith(')') ? `${name.slice(0, -1)}${extra})` : extra === '' ? name : `${name}(${extra.slice(2)})`}`);
  };
  const visit = (p: LogicalPlan, depth: number): void => {
    const mode = options.changelogMode ? `, changelogMode=${modeLabel(changelogMode(p, options.engine))}` : '';
    line(depth, operatorName(p, options), mode + (options.annotate?.(p, 'main') ?? ''));
    if (p.kind === 'Aggregate' && p.strategy?.kind === 'two-phase') {
      // The local phase folds each bundle in memory and passes partials on: appends only.
      const { keys, aggs } = aggregateText(p);
      const localMode = options.changelogMode ? `, changelogMode=${modeLabel('append')}` : '';
      line(depth + 1, `LocalGroupAggregate(groupBy=[${keys}], select=[${aggs}], bundle=[${p.strategy.bundleRows}])`, localMode + (options.annotate?.(p, 'local') ?? ''));
      visit(p.input, depth + 2);
      return;
    }
    if (p.kind === 'Aggregate' && p.strategy !== undefined && p.strategy.bundleRows > 0) {
      // A mini-batch gathers input batches into bundles: it passes on its input's changes as they are.
      const inputMode = options.changelogMode ? `, changelogMode=${modeLabel(changelogMode(p.input, options.engine))}` : '';
      line(depth + 1, `MiniBatch(bundle=[${p.strategy.bundleRows}])`, inputMode + (options.annotate?.(p, 'local') ?? ''));
      visit(p.input, depth + 2);
      return;
    }
    if (p.kind === 'TemporalJoin' && p.lookup !== undefined) {
      // A lookup join reads its table by key: the table is no stream of changes here.
      visit(p.left, depth + 1);
      lines.push(`${'  '.repeat(depth + 1)}LookupTableSource(table=[${p.lookup.table}])`);
      return;
    }
    for (const c of children(p)) visit(c, depth + 1);
  };
  visit(plan, 0);
  return lines.join('\n');
}
