// FOR SYSTEM_TIME AS OF: a join with the version of a versioned table valid at a left row's event time, with the latest version at its processing time, or with a table looked up at arrival.

import type { Schema } from '../../common/data-type.js';
import { internalError, SqlError, SqlState } from '../../common/errors.js';
import type { Expr } from '../../parser/ast/expression.js';
import type { OptionEntry, Span } from '../../parser/ast/node.js';
import type { Join as JoinAst, NamedTable, TableAlias, TableRef } from '../../parser/ast/query.js';
import type { BoundExpr } from '../bound/expr.js';
import type { LogicalPlan } from '../logical/index.js';
import type { LookupSpec } from '../logical/temporal-join.js';
import { temporalJoin } from '../logical/temporal-join.js';
import { conjuncts } from './bound-utils.js';
import type { CatalogRelation } from './catalog-reader.js';
import { requireBoolean } from './coercion.js';
import type { BoundRelation, QueryLevel } from './context.js';
import { exprContext } from './context.js';
import { notSupported, positionOf } from './errors-hints.js';
import { bindExpr } from './expressions.js';
import type { Scope } from './scope.js';
import { storedColumnIndexes } from './relation.js';
import { versionedShape } from './temporal-versioned.js';

export interface FromItem {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

/** What the FROM binding lends the temporal join: its item binding, naming and scope merging. */
export interface FromHooks {
  bindTableRef(ref: TableRef, level: QueryLevel): FromItem;
  lookupRelation(name: NamedTable['name'], span: Span | undefined, level: QueryLevel): BoundRelation;
  aliased(bound: BoundRelation, alias: TableAlias | undefined, defaultName: string | undefined): FromItem;
  combine(left: Scope, right: Scope, span: { start: number } | undefined): Scope;
}

/** A join whose right side is `name FOR SYSTEM_TIME AS OF expr`. */
export type TemporalJoinAst = JoinAst & { readonly right: NamedTable & { readonly asOf: Expr } };

export function isTemporalJoin(j: JoinAst): j is TemporalJoinAst {
  return j.right.kind === 'NamedTable' && j.right.asOf !== undefined;
}

/**
 * Binds `left [LEFT] JOIN right FOR SYSTEM_TIME AS OF left.t [AS alias] ON ...` into a
 * TemporalJoin. AS OF must name a time attribute of the left side: an event-time one
 * joins the versioned table's version valid then; a processing-time one the latest
 * version, read by key from the table when the right side is a table fed by SQL (a
 * lookup join, cached as its 'lookup.cache.max-rows' and 'lookup.cache.ttl' options
 * say), kept from the stream of a versioned view otherwise. The condition must equate
 * the versioned side's primary key (a lookup join: some of the table's columns) with
 * the left side.
 */
export function bindTemporalJoin(j: TemporalJoinAst, level: QueryLevel, hooks: FromHooks): FromItem {
  const right = j.right;
  const rightName = right.name[right.name.length - 1]?.value ?? '';
  if (j.type !== 'INNER' && j.type !== 'LEFT') {
    throw notSupported(`${j.type} JOIN with FOR SYSTEM_TIME AS OF`, j.span, 'A temporal join is an INNER or a LEFT join: the versioned table is on the right.');
  }
  if (j.natural || j.using !== undefined) {
    throw notSupported(`${j.natural ? 'NATURAL' : 'USING'} with FOR SYSTEM_TIME AS OF`, j.span, `Write the condition with ON, e.g. ON o.k = ${right.alias?.name.value ?? rightName}.k.`);
  }
  const l = hooks.bindTableRef(j.left, level);

  // AS OF: a time attribute of the left side.
  const asOf = bindExpr(right.asOf, exprContext(level, l.scope, l.plan.schema, 'FOR SYSTEM_TIME AS OF'));
  const timeField = asOf.kind === 'InputRef' ? l.plan.schema[asOf.index] : undefined;
  const asOfDetail = 'A temporal join is AS OF a time attribute of the left side: its event-time column (the one WATERMARK FOR names) or a processing-time column (AS PROCTIME()).';
  if (asOf.kind !== 'InputRef') {
    throw notSupported('FOR SYSTEM_TIME AS OF an expression', right.asOf.span ?? right.span, `${asOfDetail} A point in time fixed in the query is not supported.`);
  }
  if (timeField?.timeAttribute === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `column "${timeField?.name ?? ''}" is not a time attribute, so FOR SYSTEM_TIME AS OF cannot use it`, {
      ...positionOf(right.asOf.span ?? right.span),
      detail: asOfDetail,
    });
  }
  const timeAttribute = timeField.timeAttribute;

