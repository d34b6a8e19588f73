// Grammar of MATCH_RECOGNIZE (SQL:2016 row pattern recognition) and of FROM-item aliases.

import { ExpressionGrammar, type Rule } from './grammar-expressions.js';
import { K, T } from './lexer/tokens.js';

export class MatchRecognizeGrammar extends ExpressionGrammar {
  /** `[AS] alias [(col, ...)]` after a FROM item. */
  readonly tableAlias: Rule = this.RULE('tableAlias', () => {
    this.OPTION(() => this.CONSUME(K.AS));
    this.CONSUME(T.Ident);
    this.OPTION2(() => this.SUBRULE(this.identList));
  });

  readonly matchRecognize: Rule = this.RULE('matchRecognize', () => {
    this.CONSUME(K.MATCH_RECOGNIZE);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.partitionByClause));
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.OPTION3(() => {
      this.CONSUME(K.MEASURES);
      this.SUBRULE(this.measureItem);
      this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.measureItem); });
    });
    this.OPTION4(() => this.SUBRULE(this.rowsPerMatch));
    this.OPTION5(() => this.SUBRULE(this.afterMatchSkip));
    this.CONSUME(K.PATTERN);
    this.CONSUME2(T.LParen);
    this.SUBRULE(this.patternAlternation);
    this.CONSUME2(T.RParen);
    // WITHIN follows PATTERN, as Flink writes it.
    this.OPTION6(() => { this.CONSUME(K.WITHIN); this.SUBRULE(this.expression, { LABEL: 'within' }); });
    this.OPTION7(() => {
      this.CONSUME(K.SUBSET);
      this.SUBRULE(this.subsetItem);
      this.MANY2(() => { this.CONSUME2(T.Comma); this.SUBRULE2(this.subsetItem); });
    });
    this.OPTION9(() => {
      this.CONSUME(K.DEFINE);
      this.SUBRULE(this.defineItem);
      this.MANY3(() => { this.CONSUME3(T.Comma); this.SUBRULE2(this.defineItem); });
    });
    this.CONSUME3(T.RParen);
    this.option(10, () => this.SUBRULE(this.tableAlias));
  });

  readonly measureItem: Rule = this.RULE('measureItem', () => {
    this.SUBRULE(this.expression);
    this.CONSUME(K.AS);
    this.CONSUME(T.Ident);
  });

  /** `ONE ROW PER MATCH` / `ALL ROWS PER MATCH [SHOW EMPTY MATCHES | OMIT EMPTY MATCHES | WITH UNMATCHED ROWS]` */
  readonly rowsPerMatch: Rule = this.RULE('rowsPerMatch', () => {
    this.OR([
      { ALT: () => { this.CONSUME(K.ONE); this.CONSUME(K.ROW); this.CONSUME(K.PER); this.CONSUME(K.MATCH); } },
      {
        ALT: () => {
          this.CONSUME(K.ALL);
          this.CONSUME(K.ROWS);
          this.CONSUME2(K.PER);
          this.CONSUME2(K.MATCH);
          this.OPTION(() => this.OR2([
            { ALT: () => { this.CONSUME(K.SHOW); this.CONSUME(K.EMPTY); this.CONSUME(K.MATCHES); } },
            { ALT: () => { this.CONSUME(K.OMIT); this.CONSUME2(K.EMPTY); this.CONSUME2(K.MATCHES); } },
            { ALT: () => { this.CONSUME(K.WITH); this.CONSUME(K.UNMATCHED); this.CONSUME2(K.ROWS); } },
          ]));
        },
      },
    ]);
  });

  readonly afterMatchSkip: Rule = this.RULE('afterMatchSkip', () => {
    this.CONSUME(K.AFTER);
    this.CONSUME(K.MATCH);
    this.CONSUME(K.SKIP);
    this.OR([
      { ALT: () => { this.CONSUME(K.PAST); this.CONSUME(K.LAST); this.CONSUME(K.ROW); } },
      {
        ALT: () => {
          this.CONSUME(K.TO);
          // NEXT, FIRST and LAST may also name a pattern variable: the keyword forms come first.
          this.OR2([
            { ALT: () => { this.CONSUME(K.NEXT); this.CONSUME2(K.ROW); } },
            { ALT: () => { this.CONSUME(K.FIRST); this.CONSUME(T.Ident, { LABEL: 'variable' }); } },
            { ALT: () => { this.CONSUME2(K.LAST); this.CONSUME2(T.Ident, { LABEL: 'variable' }); } },
            { ALT: () => this.CONSUME3(T.Ident, { LABEL: 'variable' }) },
          ]);
        },
      },
    ]);
  });

  /** `a | b | ...` */
  readonly patternAlternation: Rule = this.RULE('patternAlternation', () => {
    this.SUBRULE(this.patternConcat);
    this.MANY(() => { this.CONSUME(T.Pipe); this.SUBRULE2(this.patternConcat); });
  });

  /** `a b c`; empty for `()` and for an empty alternative. */
  readonly patternConcat: Rule = this.RULE('patternConcat', () => {
    this.MANY(() => this.SUBRULE(this.patternQuantified));
  });

  readonly patternQuantified: Rule = this.RULE('patternQuantified', () => {
    this.SUBRULE(this.patternPrimary);
    this.OPTION(() => this.SUBRULE(this.patternQuantifier));
  });

  readonly patternPrimary: Rule = this.RULE('patternPrimary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.PERMUTE);
          this.CONSUME(T.LParen);
          this.SUBRULE(this.patternAlternation);
          this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.patternAlternation); });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.CONSUME(T.Ident) },
      { ALT: () => { this.CONSUME2(T.LParen); this.SUBRULE3(this.patternAlternation); this.CONSUME2(T.RParen); } },
      {
        ALT: () => {
          this.CONSUME(T.LExclusion);
          this.SUBRULE4(this.patternAlternation);
          this.CONSUME(T.RExclusion);
        },
      },
      { ALT: () => this.CONSUME(T.Caret) },
      { ALT: () => this.CONSUME(T.Dollar) },
    ]);
  });

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{,m}`, `{n,m}`, each optionally followed by `?` (reluctant). */
  readonly patternQuantifier: Rule = this.RULE('patternQuantifier', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.Plus) },
      { ALT: () => this.CONSUME(T.Question) },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.OPTION(() => this.CONSUME(T.Number, { LABEL: 'min' }));
          this.OPTION2(() => {
            this.CONSUME(T.Comma);
            this.OPTION3(() => this.CONSUME2(T.Number, { LABEL: 'max' }));
          });
          this.CONSUME(T.RBrace);
        },
      },
    ]);
    this.OPTION4(() => this.CONSUME2(T.Question, { LABEL: 'reluctant' }));
  });

  /** `U = (A, B)` */
  readonly subsetItem: Rule = this.RULE('subsetItem', () => {
    this.CONSUME(T.Ident, { LABEL: 'name' });
    this.CONSUME(T.Eq);
    this.SUBRULE(this.identList);
  });

  readonly defineItem: Rule = this.RULE('defineItem', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(K.AS);
    this.SUBRULE(this.expression);
  });
}
