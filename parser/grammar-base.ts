// Grammar foundation: parser configuration, lookahead helpers, and the rules for names, types, ORDER BY and windows.

import { CstParser, EOF, type CstNode, type IOrAlt, type OrMethodOpts, type ParserMethod, type TokenType } from 'chevrotain';
import { errorMessageProvider } from './grammar-errors.js';
import { ALL_TOKENS, K, T } from './lexer/tokens.js';

export type Rule = ParserMethod<[], CstNode>;

/**
 * OR alternatives built once and reused. Chevrotain's DSL builds the array
 * of alternatives on every call, which on the hot rules is most of the
 * parser's allocation; the alternatives only close over the parser itself,
 * so one array per OR serves every call.
 */
export type AltCache = Record<string, IOrAlt<unknown>[] | OrMethodOpts<unknown>>;

/** After a parenthesized query, one of these may follow inside a query expression. */
const AFTER_NESTED_QUERY: ReadonlySet<TokenType> = new Set([
  T.RParen, K.UNION, K.INTERSECT, K.EXCEPT, K.ORDER, K.LIMIT, K.OFFSET, K.FETCH,
]);

/** Tokens that may follow the name of a base window in `OVER (w ...)`. */
const AFTER_WINDOW_BASE: ReadonlySet<TokenType> = new Set([T.RParen, K.ORDER, K.ROWS, K.RANGE, K.GROUPS, K.PARTITION]);

/**
 * The parser's foundation: configuration, shared caches and lookahead helpers,
 * and the rules every statement family uses (names, types, ORDER BY, windows).
 */
export class GrammarBase extends CstParser {
  /** Defined by ExpressionGrammar. */
  declare readonly expression: Rule;

  /** Defined by QueryGrammar: a full query (subqueries appear in expressions). */
  declare readonly query: Rule;

  /** See AltCache. */
  protected readonly alts: AltCache = {};

  constructor(recovery: boolean) {
    super(ALL_TOKENS, {
      recoveryEnabled: recovery,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider,
    });
  }

  /** Whether the token at LA(i) begins a query (a subquery after `(`). */
  protected queryAhead(i: number): boolean {
    const type = this.LA(i).tokenType;
    if (type === K.SELECT || type === K.WITH || type === K.VALUES) return true;
    if (type !== T.LParen) return false;
    // Most nested parentheses hold expressions: unless a query keyword follows
    // the run of `(`, no query can start here, and no paren matching is needed.
    let k = i + 1;
    while (this.LA(k).tokenType === T.LParen) k++;
    const first = this.LA(k).tokenType;
    if (first !== K.SELECT && first !== K.WITH && first !== K.VALUES) return false;
    // `((SELECT ...) UNION ...)`: a query if the inner group is one and is
    // followed by what may follow a query operand.
    let depth = 0;
    let j = i;
    for (;; j++) {
      const t = this.LA(j).tokenType;
      if (t === EOF) return false;
      if (t === T.LParen) depth++;
      else if (t === T.RParen && --depth === 0) break;
    }
    return this.queryAhead(i + 1) && AFTER_NESTED_QUERY.has(this.LA(j + 1).tokenType);
  }

  /**
   * The bodies of the loops and options of the hottest rules, built once for
   * the same reason as the OR alternatives (see AltCache).
   */
  protected readonly loops: Record<string, () => void> = {};

