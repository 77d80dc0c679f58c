import { HttpRequest, type HttpResponseInit, type Timer } from '@azure/functions';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/loadConfig';
import { InputError, StoreError } from '../../src/errors';
import type { AppDeps } from '../../src/functions/shared/appContext';
import { createLeadsHttp } from '../../src/functions/leadsHttp';
import { createRescoreHttp } from '../../src/functions/rescoreHttp';
import { createRunsHttp } from '../../src/functions/runsHttp';
import { createScoreLeadsTimer } from '../../src/functions/scoreLeadsTimer';
import { expectedErrorResponse } from '../../src/functions/shared/httpErrors';
import type { LeadStore } from '../../src/store/leadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { METRICS } from '../../src/telemetry';
import { telemetrySdk } from '../helpers/telemetrySdk';
import { tempStore } from '../helpers/tempStore';
import { recordingContext } from '../helpers/invocationContext';

const config = loadConfig({ SCORING_CHUNK_SIZE: '100' });

const context = (): ReturnType<typeof recordingContext> => recordingContext();

const post = (body: unknown) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/scoring/runs',
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
  });
const get = (path: string, params: Record<string, string> = {}) =>
  new HttpRequest({ method: 'GET', url: `http://localhost/api/${path}`, params });
const json = (r: HttpResponseInit) => r.jsonBody as Record<string, unknown>;

/**
 * The tests run in random order (`jest --randomize`), so none may rely on what another left in the shared store:
 * counts are taken before and after, and a test that needs scores or runs makes them itself.
 */
const count = (db: Database.Database, sql: string): number => db.prepare(sql).pluck().get() as number;

