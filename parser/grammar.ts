// The complete SQL grammar: the statement rule over the rule families, and the parser instances.

import type { Rule } from './grammar-expressions.js';
import { SessionGrammar } from './grammar-session.js';
import { T } from './lexer/tokens.js';

export class SqlGrammar extends SessionGrammar {
  override readonly statement: Rule = this.RULE('statement', () => {
    this.OR(this.alts['statement'] ??= [
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.updateStatement) },
      { ALT: () => this.SUBRULE(this.deleteStatement) },
      { ALT: () => this.SUBRULE(this.copyStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.resetStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.subscribeStatement) },
      { ALT: () => this.SUBRULE(this.declareStatement) },
      { ALT: () => this.SUBRULE(this.fetchStatement) },
      { ALT: () => this.SUBRULE(this.closeStatement) },
      { ALT: () => this.SUBRULE(this.checkpointStatement) },
      { ALT: () => this.SUBRULE(this.transactionStatement) },
      { ALT: () => this.SUBRULE(this.analyzeStatement) },
    ]);
  });

  /** One statement and its terminating `;` (the input holds one statement; see parse.ts). */
  readonly statementEntry: Rule = this.RULE('statementEntry', () => {
    this.SUBRULE(this.statement);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  constructor(recovery: boolean) {
    super(recovery);
    this.performSelfAnalysis();
  }
}

/** The names of the grammar's rules, for typed access to CST children. */
export type RuleName = {
  [P in keyof SqlGrammar]: SqlGrammar[P] extends Rule ? P : never;
}[keyof SqlGrammar];

// Two instances, built once: the fast one parses; on a syntax error the
// recovering one re-parses the statement to report every error in it.
let fast: SqlGrammar | undefined;
let recovering: SqlGrammar | undefined;

export function fastParser(): SqlGrammar {
  return (fast ??= new SqlGrammar(false));
}

export function recoveringParser(): SqlGrammar {
  return (recovering ??= new SqlGrammar(true));
}
