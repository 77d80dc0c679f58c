import { join } from 'node:path';
import { VIEW_COLUMNS } from '../../src/store/featureChunkBuilder';
import { DEFAULT_MAPPING } from '../../src/mapping';
import { listMigrations, migrationsRoot, renderMigrations } from '../../src/store/migrationFiles';
import { parseTsqlScript, tsqlColumns, tsqlViewColumns } from '../helpers/tsql';
import { tempStore } from '../helpers/tempStore';

const root = migrationsRoot();
const tsql = renderMigrations('tsql', DEFAULT_MAPPING).flatMap((m) => parseTsqlScript(m.sql).parsed);
const tsqlTables = tsqlColumns(tsql);

describe('embedded schema (migrations/sqlite) against the T-SQL migrations', () => {
  const t = tempStore();
  afterAll(() => t.cleanup());
  const sqliteColumns = (table: string): string[] =>
    (
      t.store.connection.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]
    ).map((r) => r.name);

  it.each([
    'lead',
    'FollowUps',
    'Visit',
    'lead_velocity_snapshots',
    'lead_scoring_runs',
    'lead_scoring_models',
  ])('%s has the same columns in the same order', (table) => {
    const expected = tsqlTables.get(table.toLowerCase());
    expect(expected?.length).toBeGreaterThan(0);
    expect(sqliteColumns(table)).toStrictEqual(expected);
  });

  it('has the nine score columns the guide lists on lead', () => {
    expect(sqliteColumns('lead').slice(-9)).toStrictEqual([
      'HealthScore',
      'VelocityScore',
      'AIPriority',
      'ConversionProbability',
      'ChurnRisk',
      'FollowUpStatus',
      'OverdueDays',
      'RecommendationJson',
      'ScoresLastUpdated',
    ]);
  });

  it('exposes the scoring input view with the same columns in both dialects, all known to the reader', () => {
    const tsqlView = tsqlViewColumns(tsql, 'li_scoring_input');
    expect(sqliteColumns('v_lead_scoring_input')).toStrictEqual(tsqlView);
    expect(tsqlView).toStrictEqual(Object.keys(VIEW_COLUMNS));
  });

  it('exposes the training view with the same columns in both dialects: the reader’s, minus status, plus the outcome', () => {
    const tsqlView = tsqlViewColumns(tsql, 'v_lead_training_input');
    expect(sqliteColumns('v_lead_training_input')).toStrictEqual(tsqlView);
    const known = Object.keys(VIEW_COLUMNS).filter(
      (c) => !['LeadStatus', 'StatusChangedDate', 'PrevHealthScore', 'PrevActivity7d'].includes(c),
    );
    expect(tsqlView).toStrictEqual([...known, 'Outcome', 'ClosedDate']);
  });

  it('exposes the mapping views with the same columns in both dialects', () => {
    for (const view of ['li_leads', 'li_follow_ups', 'li_visits'])
      expect(sqliteColumns(view)).toStrictEqual(tsqlViewColumns(tsql, view));
  });

  it('defines the table types the Azure SQL adapter binds, in T-SQL only', () => {
    expect(tsqlTables.get('leadidlist')).toStrictEqual(['LeadId']);
    expect(tsqlTables.get('leadscorerow')).toStrictEqual(['LeadId', ...sqliteColumns('lead').slice(-9, -1)]);
    expect(tsqlTables.get('leadsnapshotrow')).toStrictEqual([
      'LeadId',
      'HealthScore',
      'VelocityScore',
      'Activity7d',
      'Activity30d',
      'CompletedFollowUps7d',
      'Visits7d',
    ]);
  });

  it('keeps the T-SQL and SQLite migration files paired by number and name', () => {
    const names = (dir: string) =>
      listMigrations(dir).map((m) => [m.name, m.rollbackSql !== null, m.rerunnable]);
    expect(names(join(root, 'sqlite'))).toStrictEqual(names(root));
  });
});