describe('Functions handlers on a seeded embedded store', () => {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 400, closedLeads: 50, now: Date.now(), seed: 3 });
  const deps = (): AppDeps => ({ config, store: t.store });
  const rescore = createRescoreHttp(deps);
  const runs = createRunsHttp(deps);
  const leads = createLeadsHttp(deps);
  const timer = createScoreLeadsTimer(deps);
  const db = t.store.connection;
  afterAll(() => t.cleanup());

  describe('rescoreHttp', () => {
    it('answers 400 with every issue of a bad body, and never runs', async () => {
      const runsBefore = count(db, 'SELECT COUNT(*) FROM lead_scoring_runs');
      const r = await rescore(post({ leadIds: [1, 1, -2, 'x'], dryRun: 'yes', extra: true }), context());
      expect(r.status).toBe(400);
      const issues = json(r).issues as { path: string; message: string }[];
      expect(issues.map((i) => i.path).sort()).toStrictEqual(['(root)', 'dryRun', 'leadIds.2', 'leadIds.3']);
      expect(count(db, 'SELECT COUNT(*) FROM lead_scoring_runs')).toBe(runsBefore);
      expect((await rescore(post('{not json'), context())).status).toBe(400);
      expect(
        json(await rescore(post({ leadIds: Array.from({ length: 10_001 }, (_, i) => i + 1) }), context()))
          .issues,
      ).toHaveLength(1);
    });

    it('dry-runs a subset: returns the scores and recommendations and writes nothing', async () => {
      const scores = () =>
        db.prepare('SELECT LeadId, HealthScore, ScoresLastUpdated FROM lead ORDER BY LeadId').all();
      const before = scores();
      const runsBefore = count(db, 'SELECT COUNT(*) FROM lead_scoring_runs');
      const r = await rescore(post({ leadIds: [3, 4], dryRun: true }), context());
      expect(r.status).toBe(200);
      const body = json(r);
      expect(body).toMatchObject({ dryRun: true, runId: null, leadsScored: 2 });
      expect(
        (body.results as { leadId: number; recommendation: { action: string } }[]).map((x) => x.leadId),
      ).toStrictEqual([3, 4]);
      expect(scores()).toStrictEqual(before);
      expect(count(db, 'SELECT COUNT(*) FROM lead_scoring_runs')).toBe(runsBefore);
    });

    it('rescores only the given leads', async () => {
      // leads 10 and 11 start unscored (whatever ran before), so both change
      db.prepare('UPDATE lead SET HealthScore = NULL WHERE LeadId IN (10, 11)').run();
      const stamps = () =>
        new Map(
          (
            db.prepare('SELECT LeadId, ScoresLastUpdated AS at FROM lead').all() as {
              LeadId: number;
              at: number;
            }[]
          ).map((x) => [x.LeadId, x.at]),
        );
      const before = stamps();
      const r = await rescore(post({ leadIds: [10, 11] }), context());
      expect(r.status).toBe(200);
      expect(json(r)).toMatchObject({ trigger: 'http', leadsScored: 2, rowsChanged: 2 });
      const after = stamps();
      expect([...after].filter(([id, at]) => before.get(id) !== at).map(([id]) => id)).toStrictEqual([
        10, 11,
      ]);
    });

    it('answers 409 with the holder’s start time while another run holds the lock', async () => {
      const lock = await t.store.acquireRunLock('another-worker');
      try {
        const r = await rescore(post({}), context());
        expect(r.status).toBe(409);
        expect(json(r)).toMatchObject({
          code: 'RUN_LOCKED',
          holderStartedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          // the embedded lock is a lease: the caller learns when it runs out at the latest
          lockExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          message: expect.stringMatching(/; the lock expires at \S+ unless that run renews it$/),
        });
      } finally {
        await lock.release();
      }
    });

    it('answers 503 with Retry-After when the database is unreachable, and rethrows anything unexpected', async () => {
      const down = Object.create(t.store) as LeadStore;
      down.acquireRunLock = () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'Login timeout'));
      const r = await createRescoreHttp(() => ({ config, store: down }))(post({}), context());
      expect(r.status).toBe(503);
      expect(r.headers).toStrictEqual({ 'Retry-After': '30' });
      const broken = Object.create(t.store) as LeadStore;
      broken.acquireRunLock = () => Promise.reject(new TypeError('bug'));
      await expect(createRescoreHttp(() => ({ config, store: broken }))(post({}), context())).rejects.toThrow(
        'bug',
      );
    });

    it('fails the run (rethrown: the host answers 500), never 400, when the store returns data the core rejects', async () => {
      // a store double whose chunk carries a status code the core does not know: scoreLeads' boundary validation
      // throws INPUT_INVALID — a data fault of the store, not of the request
      const corrupt = Object.create(t.store) as LeadStore;
      corrupt.readScoringInput = async function* (o) {
        for await (const chunk of t.store.readScoringInput(o)) {
          chunk.features.status[0] = 250;
          yield chunk;
        }
      };
      const sdk = telemetrySdk();
      const handler = createRescoreHttp(() => ({ config, store: corrupt }), {
        telemetry: { forRun: sdk.telemetry, flush: () => Promise.resolve() },
      });
      const error = (await handler(post({ leadIds: [20, 21] }), context()).catch(
        (e: unknown) => e,
      )) as InputError;
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe('Lead feature column "status" has unknown code 250 at row 0');
      const [last] = await t.store.listRuns(1);
      expect(last).toMatchObject({
        trigger: 'http',
        status: 'failed',
        errorCode: 'INPUT_INVALID',
        errorMessage: 'Lead feature column "status" has unknown code 250 at row 0',
      });
      expect((await sdk.points()).get(METRICS.runs)!.map((p) => p.attributes)).toStrictEqual([
        { trigger: 'http', status: 'failed', dry_run: 'false', scope: 'subset', error_code: 'INPUT_INVALID' },
      ]);
      // and the shared mapping never turns it into a 400
      expect(() => expectedErrorResponse(error)).toThrow(error);
    });
  });

  describe('scoreLeadsTimer', () => {
    const tick = (isPastDue: boolean): Timer => ({
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    });

    it('runs a full pass and logs a past-due tick', async () => {
      const ctx = context();
      const summary = await timer(tick(true), ctx);
      expect(summary).toMatchObject({ trigger: 'timer', status: 'succeeded', leadsScored: 400 });
      expect(ctx.lines[0]).toBe(
        'warning: Timer is past due: a scheduled scoring run was missed; running now',
      );
      expect(ctx.lines).toContain('information: Loaded 400 active leads');
    });

    it('skips, without failing, while another run holds the lock', async () => {
      const lock = await t.store.acquireRunLock('another-worker');
      try {
        const ctx = context();
        await expect(timer(tick(false), ctx)).resolves.toBeNull();
        expect(ctx.lines.some((l) => l.startsWith('warning: Skipped: Another scoring run'))).toBe(true);
      } finally {
        await lock.release();
      }
    });

    it('fails the invocation after recording the failed run', async () => {
      const failing = Object.create(t.store) as LeadStore;
      failing.writeScores = () => Promise.reject(new Error('deadlock'));
      await expect(
        createScoreLeadsTimer(() => ({ config, store: failing }))(tick(false), context()),
      ).rejects.toThrow('deadlock');
      const [last] = await t.store.listRuns(1);
      expect(last).toMatchObject({ trigger: 'timer', status: 'failed', errorMessage: 'deadlock' });
    });
  });

  describe('runsHttp', () => {
    it('shows a run whose process died as abandoned once the next run has taken its lock over', async () => {
      const LEASE = 120_000;
      const { SqliteLeadStore } = await import('../../src/store/sqlite/sqliteLeadStore');
      // a store of its own: the run started in the future below would be the newest run of the shared one
      const u = tempStore();
      const runs = createRunsHttp(() => ({ config, store: u.store }));
      const later = SqliteLeadStore.open(u.path, { clock: () => Date.now() + LEASE + 1 });
      try {
        await u.store.acquireRunLock('killed-worker'); // its process dies: no renew, no release, no outcome
        const dead = await u.store.startRun({
          runKey: '0b7c1a52-3f7e-4f55-9d1e-2b6f0c9a4e11',
          trigger: 'timer',
          startedAt: Date.now(),
          requestedLeads: null,
        });
        const lock = await later.acquireRunLock('next-worker');
        await later.startRun({
          runKey: '5d0e4c1b-8a2f-4b7e-a3c9-1f6e2d7b8c90',
          trigger: 'timer',
          startedAt: Date.now() + LEASE + 1,
          requestedLeads: null,
        });
        await lock.release();
        const r = await runs(get(`scoring/runs/${dead}`, { id: String(dead) }));
        expect(json(r)).toMatchObject({
          runId: dead,
          runKey: '0b7c1a52-3f7e-4f55-9d1e-2b6f0c9a4e11',
          status: 'abandoned',
          finishedAt: null,
          errorCode: 'RUN_ABANDONED',
        });
      } finally {
        await later.close();
        await u.cleanup();
      }
    });

    it('lists the latest runs, newest first, and returns one run by id or 404', async () => {
      for (const id of [5, 6]) expect((await rescore(post({ leadIds: [id] }), context())).status).toBe(200);
      const list = await runs(
        new HttpRequest({ method: 'GET', url: 'http://localhost/api/scoring/runs?limit=2' }),
      );
      const items = json(list).runs as { runId: number }[];
      expect(items).toHaveLength(2);
      expect(items[0]!.runId).toBeGreaterThan(items[1]!.runId);
      const one = await runs(get(`scoring/runs/${items[1]!.runId}`, { id: String(items[1]!.runId) }));
      expect(json(one)).toMatchObject({ runId: items[1]!.runId });
      expect((await runs(get('scoring/runs/999', { id: '999' }))).status).toBe(404);
      expect((await runs(get('scoring/runs/abc', { id: 'abc' }))).status).toBe(400);
      expect(
        (await runs(new HttpRequest({ method: 'GET', url: 'http://localhost/api/scoring/runs?limit=1000' })))
          .status,
      ).toBe(400);
    });
  });

  describe('leadsHttp', () => {
    const page = (query: string) =>
      leads(new HttpRequest({ method: 'GET', url: `http://localhost/api/leads?${query}` }));
    // every active lead scored, whichever tests ran before
    beforeAll(async () => {
      expect((await rescore(post({}), context())).status).toBe(200);
    });

    it('walks every active lead exactly once through the pages, in order, for each sort', async () => {
      for (const sort of ['priority', 'health', 'overdue', 'conversion']) {
        const seen: number[] = [];
        let next: string | null = null;
        let previous: number | null = null;
        do {
          const r = await page(`sort=${sort}&limit=37${next ? `&next=${next}` : ''}`);
          expect(r.status).toBe(200);
          const body = json(r) as { leads: Record<string, number>[]; next: string | null };
          for (const l of body.leads) {
            const key = {
              priority: 'aiPriority',
              health: 'healthScore',
              overdue: 'overdueDays',
              conversion: 'conversionProbability',
            }[sort]!;
            if (previous !== null) {
              if (sort === 'health') expect(l[key]).toBeGreaterThanOrEqual(previous);
              else expect(l[key]).toBeLessThanOrEqual(previous);
            }
            previous = l[key]!;
            seen.push(l.leadId!);
          }
          next = body.next;
        } while (next);
        expect(seen).toHaveLength(400);
        expect(new Set(seen).size).toBe(400);
      }
    });

    it('filters and aggregates over the filtered set, equal to a direct SQL count', async () => {
      const r = await page(
        'churnRisk=high,critical&followUpStatus=overdue&followUpStatus=none&minPriority=10&limit=5',
      );
      const body = json(r) as {
        leads: { churnRisk: string; recommendation: { action: string } }[];
        aggregates: Record<string, unknown>;
      };
      const where = `HealthScore IS NOT NULL AND LeadStatus NOT IN ('Won','Lost') AND ChurnRisk IN ('high','critical') AND FollowUpStatus IN ('overdue','none') AND AIPriority >= 10`;
      const direct = db
        .prepare(
          `SELECT COUNT(*) AS n, ROUND(AVG(HealthScore), 2) AS h, SUM(OverdueDays) AS o, SUM(ChurnRisk = 'high') AS high FROM lead WHERE ${where}`,
        )
        .get() as { n: number; h: number; o: number; high: number };
      expect(direct.n).toBeGreaterThan(5);
      expect(body.aggregates).toMatchObject({
        count: direct.n,
        averageHealth: direct.h,
        totalOverdueDays: direct.o,
      });
      expect((body.aggregates.churnRisk as Record<string, number>).high).toBe(direct.high);
      expect(body.leads).toHaveLength(5);
      expect(body.leads.every((l) => ['high', 'critical'].includes(l.churnRisk))).toBe(true);
      expect(body.leads[0]!.recommendation.action).toEqual(expect.any(String));
    });

    it('answers 400 with the issues of a bad query string', async () => {
      const r = await page(
        'churnRisk=doomed&limit=501&sort=name&updatedSince=yesterday&next=garbage&colour=red',
      );
      expect(r.status).toBe(400);
      const paths = (json(r).issues as { path: string }[]).map((i) => i.path).sort();
      expect(paths).toStrictEqual(['(root)', 'churnRisk.0', 'limit', 'next', 'sort', 'updatedSince']);
    });
  });
});

