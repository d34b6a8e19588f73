// The statement union: every top-level statement the parser produces.

import type { Analyze, CreateTable, CreateView, Drop, DropJob } from './ddl.js';
import type { Copy, Delete, Insert, Update } from './dml.js';
import type { Query } from './query.js';
import type {
  Checkpoint, CloseCursor, DeclareCursor, Describe, Explain, Fetch, Reset, SetStatement,
  ShowCreate, ShowObjects, ShowVariable, Subscribe, Transaction,
} from './session.js';

export type Statement =
  | Query
  | CreateTable
  | CreateView
  | Drop
  | DropJob
  | Analyze
  | Insert
  | Update
  | Delete
  | Copy
  | SetStatement
  | Reset
  | ShowObjects
  | ShowCreate
  | ShowVariable
  | Describe
  | Explain
  | Subscribe
  | DeclareCursor
  | Fetch
  | CloseCursor
  | Checkpoint
  | Transaction;

export type StatementKind = Statement['kind'];
