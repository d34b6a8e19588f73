// Declared statistics: WITH ('stats.rows' = ..., ...) on a table, for sources that are empty (or not observed) when a plan is made.
//
//   'stats.rows'              live rows to expect
//   'stats.update-rate'       changes per second to expect
//   'stats.ndv.<column>'      distinct values of a column
//   'stats.skew.<column>'     share (0..1) of the rows its most frequent value holds

import { SqlError, SqlState } from '../../common/errors.js';
import type { OptionEntry } from '../../parser/ast/node.js';
import type { ColumnSummary, RelationStats } from './table-stats.js';

export const STATS_OPTION_PREFIX = 'stats.';

/** Seconds of changes at a declared 'stats.update-rate' counted into a relation's change volume. */
export const DECLARED_RATE_HORIZON = 3600;

/** What a table declares; absent figures are unknown. */
export interface DeclaredStats {
  readonly rows?: number;
  readonly updateRate?: number;
  /** By column name (as the table spells it). */
  readonly ndv: ReadonlyMap<string, number>;
  readonly skew: ReadonlyMap<string, number>;
}

function positionOf(entry: OptionEntry): { position?: number } {
  return entry.span === undefined ? {} : { position: entry.span.start + 1 };
}

function invalid(entry: OptionEntry, hint: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `invalid value for option "${entry.key}": "${entry.value}"`, { ...positionOf(entry), hint });
}

function column(entry: OptionEntry, prefix: string, columns: readonly string[]): string {
  const name = entry.key.slice(prefix.length);
  const found = columns.find((c) => c === name) ?? columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedColumn, `option "${entry.key}" names column "${name}", which the table does not have`, {
      ...positionOf(entry),
      hint: `The table's columns: ${columns.join(', ')}.`,
    });
  }
  return found;
}

/**
 * Reads and checks the `stats.*` options among `options` (others are left alone).
 * Errors name the option: 22023 for an unknown key or a bad value, 42703 for a
 * column the table does not have.
 */
export function declaredStats(options: readonly OptionEntry[], columns: readonly string[]): DeclaredStats {
  let rows: number | undefined;
  let updateRate: number | undefined;
  const ndv = new Map<string, number>();
  const skew = new Map<string, number>();
  for (const entry of options) {
    const key = entry.key.toLowerCase();
    if (!key.startsWith(STATS_OPTION_PREFIX)) continue;
    const n = Number(entry.value.trim());
    if (key === 'stats.rows') {
      if (!Number.isInteger(n) || n < 0) throw invalid(entry, 'Give a whole number of rows, 0 or more.');
      rows = n;
    } else if (key === 'stats.update-rate') {
      if (!Number.isFinite(n) || n < 0) throw invalid(entry, 'Give the changes per second to expect, 0 or more.');
      updateRate = n;
    } else if (key.startsWith('stats.ndv.')) {
      const c = column(entry, 'stats.ndv.', columns);
      if (!Number.isInteger(n) || n < 1) throw invalid(entry, 'Give a whole number of distinct values, 1 or more.');
      ndv.set(c, n);
    } else if (key.startsWith('stats.skew.')) {
      const c = column(entry, 'stats.skew.', columns);
      if (!Number.isFinite(n) || n < 0 || n > 1) throw invalid(entry, 'Give the share of rows the most frequent value holds, between 0 and 1.');
      skew.set(c, n);
    } else {
      throw new SqlError(SqlState.invalidParameterValue, `unknown statistics option "${entry.key}"`, {
        ...positionOf(entry),
        hint: "The statistics options are 'stats.rows', 'stats.update-rate', 'stats.ndv.<column>' and 'stats.skew.<column>'.",
      });
    }
  }
  return { ...(rows === undefined ? {} : { rows }), ...(updateRate === undefined ? {} : { updateRate }), ndv, skew };
}

/**
 * Declared figures as planner statistics over `columns`. Without a declared row
 * count the relation counts as unknown in size (undefined is returned), since
 * distinct counts alone size nothing.
 */
export function declaredRelationStats(d: DeclaredStats, columns: readonly string[]): RelationStats | undefined {
  if (d.rows === undefined) return undefined;
  const rows = d.rows;
  const cols: ColumnSummary[] = columns.map((name) => {
    const ndv = d.ndv.get(name);
    const skew = d.skew.get(name);
    return { name, ndv: ndv === undefined ? undefined : Math.min(ndv, Math.max(1, rows)), nullFraction: 0, topShare: skew, avgBytes: undefined };
  });
  // Each declared row arrived as one change; a declared rate adds an hour of changes at that rate, so
  // relations that change often weigh as much more in the work estimates (a dimension updated all the
  // time is best joined late, where its changes fan out least).
  const changes = rows + (d.updateRate ?? 0) * DECLARED_RATE_HORIZON;
  return { rows, changes, retractions: 0, updateRate: d.updateRate, columns: cols, source: 'declared' };
}
