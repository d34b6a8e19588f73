// The binder's API: queries, CREATE TABLE, INSERT, UPDATE and DELETE bound against a catalog.

export { bindQuery } from './query.js';
export type { BindQueryOptions, BoundQuery } from './query.js';
export { bindCreateTable, bindWatermark } from './ddl.js';
export { bindDelete, bindInsert, bindUpdate } from './dml.js';
export type { BoundDelete, BoundInsert, BoundUpdate } from './dml.js';
export type { CatalogColumn, CatalogReader, CatalogRelation, RelationKind } from './catalog-reader.js';
