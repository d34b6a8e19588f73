// Grammar of queries: WITH, set operations, SELECT, VALUES, FROM items and joins.

import { MatchRecognizeGrammar } from './grammar-match-recognize.js';
import type { IOrAlt } from 'chevrotain';
import type { Rule } from './grammar-expressions.js';
import { K, T } from './lexer/tokens.js';

export class QueryGrammar extends MatchRecognizeGrammar {
  /**
   * `[WITH ...] operand {UNION|EXCEPT|INTERSECT [ALL|DISTINCT] operand} [ORDER BY ...] [LIMIT ...]
   * [OFFSET ...] [FETCH ...]`. Set operations are parsed flat; the visitor makes INTERSECT bind
   * tighter than UNION and EXCEPT.
   */
  override readonly query: Rule = this.RULE('query', () => {
    this.OPTION(() => this.SUBRULE(this.withClause));
    this.OR(this.queryOperand());
    this.MANY(() => this.SUBRULE(this.setOpTail));
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    // LIMIT and OFFSET in either order (PostgreSQL); duplicates are rejected by the visitor.
    this.MANY2(() => this.OR2(this.alts['limits'] ??= [
      { ALT: () => this.SUBRULE(this.limitClause) },
      { ALT: () => this.SUBRULE(this.offsetClause) },
      { ALT: () => this.SUBRULE(this.fetchClause) },
    ]));
  });

