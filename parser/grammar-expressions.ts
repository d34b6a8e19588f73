// Grammar of scalar expressions, type names, ORDER BY items and window specifications.
//
// Binary operators are parsed flat (`operand (op operand | predicate)*`) and
// the visitor applies PostgreSQL's precedence table: one rule per expression
// instead of one per precedence level keeps the parser fast and shallow.

import {
  CstParser, EOF, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IToken, type OrMethodOpts,
  type ParserMethod, type TokenType,
} from 'chevrotain';
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

/** Encodes what an error expected into chevrotain's message string; see errors in parse.ts. */
export interface EncodedError {
  /** Offset and image of the token the error is at (lookahead may point past the first token). */
  readonly offset: number;
  readonly image: string;
  readonly expected: string[];
}

function tokenLabel(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** Categories listed by their members in errors: "'+', '-', NOT" says more than "operator". */
const SPELLED_OUT: ReadonlyMap<TokenType, readonly TokenType[]> = new Map(
  [T.PrefixOp, T.Niladic, T.KeywordFunction].map((category) => [
    category,
    ALL_TOKENS.filter((t) => t.CATEGORIES?.includes(category) === true),
  ]),
);

function encode(token: IToken | undefined, expected: Iterable<TokenType>): string {
  const names = new Set<string>();
  for (const type of expected) {
    for (const member of SPELLED_OUT.get(type) ?? [type]) names.add(tokenLabel(member));
  }
  const error: EncodedError = {
    offset: token === undefined || token.tokenType === EOF ? -1 : token.startOffset,
    image: token === undefined || token.tokenType === EOF ? '' : token.image,
    expected: [...names],
  };
  return JSON.stringify(error);
}

/**
 * With LL(k) lookahead the first token may match some alternatives: the
 * error is then at the first token where no path matches.
 */
function encodePaths(paths: TokenType[][], actual: IToken[]): string {
  let depth = 0;
  for (const path of paths) {
    let d = 0;
    while (d < path.length - 1 && actual[d] !== undefined && matches(actual[d] as IToken, path[d] as TokenType)) d++;
    depth = Math.max(depth, d);
  }
  const expected: TokenType[] = [];
  for (const path of paths) {
    let prefix = true;
    for (let d = 0; d < depth; d++) if (!matches(actual[d] as IToken, path[d] as TokenType)) prefix = false;
    if (prefix && path[depth] !== undefined) expected.push(path[depth] as TokenType);
  }
  return encode(actual[depth], expected);
}

function matches(token: IToken, type: TokenType): boolean {
  return token.tokenType === type || type.categoryMatchesMap?.[token.tokenTypeIdx] === true;
}

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => encode(actual, [expected]),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => encode(firstRedundant, []),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) => encodePaths(expectedPathsPerAlt.flat(), actual),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => encodePaths(expectedIterationPaths, actual),
};

/** Expressions and the pieces they are built from; the query rules come from a subclass. */
export class ExpressionGrammar extends CstParser {
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
  private readonly prefixLoops: (() => void)[] = [];
  private readonly postfixLoops: (() => void)[] = [];

  /** An operand written inline: prefix operators, a primary, postfix operators. */
  private operand(idx: number): void {
    this.many(idx, this.prefixLoops[idx] ??= () => this.consume(idx, T.PrefixOp));
    this.subrule(idx, this.primary);
    this.many(idx + 1, this.postfixLoops[idx] ??= () => this.subrule(idx, this.postfix));
  }

  readonly expression: Rule = this.RULE('expression', () => {
    this.operand(1);
    this.MANY3(this.loops['exprTails'] ??= () => this.SUBRULE(this.exprTail));
  });

