import { loadConfig, type MssqlConfig } from '../../src/config/loadConfig';

/** The Azure SQL settings as loadConfig parses them, for an example server (no connection is made). */
export function mssqlTestConfig(extra: Record<string, string> = {}): MssqlConfig {
  const c = loadConfig({
    LEAD_INTEL_STORE: 'mssql',
    MSSQL_SERVER: 'example.database.windows.net',
    MSSQL_DATABASE: 'crm',
    ...extra,
  });
  if (c.store.kind !== 'mssql') throw new Error('expected mssql');
  return c.store;
}