  /** `DAY`, `SECOND(3)`, `DAY TO SECOND(3)`, `YEAR TO MONTH` */
  readonly intervalQualifier: Rule = this.RULE('intervalQualifier', () => {
    this.CONSUME(T.TimeUnit, { LABEL: 'from' });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.CONSUME(T.Number, { LABEL: 'fromPrecision' });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => {
      this.CONSUME(K.TO);
      this.CONSUME2(T.TimeUnit, { LABEL: 'to' });
      this.OPTION3(() => {
        this.CONSUME2(T.LParen);
        this.CONSUME2(T.Number, { LABEL: 'toPrecision' });
        this.CONSUME2(T.RParen);
      });
    });
  });

  // ---- Types -------------------------------------------------------------------

  /**
   * `INT`, `VARCHAR(10)`, `DECIMAL(10, 2)`, `DOUBLE PRECISION`, `CHARACTER VARYING(n)`,
   * `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `INTERVAL DAY TO SECOND`, `ARRAY<INT>`,
   * `MAP<K, V>`, `ROW<a INT, b STRING>`, `INT ARRAY`.
   */
  readonly typeName: Rule = this.RULE('typeName', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.ARRAY);
          this.CONSUME(T.Lt);
          this.SUBRULE(this.nestedType);
          this.CONSUME(T.Gt);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.ROW);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME2(T.Lt);
                this.SUBRULE(this.rowField);
                this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.rowField); });
                this.CONSUME2(T.Gt);
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.LParen);
                this.SUBRULE3(this.rowField);
                this.MANY2(() => { this.CONSUME2(T.Comma); this.SUBRULE4(this.rowField); });
                this.CONSUME(T.RParen);
              },
            },
          ]);
        },
      },
      { ALT: () => { this.CONSUME(K.INTERVAL); this.OPTION(() => this.SUBRULE(this.intervalQualifier)); } },
      {
        ALT: () => {
          this.CONSUME(T.Ident, { LABEL: 'name' });
          this.OPTION2({
            // Only MAP and MULTISET take type arguments: `x::int < 3` is a comparison.
            GATE: () => /^(map|multiset)$/i.test(this.LA(0).image),
            DEF: () => {
              this.CONSUME3(T.Lt);
              this.SUBRULE2(this.nestedType);
              this.MANY3(() => { this.CONSUME3(T.Comma); this.SUBRULE3(this.nestedType); });
              this.CONSUME3(T.Gt);
            },
          });
          this.OPTION3(() => this.OR3([
            { ALT: () => this.CONSUME(K.PRECISION) },
            { ALT: () => this.CONSUME(K.VARYING) },
          ]));
          this.OPTION4(() => {
            this.CONSUME2(T.LParen);
            this.CONSUME(T.Number, { LABEL: 'arg' });
            this.MANY4(() => { this.CONSUME4(T.Comma); this.CONSUME2(T.Number, { LABEL: 'arg' }); });
            this.CONSUME2(T.RParen);
          });
          this.OPTION5({
            GATE: () => {
              const next = this.LA(2).tokenType;
              return next === K.TIME || next === K.LOCAL;
            },
            DEF: () => {
              this.OR4([
                { ALT: () => this.CONSUME(K.WITH) },
                { ALT: () => this.CONSUME(K.WITHOUT) },
              ]);
              this.OPTION6(() => this.CONSUME(K.LOCAL));
              this.CONSUME(K.TIME);
              this.CONSUME(K.ZONE);
            },
          });
        },
      },
    ]);
    // `INT ARRAY` (SQL standard) and `INT[]` / `INT[3]` (PostgreSQL) are array types.
    this.MANY5(() => this.OR5([
      { ALT: () => this.CONSUME2(K.ARRAY, { LABEL: 'arraySuffix' }) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket, { LABEL: 'arraySuffix' });
          this.OPTION7(() => this.CONSUME3(T.Number));
          this.CONSUME(T.RBracket);
        },
      },
    ]));
  });

  /** A type inside ARRAY<>, MAP<> or ROW<>, where `NOT NULL` may be written. */
  readonly nestedType: Rule = this.RULE('nestedType', () => {
    this.SUBRULE(this.typeName);
    this.OPTION(() => this.OR([
      { ALT: () => { this.CONSUME(K.NOT); this.CONSUME(K.NULL); } },
      { ALT: () => this.CONSUME2(K.NULL) },
    ]));
  });

  readonly rowField: Rule = this.RULE('rowField', () => {
    this.CONSUME(T.Ident);
    this.SUBRULE(this.nestedType);
  });

  // ---- ORDER BY and windows --------------------------------------------------------

  readonly orderByClause: Rule = this.RULE('orderByClause', () => {
    this.CONSUME(K.ORDER);
    this.CONSUME(K.BY);
    this.SUBRULE(this.orderItem);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.orderItem); });
  });

  readonly orderItem: Rule = this.RULE('orderItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(K.ASC) },
      { ALT: () => this.CONSUME(K.DESC) },
    ]));
    this.OPTION2(() => {
      this.CONSUME(K.NULLS);
      this.OR2([
        { ALT: () => this.CONSUME(K.FIRST) },
        { ALT: () => this.CONSUME(K.LAST) },
      ]);
    });
  });

  readonly partitionByClause: Rule = this.RULE('partitionByClause', () => {
    this.CONSUME(K.PARTITION);
    this.CONSUME(K.BY);
    this.SUBRULE(this.expression);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
  });

  /** `( [base] [PARTITION BY ...] [ORDER BY ...] [frame] )` */
  readonly windowSpec: Rule = this.RULE('windowSpec', () => {
    this.CONSUME(T.LParen);
    this.OPTION({
      GATE: () => AFTER_WINDOW_BASE.has(this.LA(2).tokenType) && !(this.LA(1).tokenType === K.PARTITION && this.LA(2).tokenType === K.BY),
      DEF: () => this.CONSUME(T.Ident, { LABEL: 'base' }),
    });
    this.OPTION2(() => this.SUBRULE(this.partitionByClause));
    this.OPTION3(() => this.SUBRULE(this.orderByClause));
    this.OPTION4(() => this.SUBRULE(this.frameClause));
    this.CONSUME(T.RParen);
  });

  readonly frameClause: Rule = this.RULE('frameClause', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.ROWS) },
      { ALT: () => this.CONSUME(K.RANGE) },
      { ALT: () => this.CONSUME(K.GROUPS) },
    ]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(K.BETWEEN);
          this.SUBRULE(this.frameBound, { LABEL: 'start' });
          this.CONSUME(K.AND);
          this.SUBRULE2(this.frameBound, { LABEL: 'end' });
        },
      },
      { ALT: () => this.SUBRULE3(this.frameBound, { LABEL: 'start' }) },
    ]);
    this.OPTION(() => {
      this.CONSUME(K.EXCLUDE);
      this.OR3([
        { ALT: () => { this.CONSUME(K.CURRENT); this.CONSUME(K.ROW); } },
        { ALT: () => this.CONSUME(K.GROUP) },
        { ALT: () => this.CONSUME(K.TIES) },
        { ALT: () => { this.CONSUME(K.NO); this.CONSUME(K.OTHERS); } },
      ]);
    });
  });

  /**
   * `UNBOUNDED PRECEDING|FOLLOWING`, `CURRENT ROW`, `expr PRECEDING|FOLLOWING`. UNBOUNDED and
   * CURRENT are parsed as the expression (they are not reserved) and recognized by the
   * visitor, which keeps the choice to one token of lookahead.
   */
  readonly frameBound: Rule = this.RULE('frameBound', () => {
    this.SUBRULE(this.expression);
    this.OR([
      { ALT: () => this.CONSUME(K.PRECEDING) },
      { ALT: () => this.CONSUME(K.FOLLOWING) },
      { ALT: () => this.CONSUME(K.ROW) },
    ]);
  });

  // ---- Names -----------------------------------------------------------------------

  /** `t`, `s.t`, `cat.s.t` */
  readonly qualifiedName: Rule = this.RULE('qualifiedName', () => {
    this.CONSUME(T.Ident);
    this.MANY(() => { this.CONSUME(T.Dot); this.CONSUME2(T.Ident); });
  });

  /** `(a, b, c)` */
  readonly identList: Rule = this.RULE('identList', () => {
    this.CONSUME(T.LParen);
    this.CONSUME(T.Ident);
    this.MANY(() => { this.CONSUME(T.Comma); this.CONSUME2(T.Ident); });
    this.CONSUME(T.RParen);
  });
}
