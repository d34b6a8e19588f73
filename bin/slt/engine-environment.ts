// The runner's environment for real: the embedded engine and PostgreSQL text formatting of values.

import { formatValue } from '../../common/pg-text.js';
import { Engine } from '../../executor/engine/engine.js';
import type { SltEnvironment } from './executor.js';

export const engineEnvironment: SltEnvironment = {
  openEngine: (dataDir: string) => Engine.open({ dataDir }),
  formatValue: (value, type) => formatValue(value, type),
};
