import type { AppConfig } from '../config/loadConfig';
import type { LeadStore } from '../store/leadStore';
import { openStore } from '../store/openStore';
import { SqliteLeadStore } from '../store/sqlite/sqliteLeadStore';

/**
 * The configured store for a command. On the embedded store: `read` opens the file read-only, `write` read-write;
 * neither creates it (a missing file is STORE_UNAVAILABLE, exit 3, never a new empty database). Azure SQL opens as
 * configured: the app's database role decides what it may write.
 */
export async function openCliStore(config: AppConfig, access: 'read' | 'write'): Promise<LeadStore> {
  if (config.store.kind === 'sqlite')
    return SqliteLeadStore.open(config.store.sqlitePath, {
      create: false,
      readonly: access === 'read',
      leaseMs: config.runLockLeaseMs,
    });
  return openStore(config);
}

/** The embedded database of demo and seed: created and migrated if needed, with the guide's CRM tables (000). */
export function openEmbeddedForSeeding(config: AppConfig): SqliteLeadStore {
  return SqliteLeadStore.open(config.sqlitePath, {
    migrate: { withBaseline: true },
    leaseMs: config.runLockLeaseMs,
  });
}
