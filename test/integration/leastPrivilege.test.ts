/**
 * Least privilege on a real SQL Server: the function app's identity is ONLY a member of the role lead_intel_app
 * (what infra/sql/grant-function-identity.sql does for the Entra identity; a SQL login stands in here, since a
 * container has no Entra ID), and the rights of that role (migrations/grants/lead_intel_app.sql, run by migrate)
 * must be enough for everything the app does, and refuse everything else.
 *
 * Refusals are SQL Server's permission errors: 229 "The %ls permission was denied on the object …" and 230 "The %ls
 * permission was denied on the column … of the object …" (https://codewithsql.com/errors/229; Microsoft's
 * column-level security page shows 230: https://learn.microsoft.com/azure/synapse-analytics/sql-data-warehouse/column-level-security).
 */
import { randomBytes } from 'node:crypto';
import sql from 'mssql';
import type { MssqlConfig } from '../../src/config/loadConfig';
import { DEFAULT_MODEL_POLICY, runScoringJob } from '../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import { migrateMssql } from '../../src/store/mssql/migrateMssql';
import { MssqlLeadStore } from '../../src/store/mssql/mssqlLeadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';
import {
  connectAdmin,
  connectionStringFor,
  createDatabase,
  CRM_LEAD_COLUMNS,
  dropDatabase,
  exampleMapping,
  mssqlConfigFor,
  quietLog,
  seedExampleCrm,
  serverSuite,
  sqlErrorNumber,
  SYNTHETIC,
  type Row,
} from './serverHarness';

const suite = serverSuite('least privilege of the app role');

const PERMISSION_DENIED = [229, 230];

