// Scan: read a catalog object (a table, a materialized view, or a system table).

import type { Schema } from '../../common/data-type.js';

export interface Scan {
  readonly kind: 'Scan';
  /** Canonical catalog name of the object. */
  readonly object: string;
  readonly objectKind: 'TABLE' | 'MATERIALIZED VIEW' | 'SYSTEM TABLE';
  readonly schema: Schema;
}

export function scan(object: string, objectKind: Scan['objectKind'], schema: Schema): Scan {
  return { kind: 'Scan', object, objectKind, schema };
}
