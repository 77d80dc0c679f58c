import type { AppConfig } from '../config/loadConfig';
import type { LeadStore } from './leadStore';
import { MssqlLeadStore } from './mssql/mssqlLeadStore';
import { SqliteLeadStore } from './sqlite/sqliteLeadStore';

/** The configured store: the embedded SQLite file, or a connected Azure SQL pool. Never migrates. */
export async function openStore(config: AppConfig): Promise<LeadStore> {
  return config.store.kind === 'mssql'
    ? MssqlLeadStore.connect(config.store)
    : SqliteLeadStore.open(config.store.sqlitePath);
}
