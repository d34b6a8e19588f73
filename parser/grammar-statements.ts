// Grammar of DDL and DML statements: CREATE, DROP, ANALYZE, INSERT, UPDATE, DELETE, COPY.

import type { Rule } from './grammar-expressions.js';
import { QueryGrammar } from './grammar-queries.js';
import { K, T } from './lexer/tokens.js';

export class StatementGrammar extends QueryGrammar {
  /** Defined by SessionGrammar; `COPY (SUBSCRIBE ...) TO STDOUT` embeds it. */
  declare readonly subscribeStatement: Rule;

  // ---- CREATE ----------------------------------------------------------------------

  readonly createStatement: Rule = this.RULE('createStatement', () => {
    this.CONSUME(K.CREATE);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.OR);
          this.CONSUME(K.REPLACE);
          this.OPTION(() => this.SUBRULE(this.temporary));
          this.OPTION2(() => this.CONSUME(K.MATERIALIZED));
          this.CONSUME(K.VIEW);
          this.SUBRULE(this.createViewBody);
        },
      },
      {
        ALT: () => {
          this.OPTION3(() => this.SUBRULE2(this.temporary));
          this.OR2([
            { ALT: () => { this.CONSUME(K.TABLE); this.SUBRULE(this.createTableBody); } },
            {
              ALT: () => {
                this.OPTION4(() => this.CONSUME2(K.MATERIALIZED));
                this.CONSUME2(K.VIEW);
                this.SUBRULE2(this.createViewBody);
              },
            },
          ]);
        },
      },
    ]);
  });

  readonly temporary: Rule = this.RULE('temporary', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.TEMPORARY) },
      { ALT: () => this.CONSUME(K.TEMP) },
    ]);
  });

  readonly ifNotExists: Rule = this.RULE('ifNotExists', () => {
    this.CONSUME(K.IF);
    this.CONSUME(K.NOT);
    this.CONSUME(K.EXISTS);
  });

  readonly ifExists: Rule = this.RULE('ifExists', () => {
    this.CONSUME(K.IF);
    this.CONSUME(K.EXISTS);
  });

  readonly createTableBody: Rule = this.RULE('createTableBody', () => {
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.qualifiedName);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.tableElement);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.tableElement); });
    this.CONSUME(T.RParen);
    this.OPTION2(() => { this.CONSUME(K.COMMENT); this.CONSUME(T.StringLit, { LABEL: 'comment' }); });
    this.OPTION3(() => { this.CONSUME(K.PARTITIONED); this.CONSUME(K.BY); this.SUBRULE(this.identList); });
    this.OPTION4(() => { this.CONSUME(K.WITH); this.SUBRULE(this.optionList); });
  });

  /**
   * A column, `WATERMARK FOR c AS expr` or `PRIMARY KEY (...)`. WATERMARK is not reserved,
   * so the watermark is parsed as a column-like element whose name is WATERMARK followed by
   * FOR (the visitor checks the name): one token of lookahead decides.
   */
  readonly tableElement: Rule = this.RULE('tableElement', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => { this.CONSUME(K.CONSTRAINT); this.CONSUME2(T.Ident, { LABEL: 'constraint' }); });
          this.CONSUME(K.PRIMARY);
          this.CONSUME(K.KEY);
          this.SUBRULE(this.identList);
          this.OPTION2(() => { this.CONSUME(K.NOT); this.CONSUME(K.ENFORCED); });
        },
      },
      { ALT: () => this.SUBRULE(this.columnDef) },
    ]);
  });

  /**
   * Physical `c TYPE [constraints]`, computed `c AS expr`, metadata `c TYPE METADATA [FROM 'k'] [VIRTUAL]`,
   * and `WATERMARK FOR c AS expr`.
   */
  readonly columnDef: Rule = this.RULE('columnDef', () => {
    this.CONSUME(T.Ident);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.FOR);
          this.CONSUME2(T.Ident, { LABEL: 'watermarkColumn' });
          this.CONSUME2(K.AS);
          this.SUBRULE2(this.expression, { LABEL: 'watermark' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.AS);
          this.SUBRULE(this.expression);
          this.OPTION(() => { this.CONSUME(K.COMMENT); this.CONSUME(T.StringLit, { LABEL: 'comment' }); });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.typeName);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(K.METADATA);
                this.OPTION2(() => { this.CONSUME(K.FROM); this.CONSUME2(T.StringLit, { LABEL: 'from' }); });
                this.OPTION3(() => this.CONSUME(K.VIRTUAL));
              },
            },
            { ALT: () => this.MANY(() => this.SUBRULE(this.columnConstraint)) },
          ]);
        },
      },
    ]);
  });

  readonly columnConstraint: Rule = this.RULE('columnConstraint', () => {
    this.OR([
      { ALT: () => { this.CONSUME(K.NOT); this.CONSUME(K.NULL); } },
      { ALT: () => this.CONSUME2(K.NULL) },
      {
        ALT: () => {
          this.OPTION(() => { this.CONSUME(K.CONSTRAINT); this.CONSUME(T.Ident); });
          this.CONSUME(K.PRIMARY);
          this.CONSUME(K.KEY);
          this.OPTION2(() => { this.CONSUME2(K.NOT); this.CONSUME(K.ENFORCED); });
        },
      },
      { ALT: () => { this.CONSUME(K.COMMENT); this.CONSUME(T.StringLit); } },
    ]);
  });

  readonly createViewBody: Rule = this.RULE('createViewBody', () => {
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.qualifiedName);
    this.OPTION2(() => this.SUBRULE(this.identList));
    this.OPTION3(() => { this.CONSUME(K.WITH); this.SUBRULE(this.optionList); });
    this.CONSUME(K.AS);
    this.SUBRULE(this.query);
  });

  /** `('k' = 'v', ...)`, `(FORMAT csv, HEADER)`, `(SNAPSHOT = false)` */
  readonly optionList: Rule = this.RULE('optionList', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.optionEntry);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.optionEntry); });
    this.CONSUME(T.RParen);
  });

  readonly optionEntry: Rule = this.RULE('optionEntry', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLit, { LABEL: 'key' }) },
      {
        ALT: () => {
          this.CONSUME(T.Ident, { LABEL: 'key' });
          this.MANY(() => { this.CONSUME(T.Dot); this.CONSUME2(T.Ident, { LABEL: 'key' }); });
        },
      },
      // COPY's option names that are reserved words.
      { ALT: () => this.CONSUME(K.NULL, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(K.DEFAULT, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(K.ESCAPE, { LABEL: 'key' }) },
    ]);
    this.OPTION(() => this.CONSUME(T.Eq));
    this.OPTION2(() => this.SUBRULE(this.optionValue));
  });

  /** A literal, a word or a signed number; kept as text. */
  readonly optionValue: Rule = this.RULE('optionValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLit) },
      {
        ALT: () => {
          this.OPTION(() => this.OR2([
            { ALT: () => this.CONSUME(T.Minus) },
            { ALT: () => this.CONSUME(T.Plus) },
          ]));
          this.CONSUME(T.Number);
        },
      },
      { ALT: () => this.CONSUME(T.Ident) },
      { ALT: () => this.CONSUME(K.TRUE) },
      { ALT: () => this.CONSUME(K.FALSE) },
      { ALT: () => this.CONSUME(K.ON) },
      { ALT: () => this.CONSUME(K.NULL) },
    ]);
  });

  // ---- DROP, ANALYZE --------------------------------------------------------------------

  readonly dropStatement: Rule = this.RULE('dropStatement', () => {
    this.CONSUME(K.DROP);
    this.OR([
      { ALT: () => { this.CONSUME(K.TABLE); this.SUBRULE(this.dropTargets); } },
      { ALT: () => { this.CONSUME(K.VIEW); this.SUBRULE2(this.dropTargets); } },
      { ALT: () => { this.CONSUME(K.MATERIALIZED); this.CONSUME2(K.VIEW); this.SUBRULE3(this.dropTargets); } },
      {
        ALT: () => {
          this.CONSUME(K.JOB);
          this.OPTION(() => this.SUBRULE(this.ifExists));
          this.OR2([
            { ALT: () => this.CONSUME(T.StringLit, { LABEL: 'job' }) },
            { ALT: () => this.CONSUME(T.Ident, { LABEL: 'job' }) },
            { ALT: () => this.CONSUME(T.Number, { LABEL: 'job' }) },
          ]);
        },
      },
    ]);
  });

  readonly dropTargets: Rule = this.RULE('dropTargets', () => {
    this.OPTION(() => this.SUBRULE(this.ifExists));
    this.SUBRULE(this.qualifiedName);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.qualifiedName); });
    this.OPTION2(() => this.OR([
      { ALT: () => this.CONSUME(K.CASCADE) },
      { ALT: () => this.CONSUME(K.RESTRICT) },
    ]));
  });

  readonly analyzeStatement: Rule = this.RULE('analyzeStatement', () => {
    this.CONSUME(K.ANALYZE);
    this.OPTION(() => this.CONSUME(K.TABLE));
    this.OPTION2(() => this.SUBRULE(this.qualifiedName));
  });

  // ---- DML ---------------------------------------------------------------------------------

  readonly insertStatement: Rule = this.RULE('insertStatement', () => {
    this.CONSUME(K.INSERT);
    this.OR([
      { ALT: () => this.CONSUME(K.INTO) },
      { ALT: () => this.CONSUME(K.OVERWRITE) },
    ]);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => this.SUBRULE(this.identList));
    this.SUBRULE(this.query);
  });

  readonly updateStatement: Rule = this.RULE('updateStatement', () => {
    this.CONSUME(K.UPDATE);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => { this.OPTION2(() => this.CONSUME(K.AS)); this.CONSUME(T.Ident, { LABEL: 'alias' }); });
    this.CONSUME(K.SET);
    this.SUBRULE(this.assignment);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.assignment); });
    this.OPTION3(() => { this.CONSUME(K.WHERE); this.SUBRULE(this.expression, { LABEL: 'where' }); });
  });

  readonly assignment: Rule = this.RULE('assignment', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.expression);
  });

  readonly deleteStatement: Rule = this.RULE('deleteStatement', () => {
    this.CONSUME(K.DELETE);
    this.CONSUME(K.FROM);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => { this.OPTION2(() => this.CONSUME(K.AS)); this.CONSUME(T.Ident, { LABEL: 'alias' }); });
    this.OPTION3(() => { this.CONSUME(K.WHERE); this.SUBRULE(this.expression, { LABEL: 'where' }); });
  });

  /** `COPY t [(cols)] FROM STDIN | COPY t|(query)|(SUBSCRIBE ...) TO STDOUT`, then options. */
  readonly copyStatement: Rule = this.RULE('copyStatement', () => {
    this.CONSUME(K.COPY);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OR2([
            { ALT: () => this.SUBRULE(this.subscribeStatement) },
            { ALT: () => this.SUBRULE(this.query) },
          ]);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => { this.SUBRULE(this.qualifiedName); this.OPTION(() => this.SUBRULE(this.identList)); } },
    ]);
    this.OR3([
      { ALT: () => { this.CONSUME(K.FROM); this.CONSUME(K.STDIN); } },
      { ALT: () => { this.CONSUME(K.TO); this.CONSUME(K.STDOUT); } },
    ]);
    this.OPTION2(() => this.CONSUME(K.WITH));
    this.OPTION3(() => this.OR4([
      { ALT: () => this.SUBRULE(this.optionList) },
      { ALT: () => this.AT_LEAST_ONE(() => this.SUBRULE(this.legacyCopyOption)) },
    ]));
  });

  /** PostgreSQL's pre-9.0 COPY options: `CSV HEADER`, `DELIMITER [AS] ','`, `NULL [AS] ''`. */
  readonly legacyCopyOption: Rule = this.RULE('legacyCopyOption', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Ident, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(K.NULL, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(K.ESCAPE, { LABEL: 'key' }) },
    ]);
    this.OPTION(() => this.CONSUME(K.AS));
    this.OPTION2(() => this.CONSUME(T.StringLit, { LABEL: 'value' }));
  });
}
