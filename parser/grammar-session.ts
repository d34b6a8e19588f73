// Grammar of session statements: SET, RESET, SHOW, DESCRIBE, EXPLAIN, SUBSCRIBE, cursors, transactions.

import type { Rule } from './grammar-expressions.js';
import { StatementGrammar } from './grammar-statements.js';
import { K, T } from './lexer/tokens.js';

export class SessionGrammar extends StatementGrammar {
  /** Defined by SqlGrammar: EXPLAIN wraps any statement. */
  declare readonly statement: Rule;

  /** `a.b.c` as a setting name. */
  readonly settingName: Rule = this.RULE('settingName', () => {
    this.CONSUME(T.Ident);
    this.MANY(() => { this.CONSUME(T.Dot); this.CONSUME2(T.Ident); });
  });

  /**
   * Flink's `SET 'key' = 'value'`, PostgreSQL's `SET [SESSION|LOCAL] name {=|TO} value[, ...]`
   * and `SET TIME ZONE value`, and a bare `SET`.
   */
  readonly setStatement: Rule = this.RULE('setStatement', () => {
    this.CONSUME(K.SET);
    this.OPTION(() => this.OR([
      {
        ALT: () => {
          this.CONSUME(T.StringLit, { LABEL: 'key' });
          this.CONSUME(T.Eq);
          this.SUBRULE(this.setValue);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.OR2([
            { ALT: () => this.CONSUME(K.SESSION) },
            { ALT: () => this.CONSUME(K.LOCAL) },
          ]));
          this.OR3({
            IGNORE_AMBIGUITIES: true,
            DEF: [
              { ALT: () => { this.CONSUME(K.TIME); this.CONSUME(K.ZONE); this.SUBRULE2(this.setValue); } },
              {
                ALT: () => {
                  this.SUBRULE(this.settingName);
                  this.OR4([
                    { ALT: () => this.CONSUME2(T.Eq) },
                    { ALT: () => this.CONSUME(K.TO) },
                  ]);
                  this.SUBRULE3(this.setValue);
                  this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE4(this.setValue); });
                },
              },
            ],
          });
        },
      },
    ]));
  });

  readonly setValue: Rule = this.RULE('setValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.DEFAULT) },
      { ALT: () => this.SUBRULE(this.optionValue) },
    ]);
  });

  /** `RESET`, `RESET ALL`, `RESET 'key'`, `RESET name`, `RESET TIME ZONE` */
  readonly resetStatement: Rule = this.RULE('resetStatement', () => {
    this.CONSUME(K.RESET);
    this.OPTION(() => this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(K.ALL) },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => { this.CONSUME(K.TIME); this.CONSUME(K.ZONE); } },
        { ALT: () => this.SUBRULE(this.settingName) },
      ],
    }));
  });

  readonly showStatement: Rule = this.RULE('showStatement', () => {
    this.CONSUME(K.SHOW);
    // TABLES, JOBS, ... are also valid setting names: the object forms come first.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(K.TABLES) },
        { ALT: () => this.CONSUME(K.VIEWS) },
        { ALT: () => { this.CONSUME(K.MATERIALIZED); this.CONSUME2(K.VIEWS); } },
        { ALT: () => this.CONSUME(K.JOBS) },
        { ALT: () => this.CONSUME(K.FUNCTIONS) },
        { ALT: () => this.CONSUME(K.CURSORS) },
        {
          ALT: () => {
            this.CONSUME(K.CREATE);
            this.OR2([
              { ALT: () => this.CONSUME(K.TABLE) },
              { ALT: () => this.CONSUME(K.VIEW) },
              { ALT: () => { this.CONSUME2(K.MATERIALIZED); this.CONSUME2(K.VIEW); } },
            ]);
            this.SUBRULE(this.qualifiedName);
          },
        },
        { ALT: () => this.CONSUME(K.ALL) },
        { ALT: () => { this.CONSUME(K.TIME); this.CONSUME(K.ZONE); } },
        {
          // `SHOW TRANSACTION ISOLATION LEVEL`, sent by some drivers.
          GATE: () => this.LA(2).image.toLowerCase() === 'isolation',
          ALT: () => { this.CONSUME(K.TRANSACTION); this.CONSUME(T.Ident); this.CONSUME2(T.Ident); },
        },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.SUBRULE(this.settingName) },
      ],
    });
  });

  readonly describeStatement: Rule = this.RULE('describeStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.DESCRIBE) },
      { ALT: () => this.CONSUME(K.DESC) },
    ]);
    this.SUBRULE(this.qualifiedName);
  });

  readonly explainStatement: Rule = this.RULE('explainStatement', () => {
    this.CONSUME(K.EXPLAIN);
    this.OPTION(() => this.OR([
      { ALT: () => { this.CONSUME(K.PLAN); this.CONSUME(K.FOR); } },
      { ALT: () => this.CONSUME(K.CHANGELOG_MODE) },
      { ALT: () => this.CONSUME(K.ESTIMATED_COST) },
      { ALT: () => this.CONSUME(K.ANALYZE) },
    ]));
    this.SUBRULE(this.statement);
  });

  /** `SUBSCRIBE [TO] name | (query) [WITH (...)]` */
  override readonly subscribeStatement: Rule = this.RULE('subscribeStatement', () => {
    this.CONSUME(K.SUBSCRIBE);
    this.OPTION(() => this.CONSUME(K.TO));
    this.OR([
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.query); this.CONSUME(T.RParen); } },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
    ]);
    this.OPTION2(() => { this.CONSUME(K.WITH); this.SUBRULE(this.optionList); });
  });

  /** `DECLARE c [BINARY] [NO SCROLL | SCROLL] CURSOR [WITH HOLD | WITHOUT HOLD] FOR ...` */
  readonly declareStatement: Rule = this.RULE('declareStatement', () => {
    this.CONSUME(K.DECLARE);
    this.CONSUME(T.Ident, { LABEL: 'name' });
    this.OPTION(() => this.CONSUME(K.BINARY));
    this.OPTION2(() => { this.OPTION3(() => this.CONSUME(K.NO)); this.CONSUME(K.SCROLL); });
    this.CONSUME(K.CURSOR);
    this.OPTION4(() => this.OR([
      { ALT: () => { this.CONSUME(K.WITH); this.CONSUME(K.HOLD); } },
      { ALT: () => { this.CONSUME(K.WITHOUT); this.CONSUME2(K.HOLD); } },
    ]));
    this.CONSUME(K.FOR);
    this.OR2([
      { ALT: () => this.SUBRULE(this.subscribeStatement) },
      { ALT: () => this.SUBRULE(this.query) },
    ]);
  });

  /** `FETCH [NEXT | FORWARD] [n | ALL] [FROM | IN] c [WITH (...)]` */
  readonly fetchStatement: Rule = this.RULE('fetchStatement', () => {
    this.CONSUME(K.FETCH);
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(K.NEXT) },
      { ALT: () => this.CONSUME(K.FORWARD) },
    ]));
    this.OPTION2(() => this.OR2([
      { ALT: () => this.CONSUME(T.Number, { LABEL: 'count' }) },
      { ALT: () => this.CONSUME(K.ALL) },
    ]));
    this.OPTION3(() => this.OR3([
      { ALT: () => this.CONSUME(K.FROM) },
      { ALT: () => this.CONSUME(K.IN) },
    ]));
    this.CONSUME(T.Ident, { LABEL: 'cursor' });
    this.OPTION4(() => { this.CONSUME(K.WITH); this.SUBRULE(this.optionList); });
  });

  readonly closeStatement: Rule = this.RULE('closeStatement', () => {
    this.CONSUME(K.CLOSE);
    this.OR([
      { ALT: () => this.CONSUME(K.ALL) },
      { ALT: () => this.CONSUME(T.Ident) },
    ]);
  });

  readonly checkpointStatement: Rule = this.RULE('checkpointStatement', () => {
    this.CONSUME(K.CHECKPOINT);
  });

  /** Transaction control, accepted for drivers; modes (`ISOLATION LEVEL ...`, `READ ONLY`) are ignored. */
  readonly transactionStatement: Rule = this.RULE('transactionStatement', () => {
    this.OR([
      { ALT: () => { this.CONSUME(K.BEGIN); this.SUBRULE(this.transactionModes); } },
      { ALT: () => { this.CONSUME(K.START); this.CONSUME(K.TRANSACTION); this.SUBRULE2(this.transactionModes); } },
      { ALT: () => { this.CONSUME(K.COMMIT); this.OPTION2(() => this.SUBRULE2(this.transactionNoise)); } },
      { ALT: () => { this.CONSUME(K.END); this.OPTION3(() => this.SUBRULE3(this.transactionNoise)); } },
      { ALT: () => { this.CONSUME(K.ROLLBACK); this.OPTION4(() => this.SUBRULE4(this.transactionNoise)); } },
      { ALT: () => { this.CONSUME(K.ABORT); this.OPTION5(() => this.SUBRULE5(this.transactionNoise)); } },
    ]);
  });

  readonly transactionNoise: Rule = this.RULE('transactionNoise', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.WORK) },
      { ALT: () => this.CONSUME2(K.TRANSACTION) },
    ]);
  });

  /** Words after BEGIN / START TRANSACTION (`WORK`, `ISOLATION LEVEL ...`, `READ ONLY`), not interpreted. */
  readonly transactionModes: Rule = this.RULE('transactionModes', () => {
    this.MANY(() => this.OR([
      { ALT: () => this.CONSUME(T.Ident) },
      { ALT: () => this.CONSUME(T.Comma) },
      { ALT: () => this.CONSUME(K.NOT) },
    ]));
  });
}
