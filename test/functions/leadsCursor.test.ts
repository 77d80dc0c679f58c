import { HttpRequest } from '@azure/functions';
import { loadConfig } from '../../src/config/loadConfig';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import type { AppDeps } from '../../src/functions/shared/appContext';
import * as Q from '../../src/store/mssql/statements';
import { tempStore } from '../helpers/tempStore';

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
    const text = Q.queryLeadsStatement({
      churnRisk: 0,
      followUpStatus: 0,
      status: 0,
      minPriority: false,
      bandRanges: 0,
      maxHealth: false,
      updatedSince: false,
      after: true,
      sortColumn: 'HealthScore',
      desc: false,
    });
    expect(text).toContain(
      'AND l.HealthScore >= @afterValue AND (l.HealthScore > @afterValue OR (l.HealthScore = @afterValue AND l.LeadId > @afterId))',
    );
  });
});
