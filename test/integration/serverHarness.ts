/**
 * Shared set-up of the SQL Server integration suites (npm run test:mssql): the server given by
 * MSSQL_TEST_CONNECTION_STRING (sa, or another member of sysadmin: the suites create databases and logins), throwaway
 * databases, bulk copies of the synthetic CRM, and the CRM of the worked mapping example
 * (examples/crm-mapping.example.json) under its own names. Not a test file: jest runs `*.test.ts` only.
 */
import type { Database } from 'better-sqlite3';
import sql from 'mssql';
import { join } from 'node:path';
import { loadConfig, type MssqlConfig } from '../../src/config/loadConfig';
import type { JobLogger } from '../../src/job';
import { loadCrmMapping, type CrmMapping } from '../../src/mapping';

export const connectionString = process.env.MSSQL_TEST_CONNECTION_STRING;

/**
 * `describe` when a server is configured, else `describe.skip` with a visible message (CI greps for "SKIPPED": a
 * misconfigured service must not pass as a green, empty run).
 */
export function serverSuite(suiteName: string): jest.Describe {
  if (!connectionString) {
    console.warn(
      `Azure SQL integration suite SKIPPED (${suiteName}): set MSSQL_TEST_CONNECTION_STRING (see docker-compose.yml and docs/azure-sql.md)`,
    );
    return describe.skip;
  }
  return describe;
}

export const quietLog: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The worked example of the docs, loaded as `lead-intel migrate` loads LEAD_INTEL_MAPPING. */
export function exampleMapping(): CrmMapping {
  return loadCrmMapping(join(__dirname, '..', '..', 'examples', 'crm-mapping.example.json'));
}

/** The test server's connection string, pointed at `database`, optionally signed in as another SQL login. */
export function connectionStringFor(database: string, login?: { user: string; password: string }): string {
  let s = connectionString!.replace(/;?\s*(Database|Initial Catalog)\s*=[^;]*/gi, '');
  if (login)
    s = `${s.replace(/;?\s*(User Id|UserID|UID|User|Password|PWD)\s*=[^;]*/gi, '')};User Id=${login.user};Password=${login.password}`;
  return `${s.replace(/;+\s*$/, '')};Database=${database}`;
}

/** The store configuration the function app would load for a connection string (several TVP batches per chunk). */
export function mssqlConfigFor(connection: string): MssqlConfig {
  const c = loadConfig({
    LEAD_INTEL_STORE: 'mssql',
    MSSQL_AUTH: 'connection-string',
    MSSQL_CONNECTION_STRING: connection,
    MSSQL_WRITE_BATCH: '150',
  });
  if (c.store.kind !== 'mssql') throw new Error('expected an mssql store configuration');
  return c.store;
}

export async function connectAdmin(): Promise<sql.ConnectionPool> {
  return new sql.ConnectionPool(connectionString!).connect();
}

/** A fresh, uniquely named database (several suites run in parallel against one server). */
export async function createDatabase(admin: sql.ConnectionPool, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await admin.request().batch(`CREATE DATABASE [${name}];`);
  return name;
}

export async function dropDatabase(admin: sql.ConnectionPool, name: string): Promise<void> {
  await admin
    .request()
    .batch(
      `IF DB_ID(N'${name}') IS NOT NULL BEGIN ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${name}]; END;`,
    )
    .catch(() => undefined);
}

export type Row = Record<string, unknown>;

export interface CopyColumn {
  readonly name: string;
  readonly type: sql.ISqlType | (() => sql.ISqlType);
  readonly value: (row: Row) => unknown;
}

/** Epoch ms (how the embedded store keeps dates) → Date, for a DATETIME2 parameter. */
export const toDate = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as number);

/**
 * Inserts rows with real parameters (sp_executesql), as many per statement as stay under SQL Server's 2,100
 * parameters per request and 1,000 rows per VALUES list.
 */
