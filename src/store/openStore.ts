import type { AppConfig } from '../config/loadConfig';
import { ConfigError } from '../errors';
import type { LeadStore } from './leadStore';

/**
 * The configured store: the embedded SQLite file, or a connected Azure SQL pool. Never migrates. Each adapter module
 * is loaded only when it is the configured one, so an Azure SQL app never loads better-sqlite3's native binary (the
 * Azure package does not ship it: see scripts/packageAzure.js).
 */
export async function openStore(config: AppConfig): Promise<LeadStore> {
  if (config.store.kind === 'mssql') {
    const { MssqlLeadStore } = await loadAdapter('mssql', () => import('./mssql/mssqlLeadStore'));
    return MssqlLeadStore.connect(config.store, { leaseMs: config.runLockLeaseMs });
  }
  const { SqliteLeadStore } = await loadAdapter('sqlite', () => import('./sqlite/sqliteLeadStore'));
  return SqliteLeadStore.open(config.store.sqlitePath, { leaseMs: config.runLockLeaseMs });
}

/** A module that cannot be loaded here (a driver missing from the package, a native binary of another platform). */
async function loadAdapter<M>(kind: AppConfig['store']['kind'], load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (e) {
    throw new ConfigError(
      'the environment',
      [
        `LEAD_INTEL_STORE=${kind}: the store's driver cannot be loaded in this installation (${(e as Error).message})` +
          (kind === 'sqlite'
            ? '; the Azure package ships only the Azure SQL store (LEAD_INTEL_STORE=mssql)'
            : ''),
      ],
      e,
    );
  }
}
