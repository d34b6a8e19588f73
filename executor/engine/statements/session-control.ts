// SET, RESET, transaction control and CHECKPOINT.

import type { Checkpoint, Reset, SetStatement, Transaction } from '../../../parser/ast/index.js';
import type { StatementResult } from '../api.js';
import { CHECKPOINT_INTERVAL, checkpointInterval } from '../../checkpoint/checkpointer.js';
import { defaultSettings, settingKey } from '../settings.js';
import type { StatementContext } from '../session.js';
import { textColumn } from './common.js';
import { checkOptimizerSetting } from './optimizer.js';

export function runSet(ctx: StatementContext<SetStatement>): StatementResult {
  const { statement, session } = ctx;
  if (statement.name === undefined) {
    const keys = new Set([...ctx.engine.settings.keys(), ...session.settings.keys()]);
    const rows = [...keys].sort().map((k) => [k, session.setting(k) ?? '']);
    return { kind: 'rows', columns: [textColumn('key'), textColumn('value')], rows, tag: `SET` };
  }
  const key = settingKey(statement.name === 'time zone' ? 'timezone' : statement.name);
  if (key === CHECKPOINT_INTERVAL) setCheckpointInterval(ctx, statement.value);
  checkOptimizerSetting(key, statement.value);
  if (statement.value === undefined) session.settings.delete(key);
  else session.settings.set(key, statement.value);
  return { kind: 'command', tag: 'SET' };
}

/** Checkpoints are the engine's, not a session's: the interval set in any session paces them (as in Flink, per cluster). */
function setCheckpointInterval(ctx: StatementContext, value: string | undefined): void {
  const v = value ?? defaultSettings.get(CHECKPOINT_INTERVAL) ?? '1s';
  checkpointInterval(v);
  ctx.engine.settings.set(CHECKPOINT_INTERVAL, v);
  ctx.engine.checkpointer.reschedule();
}

export function runReset(ctx: StatementContext<Reset>): StatementResult {
  const { statement, session } = ctx;
  if (statement.name === undefined || statement.name.toLowerCase() === 'all') session.settings.clear();
  else session.settings.delete(settingKey(statement.name));
  return { kind: 'command', tag: 'RESET' };
}

export function runTransaction(ctx: StatementContext<Transaction>): StatementResult {
  // Every statement takes effect when it returns; BEGIN/COMMIT are accepted so
  // that drivers and tools that wrap statements in transactions work.
  ctx.session.inTransaction = ctx.statement.action === 'BEGIN';
  return { kind: 'command', tag: ctx.statement.action };
}

/** CHECKPOINT: takes a checkpoint now and returns once it is durable (fails with the reason if it fails). */
export async function runCheckpoint(ctx: StatementContext<Checkpoint>): Promise<StatementResult> {
  await ctx.engine.checkpoint();
  return { kind: 'command', tag: 'CHECKPOINT' };
}
