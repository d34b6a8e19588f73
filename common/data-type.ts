// SQL data types as the binder and executor see them, and the fields of a schema.

export type DataType =
  | { readonly kind: 'NULL' }
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'TINYINT' }
  | { readonly kind: 'SMALLINT' }
  | { readonly kind: 'INT' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'FLOAT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  /** `length` null: unbounded (STRING / TEXT). */
  | { readonly kind: 'VARCHAR'; readonly length: number | null }
  | { readonly kind: 'CHAR'; readonly length: number }
  | { readonly kind: 'BYTES' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIME'; readonly precision: number }
  | { readonly kind: 'TIMESTAMP'; readonly precision: number }
  | { readonly kind: 'TIMESTAMP_LTZ'; readonly precision: number }
  | { readonly kind: 'INTERVAL_DAY_TIME' }
  | { readonly kind: 'INTERVAL_YEAR_MONTH' }
  | { readonly kind: 'ARRAY'; readonly element: DataType }
  | { readonly kind: 'MAP'; readonly key: DataType; readonly value: DataType }
  | { readonly kind: 'ROW'; readonly fields: readonly Field[] };

export type TypeKind = DataType['kind'];

/** A column of a schema. `timeAttribute` marks event-time (rowtime) and processing-time columns. */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly timeAttribute?: 'ROWTIME' | 'PROCTIME';
}

export type Schema = readonly Field[];

export const Types = {
  null: { kind: 'NULL' },
  boolean: { kind: 'BOOLEAN' },
  tinyint: { kind: 'TINYINT' },
  smallint: { kind: 'SMALLINT' },
  int: { kind: 'INT' },
  bigint: { kind: 'BIGINT' },
  float: { kind: 'FLOAT' },
  double: { kind: 'DOUBLE' },
  string: { kind: 'VARCHAR', length: null },
  bytes: { kind: 'BYTES' },
  date: { kind: 'DATE' },
  time: { kind: 'TIME', precision: 0 },
  timestamp3: { kind: 'TIMESTAMP', precision: 3 },
  timestampLtz3: { kind: 'TIMESTAMP_LTZ', precision: 3 },
  intervalDayTime: { kind: 'INTERVAL_DAY_TIME' },
  intervalYearMonth: { kind: 'INTERVAL_YEAR_MONTH' },
} as const satisfies Record<string, DataType>;

const integerKinds: ReadonlySet<TypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
const numericKinds: ReadonlySet<TypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL']);

export function isInteger(t: DataType): boolean {
  return integerKinds.has(t.kind);
}

export function isNumeric(t: DataType): boolean {
  return numericKinds.has(t.kind);
}

export function isString(t: DataType): boolean {
  return t.kind === 'VARCHAR' || t.kind === 'CHAR';
}

export function isTemporal(t: DataType): boolean {
  return t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
}

/** The type as SQL spells it: `VARCHAR(10)`, `DECIMAL(10, 2)`, `TIMESTAMP(3)`, `STRING`. */
export function typeToSql(t: DataType): string {
  switch (t.kind) {
    case 'DECIMAL': return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'VARCHAR': return t.length === null ? 'STRING' : `VARCHAR(${t.length})`;
    case 'CHAR': return `CHAR(${t.length})`;
    case 'TIME': return `TIME(${t.precision})`;
    case 'TIMESTAMP': return `TIMESTAMP(${t.precision})`;
    case 'TIMESTAMP_LTZ': return `TIMESTAMP_LTZ(${t.precision})`;
    case 'INTERVAL_DAY_TIME': return 'INTERVAL DAY TO SECOND';
    case 'INTERVAL_YEAR_MONTH': return 'INTERVAL YEAR TO MONTH';
    case 'ARRAY': return `ARRAY<${typeToSql(t.element)}>`;
    case 'MAP': return `MAP<${typeToSql(t.key)}, ${typeToSql(t.value)}>`;
    case 'ROW': return `ROW<${t.fields.map((f) => `${f.name} ${typeToSql(f.type)}`).join(', ')}>`;
    default: return t.kind;
  }
}

export function sameType(a: DataType, b: DataType): boolean {
  return typeToSql(a) === typeToSql(b);
}
