/**
 * The worked mapping example (examples/crm-mapping.example.json) on a real SQL Server: a CRM that is not the guide's
 * (crm.Leads / crm.Tasks / crm.Meetings, its own column names and status spellings) is migrated without the
 * baseline, scored, and compared lead by lead with the embedded store scoring the same synthetic CRM under the
 * guide's names. Then the rollbacks, in order, must give the CRM back exactly as it was.
 */
import sql from 'mssql';
import { DEFAULT_MODEL_POLICY, runScoringJob } from '../../src/job';
import { parseCrmMapping, type CrmMapping } from '../../src/mapping';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import { migrateMssql } from '../../src/store/mssql/migrateMssql';
import { MssqlLeadStore } from '../../src/store/mssql/mssqlLeadStore';
import type { MssqlConfig } from '../../src/config/loadConfig';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';
import {
  connectAdmin,
  connectionStringFor,
  createDatabase,
  CRM_LEAD_COLUMNS,
  differingLeads,
  dropDatabase,
  exampleMapping,
  MERGED_LEAD_ID,
  mssqlConfigFor,
  quietLog,
  SCORE_VALUES,
  seedExampleCrm,
  serverSuite,
  SYNTHETIC,
  type Row,
} from './serverHarness';

const suite = serverSuite('the worked mapping example');

const FORWARD = [
  '001_add_lead_scoring_columns',
  '002_create_crm_mapping',
  '003_create_scoring_contract',
  '004_create_model_registry',
  '005_alter_scoring_runs',
  '006_add_snapshot_priority',
];

/** A recordset as plain row objects (no driver metadata), for deep comparison. */
const plain = (rows: readonly Row[]): Row[] => rows.map((r) => ({ ...r }));

/** The catalog's view of the example CRM: columns (in order, with types), indexes and CHECK constraints. */
async function crmShape(
  pool: sql.ConnectionPool,
): Promise<{ columns: Row[]; indexes: Row[]; checks: Row[] }> {
  const tables = `OBJECT_ID(N'crm.Leads'), OBJECT_ID(N'crm.Tasks'), OBJECT_ID(N'crm.Meetings')`;
  const columns = await pool.request().query<Row>(
    `SELECT OBJECT_NAME(c.object_id) AS tableName, c.column_id, c.name, TYPE_NAME(c.user_type_id) AS typeName,
            c.max_length, c.precision, c.scale, c.is_nullable, c.collation_name
     FROM sys.columns AS c WHERE c.object_id IN (${tables}) ORDER BY tableName, c.column_id`,
  );
  const indexes = await pool.request().query<Row>(
    `SELECT OBJECT_NAME(i.object_id) AS tableName, i.name, i.type_desc FROM sys.indexes AS i
     WHERE i.object_id IN (${tables}) AND i.name IS NOT NULL ORDER BY tableName, i.name`,
  );
  const checks = await pool.request().query<Row>(
    `SELECT OBJECT_NAME(parent_object_id) AS tableName, name FROM sys.check_constraints
     WHERE parent_object_id IN (${tables}) ORDER BY tableName, name`,
  );
  return {
    columns: plain(columns.recordset),
    indexes: plain(indexes.recordset),
    checks: plain(checks.recordset),
  };
}

/** Everything of the CRM the product must leave alone: every non-score column of every row of the three tables. */
async function crmContent(pool: sql.ConnectionPool): Promise<Row[][]> {
  return [
    plain(
      (await pool.request().query<Row>(`SELECT ${CRM_LEAD_COLUMNS} FROM crm.Leads ORDER BY Id`)).recordset,
    ),
    plain((await pool.request().query<Row>('SELECT * FROM crm.Tasks ORDER BY TaskId')).recordset),
    plain((await pool.request().query<Row>('SELECT * FROM crm.Meetings ORDER BY MeetingId')).recordset),
  ];
}

/** The product's objects in dbo (tables, views, functions, procedures, table types), by name. */
async function productObjects(pool: sql.ConnectionPool): Promise<string[]> {
  const r = await pool.request().query<{ name: string }>(
    `SELECT name FROM sys.objects WHERE schema_id = SCHEMA_ID(N'dbo') AND type IN ('U', 'V', 'IF', 'TF', 'FN', 'P')
       AND (name LIKE N'li[_]%' OR name LIKE N'lead[_]%' OR name LIKE N'v[_]lead[_]%')
     UNION ALL SELECT name FROM sys.types WHERE is_user_defined = 1 AND name LIKE N'Lead%'
     ORDER BY name`,
  );
  return r.recordset.map((o) => o.name);
}

