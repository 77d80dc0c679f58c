import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { loadConfig } from '../../src/config/loadConfig';
import { createLeadDetailHttp } from '../../src/functions/leadDetailHttp';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import type { AppDeps } from '../../src/functions/shared/appContext';
import { runScoringJob } from '../../src/job';
import { DEFAULT_SCORING_CONFIG, MS_PER_DAY } from '../../src/scoring';
import { RecordingPool, recordingStore } from '../../src/store/mssql/recordingPool';
import * as Q from '../../src/store/mssql/statements';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const config = loadConfig({ SCORING_CHUNK_SIZE: '100' });
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const detailOf = (id: string) =>
  new HttpRequest({ method: 'GET', url: `http://localhost/api/leads/${id}`, params: { id } });
const json = (r: HttpResponseInit) => r.jsonBody as Record<string, unknown>;
// The documented bands and trend threshold, written out here rather than imported.
const band = (p: number) => (p >= 75 ? 'A' : p >= 50 ? 'B' : p >= 25 ? 'C' : 'D');
const word = (change: number) => (change >= 5 ? 'Improving' : change <= -5 ? 'Declining' : 'Steady');

interface Detail {
  lead: Record<string, unknown> & { aiPriority: number; healthScore: number; leadId: number };
  band: string;
  reasons: { factor: string; label: string; points: number }[];
  trend: Record<'priority' | 'health', { trend: string; change: number; since: string } | null>;
  snapshots: { date: string; aiPriority: number | null; healthScore: number }[];
}

describe('leadDetailHttp on the embedded store (GET /api/leads/{id})', () => {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 300, closedLeads: 30, now: NOW, seed: 12 });
  const deps = (): AppDeps => ({ config, store: t.store });
  const detail = createLeadDetailHttp(deps, () => NOW);
  const db = t.store.connection;
  afterAll(() => t.cleanup());

  beforeAll(async () => {
    // three daily passes: 8 days ago, yesterday and today, each leaving that day's snapshots
    for (const d of [8, 1, 0]) {
      await runScoringJob({
        store: t.store,
        now: NOW - d * MS_PER_DAY,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: quiet,
      });
    }
  });

  it('answers the nine scores, band, reasons, trends and the last 30 days of snapshots of an active lead', async () => {
    const id = db
      .prepare(`SELECT LeadId FROM lead WHERE LeadStatus NOT IN ('Won','Lost') ORDER BY LeadId LIMIT 1`)
      .pluck()
      .get() as number;
    const r = await detail(detailOf(String(id)));
    expect(r.status).toBe(200);
    const body = json(r) as unknown as Detail;
    const row = db.prepare('SELECT * FROM lead WHERE LeadId = ?').get(id) as Record<string, unknown>;
    expect(body.lead).toMatchObject({
      leadId: id,
      healthScore: row.HealthScore,
      velocityScore: row.VelocityScore,
      aiPriority: row.AIPriority,
      conversionProbability: row.ConversionProbability,
      churnRisk: row.ChurnRisk,
      followUpStatus: row.FollowUpStatus,
      overdueDays: row.OverdueDays,
    });
    expect(body.band).toBe(band(body.lead.aiPriority));
    expect(body.reasons).toStrictEqual(
      (JSON.parse(row.RecommendationJson as string) as { factors: unknown }).factors,
    );
    expect(body.snapshots.map((s) => s.date)).toStrictEqual(['2025-10-06', '2025-10-13', '2025-10-14']);
    expect(body.snapshots.every((s) => s.aiPriority !== null)).toBe(true);
    // today against the snapshot of 8 days ago (the latest on or before 7 days ago)
    const old = body.snapshots[0]!;
    const dp = body.lead.aiPriority - old.aiPriority!;
    const dh = body.lead.healthScore - old.healthScore;
    expect(body.trend).toStrictEqual({
      priority: { trend: word(dp), change: dp, since: '2025-10-06' },
      health: { trend: word(dh), change: dh, since: '2025-10-06' },
    });
  });

  it('answers 404 for an unknown lead and for a closed one, 400 for an id that is not a positive integer', async () => {
    const closed = db
      .prepare(`SELECT LeadId FROM lead WHERE LeadStatus IN ('Won','Lost') LIMIT 1`)
      .pluck()
      .get() as number;
    expect(closed).toBeGreaterThan(0);
    expect((await detail(detailOf(String(closed)))).status).toBe(404);
    const unknown = await detail(detailOf('999999'));
    expect(unknown.status).toBe(404);
    expect(json(unknown)).toStrictEqual({ code: 'NOT_FOUND', message: 'No active, scored lead 999999' });
    for (const bad of ['abc', '0', '-3', '2147483648'])
      expect((await detail(detailOf(bad))).status).toBe(400);
  });

  it('lists the band of every lead and filters band=A,B (repeated or comma-separated), equal to a direct count', async () => {
    const leads = createLeadsHttp(deps);
    const r = await leads(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/leads?band=A,B&limit=500' }),
    );
    const body = json(r) as { leads: { aiPriority: number; band: string }[]; aggregates: { count: number } };
    const direct = db
      .prepare(
        `SELECT COUNT(*) FROM lead WHERE HealthScore IS NOT NULL AND LeadStatus NOT IN ('Won','Lost') AND AIPriority >= 50`,
      )
      .pluck()
      .get() as number;
    expect(body.aggregates.count).toBe(direct);
    expect(body.leads).toHaveLength(direct);
    for (const l of body.leads) expect(l.band).toBe(band(l.aiPriority));
    expect(body.leads.every((l) => ['A', 'B'].includes(l.band))).toBe(true);
    const d = await leads(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/leads?band=D&band=C&limit=500' }),
    );
    const dBody = json(d) as { leads: { band: string }[]; aggregates: { count: number } };
    expect(dBody.aggregates.count + direct).toBe(300);
    expect(dBody.leads.every((l) => ['C', 'D'].includes(l.band))).toBe(true);
    expect(
      (await leads(new HttpRequest({ method: 'GET', url: 'http://localhost/api/leads?band=E' }))).status,
    ).toBe(400);
  });
});