export async function insertRows(
  pool: sql.ConnectionPool,
  table: string,
  columns: readonly CopyColumn[],
  rows: readonly Row[],
  options: { identityInsert?: boolean } = {},
): Promise<void> {
  const perStatement = Math.min(1000, Math.floor(2000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const req = pool.request();
    const values = rows.slice(i, i + perStatement).map(
      (r, k) =>
        `(${columns
          .map((c, j) => {
            req.input(`p${k}_${j}`, c.type, c.value(r));
            return `@p${k}_${j}`;
          })
          .join(', ')})`,
    );
    const insert = `INSERT INTO ${table} (${columns.map((c) => `[${c.name}]`).join(', ')}) VALUES ${values.join(', ')};`;
    // IDENTITY_INSERT set inside the sp_executesql batch applies to the INSERT of that batch
    await req.query(
      options.identityInsert
        ? `SET IDENTITY_INSERT ${table} ON; ${insert} SET IDENTITY_INSERT ${table} OFF;`
        : insert,
    );
  }
}

/** The synthetic CRM of the mapping and least-privilege suites: enough closed leads (300) to train a model. */
export const SYNTHETIC = { leads: 500, closedLeads: 300, seed: 11 } as const;

/** The guide's lead statuses as the example CRM spells them (a lost lead with odd case and a trailing space). */
const CRM_STAGE: Readonly<Record<string, string>> = {
  New: 'Open',
  Contacted: 'Working',
  Qualified: 'Qualified',
  Negotiation: 'Proposal',
  Won: 'Closed Won',
  Lost: 'closed lost ',
  Disqualified: 'Disqualified',
};
const CRM_TASK_STATE: Readonly<Record<string, string>> = { Pending: 'Open', Completed: 'Done' };

export function crmStage(guideStatus: unknown): string {
  const s = CRM_STAGE[guideStatus as string];
  if (s === undefined) throw new Error(`the example CRM has no stage for ${String(guideStatus)}`);
  return s;
}
/** Follow-up states: Pending → Open, Completed → Done, anything else (Cancelled) as it is. */
export const crmTaskState = (guideStatus: unknown): string =>
  CRM_TASK_STATE[guideStatus as string] ?? (guideStatus as string);

/** A lead of the example CRM only (not in the guide-named copy): closed as a duplicate, never scored or trained on. */
export const MERGED_LEAD_ID = 1_000_000;

/**
 * The example CRM: crm.Leads / crm.Tasks / crm.Meetings with the mapping's column names, plus columns of the CRM's
 * own that Lead Intelligence must never touch (its own Score, Notes, ModifiedOn, a task's Subject, a meeting's
 * Outcome). Owned by dbo (CREATE SCHEMA … AUTHORIZATION dbo), like the mapping views, so the ownership chain holds.
 */
const CRM_SCHEMA = [
  'CREATE SCHEMA crm AUTHORIZATION dbo;',
  `CREATE TABLE crm.Leads (
    Id             INT            NOT NULL CONSTRAINT PK_crm_Leads PRIMARY KEY CLUSTERED,
    GivenName      NVARCHAR(100)  NULL,
    FamilyName     NVARCHAR(100)  NULL,
    AccountName    NVARCHAR(200)  NULL,
    Email          NVARCHAR(256)  NULL,
    Stage          NVARCHAR(40)   NOT NULL,
    Source         NVARCHAR(50)   NULL,
    Amount         DECIMAL(18, 2) NULL,
    OwnerId        INT            NULL,
    CreatedOn      DATETIME2(3)   NOT NULL,
    StageChangedOn DATETIME2(3)   NULL,
    LastTouchOn    DATETIME2(3)   NULL,
    ClosedOn       DATETIME2(3)   NULL,
    Industry       NVARCHAR(60)   NULL,
    Score          INT            NULL,
    Notes          NVARCHAR(MAX)  NULL,
    ModifiedOn     DATETIME2(3)   NULL
);
CREATE TABLE crm.Tasks (
    TaskId    INT           NOT NULL CONSTRAINT PK_crm_Tasks PRIMARY KEY CLUSTERED,
    LeadRef   INT           NOT NULL,
    Subject   NVARCHAR(200) NULL,
    DueOn     DATETIME2(3)  NULL,
    State     NVARCHAR(20)  NOT NULL,
    DoneOn    DATETIME2(3)  NULL,
    CreatedOn DATETIME2(3)  NOT NULL
);
CREATE TABLE crm.Meetings (
    MeetingId INT          NOT NULL CONSTRAINT PK_crm_Meetings PRIMARY KEY CLUSTERED,
    LeadRef   INT          NOT NULL,
    HeldOn    DATETIME2(3) NOT NULL,
    Outcome   NVARCHAR(50) NULL
);`,
];

/** Every column of crm.Leads but the nine score columns: what the product must never change. */
export const CRM_LEAD_COLUMNS =
  'Id, GivenName, FamilyName, AccountName, Email, Stage, Source, Amount, OwnerId, CreatedOn, StageChangedOn, LastTouchOn, ClosedOn, Industry, Score, Notes, ModifiedOn';

const INDUSTRIES = ['Software', 'Retail', 'Manufacturing'];

/**
 * Creates the example CRM in the database of `pool` and fills it from the embedded store's synthetic CRM (the
 * guide's names), renaming statuses as the example CRM spells them. Industry (a mapping "extra") is constant on
 * closed leads, so the model (trained on closed leads only) drops it and stays comparable with the guide-named copy,
 * which has no such column. Adds one lead of its own, MERGED_LEAD_ID, closed as "Merged".
 */
export async function seedExampleCrm(pool: sql.ConnectionPool, db: Database, now: number): Promise<void> {
  for (const batch of CRM_SCHEMA) await pool.request().batch(batch);
  const leads = db.prepare('SELECT * FROM lead ORDER BY LeadId').all() as Row[];
  const id = (r: Row): number => r.LeadId as number;
  leads.push({
    LeadId: MERGED_LEAD_ID,
    FirstName: 'Dup',
    LastName: 'Licate',
    Company: 'Duplicate Ltd',
    Email: 'dup@example.com',
    LeadStatus: null,
    LeadSource: 'web',
    EstimatedValue: 1000,
    OwnerUserId: 1,
    CreatedDate: now - 100 * 86_400_000,
    StatusChangedDate: now - 10 * 86_400_000,
    LastContactDate: now - 12 * 86_400_000,
    ClosedDate: now - 10 * 86_400_000,
    ModifiedDate: now - 10 * 86_400_000,
  });
  await insertRows(
    pool,
    'crm.Leads',
    [
      { name: 'Id', type: sql.Int, value: id },
      { name: 'GivenName', type: sql.NVarChar(100), value: (r) => r.FirstName },
      { name: 'FamilyName', type: sql.NVarChar(100), value: (r) => r.LastName },
      { name: 'AccountName', type: sql.NVarChar(200), value: (r) => r.Company },
      { name: 'Email', type: sql.NVarChar(256), value: (r) => r.Email },
      {
        name: 'Stage',
        type: sql.NVarChar(40),
        value: (r) => (id(r) === MERGED_LEAD_ID ? 'Merged' : crmStage(r.LeadStatus)),
      },
      { name: 'Source', type: sql.NVarChar(50), value: (r) => r.LeadSource },
      { name: 'Amount', type: sql.Decimal(18, 2), value: (r) => r.EstimatedValue },
      { name: 'OwnerId', type: sql.Int, value: (r) => r.OwnerUserId },
      { name: 'CreatedOn', type: sql.DateTime2(3), value: (r) => toDate(r.CreatedDate) },
      { name: 'StageChangedOn', type: sql.DateTime2(3), value: (r) => toDate(r.StatusChangedDate) },
      { name: 'LastTouchOn', type: sql.DateTime2(3), value: (r) => toDate(r.LastContactDate) },
      { name: 'ClosedOn', type: sql.DateTime2(3), value: (r) => toDate(r.ClosedDate) },
      {
        name: 'Industry',
        type: sql.NVarChar(60),
        value: (r) => (r.ClosedDate === null ? INDUSTRIES[id(r) % INDUSTRIES.length] : 'Software'),
      },
      { name: 'Score', type: sql.Int, value: (r) => id(r) % 97 },
      { name: 'Notes', type: sql.NVarChar(sql.MAX), value: (r) => `CRM note of lead ${id(r)}` },
      { name: 'ModifiedOn', type: sql.DateTime2(3), value: (r) => toDate(r.ModifiedDate) },
    ],
    leads,
  );
  const tasks = db.prepare('SELECT * FROM FollowUps ORDER BY FollowUpId').all() as Row[];
  tasks.push({
    FollowUpId: MERGED_LEAD_ID,
    LeadId: MERGED_LEAD_ID,
    DueDate: now - 20 * 86_400_000,
    Status: 'Pending',
    CompletedDate: null,
    CreatedDate: now - 30 * 86_400_000,
  });
  await insertRows(
    pool,
    'crm.Tasks',
    [
      { name: 'TaskId', type: sql.Int, value: (r) => r.FollowUpId },
      { name: 'LeadRef', type: sql.Int, value: (r) => r.LeadId },
      { name: 'Subject', type: sql.NVarChar(200), value: (r) => `Call back #${r.FollowUpId as number}` },
      { name: 'DueOn', type: sql.DateTime2(3), value: (r) => toDate(r.DueDate) },
      { name: 'State', type: sql.NVarChar(20), value: (r) => crmTaskState(r.Status) },
      { name: 'DoneOn', type: sql.DateTime2(3), value: (r) => toDate(r.CompletedDate) },
      { name: 'CreatedOn', type: sql.DateTime2(3), value: (r) => toDate(r.CreatedDate) },
    ],
    tasks,
  );
  await insertRows(
    pool,
    'crm.Meetings',
    [
      { name: 'MeetingId', type: sql.Int, value: (r) => r.VisitId },
      { name: 'LeadRef', type: sql.Int, value: (r) => r.LeadId },
      { name: 'HeldOn', type: sql.DateTime2(3), value: (r) => toDate(r.VisitDate) },
      { name: 'Outcome', type: sql.NVarChar(50), value: (r) => r.Outcome },
    ],
    db.prepare('SELECT * FROM Visit ORDER BY VisitId').all() as Row[],
  );
}

/** The nine score values of a lead, comparable between the engines (DECIMAL as FLOAT on both). */
export const SCORE_VALUES =
  'HealthScore, VelocityScore, AIPriority, CAST(ConversionProbability AS FLOAT) AS ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays, RecommendationJson';

/**
 * Leads whose scores differ between two result sets keyed by LeadId (missing on either side counts as differing).
 * The server's views use its own clock (SYSUTCDATETIME), the embedded store's the run's `now`: a lead with an
 * event right at a 7- or 30-day window edge may legitimately differ by the seconds between the two.
 */
export function differingLeads(server: readonly Row[], local: readonly Row[]): number[] {
  const byId = new Map(local.map((r) => [r.LeadId as number, JSON.stringify(r)]));
  const ids = new Set([...server.map((r) => r.LeadId as number), ...byId.keys()]);
  const serverById = new Map(server.map((r) => [r.LeadId as number, JSON.stringify(r)]));
  return [...ids].filter((i) => serverById.get(i) !== byId.get(i)).sort((a, b) => a - b);
}

/** The SQL error number of a rejected request (undefined when it succeeded). */
export async function sqlErrorNumber(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
    return undefined;
  } catch (e) {
    const err = e as { number?: unknown; originalError?: { info?: { number?: unknown } } };
    const n = err.number ?? err.originalError?.info?.number;
    return typeof n === 'number' ? n : -1;
  }
}