  const bound = hooks.lookupRelation(right.name, right.span, level);
  const relation = catalogRelationOf(right, level);
  const r = hooks.aliased(bound, right.alias, rightName);
  const width = l.plan.schema.length;
  const scope = hooks.combine(l.scope, r.scope.shifted(width), j.span);
  if (j.on === undefined) {
    throw new SqlError(SqlState.syntaxError, `a join with FOR SYSTEM_TIME AS OF needs an ON condition`, {
      ...positionOf(j.span),
      hint: `Join on the key of "${rightName}", e.g. ON o.k = ${right.alias?.name.value ?? rightName}.k.`,
    });
  }
  const rowSchema: Schema = [...l.plan.schema, ...r.plan.schema];
  const condition = requireBoolean(bindExpr(j.on, exprContext(level, scope, rowSchema, 'JOIN conditions')), 'JOIN/ON', j.on.span);
  const described = describe(relation, rightName);
  const base = { joinType: j.type, left: l.plan, right: r.plan, condition, leftTimeIndex: asOf.index };

  // A table fed by SQL joined at processing time is looked up, not streamed.
  if (timeAttribute === 'PROCTIME' && relation !== undefined && isLookupTable(relation)) {
    const keys = lookupKeys(condition, width, relation);
    if (keys.length === 0) {
      throw new SqlError('42P10', `a lookup join into ${described} needs an equality between one of its columns and the left side`, {
        ...positionOf(j.on.span),
        hint: `Add a condition such as ON o.k = ${right.alias?.name.value ?? rightName}.k; the rows of "${rightName}" are read by those columns.`,
      });
    }
    return { plan: temporalJoin({ ...base, timeAttribute, rightKeys: keys, lookup: lookupSpec(relation) }), scope };
  }

  const shape = versionedShape(r.plan, level.env.catalog);
  if (shape.keys === undefined || (timeAttribute === 'ROWTIME' && shape.time === undefined)) {
    const why = shape.keys === undefined ? shape.why : `${described.replace(/^./, (c) => c.toUpperCase())} has no event-time attribute (no WATERMARK).`;
    throw new SqlError('42809', `${described} is not a versioned table`, {
      ...positionOf(right.span),
      ...(why === undefined ? {} : { detail: why }),
      hint: timeAttribute === 'ROWTIME'
        ? 'A versioned table has a PRIMARY KEY (...) NOT ENFORCED and a WATERMARK FOR its event-time column; a view keeping the last row per key, WHERE ROW_NUMBER() OVER (PARTITION BY k ORDER BY <event time> DESC) = 1, is one too.'
        : 'Join at processing time a table fed by SQL (it is looked up), or a view keeping the last row per key.',
    });
  }
  const missing = shape.keys.filter((k) => !equated(condition, width, k));
  if (missing.length > 0) {
    const names = shape.keys.map((k) => r.plan.schema[k]?.name ?? `#${k}`);
    const absent = missing.map((k) => r.plan.schema[k]?.name ?? `#${k}`);
    throw new SqlError('42P10', `the join condition must equate the primary key of ${described} with the left side`, {
      ...positionOf(j.on.span),
      detail: `The key of "${rightName}" is (${names.join(', ')}); the condition does not equate ${absent.map((n) => `"${n}"`).join(', ')}.`,
      hint: `Add ${absent.map((n) => `<left expression> = ${right.alias?.name.value ?? rightName}.${n}`).join(' AND ')} to the ON condition.`,
    });
  }
  return {
    plan: temporalJoin({
      ...base, timeAttribute, rightKeys: shape.keys,
      ...(timeAttribute === 'ROWTIME' && shape.time !== undefined ? { rightTimeIndex: shape.time } : {}),
    }),
    scope,
  };
}

/** The catalog relation a NamedTable names, unless a CTE of that name hides it. */
function catalogRelationOf(ref: NamedTable, level: QueryLevel): CatalogRelation | undefined {
  const parts = ref.name.map((p) => p.value);
  if (parts.length === 1 && level.ctes?.lookup(parts[0] as string) !== undefined) return undefined;
  const last = parts[parts.length - 1] as string;
  return level.env.catalog.relation(parts.join('.')) ?? level.env.catalog.relation(last);
}

function describe(relation: CatalogRelation | undefined, name: string): string {
  return relation === undefined ? `query "${name}"` : `${relation.kind.toLowerCase()} "${relation.name}"`;
}

/**
 * A table whose rows the engine holds (no connector), or a filesystem table (a side
 * input read whole into the lookup's copy): it answers lookups.
 */
function isLookupTable(relation: CatalogRelation): boolean {
  if (relation.kind !== 'TABLE') return false;
  const connector = relation.options.find((o) => o.key.toLowerCase() === 'connector')?.value.toLowerCase();
  return connector === undefined || connector === 'filesystem';
}

/**
 * The right row's columns a lookup can read by: stored columns the condition equates,
 * as they are, with an expression over the left row alone.
 */