describe('leadDetailHttp and the band filter on the Azure SQL adapter (recording double)', () => {
  const c = loadConfig({
    LEAD_INTEL_STORE: 'mssql',
    MSSQL_SERVER: 'example.database.windows.net',
    MSSQL_DATABASE: 'crm',
  });
  if (c.store.kind !== 'mssql') throw new Error('expected mssql');
  const mssql = c.store;

  it('sends LEAD_DETAIL with the id and the first day as parameters, and shapes the two result sets', async () => {
    const pool = new RecordingPool([]);
    pool.leadDetails.set(7, {
      lead: {
        LeadId: 7,
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Company: 'Analytical',
        LeadStatus: 'Qualified',
        LeadSource: 'Referral',
        EstimatedValue: 12000,
        HealthScore: 61,
        VelocityScore: 50,
        AIPriority: 77,
        ConversionProbability: 41.5,
        ChurnRisk: 'medium',
        FollowUpStatus: 'this_week',
        OverdueDays: 0,
        ScoresLastUpdated: new Date(NOW),
        RecommendationJson:
          '{"priority":"medium","band":"A","factors":[{"factor":"health","label":"good health (61 of 100)","points":-3.1}]}',
      },
      snapshots: [
        {
          SnapshotDate: new Date('2025-10-05T00:00:00Z'),
          HealthScore: 70,
          VelocityScore: 50,
          AIPriority: 70,
          Activity7d: 1,
          Activity30d: 3,
        },
        {
          SnapshotDate: new Date('2025-10-13T00:00:00Z'),
          HealthScore: 62,
          VelocityScore: 50,
          AIPriority: null,
          Activity7d: 0,
          Activity30d: 2,
        },
      ],
    });
    const store = recordingStore(pool, mssql);
    const detail = createLeadDetailHttp(
      () => ({ config, store }),
      () => NOW,
    );
    const r = await detail(detailOf('7'));
    expect(pool.requests.map((q) => q.statement)).toStrictEqual([Q.LEAD_DETAIL]);
    expect(pool.requests[0]!.parameters).toStrictEqual({ leadId: 7, fromDay: '2025-09-15' });
    expect(r.status).toBe(200);
    const body = json(r) as unknown as Detail;
    expect(body.band).toBe('A');
    expect(body.reasons).toStrictEqual([
      { factor: 'health', label: 'good health (61 of 100)', points: -3.1 },
    ]);
    expect(body.snapshots).toStrictEqual([
      {
        date: '2025-10-05',
        healthScore: 70,
        velocityScore: 50,
        aiPriority: 70,
        activity7d: 1,
        activity30d: 3,
      },
      {
        date: '2025-10-13',
        healthScore: 62,
        velocityScore: 50,
        aiPriority: null,
        activity7d: 0,
        activity30d: 2,
      },
    ]);
    // priority: 77 − 70 (10-05, the latest on or before 10-07) = +7; health 61 − 70 = −9
    expect(body.trend).toStrictEqual({
      priority: { trend: 'Improving', change: 7, since: '2025-10-05' },
      health: { trend: 'Declining', change: -9, since: '2025-10-05' },
    });
    expect((await detail(detailOf('8'))).status).toBe(404);
  });

  it('filters bands as AIPriority ranges, adjacent bands merged, every bound a parameter', async () => {
    const pool = new RecordingPool([]);
    const store = recordingStore(pool, mssql);
    await store.queryLeads({ band: ['B', 'A', 'D'], sort: 'priority', limit: 10 });
    const sent = pool.requests[0]!;
    expect(sent.statement).toContain(
      '(l.AIPriority BETWEEN @bandLo0 AND @bandHi0 OR l.AIPriority BETWEEN @bandLo1 AND @bandHi1)',
    );
    expect(sent.parameters).toMatchObject({ bandLo0: 50, bandHi0: 100, bandLo1: 0, bandHi1: 24 });
  });
});
