// `--memory-limit`: the bound on the operator state cache, shared by the commands that open an engine.

/** The yargs option (a size such as 512MB, 2GB, or bytes). */
export const memoryLimitOption = {
  type: 'string',
  describe: 'bound on the operator state cache (e.g. 512MB, 2GB); colder state is read back from disk (default: a quarter of the heap)',
} as const;

/** The option's value in bytes; undefined when not given. Throws on a size it cannot read. */
export function parseMemoryLimit(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g|kib|mib|gib)?\s*$/i.exec(String(value));
  if (!m) throw new Error(`--memory-limit: cannot read "${String(value)}" as a size (write e.g. 512MB or 2GB)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const scale = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.floor(Number(m[1]) * scale);
}

/** The engine option the flag gives: `{ memoryLimit }` when given, nothing otherwise. Throws on a size it cannot read. */
export function memoryLimitOf(value: unknown): { memoryLimit?: number } {
  const memoryLimit = parseMemoryLimit(value);
  return memoryLimit === undefined ? {} : { memoryLimit };
}
