// The typed AST: one file per statement family; import from here.

export type * from './node.js';
export type * from './types.js';
export type * from './expression.js';
export type * from './query.js';
export type * from './match-recognize.js';
export type * from './ddl.js';
export type * from './dml.js';
export type * from './session.js';
export type * from './statement.js';
