// Grammar of scalar expressions.
//
// Binary operators are parsed flat (`operand (op operand | predicate)*`) and
// the visitor applies PostgreSQL's precedence table: one rule per expression
// instead of one per precedence level keeps the parser fast and shallow.

import { GrammarBase, type Rule } from './grammar-base.js';
import { K, T } from './lexer/tokens.js';

export type { AltCache, Rule } from './grammar-base.js';

/** Expressions and the pieces they are built from; the query rules come from a subclass. */
export class ExpressionGrammar extends GrammarBase {
  /** The loops of the inline operand, one per occurrence index (see `loops`). */
  private readonly prefixLoops: (() => void)[] = [];
  private readonly postfixLoops: (() => void)[] = [];

  /** An operand written inline: prefix operators, a primary, postfix operators. */
  private operand(idx: number): void {
    this.many(idx, this.prefixLoops[idx] ??= () => this.consume(idx, T.PrefixOp));
    this.subrule(idx, this.primary);
    this.many(idx + 1, this.postfixLoops[idx] ??= () => this.subrule(idx, this.postfix));
  }

  override readonly expression: Rule = this.RULE('expression', () => {
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

  /** Entry point of parseExpression. */
  readonly expressionEntry: Rule = this.RULE('expressionEntry', () => {
    this.SUBRULE(this.expression);
  });
}
