import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLeadStore, type SqliteLeadStoreOptions } from '../../src/store/sqlite/sqliteLeadStore';

/** A migrated embedded store in a fresh temp folder; `cleanup` closes it and removes the folder. */
export function tempStore(options: SqliteLeadStoreOptions = {}): {
  store: SqliteLeadStore;
  path: string;
  dir: string;
  cleanup: () => Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'lead-intel-'));
  const path = join(dir, 'leads.db');
  const store = SqliteLeadStore.open(path, { migrate: { withBaseline: true }, ...options });
  return {
    store,
    path,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
