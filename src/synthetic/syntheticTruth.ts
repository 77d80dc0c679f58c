import type { SqliteLeadStore } from '../store/sqlite/sqliteLeadStore';

/** The generator's true conversion probability by lead id, when the embedded database is a synthetic one. */
export function syntheticTruth(store: SqliteLeadStore): ((leadId: number) => number | undefined) | undefined {
  const db = store.connection;
  const has = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'synthetic_truth'`)
    .get();
  if (!has) return undefined;
  const rows = db.prepare('SELECT LeadId, TrueProbability FROM synthetic_truth').all() as {
    LeadId: number;
    TrueProbability: number;
  }[];
  const map = new Map(rows.map((r) => [r.LeadId, r.TrueProbability]));
  return (id) => map.get(id);
}
