// Engine-wide defaults of settings, and what SHOW / SET accept.

/** Defaults of the settings users can SET and SHOW. Names are case-insensitive (stored lower-case). */
export const defaultSettings: ReadonlyMap<string, string> = new Map([
  ['server_version', '16.0'],
  ['server_version_num', '160000'],
  ['server_encoding', 'UTF8'],
  ['client_encoding', 'UTF8'],
  ['datestyle', 'ISO, MDY'],
  ['intervalstyle', 'postgres'],
  ['timezone', 'UTC'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
  ['application_name', ''],
  ['search_path', 'public'],
  ['transaction_isolation', 'serializable'],
  ['extra_float_digits', '1'],
  ['execution.checkpointing.interval', '1s'],
  ['table.exec.source.idle-timeout', '0'],
  ['table.exec.state.ttl', '0'],
  ['table.exec.mini-batch.enabled', 'false'],
  ['table.optimizer.join-reorder-enabled', 'true'],
  ['table.dml-sync', 'false'],
]);

/** The canonical (lower-case) form of a setting name. */
export function settingKey(name: string): string {
  return name.toLowerCase();
}
