// The syntax tree of catalog queries: the PostgreSQL SELECT subset that psql,
// drivers and tools send to read pg_catalog and information_schema.

export type CValue = null | boolean | number | string | readonly CValue[];

export type CExpr =
  | { readonly k: 'lit'; readonly v: CValue; readonly type: string }
  | { readonly k: 'param'; readonly index: number }
  | { readonly k: 'col'; readonly parts: readonly string[] }
  | {
    readonly k: 'call'; readonly name: string; readonly args: readonly CExpr[]; readonly star: boolean; readonly distinct: boolean;
    /** `OVER (PARTITION BY ... ORDER BY ...)`: a window function. */
    readonly over?: WindowSpec;
  }
  | { readonly k: 'unary'; readonly op: 'not' | '-' | '+'; readonly e: CExpr }
  | { readonly k: 'bin'; readonly op: string; readonly l: CExpr; readonly r: CExpr }
  | { readonly k: 'isnull'; readonly e: CExpr; readonly not: boolean }
  | { readonly k: 'istruth'; readonly e: CExpr; readonly value: boolean; readonly not: boolean }
  | { readonly k: 'distinct'; readonly l: CExpr; readonly r: CExpr; readonly not: boolean }
  | { readonly k: 'in'; readonly e: CExpr; readonly list?: readonly CExpr[]; readonly query?: CQuery; readonly not: boolean }
  | { readonly k: 'between'; readonly e: CExpr; readonly lo: CExpr; readonly hi: CExpr; readonly not: boolean }
  | { readonly k: 'any'; readonly op: string; readonly l: CExpr; readonly r?: CExpr; readonly query?: CQuery; readonly all: boolean }
  | { readonly k: 'case'; readonly operand?: CExpr; readonly whens: readonly (readonly [CExpr, CExpr])[]; readonly else?: CExpr }
  | { readonly k: 'cast'; readonly e: CExpr; readonly type: string }
  | { readonly k: 'subquery'; readonly q: CQuery }
  | { readonly k: 'exists'; readonly q: CQuery }
  | { readonly k: 'array'; readonly items: readonly CExpr[] }
  | { readonly k: 'arrayq'; readonly q: CQuery }
  | { readonly k: 'subscript'; readonly e: CExpr; readonly index: CExpr }
  | { readonly k: 'field'; readonly e: CExpr; readonly name: string };

export interface WindowSpec {
  readonly partitionBy: readonly CExpr[];
  readonly orderBy: readonly OrderItem[];
}

export interface SelectItem {
  readonly e: CExpr | { readonly k: 'star'; readonly table?: string };
  readonly alias?: string;
}

export type CFrom =
  | { readonly k: 'table'; readonly schema?: string; readonly name: string; readonly alias?: string }
  | { readonly k: 'sub'; readonly q: CQuery; readonly alias: string; readonly columns?: readonly string[] }
  | { readonly k: 'func'; readonly call: CExpr; readonly alias?: string; readonly columns?: readonly string[] }
  | {
    readonly k: 'join'; readonly type: 'inner' | 'left' | 'right' | 'full' | 'cross';
    readonly l: CFrom; readonly r: CFrom; readonly on?: CExpr; readonly using?: readonly string[];
  };

export interface CSelect {
  readonly k: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: readonly CFrom[];
  readonly where?: CExpr;
  readonly groupBy: readonly CExpr[];
  readonly having?: CExpr;
}

export interface CSetOp {
  readonly k: 'setop';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly l: CBody;
  readonly r: CBody;
}

export interface CValues {
  readonly k: 'values';
  readonly rows: readonly (readonly CExpr[])[];
}

export type CBody = CSelect | CSetOp | CValues | CQuery;

export interface OrderItem {
  readonly e: CExpr;
  readonly desc: boolean;
  readonly nullsFirst?: boolean;
}

export interface CQuery {
  readonly k: 'query';
  readonly with: readonly { readonly name: string; readonly q: CQuery }[];
  readonly body: CBody;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: CExpr;
  readonly offset?: CExpr;
}
