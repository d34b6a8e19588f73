// One handler per statement kind; a new kind does not compile until it is handled here.

import type { Statement, StatementKind } from '../../../parser/ast/index.js';
import type { StatementResult } from '../api.js';
import type { StatementContext } from '../session.js';
import { runClose, runDeclare, runFetch, runSubscribe } from './cursors.js';
import { runAnalyze, runCreateTable, runCreateView, runDrop, runDropJob } from './ddl.js';
import { runCopy, runDelete, runInsert, runUpdate } from './dml.js';
import { runExplain, runQueryStatement } from './query.js';
import { runCheckpoint, runReset, runSet, runTransaction } from './session-control.js';
import { runDescribe, runShowCreate, runShowObjects, runShowVariable } from './show.js';

type Handlers = {
  readonly [K in StatementKind]: (ctx: StatementContext<Extract<Statement, { kind: K }>>) => StatementResult | Promise<StatementResult>;
};

export const statementHandlers: Handlers = {
  Query: runQueryStatement,
  CreateTable: runCreateTable,
  CreateView: runCreateView,
  Drop: runDrop,
  DropJob: runDropJob,
  Analyze: runAnalyze,
  Insert: runInsert,
  Update: runUpdate,
  Delete: runDelete,
  Copy: runCopy,
  Set: runSet,
  Reset: runReset,
  ShowObjects: runShowObjects,
  ShowCreate: runShowCreate,
  ShowVariable: runShowVariable,
  Describe: runDescribe,
  Explain: runExplain,
  Subscribe: runSubscribe,
  DeclareCursor: runDeclare,
  Fetch: runFetch,
  CloseCursor: runClose,
  Checkpoint: runCheckpoint,
  Transaction: runTransaction,
};