  /** What may follow an operand: a binary operator and the next operand, or a predicate. */
  readonly exprTail: Rule = this.RULE('exprTail', () => {
    this.OR(this.alts['exprTail'] ??= [
      { ALT: () => { this.CONSUME(T.BinOp); this.operand(1); } },
      {
        ALT: () => {
          this.CONSUME(K.IS);
          this.OPTION(() => this.CONSUME(K.NOT));
          this.OR2(this.alts['exprTailIs'] ??= [
            { ALT: () => this.CONSUME(K.NULL) },
            { ALT: () => this.CONSUME(K.TRUE) },
            { ALT: () => this.CONSUME(K.FALSE) },
            { ALT: () => this.CONSUME(K.UNKNOWN) },
            { ALT: () => { this.CONSUME(K.DISTINCT); this.CONSUME(K.FROM); this.operand(3); } },
          ]);
        },
      },
      { ALT: () => this.CONSUME(K.ISNULL) },
      { ALT: () => this.CONSUME(K.NOTNULL) },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(K.NOT));
          this.OR3(this.alts['exprTailPredicate'] ??= [
            {
              ALT: () => {
                this.CONSUME(K.BETWEEN);
                this.OPTION3(() => this.OR4([
                  { ALT: () => this.CONSUME(K.SYMMETRIC) },
                  { ALT: () => this.CONSUME(K.ASYMMETRIC) },
                ]));
                this.SUBRULE(this.boundExpr, { LABEL: 'low' });
                this.CONSUME(K.AND);
                this.SUBRULE2(this.boundExpr, { LABEL: 'high' });
              },
            },
            {
              ALT: () => {
                this.CONSUME(K.IN);
                // `(SELECT ...)` or `(a, b, ...)`: parenExpr tells which.
                this.SUBRULE(this.parenExpr);
              },
            },
            {
              ALT: () => {
                this.OR5([
                  { ALT: () => this.CONSUME(K.LIKE) },
                  { ALT: () => this.CONSUME(K.ILIKE) },
                  { ALT: () => { this.CONSUME(K.SIMILAR); this.CONSUME(K.TO); } },
                ]);
                this.SUBRULE3(this.boundExpr, { LABEL: 'pattern' });
                this.OPTION4(() => { this.CONSUME(K.ESCAPE); this.SUBRULE4(this.boundExpr, { LABEL: 'escape' }); });
              },
            },
          ]);
        },
      },
    ]);
  });

  /**
   * An operand of BETWEEN, LIKE or POSITION: arithmetic and `||` only, so the
   * AND of BETWEEN and the keywords after it end it (PostgreSQL's b_expr).
   */
  readonly boundExpr: Rule = this.RULE('boundExpr', () => {
    this.operand(1);
    this.MANY3(this.loops['boundTails'] ??= () => this.SUBRULE(this.boundTail));
  });

  readonly boundTail: Rule = this.RULE('boundTail', () => {
    this.CONSUME(T.ArithOp);
    this.operand(1);
  });

  /** `::type`, `[index]`, `.field` */
  readonly postfix: Rule = this.RULE('postfix', () => {
    this.OR(this.alts['postfix'] ??= [
      { ALT: () => { this.CONSUME(T.DoubleColon); this.SUBRULE(this.typeName); } },
      { ALT: () => { this.CONSUME(T.LBracket); this.SUBRULE(this.expression); this.CONSUME(T.RBracket); } },
      { ALT: () => { this.CONSUME(T.Dot); this.CONSUME(T.Ident); } },
    ]);
  });

  /** RUNNING / FINAL only qualify a function call: `FINAL LAST(A.price)`. */
  private readonly navigation = {
    GATE: (): boolean => {
      const type = this.LA(0).tokenType;
      return (type === K.RUNNING || type === K.FINAL) && this.LA(2).tokenType === T.LParen;
    },
    DEF: (): void => { this.SUBRULE(this.primary, { LABEL: 'navigated' }); },
  };

  /**
   * Every alternative starts with a different token, so the choice is one table lookup.
   * The first alternative, the most common one, is a name: `col`, `t.col`, `t.*` (select
   * lists only), `f(...)`, a typed literal `DATE '2026-01-01'`, or `RUNNING LAST(...)` /
   * `FINAL ...` (written here rather than in a rule of its own, which saves a rule call per name).
   */
  readonly primary: Rule = this.RULE('primary', () => {
    this.OR(this.alts['primary'] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Ident);
          this.OPTION(this.navigation);
          this.MANY(this.loops['qualifiedParts'] ??= () => {
            this.CONSUME(T.Dot);
            this.OR2(this.alts['qualifiedPart'] ??= [
              { ALT: () => this.CONSUME2(T.Ident) },
              { ALT: () => this.CONSUME(T.Star) },
            ]);
          });
          this.OPTION2(this.loops['nameSuffix'] ??= () => this.OR3(this.alts['nameSuffix'] ??= [
            { ALT: () => this.SUBRULE(this.functionCallTail) },
            { ALT: () => this.CONSUME(T.StringLit, { LABEL: 'typedValue' }) },
          ]));
        },
      },
      { ALT: () => this.CONSUME(T.Number) },
      {
        ALT: () => {
          this.CONSUME2(T.StringLit);
          this.OPTION3(() => { this.CONSUME(K.UESCAPE); this.CONSUME3(T.StringLit, { LABEL: 'uescape' }); });
        },
      },
      { ALT: () => this.CONSUME(T.XString) },
      { ALT: () => this.CONSUME(K.TRUE) },
      { ALT: () => this.CONSUME(K.FALSE) },
      { ALT: () => this.CONSUME(K.NULL) },
      { ALT: () => this.CONSUME(T.Parameter) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.castExpr) },
      { ALT: () => this.SUBRULE(this.extractExpr) },
      { ALT: () => this.SUBRULE(this.trimExpr) },
      { ALT: () => this.SUBRULE(this.substringExpr) },
      { ALT: () => this.SUBRULE(this.positionExpr) },
      { ALT: () => this.SUBRULE(this.overlayExpr) },
      { ALT: () => this.SUBRULE(this.existsExpr) },
      { ALT: () => this.SUBRULE(this.intervalExpr) },
      { ALT: () => this.SUBRULE(this.rowExpr) },
      { ALT: () => this.SUBRULE(this.arrayExpr) },
      { ALT: () => { this.CONSUME(T.Niladic); this.OPTION4(() => this.SUBRULE2(this.functionCallTail)); } },
      { ALT: () => { this.CONSUME(T.KeywordFunction); this.SUBRULE3(this.functionCallTail); } },
    ]);
  });

  /** `(args) [WITHIN GROUP (...)] [FILTER (WHERE ...)] [IGNORE|RESPECT NULLS] [OVER ...]` */
  readonly functionCallTail: Rule = this.RULE('functionCallTail', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => this.OR(this.alts['callArgs'] ??= [
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.OPTION2(() => this.OR2(this.alts['callQuantifier'] ??= [
            { ALT: () => this.CONSUME(K.DISTINCT) },
            { ALT: () => this.CONSUME(K.ALL) },
          ]));
          this.SUBRULE(this.expression);
          this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
          this.OPTION3(() => this.SUBRULE(this.orderByClause));
          this.OPTION4(() => this.SUBRULE(this.nullTreatment));
        },
      },
    ]));
    this.CONSUME(T.RParen);
    this.OPTION5({
      GATE: () => this.LA(2).tokenType === K.GROUP,
      DEF: () => {
        this.CONSUME(K.WITHIN);
        this.CONSUME(K.GROUP);
        this.CONSUME2(T.LParen);
        this.SUBRULE2(this.orderByClause, { LABEL: 'withinGroup' });
        this.CONSUME2(T.RParen);
      },
    });
    this.OPTION6(() => {
      this.CONSUME(K.FILTER);
      this.CONSUME3(T.LParen);
      this.CONSUME(K.WHERE);
      this.SUBRULE3(this.expression, { LABEL: 'filter' });
      this.CONSUME3(T.RParen);
    });
    this.OPTION7({
      GATE: () => this.LA(2).tokenType === K.NULLS,
      DEF: () => this.SUBRULE2(this.nullTreatment),
    });
    this.OPTION8(() => {
      this.CONSUME(K.OVER);
      this.OR3([
        { ALT: () => this.CONSUME(T.Ident, { LABEL: 'windowName' }) },
        { ALT: () => this.SUBRULE(this.windowSpec) },
      ]);
    });
  });

  /** `IGNORE NULLS` / `RESPECT NULLS` */
  readonly nullTreatment: Rule = this.RULE('nullTreatment', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.IGNORE) },
      { ALT: () => this.CONSUME(K.RESPECT) },
    ]);
    this.CONSUME(K.NULLS);
  });

  /** `(expr)`, a row `(a, b)`, or a scalar subquery `(SELECT ...)`. */
  readonly parenExpr: Rule = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.OR(this.alts['parenExpr'] ??= [
      { GATE: () => this.queryAhead(1), ALT: () => this.SUBRULE(this.query) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
        },
      },
    ]);
    this.CONSUME(T.RParen);
  });

  readonly caseExpr: Rule = this.RULE('caseExpr', () => {
    this.CONSUME(K.CASE);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION2(() => { this.CONSUME(K.ELSE); this.SUBRULE2(this.expression, { LABEL: 'else' }); });
    this.CONSUME(K.END);
  });

  readonly whenClause: Rule = this.RULE('whenClause', () => {
    this.CONSUME(K.WHEN);
    this.SUBRULE(this.expression, { LABEL: 'when' });
    this.CONSUME(K.THEN);
    this.SUBRULE2(this.expression, { LABEL: 'then' });
  });

  readonly castExpr: Rule = this.RULE('castExpr', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.CAST) },
      { ALT: () => this.CONSUME(K.TRY_CAST) },
    ]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(K.AS);
    this.SUBRULE(this.typeName);
    this.CONSUME(T.RParen);
  });

  /** `EXTRACT(HOUR FROM ts)`, also `EXTRACT('hour' FROM ts)`. */
  readonly extractExpr: Rule = this.RULE('extractExpr', () => {
    this.CONSUME(K.EXTRACT);
    this.CONSUME(T.LParen);
    this.OR([
      { ALT: () => this.CONSUME(T.TimeUnit) },
      { ALT: () => this.CONSUME(T.StringLit) },
    ]);
    this.CONSUME(K.FROM);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)`, `TRIM([...] [FROM] s [, chars])` */
  readonly trimExpr: Rule = this.RULE('trimExpr', () => {
    this.CONSUME(K.TRIM);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(K.BOTH) },
      { ALT: () => this.CONSUME(K.LEADING) },
      { ALT: () => this.CONSUME(K.TRAILING) },
    ]));
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(K.FROM);
          this.SUBRULE(this.expression, { LABEL: 'source' });
          this.OPTION2(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression, { LABEL: 'chars' }); });
        },
      },
      {
        ALT: () => {
          this.SUBRULE3(this.expression, { LABEL: 'first' });
          this.OPTION3(() => this.OR3([
            { ALT: () => { this.CONSUME2(K.FROM); this.SUBRULE4(this.expression, { LABEL: 'source' }); } },
            { ALT: () => { this.CONSUME2(T.Comma); this.SUBRULE5(this.expression, { LABEL: 'chars' }); } },
          ]));
        },
      },
    ]);
    this.CONSUME(T.RParen);
  });

  /** `SUBSTRING(s FROM a [FOR b])`, `SUBSTRING(s FOR b [FROM a])`, or the plain call `SUBSTRING(s, a, b)`. */
  readonly substringExpr: Rule = this.RULE('substringExpr', () => {
    this.CONSUME(K.SUBSTRING);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'source' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.FROM);
          this.SUBRULE2(this.expression, { LABEL: 'from' });
          this.OPTION(() => { this.CONSUME(K.FOR); this.SUBRULE3(this.expression, { LABEL: 'for' }); });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(K.FOR);
          this.SUBRULE4(this.expression, { LABEL: 'for' });
          this.OPTION2(() => { this.CONSUME2(K.FROM); this.SUBRULE5(this.expression, { LABEL: 'from' }); });
        },
      },
      { ALT: () => this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE6(this.expression, { LABEL: 'args' }); }) },
    ]);
    this.CONSUME(T.RParen);
  });

  readonly positionExpr: Rule = this.RULE('positionExpr', () => {
    this.CONSUME(K.POSITION);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.boundExpr, { LABEL: 'needle' });
    this.CONSUME(K.IN);
    this.SUBRULE(this.expression, { LABEL: 'haystack' });
    this.CONSUME(T.RParen);
  });

  readonly overlayExpr: Rule = this.RULE('overlayExpr', () => {
    this.CONSUME(K.OVERLAY);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'source' });
    this.CONSUME(K.PLACING);
    this.SUBRULE2(this.expression, { LABEL: 'placing' });
    this.CONSUME(K.FROM);
    this.SUBRULE3(this.expression, { LABEL: 'from' });
    this.OPTION(() => { this.CONSUME(K.FOR); this.SUBRULE4(this.expression, { LABEL: 'for' }); });
    this.CONSUME(T.RParen);
  });

  readonly existsExpr: Rule = this.RULE('existsExpr', () => {
    this.CONSUME(K.EXISTS);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  /** `INTERVAL '1' HOUR`, `INTERVAL -'1' DAY`, `INTERVAL '1 hour'`, `INTERVAL 10 MINUTES` */
  readonly intervalExpr: Rule = this.RULE('intervalExpr', () => {
    this.CONSUME(K.INTERVAL);
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(T.Minus) },
      { ALT: () => this.CONSUME(T.Plus) },
    ]));
    this.OR2([
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.Number) },
    ]);
    this.OPTION2(() => this.SUBRULE(this.intervalQualifier));
  });

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

  readonly rowExpr: Rule = this.RULE('rowExpr', () => {
    this.CONSUME(K.ROW);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
    });
    this.CONSUME(T.RParen);
  });

  readonly arrayExpr: Rule = this.RULE('arrayExpr', () => {
    this.CONSUME(K.ARRAY);
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
    });
    this.CONSUME(T.RBracket);
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
    this.MANY5(() => this.CONSUME2(K.ARRAY, { LABEL: 'arraySuffix' }));
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

  /** Entry point of parseExpression. */
  readonly expressionEntry: Rule = this.RULE('expressionEntry', () => {
    this.SUBRULE(this.expression);
  });
}
