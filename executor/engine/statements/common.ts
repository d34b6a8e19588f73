// Small pieces shared by statement handlers.

import type { DataType } from '../../../common/data-type.js';
import { Decimal } from '../../../common/decimal.js';
import { encodeRow } from '../../../common/row-codec.js';
import { SqlError, SqlState } from '../../../common/errors.js';
import type { Value } from '../../../common/value.js';
import type { OptionEntry } from '../../../parser/ast/node.js';
import type { BuildOptions } from '../../../planner/physical/build-dataflow.js';
import { sqlTableLookup } from '../../../connectors/lookup.js';
import type { ResultColumn } from '../api.js';
import type { StatementContext } from '../session.js';

/** How to build a dataflow for this statement: its parameters, the engine's modes and clock, the session's zone. */
export function buildOptions(ctx: StatementContext): BuildOptions {
  const timeZone = ctx.session.setting('timezone');
  const base: BuildOptions = {
    params: ctx.params,
    modes: ctx.engine,
    now: ctx.engine.now,
    idleTimeout: durationSetting(ctx, 'table.exec.source.idle-timeout'),
    stateTtl: durationSetting(ctx, 'table.exec.state.ttl'),
    lookup: (name) => {
      const table = ctx.engine.tables.get(name);
      if (table !== undefined) return sqlTableLookup(table);
      // A bounded connector table (a side-input file) is looked up in a copy read whole.
      return ctx.engine.connectors.get(name)?.lookupSource();
    },
  };
  return timeZone === undefined ? base : { ...base, timeZone };
}

/** A duration setting in microseconds (0 when unset). */
function durationSetting(ctx: StatementContext, name: string): number {
  const v = ctx.session.setting(name);
  return v === undefined ? 0 : parseDuration(v, `value for "${name}"`) * 1000;
}

/** The statement's parameters as stored in the catalog, when it has any. */
export function storedParams(ctx: StatementContext): { params?: unknown } {
  return ctx.params.length === 0 ? {} : { params: encodeRow(ctx.params) };
}

export function textColumn(name: string): ResultColumn {
  return { name, type: { kind: 'VARCHAR', length: null } };
}

/** Types of positional parameters, from their runtime values. */
export function paramTypes(params: readonly Value[]): DataType[] {
  return params.map((p): DataType => {
    if (typeof p === 'number') return Number.isInteger(p) ? { kind: 'BIGINT' } : { kind: 'DOUBLE' };
    if (typeof p === 'boolean') return { kind: 'BOOLEAN' };
    if (p instanceof Decimal) return { kind: 'DECIMAL', precision: 38, scale: p.scale };
    return { kind: 'VARCHAR', length: null };
  });
}

/** The value of option `key` (case-insensitive), if given. */
export function option(options: readonly OptionEntry[], key: string): string | undefined {
  const k = key.toLowerCase();
  return options.find((o) => o.key.toLowerCase() === k)?.value;
}

export function booleanOption(options: readonly OptionEntry[], key: string, fallback: boolean): boolean {
  const v = option(options, key);
  if (v === undefined) return fallback;
  const t = v.toLowerCase();
  if (t === 'true' || t === 'on' || t === '1') return true;
  if (t === 'false' || t === 'off' || t === '0') return false;
  throw new SqlError(SqlState.invalidParameterValue, `invalid value for option "${key}": "${v}"`, { hint: 'Use true or false.' });
}

/** A duration such as `1s`, `500ms`, `2 min`, `0` in milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?\s*$/i.exec(text);
  if (!m) throw new SqlError(SqlState.invalidParameterValue, `invalid ${what}: "${text}"`, { hint: "Write a duration such as '1s' or '500ms'." });
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return n;
  if (unit.startsWith('h')) return n * 3_600_000;
  if (unit === 'm' || unit.startsWith('min')) return n * 60_000;
  return n * 1000;
}