describe('leadsHttp on a store with a corrupt RecommendationJson', () => {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 60, closedLeads: 0, now: Date.now(), seed: 5 });
  const deps = (): AppDeps => ({ config, store: t.store });
  const leads = createLeadsHttp(deps);
  afterAll(() => t.cleanup());

  beforeAll(async () => {
    expect((await createRescoreHttp(deps)(post({}), context())).status).toBe(200);
    // The column has CHECK (json_valid(...)): a CRM writer or a restore that bypasses it is what this simulates,
    // on a connection of the test's own.
    const raw = new Database(t.path);
    try {
      raw.pragma('ignore_check_constraints = ON');
      raw.prepare(`UPDATE lead SET RecommendationJson = '{"priority": "high",' WHERE LeadId = 17`).run();
    } finally {
      raw.close();
    }
  });

  it('lists every lead for every sort, the corrupt one with recommendation null, flagged and counted', async () => {
    for (const sort of ['priority', 'health', 'overdue', 'conversion']) {
      const seen: number[] = [];
      const flagged: Record<string, unknown>[] = [];
      let invalid = 0;
      const warnings: string[] = [];
      let next: string | null = null;
      do {
        const ctx = context();
        const r = await leads(
          new HttpRequest({
            method: 'GET',
            url: `http://localhost/api/leads?sort=${sort}&limit=7${next ? `&next=${next}` : ''}`,
          }),
          ctx,
        );
        expect([sort, r.status]).toStrictEqual([sort, 200]);
        const body = json(r) as {
          leads: Record<string, unknown>[];
          next: string | null;
          dataIssues: { invalidRecommendations: number };
        };
        for (const l of body.leads) {
          seen.push(l.leadId as number);
          if ('recommendationInvalid' in l) flagged.push(l);
          else expect(l.recommendation).toMatchObject({ action: expect.any(String) });
        }
        invalid += body.dataIssues.invalidRecommendations;
        warnings.push(...ctx.lines.filter((l) => l.startsWith('warning:')));
        next = body.next;
      } while (next);
      expect(new Set(seen).size).toBe(60);
      expect(flagged).toStrictEqual([
        expect.objectContaining({ leadId: 17, recommendation: null, recommendationInvalid: true }),
      ]);
      expect(invalid).toBe(1);
      expect(warnings).toStrictEqual([
        'warning: Leads with a RecommendationJson that is not JSON, listed with recommendation null: 17',
      ]);
    }
  });
});
