// A recursive-descent parser for catalog queries (PostgreSQL's SELECT subset in ast.ts).
// It refuses anything else by throwing CatalogSyntaxError, and the statement
// then goes to the engine, which reports its own error.

import { tokenize, type Token } from '../sql-lexer.js';
import type { CBody, CExpr, CFrom, CQuery, CSelect, OrderItem, SelectItem, WindowSpec } from './ast.js';

export class CatalogSyntaxError extends Error {}

/** Words that end an expression or cannot be an implicit alias. */
const RESERVED = new Set([
  'select', 'from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'union', 'intersect', 'except', 'join',
  'left', 'right', 'full', 'inner', 'cross', 'natural', 'on', 'using', 'and', 'or', 'not', 'as', 'window', 'fetch',
  'for', 'into', 'is', 'isnull', 'notnull', 'in', 'like', 'ilike', 'similar', 'between', 'case', 'when', 'then', 'else', 'end', 'outer',
  'lateral', 'collate', 'asc', 'desc', 'nulls', 'with', 'returning', 'values', 'all', 'distinct', 'any', 'some',
]);

/** Type names as casts spell them, to the canonical names the evaluator knows. */
const TYPE_ALIASES: Record<string, string> = {
  integer: 'int4', int: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool', real: 'float4',
  'double precision': 'float8', float: 'float8', decimal: 'numeric', 'character varying': 'varchar',
  character: 'bpchar', 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time without time zone': 'time', 'time with time zone': 'timetz', string: 'text',
};

const TYPED_LITERAL_TYPES = new Set(['date', 'time', 'timestamp', 'timestamptz', 'interval', 'text', 'int4', 'int8', 'bool', 'oid', 'regclass', 'regtype', 'name', 'numeric', 'bigint', 'integer']);

const NO_PAREN_FUNCTIONS = new Set([
  'current_user', 'session_user', 'user', 'current_role', 'current_catalog', 'current_schema', 'current_date',
  'current_timestamp', 'localtimestamp', 'current_time', 'localtime',
]);