suite('The app role lead_intel_app against SQL Server', () => {
  const mapping = exampleMapping();
  const source = tempStore(); // the synthetic CRM is generated here, then copied under the example CRM's names
  const login = `li_app_${process.pid}_${Date.now()}`;
  // a throwaway login of a throwaway database; meets the password policy (upper, lower, digit, symbol)
  const password = `Li-${randomBytes(12).toString('hex')}-Aa1`;
  let admin: sql.ConnectionPool;
  let database: string;
  let db: sql.ConnectionPool; // sa, in the test database
  let appCfg: MssqlConfig;
  let app: MssqlLeadStore;
  let leadsBefore: Row[];
  let fullRun: number | null = null;

  beforeAll(async () => {
    admin = await connectAdmin();
    database = await createDatabase(admin, 'leadintel_privilege');
    const now = Date.now();
    generateCrm(source.store.connection, { ...SYNTHETIC, now });
    db = await new sql.ConnectionPool(connectionStringFor(database)).connect();
    await seedExampleCrm(db, source.store.connection, now);
    await migrateMssql(mssqlConfigFor(connectionStringFor(database)), { mapping });

    // The identity: a login, its user in the CRM database, a member of lead_intel_app and of nothing else; no right
    // of its own (as grant-function-identity.sql does with CREATE USER … FROM EXTERNAL PROVIDER).
    await admin
      .request()
      .batch(`CREATE LOGIN [${login}] WITH PASSWORD = N'${password}', CHECK_POLICY = OFF;`);
    await db
      .request()
      .batch(`CREATE USER [${login}] FOR LOGIN [${login}]; ALTER ROLE lead_intel_app ADD MEMBER [${login}];`);
    // an old snapshot row, so the retention purge of a full run has something to delete
    await db.request().batch(
      `INSERT INTO dbo.lead_velocity_snapshots (LeadId, SnapshotDate, HealthScore, VelocityScore, Activity7d, Activity30d, CompletedFollowUps7d, Visits7d)
         VALUES (1, DATEADD(DAY, -400, CAST(SYSUTCDATETIME() AS DATE)), 50, 50, 0, 0, 0, 0);`,
    );
    leadsBefore = (
      await db.request().query<Row>(`SELECT ${CRM_LEAD_COLUMNS} FROM crm.Leads ORDER BY Id`)
    ).recordset.map((r) => ({ ...r }));

    appCfg = mssqlConfigFor(connectionStringFor(database, { user: login, password }));
    app = await MssqlLeadStore.connect(appCfg);
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await db?.close();
    await source.cleanup();
    if (admin) {
      await dropDatabase(admin, database);
      await admin
        .request()
        .batch(
          `DECLARE @kill NVARCHAR(MAX) = N'';
           SELECT @kill += N'KILL ' + CAST(session_id AS NVARCHAR(10)) + N';' FROM sys.dm_exec_sessions WHERE login_name = N'${login}';
           EXEC (@kill);
           IF SUSER_ID(N'${login}') IS NOT NULL DROP LOGIN [${login}];`,
        )
        .catch(() => undefined);
      await admin.close();
    }
  });

  it('signs in as a user that is a member of lead_intel_app only, with no right of its own', async () => {
    const roles = await db.request().query<{ role: string }>(
      `SELECT r.name AS role FROM sys.database_role_members AS m
       INNER JOIN sys.database_principals AS r ON r.principal_id = m.role_principal_id
       WHERE m.member_principal_id = DATABASE_PRINCIPAL_ID(N'${login}')`,
    );
    expect(roles.recordset.map((r) => r.role)).toStrictEqual(['lead_intel_app']);
    const own = await db
      .request()
      .query<{ permission: string }>(
        `SELECT permission_name AS permission FROM sys.database_permissions WHERE grantee_principal_id = DATABASE_PRINCIPAL_ID(N'${login}')`,
      );
    expect(own.recordset.map((p) => p.permission)).toStrictEqual(['CONNECT']);
    const me = await app.connectionPool
      .request()
      .query<{ name: string; sysadmin: number; owner: number }>(
        `SELECT USER_NAME() AS name, IS_SRVROLEMEMBER('sysadmin') AS sysadmin, IS_ROLEMEMBER('db_owner') AS owner`,
      );
    expect(me.recordset[0]).toStrictEqual({ name: login, sysadmin: 0, owner: 0 });
  });

  it('runs a full scoring pass: run lock, run history, training, scores, snapshots, retention purge', async () => {
    const summary = await runScoringJob({
      store: app,
      now: Date.now(),
      scoring: DEFAULT_SCORING_CONFIG,
      chunkSize: 200,
      trigger: 'timer',
      log: quietLog,
      model: DEFAULT_MODEL_POLICY,
    });
    expect(summary).toMatchObject({
      status: 'succeeded',
      leadsScored: SYNTHETIC.leads,
      rowsChanged: SYNTHETIC.leads,
      snapshotsWritten: SYNTHETIC.leads,
    });
    fullRun = summary.runId;
    const check = await db
      .request()
      .query<{ scored: number; models: number; snapshots: number; old: number }>(
        `SELECT
         (SELECT COUNT(*) FROM crm.Leads WHERE ScoresLastUpdated IS NOT NULL) AS scored,
         (SELECT COUNT(*) FROM dbo.lead_scoring_models) AS models,
         (SELECT COUNT(*) FROM dbo.lead_velocity_snapshots WHERE SnapshotDate = CAST(SYSUTCDATETIME() AS DATE)) AS snapshots,
         (SELECT COUNT(*) FROM dbo.lead_velocity_snapshots WHERE SnapshotDate < DATEADD(DAY, -300, CAST(SYSUTCDATETIME() AS DATE))) AS old`,
      );
    expect(check.recordset[0]).toStrictEqual({
      scored: SYNTHETIC.leads,
      models: 1,
      snapshots: SYNTHETIC.leads,
      old: 0,
    });
  });

  it('reruns a subset through the LeadIdList table-valued parameter', async () => {
    const summary = await runScoringJob({
      store: app,
      now: Date.now(),
      leadIds: [1, 2, 3, 999_999],
      scoring: DEFAULT_SCORING_CONFIG,
      chunkSize: 200,
      trigger: 'http',
      log: quietLog,
      model: DEFAULT_MODEL_POLICY,
    });
    expect(summary).toMatchObject({ status: 'succeeded', leadsScored: 3 });
  });

  it('serves the leads API (filters, status map, keyset paging) and the run history', async () => {
    const seen = new Set<number>();
    let after;
    do {
      const page = await app.queryLeads({ sort: 'health', limit: 150, after });
      page.leads.forEach((l) => seen.add(l.leadId));
      after = page.next ?? undefined;
    } while (after);
    expect(seen.size).toBe(SYNTHETIC.leads);
    const filtered = await app.queryLeads({
      sort: 'priority',
      limit: 10,
      status: ['Open', 'working'],
      churnRisk: ['low', 'medium', 'high', 'critical'],
      minPriority: 0,
      updatedSince: 0,
    });
    expect(filtered.aggregates.count).toBeGreaterThan(0);
    expect(filtered.leads.every((l) => l.status === 'Open' || l.status === 'Working')).toBe(true);

    const runs = await app.listRuns(10);
    expect(runs.map((r) => r.status)).toStrictEqual(['succeeded', 'succeeded']);
    expect(fullRun).not.toBeNull();
    await expect(app.getRun(fullRun!)).resolves.toMatchObject({ runId: fullRun, status: 'succeeded' });
  });

  // Each statement as the app's login; each must be refused with a permission error, and change nothing.
  const refused: [string, string][] = [
    ['reads a CRM table directly', 'SELECT TOP (1) Id FROM crm.Leads;'],
    ['reads the CRM’s follow-ups directly', 'SELECT TOP (1) TaskId FROM crm.Tasks;'],
    [
      'updates FirstName through the mapping view',
      `UPDATE dbo.li_leads SET FirstName = N'Mallory' WHERE LeadId = 1;`,
    ],
    [
      'updates the status through the mapping view',
      `UPDATE dbo.li_leads SET LeadStatus = N'Closed Won' WHERE LeadId = 1;`,
    ],
    ['updates a CRM column of the table itself', 'UPDATE crm.Leads SET Score = 0 WHERE Id = 1;'],
    ['updates a score column of the table itself', 'UPDATE crm.Leads SET HealthScore = 0 WHERE Id = 1;'],
    ['deletes through the mapping view', 'DELETE FROM dbo.li_leads WHERE LeadId = 1;'],
    [
      'inserts through the mapping view',
      `INSERT INTO dbo.li_leads (LeadId, LeadStatus) VALUES (424242, N'Open');`,
    ],
    ['changes the status map', `UPDATE dbo.lead_status_map SET Category = 'won';`],
    ['reads the migration bookkeeping', 'SELECT * FROM dbo.schema_migrations;'],
    ['deletes trained models', 'DELETE FROM dbo.lead_scoring_models;'],
    ['deletes run history', 'DELETE FROM dbo.lead_scoring_runs;'],
  ];
  it.each(refused)('is refused when it %s', async (_what, statement) => {
    const n = await sqlErrorNumber(app.connectionPool.request().query(statement));
    expect(PERMISSION_DENIED).toContain(n);
  });

  it('left the CRM’s own columns as they were (the refused statements changed nothing)', async () => {
    const leads = (
      await db.request().query<Row>(`SELECT ${CRM_LEAD_COLUMNS} FROM crm.Leads ORDER BY Id`)
    ).recordset.map((r) => ({ ...r }));
    expect(leads).toStrictEqual(leadsBefore);
    const map = await db
      .request()
      .query<{ n: number }>(`SELECT COUNT(*) AS n FROM dbo.lead_status_map WHERE Category = 'won'`);
    expect(map.recordset[0]?.n).toBe(1);
  });
});