  /** The operand of a set operation: SELECT, VALUES or a parenthesized query. */
  private queryOperand(): IOrAlt<unknown>[] {
    return (this.alts['queryOperand'] ??= [
      { ALT: () => this.SUBRULE(this.select) },
      { ALT: () => this.SUBRULE(this.values) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.query); this.CONSUME(T.RParen); } },
    ]) as IOrAlt<unknown>[];
  }

  readonly setOpTail: Rule = this.RULE('setOpTail', () => {
    this.OR(this.alts['setOp'] ??= [
      { ALT: () => this.CONSUME(K.UNION) },
      { ALT: () => this.CONSUME(K.EXCEPT) },
      { ALT: () => this.CONSUME(K.INTERSECT) },
    ]);
    this.OPTION(() => this.SUBRULE(this.setQuantifier));
    this.OR2(this.queryOperand());
  });

  readonly withClause: Rule = this.RULE('withClause', () => {
    this.CONSUME(K.WITH);
    this.OPTION(() => this.CONSUME(K.RECURSIVE));
    this.SUBRULE(this.commonTableExpr);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.commonTableExpr); });
  });

  readonly commonTableExpr: Rule = this.RULE('commonTableExpr', () => {
    this.CONSUME(T.Ident);
    this.OPTION(() => this.SUBRULE(this.identList));
    this.CONSUME(K.AS);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  readonly setQuantifier: Rule = this.RULE('setQuantifier', () => {
    this.OR(this.alts['setQuantifier'] ??= [
      { ALT: () => this.CONSUME(K.ALL) },
      { ALT: () => this.CONSUME(K.DISTINCT) },
    ]);
  });

  readonly select: Rule = this.RULE('select', () => {
    this.CONSUME(K.SELECT);
    this.OPTION(() => this.SUBRULE(this.setQuantifier));
    this.SUBRULE(this.selectItem);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.selectItem); });
    this.OPTION2(() => {
      this.CONSUME(K.FROM);
      this.SUBRULE(this.tableRef);
      this.MANY2(() => { this.CONSUME2(T.Comma); this.SUBRULE2(this.tableRef); });
    });
    this.OPTION3(() => { this.CONSUME(K.WHERE); this.SUBRULE(this.expression, { LABEL: 'where' }); });
    this.OPTION4(() => {
      this.CONSUME(K.GROUP);
      this.CONSUME(K.BY);
      this.SUBRULE(this.groupingElement);
      this.MANY3(() => { this.CONSUME3(T.Comma); this.SUBRULE2(this.groupingElement); });
    });
    this.OPTION5(() => { this.CONSUME(K.HAVING); this.SUBRULE2(this.expression, { LABEL: 'having' }); });
    this.OPTION6(() => {
      this.CONSUME(K.WINDOW);
      this.SUBRULE(this.namedWindow);
      this.MANY4(() => { this.CONSUME4(T.Comma); this.SUBRULE2(this.namedWindow); });
    });
    this.OPTION7(() => { this.CONSUME(K.QUALIFY); this.SUBRULE3(this.expression, { LABEL: 'qualify' }); });
  });

  /** `*`, `t.*` (parsed as a name expression), `expr [[AS] alias]` */
  readonly selectItem: Rule = this.RULE('selectItem', () => {
    this.OR(this.alts['selectItem'] ??= [
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.OPTION2(() => this.CONSUME(K.AS));
            this.CONSUME(T.Ident, { LABEL: 'alias' });
          });
        },
      },
    ]);
  });

  readonly values: Rule = this.RULE('values', () => {
    this.CONSUME(K.VALUES);
    this.SUBRULE(this.valuesRow);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.valuesRow); });
  });

  readonly valuesRow: Rule = this.RULE('valuesRow', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
    this.CONSUME(T.RParen);
  });

  readonly limitClause: Rule = this.RULE('limitClause', () => {
    this.CONSUME(K.LIMIT);
    this.OR([
      { ALT: () => this.CONSUME(K.ALL) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  readonly offsetClause: Rule = this.RULE('offsetClause', () => {
    this.CONSUME(K.OFFSET);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([
      { ALT: () => this.CONSUME(K.ROW) },
      { ALT: () => this.CONSUME(K.ROWS) },
    ]));
  });

  /** `FETCH FIRST|NEXT [n] ROW|ROWS ONLY` */
  readonly fetchClause: Rule = this.RULE('fetchClause', () => {
    this.CONSUME(K.FETCH);
    this.OR([
      { ALT: () => this.CONSUME(K.FIRST) },
      { ALT: () => this.CONSUME(K.NEXT) },
    ]);
    // The count is a constant, a parameter or a parenthesized expression (as in PostgreSQL).
    this.OPTION(() => this.OR3([
      { ALT: () => this.CONSUME(T.Number) },
      { ALT: () => this.CONSUME(T.Parameter) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
    ]));
    this.OR2([
      { ALT: () => this.CONSUME(K.ROW) },
      { ALT: () => this.CONSUME(K.ROWS) },
    ]);
    this.CONSUME(K.ONLY);
  });

  readonly groupingElement: Rule = this.RULE('groupingElement', () => {
    this.OR([
      { ALT: () => { this.CONSUME(K.ROLLUP); this.SUBRULE(this.groupingList); } },
      { ALT: () => { this.CONSUME(K.CUBE); this.SUBRULE2(this.groupingList); } },
      {
        ALT: () => {
          this.CONSUME(K.GROUPING);
          this.CONSUME(K.SETS);
          this.CONSUME(T.LParen);
          this.SUBRULE(this.groupingElement);
          this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.groupingElement); });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => { this.CONSUME2(T.LParen); this.CONSUME2(T.RParen); } },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  /** The argument of ROLLUP / CUBE: `(a, (b, c))`; a parenthesized list is a row expression. */
  readonly groupingList: Rule = this.RULE('groupingList', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.expression); });
    this.CONSUME(T.RParen);
  });

  readonly namedWindow: Rule = this.RULE('namedWindow', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(K.AS);
    this.SUBRULE(this.windowSpec);
  });

  // ---- FROM ------------------------------------------------------------------------

  /** A FROM item with the joins that follow it (left-associative). */
  readonly tableRef: Rule = this.RULE('tableRef', () => {
    this.SUBRULE(this.tablePrimary);
    this.MANY(() => this.SUBRULE(this.joinTail));
  });

  readonly joinTail: Rule = this.RULE('joinTail', () => {
    this.OR(this.alts['joinTail'] ??= [
      { ALT: () => { this.CONSUME(K.CROSS); this.CONSUME(K.JOIN); this.SUBRULE(this.tablePrimary); } },
      {
        ALT: () => {
          this.CONSUME(K.NATURAL);
          this.OPTION(() => this.SUBRULE(this.joinType));
          this.CONSUME2(K.JOIN);
          this.SUBRULE2(this.tablePrimary);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.SUBRULE2(this.joinType));
          this.CONSUME3(K.JOIN);
          this.SUBRULE3(this.tablePrimary);
          this.OR2([
            { ALT: () => { this.CONSUME(K.ON); this.SUBRULE(this.expression); } },
            { ALT: () => { this.CONSUME(K.USING); this.SUBRULE(this.identList); } },
          ]);
        },
      },
    ]);
  });

  readonly joinType: Rule = this.RULE('joinType', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.INNER) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(K.LEFT) },
            { ALT: () => this.CONSUME(K.RIGHT) },
            { ALT: () => this.CONSUME(K.FULL) },
          ]);
          this.OPTION(() => this.CONSUME(K.OUTER));
        },
      },
    ]);
  });

  /**
   * A FROM item without joins, optionally followed by MATCH_RECOGNIZE clauses: a table
   * `t [FOR SYSTEM_TIME AS OF expr] [alias]`, a bare table function `f(x) [alias]`,
   * `TABLE(f(...))`, `LATERAL ...`, or a parenthesized query or join.
   */
  readonly tablePrimary: Rule = this.RULE('tablePrimary', () => {
    this.OR(this.alts['tablePrimary'] ??= [
      {
        ALT: () => {
          this.CONSUME(K.LATERAL);
          this.OR2(this.alts['lateral'] ??= [
            { ALT: () => this.SUBRULE(this.wrappedTableFunction) },
            { ALT: () => this.SUBRULE(this.derivedTable) },
            { ALT: () => { this.SUBRULE(this.tableFunctionCall); this.OPTION(() => this.SUBRULE(this.tableAlias)); } },
          ]);
        },
      },
      { ALT: () => this.SUBRULE2(this.wrappedTableFunction) },
      { ALT: () => this.SUBRULE(this.parenTable) },
      {
        ALT: () => {
          this.CONSUME(T.Ident);
          this.MANY(() => { this.CONSUME(T.Dot); this.CONSUME2(T.Ident); });
          this.OPTION2(() => this.SUBRULE(this.tableFunctionArgs));
          this.OPTION3(() => {
            this.CONSUME(K.FOR);
            this.CONSUME(K.SYSTEM_TIME);
            this.CONSUME(K.AS);
            this.CONSUME(K.OF);
            this.SUBRULE(this.expression);
          });
          this.OPTION4(() => this.SUBRULE2(this.tableAlias));
        },
      },
    ]);
    this.MANY2(() => this.SUBRULE(this.matchRecognize));
  });

  /** `(query) [alias]` or a parenthesized join `(a JOIN b ON ...)`; queryAhead tells which. */
  readonly parenTable: Rule = this.RULE('parenTable', () => {
    this.CONSUME(T.LParen);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.queryAhead(1), ALT: () => this.SUBRULE(this.query) },
        { ALT: () => this.SUBRULE(this.tableRef) },
      ],
    });
    this.CONSUME(T.RParen);
    this.OPTION(() => this.SUBRULE(this.tableAlias));
  });

  readonly derivedTable: Rule = this.RULE('derivedTable', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
    this.OPTION(() => this.SUBRULE(this.tableAlias));
  });

  /** `TABLE(f(...)) [alias]` */
  readonly wrappedTableFunction: Rule = this.RULE('wrappedTableFunction', () => {
    this.CONSUME(K.TABLE);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.tableFunctionCall);
    this.CONSUME(T.RParen);
    this.OPTION(() => this.SUBRULE(this.tableAlias));
  });

  readonly tableFunctionCall: Rule = this.RULE('tableFunctionCall', () => {
    this.SUBRULE(this.qualifiedName);
    this.SUBRULE(this.tableFunctionArgs);
  });

  readonly tableFunctionArgs: Rule = this.RULE('tableFunctionArgs', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.tableFunctionArg);
      this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.tableFunctionArg); });
    });
    this.CONSUME(T.RParen);
  });

  /**
   * `[name =>] TABLE t [PARTITION BY ...] [ORDER BY ...] | DESCRIPTOR(c, ...) | (query) [PARTITION BY ...] | expr`.
   * A named argument is parsed as an expression followed by `=>` (the visitor checks it
   * is a plain name), which keeps every choice here to one token of lookahead. A subquery
   * argument `(SELECT ...)` is parsed as an expression and becomes a query argument.
   */
  readonly tableFunctionArg: Rule = this.RULE('tableFunctionArg', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.tableArgTable) },
      { ALT: () => this.SUBRULE(this.tableArgDescriptor) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.Arrow);
                this.OR3([
                  { ALT: () => this.SUBRULE2(this.tableArgTable) },
                  { ALT: () => this.SUBRULE2(this.tableArgDescriptor) },
                  {
                    ALT: () => {
                      this.SUBRULE2(this.expression, { LABEL: 'value' });
                      this.OPTION2(() => this.SUBRULE(this.tableArgPartition));
                    },
                  },
                ]);
              },
            },
            { ALT: () => this.SUBRULE2(this.tableArgPartition) },
          ]));
        },
      },
    ]);
  });

  /**
   * `TABLE t | TABLE (query) [PARTITION BY k | (k, ...)] [ORDER BY o | (o, ...)]`: one key or a parenthesized
   * list, since a comma here separates the function's arguments (Flink's syntax).
   */
  readonly tableArgTable: Rule = this.RULE('tableArgTable', () => {
    this.CONSUME(K.TABLE);
    // `TABLE (SELECT ...)` is accepted as another spelling of a query argument.
    this.OR([
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.query); this.CONSUME(T.RParen); } },
    ]);
    this.OPTION(() => this.SUBRULE(this.tableArgPartition));
    this.OPTION2(() => {
      this.CONSUME(K.ORDER);
      this.CONSUME(K.BY);
      this.SUBRULE(this.orderItem);
    });
  });

  /** `PARTITION BY k` or `PARTITION BY (k1, k2)` inside table function arguments. */
  readonly tableArgPartition: Rule = this.RULE('tableArgPartition', () => {
    this.CONSUME(K.PARTITION);
    this.CONSUME(K.BY);
    this.SUBRULE(this.expression);
  });

  /** `DESCRIPTOR(c, ...)` */
  readonly tableArgDescriptor: Rule = this.RULE('tableArgDescriptor', () => {
    this.CONSUME(K.DESCRIPTOR);
    this.SUBRULE(this.identList);
  });
}
