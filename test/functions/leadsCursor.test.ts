import { HttpRequest } from '@azure/functions';
import { loadConfig } from '../../src/config/loadConfig';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import type { AppDeps } from '../../src/functions/shared/appContext';
import * as Q from '../../src/store/mssql/statements';
import type { LeadsStatementShape } from '../../src/store/mssql/statements';
import { tempStore } from '../helpers/tempStore';

/** A leads query shape with no filter, no cursor and no list values, except `over`. */
const shape = (
  over: Partial<LeadsStatementShape> & Pick<LeadsStatementShape, 'sortColumn' | 'desc'>,
): LeadsStatementShape => ({
  churnRisk: 0,
  followUpStatus: 0,
  status: 0,
  minPriority: false,
  bandRanges: 0,
  maxHealth: false,
  updatedSince: false,
  owner: false,
  search: false,
  after: false,
  ...over,
});

const cursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
const page = (next: string) =>
  new HttpRequest({ method: 'GET', url: `http://localhost/api/leads?next=${next}` });

describe('leadsHttp keyset cursor', () => {
  const t = tempStore();
  const deps = (): AppDeps => ({ config: loadConfig({}), store: t.store });
  const leads = createLeadsHttp(deps);
  afterAll(() => t.cleanup());

  it.each([
    ['an AIPriority past 100', { sort: 'priority', value: 300, leadId: 1 }],
    ['a fractional health score', { sort: 'health', value: 50.5, leadId: 1 }],
    ['negative overdue days', { sort: 'overdue', value: -1, leadId: 1 }],
    ['a conversion past 100 %', { sort: 'conversion', value: 100.01, leadId: 1 }],
    ['a lead id past INT', { sort: 'priority', value: 50, leadId: 2_147_483_648 }],
  ])('refuses a cursor with %s (400, never a database error)', async (_what, c) => {
    const one = await leads(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/leads?search=a' }),
      undefined,
    );
    expect(one.status).toBe(400); // one character would scan for almost everything
    const r = await leads(page(cursor(c)), undefined);
    expect(r.status).toBe(400);
  });

  it('accepts a cursor whose value its column can hold', async () => {
    const r = await leads(page(cursor({ sort: 'conversion', value: 12.34, leadId: 7 })), undefined);
    expect(r.status).toBe(200);
  });
});

describe('queryLeadsStatement keyset continuation', () => {
  it('leads with a plain range on the sort column, so the sort index can seek to the cursor', () => {
    const text = Q.queryLeadsStatement(shape({ after: true, sortColumn: 'HealthScore', desc: false }));
    expect(text).toContain(
      'AND l.HealthScore >= @afterValue AND (l.HealthScore > @afterValue OR (l.HealthScore = @afterValue AND l.LeadId > @afterId))',
    );
  });
});

describe('leadsHttp owner and search filters (embedded store)', () => {
  const t = tempStore();
  const db = t.store.connection;
  const insert = db.prepare(
    `INSERT INTO lead (LeadId, FirstName, LastName, Company, LeadStatus, LeadSource, OwnerUserId, CreatedDate,
       HealthScore, VelocityScore, AIPriority, ConversionProbability, ChurnRisk, FollowUpStatus, OverdueDays,
       RecommendationJson, ScoresLastUpdated)
     VALUES (?, ?, ?, ?, 'New', 'Website', ?, 0, 50, 50, ?, 10, 'low', 'none', 0, '{}', 0)`,
  );
  // four scored leads; names chosen so that each search below matches a known, hand-listed set
  insert.run(1, 'Ava', 'Garcia', 'Garcia Inc', 7, 90);
  insert.run(2, 'Ben', 'Novak', '100%_Pure Ltd', 7, 80);
  insert.run(3, 'Ines', 'Smith', 'Smith GmbH', 8, 70);
  insert.run(4, 'Ava', 'Smith', 'Acme', 8, 60);
  const leads = createLeadsHttp(() => ({ config: loadConfig({}), store: t.store }));
  afterAll(() => t.cleanup());
  const ids = async (query: string) => {
    const r = await leads(
      new HttpRequest({ method: 'GET', url: `http://localhost/api/leads?${query}` }),
      undefined,
    );
    expect(r.status).toBe(200);
    return (r.jsonBody as { leads: { leadId: number }[] }).leads.map((l) => l.leadId);
  };

  it('narrows to one owner', async () => {
    expect(await ids('owner=8')).toStrictEqual([3, 4]);
  });

  it('finds a substring of the first name, last name, full name or company, case-insensitively', async () => {
    expect(await ids('search=smith')).toStrictEqual([3, 4]);
    expect(await ids('search=ava%20gar')).toStrictEqual([1]);
    expect(await ids('search=acme')).toStrictEqual([4]);
  });

  it('takes % and _ literally', async () => {
    expect(await ids(`search=${encodeURIComponent('100%_')}`)).toStrictEqual([2]);
    expect(await ids(`search=${encodeURIComponent('0%')}`)).toStrictEqual([2]);
  });

  it('combines with the other filters and refuses a bad owner', async () => {
    expect(await ids('owner=8&search=ava')).toStrictEqual([4]);
    const r = await leads(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/leads?owner=0' }),
      undefined,
    );
    expect(r.status).toBe(400);
  });
});

describe('queryLeadsStatement owner and search', () => {
  it('compares the owner and matches the escaped pattern with ESCAPE on every name column', () => {
    const text = Q.queryLeadsStatement(
      shape({ owner: true, search: true, sortColumn: 'AIPriority', desc: true }),
    );
    expect(text).toContain('l.OwnerUserId = @owner');
    expect(text).toContain("CONCAT(l.FirstName, N' ', l.LastName) LIKE @search ESCAPE '\\'");
    expect(text.match(/LIKE @search ESCAPE '\\'/g)).toHaveLength(8); // 4 columns, in the count and in the page
  });
});
