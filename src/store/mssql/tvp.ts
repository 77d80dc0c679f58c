import sql from 'mssql';
import { CHURN_RISKS, FOLLOW_UP_STATUSES } from '../../scoring';
import type { ScoreWriteChunk, SnapshotChunk } from '../leadStore';

/** A TVP column: name and type, in the order of the migration's CREATE TYPE (a test compares them). */
export interface TvpColumn {
  readonly name: string;
  readonly type: sql.ISqlType | (() => sql.ISqlType);
}

export const LEAD_ID_LIST_COLUMNS: readonly TvpColumn[] = [{ name: 'LeadId', type: sql.Int }];

export const SCORE_ROW_COLUMNS: readonly TvpColumn[] = [
  { name: 'LeadId', type: sql.Int },
  { name: 'HealthScore', type: sql.TinyInt },
  { name: 'VelocityScore', type: sql.TinyInt },
  { name: 'AIPriority', type: sql.TinyInt },
  { name: 'ConversionProbability', type: sql.Decimal(5, 2) },
  { name: 'ChurnRisk', type: sql.VarChar(10) },
  { name: 'FollowUpStatus', type: sql.VarChar(10) },
  { name: 'OverdueDays', type: sql.Int },
  { name: 'RecommendationJson', type: sql.NVarChar(sql.MAX) },
];

export const SNAPSHOT_ROW_COLUMNS: readonly TvpColumn[] = [
  { name: 'LeadId', type: sql.Int },
  { name: 'HealthScore', type: sql.TinyInt },
  { name: 'VelocityScore', type: sql.TinyInt },
  { name: 'Activity7d', type: sql.Int },
  { name: 'Activity30d', type: sql.Int },
  { name: 'CompletedFollowUps7d', type: sql.Int },
  { name: 'Visits7d', type: sql.Int },
];

function table(typeName: string, columns: readonly TvpColumn[]): sql.Table {
  const t = new sql.Table(typeName); // schema-qualified: the type lives in dbo, whatever the login's default schema
  for (const c of columns) t.columns.add(c.name, c.type, { nullable: false });
  return t;
}

export function leadIdListTvp(ids: readonly number[]): sql.Table {
  const t = table('dbo.LeadIdList', LEAD_ID_LIST_COLUMNS);
  for (const id of ids) t.rows.add(id);
  return t;
}

/** Rows [start, end) of a score chunk as a `dbo.LeadScoreRow` TVP. */
export function scoreRowsTvp(chunk: ScoreWriteChunk, start: number, end: number): sql.Table {
  const t = table('dbo.LeadScoreRow', SCORE_ROW_COLUMNS);
  const s = chunk.scores;
  for (let i = start; i < end; i++) {
    t.rows.add(
      s.leadId[i],
      s.health[i],
      s.velocity[i],
      s.priority[i],
      s.conversion[i],
      CHURN_RISKS[s.churnRisk[i]!],
      FOLLOW_UP_STATUSES[s.followUpStatus[i]!],
      s.overdueDays[i],
      chunk.recommendationJson[i],
    );
  }
  return t;
}

/** Rows [start, end) of a snapshot chunk as a `dbo.LeadSnapshotRow` TVP. */
export function snapshotRowsTvp(c: SnapshotChunk, start: number, end: number): sql.Table {
  const t = table('dbo.LeadSnapshotRow', SNAPSHOT_ROW_COLUMNS);
  for (let i = start; i < end; i++) {
    t.rows.add(
      c.leadId[i],
      c.health[i],
      c.velocity[i],
      c.activity7d[i],
      c.activity30d[i],
      c.completedFollowUps7d[i],
      c.visits7d[i],
    );
  }
  return t;
}