function lookupKeys(condition: BoundExpr, leftWidth: number, relation: CatalogRelation): number[] {
  const stored = new Set(storedColumnIndexes(relation));
  const keys: number[] = [];
  for (const c of conjuncts(condition)) {
    const k = equatedColumn(c, leftWidth, false);
    if (k !== undefined && stored.has(k) && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

/** Whether some conjunct is `left expression = right column k` (casts around the column allowed). */
function equated(condition: BoundExpr, leftWidth: number, k: number): boolean {
  return conjuncts(condition).some((c) => equatedColumn(c, leftWidth, true) === k);
}

/** For `a = b` with one side over the left row only and the other a right column: that column's index in the right row. */
function equatedColumn(c: BoundExpr, leftWidth: number, castsAllowed: boolean): number | undefined {
  if (c.kind !== 'Call' || c.fn !== '=' || c.args.length !== 2) return undefined;
  const [a, b] = c.args as [BoundExpr, BoundExpr];
  const column = (e: BoundExpr): number | undefined => {
    let x = e;
    while (castsAllowed && x.kind === 'Cast' && !x.try) x = x.operand;
    return x.kind === 'InputRef' && x.index >= leftWidth ? x.index - leftWidth : undefined;
  };
  const ra = column(a);
  if (ra !== undefined && leftOnly(b, leftWidth)) return ra;
  const rb = column(b);
  if (rb !== undefined && leftOnly(a, leftWidth)) return rb;
  return undefined;
}

/** An expression that reads the left row and nothing else (at least one column of it). */
function leftOnly(e: BoundExpr, leftWidth: number): boolean {
  let reads = false;
  let other = false;
  const visit = (x: BoundExpr): void => {
    switch (x.kind) {
      case 'InputRef':
        if (x.index < leftWidth) reads = true;
        else other = true;
        return;
      case 'Literal':
      case 'ParamRef':
        return;
      case 'CorrelatedRef':
      case 'Subquery':
        other = true;
        return;
      case 'Call':
        x.args.forEach(visit);
        return;
      case 'Cast':
        visit(x.operand);
        return;
      case 'Case':
        x.whens.forEach((w) => {
          visit(w.when);
          visit(w.then);
        });
        visit(x.else);
        return;
      default: {
        const unreachable: never = x;
        throw internalError(`unknown expression ${(unreachable as BoundExpr).kind}`);
      }
    }
  };
  visit(e);
  return reads && !other;
}

/** The lookup cache a table's options ask for: 'lookup.cache.max-rows' (required for a cache) and 'lookup.cache.ttl'. */
export function lookupSpec(relation: CatalogRelation): LookupSpec {
  const maxRows = option(relation.options, 'lookup.cache.max-rows');
  const ttl = option(relation.options, 'lookup.cache.ttl');
  let cacheMaxRows = 0;
  if (maxRows !== undefined) {
    const n = Number(maxRows.value);
    if (!Number.isInteger(n) || n < 0) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for option "lookup.cache.max-rows" of table "${relation.name}": "${maxRows.value}"`, {
        hint: 'Give the number of looked-up keys to keep, e.g. \'10000\' (0: no cache).',
      });
    }
    cacheMaxRows = n;
  }
  let cacheTtl = 0;
  if (ttl !== undefined) {
    const micros = durationMicros(ttl.value);
    if (micros === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for option "lookup.cache.ttl" of table "${relation.name}": "${ttl.value}"`, {
        hint: "Write a duration such as '10 s', '500 ms' or '1 min'.",
      });
    }
    if (maxRows === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, `option "lookup.cache.ttl" of table "${relation.name}" needs "lookup.cache.max-rows"`, {
        hint: 'A cache is bounded by its number of rows: set \'lookup.cache.max-rows\' too.',
      });
    }
    cacheTtl = micros;
  }
  return { table: relation.name, cacheMaxRows, cacheTtl };
}

function option(options: readonly OptionEntry[], key: string): OptionEntry | undefined {
  return options.find((o) => o.key.toLowerCase() === key);
}

const durationUnits: Record<string, number> = {
  us: 1, ms: 1_000, millisecond: 1_000, milliseconds: 1_000,
  s: 1_000_000, sec: 1_000_000, second: 1_000_000, seconds: 1_000_000,
  min: 60_000_000, minute: 60_000_000, minutes: 60_000_000,
  h: 3_600_000_000, hour: 3_600_000_000, hours: 3_600_000_000,
  d: 86_400_000_000, day: 86_400_000_000, days: 86_400_000_000,
};

/** `10 s`, `500ms`, `1 min` (Flink's duration syntax; a bare number is milliseconds, as Flink reads it) in microseconds. */
function durationMicros(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (m === null) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const scale = unit === '' ? 1_000 : durationUnits[unit];
  return scale === undefined ? undefined : Math.round(Number(m[1]) * scale);
}