suite('The worked mapping example against SQL Server', () => {
  const mapping: CrmMapping = exampleMapping();
  const embedded = tempStore(); // the guide's names, baseline included
  const generatedAt = Date.now();
  let admin: sql.ConnectionPool;
  let database: string;
  let db: sql.ConnectionPool; // sa, in the test database
  let cfg: MssqlConfig;
  let store: MssqlLeadStore;
  let original: { columns: Row[]; indexes: Row[]; checks: Row[] };
  let originalContent: Row[][];

  beforeAll(async () => {
    admin = await connectAdmin();
    database = await createDatabase(admin, 'leadintel_mapping');
    cfg = mssqlConfigFor(connectionStringFor(database));
    db = await new sql.ConnectionPool(connectionStringFor(database)).connect();

    generateCrm(embedded.store.connection, { ...SYNTHETIC, now: generatedAt });
    // a few lost leads are "Disqualified" (lost in both mappings), so both spellings of "lost" train the model
    embedded.store.connection
      .prepare(`UPDATE lead SET LeadStatus = 'Disqualified' WHERE LeadStatus = 'Lost' AND LeadId % 4 = 0`)
      .run();
    await seedExampleCrm(db, embedded.store.connection, generatedAt);
    original = await crmShape(db);
    originalContent = await crmContent(db);
  });

  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await db?.close();
    await embedded.cleanup();
    if (admin) {
      await dropDatabase(admin, database);
      await admin.close();
    }
  });

  it('refuses a mapping that does not match the CRM before changing anything (pre-flight check)', async () => {
    const wrong = parseCrmMapping(
      {
        lead: { table: 'crm.Leads', key: 'Id', columns: { LeadStatus: 'Status', Email: 'EmailAddress' } },
        followUps: null,
        visits: { table: 'crm.Visits' },
        statuses: { active: ['Open'] },
      },
      'a wrong mapping',
    );
    const error = await migrateMssql(cfg, { mapping: wrong }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CRM_SCHEMA_MISMATCH' });
    // nothing created: not even the bookkeeping table or the role
    const created = await db
      .request()
      .query<{ bookkeeping: number | null; role: number | null }>(
        `SELECT OBJECT_ID(N'dbo.schema_migrations') AS bookkeeping, DATABASE_PRINCIPAL_ID(N'lead_intel_app') AS role`,
      );
    expect(created.recordset[0]).toStrictEqual({ bookkeeping: null, role: null });
    expect(await productObjects(db)).toStrictEqual([]);
    expect(await crmShape(db)).toStrictEqual(original);
  });

  it('migrates the CRM with the example mapping and no baseline: 9 score columns, 1 snapshot table, one owner', async () => {
    const migrated = await migrateMssql(cfg, { mapping, verify: true });
    expect(migrated.applied).toStrictEqual(FORWARD);
    expect(migrated.skipped.map((s) => s.name)).toStrictEqual(['000_create_crm_baseline']);
    expect(migrated.verify).toStrictEqual({ scoreColumns: 9, snapshotTables: 1, brokenOwnership: [] });
    // the 11 GRANT lines of migrations/grants/lead_intel_app.sql (grep -c '^GRANT '), each on an object 001–006 created
    expect(migrated.grants).toBe(11);
    // the guide's CRM tables were not created
    const guide = await db
      .request()
      .query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM sys.tables WHERE schema_id = SCHEMA_ID(N'dbo') AND name IN (N'lead', N'FollowUps', N'Visit')`,
      );
    expect(guide.recordset[0]?.n).toBe(0);
    // crm.Leads gained exactly the nine score columns, after its own
    const now = await crmShape(db);
    const leadColumns = (shape: { columns: Row[] }) =>
      shape.columns.filter((c) => c.tableName === 'Leads').map((c) => c.name);
    expect(leadColumns(now)).toStrictEqual([
      ...leadColumns(original),
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
    store = await MssqlLeadStore.connect(cfg);
  });

  it('scores every active lead as the embedded store scores the guide-named copy, and trains on the renamed outcomes', async () => {
    const now = Date.now();
    const opts = {
      now,
      scoring: DEFAULT_SCORING_CONFIG,
      chunkSize: 200,
      trigger: 'cli' as const,
      log: quietLog,
      model: DEFAULT_MODEL_POLICY,
    };
    const server = await runScoringJob({ ...opts, store });
    const local = await runScoringJob({ ...opts, store: embedded.store });
    expect(server).toMatchObject({
      status: 'succeeded',
      leadsScored: SYNTHETIC.leads,
      rowsChanged: SYNTHETIC.leads,
      snapshotsWritten: SYNTHETIC.leads,
    });
    expect(local).toMatchObject({ status: 'succeeded', leadsScored: SYNTHETIC.leads });
    // every CRM status is in the status map: none counted as unknown
    expect(server.dataIssues).toStrictEqual(local.dataIssues);
    expect(server.dataIssues.unknownStatuses).toBe(0);
    expect(server.conversionSource).toBe(local.conversionSource);
    expect(server.conversionNote).toBe(local.conversionNote);

    const serverScores = (
      await db
        .request()
        .query<Row>(
          `SELECT Id AS LeadId, ${SCORE_VALUES} FROM crm.Leads WHERE HealthScore IS NOT NULL ORDER BY Id`,
        )
    ).recordset;
    const localScores = embedded.store.connection
      .prepare(`SELECT LeadId, ${SCORE_VALUES} FROM lead WHERE HealthScore IS NOT NULL ORDER BY LeadId`)
      .all() as Row[];
    expect(serverScores).toHaveLength(SYNTHETIC.leads);
    expect(localScores).toHaveLength(SYNTHETIC.leads);
    expect(differingLeads(serverScores, localScores).length).toBeLessThanOrEqual(2);

    // the training view read the CRM's outcomes through the status map: "Closed Won" won; "closed lost " (odd case,
    // trailing space) and "Disqualified" lost; "Merged" neither
    const outcomes = embedded.store.connection
      .prepare(
        `SELECT SUM(LeadStatus = 'Won') AS won, SUM(LeadStatus IN ('Lost', 'Disqualified')) AS lost FROM lead`,
      )
      .get() as { won: number; lost: number };
    expect(outcomes.won).toBeGreaterThan(0);
    expect(outcomes.lost).toBeGreaterThan(0);
    const serverModel = (
      await db
        .request()
        .query<{ Won: number; Lost: number; Published: boolean; HoldoutAuc: number | null }>(
          'SELECT Won, Lost, Published, HoldoutAuc FROM dbo.lead_scoring_models ORDER BY ModelId',
        )
    ).recordset;
    const localModel = embedded.store.connection
      .prepare('SELECT Won, Lost, Published, HoldoutAuc FROM lead_scoring_models ORDER BY ModelId')
      .all() as { Won: number; Lost: number; Published: number; HoldoutAuc: number | null }[];
    expect(serverModel).toHaveLength(1);
    expect(localModel).toHaveLength(1);
    expect(serverModel[0]).toMatchObject({ Won: outcomes.won, Lost: outcomes.lost });
    expect(localModel[0]).toMatchObject({ Won: outcomes.won, Lost: outcomes.lost });
    // same training rows on both engines → the same model (training reads no clock)
    expect(Boolean(serverModel[0]!.Published)).toBe(Boolean(localModel[0]!.Published));
    if (localModel[0]!.HoldoutAuc === null) expect(serverModel[0]!.HoldoutAuc).toBeNull();
    else expect(serverModel[0]!.HoldoutAuc).toBeCloseTo(localModel[0]!.HoldoutAuc, 9);
  });

  it('gives closed leads no scores: won, lost, disqualified and merged', async () => {
    const r = await db.request().query<{ scored: number; closedScored: number; merged: number }>(
      `SELECT
         SUM(CASE WHEN ScoresLastUpdated IS NOT NULL THEN 1 ELSE 0 END) AS scored,
         SUM(CASE WHEN Stage NOT IN (N'Open', N'Working', N'Qualified', N'Proposal')
                   AND (HealthScore IS NOT NULL OR ScoresLastUpdated IS NOT NULL) THEN 1 ELSE 0 END) AS closedScored,
         SUM(CASE WHEN Id = ${MERGED_LEAD_ID} AND Stage = N'Merged' THEN 1 ELSE 0 END) AS merged
       FROM crm.Leads`,
    );
    expect(r.recordset[0]).toStrictEqual({ scored: SYNTHETIC.leads, closedScored: 0, merged: 1 });
    const snapshots = await db.request().query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM dbo.lead_velocity_snapshots AS s INNER JOIN crm.Leads AS l ON l.Id = s.LeadId
         WHERE l.Stage NOT IN (N'Open', N'Working', N'Qualified', N'Proposal')`,
    );
    expect(snapshots.recordset[0]?.n).toBe(0);
  });

  it('changed no CRM column but the nine score columns (every row of crm.Leads, crm.Tasks, crm.Meetings)', async () => {
    expect(await crmContent(db)).toStrictEqual(originalContent);
  });

  it('serves the leads API with the CRM’s status spellings, matched trimmed and case-insensitively', async () => {
    const open = await db
      .request()
      .query<{ n: number }>(`SELECT COUNT(*) AS n FROM crm.Leads WHERE Stage = N'Open'`);
    const page = await store.queryLeads({ sort: 'priority', limit: 5, status: [' open'] });
    expect(open.recordset[0]?.n).toBeGreaterThan(0);
    expect(page.aggregates.count).toBe(open.recordset[0]?.n);
    expect(page.leads.every((l) => l.status === 'Open')).toBe(true);
  });

  it('verifies on a second migrate: nothing to apply, 9 / 1, the ownership chain holds', async () => {
    const again = await migrateMssql(cfg, { mapping, verify: true });
    expect(again.applied).toStrictEqual([]);
    expect(again.rerun).toStrictEqual([]);
    expect(again.verify).toStrictEqual({ scoreColumns: 9, snapshotTables: 1, brokenOwnership: [] });
  });

  describe('rollback order on the server', () => {
    it('refuses to roll back 003 while 004 is applied, and changes nothing', async () => {
      const before = await productObjects(db);
      const error = await migrateMssql(cfg, { mapping, rollback: '003' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ROLLBACK_REFUSED' });
      expect((error as Error).message).toMatch(/006, then 005, then 004/);
      expect(await productObjects(db)).toStrictEqual(before);
    });

    it('rolls back 006, 005, 004, 003, 002 and 001 in order, leaving the CRM exactly as it was', async () => {
      await store.close();
      // each step removes (at least) these objects of its own, and nothing that is not the product's
      const steps: [string, string[]][] = [
        ['006', []], // adds a column to lead_velocity_snapshots: no object of its own
        ['005', []], // alters lead_scoring_runs: no object of its own
        ['004', ['lead_scoring_models']],
        ['003', ['lead_scoring_runs', 'LeadIdList', 'LeadScoreRow', 'LeadSnapshotRow']],
        ['002', ['lead_status_map', 'li_follow_ups', 'li_leads', 'li_visits']],
        ['001', ['lead_velocity_snapshots']],
      ];
      let before = await productObjects(db);
      for (const [version, objects] of steps) {
        for (const o of objects) expect(before).toContain(o);
        const r = await migrateMssql(cfg, { mapping, rollback: version });
        expect(r.rolledBack).toBe(FORWARD.find((f) => f.startsWith(version)));
        const left = await productObjects(db);
        for (const o of objects) expect(left).not.toContain(o);
        if (objects.length > 0) expect(left.length).toBeLessThan(before.length);
        else expect(left).toStrictEqual(before);
        before = left;
      }
      expect(await productObjects(db)).toStrictEqual([]);
      expect(await crmShape(db)).toStrictEqual(original);
      expect(await crmContent(db)).toStrictEqual(originalContent);
      const recorded = await db
        .request()
        .query<{ n: number }>('SELECT COUNT(*) AS n FROM dbo.schema_migrations');
      expect(recorded.recordset[0]?.n).toBe(0);
      // the role stays (it may have members; dropping it is the DBA's call, 002's rollback says)
      const role = await db
        .request()
        .query<{ id: number | null }>(`SELECT DATABASE_PRINCIPAL_ID(N'lead_intel_app') AS id`);
      expect(role.recordset[0]?.id).not.toBeNull();
    });

    it('migrating again restores everything, and a scoring pass works', async () => {
      const migrated = await migrateMssql(cfg, { mapping, verify: true });
      expect(migrated.applied).toStrictEqual(FORWARD);
      expect(migrated.verify).toStrictEqual({ scoreColumns: 9, snapshotTables: 1, brokenOwnership: [] });
      store = await MssqlLeadStore.connect(cfg);
      const summary = await runScoringJob({
        store,
        now: Date.now(),
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 200,
        trigger: 'cli',
        log: quietLog,
      });
      expect(summary).toMatchObject({
        status: 'succeeded',
        leadsScored: SYNTHETIC.leads,
        rowsChanged: SYNTHETIC.leads,
      });
      expect(await crmContent(db)).toStrictEqual(originalContent);
    });
  });
});
