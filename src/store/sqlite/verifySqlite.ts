import type { Database } from 'better-sqlite3';
import { SCORE_COLUMNS } from '../../mapping';

/** The guide's verification queries on the embedded schema: score columns on the mapped lead table (expect 9) and the snapshot table (expect 1). */
export function verifySqlite(db: Database): { scoreColumns: number; snapshotTables: number } {
  const hasMapping = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'lead_intel_mapping'`).get();
  const mapped = hasMapping
    ? (db.prepare(`SELECT Value FROM lead_intel_mapping WHERE Name = 'LeadTable'`).pluck().get() as
        string | undefined)
    : undefined;
  const cols = (
    db.prepare(`SELECT name FROM pragma_table_info(?)`).all(mapped ?? 'lead') as { name: string }[]
  ).map((r) => r.name);
  const scoreColumns = SCORE_COLUMNS.filter((c) => cols.includes(c)).length;
  const snap = db
    .prepare(
      `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'lead_velocity_snapshots'`,
    )
    .get() as {
    n: number;
  };
  return { scoreColumns, snapshotTables: snap.n };
}

export interface TopLead {
  LeadId: number;
  Name: string;
  LeadStatus: string | null;
  HealthScore: number;
  AIPriority: number;
  ChurnRisk: string;
  RecommendationJson: string;
}

/** The guide's "TOP N … ORDER BY AIPriority DESC" check, for the demo. */
export function topLeadsByPriority(db: Database, limit: number): TopLead[] {
  return db
    .prepare(
      `SELECT LeadId, COALESCE(FirstName || ' ' || LastName, '') AS Name, LeadStatus, HealthScore, AIPriority, ChurnRisk, RecommendationJson
       FROM li_leads WHERE RecommendationJson IS NOT NULL ORDER BY AIPriority DESC, LeadId LIMIT ?`,
    )
    .all(limit) as TopLead[];
}
