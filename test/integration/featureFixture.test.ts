import sql from 'mssql';
import { migrateMssql } from '../../src/store/mssql/migrateMssql';
import {
  AS_OF,
  FIXTURE_FEATURES,
  FIXTURE_FOLLOW_UPS,
  FIXTURE_LEAD,
  FIXTURE_VISITS,
} from '../fixtures/featureFixture';
import {
  connectAdmin,
  connectionStringFor,
  createDatabase,
  dropDatabase,
  mssqlConfigFor,
  serverSuite,
} from './serverHarness';

/**
 * The T-SQL side of test/job/recurringPass.test.ts's fixture: dbo.li_scoring_input(@AsOf) must produce exactly the
 * hand-worked features the embedded store produces at the same instant (both engines, one answer).
 */
serverSuite('feature fixture')('the feature aggregation as of an instant (Azure SQL)', () => {
  let admin: sql.ConnectionPool;
  let db: sql.ConnectionPool;
  let name: string;

  beforeAll(async () => {
    admin = await connectAdmin();
    name = await createDatabase(admin, 'li_fixture');
    await migrateMssql(mssqlConfigFor(connectionStringFor(name)), { withBaseline: true });
    db = await new sql.ConnectionPool(connectionStringFor(name)).connect();
    await db
      .request()
      .input('status', sql.NVarChar(50), FIXTURE_LEAD.LeadStatus)
      .input('created', sql.DateTime2(3), new Date(FIXTURE_LEAD.CreatedDate))
      .input('contact', sql.DateTime2(3), new Date(FIXTURE_LEAD.LastContactDate))
      .query(
        `SET IDENTITY_INSERT dbo.lead ON;
         INSERT INTO dbo.lead (LeadId, LeadStatus, CreatedDate, LastContactDate) VALUES (1, @status, @created, @contact);
         SET IDENTITY_INSERT dbo.lead OFF;`,
      );
    const date = (v: number | null): Date | null => (v === null ? null : new Date(v));
    for (const [due, status, completed, created] of FIXTURE_FOLLOW_UPS)
      await db
        .request()
        .input('due', sql.DateTime2(3), date(due))
        .input('status', sql.NVarChar(20), status)
        .input('completed', sql.DateTime2(3), date(completed))
        .input('created', sql.DateTime2(3), date(created))
        .query(
          `INSERT INTO dbo.FollowUps (LeadId, DueDate, Status, CompletedDate, CreatedDate) VALUES (1, @due, @status, @completed, @created);`,
        );
    for (const v of FIXTURE_VISITS)
      await db
        .request()
        .input('v', sql.DateTime2(3), new Date(v))
        .query(`INSERT INTO dbo.Visit (LeadId, VisitDate) VALUES (1, @v);`);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    if (admin) {
      await dropDatabase(admin, name);
      await admin.close();
    }
  });

  it('produces the hand-worked features of the fixture lead at the same instant', async () => {
    const r = await db
      .request()
      .input('asOf', sql.DateTime2(3), new Date(AS_OF))
      .query<Record<string, Date | number | null>>(
        `SELECT * FROM dbo.li_scoring_input(@asOf) WHERE LeadId = 1;`,
      );
    const row = r.recordset[0]!;
    const ms = (v: Date | number | null | undefined): number | null =>
      v instanceof Date ? v.getTime() : (v as number | null);
    expect({
      LastContactDate: ms(row.LastContactDate),
      LastFollowUpCompletedDate: ms(row.LastFollowUpCompletedDate),
      LastVisitDate: ms(row.LastVisitDate),
      NextFollowUpDueDate: ms(row.NextFollowUpDueDate),
      PendingFollowUps: row.PendingFollowUps,
      OverdueFollowUps: row.OverdueFollowUps,
      CompletedFollowUps: row.CompletedFollowUps,
      CompletedFollowUps7d: row.CompletedFollowUps7d,
      CompletedFollowUps30d: row.CompletedFollowUps30d,
      Visits: row.Visits,
      Visits7d: row.Visits7d,
      Visits30d: row.Visits30d,
    }).toStrictEqual(FIXTURE_FEATURES);
  });
});
