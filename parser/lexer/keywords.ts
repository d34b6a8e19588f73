// SQL keywords: which are reserved, which may double as identifiers, and the time units.

/**
 * Reserved words: never accepted where an identifier is expected (quote them
 * to use them as names). Roughly PostgreSQL's reserved list, plus the words
 * whose position right after an expression or a table would otherwise be
 * ambiguous with an alias (`OVER`, `FILTER`, `QUALIFY`, `MATCH_RECOGNIZE`, ...).
 */
export const RESERVED_KEYWORDS = [
  'ALL', 'AND', 'ARRAY', 'AS', 'ASC', 'ASYMMETRIC', 'BETWEEN', 'BOTH', 'CASE', 'CAST',
  'CONSTRAINT', 'CREATE', 'CROSS', 'CUBE', 'CURRENT_CATALOG', 'CURRENT_DATE',
  'CURRENT_SCHEMA', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'DEFAULT', 'DESC', 'DESCRIPTOR',
  'DISTINCT', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'EXTRACT', 'FALSE', 'FETCH',
  'FILTER', 'FOR', 'FROM', 'FULL', 'GROUP', 'GROUPING', 'HAVING', 'ILIKE', 'IN', 'INNER', 'INTERSECT',
  'INTERVAL', 'INTO', 'IS', 'ISNULL', 'JOIN', 'LATERAL', 'LEADING', 'LEFT', 'LIKE', 'LIMIT',
  'LOCALTIME', 'LOCALTIMESTAMP', 'MATCH_RECOGNIZE', 'NATURAL', 'NOT', 'NOTNULL', 'NULL',
  'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'OVERLAY', 'PLACING', 'POSITION',
  'PRIMARY', 'QUALIFY', 'RIGHT', 'ROLLUP', 'ROW', 'SELECT', 'SESSION_USER', 'SET', 'SIMILAR',
  'SUBSTRING', 'SYMMETRIC', 'TABLE', 'THEN', 'TO', 'TRAILING', 'TRIM', 'TRUE', 'TRY_CAST',
  'UNION', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
] as const;

/** Keywords that are also valid identifiers (`value`, `time`, `first`, `jobs`, ...). */
export const NON_RESERVED_KEYWORDS = [
  'ABORT', 'AFTER', 'ANALYZE', 'BEGIN', 'BINARY', 'BY', 'CASCADE', 'CHANGELOG_MODE', 'CHAR',
  'CHARACTER', 'CHECKPOINT', 'CLOSE', 'COMMENT', 'COMMIT', 'COPY', 'CURRENT', 'CURSOR',
  'CURSORS', 'DECLARE', 'DEFINE', 'DELETE', 'DESCRIBE', 'DOUBLE', 'DROP',
  'EMPTY', 'ENFORCED', 'ESTIMATED_COST', 'EXCLUDE', 'EXPLAIN', 'FINAL', 'FIRST',
  'FOLLOWING', 'FORWARD', 'FUNCTIONS', 'GROUPS', 'HOLD', 'IF', 'IGNORE', 'INSERT',
  'JOB', 'JOBS', 'KEY', 'LAST', 'LOCAL', 'MATCH', 'MATCHES', 'MATERIALIZED', 'MEASURES',
  'METADATA', 'NEXT', 'NO', 'NULLS', 'OF', 'OMIT', 'ONE', 'ONLY', 'OTHERS', 'OVERWRITE',
  'PARTITION', 'PARTITIONED', 'PAST', 'PATTERN', 'PER', 'PERMUTE', 'PLAN', 'PRECEDING',
  'PRECISION', 'RANGE', 'RECURSIVE', 'REPLACE', 'RESET', 'RESPECT', 'RESTRICT', 'ROLLBACK',
  'ROWS', 'RUNNING', 'SCROLL', 'SESSION', 'SETS', 'SHOW', 'SKIP', 'START', 'STDIN',
  'STDOUT', 'SUBSCRIBE', 'SUBSET', 'SYSTEM_TIME', 'TABLES', 'TEMP', 'TEMPORARY', 'TIES',
  'TIME', 'TIMESTAMP', 'TRANSACTION', 'UESCAPE', 'UNBOUNDED', 'UNKNOWN', 'UNMATCHED', 'UPDATE',
  'VARYING', 'VIEW', 'VIEWS', 'VIRTUAL', 'WATERMARK', 'WITHIN', 'WITHOUT', 'WORK', 'ZONE',
] as const;

/**
 * Units of interval qualifiers and EXTRACT fields, plural forms included
 * (Flink writes `INTERVAL '10' MINUTES`). All are non-reserved.
 */
export const TIME_UNIT_KEYWORDS = [
  'MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR',
  'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND', 'DOW', 'DOY', 'ISODOW',
  'ISOYEAR', 'EPOCH',
  'MILLENNIUMS', 'CENTURIES', 'DECADES', 'YEARS', 'QUARTERS', 'MONTHS', 'WEEKS', 'DAYS',
  'HOURS', 'MINUTES', 'SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS',
] as const;

export type ReservedKeyword = (typeof RESERVED_KEYWORDS)[number];
export type NonReservedKeyword = (typeof NON_RESERVED_KEYWORDS)[number];
export type TimeUnitKeyword = (typeof TIME_UNIT_KEYWORDS)[number];
export type Keyword = ReservedKeyword | NonReservedKeyword | TimeUnitKeyword;