export function parseCatalogQuery(sql: string): CQuery {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (e) {
    throw new CatalogSyntaxError((e as Error).message);
  }
  const p = new Parser(tokens);
  const q = p.query();
  p.optional(';');
  p.expectEnd();
  return q;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token | undefined {
    return this.tokens[this.pos + ahead];
  }

  private fail(what: string): never {
    const t = this.peek();
    throw new CatalogSyntaxError(`${what} at ${t === undefined ? 'end of input' : JSON.stringify(t.value)}`);
  }

  /** True when the next token is the keyword or punctuation `value` (identifiers compare lower-cased). */
  private is(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    if (t === undefined) return false;
    return (t.kind === 'ident' || t.kind === 'punct' || t.kind === 'op') && t.value === value;
  }

  optional(value: string): boolean {
    if (this.is(value)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(value: string): void {
    if (!this.optional(value)) this.fail(`expected ${value}`);
  }

  expectEnd(): void {
    if (this.peek() !== undefined) this.fail('unexpected input');
  }

  private name(): string {
    const t = this.peek();
    if (t === undefined || (t.kind !== 'ident' && t.kind !== 'quoted')) this.fail('expected a name');
    this.pos++;
    return t.value;
  }

  private isName(): boolean {
    const t = this.peek();
    return t !== undefined && (t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED.has(t.value)));
  }

  // ------------------------------------------------------------ queries

  query(): CQuery {
    const withs: { name: string; q: CQuery }[] = [];
    if (this.optional('with')) {
      this.optional('recursive');
      do {
        const name = this.name();
        this.expect('as');
        this.expect('(');
        const q = this.query();
        this.expect(')');
        withs.push({ name, q });
      } while (this.optional(','));
    }
    const body = this.setExpr();
    const orderBy: OrderItem[] = [];
    if (this.optional('order')) {
      this.expect('by');
      do orderBy.push(this.orderItem()); while (this.optional(','));
    }
    let limit: CExpr | undefined;
    let offset: CExpr | undefined;
    for (;;) {
      if (this.optional('limit')) {
        if (!this.optional('all')) limit = this.expr();
      } else if (this.optional('offset')) {
        offset = this.expr();
        if (!this.optional('rows')) this.optional('row');
      } else break;
    }
    const q: CQuery = { k: 'query', with: withs, body, orderBy, ...(limit ? { limit } : {}), ...(offset ? { offset } : {}) };
    return q;
  }

  private orderItem(): OrderItem {
    const e = this.expr();
    let desc = false;
    if (this.optional('desc')) desc = true;
    else this.optional('asc');
    if (this.optional('nulls')) {
      const first = this.optional('first');
      if (!first) this.expect('last');
      return { e, desc, nullsFirst: first };
    }
    return { e, desc };
  }

  private setExpr(): CBody {
    let left = this.setTerm();
    for (;;) {
      const op = this.is('union') ? 'union' : this.is('except') ? 'except' : this.is('intersect') ? 'intersect' : undefined;
      if (op === undefined) return left;
      this.pos++;
      const all = this.optional('all');
      if (!all) this.optional('distinct');
      const right = this.setTerm();
      left = { k: 'setop', op, all, l: left, r: right };
    }
  }

  private setTerm(): CBody {
    if (this.is('(')) {
      this.pos++;
      const q = this.query();
      this.expect(')');
      return q;
    }
    if (this.optional('values')) {
      const rows: CExpr[][] = [];
      do {
        this.expect('(');
        const row: CExpr[] = [];
        do row.push(this.expr()); while (this.optional(','));
        this.expect(')');
        rows.push(row);
      } while (this.optional(','));
      return { k: 'values', rows };
    }
    return this.select();
  }

  private select(): CSelect {
    this.expect('select');
    let distinct = false;
    if (this.optional('distinct')) {
      distinct = true;
      if (this.is('on')) this.fail('DISTINCT ON is not supported');
    } else this.optional('all');
    const items: SelectItem[] = [];
    if (!this.is('from') && this.peek() !== undefined && !this.is(';') && !this.is(')')) {
      do items.push(this.selectItem()); while (this.optional(','));
    }
    const from: CFrom[] = [];
    if (this.optional('from')) {
      do from.push(this.fromItem()); while (this.optional(','));
    }
    const where = this.optional('where') ? this.expr() : undefined;
    const groupBy: CExpr[] = [];
    if (this.optional('group')) {
      this.expect('by');
      do groupBy.push(this.expr()); while (this.optional(','));
    }
    const having = this.optional('having') ? this.expr() : undefined;
    return { k: 'select', distinct, items, from, groupBy, ...(where ? { where } : {}), ...(having ? { having } : {}) };
  }

  private selectItem(): SelectItem {
    if (this.is('*')) {
      this.pos++;
      return { e: { k: 'star' } };
    }
    const t = this.peek();
    if (t !== undefined && (t.kind === 'ident' || t.kind === 'quoted') && this.is('.', 1) && this.is('*', 2)) {
      this.pos += 3;
      return { e: { k: 'star', table: t.value } };
    }
    const e = this.expr();
    if (this.optional('as')) return { e, alias: this.name() };
    if (this.isName()) return { e, alias: this.name() };
    return { e };
  }

  private fromItem(): CFrom {
    let left = this.fromPrimary();
    for (;;) {
      let type: 'inner' | 'left' | 'right' | 'full' | 'cross' | undefined;
      this.optional('natural');
      if (this.optional('join')) type = 'inner';
      else if (this.is('inner') && this.is('join', 1)) { this.pos += 2; type = 'inner'; }
      else if (this.is('cross') && this.is('join', 1)) { this.pos += 2; type = 'cross'; }
      else if (this.is('left') || this.is('right') || this.is('full')) {
        type = (this.peek() as Token).value as 'left' | 'right' | 'full';
        this.pos++;
        this.optional('outer');
        this.expect('join');
      }
      if (type === undefined) return left;
      const right = this.fromPrimary();
      if (type === 'cross') {
        left = { k: 'join', type, l: left, r: right };
      } else if (this.optional('on')) {
        left = { k: 'join', type, l: left, r: right, on: this.expr() };
      } else if (this.optional('using')) {
        this.expect('(');
        const cols: string[] = [];
        do cols.push(this.name()); while (this.optional(','));
        this.expect(')');
        left = { k: 'join', type, l: left, r: right, using: cols };
      } else this.fail('expected ON or USING');
    }
  }

  private aliasClause(): { alias?: string; columns?: string[] } {
    let alias: string | undefined;
    if (this.optional('as')) alias = this.name();
    else if (this.isName()) alias = this.name();
    if (alias === undefined) return {};
    if (this.is('(')) {
      this.pos++;
      const columns: string[] = [];
      do columns.push(this.name()); while (this.optional(','));
      this.expect(')');
      return { alias, columns };
    }
    return { alias };
  }

  private fromPrimary(): CFrom {
    this.optional('lateral');
    if (this.is('(')) {
      this.pos++;
      if (this.is('select') || this.is('with') || this.is('values') || this.is('(')) {
        const q = this.query();
        this.expect(')');
        const a = this.aliasClause();
        return { k: 'sub', q, alias: a.alias ?? 'subquery', ...(a.columns ? { columns: a.columns } : {}) };
      }
      const inner = this.fromItem();
      this.expect(')');
      return inner;
    }
    const first = this.name();
    let schema: string | undefined;
    let name = first;
    if (this.optional('.')) {
      schema = first;
      name = this.name();
    }
    if (this.is('(')) {
      const call = this.callRest(name);
      const a = this.aliasClause();
      return { k: 'func', call, ...(a.alias ? { alias: a.alias } : {}), ...(a.columns ? { columns: a.columns } : {}) };
    }
    const a = this.aliasClause();
    return { k: 'table', name, ...(schema ? { schema } : {}), ...(a.alias ? { alias: a.alias } : {}) };
  }

  // ------------------------------------------------------------ expressions

  expr(): CExpr {
    return this.orExpr();
  }

  private orExpr(): CExpr {
    let l = this.andExpr();
    while (this.optional('or')) l = { k: 'bin', op: 'or', l, r: this.andExpr() };
    return l;
  }

  private andExpr(): CExpr {
    let l = this.notExpr();
    while (this.optional('and')) l = { k: 'bin', op: 'and', l, r: this.notExpr() };
    return l;
  }

  private notExpr(): CExpr {
    if (this.optional('not')) return { k: 'unary', op: 'not', e: this.notExpr() };
    return this.isExpr();
  }

  private isExpr(): CExpr {
    let e = this.cmpExpr();
    for (;;) {
      if (this.optional('isnull')) { e = { k: 'isnull', e, not: false }; continue; }
      if (this.optional('notnull')) { e = { k: 'isnull', e, not: true }; continue; }
      if (!this.optional('is')) return e;
      const not = this.optional('not');
      if (this.optional('null')) e = { k: 'isnull', e, not };
      else if (this.optional('true')) e = { k: 'istruth', e, value: true, not };
      else if (this.optional('false')) e = { k: 'istruth', e, value: false, not };
      else if (this.optional('unknown')) e = { k: 'isnull', e, not };
      else if (this.optional('distinct')) {
        this.expect('from');
        e = { k: 'distinct', l: e, r: this.cmpExpr(), not };
      } else this.fail('expected NULL, TRUE, FALSE or DISTINCT FROM');
    }
  }

  private cmpExpr(): CExpr {
    const l = this.likeExpr();
    const t = this.peek();
    if (t !== undefined && t.kind === 'op' && ['=', '<>', '!=', '<', '>', '<=', '>='].includes(t.value)) {
      this.pos++;
      const op = t.value === '!=' ? '<>' : t.value;
      const quantified = this.quantified(op, l);
      if (quantified) return quantified;
      return { k: 'bin', op, l, r: this.likeExpr() };
    }
    return l;
  }

  /** `op ANY (array | subquery)` / `op ALL (...)` after the operator. */
  private quantified(op: string, l: CExpr): CExpr | undefined {
    if (!(this.is('any') || this.is('some') || this.is('all')) || !this.is('(', 1)) return undefined;
    const all = (this.peek() as Token).value === 'all';
    this.pos += 2;
    if (this.is('select') || this.is('with')) {
      const q = this.query();
      this.expect(')');
      return { k: 'any', op, l, query: q, all };
    }
    const r = this.expr();
    this.expect(')');
    return { k: 'any', op, l, r, all };
  }

  private likeExpr(): CExpr {
    let e = this.otherExpr();
    for (;;) {
      const save = this.pos;
      const not = this.optional('not');
      if (this.optional('like') || this.optional('ilike')) {
        const op = (this.tokens[this.pos - 1] as Token).value;
        const r = this.otherExpr();
        if (this.optional('escape')) this.otherExpr();
        e = { k: 'bin', op: not ? `not ${op}` : op, l: e, r };
      } else if (this.optional('similar')) {
        this.expect('to');
        e = { k: 'bin', op: not ? 'not similar' : 'similar', l: e, r: this.otherExpr() };
      } else if (this.optional('in')) {
        this.expect('(');
        if (this.is('select') || this.is('with')) {
          const query = this.query();
          this.expect(')');
          e = { k: 'in', e, query, not };
        } else {
          const list: CExpr[] = [];
          do list.push(this.expr()); while (this.optional(','));
          this.expect(')');
          e = { k: 'in', e, list, not };
        }
      } else if (this.optional('between')) {
        this.optional('symmetric');
        const lo = this.otherExpr();
        this.expect('and');
        const hi = this.otherExpr();
        e = { k: 'between', e, lo, hi, not };
      } else {
        this.pos = save;
        return e;
      }
    }
  }

  private otherExpr(): CExpr {
    let l = this.addExpr();
    for (;;) {
      const t = this.peek();
      if (t === undefined) return l;
      if (t.kind === 'ident' && t.value === 'operator' && this.is('(', 1)) {
        // OPERATOR(pg_catalog.~): the operator, schema-qualified.
        this.pos += 2;
        if (this.peek()?.kind === 'ident' && this.is('.', 1)) this.pos += 2;
        const op = this.peek();
        if (op === undefined || op.kind !== 'op') this.fail('expected an operator');
        this.pos++;
        this.expect(')');
        if (['=', '<>', '<', '>', '<=', '>='].includes(op.value)) {
          const quantified = this.quantified(op.value, l);
          l = quantified ?? { k: 'bin', op: op.value, l, r: this.addExpr() };
        } else l = { k: 'bin', op: op.value, l, r: this.addExpr() };
        continue;
      }
      if (t.kind === 'op' && ['~', '!~', '~*', '!~*', '||', '@>', '<@', '&&'].includes(t.value)) {
        this.pos++;
        const quantified = this.quantified(t.value, l);
        l = quantified ?? { k: 'bin', op: t.value, l, r: this.addExpr() };
        continue;
      }
      return l;
    }
  }

  private addExpr(): CExpr {
    let l = this.mulExpr();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'op' && (t.value === '+' || t.value === '-')) {
        this.pos++;
        l = { k: 'bin', op: t.value, l, r: this.mulExpr() };
      } else return l;
    }
  }

  private mulExpr(): CExpr {
    let l = this.unaryExpr();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'op' && (t.value === '*' || t.value === '/' || t.value === '%')) {
        this.pos++;
        l = { k: 'bin', op: t.value, l, r: this.unaryExpr() };
      } else return l;
    }
  }

  private unaryExpr(): CExpr {
    const t = this.peek();
    if (t?.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.pos++;
      return { k: 'unary', op: t.value, e: this.unaryExpr() };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: CExpr): CExpr {
    for (;;) {
      if (this.optional('::')) {
        e = { k: 'cast', e, type: this.typeName() };
      } else if (this.is('[')) {
        this.pos++;
        const index = this.expr();
        if (this.optional(':')) this.fail('array slices are not supported');
        this.expect(']');
        e = { k: 'subscript', e, index };
      } else if (this.optional('collate')) {
        this.name();
        if (this.optional('.')) this.name();
      } else if (this.is('.') && (e.k === 'subquery' || e.k === 'call')) {
        this.pos++;
        e = { k: 'field', e, name: this.name() };
      } else return e;
    }
  }

  /** A type name after `::` or in CAST: schema-qualified, multi-word, with modifiers and `[]`. */
  typeName(): string {
    let name = this.name();
    if (this.optional('.')) name = this.name();
    const multi: Record<string, string[]> = {
      double: ['precision'], character: ['varying'], timestamp: ['with', 'without'], time: ['with', 'without'],
    };
    const next = multi[name];
    if (next !== undefined && next.some((w) => this.is(w))) {
      const w = this.name();
      name += ` ${w}`;
      if (w === 'with' || w === 'without') {
        this.expect('time');
        this.expect('zone');
        name += ' time zone';
      }
    }
    if (this.is('(')) {
      // Modifiers (varchar(10), numeric(10,2)) do not change how a catalog value is computed.
      this.pos++;
      while (!this.is(')')) {
        if (this.peek() === undefined) this.fail('expected )');
        this.pos++;
      }
      this.pos++;
      if (name === 'timestamp' || name === 'time') {
        if (this.optional('with')) { this.expect('time'); this.expect('zone'); name += ' with time zone'; }
        else if (this.optional('without')) { this.expect('time'); this.expect('zone'); }
      }
    }
    let canonical = TYPE_ALIASES[name] ?? name;
    while (this.is('[')) {
      this.pos++;
      this.expect(']');
      canonical += '[]';
    }
    return canonical;
  }

  private primary(): CExpr {
    const t = this.peek();
    if (t === undefined) this.fail('expected an expression');
    switch (t.kind) {
      case 'number': {
        this.pos++;
        const v = Number(t.value);
        const integral = /^\d+$/.test(t.value);
        return { k: 'lit', v, type: integral ? (Math.abs(v) <= 2147483647 ? 'int4' : 'int8') : 'numeric' };
      }
      case 'string':
        this.pos++;
        return { k: 'lit', v: t.value, type: 'unknown' };
      case 'param':
        this.pos++;
        return { k: 'param', index: Number(t.value) };
      case 'quoted':
        return this.nameExpr();
      case 'punct':
        if (t.value === '(') {
          this.pos++;
          if (this.is('select') || this.is('with') || this.is('values')) {
            const q = this.query();
            this.expect(')');
            return { k: 'subquery', q };
          }
          const e = this.expr();
          if (this.is(',')) this.fail('row constructors are not supported');
          this.expect(')');
          return e;
        }
        return this.fail('expected an expression');
      case 'op':
        return this.fail('expected an expression');
      case 'ident':
        break;
    }
    switch (t.value) {
      case 'null': this.pos++; return { k: 'lit', v: null, type: 'unknown' };
      case 'true': this.pos++; return { k: 'lit', v: true, type: 'bool' };
      case 'false': this.pos++; return { k: 'lit', v: false, type: 'bool' };
      case 'case': return this.caseExpr();
      case 'cast': {
        this.pos++;
        this.expect('(');
        const e = this.expr();
        this.expect('as');
        const type = this.typeName();
        this.expect(')');
        return { k: 'cast', e, type };
      }
      case 'exists': {
        this.pos++;
        this.expect('(');
        const q = this.query();
        this.expect(')');
        return { k: 'exists', q };
      }
      case 'array': {
        this.pos++;
        if (this.optional('(')) {
          const q = this.query();
          this.expect(')');
          return { k: 'arrayq', q };
        }
        this.expect('[');
        const items: CExpr[] = [];
        if (!this.is(']')) do items.push(this.expr()); while (this.optional(','));
        this.expect(']');
        return { k: 'array', items };
      }
      default:
        break;
    }
    if (RESERVED.has(t.value) && t.value !== 'left' && t.value !== 'right') this.fail('unexpected keyword');
    const next = this.peek(1);
    const typeWord = TYPE_ALIASES[t.value] ?? t.value;
    if (next?.kind === 'string' && TYPED_LITERAL_TYPES.has(typeWord)) {
      this.pos += 2;
      return { k: 'cast', e: { k: 'lit', v: next.value, type: 'unknown' }, type: typeWord };
    }
    return this.nameExpr();
  }

  private nameExpr(): CExpr {
    const parts = [this.name()];
    while (this.is('.') && !this.is('*', 1)) {
      this.pos++;
      parts.push(this.name());
    }
    if (this.is('(')) {
      // pg_catalog.f(...) and f(...) are the same function here.
      return this.callRest(parts[parts.length - 1] as string);
    }
    if (parts.length === 1 && NO_PAREN_FUNCTIONS.has(parts[0] as string) && this.peek(-1)?.kind === 'ident') {
      return { k: 'call', name: parts[0] as string, args: [], star: false, distinct: false };
    }
    return { k: 'col', parts };
  }

  private callRest(name: string): CExpr {
    this.expect('(');
    if (this.optional('*')) {
      this.expect(')');
      return this.withOver({ k: 'call', name, args: [], star: true, distinct: false });
    }
    const distinct = this.optional('distinct');
    const args: CExpr[] = [];
    if (!this.is(')')) {
      args.push(this.expr());
      if (name === 'substring' && (this.is('from') || this.is('for'))) {
        // substring(x FROM a FOR b), the SQL-standard spelling.
        const from = this.optional('from') ? this.expr() : { k: 'lit' as const, v: 1, type: 'int4' };
        args.push(from);
        if (this.optional('for')) args.push(this.expr());
      }
      while (this.optional(',')) args.push(this.expr());
    }
    if (this.optional('order')) {
      // An aggregate's ORDER BY: catalog aggregates are small; order of input is kept as is.
      this.expect('by');
      do this.orderItem(); while (this.optional(','));
    }
    this.expect(')');
    if (this.is('filter')) this.fail('FILTER is not supported');
    return this.withOver({ k: 'call', name, args, star: false, distinct });
  }

  private withOver(call: Extract<CExpr, { k: 'call' }>): CExpr {
    if (!this.optional('over')) return call;
    this.expect('(');
    const partitionBy: CExpr[] = [];
    const orderBy: OrderItem[] = [];
    if (this.optional('partition')) {
      this.expect('by');
      do partitionBy.push(this.expr()); while (this.optional(','));
    }
    if (this.optional('order')) {
      this.expect('by');
      do orderBy.push(this.orderItem()); while (this.optional(','));
    }
    this.expect(')');
    const over: WindowSpec = { partitionBy, orderBy };
    return { ...call, over };
  }

  private caseExpr(): CExpr {
    this.expect('case');
    const operand = this.is('when') ? undefined : this.expr();
    const whens: [CExpr, CExpr][] = [];
    while (this.optional('when')) {
      const cond = this.expr();
      this.expect('then');
      whens.push([cond, this.expr()]);
    }
    const otherwise = this.optional('else') ? this.expr() : undefined;
    this.expect('end');
    return { k: 'case', whens, ...(operand ? { operand } : {}), ...(otherwise ? { else: otherwise } : {}) };
  }
}
